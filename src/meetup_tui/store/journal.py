"""What this machine acknowledged, it remembers: every record version written here is kept
in a journal outside the synced folder and merged back whenever the file is opened or changes.

A sync client may rename the file into a conflicted copy (and later delete that copy, or
write another copy over it), or put an older copy in its place.  Whatever it does, each
record version a command or the app wrote on this machine was appended to this journal and
flushed to disk before the file was written, and is merged into the book again on this
machine's next command or the app's next look at the file.  Merging goes by field versions
(domain/versions.py): taking in what the file already holds changes nothing, so the journal
may be read any number of times, in any order with anything else.

The journal of `/x/meetup.json` is `<folder>/<hash of that path>.jsonl`, one JSON object per
line: `{"db": the database id, "table": "people", "at": when journaled, "doc": the record}`.
Beside it, `<hash>.seen` names the file (the hash of its bytes, and of its archives') that
was found to hold every record of the journal as it then was (its inode and size): while
both are unchanged there is nothing to take in, and a command opened from the file's summary
(store/summaries.py, which hashes the file anyway) need not read the log to know it.

It stays small: past MAX_BYTES, or once its first line is older than KEEP, it is rewritten
with one line per record, and a record the file was seen to hold is left out when it is older
than KEEP (or, while the journal is still too big, oldest first).  A record the file does not
hold is never left out.

The folder is the user's data folder (platformdirs), which no one syncs; MEETUP_TUI_JOURNAL
names another (tests, or a second "machine" on one computer).  Nothing here raises for a
journal that cannot be read or written but `append`; the Database then writes the file all
the same (the file is the book; the journal a second safety) and says so.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

from meetup_tui.domain.book import Book
from meetup_tui.domain.records import TABLES, Record
from meetup_tui.domain.versions import merge_records
from meetup_tui.store.jsonfile import StoreError

JOURNAL_ENV = "MEETUP_TUI_JOURNAL"
KEEP = timedelta(days=14)  # a record the file holds stays this long (a copy put back later)
MAX_BYTES = 8 * 1024 * 1024  # past this, compacted; what the file lacks stays whatever the size
_TABLE_OF = {kind: table for table, kind in TABLES.items()}

# The files a journal's `.seen` names: the SHA-256 of the main file's bytes, and the name
# and SHA-256 of each archive file beside it (as a summary's key names them).
FileKey = tuple[str, tuple[tuple[str, str], ...]]


def journal_folder() -> Path:
    chosen = os.environ.get(JOURNAL_ENV)
    if chosen:
        return Path(chosen).expanduser()
    from platformdirs import user_data_path

    return user_data_path("meetup-tui", appauthor=False) / "journal"


class Journal:
    """The journal of one database file, as this process has read it so far."""

    def __init__(self, db_path: Path) -> None:
        name = hashlib.sha256(os.fsencode(db_path)).hexdigest()[:32]
        folder = journal_folder()
        self.path = folder / f"{name}.jsonl"
        self.seen_path = folder / f"{name}.seen"
        self._inode: int | None = None  # of the journal file read through `_offset`
        self._offset = 0
        self.enabled = True  # off while a sample book is written whole (the demo)

    # -- reading ---------------------------------------------------------------------------

    def take_new(self, database_id: str) -> list[Record]:
        """The records of `database_id` journaled since this process last read (all of them
        the first time, or after the journal was compacted).  Unreadable lines are skipped."""
        try:
            with self._open(os.O_RDONLY, fcntl.LOCK_SH) as (fd, info):
                if info.st_ino != self._inode or info.st_size < self._offset:
                    self._inode, self._offset = info.st_ino, 0
                if info.st_size == self._offset:
                    return []
                raw = os.pread(fd, info.st_size - self._offset, self._offset)
        except OSError:
            return []
        whole = raw[: raw.rfind(b"\n") + 1]  # a line cut short (a crash) waits: it was never acknowledged
        self._offset += len(whole)
        return list(_records(whole, database_id))

    def up_to_date(self, key: FileKey | None) -> bool:
        """Whether the file with `key` was seen to hold every record journaled so far."""
        if key is None:
            return False
        try:
            seen = orjson.loads(self.seen_path.read_bytes())
            info = self.path.stat()
        except FileNotFoundError:
            return not self.path.exists()  # nothing journaled: nothing to take in
        except (OSError, orjson.JSONDecodeError):
            return False
        if seen != _seen_doc(key, info.st_ino, info.st_size):
            return False
        if self._inode is None:  # all of it is in the file: as good as read
            self._inode, self._offset = info.st_ino, info.st_size
        return True

    # -- writing ---------------------------------------------------------------------------

    def append(self, database_id: str, records: Iterable[Record]) -> None:
        """Journal `records` (flushed to disk) before the file is written.  StoreError if they
        cannot be."""
        now = _now()
        lines = b"".join(_line(database_id, now, record) for record in records) if self.enabled else b""
        if not lines:
            return
        try:
            _make_folder(self.path.parent)
            with self._open(os.O_WRONLY | os.O_APPEND | os.O_CREAT, fcntl.LOCK_EX) as (fd, info):
                if info.st_size == 0 or (info.st_ino == self._inode and info.st_size == self._offset):
                    # Nothing in it this process has not read: after ours, it has read it all.
                    self._inode, self._offset = info.st_ino, info.st_size + len(lines)
                _write_all(fd, lines)
                os.fsync(fd)
        except OSError as exc:
            raise StoreError(
                f"Cannot write this machine's journal {self.path} ({exc.strerror or exc})."
            ) from None

    def confirm(self, key: FileKey | None) -> None:
        """The file with `key` holds every record journaled up to what this process has read."""
        if key is None or self._inode is None:
            return
        try:
            info = self.path.stat()
            if (info.st_ino, info.st_size) != (self._inode, self._offset):
                return  # lines this process has not read: they may not be in the file
            _write_private(self.seen_path, orjson.dumps(_seen_doc(key, info.st_ino, info.st_size)))
        except OSError:
            return

    def compact(self, book: Book, database_id: str, key: FileKey | None) -> None:
        """Rewrite the journal smaller when it is due (see the module's docstring); `book` is
        the whole book as the file holds it, with the journal taken in (`key`: that file)."""
        try:
            with self._open(os.O_RDONLY, fcntl.LOCK_EX) as (fd, info):
                old = _now_dt() - KEEP
                first = os.pread(fd, 256, 0)  # `at` is near the start of each line
                if info.st_size <= MAX_BYTES and not _older(_first_at(first), old):
                    return
                raw = os.pread(fd, info.st_size, 0)
                body = b"".join(_compacted(raw, book, database_id, old))
                temp = self.path.with_name(f".~{self.path.name}.{os.getpid()}.tmp")
                _write_private(temp, body, rename_to=self.path)
                if info.st_ino == self._inode:
                    self._inode, self._offset = self.path.stat().st_ino, len(body)
        except OSError:
            return
        self.confirm(key)

    @contextmanager
    def _open(self, flags: int, how: int) -> Iterator[tuple[int, os.stat_result]]:
        """The journal file, locked `how`; the stat is of the file that is locked and still in
        place (one compacted meanwhile is opened again)."""
        while True:
            fd = os.open(self.path, flags | os.O_CLOEXEC, 0o600)
            try:
                fcntl.flock(fd, how)
                info = os.fstat(fd)
                try:
                    now = self.path.stat()
                except FileNotFoundError:
                    now = None
                if now is None or now.st_ino != info.st_ino:
                    continue  # replaced between the open and the lock: open the new one
                yield fd, info
                return
            finally:
                os.close(fd)


def _seen_doc(key: FileKey, inode: int, size: int) -> list[Any]:
    main, found = key
    return [main, [list(a) for a in found], inode, size]


def _records(raw: bytes, database_id: str) -> Iterator[Record]:
    """The record of each line of `raw` that is a record of `database_id`."""
    for line in raw.splitlines():
        entry = _entry(line)
        if entry is not None and entry[0] == database_id:
            yield entry[2]


def _entry(line: bytes) -> tuple[str, str, Record] | None:
    """(database id, when journaled, record) of a line; None for one this version cannot read."""
    try:
        try:
            entry = orjson.loads(line)
        except orjson.JSONDecodeError:
            entry = json.loads(line)  # escapes only json reads (see `_line`)
        return str(entry["db"]), str(entry.get("at", "")), TABLES[entry["table"]].from_doc(entry["doc"])
    except (KeyError, TypeError, ValueError, AttributeError, RecursionError):
        return None  # never fatal: a journal only ever adds safety


def _line(database_id: str, at: str, record: Record) -> bytes:
    doc = {"db": database_id, "table": _TABLE_OF[type(record)], "at": at, "doc": record.stored()}
    try:
        return orjson.dumps(doc) + b"\n"
    except orjson.JSONEncodeError:  # a lone surrogate, from a file that held one: escaped, as the file does
        return json.dumps(doc, ensure_ascii=True).encode("ascii") + b"\n"


def _compacted(raw: bytes, book: Book, database_id: str, old: datetime) -> list[bytes]:
    """The journal `raw`, one line per record of `database_id` (its versions merged, dated by
    the newest), oldest first, without those `book` holds that are older than `old`, then,
    while still big, without the oldest `book` holds.  Another database's lines (the file
    was replaced by another) stay until they are older than `old`."""
    merged: dict[str, tuple[str, Record]] = {}
    others: list[bytes] = []
    for line in raw.splitlines():
        entry = _entry(line)
        if entry is None:
            continue
        db, at, record = entry
        if db != database_id:
            if not _older(at, old):
                others.append(line + b"\n")
            continue
        held = merged.get(record.id)
        merged[record.id] = (
            (at, record) if held is None else (max(at, held[0]), merge_records(held[1], record))
        )
    lines: list[tuple[bool, bytes]] = []
    for at, record in sorted(merged.values(), key=lambda pair: pair[0]):
        there = book.table(type(record)).get(record.id)
        held = there is not None and merge_records(there, record) == there
        if held and _older(at, old):
            continue
        lines.append((held, _line(database_id, at, record)))
    size = sum(len(line) for _held, line in lines)
    out = others
    for held, line in lines:
        if held and size > MAX_BYTES // 2:
            size -= len(line)
            continue
        out.append(line)
    return out


def _first_at(start: bytes) -> str:
    """When the first line of the journal was journaled, from its first bytes ("" if unknown)."""
    marker = start.find(b'"at":"')
    return start[marker + 6 : marker + 31].split(b'"')[0].decode("ascii", "replace") if marker >= 0 else ""


def _older(at: str, than: datetime) -> bool:
    if not at:
        return False
    try:
        return datetime.fromisoformat(at) < than
    except ValueError:
        return True


def _now_dt() -> datetime:
    return datetime.now(UTC)


def _now() -> str:
    return _now_dt().isoformat(timespec="seconds")


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _write_private(path: Path, data: bytes, *, rename_to: Path | None = None) -> None:
    """Write `data` to `path` (private to the user), whole: through a temporary file renamed
    to `rename_to` (or to `path`)."""
    target = rename_to or path
    temp = path if rename_to is not None else path.with_name(f".~{path.name}.{os.getpid()}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
    try:
        _write_all(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(temp, target)


def _make_folder(folder: Path) -> None:
    if not folder.is_dir():
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
