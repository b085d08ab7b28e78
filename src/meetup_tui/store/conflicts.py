"""Conflicted copies that sync services leave beside the file, found, merged and moved aside.

Each service names them its own way (for a database `meetup.json`):

    Dropbox      meetup (Alex's conflicted copy 2026-11-20).json
                 meetup (Case Conflict).json, meetup (Unicode Encoding Conflict).json
    Google Drive meetup (1).json
    OneDrive     meetup-OFFICE-PC.json
    Nextcloud    meetup (conflicted copy 2026-11-20 101500).json
                 meetup_conflict-20261120-101500.json
    Syncthing    meetup.sync-conflict-20261120-101500-ABCDEF7.json
    iCloud       meetup 2.json

Names are compared in Unicode NFC (a Unicode Encoding Conflict is the same name in another
normal form) and a Case Conflict may carry the other file's case.  A name alone proves
nothing: a candidate is merged only if its `_meta.database_id` is this database's.  Merged
copies move to an archive folder beside the file (never deleted); a copy that cannot be
read, or that belongs to another database, is reported and left where it is.  Links to the
database itself, the backups and archive folders, the lock file and temporary files are
never candidates.
"""

from __future__ import annotations

import errno
import functools
import json
import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import count
from pathlib import Path

from meetup_tui.domain.book import Book
from meetup_tui.domain.merge import describe_changes
from meetup_tui.store import jsonfile, schema
from meetup_tui.store.database import Database
from meetup_tui.store.jsonfile import BadFile

