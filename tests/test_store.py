"""The JSON file: round trips, TinyDB's layout, modes, atomic writes, bad files and real kills."""

from __future__ import annotations

import json
import os
import random
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import tinydb

from meetup_tui.domain.records import Interaction, Person, Post, Segment
from meetup_tui.store import jsonfile
from meetup_tui.store.database import SCHEMA, BadFile, Database, MissingFile, StoreError


def full_records() -> list[Person | Segment | Interaction | Post]:
    """One record of each type with every field set away from its default."""
    ann = Person(
        name="Ann Lee",
        org="Lee's Bakery",
        role="owner",
        phones=["+44 20 7946 0018", "07700 900123"],
        emails=["ann@example.org"],
        area="Old Town",
        tags=["runner", "baker"],
        influence=5,
        stage="advocate",
        cadence="FREQ=WEEKLY;INTERVAL=2",
        channel="coffee",
        introduced_by="someone-else",
        owner="alex",
        notes="Ünïcode ✓ and [bold]markup[/] stay text",
        challenges="rent",
        wants="more foot traffic",
        needs="a delivery bike",
        snoozed_until="2026-12-12",
        birthday="--04-01",
    )
    gone = Person(name="Gone Person", deleted=True)
    segment = Segment(
        name="Runners' club",
        description="people who run on Sundays",
        rule={
            "tags": ["runner"],
            "stage": "customer",
            "area": "Old Town",
            "min_influence": 2,
            "owner": "alex",
        },
        include=[ann.id],
        exclude=[gone.id],
        cadence="FREQ=MONTHLY",
    )
    talk = Interaction(
        at="2026-11-26T09:15",
        people=[ann.id, gone.id],
        kind="coffee",
        outcome="attempt",
        where="Cafe Nero",
        note="left a message",
        learned="wants a bike rack",
        next_step="send the winter price list",
        follow_up="2026-12-01",
        stage_change="customer",
        logged_by="sam",
        done="2026-12-01",
    )
    post = Post(
        platform="instagram", at="2026-11-25T18:00", likes=42, comments=7, engaged=[f"{ann.id}:share"], deleted=True
    )
    records = [
        ann,
        gone,
        segment,
        Segment(name="Old", deleted=True),
        talk,
        Interaction(at="2026-01-02T03:04", deleted=True),
        post,
    ]
    for record in records:
        record.updated_at = "2026-11-26T09:15:00.000001Z"
        record.updated_by = "alex@shop"
        record.created_by = "sam@shop"
    return records


def make_db(path: Path) -> Database:
    db = Database.open(path, user="tester", create=True)
    for record in full_records():
        db.commit(record)
    return db


def leftovers(folder: Path, keep: str) -> list[str]:
    """Files a write left behind, other than the database, its lock file and its backups."""
    expected = {keep, f".{keep}.lock", f"{Path(keep).stem}-backups"}
    return sorted(name for name in os.listdir(folder) if name not in expected)


# -- round trip and format ---------------------------------------------------------------


def test_the_sample_sets_every_field_away_from_its_default() -> None:
    """Else the round trip below could not notice a field that is dropped on save."""
    records = full_records()
    for kind in (Person, Segment, Interaction, Post):
        blank = kind().to_doc()
        docs = [r.to_doc() for r in records if type(r) is kind]
        for name in blank:
            if name not in ("id", "created_at"):
                assert any(doc[name] != blank[name] for doc in docs), f"{kind.__name__}.{name}"


def test_every_field_of_every_record_survives_save_and_open(db_path: Path) -> None:
    written = make_db(db_path)
    again = Database.open(db_path, user="reader")
    for kind in (Person, Segment, Interaction, Post):
        assert again.book.table(kind) == written.book.table(kind)
        assert again.book.table(kind)  # and there is something to compare
    assert again.meta == written.meta
    assert again.meta["schema"] == SCHEMA


