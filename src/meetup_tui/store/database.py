"""One open database and the protocol by which every change reaches the file.

The book is loaded once and kept in memory.  Each write (`sync`) takes the advisory
lock, re-reads the file by path only if it changed since we last read or wrote it,
merges record by record and field by field (domain/versions.py: no common ancestor is
needed, so an older copy put back can never undo a newer edit), backs up when due,
writes atomically and remembers what it wrote.  `reload` brings in what others wrote
without writing.  Nothing here imports Textual; the app calls `sync` from a worker thread.

Closed years of the log may live in archive files beside the file (store/archives.py):
they are read with it into one Book, each watched by its own signature, and written, by
the same atomic write under the main file's one lock, only when one of their entries
changed, came in or moved there.  An entry moving into an archive is written there before
the main file drops it (a crash in between leaves it in both, merged on reading, never in
neither); one leaving an archive is dropped from it only after the main file holds it.
"""

from __future__ import annotations

import hashlib
import operator
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from itertools import compress
from pathlib import Path
from typing import Any

import orjson

from meetup_tui.domain.book import Book
from meetup_tui.domain.collector import collector_paused
from meetup_tui.domain.merge import incoming_changes
from meetup_tui.domain.overruled import between
from meetup_tui.domain.records import Interaction, Person, Post, Record, Segment, utc_now_iso
from meetup_tui.domain.summary import Summary, SummaryBook
from meetup_tui.domain.versions import edit, fields_of, merge_records
from meetup_tui.store import archives, backups, jsonfile, schema, set_aside
from meetup_tui.store.journal import FileKey, Journal
from meetup_tui.store.jsonfile import BadFile, MissingFile, StoreError
from meetup_tui.store.lock import locked
from meetup_tui.store.schema import SCHEMA

# Told each sentence for the user that is not an error (an archive not there yet), once;
# the command line prints it on stderr, the app reads `Database.notices` instead.
on_notice: Callable[[str], None] | None = None

BACKUP_EVERY = backups.EVERY.total_seconds()  # no backup sooner than this after this process's last

__all__ = ["Database", "StoreError", "MissingFile", "BadFile", "ReadOnly", "SCHEMA"]


class ReadOnly(StoreError):
    pass