# (service, what it puts between the file's stem and its suffix); `{s}` is the stem.
_NAMINGS: tuple[tuple[str, str], ...] = (
    ("Dropbox", r"{s} \(.+['’]s conflicted copy \d{{4}}-\d{{2}}-\d{{2}}(?: \d+| \(\d+\))?\)(?: \(\d+\))?"),
    ("Dropbox", r"(?i:{s}) \(Case Conflict(?: \d+)?\)"),
    ("Dropbox", r"{s} \(Unicode Encoding Conflict(?: \d+)?\)"),
    ("Nextcloud", r"{s} \(conflicted copy \d{{4}}-\d{{2}}-\d{{2}} \d{{6}}\)"),
    ("Nextcloud", r"{s}_conflict-\d{{8}}-\d{{6}}"),
    ("Syncthing", r"{s}\.sync-conflict-\d{{8}}-\d{{6}}-[A-Z0-9]+"),
    ("Google Drive", r"{s} \(\d+\)"),
    ("iCloud", r"{s} \d+"),
    ("OneDrive", r"{s}-[A-Za-z0-9][A-Za-z0-9_-]*"),  # name-HOSTNAME
)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@functools.lru_cache(maxsize=16)
def _patterns(stem: str, suffix: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    s, x = re.escape(_nfc(stem)), re.escape(_nfc(suffix))
    return tuple((service, re.compile(f"^{middle.format(s=s)}{x}$")) for service, middle in _NAMINGS)


def archive_folder(path: Path) -> Path:
    return path.parent / f"{path.stem}-conflicts"


def service_of(path: Path, copy: Path) -> str | None:
    """Which sync service names a conflicted copy of `path` like `copy`, or None."""
    name = _nfc(copy.name)
    patterns = _patterns(path.stem, path.suffix)
    return next((service for service, pattern in patterns if pattern.match(name)), None)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def find_candidates(path: Path) -> list[Path]:
    """Regular files beside `path` named like a sync service's conflicted copy of it, by name."""
    try:
        entries = list(path.parent.iterdir())
    except OSError:
        return []
    found = []
    for entry in entries:
        if entry.name == path.name or service_of(path, entry) is None:
            continue
        if entry.is_symlink() or not entry.is_file() or _same_file(entry, path):
            continue  # a folder (backups, archive), or a link to the database itself
        found.append(entry)
    return sorted(found)


@dataclass(frozen=True)
class Inspection:
    """What a candidate turned out to be.  `same_database` is None when it cannot be told."""

    copy: Path
    readable: bool
    same_database: bool | None
    reason: str = ""  # why it is not merged, e.g. "it cannot be read (...)."
    book: Book | None = None
    database_id: str | None = None

    @property
    def mergeable(self) -> bool:
        return self.readable and self.same_database is True and self.book is not None


def _valid_json(raw: bytes) -> bool:
    try:
        json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return False
    return True


def inspect(copy: Path, database_id: str | None) -> Inspection:
    """Read `copy` (never writing) and say whether it is a readable copy of `database_id`.

    With `database_id` None (this database's file cannot be read) a readable copy has
    `same_database` None.  A file that is valid JSON but not a database is not a copy.
    """
    try:
        raw = copy.read_bytes()
    except OSError as exc:
        return Inspection(copy, False, None, f"it cannot be read ({exc.strerror}).")
    try:
        data = jsonfile.parse(copy, raw)
        theirs = schema.meta_of(copy, data).get("database_id")
    except BadFile as exc:
        if _valid_json(raw):  # JSON, but not shaped like a database at all
            why = "it is not a copy of this database (not a meetup-tui database at all)."
            return Inspection(copy, True, False, why)
        return Inspection(copy, False, None, f"it cannot be read ({_clause(exc)}).")
    theirs = theirs if isinstance(theirs, str) and theirs else None
    if database_id is not None and theirs != database_id:
        why = "its database id differs" if theirs else "it has no database id"
        return Inspection(copy, True, False, f"it is not a copy of this database ({why}).", None, theirs)
    try:
        data, _found = schema.migrate(copy, data)
        book, _meta = schema.decode(copy, data)
    except BadFile as exc:
        why = f"it cannot be read ({_clause(exc)})."
        return Inspection(copy, False, None if database_id is None else True, why, None, theirs)
    return Inspection(copy, True, None if database_id is None else True, "", book, theirs)


def _clause(exc: Exception) -> str:
    return str(exc).rstrip(".")


@dataclass(frozen=True)
class CopyReport:
    copy: Path
    merged: int = 0  # records that came in from it
    moved_to: Path | None = None
    problem: str = ""  # why it was left alone, or what went wrong after merging
    summary: str = ""  # "3 changes from alex@laptop"; from the file: show it as plain text
    left_alone: bool = False  # not merged (the problem says why)

    def sentence(self) -> str:
        if self.left_alone:
            return f"Left {self.copy.name} alone: {self.problem}"
        what = self.summary or "nothing new"
        if self.moved_to is None:
            return f"Merged {self.copy.name} ({what}); {self.problem}"
        return f"Merged {self.copy.name} ({what}) and moved it to {self.moved_to}."


def merge_copies(db: Database, now: datetime | None = None) -> list[CopyReport]:
    """Merge every conflicted copy of `db`'s file into it and archive the copies.

    Raises StoreError if the merged records cannot be written (they stay pending in `db`
    and the copy stays where it is, to be merged again later).
    """
    reports = []
    moment = now or datetime.now(UTC)
    for copy in find_candidates(db.path):
        found = inspect(copy, str(db.meta.get("database_id")))
        if not found.mergeable:
            reports.append(CopyReport(copy, problem=found.reason, left_alone=True))
            continue
        if db.read_only:
            problem = f"{db.read_only}, so it cannot be merged yet."
            reports.append(CopyReport(copy, problem=problem, left_alone=True))
            continue
        assert found.book is not None
        changes = db.merge_in(found.book)
        summary = describe_changes(changes) if changes else ""
        try:
            moved: Path | None = _archive(db.path, copy, moment)
            problem = ""
        except FileNotFoundError:
            moved, problem = None, "another process had already moved it aside."
        except OSError as exc:
            moved = None
            problem = f"it could not be moved to {archive_folder(db.path)} ({exc.strerror}), so it stays."
        reports.append(CopyReport(copy, len(changes), moved, problem, summary))
    return reports


def _make_archive_folder(path: Path) -> Path:
    """The archive folder: private, or group-writable when the database is group-shared."""
    folder = archive_folder(path)
    try:
        folder.mkdir(mode=0o700)
    except FileExistsError:
        return folder
    try:
        shared = bool(path.stat().st_mode & stat.S_IWGRP)
    except OSError:
        shared = False
    if shared:  # keep a setgid bit the folder inherited; add the group's rwx
        os.chmod(folder, stat.S_IMODE(folder.stat().st_mode) | stat.S_IRWXG)
    return folder


def _archive(path: Path, copy: Path, now: datetime) -> Path:
    """Move `copy` into the archive folder under a name no earlier archived copy has."""
    folder = _make_archive_folder(path)
    stamp = f"{now:%Y%m%dT%H%M%SZ}"
    for n in count(1):
        target = folder / (f"{stamp} {copy.name}" if n == 1 else f"{stamp}-{n} {copy.name}")
        try:
            os.link(copy, target)  # fails rather than replace an archived copy
        except FileExistsError:
            continue
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK, errno.EXDEV):
                raise
            if target.exists():  # no hard links here (some FUSE and network mounts)
                continue
            copy.rename(target)
            return target
        copy.unlink(missing_ok=True)
        return target
    raise AssertionError("unreachable")
