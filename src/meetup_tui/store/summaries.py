"""Summaries kept between runs, so `today`, `people` and `instead` need not read the log.

A summary (domain/summary.py) is what those commands read of a book: its people, segments
and posts, and of the log only each person's few entries that ranking looks at.  One is
kept per database file, in the user's cache folder -- never beside the file, so it is
neither synced nor shared -- as `marshal` data (plain values only; reading it runs
nothing), private to the user.

A summary is used only for the very bytes it was made from: the file's SHA-256 and that of
every archive file beside it (`meetup-2024.json`) must be the ones it names, and the same
Python and meetup-tui must read it; it carries the SHA-256 of its head and of its body, and
each must hold; the database id it names must be the one in the file's first lines.  Anything
else -- a changed file, a new archive, a summary damaged in any byte, a foreign one -- and
the file is read as always, and the summary made again.  So a summary can be missing or
old, never wrong; deleting the folder loses nothing.  (Where the log ends, which `log`
writes at, is checked against the file's bytes again before any write: store/database.py.)
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import struct
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import orjson

from meetup_tui import domain, store
from meetup_tui.domain.book import Book
from meetup_tui.domain.records import Interaction, Record
from meetup_tui.domain.summary import summarize
from meetup_tui.store import archives, jsonfile
from meetup_tui.store.database import Database
from meetup_tui.store.jsonfile import StoreError
from meetup_tui.store.schema import SCHEMA

FORMAT = 4  # bump when what a summary holds, or how, changes
CACHE_ENV = "MEETUP_TUI_CACHE"  # a folder for the summaries; set but empty: keep none


def cache_folder() -> Path | None:
    """Where summaries are kept, or None when they are turned off."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen is not None:
        return Path(chosen).expanduser() if chosen.strip() else None
    from platformdirs import user_cache_path

    return user_cache_path("meetup-tui", appauthor=False) / "summaries"


def read_book(path: Path, *, user: str) -> Book:
    """The book of the file at `path`, for commands that only read it."""
    return open_database(path, user=user).book


def open_database(path: Path, *, user: str, create: bool = False, keep: bool = True) -> Database:
    """`_open`, remembering what this machine acknowledged (`Database.remember`)."""
    db = _open(path, user=user, create=create, keep=keep)
    db.remember()
    return db


def _open(path: Path, *, user: str, create: bool, keep: bool) -> Database:
    """The database at `path`: opened from its summary when one was made from these very
    bytes (its book reads the rest of itself when first needed), else opened whole, and its
    summary kept for the next time (unless not `keep`: the app keeps it when it closes,
    `keep_after_writes`).  Errors, and `create`, are those of `Database.open`: a missing or
    broken file is said the same way."""
    folder = cache_folder()
    path = jsonfile.real_path(path)
    if folder is None:
        return Database.open(path, user=user, create=create)
    try:
        info = path.stat()  # before reading (see database._signature)
        raw = jsonfile.read_bytes(path)
    except (OSError, StoreError):
        return Database.open(path, user=user, create=create)  # says what is wrong, or creates
    where = _where(folder, path)
    digest = hashlib.sha256(raw).hexdigest()
    key = _key(path, digest)
    db = _from_kept(where, key, path, user, (info, raw))
    if db is not None:
        return db
    db = Database.open(path, user=user, read=(info, raw), find_end=keep, digest=digest)
    db.remember()
    if not db.pending:  # the journal is in these bytes: said in the terms the summary's key uses
        db.journal.confirm((digest, key[4]))
    if keep and _settled(db):
        _keep(where, key, db)
    return db


def _settled(db: Database) -> bool:
    """Whether the book is what the file says, as it says it: nothing read from it was
    settled on reading (an id twice, a record a script inserted, an older schema), no
    archive is missing and this machine's journal gave back nothing the file lacks.  Only
    then is a summary made of it."""
    book = db.book
    return not (book.problems or book.adopted or db.notices or db.pending) and db.schema_found == SCHEMA


def log_entry(db: Database, decide: Callable[[Book], Sequence[Record]]) -> list[Record]:
    """`db.append_checked(decide)` (a call logged from the command line), then the summary
    of the book kept (`keep_after_writes`); on the fast way the summary is made while the
    file is written, not after: it is work for the processor, the write for the disk."""
    made: list[bytes] = []

    def meanwhile() -> None:
        if cache_folder() is not None:
            try:
                made.append(marshal.dumps(summarize(db.book)))
            except Exception:  # noqa: BLE001  # a value marshal cannot write: made again after, or none kept
                return

    chosen = db.append_checked(decide, meanwhile=meanwhile)
    keep_after_writes(db, made[0] if made else None)
    return chosen


