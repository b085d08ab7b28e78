"""Conflicted copies beside the file: found by each sync service's naming, merged, archived.

Each copy is made the way it happens: the database file is copied, then changed the way
another machine would change it (a new person, an edit, a delete, a logged call) through a
second Database opened on the copy; meanwhile this machine keeps working on the original.
Every test reads the JSON on disk.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from meetup_tui.domain.records import Interaction, Person, Segment
from meetup_tui.store import conflicts, schema
from meetup_tui.store.backups import backup_folder, list_backups
from meetup_tui.store.conflicts import archive_folder, find_candidates, merge_copies
from meetup_tui.store.database import Database
from meetup_tui.store.lock import lock_path_for, locked

LAPTOP = "alex@laptop"

# (database file name, conflicted copy name, the service that names copies so)
NAMINGS = [
    ("meetup.json", "meetup (Alex's conflicted copy 2026-11-20).json", "Dropbox"),
    ("meetup.json", "meetup (Alexs in Konflikt stehende Kopie 2026-11-20).json", "Dropbox"),
    ("meetup.json", "meetup (Copie en conflit de Alex 2026-11-20).json", "Dropbox"),
    ("meetup.json", "meetup (Cópia em conflito de Alex 2026-11-20 1).json", "Dropbox"),
    ("meetup.json", "meetup (Case Conflict).json", "Dropbox"),
    ("meetup.json", "Meetup (Case Conflict 1).json", "Dropbox"),  # the other file's case
    ("café.json", unicodedata.normalize("NFD", "café") + " (Unicode Encoding Conflict).json", "Dropbox"),
    ("meetup.json", "meetup (1).json", "Google Drive"),
    ("meetup.json", "meetup-OFFICE-PC.json", "OneDrive"),
    ("meetup.json", "meetup (conflicted copy 2026-11-20 101500).json", "Nextcloud"),
    ("meetup.json", "meetup (conflicted copy alice 2026-11-20 101500).json", "Nextcloud"),
    ("meetup.json", "meetup (conflicted copy 2026-11-20).json", "Nextcloud"),
    ("meetup.json", "meetup_conflict-20261120-101500.json", "Nextcloud"),
    ("meetup.json", "meetup.sync-conflict-20261120-101500-ABCDEF7.json", "Syncthing"),
    ("meetup.json", "meetup 2.json", "iCloud"),
]


def tables_on_disk(path: Path) -> dict[str, dict[str, dict[str, Any]]]:
    """Each table of the file as {record id: document}, read straight from the JSON."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return {
        table: {doc["id"]: doc for doc in docs.values()} for table, docs in data.items() if table != "_meta"
    }


def make_main(path: Path) -> dict[str, str]:
    """This machine's database: three people, a segment and a call.  Returns their ids."""
    db = Database.open(path, user="sam@shop", create=True)
    ana, bo, cy = Person(name="Ana Ruiz"), Person(name="Bo Lee", phones=["111"]), Person(name="Cy Moss")
    db.commit(*(db.stamp(r) for r in (ana, bo, cy)))
    db.add(Segment(name="Runners", include=[ana.id]))
    db.add(Interaction(at="2026-11-10T10:00", people=[ana.id], note="first coffee"))
    return {"ana": ana.id, "bo": bo.id, "cy": cy.id}


def change_like_another_machine(copy: Path, ids: dict[str, str]) -> dict[str, str]:
    """Open the copy as the laptop would and add, edit, delete and log.  Returns the new ids."""
    laptop = Database.open(copy, user=LAPTOP)
    book = laptop.book
    dee = laptop.add(Person(name="Dee Laptop", influence=3))
    laptop.change(book.people[ids["bo"]], phones=["222"])
    laptop.delete(book.people[ids["cy"]])
    call = laptop.add(Interaction(at="2026-11-19T15:00", people=[ids["ana"], dee.id], note="on the laptop"))
    return {"dee": dee.id, "call": call.id}


