"""The schema framework: pure forward migrations, a backup of the old bytes first, newer refused.

Each test pretends this version is schema 2 (monkeypatching store.schema.SCHEMA) and
registers a migration 1 -> 2 that renames the people field `full_name` to `name`, then opens
a schema-1 file written the way the old version wrote it.
"""

from __future__ import annotations

import builtins
import copy
import gzip
import io
import json
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from meetup_tui.domain.records import Person
from meetup_tui.store import backups, jsonfile, schema
from meetup_tui.store.conflicts import merge_copies
from meetup_tui.store.database import BadFile, Database

DB_ID = "7d3c9a52-0000-4000-8000-000000000001"


def rename_full_name(tables: dict[str, Any]) -> dict[str, Any]:
    """Schema 1 -> 2: people's `full_name` became `name`.  Pure: a new dict, the input untouched."""
    out = copy.deepcopy(tables)
    for doc in out.get("people", {}).values():
        if "full_name" in doc:
            doc["name"] = doc.pop("full_name")
    return out


@pytest.fixture
def schema_two(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(schema, "SCHEMA", 2)
    monkeypatch.setitem(schema.MIGRATIONS, 1, rename_full_name)


def old_tables(version: int = 1, database_id: str = DB_ID) -> dict[str, Any]:
    """A file as the schema-1 version wrote it."""
    stamp = "2026-10-01T09:00:00.000000Z"
    person = {"created_at": stamp, "updated_at": stamp, "updated_by": "old@shop", "deleted": False}
    return {
        "_meta": {"1": {"schema": version, "database_id": database_id, "created_at": stamp}},
        "people": {
            "1": {"id": "p-ana", "full_name": "Ana Ruiz", "phones": ["555 0100"], **person},
            "2": {"id": "p-bo", "full_name": "Bo Lee", **person, "deleted": True},
        },
        "interactions": {
            "1": {"id": "i-1", "at": "2026-09-30T10:00", "people": ["p-ana"], "kind": "coffee", **person}
        },
    }


def write_old(path: Path, version: int = 1) -> bytes:
    raw = jsonfile.encode(old_tables(version))
    path.write_bytes(raw)
    return raw


def test_an_old_file_comes_through_migrated(db_path: Path, schema_two: None) -> None:
    write_old(db_path)
    db = Database.open(db_path, user="new@shop")
    ana, bo = db.book.people["p-ana"], db.book.people["p-bo"]
    assert (ana.name, ana.phones, ana.updated_by) == ("Ana Ruiz", ["555 0100"], "old@shop")
    assert bo.name == "Bo Lee" and bo.deleted
    assert db.book.interactions["i-1"].people == ["p-ana"]
    assert db.meta["schema"] == 2 and db.meta["database_id"] == DB_ID


def test_the_old_bytes_are_backed_up_before_anything_is_written(
    db_path: Path, schema_two: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = write_old(db_path)
    writes: list[tuple[Path, bytes]] = []
    real_write = jsonfile.write_atomic

    def recording(path: Path, payload: bytes, **kwargs: Any) -> None:
        writes.append((path, payload))
        real_write(path, payload, **kwargs)

    monkeypatch.setattr(jsonfile, "write_atomic", recording)
    db = Database.open(db_path, user="new@shop")
    assert db_path.read_bytes() == old  # opening wrote nothing to the file...
    (backup,) = backups.list_backups(db_path)  # ...but the old bytes are safe already
    assert gzip.decompress(backup.read_bytes()) == old
    assert [(path, gzip.decompress(payload)) for path, payload in writes] == [(backup, old)]

    db.add(Person(name="Cy Moss"))
    assert [path for path, _ in writes] == [backup, db_path]  # the backup first, then the file
    assert backups.list_backups(db_path) == [backup]  # not backed up twice in 10 minutes


def test_the_old_bytes_are_backed_up_even_right_after_another_backup(
    db_path: Path, schema_two: None
) -> None:
    """Migrating always backs up first: a backup made a moment ago held the same bytes, or
    not (another machine's, of another state), so it is not counted on."""
    old = write_old(db_path)
    folder = backups.backup_folder(db_path)
    folder.mkdir()
    recent = folder / f"{db_path.stem}.{datetime.now(UTC):%Y%m%dT%H%M%SZ}.other-pc.abc123.json.gz"
    recent.write_bytes(gzip.compress(b"{}"))
    assert not backups.due(db_path)
    Database.open(db_path, user="new@shop")
    made = [b for b in backups.list_backups(db_path) if b != recent]
    assert [gzip.decompress(b.read_bytes()) for b in made] == [old]


def test_the_next_write_records_the_new_schema(db_path: Path, schema_two: None) -> None:
    write_old(db_path)
    db = Database.open(db_path, user="new@shop")
    cy = db.add(Person(name="Cy Moss"))
    data = json.loads(db_path.read_text())
    assert data["_meta"]["1"]["schema"] == 2 and data["_meta"]["1"]["database_id"] == DB_ID
    people = {doc["id"]: doc for doc in data["people"].values()}
    assert people["p-ana"]["name"] == "Ana Ruiz" and "full_name" not in people["p-ana"]
    assert people[cy.id]["name"] == "Cy Moss"
    again = Database.open(db_path, user="new@shop")  # at schema 2 now: no migration, no backup
    assert again.book.people["p-ana"].name == "Ana Ruiz"
    assert len(backups.list_backups(db_path)) == 1


def test_migrations_run_one_step_at_a_time(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def add_tag(tables: dict[str, Any]) -> dict[str, Any]:
        out = copy.deepcopy(tables)
        for doc in out.get("people", {}).values():
            doc["tags"] = [*doc.get("tags", []), "v3"]
        return out

    monkeypatch.setattr(schema, "SCHEMA", 3)
    monkeypatch.setitem(schema.MIGRATIONS, 1, rename_full_name)
    monkeypatch.setitem(schema.MIGRATIONS, 2, add_tag)
    write_old(db_path, version=1)
    assert Database.open(db_path, user="t").book.people["p-ana"].tags == ["v3"]
    at_two = old_tables(version=2)
    for doc in at_two["people"].values():
        doc["name"] = doc.pop("full_name")
    data, found = schema.migrate(db_path, at_two)
    assert found == 2 and data["people"]["1"]["tags"] == ["v3"] and data["_meta"]["1"]["schema"] == 3


def test_a_migration_never_touches_the_disk(
    tmp_path: Path, schema_two: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = old_tables()
    tables = copy.deepcopy(before)

    def no_disk(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"a migration touched the disk: {args!r}")

    blocked = [(builtins, "open"), (io, "open"), (os, "open"), (os, "replace"), (os, "rename")]
    originals = [(module, name, getattr(module, name)) for module, name in blocked]
    for module, name in blocked:
        monkeypatch.setattr(module, name, no_disk)
    try:
        data, found = schema.migrate(tmp_path / "never-created.json", tables)  # the path only names it
    finally:
        for module, name, original in originals:
            setattr(module, name, original)
    assert found == 1 and data["people"]["1"]["name"] == "Ana Ruiz"
    assert data["_meta"]["1"]["schema"] == 2
    assert os.listdir(tmp_path) == []
    assert tables == before  # and the tables it was given are as they were


def test_a_newer_file_is_refused_and_left_alone(db_path: Path, schema_two: None) -> None:
    raw = write_old(db_path, version=3)
    for create in (False, True):
        with pytest.raises(BadFile, match="newer meetup-tui \\(schema 3, this one knows 2\\)"):
            Database.open(db_path, user="t", create=create)
    assert db_path.read_bytes() == raw
    assert not backups.backup_folder(db_path).exists()


def test_an_old_conflicted_copy_is_migrated_before_it_is_merged(db_path: Path, schema_two: None) -> None:
    write_old(db_path)
    copy_path = db_path.with_name("meetup (1).json")
    shutil.copy2(db_path, copy_path)  # the other machine still runs the old version...
    old = json.loads(copy_path.read_text())
    old["people"]["3"] = {"id": "p-dee", "full_name": "Dee Old", "updated_at": "2026-10-02T09:00:00Z"}
    copy_path.write_text(json.dumps(old))
    db = Database.open(db_path, user="new@shop")  # ...this one migrates
    (report,) = merge_copies(db)
    assert report.merged == 1 and not report.problem
    people = {doc["id"]: doc for doc in json.loads(db_path.read_text())["people"].values()}
    assert people["p-dee"]["name"] == "Dee Old" and "full_name" not in people["p-dee"]