def keep_after_writes(db: Database, body: bytes | None = None) -> None:
    """After writing: keep the summary of the book `db` holds, which is the file's once
    nothing is pending and the file (and its archives) are still as it last wrote them; so
    the next start, or `today`, after a day of changes is fast too.  The app does this when
    it closes, `log` after adding its entry to a book opened from a summary.  Nothing is
    kept if anyone wrote since, or if nothing was written to a book opened from a summary
    (that summary is the file's).  A summary kept for other bytes than the file's is never
    used: the file's hash is its key.  `body` is the book's summary already dumped."""
    folder = cache_folder()
    if folder is None or db.read_only or db.pending or db.signature is None:
        return
    if not db.book.whole_read and not db.book.changes(Interaction)[0]:
        return
    try:
        if _settled(db) and not db.changed_on_disk():
            _keep(_where(folder, db.path), _key(db.path, db.signature.digest), db, body)
            db.journal.confirm(db.file_key())  # the hash is worked out now: the journal is in these bytes
    except Exception:  # noqa: BLE001  # the work is done and saved: a summary only saves time later
        return


def _where(folder: Path, path: Path) -> Path:
    return folder / (hashlib.sha256(os.fsencode(path)).hexdigest()[:32] + ".summary")


def _key(path: Path, digest: str) -> tuple[Any, ...]:
    """What a summary of the file's bytes must name: its format, this Python and meetup-tui,
    the bytes' hash (`digest`), and the name and hash of each archive file beside it, read
    now (before the file is decoded: an archive changed after this no longer matches the
    summary made of it)."""
    found = []
    try:
        names = sorted(entry.name for entry in path.parent.iterdir())
    except OSError:
        names = []
    for name in names:
        if archives.is_archive_name(path, name):
            try:
                found.append((name, hashlib.sha256(jsonfile.read_bytes(path.parent / name)).hexdigest()))
            except (OSError, StoreError):
                found.append((name, ""))  # unreadable: the summary is made, and never matches
    return (FORMAT, sys.version, _code(), digest, tuple(found))


def _code() -> tuple[tuple[str, int, int], ...]:
    """The name, size and time of each module that decides what a summary says (the domain
    and the store): another version of meetup-tui, or an edited checkout, makes its own."""
    marks = []
    for package in (domain, store):
        for folder in package.__path__:
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.name.endswith(".py"):
                        info = entry.stat()
                        marks.append((entry.name, info.st_size, info.st_mtime_ns))
    return tuple(sorted(marks))


def _from_kept(
    where: Path, key: tuple[Any, ...], path: Path, user: str, read: tuple[os.stat_result, bytes]
) -> Database | None:
    """The database from the summary kept at `where`, if it is whole (its checksums hold),
    was made for `key` (one made for other bytes is not decoded past its head), and names
    the file's own database."""
    try:
        kept = where.read_bytes()
        found = _verified_head(kept)
        if found is None:
            return None
        start, (kept_key, meta, log_end, size, body_sum) = found
        if kept_key != key or start + size != len(kept):
            return None
        body = memoryview(kept)[start:]
        if hashlib.sha256(body).digest() != body_sum or not _names_the_file(meta, read[1]):
            return None
        summary = marshal.loads(body)
        db = Database.from_summary(path, summary, meta, user=user, read=read, log_end=log_end)
        files = key[3], key[4]  # the hashes of the file and of its archives
        if not db.journal.up_to_date(files):
            return None  # this machine journaled what the file may lack: read it whole
        db.signature.known(key[3])  # type: ignore[union-attr]
        db.use_archives_key(key[4])
        return db
    except Exception:  # noqa: BLE001  # missing, damaged or foreign: a summary only saves time
        return None


_HEAD = struct.Struct(">I32s")  # the size of the head, and its SHA-256


def _verified_head(kept: bytes) -> tuple[int, tuple[Any, ...]] | None:
    """(where the summary starts, the head's values), if the head is whole; else None."""
    size, digest = _HEAD.unpack_from(kept)
    head = memoryview(kept)[_HEAD.size : _HEAD.size + size]
    if len(head) != size or hashlib.sha256(head).digest() != digest:
        return None
    return _HEAD.size + size, marshal.loads(head)


def _names_the_file(meta: dict[str, Any], raw: bytes) -> bool:
    """Whether the file's own meta (its first lines) names the database id `meta` names."""
    database_id = meta.get("database_id")
    if not isinstance(database_id, str) or not database_id:
        return False
    return raw.find(b'"database_id": ' + orjson.dumps(database_id), 0, 4096) >= 0


def _keep(where: Path, key: tuple[Any, ...], db: Database, body: bytes | None = None) -> None:
    """Write the summary of `db`'s book (`body`, when already dumped), privately and whole
    (a temporary file renamed); a folder that cannot be written only means no summary.
    The file is the size and SHA-256 of a head, the head -- a marshal value: the key, the
    meta, where the log ends, the size and SHA-256 of what follows -- then the summary, a
    marshal value: any byte damaged, and it is not used (`_from_kept`)."""
    temp = where.with_name(f".~{where.name}.{os.getpid()}.tmp")
    try:
        where.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if body is None:
            body = marshal.dumps(summarize(db.book))
        head = marshal.dumps((key, db.meta, db.log_end_kept, len(body), hashlib.sha256(body).digest()))
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with open(fd, "wb") as handle:
            handle.write(_HEAD.pack(len(head), hashlib.sha256(head).digest()))
            handle.write(head)
            handle.write(body)
        os.replace(temp, where)
    except (OSError, ValueError):  # ValueError: a value marshal cannot write
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)