def keep_working_here(path: Path) -> str:
    """Meanwhile this machine adds someone too; the merge must keep it."""
    here = Database.open(path, user="sam@shop")
    return here.add(Person(name="Eve Here")).id


@pytest.mark.parametrize(("db_name", "copy_name", "service"), NAMINGS)
def test_each_service_naming_is_merged_record_by_record_and_archived(
    tmp_path: Path, db_name: str, copy_name: str, service: str
) -> None:
    path = tmp_path / db_name
    ids = make_main(path)
    copy = tmp_path / copy_name
    shutil.copy2(path, copy)
    new = change_like_another_machine(copy, ids)
    eve = keep_working_here(path)
    copied_bytes = copy.read_bytes()

    assert find_candidates(path) == [copy]
    assert conflicts.service_of(path, copy) == service
    db = Database.open(path, user="sam@shop")
    (report,) = merge_copies(db)

    people = tables_on_disk(path)["people"]
    assert people[new["dee"]]["name"] == "Dee Laptop"  # new on the laptop
    assert people[ids["bo"]]["phones"] == ["222"]  # edited on the laptop
    assert people[ids["cy"]]["deleted"] is True  # deleted on the laptop: a tombstone
    assert people[eve]["name"] == "Eve Here" and people[ids["ana"]]["deleted"] is False  # ours kept
    call = tables_on_disk(path)["interactions"][new["call"]]
    assert call["note"] == "on the laptop" and call["people"] == [ids["ana"], new["dee"]]

    assert not copy.exists()  # gone from beside the file...
    assert report.moved_to is not None and report.moved_to.parent == archive_folder(path)
    assert report.moved_to.read_bytes() == copied_bytes  # ...and kept, byte for byte
    assert report.moved_to.name.endswith(copy_name)
    assert report.merged == 4 and not report.problem
    sentence = report.sentence()
    assert sentence.startswith(f"Merged {copy_name} (4 changes from {LAPTOP})")
    assert str(report.moved_to) in sentence
    assert merge_copies(db) == []  # nothing left to merge


def test_the_running_database_sees_the_merged_records_at_once(db_path: Path) -> None:
    ids = make_main(db_path)
    copy = db_path.with_name("meetup (1).json")
    shutil.copy2(db_path, copy)
    new = change_like_another_machine(copy, ids)
    db = Database.open(db_path, user="sam@shop")
    merge_copies(db)
    assert db.book.people[new["dee"]].name == "Dee Laptop"
    assert db.pending == 0  # and it is on disk, not only in memory


def test_an_unchanged_copy_is_archived_and_said_to_bring_nothing_new(db_path: Path) -> None:
    make_main(db_path)
    before = db_path.read_bytes()
    copy = db_path.with_name("meetup 2.json")
    shutil.copy2(db_path, copy)
    (report,) = merge_copies(Database.open(db_path, user="sam@shop"))
    assert report.merged == 0 and not copy.exists() and report.moved_to.read_bytes() == before
    assert report.sentence() == f"Merged meetup 2.json (nothing new) and moved it to {report.moved_to}."


def test_several_copies_are_all_merged(db_path: Path) -> None:
    ids = make_main(db_path)
    names = ["meetup (1).json", "meetup.sync-conflict-20261120-101500-ABCDEF7.json"]
    added = []
    for number, name in enumerate(names):
        shutil.copy2(db_path, db_path.with_name(name))
        added.append(Database.open(db_path.with_name(name), user=f"u{number}").add(Person(name=name)).id)
    reports = merge_copies(Database.open(db_path, user="sam@shop"))
    assert [r.copy.name for r in reports] == sorted(names)
    people = tables_on_disk(db_path)["people"]
    assert {people[i]["name"] for i in added} == set(names)
    assert ids["ana"] in people
    assert sorted(p.name.split(" ", 1)[1] for p in archive_folder(db_path).iterdir()) == sorted(names)


# -- left alone ----------------------------------------------------------------------------


