"""Conflicted copies that sync services leave beside the file, found, merged and moved aside.

Each service names them its own way (for a database `meetup.json`):

    Dropbox      meetup (Alex's conflicted copy 2026-11-20).json, and as localized, e.g.
                 meetup (Alexs in Konflikt stehende Kopie 2026-11-20).json,
                 meetup (In Konflikt stehende Kopie von Alex 2026-11-20).json (older),
                 meetup (Kopie mit Konflikt von Alex 2026-11-20).json,
                 meetup (Copie en conflit de Alex 2026-11-20).json,
                 meetup (Copia en conflicto de Alex 2026-11-20).json,
                 meetup (Copia in conflitto di Alex 2026-11-20).json,
                 meetup (Cópia em conflito de Alex 2026-11-20).json; any of them perhaps
                 numbered (" 1" or " (1)" after the date) for a second copy that day
                 meetup (Case Conflict).json, meetup (Unicode Encoding Conflict).json
    Google Drive meetup (1).json
    OneDrive     meetup-OFFICE-PC.json (the computer's name: see below)
    Nextcloud    meetup (conflicted copy 2026-11-20 101500).json, with the user's name
                 (conflicted copy alice 2026-11-20 101500), or the date only
                 (conflicted copy 2026-11-20); meetup_conflict-20261120-101500.json
    Syncthing    meetup.sync-conflict-20261120-101500-ABCDEF7.json
    iCloud       meetup 2.json

OneDrive appends only the computer's name, which looks like names people give copies
(`meetup-before-cleanup.json`, `meetup-old.json`, `meetup-2024.json`).  So `meetup-NAME.json`
is taken for a OneDrive copy only when NAME is written as Windows writes a computer name
(capital letters, digits and hyphens, at most 15, at least one letter: `OFFICE-PC`,
`DESKTOP-7QK2M1B`), or when NAME, ignoring case and a trailing `-1`, is this computer's name
or a computer in the copy's own `updated_by` stamps (`alex@hilap`: OneDrive's Linux client
writes the host name as it is, `meetup-hilap.json`).  Any other name is never a candidate,
nor is NAME a year, alone or first (`meetup-2024.json` is the log archive of 2024,
store/archives.py; `meetup-2024-OFFICE-PC.json` is OneDrive's copy of that archive, found
as such).  Copies of each archive are found and merged like the file's own: the entries
they hold go where they belong.

Names are compared in Unicode NFC (a Unicode Encoding Conflict is the same name in another
normal form) and a Case Conflict may carry the other file's case.  A name alone proves
nothing: a candidate is merged only if its `_meta.database_id` is this database's.  Merged
copies move to an archive folder beside the file (never deleted); a copy that cannot be
read, or that belongs to another database, is reported and left where it is.  Links to the
database itself, the backups and archive folders, the lock file and temporary files are
never candidates.  What a read of a copy found is kept with the copy's stat (device, inode,
size, modification and change times): a copy left alone is read again only when its stat
changes (one read of a large bad copy, not one per scan), and is reported the same way.
"""

from __future__ import annotations

import errno
import functools
import json
import os
import re
import socket
import stat
import threading
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import count
from pathlib import Path
from typing import Any

from meetup_tui.domain.book import Book
from meetup_tui.domain.merge import describe_changes
from meetup_tui.domain.overruled import dropped_between
from meetup_tui.store import archives, jsonfile, schema, set_aside
from meetup_tui.store.database import Database
from meetup_tui.store.jsonfile import BadFile
from meetup_tui.store.lock import locked

_DATE = r"\d{{4}}-\d{{2}}-\d{{2}}(?: \d+| \(\d+\))?"  # Dropbox numbers a 2nd copy of the day
# Dropbox's tag in the languages seen in real file names: the person's name, then the date.
_NAME_FIRST = ("['’]s conflicted copy", " in Konflikt stehende Kopie")  # Alex's ..., Alexs ...
_NAME_AFTER = (  # (In ... von: older German)
    "[Ii]n Konflikt stehende Kopie von",
    "Kopie mit Konflikt von",
    "[Cc]opie en conflit de",
    "[Cc]opia en conflicto de",
    "[Cc]opia in conflitto di",
    "[Cc]ópia em conflito de",
)
_DROPBOX_TAGS = (*(f".+{t} " for t in _NAME_FIRST), *(f"{t} .+ " for t in _NAME_AFTER))
_ONEDRIVE = "OneDrive"

