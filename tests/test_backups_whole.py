"""Backups are checked whole before one is called good, and a backup that cannot be written
stops the save with a sentence that names the database.

A backup is good only if it opens exactly as the database would; each bad one here is
valid JSON that fails somewhere past the parse: a record, a table's shape, the schema.
"""

from __future__ import annotations

import errno
import gzip
import json
import os
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from meetup_tui.domain.records import Person
from meetup_tui.store import backups, jsonfile, schema
from meetup_tui.store.database import Database, StoreError

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def _first_person(data: dict[str, Any]) -> dict[str, Any]:
    return next(iter(data["people"].values()))


BAD = {
    "a record that is not an object": lambda d: d["people"].update({"9": ["Ana"]}),
    "a record whose phones are not a list": lambda d: _first_person(d).update(phones="555"),
    "a record with an impossible date": lambda d: _first_person(d).update(snoozed_until="2026-13-45"),
    "a record whose influence is not a number": lambda d: _first_person(d).update(influence="high"),
    "a table that is a list": lambda d: d.update(people=[_first_person(d)]),
    "a meta table of the wrong shape": lambda d: d.update(_meta={"1": ["schema", 1]}),
    "a schema from a newer meetup-tui": lambda d: d["_meta"]["1"].update(schema=schema.SCHEMA + 1),
    "a schema that is not a number": lambda d: d["_meta"]["1"].update(schema="two"),
}


def _database(path: Path) -> bytes:
    db = Database.open(path, user="sam@shop", create=True)
    db.add(Person(name="Ana Ruiz", phones=["111"]))
    db.add(Person(name="Bo Lee"))
    return path.read_bytes()


def _damaged(raw: bytes, damage: Callable[[dict[str, Any]], None]) -> bytes:
    data = json.loads(raw)
    damage(data)
    return json.dumps(data, indent=1).encode()


def _opens(raw: bytes, where: Path) -> bool:
    """Does a database file holding `raw` open?  What `newest_good_backup` must agree with."""
    where.mkdir()
    (where / "meetup.json").write_bytes(raw)
    try:
        Database.open(where / "meetup.json", user="checker")
    except StoreError:
        return False
    return True


@pytest.mark.parametrize("damage", BAD.values(), ids=BAD.keys())
def test_a_backup_that_parses_but_does_not_open_is_skipped_for_an_older_good_one(
    db_path: Path, tmp_path: Path, damage: Callable[[dict[str, Any]], None]
) -> None:
    raw = _database(db_path)
    broken = _damaged(raw, damage)
    json.loads(broken)  # valid JSON: only reading it whole shows what is wrong
    assert not _opens(broken, tmp_path / "as-a-database")

    good = backups.make_backup(db_path, raw, NOW - timedelta(hours=2))
    bad = backups.make_backup(db_path, broken, NOW - timedelta(hours=1))
    assert backups.list_backups(db_path) == [bad, good]
    assert not backups.is_good(bad) and backups.is_good(good)
    assert backups.newest_good_backup(db_path) == good

    good.write_bytes(_damaged(raw, damage))  # no good backup left at all
    assert backups.newest_good_backup(db_path) is None


def test_the_file_that_fails_to_open_names_the_backup_that_opens(db_path: Path) -> None:
    raw = _database(db_path)
    good = backups.make_backup(db_path, raw, NOW - timedelta(hours=2))
    backups.make_backup(db_path, _damaged(raw, BAD["a record with an impossible date"]), NOW)
    db_path.write_bytes(_damaged(raw, BAD["a record whose phones are not a list"]))
    with pytest.raises(jsonfile.BadFile) as refused:
        Database.open(db_path, user="sam@shop")
    assert refused.value.backup == good and str(good) in str(refused.value)
    # The app opens it as it is, read-only, compressed: as the database would open
    assert {p.name for p in Database.open(good, user="x").book.people.values()} == {"Ana Ruiz", "Bo Lee"}
    restored = db_path.with_name("restored.json")
    restored.write_bytes(gzip.decompress(good.read_bytes()))
    assert {p.name for p in Database.open(restored, user="x").book.people.values()} == {"Ana Ruiz", "Bo Lee"}


def test_a_good_older_schema_backup_is_good(db_path: Path) -> None:
    """Migrated forward on the way in, as opening it would."""
    raw = _database(db_path)
    old = _damaged(raw, lambda d: d["_meta"]["1"].update(schema=1))
    backup = backups.make_backup(db_path, old, NOW)
    assert backups.newest_good_backup(db_path) == backup


def test_a_name_with_a_stamp_that_is_no_moment_is_not_a_backup(db_path: Path) -> None:
    raw = _database(db_path)
    good = backups.make_backup(db_path, raw, NOW)
    (good.parent / "meetup.20261399T996099Z.host.abc123.json").write_bytes(raw)
    assert backups.list_backups(db_path) == [good] and backups.newest_good_backup(db_path) == good


# -- a backup that cannot be written --------------------------------------------------------


def _disk_full_at(monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    """The disk fills while a backup is written: creating its temporary file, or flushing it."""
    real_open, real_fsync = os.open, os.fsync
    opened: dict[str, int | None] = {"temp": None}

    def open_(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        name = os.fspath(path)
        if where == "create" and "-backups" in name and os.path.basename(name).startswith(".~"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), name)
        fd = real_open(path, flags, *args, **kwargs)
        if "-backups" in name and os.path.basename(name).startswith(".~"):
            opened["temp"] = fd
        return fd

    def fsync(fd: int) -> None:
        if where == "flush" and fd == opened["temp"]:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(fd)

    monkeypatch.setattr(jsonfile.os, "open", open_)
    monkeypatch.setattr(jsonfile.os, "fsync", fsync)


@pytest.mark.parametrize("where", ["create", "flush"])
def test_disk_full_while_backing_up_names_the_database_and_keeps_the_change(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    _database(db_path)
    before = db_path.read_bytes()
    db = Database.open(db_path, user="sam@shop")  # a new session: its first write backs up
    with monkeypatch.context() as patch:
        _disk_full_at(patch, where)
        with pytest.raises(StoreError) as failed:
            db.add(Person(name="Cy Moss"))
    message = str(failed.value)
    assert message == (
        f"Could not save {db_path}: No space left on device (while making a backup); "
        "the file was left as it was."
    )
    assert "-backups" not in message and "\n" not in message
    assert db_path.read_bytes() == before and db.pending == 1
    assert backups.list_backups(db_path) == []
    assert not [p for p in backups.backup_folder(db_path).iterdir() if p.name.startswith(".~")]

    db.sync()  # room again: the backup and the change are written
    assert db.pending == 0 and len(backups.list_backups(db_path)) == 1
    assert "Cy Moss" in {p.name for p in Database.open(db_path, user="x").book.people.values()}


def test_make_backup_on_a_full_disk_says_which_save_it_stopped(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = _database(db_path)
    _disk_full_at(monkeypatch, "flush")
    with pytest.raises(StoreError, match=r"^Could not save .*meetup\.json: No space left on device"):
        backups.make_backup(db_path, raw, NOW)