def _edited(raw: bytes, edit: Any) -> bytes:
    data = json.loads(raw)
    edit(data)
    return json.dumps(data, indent=1).encode()


def _phones_not_a_list(data: dict[str, Any]) -> None:
    next(iter(data["people"].values()))["phones"] = "222"


def _schema_from_the_future(data: dict[str, Any]) -> None:
    data["_meta"]["1"]["schema"] = schema.SCHEMA + 1


def test_a_copy_of_another_database_is_left_alone_and_reported(db_path: Path, tmp_path: Path) -> None:
    make_main(db_path)
    before = db_path.read_bytes()
    elsewhere = tmp_path / "other" / "meetup.json"
    Database.open(elsewhere, user="x", create=True).add(Person(name="Stranger"))
    copy = db_path.with_name("meetup (1).json")
    shutil.copy2(elsewhere, copy)
    theirs = copy.read_bytes()

    (report,) = merge_copies(Database.open(db_path, user="sam@shop"))
    assert report.problem and report.moved_to is None and report.merged == 0
    assert report.sentence() == (
        "Left meetup (1).json alone: it is not a copy of this database (its database id differs)."
    )
    assert copy.read_bytes() == theirs  # where it was, as it was
    assert db_path.read_bytes() == before  # nothing merged, nothing written
    assert not archive_folder(db_path).exists()


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda raw: raw[: len(raw) // 2], id="truncated"),
        pytest.param(lambda raw: b"", id="empty"),
        pytest.param(lambda raw: _edited(raw, _phones_not_a_list), id="record of the wrong shape"),
        pytest.param(lambda raw: _edited(raw, _schema_from_the_future), id="newer schema"),
    ],
)
def test_a_corrupt_copy_is_reported_and_never_merged(db_path: Path, damage: Any) -> None:
    ids = make_main(db_path)
    copy = db_path.with_name("meetup (conflicted copy 2026-11-20 101500).json")
    shutil.copy2(db_path, copy)
    change_like_another_machine(copy, ids)
    copy.write_bytes(damage(copy.read_bytes()))
    broken = copy.read_bytes()
    before = db_path.read_bytes()

    db = Database.open(db_path, user="sam@shop")
    (report,) = merge_copies(db)
    assert report.sentence().startswith(f"Left {copy.name} alone: it cannot be read (")
    assert report.moved_to is None and report.merged == 0
    assert copy.read_bytes() == broken
    assert db_path.read_bytes() == before
    assert "Dee Laptop" not in {p.name for p in db.book.people.values()}
    assert conflicts.inspect(copy, db.meta["database_id"]).readable is False


def test_the_store_own_files_are_never_candidates(db_path: Path) -> None:
    ids = make_main(db_path)
    Database.open(db_path, user="sam@shop").add(Person(name="Written again"))
    with locked(db_path):
        pass
    copy = db_path.with_name("meetup (1).json")  # fill the archive folder with a real one
    shutil.copy2(db_path, copy)
    change_like_another_machine(copy, ids)
    merge_copies(Database.open(db_path, user="sam@shop"))
    # A temporary file as write_atomic names it, left by a crash: a whole copy of the database.
    shutil.copy2(db_path, db_path.with_name(f".~{db_path.name}.0123456789ab.tmp"))
    assert list_backups(db_path) and lock_path_for(db_path).exists()
    assert any(archive_folder(db_path).iterdir())
    before = db_path.read_bytes()

    assert find_candidates(db_path) == []
    assert merge_copies(Database.open(db_path, user="sam@shop")) == []
    assert db_path.read_bytes() == before
    assert backup_folder(db_path).is_dir() and archive_folder(db_path).is_dir()


def test_names_that_only_start_with_the_stem_are_not_candidates(db_path: Path) -> None:
    make_main(db_path)
    for name in [
        "meetup-notes.txt",
        "meetupx.json",
        "meetup.json.bak",
        "meetup (draft).json",
        "meetup.old.json",
    ]:
        shutil.copy2(db_path, db_path.with_name(name))  # even with this database's id inside
    assert find_candidates(db_path) == []