def test_tinydb_reads_our_file(db_path: Path) -> None:
    make_db(db_path)
    raw = db_path.read_bytes()
    with tinydb.TinyDB(db_path, access_mode="r") as tiny:
        people = tiny.table("people").all()
        posts = tiny.table("posts").all()
    assert sorted(p["name"] for p in people) == ["Ann Lee", "Gone Person"]
    assert posts[0]["likes"] == 42
    assert db_path.read_bytes() == raw, "reading with TinyDB changes nothing"


def test_the_file_is_readable_text(db_path: Path) -> None:
    make_db(db_path)
    text = db_path.read_text(encoding="utf-8")
    assert "Ünïcode ✓" in text  # not \u escapes
    assert text.count("\n") > 20  # indented, one field a line


# -- modes and temp files ----------------------------------------------------------------


def test_a_new_file_is_private(db_path: Path) -> None:
    old = os.umask(0o002)
    try:
        Database.open(db_path, user="t", create=True)
    finally:
        os.umask(old)
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600


def test_an_existing_files_mode_is_kept(db_path: Path) -> None:
    db = Database.open(db_path, user="t", create=True)
    db_path.chmod(0o660)
    db.add(Person(name="Ann"))
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o660
    assert Database.open(db_path, user="t").book.live_people()[0].name == "Ann"


def test_write_atomic_leaves_no_temp_files(db_path: Path) -> None:
    for n in range(5):
        jsonfile.write_atomic(db_path, json.dumps({"people": {"1": {"id": str(n)}}}).encode())
    assert leftovers(db_path.parent, db_path.name) == []
    assert json.loads(db_path.read_bytes())["people"]["1"]["id"] == "4"


def test_writing_into_a_missing_folder_is_a_store_error(tmp_path: Path) -> None:
    target = tmp_path / "nowhere" / "meetup.json"
    with pytest.raises(StoreError, match="Cannot write in"):
        jsonfile.write_atomic(target, b"{}")
    assert not target.parent.exists()


_FULL_DISK = textwrap.dedent(
    """
    import resource, signal, sys
    from pathlib import Path
    from meetup_tui.domain.records import Person
    from meetup_tui.store.database import Database, StoreError

    db = Database.open(Path(sys.argv[1]), user="child")
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails with EFBIG instead
    limit = Path(sys.argv[1]).stat().st_size + 100
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    big = Person(name="Big", notes="x" * 10_000)
    try:
        db.commit(big)
    except StoreError as exc:
        print("kept in memory" if big.id in db.book.people else "lost")
        print(exc)
        sys.exit(3)
    print("written")
    """
)


def test_a_failing_write_raises_store_error_and_keeps_the_old_bytes(db_path: Path) -> None:
    make_db(db_path)
    before = db_path.read_bytes()
    child = subprocess.run(
        [sys.executable, "-c", _FULL_DISK, str(db_path)], capture_output=True, text=True, timeout=30
    )
    assert child.returncode == 3, child.stdout + child.stderr
    first, message = child.stdout.splitlines()
    assert first == "kept in memory"
    assert message.startswith(f"Could not save {db_path}:")
    assert "left as it was" in message
    assert db_path.read_bytes() == before
    assert leftovers(db_path.parent, db_path.name) == []


# -- bad and missing files ---------------------------------------------------------------


