"""One open database: loaded once into a Book, kept in memory, written on every change.

`commit()` is the one door through which changes reach the disk; the locking, merging
and reloading of the storage protocol belong behind it.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

from meetup_tui.domain.book import Book
from meetup_tui.domain.records import TABLES, Record, utc_now_iso
from meetup_tui.store import jsonfile
from meetup_tui.store.jsonfile import BadFile, MissingFile, StoreError

SCHEMA = 1
META = "_meta"

__all__ = ["Database", "StoreError", "MissingFile", "BadFile", "SCHEMA"]


def _book_from(path: Path, data: dict[str, Any]) -> tuple[Book, dict[str, Any]]:
    meta_doc = data.get(META, {}).get("1", {})
    if not isinstance(meta_doc, dict):
        raise BadFile(f"{path}: the {META} table's document 1 is not an object.")
    meta = dict(meta_doc)
    schema = meta.get("schema", SCHEMA)
    if not isinstance(schema, int) or schema > SCHEMA:
        raise BadFile(
            f"{path} was written by a newer meetup-tui (schema {schema}, this one knows {SCHEMA}); "
            "upgrade meetup-tui to open it."
        )
    book = Book()
    for table, kind in TABLES.items():
        for key, doc in data.get(table, {}).items():
            if not isinstance(doc, dict) or not isinstance(doc.get("id"), str) or not doc["id"]:
                raise BadFile(f"{path}: record {key} in table {table!r} has no id.")
            try:
                book.put(kind.from_doc(doc))
            except (TypeError, ValueError) as exc:
                raise BadFile(f"{path}: record {key} in table {table!r} is malformed ({exc}).") from None
    return book, meta


class Database:
    def __init__(self, path: Path, book: Book, meta: dict[str, Any], user: str) -> None:
        self.path = path
        self.book = book
        self.meta = meta
        self.user = user
        self._lock = threading.Lock()  # guards the book while it is read or changed
        self._write_lock = threading.Lock()  # one write at a time, newest state last

    @classmethod
    def open(cls, path: Path, *, user: str, create: bool = False) -> Database:
        """Load the file.  With `create`, a missing file becomes a new, empty, private database."""
        try:
            data, _raw = jsonfile.read(path)
        except MissingFile:
            if not create:
                raise
            if not path.parent.is_dir():
                try:
                    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                except OSError as exc:
                    raise StoreError(f"Cannot create the folder {path.parent}: {exc.strerror}.") from None
            meta = {"schema": SCHEMA, "database_id": str(uuid.uuid4()), "created_at": utc_now_iso()}
            db = cls(path, Book(), meta, user)
            db.save()
            return db
        book, meta = _book_from(path, data)
        meta.setdefault("schema", SCHEMA)
        meta.setdefault("database_id", str(uuid.uuid4()))
        return cls(path, book, meta, user)

    # -- changes ------------------------------------------------------------------------

    def stamp(self, record: Record, **changes: Any) -> Record:
        """`record` with `changes` applied and marked as changed now by this user."""
        return replace(record, updated_at=utc_now_iso(), updated_by=self.user, **changes)

    def apply(self, *records: Record) -> None:
        """Put records into the in-memory book (the screen shows them at once)."""
        with self._lock:
            for record in records:
                self.book.put(record)

    def commit(self, *records: Record) -> None:
        """Apply and write to disk: the change is acknowledged when this returns."""
        self.apply(*records)
        self.save()

    def add(self, record: Record) -> Record:
        stamped = self.stamp(record)
        self.commit(stamped)
        return stamped

    def change(self, record: Record, **changes: Any) -> Record:
        stamped = self.stamp(record, **changes)
        self.commit(stamped)
        return stamped

    def delete(self, record: Record) -> Record:
        """Leave a tombstone, so a merge with an older copy cannot bring the record back."""
        return self.change(record, deleted=True)

    def restore(self, record: Record) -> Record:
        return self.change(record, deleted=False)

    # -- the file -------------------------------------------------------------------------

    def to_tables(self) -> dict[str, Any]:
        with self._lock:
            tables: dict[str, Any] = {META: {"1": dict(self.meta)}}
            for table, kind in TABLES.items():
                records = self.book.table(kind).values()
                tables[table] = {str(n): r.to_doc() for n, r in enumerate(records, start=1)}
        return tables

    def save(self) -> None:
        """Write the whole book; safe to call from worker threads."""
        with self._write_lock:
            jsonfile.write_atomic(self.path, jsonfile.encode(self.to_tables()))