def test_a_name_like_a_copy_of_another_database_is_reported_not_merged(db_path: Path, tmp_path: Path) -> None:
    """A copy's name fits, but its content is not this database: only the database id decides."""
    make_main(db_path)
    notes = db_path.with_name("meetup-OFFICE-PC.json")
    notes.write_text('{"todo": {"1": {"text": "call the bank"}}}')
    listing = db_path.with_name("meetup (2).json")
    listing.write_text("[1, 2, 3]")
    before = db_path.read_bytes()
    db = Database.open(db_path, user="sam@shop")
    reports = merge_copies(db)
    assert [(r.copy.name, r.moved_to) for r in reports] == [
        ("meetup (2).json", None),
        ("meetup-OFFICE-PC.json", None),
    ]
    assert all("not a copy of this database" in r.sentence() for r in reports)
    assert notes.exists() and listing.exists() and db_path.read_bytes() == before
    assert conflicts.inspect(notes, db.meta["database_id"]).readable  # valid JSON, just not ours


def test_a_link_to_the_database_itself_is_not_a_copy(db_path: Path) -> None:
    make_main(db_path)
    db_path.with_name("meetup-link.json").symlink_to(db_path.name)
    os.link(db_path, db_path.with_name("meetup-hard.json"))
    assert find_candidates(db_path) == []


def test_copies_wait_while_the_database_is_read_only(db_path: Path) -> None:
    ids = make_main(db_path)
    copy = db_path.with_name("meetup (1).json")
    shutil.copy2(db_path, copy)
    change_like_another_machine(copy, ids)
    before, copied = db_path.read_bytes(), copy.read_bytes()
    db = Database.open(db_path, user="sam@shop")
    db.read_only = f"{db_path} is read-only"  # what Database.open finds for a 0400 file (root ignores it)
    (report,) = merge_copies(db)
    assert (
        report.sentence()
        == f"Left meetup (1).json alone: {db_path} is read-only, so it cannot be merged yet."
    )
    assert db.pending == 0  # nothing half-applied in memory that could never be saved
    assert "Dee Laptop" not in {p.name for p in db.book.people.values()}
    assert copy.read_bytes() == copied and db_path.read_bytes() == before


def test_archiving_never_overwrites_an_earlier_archived_copy(db_path: Path) -> None:
    make_main(db_path)
    now = datetime(2026, 11, 20, 10, 15, tzinfo=UTC)
    copy = db_path.with_name("meetup (1).json")
    shutil.copy2(db_path, copy)
    first = merge_copies(Database.open(db_path, user="a"), now=now)[0].moved_to
    first_bytes = first.read_bytes()
    Database.open(db_path, user="a").add(Person(name="Later"))
    shutil.copy2(db_path, copy)  # the same name comes back, within the same second
    second = merge_copies(Database.open(db_path, user="a"), now=now)[0].moved_to
    assert first != second
    assert first.read_bytes() == first_bytes and second.read_bytes() == db_path.read_bytes()


def test_a_group_shared_database_gets_a_group_writable_archive(tmp_path: Path) -> None:
    path = tmp_path / "shop.json"
    make_main(path)
    path.chmod(0o660)
    shutil.copy2(path, tmp_path / "shop (1).json")
    merge_copies(Database.open(path, user="a"))
    assert stat.S_IMODE(archive_folder(path).stat().st_mode) & 0o070 == 0o070
    assert stat.S_IMODE(path.stat().st_mode) == 0o660


# -- a copy left alone is read again only when its stat changes -----------------------------


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How often each conflicted copy's bytes were read, by file name."""
    counted: dict[str, int] = {}
    real = conflicts._read_bytes

    def counting(copy: Path) -> bytes:
        counted[copy.name] = counted.get(copy.name, 0) + 1
        return real(copy)

    monkeypatch.setattr(conflicts, "_read_bytes", counting)
    return counted


