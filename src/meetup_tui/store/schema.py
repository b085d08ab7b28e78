"""The file's shape: tables in TinyDB's layout, the `_meta` table, and forward migrations.

`decode` turns parsed JSON into a Book (refusing, with a sentence, anything of the wrong
shape); `encode` turns a Book back into tables.  A file written by an older version is
brought forward by pure functions in MIGRATIONS, one schema step at a time.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from meetup_tui.domain.book import Book
from meetup_tui.domain.merge import newer
from meetup_tui.domain.records import TABLES, utc_now_iso
from meetup_tui.store.jsonfile import BadFile

SCHEMA = 1
META = "_meta"

Tables = dict[str, Any]
# MIGRATIONS[n] turns a schema-n file's tables into schema n+1's.  Pure: no I/O, no clock.
MIGRATIONS: dict[int, Callable[[Tables], Tables]] = {}

# Fields whose text must read as a date or a moment, and fields that must be lists / ints.
_MOMENTS = {"interactions": ("at",), "posts": ("at",)}
_DAYS = {"people": ("snoozed_until",), "interactions": ("follow_up",)}
_LISTS = {
    "people": ("phones", "emails", "tags"),
    "segments": ("include", "exclude"),
    "interactions": ("people",),
}
_INTS = {"people": ("influence",), "posts": ("likes", "comments")}


def new_meta() -> dict[str, Any]:
    return {"schema": SCHEMA, "database_id": str(uuid.uuid4()), "created_at": utc_now_iso()}


def meta_of(path: Path, data: Tables) -> dict[str, Any]:
    meta_doc = data.get(META, {}).get("1", {})
    if not isinstance(meta_doc, dict):
        raise BadFile(f"{path}: the {META} table's document 1 is not an object.")
    return dict(meta_doc)


def schema_of(path: Path, data: Tables) -> int:
    schema = meta_of(path, data).get("schema", SCHEMA)
    if not isinstance(schema, int) or isinstance(schema, bool) or schema < 1:
        raise BadFile(f"{path}: the schema version {schema!r} is not a positive whole number.")
    if schema > SCHEMA:
        raise BadFile(
            f"{path} was written by a newer meetup-tui (schema {schema}, this one knows {SCHEMA}); "
            "upgrade meetup-tui to open it."
        )
    return schema


def migrate(path: Path, data: Tables) -> tuple[Tables, int]:
    """The tables at the current schema, and the schema they were at."""
    found = schema_of(path, data)
    for version in range(found, SCHEMA):
        data = MIGRATIONS[version](data)
        data.setdefault(META, {}).setdefault("1", {})["schema"] = version + 1
    return data, found


def _dated(table: str) -> tuple[tuple[str, Callable[[str], object]], ...]:
    """The fields of `table` that hold a moment or a day, each with what reads it."""
    moments = ((n, datetime.fromisoformat) for n in _MOMENTS.get(table, ()))
    days = ((n, date.fromisoformat) for n in _DAYS.get(table, ()))
    return (*moments, *days)


_DATED = {table: _dated(table) for table in TABLES}


def _check(path: Path, table: str, key: str, doc: dict[str, Any]) -> None:
    def where() -> str:  # made only for an error: this runs for every record of the file
        return f"{path}: record {key} in table {table!r}"

    if not isinstance(doc.get("id"), str) or not doc["id"]:
        raise BadFile(f"{where()} has no id.")
    for name in _LISTS.get(table, ()):
        if name in doc and not isinstance(doc[name], list):
            raise BadFile(f"{where()} has {name!r} that is not a list.")
    for name in _INTS.get(table, ()):
        if name in doc and (not isinstance(doc[name], int) or isinstance(doc[name], bool)):
            raise BadFile(f"{where()} has {name!r} that is not a whole number.")
    for name, parse in _DATED.get(table, ()):
        value = doc.get(name)
        if value is None:
            continue
        try:
            parse(value)
        except (TypeError, ValueError):
            raise BadFile(f"{where()} has {name!r} = {value!r}, which is not a date.") from None


def decode(path: Path, data: Tables) -> tuple[Book, dict[str, Any]]:
    """A Book and the meta document from tables at the current schema."""
    meta = meta_of(path, data)
    book = Book()
    for table, kind in TABLES.items():
        documents = data.get(table, {})
        for key, doc in documents.items():
            if not isinstance(doc, dict):
                raise BadFile(f"{path}: record {key} in table {table!r} is not an object.")
            _check(path, table, key, doc)
            try:
                record = kind.from_doc(doc)
            except (TypeError, ValueError) as exc:
                raise BadFile(f"{path}: record {key} in table {table!r} is malformed ({exc}).") from None
            seen = book.table(kind).get(record.id)
            book.put(newer(seen, record) if seen else record)  # an id twice: the newer version
    meta.setdefault("schema", SCHEMA)
    meta.setdefault("database_id", str(uuid.uuid4()))
    return book, meta


def encode(book: Book, meta: dict[str, Any]) -> Tables:
    tables: Tables = {META: {"1": dict(meta, schema=SCHEMA)}}
    for table, kind in TABLES.items():
        records = book.table(kind).values()
        tables[table] = {str(n): r.to_doc() for n, r in enumerate(records, start=1)}
    return tables
