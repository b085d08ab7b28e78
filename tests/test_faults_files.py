"""The file changed under the store: replaced by rename as sync clients do, or broken, through the CLI."""

from __future__ import annotations

import json
import os
import shutil
import uuid
from pathlib import Path

import pytest

from fault_support import cli
from meetup_tui.domain.records import Person
from meetup_tui.store import backups, jsonfile, schema
from meetup_tui.store.database import BadFile, Database

# -- the file replaced by rename, as sync clients do --------------------------------------------


def replace_by_rename(path: Path, content: bytes) -> None:
    temp = path.with_name(f".sync-client-{uuid.uuid4().hex}")
    temp.write_bytes(content)
    os.replace(temp, path)


def test_a_file_replaced_by_rename_under_unsaved_changes_keeps_both_sides(
    db_path: Path, tmp_path: Path
) -> None:
    Database.open(db_path, user="setup", create=True).add(Person(name="Ana Ruiz"))
    db = Database.open(db_path, user="here")
    ours = db.stamp(Person(name="Written Here"))
    db.apply(ours)  # on screen, not yet saved
    elsewhere = tmp_path / "laptop" / "meetup.json"  # the other machine's copy of the same database
    elsewhere.parent.mkdir()
    shutil.copy2(db_path, elsewhere)
    theirs = Database.open(elsewhere, user="laptop").add(Person(name="Written There"))
    replace_by_rename(db_path, elsewhere.read_bytes())

    assert db.changed_on_disk() and db.pending == 1
    incoming = db.sync()
    assert [r.id for r in incoming] == [theirs.id]
    on_disk = Database.open(db_path, user="checker").book.people
    assert {ours.id, theirs.id} <= set(on_disk) and len(on_disk) == 3
    assert db.pending == 0


@pytest.mark.parametrize("moment", ["while it is read", "just after it is written"])
def test_a_file_replaced_at_the_worst_moment_is_still_merged(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, moment: str
) -> None:
    """Another writer renames a newer file into place between our read (or rename) and the
    stat we remember: what we believe is on disk must not be their file."""
    Database.open(db_path, user="setup", create=True).add(Person(name="Ana Ruiz"))
    elsewhere = tmp_path / "laptop" / "meetup.json"
    elsewhere.parent.mkdir()
    shutil.copy2(db_path, elsewhere)
    theirs = Database.open(elsewhere, user="laptop").add(Person(name="Written There"))
    newer = elsewhere.read_bytes()
    real_read, real_write = jsonfile.read_bytes, jsonfile.write_atomic
    armed = [True]

    def replace_once(path: Path) -> None:
        if path == db_path and armed:
            armed.clear()
            replace_by_rename(db_path, newer)

    def read_then_replaced(path: Path) -> bytes:
        result = real_read(path)
        replace_once(path)
        return result

    def write_then_replaced(path: Path, payload: bytes, **kw: Path | None) -> os.stat_result:
        written = real_write(path, payload, **kw)
        replace_once(path)
        return written

    if moment == "while it is read":
        monkeypatch.setattr(jsonfile, "read_bytes", read_then_replaced)
        db = Database.open(db_path, user="here")
    else:
        db = Database.open(db_path, user="here")
        monkeypatch.setattr(jsonfile, "write_atomic", write_then_replaced)
        db.add(Person(name="Bo Lind"))
    assert not armed, "the replacement must have happened"
    ours = db.add(Person(name="Written Here"))
    on_disk = Database.open(db_path, user="checker").book.people
    assert {ours.id, theirs.id} <= set(on_disk)


def test_an_older_copy_put_back_by_sync_loses_nothing(db_path: Path) -> None:
    db = Database.open(db_path, user="here", create=True)
    db.add(Person(name="Ana Ruiz"))
    older = db_path.read_bytes()
    written = [db.add(Person(name="Bo Lind")), db.add(Person(name="Cy Moss"))]
    replace_by_rename(db_path, older)  # the sync client restores a stale copy

    db.reload()
    assert db.pending == len(written)  # what the file lacks is owed to it
    db.sync()
    on_disk = Database.open(db_path, user="checker").book.people
    assert {p.id for p in written} <= set(on_disk)
    assert db.pending == 0 and not db.changed_on_disk()


# -- bad files through the command line ---------------------------------------------------------


def _truncated(good: bytes) -> bytes:
    return good[: len(good) // 2]


def _numbers_for_ids(good: bytes) -> bytes:
    data = json.loads(good)
    for n, doc in enumerate(data["people"].values()):
        doc["id"] = n
    return json.dumps(data).encode()


def _newer_schema(good: bytes) -> bytes:
    data = json.loads(good)
    data[schema.META]["1"]["schema"] = schema.SCHEMA + 1
    return json.dumps(data).encode()


INVALID = b'{\n "people": {\n  "1": {"id": "x",}\n }\n}\n'


def _where_json_fails(raw: bytes) -> str:
    try:
        json.loads(raw)
    except json.JSONDecodeError as exc:
        return f"at line {exc.lineno}, column {exc.colno}"
    raise AssertionError("the sample must be invalid JSON")


BAD_FILES = {
    "empty": (lambda good: b"", "is empty"),
    "truncated": (_truncated, "is not valid JSON"),
    "invalid JSON": (lambda good: INVALID, _where_json_fails(INVALID)),
    "wrong shape": (lambda good: b"[1, 2, 3]", "not a database"),
    "ids that are not text": (_numbers_for_ids, "has an id that is not text"),
    "newer schema": (_newer_schema, f"schema {schema.SCHEMA + 1}"),
}


@pytest.mark.parametrize("kind", BAD_FILES)
def test_a_bad_file_is_explained_names_the_backup_and_is_never_written(db_path: Path, kind: str) -> None:
    assert cli(db_path, "add", "Ana Ruiz").returncode == 0
    assert cli(db_path, "log", "Ana").returncode == 0  # a second session: it backs up the first
    good_backup = backups.newest_good_backup(db_path)
    assert good_backup is not None
    spoil, says = BAD_FILES[kind]
    db_path.write_bytes(spoil(db_path.read_bytes()))
    before = db_path.read_bytes()
    for command in (["today"], ["log", "Ana", "--note", "lost?"]):
        done = cli(db_path, *command)
        assert done.returncode == 1, (command, done.stderr)
        message = done.stderr
        assert message.startswith("meetup-tui: ") and message.count("\n") == 1, message
        assert says in message and str(db_path) in message and str(good_backup) in message
        assert "Traceback" not in message
        assert db_path.read_bytes() == before


def test_a_file_gone_bad_under_a_running_app_is_read_once_per_change(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app looks every second; a bad file (and the backups searched for a good one) must
    not be read and decoded again each time, only once it changes."""
    db = Database.open(db_path, user="here", create=True)
    db.add(Person(name="Ana Ruiz"))
    replace_by_rename(db_path, b'{"people": ')
    reads: list[Path] = []
    real = jsonfile.read_bytes

    def counted(path: Path) -> bytes:
        reads.append(path)
        return real(path)

    monkeypatch.setattr(jsonfile, "read_bytes", counted)
    for _ in range(3):
        with pytest.raises(BadFile):
            db.reload()
    assert reads.count(db_path) == 1
    theirs = Database.open(db_path.with_name("mended.json"), user="there", create=True)
    theirs.meta = db.meta
    theirs.add(Person(name="Bo Lee"))
    replace_by_rename(db_path, db_path.with_name("mended.json").read_bytes())
    assert [r.name for r in db.reload()] == ["Bo Lee"]