def _big_bad_json(db_path: Path) -> bytes:
    """A copy of this database, a few MB of notes long, cut off in the middle."""
    raw = db_path.read_bytes()
    padded = _edited(raw, lambda data: next(iter(data["people"].values())).update(notes="x" * 3_000_000))
    return padded[: len(padded) - 100]


def _another_database(db_path: Path) -> bytes:
    other = db_path.parent / "elsewhere" / "meetup.json"
    Database.open(other, user="x", create=True).add(Person(name="Stranger"))
    return other.read_bytes()


LEFT_ALONE = [
    pytest.param(_big_bad_json, "it cannot be read (", id="invalid JSON"),
    pytest.param(_another_database, "it is not a copy of this database (", id="another database"),
    pytest.param(
        lambda db_path: _edited(db_path.read_bytes(), _phones_not_a_list),
        "it cannot be read (",
        id="this database, a bad record",
    ),
]


@pytest.mark.parametrize(("contents", "said"), LEFT_ALONE)
def test_a_copy_left_alone_is_read_once_per_change_and_reported_the_same_way(
    db_path: Path, reads: dict[str, int], contents: Any, said: str
) -> None:
    make_main(db_path)
    copy = db_path.with_name("meetup (1).json")
    copy.write_bytes(contents(db_path))
    db = Database.open(db_path, user="sam@shop")

    sentences = []
    for _scan in range(5):  # what the app does every few seconds
        assert find_candidates(db_path) == [copy]
        (report,) = merge_copies(db)
        sentences.append(report.sentence())
    assert reads == {copy.name: 1}
    assert sentences == [sentences[0]] * 5 and sentences[0].startswith(f"Left {copy.name} alone: {said}")

    os.utime(copy, ns=(copy.stat().st_atime_ns, copy.stat().st_mtime_ns + 1_000_000_000))
    (report,) = merge_copies(db)  # touched: read again, and still left alone
    assert reads == {copy.name: 2} and report.sentence() == sentences[0]

    good = db_path.with_name("good.json")  # now a sync client puts a good copy in its place
    shutil.copy2(db_path, good)
    Database.open(good, user=LAPTOP).add(Person(name="Dee Laptop"))
    good.rename(copy)
    (report,) = merge_copies(db)
    assert report.moved_to is not None and not copy.exists()
    assert "Dee Laptop" in {p["name"] for p in tables_on_disk(db_path)["people"].values()}


def test_a_copy_replaced_by_one_of_the_same_size_is_read_again(db_path: Path, reads: dict[str, int]) -> None:
    make_main(db_path)
    copy = db_path.with_name("meetup (1).json")
    broken, also_broken = '{"people": {"1": ', '{"people": [1, 2,'
    assert len(broken) == len(also_broken)
    copy.write_text(broken)
    db = Database.open(db_path, user="sam@shop")
    merge_copies(db)
    merge_copies(db)
    assert reads == {copy.name: 1}
    same_size = db_path.with_name("other")
    same_size.write_text(also_broken)  # another file, as long, with the same times
    os.utime(same_size, ns=(copy.stat().st_atime_ns, copy.stat().st_mtime_ns))
    same_size.rename(copy)
    (report,) = merge_copies(db)
    assert reads == {copy.name: 2} and report.left_alone


def test_while_read_only_an_unchanged_good_copy_is_not_read_again(
    db_path: Path, reads: dict[str, int]
) -> None:
    ids = make_main(db_path)
    copy = db_path.with_name("meetup (1).json")
    shutil.copy2(db_path, copy)
    change_like_another_machine(copy, ids)
    db = Database.open(db_path, user="sam@shop")
    db.read_only = f"{db_path} is read-only"
    first, second = merge_copies(db), merge_copies(db)
    assert first == second and first[0].sentence().endswith("so it cannot be merged yet.")
    assert reads == {copy.name: 1}
    db.read_only = None  # writable again: the copy's records are read and merged
    (report,) = merge_copies(db)
    assert report.merged == 4 and report.moved_to is not None
    assert reads == {copy.name: 2}