class Signature:
    """What we last read or wrote: cheap stat fields, and a hash of the bytes to settle doubts.

    The hash is worked out only when a doubt comes up (the file's stat changed): a command
    that reads the file and ends never pays for it.  The change time is in the stat because
    no program can put it back: a file edited in place, to the same size, with its
    modification time set back, is still seen to have changed."""

    __slots__ = ("ino", "size", "mtime_ns", "ctime_ns", "_raw", "_digest")

    def __init__(self, ino: int, size: int, mtime_ns: int, raw: bytes, ctime_ns: int = -1) -> None:
        self.ino, self.size, self.mtime_ns, self.ctime_ns = ino, size, mtime_ns, ctime_ns
        self._raw: bytes | None = raw
        self._digest = ""

    @property
    def digest(self) -> str:
        if self._raw is not None:
            self._digest, self._raw = _digest(self._raw), None
        return self._digest

    @property
    def digest_known(self) -> bool:
        """Whether the hash is worked out already (asking for it costs nothing)."""
        return self._raw is None

    def known(self, digest: str) -> None:
        """The hash of the bytes, worked out already."""
        self._digest, self._raw = digest, None

    def same_stat(self, info: os.stat_result) -> bool:
        mine = (self.ino, self.size, self.mtime_ns, self.ctime_ns)
        return mine == (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def _digest(*pieces: bytes | memoryview) -> str:
    """The SHA-256 of the bytes, given whole or in pieces."""
    digest = hashlib.sha256()
    for piece in pieces:
        digest.update(piece)
    return digest.hexdigest()


def _into(done: dict[str, Any], name: str, work: Callable[..., Any], *args: Any) -> None:
    """Run `work(*args)` (in a thread): its result, or what it raised, as `done[name]`."""
    try:
        done[name] = work(*args)
    except BaseException as exc:  # noqa: BLE001  # given to the thread that waits for it
        done[name] = exc


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
    return Signature(info.st_ino, info.st_size, info.st_mtime_ns, raw, info.st_ctime_ns)


def _load(
    path: Path, info: os.stat_result | None = None, raw: bytes | None = None, *, find_end: bool = False
) -> tuple[Book, dict[str, Any], bytes, int, Signature, jsonfile.TableEnd | None]:
    """Book, meta, raw bytes, the schema the file was at, its signature (of `raw`, read
    after `info` was taken, when the caller already has them), and with `find_end` where
    its log ends (`jsonfile.table_end`: ~30 ms on 33 MB).

    BadFile names a good backup.
    """
    if raw is None:
        info = _stat(path)  # before reading
    data, found, book, meta, raw = _decoded(path, raw, backups.backup_folder(path))
    end = jsonfile.table_end(data, raw, "interactions") if find_end and found == SCHEMA else None
    return book, meta, raw, found, _signature(info, raw), end


def _load_archive(
    main: Path, path: Path, database_id: object, info: os.stat_result | None = None, raw: bytes | None = None
) -> tuple[Book, dict[str, Any], Signature]:
    """An archive file's book, its tables other than the log (kept as they are), its signature.

    MissingFile if it is not there; BadFile (naming it, and its newest good backup) if it
    cannot be read or belongs to another database."""
    if raw is None:
        info = _stat(path)  # before reading
    data, _found, book, _meta, raw = _decoded(path, raw, backups.backup_folder(main))
    theirs = schema.meta_of(path, data).get("database_id")  # as written: decode fills in none
    if theirs is not None and theirs != database_id:
        raise BadFile(
            f"{path} is not a log archive of {main.name} (its database id differs); "
            "move it out of the folder, nothing was written."
        )
    extra = {name: docs for name, docs in data.items() if name not in (schema.META, "interactions")}
    return book, extra, _signature(info, raw)


def _decoded(
    path: Path, raw: bytes | None, folder: Path
) -> tuple[dict[str, Any], int, Book, dict[str, Any], bytes]:
    """The tables (migrated), the schema they were at, the Book, the meta and the bytes of
    a file (read now unless given).  BadFile names the newest good backup of it in `folder`."""
    try:
        if raw is None:
            raw = jsonfile.read_bytes(path)
        with collector_paused():  # ~100k new objects, none garbage: no full collection mid-way
            data = jsonfile.parse(path, raw)
            data, found = schema.migrate(path, data)
            book, meta = schema.decode(path, data)
    except BadFile as exc:
        good = backups.newest_good_backup(path, folder)
        hint = f" The newest good backup is {good}." if good else " No good backup was found."
        raise BadFile(str(exc) + hint, backup=good) from None
    return data, found, book, meta, raw


class _Archive:
    """One archive file (`meetup-2024.json`) as we last read or wrote it."""

    __slots__ = ("year", "path", "signature", "held", "extra", "missing", "loaded", "bad", "fresh")

    def __init__(self, year: int, path: Path) -> None:
        self.year, self.path = year, path
        self.signature: Signature | None = None
        self.held: dict[str, Record] = {}  # its log entries, as on disk
        self.extra: dict[str, Any] = {}  # its other tables, written back as they are
        self.missing = False  # listed, but not in the folder: its year stays in the main file
        self.loaded = False  # read (or found missing) at least once
        self.bad: tuple[Signature, BadFile] | None = None
        self.fresh = False  # made by this process, not written yet (a failed write): not missing

    def changed(self) -> bool:
        info = _stat(self.path)
        if info is None:
            return not (self.missing or self.fresh)
        return self.signature is None or not self.signature.same_stat(info)


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
        self.archives: dict[int, _Archive] = {}  # closed years of the log in files of their own
        self.notices: list[str] = []  # sentences for the user (an archive not there), each said once
        self.told: list[str] = []  # done on opening (copies merged, changes given back): for the screen
        self._size = signature.size if signature is not None else 0  # of the main file
        self.schema_found = SCHEMA  # the schema the file was at when opened (older: upgraded on writing)
        self._encoder = jsonfile.Encoder()  # the bytes of each record as last written
        # Where the log ends in the main file as last read or written, if it is laid out as
        # `jsonfile.encode` writes it (else None), and the years of its entries: what
        # `append_checked` needs to add an entry without decoding the file.
        self.log_end: jsonfile.TableEnd | None = None
        self._log_years: frozenset[int] = frozenset()
        self._raw: bytes | None = None  # the main file's bytes, kept only for `append_checked`
        self._heads: tuple[list[Record], list[str]] = ([], [])  # the log, and the year text of each entry
        # What this machine acknowledged (store/journal.py): written before the file, taken
        # in again whenever the file is read; `restored` counts what it gave back this run.
        self.journal = Journal(path)
        self.restored: list[Record] = []
        self._archives_key: tuple[tuple[str, str], ...] | None = None  # see `file_key`
        self._unjournaled = ""  # why the write under way is not in the journal: said once it is done
        self._remembering = False  # the journal taken in when the file is read (`remember`)

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        user: str,
        create: bool = False,
        read: tuple[os.stat_result, bytes] | None = None,
        find_end: bool = False,
        digest: str | None = None,
    ) -> Database:
        """Load the file.  With `create`, a missing file becomes a new, empty, private database.
        `read`: the file's stat and then its bytes, when the caller has read them already.
        `find_end`: find where its log ends (`log_end`), for a summary to keep.
        `digest`: the SHA-256 of `read`'s bytes, when the caller has it.

        A symbolic link is followed: the file, its lock, backups and copies are the target's."""
        path = jsonfile.real_path(path)
        try:
            book, meta, raw, found, signature, end = _load(path, *(read or ()), find_end=find_end)
        except MissingFile:
            if not create:
                raise
            _make_folder(path.parent)
            db = cls(path, Book(), schema.new_meta(), user, None)
            db.sync(force=True)
            return db
        if digest is not None:
            signature.known(digest)  # of `read`'s bytes, worked out already
        db = cls(path, book, meta, user, signature)
        db.schema_found = found
        db._open_archives(db.book)
        if end is not None:
            db.log_end, db._log_years = end, frozenset(db._split_log()[2])
        if found < schema.SCHEMA and not db.read_only:
            with locked(path):  # writers' temp files are only ever cleared under the lock
                backups.make_backup(path, raw)  # the old file, before the first write migrates it
            db._last_backup = time.monotonic()
        return db

    @classmethod
    def from_summary(
        cls,
        path: Path,
        summary: Summary,
        meta: dict[str, Any],
        *,
        user: str,
        read: tuple[os.stat_result, bytes],
        log_end: tuple[jsonfile.TableEnd, list[int]] | None = None,
    ) -> Database:
        """The database of the file whose stat and bytes are `read`, from a summary made of
        those very bytes (store/summaries.py): its book answers from the summary and reads
        itself whole -- these bytes decoded, the archives read -- the first time anything
        needs more of the log, and before any write or merge (`whole`).  `log_end`: where
        the log ends in those bytes and the years of its entries, when the summary knew."""
        info, raw = read
        db = cls(path, Book(), meta, user, _signature(info, raw))
        db.book = SummaryBook(summary, lambda: db._decoded_whole(raw))
        db._raw = raw
        if log_end is not None:
            db.log_end, db._log_years = jsonfile.TableEnd(*log_end[0]), frozenset(log_end[1])
        return db

    @property
    def database_id(self) -> str:
        return str(self.meta.get("database_id"))

    def file_key(self, *, hashing: bool = True) -> FileKey | None:
        """The hash of the file's bytes and of its archives' as this database last read or
        wrote them (store/journal.py: what a journal's `.seen` names).  Without `hashing`,
        None unless the file's hash is known already."""
        signature = self.signature
        if signature is None or signature.ino < 0 or not (hashing or signature.digest_known):
            return None
        if self._archives_key is not None and not self.book.whole_read:
            found = self._archives_key  # opened from a summary: the archives as checked then
        else:
            found = tuple(
                (a.path.name, a.signature.digest)
                for _year, a in sorted(self.archives.items())
                if not a.missing and a.signature is not None
            )
        return signature.digest, found

    def _journal(self, records: Iterable[Record]) -> str:
        """Journal `records` before the file is written (store/journal.py).  A journal that
        cannot be written (a full disk, a home folder not one's own) does not stop the write,
        the book's own promise: the sentence to say once the file is written ("" if none)."""
        try:
            self.journal.append(self.database_id, records)
        except StoreError as exc:
            return (
                f"{str(exc).rstrip('.')}: the change is saved in {self.path.name}, but until this machine "
                "can keep its journal a sync client that puts an older copy back could undo it."
            )
        return ""

    def _written(self) -> None:
        """After a write: this machine's journal is in the file (and what kept it out, said).
        Said to the journal only when the file's hash is known (`log`'s way works it out while
        writing); a save is not made to hash the whole file for it: `keep_after_writes`, which
        needs that hash anyway, says it then (store/summaries.py)."""
        self.journal.confirm(self.file_key(hashing=False))
        sentence, self._unjournaled = self._unjournaled, ""
        if sentence and sentence not in self.told:  # once a run
            self.told.append(sentence)
            if on_notice is not None:
                on_notice(sentence)

    def use_archives_key(self, found: tuple[tuple[str, str], ...]) -> None:
        """Opened from a summary: the archives as they were checked then (see `file_key`)."""
        self._archives_key = found

    def remember(self) -> list[Record]:
        """What this machine acknowledged, it remembers (store/journal.py): take in what its
        journal holds that the book lacks -- pending, for the next write to give back to the
        file -- now and whenever the file is read again.  Returns what came back.  Commands
        and the app do this on opening (store/catch_up.py, summaries.open_database); a
        Database opened only to read the file (a test's, a backup's) does not.

        A book opened from a summary was found up to date with the journal before (its
        `.seen`); it takes in only what is journaled from now on."""
        if self._remembering:
            return []  # and what is journaled from now on comes in with the next read of the file
        self._remembering = True
        if not self.book.whole_read:
            return []
        changes = self._take_journal()
        if not self.pending:
            self.journal.confirm(self.file_key())
            self.journal.compact(self.book, self.database_id, self.file_key())
        return changes

    def _take_journal(self) -> list[Record]:
        """Merge in what this machine journaled since we last looked that the book lacks or
        holds older (a sync client put an older copy back, or moved ours aside): pending,
        for the next write to give back to the file."""
        journaled: dict[str, Record] = {}
        for record in self.journal.take_new(self.database_id):
            held = journaled.get(record.id)
            journaled[record.id] = record if held is None else merge_records(held, record)
        if not journaled:
            return []
        theirs = Book()
        for record in journaled.values():
            theirs.put(record)
        with self._lock:
            changes = incoming_changes(self.book, theirs)
            for record in changes:
                self.book.put(record)
                self._dirty[record.id] = self.book.table(type(record))[record.id]
        self.restored += changes
        return changes

    @property
    def log_end_kept(self) -> tuple[tuple[int, int], list[int]] | None:
        """`log_end` and the years of the log, as plain values for a summary to keep."""
        if self.log_end is None:
            return None
        return tuple(self.log_end), sorted(self._log_years)

    def whole(self) -> None:
        """Make sure the book is read whole (a book opened from a summary reads itself now)."""
        self.book.read_whole()

    @contextmanager
    def held(self) -> Iterator[Book]:
        """The whole book, held still while the block runs: nothing goes into it meanwhile
        (`apply` waits).  For a worker thread that reads much of it (a report); keep the
        block to the reading."""
        self.whole()
        with self._lock:
            yield self.book

    def _decoded_whole(self, raw: bytes) -> Book:
        """The whole book of the file's bytes and its archives, as `open` reads it."""
        _data, found, book, _meta, _raw = _decoded(self.path, raw, backups.backup_folder(self.path))
        self.schema_found = found
        self._open_archives(book)
        return book

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
        if held is None:
            return self.stamp_new(record, **changes)
        # Later than the version it replaces, even if that came from a clock running ahead.
        stamp = utc_now_iso(after=max(record.updated_at, held.updated_at))
        if record is not held:
            mine, theirs = fields_of(record), fields_of(held)
            changes = {k: v for k, v in mine.items() if theirs[k] != v} | changes
        return edit(held, changes, stamp, self.user, seen=seen)

    def stamp_new(self, record: Record, **changes: Any) -> Record:
        """`stamp` for a record no book holds (one just made, with a fresh id)."""
        stamp = utc_now_iso(after=record.updated_at)
        made_by = record.created_by or self.user
        return replace(
            record, updated_at=stamp, updated_by=self.user, created_by=made_by, versions={}, **changes
        )

    def apply(self, *records: Record) -> None:
        """Put records into the in-memory book (the screen shows them at once)."""
        self.whole()
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
        """Did someone else write (or a sync client replace) the file, or one of its archives,
        since we read or wrote it?"""
        return self._main_changed() or any(a.changed() for a in self.archives.values())

    def _main_changed(self) -> bool:
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

    def append_checked(
        self, decide: Callable[[Book], Sequence[Record]], *, meanwhile: Callable[[], None] | None = None
    ) -> list[Record]:
        """`commit_checked`, for a `decide` that returns one new log entry and nothing else
        (a call logged from the command line).  On a book opened from its summary, whose
        file is laid out as `jsonfile.encode` writes it and has not changed since, the
        entry's lines are put into the file's bytes where its log ends, under the lock:
        the log is never decoded (5,000 people: ~0.3 s instead of ~1 s), and the bytes
        are those a whole write would make.  Anything else (the file changed, an entry of
        an archived year, a year to archive now) takes `commit_checked`'s way.

        On that fast way only, `meanwhile` runs while the file is written, on the book with
        the entry in it (it must not change the book): work for after the write that need
        not wait for the disk, such as the summary `log` keeps."""
        if not (self.book.whole_read or self.read_only or self.log_end is None or self._raw is None):
            done = self._append(decide, meanwhile)
            if done is not None:
                return done
        return self.commit_checked(decide)

    def _append(
        self, decide: Callable[[Book], Sequence[Record]], meanwhile: Callable[[], None] | None
    ) -> list[Record] | None:
        with self._write_lock, locked(self.path):
            end, raw = self.log_end, self._raw
            if end is None or raw is None or self._main_changed() or not jsonfile.holds_end(raw, end):
                return None  # changed since, or not where the summary said the log ends: the whole way
            chosen = decide(self.book)
            if len(chosen) != 1 or not isinstance(chosen[0], Interaction):
                return None
            entry = self.stamp_new(chosen[0])
            year = archives.year_of(entry.at)
            years = set(self._log_years) | ({year} if year is not None else set())
            if year is None or archives.archive_path(self.path, year).exists() or self._to_archive(years):
                return None
            try:
                line = jsonfile.record_line(end.count + 1, entry)
            except orjson.JSONEncodeError:
                return None  # text only json can write: the whole file is written so
            if not self._cleared:
                _clear_leftovers(self.path)
                self._cleared = True
            self._backup_if_due(raw)
            self._unjournaled = self._journal([entry])
            with self._lock:
                self.book.add_new(entry)  # type: ignore[attr-defined]  # a SummaryBook
                self._dirty[entry.id] = entry  # until written, as `apply` leaves a change
                # From here another change writes the book whole (whose read puts the entry
                # in): these bytes are in pieces below, and if the write fails they lack it.
                self._raw = None
            view = memoryview(raw)  # slices of a view are not copies: the file is never copied
            pieces = (view[: end.at], line, view[end.at :])
            # Written by one thread while another works out its hash (the key of the summary
            # kept next) and this one runs `meanwhile`: writing waits on the disk, and
            # hashing lets go of the interpreter's lock.
            done: dict[str, Any] = {}
            write = (done, "written", jsonfile.write_atomic, self.path, pieces)
            writer = threading.Thread(target=_into, args=write)
            hasher = threading.Thread(target=_into, args=(done, "hashed", _digest, *pieces))
            writer.start()
            hasher.start()
            try:
                if meanwhile is not None:
                    meanwhile()
            finally:
                writer.join()
                hasher.join()
            written = done["written"]
            if isinstance(written, BaseException):
                raise written  # StoreError: the file is as it was, the entry still pending
            with self._lock:
                self.signature, self._size = _signature(written, b""), len(raw) + len(line)
                self.signature.known(done["hashed"])
                self.log_end = jsonfile.TableEnd(end.at + len(line), end.count + 1)
                self._log_years = frozenset(years)
                del self._dirty[entry.id]
            self._written()
            return [entry]

    def sync(self, *, force: bool = False, prepare: Callable[[], None] | None = None) -> list[Record]:
        """Lock, merge in what changed on disk, back up when due, write, unlock.

        Returns the records that came in from the file.  Raises StoreError (the change
        stays in memory, still pending) if the file cannot be written.  `prepare` runs under
        the lock, after the merge, before the write.
        """
        if self.read_only:
            raise ReadOnly(f"{self.read_only}; changes cannot be saved.")
        self.whole()
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
            with self._lock, collector_paused():
                written = dict(self._dirty)
                main_log, keep, leaving = self._plan()
            if any(y not in self.archives or not self.archives[y].loaded for y in keep):
                incoming += self._merge_archives()  # a year's file already there (unlisted): read it first
                with self._lock:
                    main_log, keep, leaving = self._plan()
            self._unjournaled = self._journal(written.values())
            with self._lock, collector_paused():
                first = {y: [*keep[y], *leaving.get(y, [])] for y in sorted(keep)}
                first_bytes = {y: self._archive_bytes(y, records) for y, records in first.items()}
                payload = self._encoder.encode(schema.tables_of(self.book, self.meta, interactions=main_log))
                then = {y: self._archive_bytes(y, keep[y]) for y in sorted(leaving) if y in keep}
            for year, records in first.items():  # what moves into an archive: there first
                self._write_archive(year, first_bytes[year], records)
            written_stat = jsonfile.write_atomic(self.path, payload)
            with self._lock:
                self.signature = _signature(written_stat, payload)
                self._size = len(payload)
                self.log_end = self._encoder.ends.get("interactions")
                for key, record in written.items():
                    if self._dirty.get(key) is record:
                        del self._dirty[key]
            for year, archive_payload in then.items():  # what left an archive: dropped once main holds it
                self._write_archive(year, archive_payload, keep[year])
            self._written()
            return incoming

    def prepare_writes(self) -> None:
        """Dump every record's document now, so that the first save dumps only what changed
        since (`jsonfile.Encoder`).  For the app, in a worker once its screen is drawn: at
        5,000 people this is ~110 ms of the interpreter's lock, which the first save would
        otherwise take from the screen right after the call it saves."""
        if self.read_only:
            return
        self.whole()
        with self._write_lock:
            with self._lock:
                tables = schema.tables_of(self.book, self.meta, interactions=self._split_log()[0])
            self._encoder.encode(tables)

    def reload(self) -> list[Record]:
        """Bring in what changed on disk, without writing; returns what came in.

        Writers replace the file by rename, so reading by path always sees a whole file.
        Records we hold that the file lacks (a sync client put back an older copy) stay
        pending, for the next `sync` to write.
        """
        self.whole()
        with self._write_lock:
            incoming, _raw = self._merge_from_disk()
            return incoming

    def take_in(self, other: Book) -> list[Record]:
        """Merge another copy's records into the book in memory only (a command that reads
        shows them; the copy stays beside the file for one that writes)."""
        self.whole()
        with self._lock:
            changes = incoming_changes(self.book, other)
            for record in changes:
                self.book.put(record)
        return changes

    def merge_in(self, other: Book) -> list[Record]:
        """Merge another copy's records (a conflicted copy) and write the result."""
        changes = self.take_in(other)
        with self._lock:
            self.book.extra_tables = {**other.extra_tables, **self.book.extra_tables}
        self.apply(*changes)  # pending now: written next
        self.sync()
        return changes

    def _merge_from_disk(self) -> tuple[list[Record], bytes | None]:
        """Merge the file and its archives into memory where they changed; (records that came
        in, the main file's bytes: b"" when it did not change)."""
        incoming, raw = self._merge_main()
        journaled = self._take_journal() if self._remembering else []
        return incoming + self._merge_archives() + journaled, raw

    def _merge_main(self) -> tuple[list[Record], bytes | None]:
        if not self._main_changed():
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
            theirs, meta, raw, _found, signature, _end = _load(self.path, info, raw)
        except BadFile as bad:
            # The app looks every second: a bad file (and the backups searched for a good
            # one) is read again only once it changes.
            self._bad = (_signature(info, raw), bad) if info is not None else None
            raise
        self._bad = None
        self._note_dropped(theirs)
        self.log_end = None  # another's bytes: where their log ends is not known
        years = archives.listed_years(self.meta) | archives.listed_years(meta)
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
            if years:  # a year once archived stays archived, whoever archived it
                self.meta[archives.KEY] = sorted(years)
                for year in years:
                    self.archives.setdefault(year, _Archive(year, archives.archive_path(self.path, year)))
            incoming = incoming_changes(self.book, theirs)
            for record in incoming:
                self.book.put(record)
            self.book.extra_tables = {**self.book.extra_tables, **theirs.extra_tables}
            self.book.problems = theirs.problems
            # What the file lacks or has older (a sync client put back an older copy): ours
            # to write again.  What an archive holds, the main file does not lack.
            outgoing = incoming_changes(theirs, self._view(None))
            for record in outgoing:
                self._dirty.setdefault(record.id, self.book.table(type(record))[record.id])
            self.signature = signature
        return incoming, raw

    def _note_dropped(self, theirs: Book) -> None:
        """Changes not written yet that met other changes of the same field in the file: the
        value that loses is noted (store/set_aside.py), to be found again."""
        with self._lock:
            pairs = [(mine, theirs.table(type(mine)).get(rid)) for rid, mine in self._dirty.items()]
        found = [lost for mine, other in pairs if other is not None for lost in between(mine, other)]
        set_aside.note(self.path, self.user, found)

    # -- archives ------------------------------------------------------------------------------

    def _open_archives(self, book: Book) -> None:
        """Read every archive the meta lists (and any beside the file that it does not) into
        `book`, the file's: each entry merged with any copy of it in another file, nothing
        dropped."""
        listed = archives.listed_years(self.meta)
        years = listed | self._unlisted_years(listed)
        if not years:
            return
        table = book.interactions
        merged: dict[str, Record] = {}
        for year in sorted(years):
            archive = self.archives[year] = _Archive(year, archives.archive_path(self.path, year))
            try:
                theirs, archive.extra, archive.signature = _load_archive(
                    self.path, archive.path, self.meta.get("database_id")
                )
            except MissingFile:
                archive.missing = archive.loaded = True
                continue
            archive.loaded = True
            archive.held = dict(theirs.interactions)
            book.problems += theirs.problems
            for rid, record in archive.held.items():
                held = merged.get(rid)
                merged[rid] = record if held is None else merge_records(held, record)
            self._take_other_tables(book, theirs)
        for rid, record in table.items():  # the main file's entries after the archived years'
            held = merged.pop(rid, None)
            merged[rid] = record if held is None else merge_records(held, record)
        book.interactions = merged  # type: ignore[assignment]  # a book just read: no index yet
        self.meta[archives.KEY] = sorted(years)
        self._say_missing()

    def _unlisted_years(self, listed: set[int]) -> set[int]:
        """Years of archive files beside the file that the meta does not list (it was put
        back from a copy made before they were): read too, never overwritten."""
        try:
            names = [entry.name for entry in self.path.parent.iterdir()]
        except OSError:
            return set()
        found = set()
        for name in names:
            if archives.is_archive_name(self.path, name):
                year = int(name[len(self.path.stem) + 1 : len(self.path.stem) + 5])
                where = archives.archive_path(self.path, year)
                ours = (year, self.meta.get("database_id"))
                if year not in listed and archives.archive_mark(where) == ours:
                    found.add(year)  # else a copy named so by hand, or another database's: left alone
        return found

    def _take_other_tables(self, book: Book, theirs: Book) -> None:
        """Records of the other tables found in an archive (a script put them there): merged
        into `book`, so the main file holds them too."""
        for kind in (Person, Segment, Post):
            for rid, record in theirs.table(kind).items():
                held = book.table(kind).get(rid)
                merged = record if held is None else merge_records(held, record)
                if merged is not held:
                    book.put(merged)
                    self._dirty[rid] = merged

    def _merge_archives(self) -> list[Record]:
        """Merge each archive file that changed since we read or wrote it (or was never read)."""
        incoming: list[Record] = []
        for year in sorted(self.archives):
            archive = self.archives[year]
            if archive.loaded and not archive.changed():
                continue
            info = _stat(archive.path)  # before reading (see _signature)
            if info is not None and archive.bad is not None and archive.bad[0].same_stat(info):
                raise archive.bad[1]
            try:
                raw = jsonfile.read_bytes(archive.path)
            except MissingFile:
                if archive.fresh:
                    continue  # ours to write, not written yet
                if not archive.loaded or not archive.missing:
                    archive.missing = archive.loaded = True
                    archive.held, archive.signature = {}, None  # its entries we hold go to the main file
                continue
            if archive.signature and _digest(raw) == archive.signature.digest:
                archive.signature = _signature(info, raw)  # touched or copied back, not changed
                continue
            try:
                theirs, extra, signature = _load_archive(
                    self.path, archive.path, self.meta.get("database_id"), info, raw
                )
            except BadFile as bad:
                archive.bad = (_signature(info, raw), bad) if info is not None else None
                raise
            archive.bad = None
            with self._lock:
                changes = incoming_changes(self.book, theirs)
                for record in changes:
                    self.book.put(record)
                archive.held, archive.extra, archive.signature = dict(theirs.interactions), extra, signature
                archive.missing, archive.loaded = False, True
                # What it lacks or holds older: ours to write there again.
                for record in incoming_changes(theirs, self._view(year)):
                    self._dirty.setdefault(record.id, self.book.table(type(record))[record.id])
            incoming += changes
        self._say_missing()
        return incoming

    def _present_years(self) -> set[int]:
        return {year for year, archive in self.archives.items() if not archive.missing}

    def _view(self, year: int | None) -> Book:
        """The book as the main file (None) or one archive file should hold it."""
        present = self._present_years()
        if year is None:
            if not present:
                return self.book
            log = {r.id: r for r in self.book.interactions.values() if archives.year_of(r.at) not in present}
            return Book(self.book.people, self.book.segments, log, self.book.posts)
        log = {r.id: r for r in self.book.interactions.values() if archives.year_of(r.at) == year}
        return Book(interactions=log)

    def _plan(self) -> tuple[list[Record], dict[int, list[Record]], dict[int, list[Record]]]:
        """Where each log entry goes: the main file's log; each archive to write, with all
        its year's entries (only those whose file lacks something or holds more); and per
        archive, the entries that leave it (their `at` moved to another year).

        Past the threshold, the closed years still in the main file become archives here."""
        main_log, groups, main_years = self._split_log()
        closed = self._to_archive(main_years)
        if closed:
            main_years -= closed
            for year in closed:
                archive = self.archives[year] = _Archive(year, archives.archive_path(self.path, year))
                archive.loaded = archive.fresh = not archive.path.exists()  # one there is read first
                groups[year] = []
            self.meta[archives.KEY] = sorted(self.archives)
            kept = []
            for record in main_log:
                year = archives.year_of(record.at)
                (groups[year] if year in closed else kept).append(record)  # type: ignore[index]
            main_log = kept
        keep: dict[int, list[Record]] = {}
        leaving: dict[int, list[Record]] = {}
        for year, records in groups.items():
            held = self.archives[year].held
            if len(held) == len(records) and all(held.get(r.id) is r or held.get(r.id) == r for r in records):
                continue  # the file holds exactly these
            keep[year] = records
            ids = {r.id for r in records}
            gone = [self.book.interactions[rid] for rid in held if rid not in ids]
            if gone:
                leaving[year] = gone
        self._log_years = frozenset(main_years)
        return main_log, keep, leaving

    def _to_archive(self, main_years: set[int]) -> set[int]:
        """The closed years of the main file's log to move to archives now: none until the
        file is past the threshold (archives.past_threshold)."""
        now = archives.this_year()
        closed = {y for y in main_years if y < now and y not in self.archives and self._free(y)}
        return closed if closed and archives.past_threshold(self._size, main_years) else set()

    def _split_log(self) -> tuple[list[Record], dict[int, list[Record]], set[int]]:
        """The log entries the main file holds, those of each archive there, and the years
        of the main file's.  Every save does this over the whole log, so in C loops but for
        the few distinct year texts, the entries of archived years and the entries changed
        since the last split."""
        present = self._present_years()
        entries = list(self.book.interactions.values())
        # As `archives.year_of`, on each entry: worked out again only for entries changed
        # since the last split (a save after one change makes no 50,000 new strings).
        heads = jsonfile.remade(*self._heads, entries, lambda n: entries[n].at[:4])
        self._heads = (entries, heads)
        years = {text: int(text) for text in set(heads) if len(text) == 4 and text.isdigit()}
        archived = {text for text, year in years.items() if year in present}
        groups: dict[int, list[Record]] = {year: [] for year in present}
        if not archived:
            return entries, groups, set(years.values())
        in_archive = list(map(archived.__contains__, heads))
        for record, text in zip(compress(entries, in_archive), compress(heads, in_archive)):
            groups[years[text]].append(record)
        main_log = list(compress(entries, map(operator.not_, in_archive)))
        return main_log, groups, {year for text, year in years.items() if text not in archived}

    def _free(self, year: int) -> bool:
        """May the archive of `year` be made: no file of that name, or one that is an archive
        of this database (read before written)?  A file someone named so by hand is never
        written over: that year stays in the main file."""
        where = archives.archive_path(self.path, year)
        if not where.exists():
            return True
        return archives.archive_mark(where) == (year, self.meta.get("database_id"))

    def _archive_bytes(self, year: int, records: list[Record]) -> bytes:
        return jsonfile.encode(archives.encode_archive(self.meta, year, records, self.archives[year].extra))

    def _write_archive(self, year: int, payload: bytes, records: list[Record]) -> None:
        """Write one archive atomically, its previous bytes backed up when due (in the main
        file's backups folder, as `meetup-2024.<stamp>...`); a new one takes the main file's mode."""
        archive = self.archives[year]
        folder = backups.backup_folder(self.path)
        exists = archive.path.exists()
        if exists and backups.due(archive.path, folder=folder):
            try:
                previous = jsonfile.read_bytes(archive.path)
            except MissingFile:
                previous = b""
            if previous:
                backups.make_backup(archive.path, previous, folder=folder)
        written = jsonfile.write_atomic(archive.path, payload, mode_from=None if exists else self.path)
        with self._lock:
            archive.signature = _signature(written, payload)
            archive.held = {r.id: r for r in records}
            archive.missing, archive.loaded, archive.bad, archive.fresh = False, True, None, False

    def _say_missing(self) -> None:
        gone = [a.path for _y, a in sorted(self.archives.items()) if a.missing]
        if gone:
            sentence = archives.missing_sentence(gone)
            if sentence not in self.notices:
                self.notices.append(sentence)
                if on_notice is not None:
                    on_notice(sentence)

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
    """Remove temp files that writers killed mid-write left (of the file, its archives and
    their backups).

    Only a writer holding the lock writes them, so under the lock any that exist are debris.
    """
    year = "[0-9]" * 4
    places = [
        (path.parent, f".~{path.name}.*.tmp"),
        (path.parent, f".~{path.stem}-{year}{path.suffix}.*.tmp"),
        (backups.backup_folder(path), f".~{path.stem}.*.tmp"),
        (backups.backup_folder(path), f".~{path.stem}-{year}.*.tmp"),
    ]
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