def _truncated() -> tuple[bytes, str]:
    whole = jsonfile.encode({"people": {"1": {"id": "a", "name": "Ann"}}, "posts": {}})
    cut = whole[: len(whole) // 2]
    try:
        json.loads(cut)
    except json.JSONDecodeError as exc:
        return cut, f"line {exc.lineno}, column {exc.colno}"
    raise AssertionError("the cut should not parse")


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"", "is empty"),
        (b"  \n", "is empty"),
        (_truncated()[0], _truncated()[1]),
        (b"[1, 2]", "not a database"),
        (b'"just a string"', "not a database"),
        (b'{"people": []}', "not a database"),
        (b'{"people": {"1": {"id": "", "name": "Ann"}}}', "has an empty id"),
        (b'{"people": {"1": {"id": 7, "name": "Ann"}}}', "has an id that is not text"),
        (b'{"people": {"1": "Ann"}}', "is not an object"),
        (b'{"_meta": {"1": {"schema": 99}}, "people": {}}', "newer"),
        (b'{"_meta": {"1": "schema 1"}}', "not an object"),
        (b"\xff\xfe{}", "not UTF-8"),
    ],
)
@pytest.mark.parametrize("create", [False, True])
def test_bad_files_are_refused_and_never_written(
    db_path: Path, content: bytes, says: str, create: bool
) -> None:
    db_path.write_bytes(content)
    with pytest.raises(BadFile) as caught:
        Database.open(db_path, user="t", create=create)
    message = str(caught.value)
    assert says in message
    assert str(db_path) in message
    assert "\n" not in message and "Traceback" not in message
    assert db_path.read_bytes() == content
    assert leftovers(db_path.parent, db_path.name) == []


def test_the_newer_schema_message_names_both_versions(db_path: Path) -> None:
    db_path.write_text('{"_meta": {"1": {"schema": 99}}}')
    with pytest.raises(BadFile, match=rf"schema 99, this one knows {SCHEMA}"):
        Database.open(db_path, user="t")


def test_a_missing_file_is_not_created_unless_asked(db_path: Path) -> None:
    with pytest.raises(MissingFile, match="There is no database at"):
        Database.open(db_path, user="t")
    assert not db_path.exists()


def test_a_folder_is_not_a_database(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a folder"):
        Database.open(tmp_path, user="t")


def test_create_makes_the_parent_folder(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "meetup.json"
    db = Database.open(path, user="t", create=True)
    assert path.is_file()
    assert db.book.live_people() == []
    meta = json.loads(path.read_text())["_meta"]["1"]
    assert meta["schema"] == SCHEMA and meta["database_id"] == db.meta["database_id"]
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_delete_leaves_a_tombstone_on_disk(db_path: Path) -> None:
    db = Database.open(db_path, user="alex", create=True)
    ann = db.add(Person(name="Ann"))
    db.delete(ann)
    stored = Database.open(db_path, user="t").book.people[ann.id]
    assert stored.deleted and stored.updated_by == "alex"
    assert stored.updated_at >= stored.created_at


# -- atomicity under a real kill ---------------------------------------------------------

_WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from meetup_tui.domain.records import Person
    from meetup_tui.store.database import Database

    db = Database.open(Path(sys.argv[1]), user="writer", create=True)
    n = 0
    while True:
        person = db.add(Person(name=f"Person {n}", notes="x" * (n % 500)))
        sys.stdout.write(person.id + "\\n")
        sys.stdout.flush()
        n += 1
    """
)


def test_a_killed_writer_never_loses_an_acknowledged_record(db_path: Path) -> None:
    rng = random.Random(20261126)
    acknowledged: list[str] = []
    for _ in range(30):
        child = subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(db_path)], stdout=subprocess.PIPE, text=True
        )
        assert child.stdout is not None
        if rng.random() < 0.8:  # mostly mid-commit; sometimes while it starts or reads the file
            line = child.stdout.readline()
            acknowledged.extend([line.strip()] if line.strip() else [])
        time.sleep(rng.uniform(0, 0.03))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
        acknowledged.extend(line.strip() for line in child.stdout if line.strip())
        child.stdout.close()
        assert child.returncode == -signal.SIGKILL

        if not db_path.exists():
            assert acknowledged == []
            continue
        book = Database.open(db_path, user="checker").book  # parses, or BadFile fails the test
        missing = set(acknowledged) - set(book.people)
        assert not missing, f"{len(missing)} acknowledged records lost"
    assert len(acknowledged) >= 30, "the writer should have been killed mid-stream, not only at start"