# (service, what it puts between the file's stem and its suffix); `{s}` is the stem.
_NAMINGS: tuple[tuple[str, str], ...] = (
    *(("Dropbox", rf"{{s}} \({tag}{_DATE}\)(?: \(\d+\))?") for tag in _DROPBOX_TAGS),
    ("Dropbox", r"(?i:{s}) \(Case Conflict(?: \d+)?\)"),
    ("Dropbox", r"{s} \(Unicode Encoding Conflict(?: \d+)?\)"),
    ("Nextcloud", r"{s} \(conflicted copy (?:[^()]+ )?\d{{4}}-\d{{2}}-\d{{2}}(?: \d{{6}})?\)"),
    ("Nextcloud", r"{s}_conflict-\d{{8}}-\d{{6}}"),
    ("Syncthing", r"{s}\.sync-conflict-\d{{8}}-\d{{6}}-[A-Z0-9]+"),
    ("Google Drive", r"{s} \(\d+\)"),
    ("iCloud", r"{s} \d+"),
    (_ONEDRIVE, r"{s}-(?P<host>[A-Za-z0-9][A-Za-z0-9_-]*)"),  # name-HOSTNAME: see _onedrive_host
)
# A computer name as Windows (and so OneDrive) writes it: a NetBIOS name, in capitals.
_WINDOWS_NAME = re.compile(r"(?=[A-Z0-9-]*[A-Z])[A-Z0-9](?:[A-Z0-9-]{0,13}[A-Z0-9])?")
_AGAIN_SUFFIX = re.compile(r"-\d+$")
_ARCHIVE_YEAR = re.compile(r"\d{4}(?:-|$)")  # `meetup-2024.json`, `meetup-2024-OFFICE-PC.json`


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@functools.lru_cache(maxsize=16)
def _patterns(stem: str, suffix: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    s, x = re.escape(_nfc(stem)), re.escape(_nfc(suffix))
    return tuple((service, re.compile(f"^{middle.format(s=s)}{x}$")) for service, middle in _NAMINGS)


archive_folder = set_aside.folder_of


def service_of(path: Path, copy: Path) -> str | None:
    """Which sync service names a conflicted copy of `path` like `copy`, or None (see above)."""
    service, host = _named_like(path, copy)
    if service == _ONEDRIVE and not _onedrive_host(host, copy):
        return None
    return service


def _named_like(path: Path, copy: Path) -> tuple[str | None, str]:
    """The service whose naming `copy`'s name fits, by name alone, and the host it names."""
    name = _nfc(copy.name)
    for service, pattern in _patterns(path.stem, path.suffix):
        match = pattern.match(name)
        if match is not None:
            return service, match.group("host") if service == _ONEDRIVE else ""
    return None, ""


def _onedrive_host(host: str, copy: Path) -> bool:
    """Is `host` (what follows `stem-`) the computer OneDrive named `copy` after?"""
    if _ARCHIVE_YEAR.match(host):
        return False  # a log archive, or a copy of one: never a copy of the file itself
    if _WINDOWS_NAME.fullmatch(host):
        return True
    name, here = _AGAIN_SUFFIX.sub("", host).casefold(), socket.gethostname().split(".")[0]
    return name == here.casefold() or name in _examine(copy)[0].hosts  # read once per stat


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def find_candidates(path: Path) -> list[Path]:
    """Regular files beside `path` named like a sync service's conflicted copy of it."""
    try:
        entries = list(path.parent.iterdir())
    except OSError:
        return []
    found = []
    for entry in entries:
        service, host = _named_like(path, entry)
        if service is None or entry.name == path.name:
            continue
        if entry.is_symlink() or not entry.is_file() or _same_file(entry, path):
            continue  # a folder (backups, archive), or a link to the database itself
        if service != _ONEDRIVE or _onedrive_host(host, entry):
            found.append(entry)
    with _readings_lock:  # forget what was read of copies no longer there
        for gone in [p for p in _readings if p.parent == path.parent and p not in entries]:
            del _readings[gone]
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


# -- reading a copy, once per change of its stat --------------------------------------------


@dataclass(frozen=True)
class _Reading:
    """What one read of a copy found; everything `inspect` needs except the book itself."""

    key: tuple[int, ...]  # the stat it was read under; () when even that failed
    read_error: str = ""  # the file cannot be read: why
    bad_json: str = ""  # not a database: what is wrong (a clause)
    not_database: bool = False  # valid JSON, but not shaped like a database
    theirs: str | None = None  # its database id
    bad_tables: str = ""  # its tables do not decode: what is wrong (a clause)
    hosts: frozenset[str] = frozenset()  # computers in its `updated_by` stamps, casefolded


_readings: dict[Path, _Reading] = {}
_readings_lock = threading.Lock()


def _read_bytes(copy: Path) -> bytes:
    """The one place a copy's bytes are read (tests count the calls); never hangs on a FIFO."""
    with open(os.open(copy, os.O_RDONLY | os.O_NONBLOCK), "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise OSError(errno.EINVAL, "it is not a regular file")
        return handle.read()


def _examine(copy: Path) -> tuple[_Reading, Book | None]:
    """What `copy` holds: read again only if its stat changed; the book only when read now.

    The stat is taken before the read: a copy replaced in between is read again next time.
    """
    try:
        info = copy.stat()
    except OSError as exc:
        return _Reading((), read_error=exc.strerror or "it is gone"), None
    key = (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
    with _readings_lock:
        known = _readings.get(copy)
    if known is not None and known.key == key:
        return known, None
    reading, book = _read_whole(copy, key)
    with _readings_lock:
        _readings[copy] = reading
    return reading, book


def _read_whole(copy: Path, key: tuple[int, ...]) -> tuple[_Reading, Book | None]:
    """Read, parse, migrate and decode `copy`, as opening it would."""
    try:
        raw = _read_bytes(copy)
    except OSError as exc:
        return _Reading(key, read_error=exc.strerror or str(exc)), None
    try:
        data = jsonfile.parse(copy, raw)
        theirs = schema.meta_of(copy, data).get("database_id")
    except BadFile as exc:
        if _valid_json(raw):  # JSON, but not shaped like a database at all
            return _Reading(key, not_database=True), None
        return _Reading(key, bad_json=_clause(exc)), None
    theirs = theirs if isinstance(theirs, str) and theirs else None
    hosts = _hosts_of(data)
    try:
        data, _found = schema.migrate(copy, data)
        book, _meta = schema.decode(copy, data)
    except BadFile as exc:
        return _Reading(key, theirs=theirs, bad_tables=_clause(exc), hosts=hosts), None
    return _Reading(key, theirs=theirs, hosts=hosts), book


def _hosts_of(data: dict[str, Any]) -> frozenset[str]:
    """The computers named in the records' `updated_by` (`alex@hilap` -> `hilap`)."""
    hosts = set()
    for table, documents in data.items():
        if table == schema.META:
            continue
        for doc in documents.values():
            who = doc.get("updated_by") if isinstance(doc, dict) else None
            if isinstance(who, str) and "@" in who:
                hosts.add(who.rsplit("@", 1)[1].split(".")[0].casefold())
    return frozenset(hosts)


def _valid_json(raw: bytes) -> bool:
    try:
        json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return False
    return True


def inspect(copy: Path, database_id: str | None) -> Inspection:
    """Read `copy` (never writing) and say whether it is a readable copy of `database_id`.

    With `database_id` None (this database's file cannot be read) a readable copy has
    `same_database` None.  A file that is valid JSON but not a database is not a copy.  A
    copy whose stat has not changed since it was last read is not read again.
    """
    return _inspect(copy, database_id, need_book=True)


def _inspect(copy: Path, database_id: str | None, *, need_book: bool) -> Inspection:
    """`inspect`; without `need_book` an unchanged good copy is not read again either.

    Then a copy that could be merged has no book but an empty reason.
    """
    found, book = _examine(copy)
    if need_book and book is None and found.key and not _left_alone(found, database_id):
        with _readings_lock:  # a good copy's book is not kept: read it again
            _readings.pop(copy, None)
        found, book = _examine(copy)
    if found.read_error:
        return Inspection(copy, False, None, f"it cannot be read ({found.read_error}).")
    if found.not_database:
        why = "it is not a copy of this database (not a meetup-tui database at all)."
        return Inspection(copy, True, False, why)
    if found.bad_json:
        return Inspection(copy, False, None, f"it cannot be read ({found.bad_json}).")
    theirs = found.theirs
    if database_id is not None and theirs != database_id:
        why = "its database id differs" if theirs else "it has no database id"
        return Inspection(copy, True, False, f"it is not a copy of this database ({why}).", None, theirs)
    same = None if database_id is None else True
    if found.bad_tables:
        return Inspection(copy, False, same, f"it cannot be read ({found.bad_tables}).", None, theirs)
    return Inspection(copy, True, same, "", book, theirs)


def _left_alone(found: _Reading, database_id: str | None) -> bool:
    """Would `found` be left alone whatever its book (unreadable, or another database's)?"""
    if found.read_error or found.not_database or found.bad_json or found.bad_tables:
        return True
    return database_id is not None and found.theirs != database_id


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


def find_all_candidates(db: Database) -> list[Path]:
    """The conflicted copies of `db`'s file and of each of its log archives, found with one
    listing of the folder (every command looks, so no copy piles up)."""
    try:
        entries = list(os.scandir(db.path.parent))
    except OSError:
        return []
    names = {entry.name for entry in entries}
    targets = [db.path, *(archive.path for _year, archive in sorted(db.archives.items()))]
    targets += [db.path.with_name(n) for n in sorted(names) if archives.is_archive_name(db.path, n)]
    found: set[Path] = set()
    for target in dict.fromkeys(targets):
        # Only a name that looks like a copy of this target earns the closer look (a listing
        # of its own, and the copies' stat): with none, this loop is all a command pays.
        if any(_named_like(target, Path(name))[0] for name in names if name != target.name):
            found.update(find_candidates(target))
    return sorted(found)


def merge_copies(db: Database, now: datetime | None = None) -> list[CopyReport]:
    """Merge every conflicted copy of `db`'s file and of its log archives into it (each
    entry goes where it belongs) and move the copies aside.

    Raises StoreError if the merged records cannot be written (they stay pending in `db`
    and the copy stays where it is, to be merged again later).
    """
    reports = []
    moment = now or datetime.now(UTC)
    for copy in find_all_candidates(db):
        found = _inspect(copy, str(db.meta.get("database_id")), need_book=not db.read_only)
        if found.reason:
            reports.append(CopyReport(copy, problem=found.reason, left_alone=True))
            continue
        if db.read_only:
            problem = f"{db.read_only}, so it cannot be merged yet."
            reports.append(CopyReport(copy, problem=problem, left_alone=True))
            continue
        assert found.book is not None
        set_aside.note(db.path, db.user, dropped_between(db.book, found.book))  # before the merge drops them
        changes = db.merge_in(found.book)
        summary = describe_changes(changes) if changes else ""
        try:
            with locked(db.path):  # two processes merging one copy: one moves it, once
                moved: Path | None = _archive(db.path, copy, moment)
            problem = ""
        except FileNotFoundError:
            moved, problem = None, "another process had already moved it aside."
        except OSError as exc:
            moved = None
            problem = f"it could not be moved to {archive_folder(db.path)} ({exc.strerror}), so it stays."
        reports.append(CopyReport(copy, len(changes), moved, problem, summary))
    return reports


def _archive(path: Path, copy: Path, now: datetime) -> Path:
    """Move `copy` into the archive folder under a name no earlier archived copy has."""
    folder = set_aside.make_folder(path)
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
