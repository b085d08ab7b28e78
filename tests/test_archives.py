"""Closed years of the log in archive files beside the database (store/archives.py).

Real files in tmp_path.  The writer's year is fixed at THIS_YEAR (archives.this_year
monkeypatched) for the tests in this process; the ones that run real processes build
their log around the real current year instead.
"""

from __future__ import annotations

import gzip
import json
import os
from datetime import datetime
from pathlib import Path

import pytest
import tinydb

from cli_support import cli, run_cli
from meetup_tui.domain.records import Interaction, Person
from meetup_tui.store import archives, backups, database, schema
from meetup_tui.store.conflicts import find_candidates, merge_copies
from meetup_tui.store.database import BadFile, Database

THIS_YEAR = 2026
YEARS = (2023, 2024, 2025, 2026)


@pytest.fixture(autouse=True)
def fixed_year(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archives, "this_year", lambda: THIS_YEAR)


def entries(person: Person, years: tuple[int, ...] = YEARS, per_year: int = 3) -> list[Interaction]:
    return [
        Interaction(
            at=f"{year}-0{month}-1{month}T10:00", people=[person.id], note=f"{year}/{month}", kind="coffee"
        )
        for year in years
        for month in range(1, per_year + 1)
    ]


def build(path: Path, years: tuple[int, ...] = YEARS, *, archive: bool = False) -> Database:
    """A database of two people and three entries a year, written in one file (archiving held
    back), then, with `archive`, written again past the threshold."""
    db = Database.open(path, user="ana@laptop", create=True)
    ana, bo = db.add(Person(name="Ana Ruiz")), db.add(Person(name="Bo Lee"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(archives, "LIMIT_YEARS", 99)
        db.commit(*(db.stamp(e) for e in entries(ana, years) + entries(bo, years[:1], 1)))
    assert not db.archives and not list(path.parent.glob("meetup-20*.json"))
    if archive:
        db.sync(force=True)
    return db


def by_at(entry: Interaction) -> str:
    return entry.at


def on_disk(path: Path) -> dict[str, dict[str, object]]:
    """Log entries of one file by id, as TinyDB reads it."""
    with tinydb.TinyDB(path, access_mode="r") as tiny:
        return {doc["id"]: doc for doc in tiny.table("interactions").all()}


def every_entry(path: Path) -> dict[str, list[Path]]:
    """Which files (main and archives) hold each entry."""
    where: dict[str, list[Path]] = {}
    for file in sorted(path.parent.glob("meetup*.json")):
        for rid in on_disk(file):
            where.setdefault(rid, []).append(file)
    return where


def test_past_the_threshold_closed_years_move_to_archives_and_the_file_shrinks(db_path: Path) -> None:
    db = build(db_path)
    before = db_path.stat().st_size
    whole = Database.open(db_path, user="x").book
    db.sync(force=True)  # more than two calendar years in the log: past the threshold
    assert sorted(db.archives) == [2023, 2024, 2025]
    assert db_path.stat().st_size < before
    for year in (2023, 2024, 2025):
        archive = db_path.with_name(f"meetup-{year}.json")
        docs = on_disk(archive)
        assert docs and all(str(d["at"]).startswith(str(year)) for d in docs.values())
        with tinydb.TinyDB(archive, access_mode="r") as tiny:
            assert tiny.table("_meta").get(doc_id=1)["database_id"] == db.meta["database_id"]
    main = on_disk(db_path)
    assert main and all(str(d["at"]).startswith("2026") for d in main.values())
    with tinydb.TinyDB(db_path, access_mode="r") as tiny:
        meta = tiny.table("_meta").get(doc_id=1)
        assert meta["archives"] == [2023, 2024, 2025] and meta["schema"] == schema.SCHEMA
        assert len(tiny.table("people")) == 2
    assert all(len(files) == 1 for files in every_entry(db_path).values())
    again = Database.open(db_path, user="x").book
    assert again == whole and again == db.book


def test_under_the_threshold_nothing_moves(db_path: Path) -> None:
    db = build(db_path, (2025, 2026))
    db.sync(force=True)  # two calendar years, a small file
    assert not db.archives and list(db_path.parent.glob("meetup-*.json")) == []


def test_a_big_file_moves_even_one_closed_year(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = build(db_path, (2025, 2026))
    monkeypatch.setattr(archives, "LIMIT_BYTES", db_path.stat().st_size - 1)
    db.sync(force=True)
    assert sorted(db.archives) == [2025]


def test_a_history_spanning_an_archived_year_is_whole(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = build(db_path)
    history = ("--db", str(db_path), "--today", "2026-11-27", "history", "Ana Ruiz", "--json")
    code, before, _err = cli(capsys, *history)
    assert code == 0 and len(json.loads(before)) == 12
    db.sync(force=True)
    assert db_path.with_name("meetup-2024.json").exists()
    code, after, err = cli(capsys, *history)
    assert code == 0 and err == ""
    assert json.loads(after) == json.loads(before)


def test_a_logged_call_rewrites_the_main_file_only(db_path: Path) -> None:
    db = build(db_path, archive=True)
    stats = {y: (a.path.stat().st_mtime_ns, a.path.read_bytes()) for y, a in db.archives.items()}
    ana = next(p for p in db.book.people.values() if p.name == "Ana Ruiz")
    db.add(Interaction(at="2026-11-20T09:00", people=[ana.id], note="new"))
    assert {y: (a.path.stat().st_mtime_ns, a.path.read_bytes()) for y, a in db.archives.items()} == stats
    assert any(d["note"] == "new" for d in on_disk(db_path).values())


def test_editing_an_archived_entry_rewrites_its_archive_only(db_path: Path) -> None:
    db = build(db_path, archive=True)
    main_before = db_path.read_bytes()
    untouched = {y: db.archives[y].path.read_bytes() for y in (2023, 2025)}
    old = next(e for e in db.book.interactions.values() if e.at.startswith("2024"))
    db.change(old, note="mended")
    assert on_disk(db.archives[2024].path)[old.id]["note"] == "mended"
    assert old.id not in on_disk(db_path)
    assert {y: db.archives[y].path.read_bytes() for y in (2023, 2025)} == untouched
    assert on_disk(db_path) == json.loads(main_before)["interactions"] or db_path.read_bytes() == main_before


def test_an_entry_moved_to_another_year_leaves_its_archive_for_the_main_file(db_path: Path) -> None:
    db = build(db_path, archive=True)
    old = next(e for e in db.book.interactions.values() if e.at.startswith("2024"))
    db.change(old, at="2026-02-02T10:00")
    assert old.id in on_disk(db_path) and old.id not in on_disk(db.archives[2024].path)
    assert Database.open(db_path, user="x").book.interactions[old.id].at == "2026-02-02T10:00"


def test_a_merge_across_archive_files_loses_nothing(db_path: Path) -> None:
    build(db_path)
    ana_laptop = Database.open(db_path, user="ana@laptop")
    bo_office = Database.open(db_path, user="bo@office")  # still holds the old log in main
    ana_laptop.sync(force=True)  # archives
    assert db_path.with_name("meetup-2024.json").exists()
    old = sorted((e for e in bo_office.book.interactions.values() if e.at.startswith("2024")), key=by_at)
    first, second = old[0], old[1]
    bo_office.change(first, note="bo's edit")  # against a main file that no longer holds it
    ana_laptop.change(ana_laptop.book.interactions[second.id], learned="ana's edit")
    bo_office.sync()
    ana_laptop.sync()
    for db in (ana_laptop, bo_office, Database.open(db_path, user="x")):
        assert db.book.interactions[first.id].note == "bo's edit"
        assert db.book.interactions[second.id].learned == "ana's edit"
        assert set(db.book.interactions) == set(ana_laptop.book.interactions)
    bo_office.sync(force=True)
    where = every_entry(db_path)
    assert set(where) == set(bo_office.book.interactions)
    assert all(len(files) == 1 for files in where.values())
    assert where[first.id] == [db_path.with_name("meetup-2024.json")]


def test_another_machines_copy_holding_the_old_log_merges_into_the_archives(tmp_path: Path) -> None:
    """Two folders (two machines): one archived, the other's file (the old log still in it,
    one old entry edited) arrives as a conflicted copy and is merged into the right archive."""
    here, there = tmp_path / "here", tmp_path / "there"
    here.mkdir()
    there.mkdir()
    db = build(here / "meetup.json")
    for name in ("meetup.json",):
        (there / name).write_bytes((here / name).read_bytes())
    db.sync(force=True)  # archives here
    theirs = Database.open(there / "meetup.json", user="bo@office")
    old = next(e for e in theirs.book.interactions.values() if e.at.startswith("2023"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(archives, "LIMIT_YEARS", 99)
        theirs.change(old, note="edited over there")
    copy = here / "meetup (Bo's conflicted copy 2026-11-20).json"
    copy.write_bytes((there / "meetup.json").read_bytes())
    merge_copies(db)
    assert not copy.exists()
    assert on_disk(here / "meetup-2023.json")[old.id]["note"] == "edited over there"
    assert old.id not in on_disk(here / "meetup.json")
    merged = Database.open(here / "meetup.json", user="x").book
    assert set(merged.interactions) == set(theirs.book.interactions)


def test_a_kill_between_the_archive_write_and_the_main_write_loses_nothing(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = build(db_path)
    whole = dict(db.book.interactions)
    real = database.jsonfile.write_atomic

    def killed(path: Path, payload: bytes, **kw: object) -> os.stat_result:
        if path == db_path:
            raise SystemExit("killed")
        return real(path, payload, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(database.jsonfile, "write_atomic", killed)
    with pytest.raises(SystemExit):
        db.sync(force=True)
    monkeypatch.setattr(database.jsonfile, "write_atomic", real)
    assert db_path.with_name("meetup-2024.json").exists()
    where = every_entry(db_path)
    assert set(where) == set(whole)  # each in the main file still, the old ones in an archive too
    after = Database.open(db_path, user="x")
    assert after.book.interactions == whole
    after.sync(force=True)
    assert all(len(files) == 1 for files in every_entry(db_path).values())
    assert Database.open(db_path, user="y").book.interactions == whole


def test_a_kill_before_an_entry_leaving_an_archive_reaches_the_main_file_loses_nothing(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = build(db_path, archive=True)
    old = next(e for e in db.book.interactions.values() if e.at.startswith("2024"))
    real = database.jsonfile.write_atomic

    def killed(path: Path, payload: bytes, **kw: object) -> os.stat_result:
        if path == db_path:
            raise SystemExit("killed")
        return real(path, payload, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(database.jsonfile, "write_atomic", killed)
    with pytest.raises(SystemExit):
        db.change(old, at="2026-03-03T10:00")
    monkeypatch.setattr(database.jsonfile, "write_atomic", real)
    assert Database.open(db_path, user="x").book.interactions[old.id].at == "2026-03-03T10:00"


def test_a_missing_archive_opens_says_so_once_writes_main_and_deletes_nothing(
    db_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    build(db_path, archive=True)
    # Written on another machine: this one's journal (store/journal.py) does not hold them.
    monkeypatch.setenv("MEETUP_TUI_JOURNAL", str(tmp_path / "this-machine"))
    away = db_path.parent / "away"
    away.mkdir()
    archive = db_path.with_name("meetup-2024.json")
    archive.rename(away / archive.name)
    gone = on_disk(away / archive.name)
    code, out, err = cli(capsys, "--db", str(db_path), "log", "Ana Ruiz", "--note", "x")
    assert code == 0
    assert err.count("\n") == 1 and "meetup-2024.json" in err and "not" in err
    assert not archive.exists()  # never written from what this process knew of it
    opened = Database.open(db_path, user="x")
    assert len(opened.notices) == 1 and "meetup-2024.json" in opened.notices[0]
    assert not set(gone) & set(opened.book.interactions)
    # An entry of that year changes while it is away: kept in the main file, nothing deleted.
    late = opened.add(Interaction(at="2024-06-06T10:00", people=[], note="late"))
    assert late.id in on_disk(db_path) and not archive.exists()
    # It comes back (the sync client brought it): everything is there, each in one place.
    (away / archive.name).rename(archive)
    opened.sync(force=True)
    assert set(on_disk(archive)) == set(gone) | {late.id}
    assert late.id not in on_disk(db_path)
    assert set(Database.open(db_path, user="y").book.interactions) >= set(gone) | {late.id}


def test_a_broken_archive_is_a_bad_file_naming_it(db_path: Path) -> None:
    build(db_path, archive=True)
    archive = db_path.with_name("meetup-2024.json")
    archive.write_text('{"_meta": {"1": {', encoding="utf-8")
    with pytest.raises(BadFile) as caught:
        Database.open(db_path, user="x")
    assert str(archive) in str(caught.value) and "line 1" in str(caught.value)


def test_an_archive_is_not_taken_for_a_conflicted_copy(db_path: Path) -> None:
    db = build(db_path, archive=True)
    assert find_candidates(db_path) == []
    assert merge_copies(db) == [] and db_path.with_name("meetup-2024.json").exists()


def test_a_conflicted_copy_of_an_archive_is_merged_into_it(db_path: Path) -> None:
    db = build(db_path, archive=True)
    archive = db_path.with_name("meetup-2024.json")
    data = json.loads(archive.read_bytes())
    key, doc = next(iter(data["interactions"].items()))
    stamp = "2099-01-01T00:00:00.000000Z"
    data["interactions"][key] = dict(doc, note="from the copy", updated_at=stamp, _v={"note": stamp})
    copy = db_path.with_name("meetup-2024.sync-conflict-20261120-101500-ABCDEF7.json")
    copy.write_text(json.dumps(data), encoding="utf-8")
    reports = merge_copies(db)
    assert [r.copy for r in reports] == [copy] and not copy.exists()
    assert on_disk(archive)[doc["id"]]["note"] == "from the copy"


def test_an_archive_is_backed_up_before_it_is_rewritten_beside_the_main_backups(db_path: Path) -> None:
    db = build(db_path, archive=True)
    archive = db.archives[2024].path
    previous = archive.read_bytes()
    old = next(e for e in db.book.interactions.values() if e.at.startswith("2024"))
    db.change(old, note="again")
    folder = backups.backup_folder(db_path)
    kept = backups.list_backups(archive, folder)
    assert kept and backups.is_good(kept[0])
    assert gzip.decompress(kept[0].read_bytes()) == previous
    assert all(b.name.startswith("meetup.") for b in backups.list_backups(db_path))
    assert all(b.name.startswith("meetup-2024.") for b in kept)


def test_an_older_meetup_tui_refuses_an_archived_file(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build(db_path, archive=True)
    monkeypatch.setattr(schema, "SCHEMA", 3)  # as the version before archives
    with pytest.raises(BadFile, match="newer meetup-tui"):
        Database.open(db_path, user="x")


def test_the_migration_to_archives_changes_nothing() -> None:
    tables = {"_meta": {"1": {"schema": 3}}, "interactions": {"1": {"id": "a"}}}
    assert schema.MIGRATIONS[3](json.loads(json.dumps(tables))) == tables


def test_a_main_file_put_back_without_its_archive_list_still_reads_them(db_path: Path) -> None:
    db = build(db_path, archive=True)
    whole = dict(db.book.interactions)
    data = json.loads(db_path.read_bytes())
    del data["_meta"]["1"]["archives"]
    db_path.write_text(json.dumps(data), encoding="utf-8")
    again = Database.open(db_path, user="x")
    assert again.book.interactions == whole and sorted(again.archives) == [2023, 2024, 2025]


def test_real_processes_log_against_an_archived_file(tmp_path: Path) -> None:
    """In real processes, around the real current year: a log writes the main file only."""
    now = datetime.now().year
    path = tmp_path / "meetup.json"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(archives, "this_year", lambda: now)
        build(path, (now - 3, now - 2, now - 1, now), archive=True)
    archived = sorted(path.parent.glob("meetup-*.json"))
    assert len(archived) == 3
    before = {p: p.read_bytes() for p in archived}
    done = run_cli(tmp_path, "--db", str(path), "log", "Ana Ruiz", "--note", "by a process")
    assert done.returncode == 0, done.stderr
    assert {p: p.read_bytes() for p in archived} == before
    done = run_cli(tmp_path, "--db", str(path), "history", "Ana Ruiz", "--json")
    assert done.returncode == 0 and len(json.loads(done.stdout)) == 13



def test_doctor_checks_and_lists_every_archive(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    build(db_path, archive=True)
    code, out, _err = cli(capsys, "--db", str(db_path), "doctor", "--json")
    report = json.loads(out)
    assert code == 0 and report["healthy"], report["problems"]
    names = [a["name"] for a in report["archives"]]
    assert names == ["meetup-2023.json", "meetup-2024.json", "meetup-2025.json"]
    first = report["archives"][0]
    assert first["readable"] and first["listed"] and first["schema"] == schema.SCHEMA
    assert first["entries"] == 4  # Ana's three and Bo's one
    assert first["size"] == db_path.with_name("meetup-2023.json").stat().st_size
    assert report["copies"] == []
    code, out, _err = cli(capsys, "--db", str(db_path), "doctor")
    assert code == 0 and "Archives of the old log: 3" in out and "  meetup-2024.json: 3 entries, " in out


def test_doctor_reports_a_broken_archive_with_its_path(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    build(db_path, archive=True)
    archive = db_path.with_name("meetup-2024.json")
    archive.write_text('{"_meta": {"1": {"schema": 4}}, "interactions": {"1": {"id": 5}}}', encoding="utf-8")
    code, out, _err = cli(capsys, "--db", str(db_path), "doctor", "--json")
    report = json.loads(out)
    assert code == 1 and not report["healthy"]
    assert any(str(archive) in p for p in report["problems"])
    assert any("meetup-2024.json" in a for a in report["advice"])
    (db_path.with_name("meetup-2025.json")).unlink()
    code, out, _err = cli(capsys, "--db", str(db_path), "doctor")
    assert code == 1 and "meetup-2025.json" in out and "PROBLEM" in out


def test_a_copy_named_like_an_archive_by_hand_is_never_read_nor_written_over(db_path: Path) -> None:
    db = build(db_path)
    mine = db_path.with_name("meetup-2024.json")
    mine.write_bytes(db_path.read_bytes())  # a copy of the whole file someone kept
    kept = mine.read_bytes()
    assert not Database.open(db_path, user="x").archives
    db.sync(force=True)  # past the threshold: 2023 and 2025 move, 2024 stays in the file
    assert sorted(db.archives) == [2023, 2025] and mine.read_bytes() == kept
    assert any(str(d["at"]).startswith("2024") for d in on_disk(db_path).values())
    assert Database.open(db_path, user="x").book == db.book


def test_a_failed_first_archive_write_is_not_taken_for_a_missing_archive(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = build(db_path)
    real = database.jsonfile.write_atomic

    def full(path: Path, payload: bytes, **kw: object) -> os.stat_result:
        if path.name == "meetup-2024.json":
            raise database.StoreError("Could not save: No space left on device.")
        return real(path, payload, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(database.jsonfile, "write_atomic", full)
    with pytest.raises(database.StoreError):
        db.sync(force=True)
    assert not db.changed_on_disk() or db.reload() == []
    assert db.notices == []
    monkeypatch.setattr(database.jsonfile, "write_atomic", real)
    db.sync(force=True)
    assert db_path.with_name("meetup-2024.json").exists()
    assert all(len(files) == 1 for files in every_entry(db_path).values())


def test_an_old_one_file_copy_put_back_loses_nothing(db_path: Path) -> None:
    """A sync client puts back the file as it was before the archiving: the archives beside
    it are still read (their `_meta` marks them), and the next write puts each entry back
    in one place."""
    db = build(db_path)
    before = db_path.read_bytes()
    db.sync(force=True)
    old = next(e for e in db.book.interactions.values() if e.at.startswith("2024"))
    db.change(old, note="after the archiving")
    whole = dict(db.book.interactions)
    db_path.write_bytes(before)
    again = Database.open(db_path, user="x")
    assert again.book.interactions == whole
    again.sync(force=True)
    assert all(len(files) == 1 for files in every_entry(db_path).values())
    assert Database.open(db_path, user="y").book.interactions == whole
