"""One open database and the protocol by which every change reaches the file.

The book is loaded once and kept in memory.  Each write (`sync`) takes the advisory
lock, re-reads the file by path only if it changed since we last read or wrote it,
merges record by record and field by field (domain/versions.py: no common ancestor is
needed, so an older copy put back can never undo a newer edit), backs up when due,
writes atomically and remembers what it wrote.  `reload` brings in what others wrote
without writing.  Nothing here imports Textual; the app calls `sync` from a worker thread.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from meetup_tui.domain.book import Book
from meetup_tui.domain.collector import collector_paused
from meetup_tui.domain.merge import incoming_changes
from meetup_tui.domain.records import Record, utc_now_iso
from meetup_tui.domain.versions import edit, fields_of
from meetup_tui.store import backups, jsonfile, schema
from meetup_tui.store.jsonfile import BadFile, MissingFile, StoreError
from meetup_tui.store.lock import locked
from meetup_tui.store.schema import SCHEMA

BACKUP_EVERY = backups.EVERY.total_seconds()  # no backup sooner than this after this process's last

__all__ = ["Database", "StoreError", "MissingFile", "BadFile", "ReadOnly", "SCHEMA"]


class ReadOnly(StoreError):
    pass


class Signature:
    """What we last read or wrote: cheap stat fields, and a hash of the bytes to settle doubts.

    The hash is worked out only when a doubt comes up (the file's stat changed): a command
    that reads the file and ends never pays for it."""

    __slots__ = ("ino", "size", "mtime_ns", "_raw", "_digest")

    def __init__(self, ino: int, size: int, mtime_ns: int, raw: bytes) -> None:
        self.ino, self.size, self.mtime_ns = ino, size, mtime_ns
        self._raw: bytes | None = raw
        self._digest = ""

    @property
    def digest(self) -> str:
        if self._raw is not None:
            self._digest, self._raw = _digest(self._raw), None
        return self._digest

    def same_stat(self, info: os.stat_result) -> bool:
        return (self.ino, self.size, self.mtime_ns) == (info.st_ino, info.st_size, info.st_mtime_ns)


def _digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def _stat(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except FileNotFoundError:
        return None


def _signature(info: os.stat_result | None, raw: bytes) -> Signature:
    """The signature of `raw`, read after `info` was taken (never before: see `_load`).

    Another writer may replace the file between the stat and the read; then the stat is
    older than the bytes and the next check merely re-reads.  The other order would pair
    old bytes with the new file's stat and miss that writer's changes for good.
    """
    if info is None:  # the file appeared between the stat and the read: match nothing
        return Signature(-1, -1, -1, raw)
    return Signature(info.st_ino, info.st_size, info.st_mtime_ns, raw)


def _load(
    path: Path, info: os.stat_result | None = None, raw: bytes | None = None
) -> tuple[Book, dict[str, Any], bytes, int, Signature]:
    """Book, meta, raw bytes, the schema the file was at, and its signature (of `raw`, read
    after `info` was taken, when the caller already has them).

    BadFile names a good backup.
    """
    if raw is None:
        info = _stat(path)  # before reading
    try:
        if raw is None:
            raw = jsonfile.read_bytes(path)
        with collector_paused():  # ~100k new objects, none garbage: no full collection mid-way
            data = jsonfile.parse(path, raw)
            data, found = schema.migrate(path, data)
            book, meta = schema.decode(path, data)
    except BadFile as exc:
        good = backups.newest_good_backup(path)
        hint = f" The newest good backup is {good}." if good else " No good backup was found."
        raise BadFile(str(exc) + hint, backup=good) from None
    return book, meta, raw, found, _signature(info, raw)


def writable_problem(path: Path) -> str | None:
    """Why this file cannot be written (read-only file or folder), or None."""
    if path.exists() and not os.access(path, os.W_OK):
        return f"{path} is read-only"
    if not os.access(path.parent, os.W_OK | os.X_OK):
        return f"the folder {path.parent} is read-only"
    return None


class Database:
    def __init__(
        self, path: Path, book: Book, meta: dict[str, Any], user: str, signature: Signature | None
    ) -> None:
        self.path = path
        self.book = book
        self.meta = meta
        self.user = user
        self.signature = signature
        self._bad: tuple[Signature, BadFile] | None = None  # the file last seen bad, and why
        self.read_only: str | None = writable_problem(path)
        self._dirty: dict[str, Record] = {}  # changed here, not yet on disk
        self._last_backup: float | None = None
        self._cleared = False  # temp files of killed writers removed (once a session)
        self._lock = threading.Lock()  # guards book and dirty
        self._write_lock = threading.Lock()  # one sync or reload at a time

    @classmethod
    def open(cls, path: Path, *, user: str, create: bool = False) -> Database:
        """Load the file.  With `create`, a missing file becomes a new, empty, private database.

        A symbolic link is followed: the file, its lock, backups and copies are the target's."""
        path = jsonfile.real_path(path)
        try:
            book, meta, raw, found, signature = _load(path)
        except MissingFile:
            if not create:
                raise
            _make_folder(path.parent)
            db = cls(path, Book(), schema.new_meta(), user, None)
            db.sync(force=True)
            return db
        db = cls(path, book, meta, user, signature)
        if found < schema.SCHEMA and not db.read_only:
            with locked(path):  # writers' temp files are only ever cleared under the lock
                backups.make_backup(path, raw)  # the old file, before the first write migrates it
            db._last_backup = time.monotonic()
        return db

    # -- changes in memory -----------------------------------------------------------------

    def stamp(self, record: Record, *, seen: Record | None = None, **changes: Any) -> Record:
        """`record` with `changes` made now by this user: each changed field gets its version.

        A record the book does not hold yet is new: all of it is this user's, now.  For one it
        holds, the changes are `changes` plus every field in which `record` differs from the
        book's version (so a caller may pass a `replace`d copy); they are made on the book's
        version, so what others changed meanwhile stays.  `seen` is the version the person
        was shown (a dialog opened a while ago): a list is changed by what they added to or
        removed from that, so an element someone else added meanwhile stays.
        """
        held = self.book.table(type(record)).get(record.id)
        # Later than the version it replaces, even if that came from a clock running ahead.
        stamp = utc_now_iso(after=max(record.updated_at, held.updated_at if held else ""))
        if held is None:
            made_by = record.created_by or self.user
            return replace(
                record, updated_at=stamp, updated_by=self.user, created_by=made_by, versions={}, **changes
            )
        if record is not held:
            mine, theirs = fields_of(record), fields_of(held)
            changes = {k: v for k, v in mine.items() if theirs[k] != v} | changes
        return edit(held, changes, stamp, self.user, seen=seen)

    def apply(self, *records: Record) -> None:
        """Put records into the in-memory book (the screen shows them at once)."""
        with self._lock:
            for record in records:
                self.book.put(record)
                self._dirty[record.id] = record

    @property
    def pending(self) -> int:
        """How many changed records are not on disk yet."""
        return len(self._dirty)

    # -- the file ----------------------------------------------------------------------------

    def commit(self, *records: Record) -> list[Record]:
        """Apply and write: the change is acknowledged when this returns.  Returns what came in."""
        self.apply(*records)
        return self.sync()

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

    def save(self) -> list[Record]:
        return self.sync()

    def changed_on_disk(self) -> bool:
        """Did someone else write (or a sync client replace) the file since we read or wrote it?"""
        try:
            info = self.path.stat()
        except FileNotFoundError:
            return self.signature is not None
        return self.signature is None or not self.signature.same_stat(info)

    def commit_checked(self, decide: Callable[[Book], Sequence[Record]]) -> list[Record]:
        """Write what `decide` returns, deciding it under the lock on the book as merged with
        the file, so no other writer can slip in between the check and the write (two racing
        `add Dup` give one person).  `decide` raises to write nothing; returns its records."""
        chosen: list[Record] = []

        def prepare() -> None:
            chosen.extend(self.stamp(record) for record in decide(self.book))
            self.apply(*chosen)

        self.sync(prepare=prepare)
        return chosen

    def sync(self, *, force: bool = False, prepare: Callable[[], None] | None = None) -> list[Record]:
        """Lock, merge in what changed on disk, back up when due, write, unlock.

        Returns the records that came in from the file.  Raises StoreError (the change
        stays in memory, still pending) if the file cannot be written.  `prepare` runs under
        the lock, after the merge, before the write.
        """
        if self.read_only:
            raise ReadOnly(f"{self.read_only}; changes cannot be saved.")
        with self._write_lock, locked(self.path):
            if not self._cleared:
                _clear_leftovers(self.path)
                self._cleared = True
            incoming, raw = self._merge_from_disk()
            if prepare is not None:
                prepare()
            if not (force or self._dirty or incoming or raw is None):
                return incoming
            self._backup_if_due(raw)
            with self._lock:
                written = dict(self._dirty)
                with collector_paused():
                    payload = jsonfile.encode(schema.encode(self.book, self.meta))
            written_stat = jsonfile.write_atomic(self.path, payload)
            with self._lock:
                self.signature = _signature(written_stat, payload)
                for key, record in written.items():
                    if self._dirty.get(key) is record:
                        del self._dirty[key]
            return incoming

    def reload(self) -> list[Record]:
        """Bring in what changed on disk, without writing; returns what came in.

        Writers replace the file by rename, so reading by path always sees a whole file.
        Records we hold that the file lacks (a sync client put back an older copy) stay
        pending, for the next `sync` to write.
        """
        with self._write_lock:
            incoming, _raw = self._merge_from_disk()
            return incoming

    def merge_in(self, other: Book) -> list[Record]:
        """Merge another copy's records (a conflicted copy) and write the result."""
        with self._lock:
            changes = incoming_changes(self.book, other)
            self.book.extra_tables = {**other.extra_tables, **self.book.extra_tables}
        self.apply(*changes)
        self.sync()
        return changes

    def _merge_from_disk(self) -> tuple[list[Record], bytes | None]:
        """Merge the file into memory if it changed; (records that came in, the file's bytes)."""
        if not self.changed_on_disk():
            return [], b""
        info = _stat(self.path)  # before reading (see _signature)
        if info is not None and self._bad is not None and self._bad[0].same_stat(info):
            raise self._bad[1]  # the same bad file as at the last look: not read again
        try:
            raw = jsonfile.read_bytes(self.path)
        except MissingFile:
            return [], None  # deleted or moved away: our next write puts it back
        if self.signature and _digest(raw) == self.signature.digest:
            self.signature = _signature(info, raw)  # touched or copied back, not changed
            return [], raw
        try:
            theirs, meta, raw, _found, signature = _load(self.path, info, raw)
        except BadFile as bad:
            # The app looks every second: a bad file (and the backups searched for a good
            # one) is read again only once it changes.
            self._bad = (_signature(info, raw), bad) if info is not None else None
            raise
        self._bad = None
        if self.signature is None:
            # We never had a file: another process created it first (both ran `create`).
            # Its database is the one; our fresh id was never written anywhere.
            self.meta = meta
        elif meta.get("database_id") not in (None, self.meta.get("database_id")):
            raise StoreError(
                f"{self.path} now holds a different database (another file was put in its place); "
                "nothing was written."
            )
        with self._lock:
            incoming = incoming_changes(self.book, theirs)
            for record in incoming:
                self.book.put(record)
            self.book.extra_tables = {**self.book.extra_tables, **theirs.extra_tables}
            self.book.problems = theirs.problems
            # What the file lacks or has older (a sync client put back an older copy): ours
            # to write again.
            outgoing = incoming_changes(theirs, self.book)
            for record in outgoing:
                self._dirty.setdefault(record.id, self.book.table(type(record))[record.id])
            self.signature = signature
        return incoming, raw

    def _backup_if_due(self, raw: bytes | None) -> None:
        """Back up when the newest backup in the folder, any process's or machine's, is 10
        minutes old or there is none (`backups.due`, run under the lock, so two processes
        never both back up).  A backup this process made lately spares even the listing."""
        now = time.monotonic()
        if self._last_backup is not None and now - self._last_backup < BACKUP_EVERY:
            return
        if not backups.due(self.path):
            return
        if raw == b"":  # unchanged since we read it: read the bytes now
            try:
                raw = self.path.read_bytes()
            except FileNotFoundError:
                raw = None
        if raw:
            backups.make_backup(self.path, raw)
        self._last_backup = now


def _clear_leftovers(path: Path) -> None:
    """Remove temp files that writers killed mid-write left (of the file and its backups).

    Only a writer holding the lock writes them, so under the lock any that exist are debris.
    """
    places = [(path.parent, f".~{path.name}.*.tmp"), (backups.backup_folder(path), f".~{path.stem}.*.tmp")]
    for folder, pattern in places:
        try:
            for temp in folder.glob(pattern):
                temp.unlink(missing_ok=True)
        except OSError:
            pass  # cannot list or remove: leftovers are harmless, only untidy


def _make_folder(folder: Path) -> None:
    if folder.is_dir():
        return
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise StoreError(f"Cannot create the folder {folder}: {exc.strerror}.") from None
