"""Who else has the database open: one small JSON file per running app, beside the file.

For a database `meetup.json` each running app keeps `.meetup.json.presence/<login>@<host>-<pid>.json`
saying who runs it (user, host, pid), since when (`started`), when it last said so
(`seen`, refreshed every HEARTBEAT_SECONDS), what it is doing ("" or "check-in") and, in a
check-in, whom it is calling (`person`: id and name).  The file is removed on exit.

Presence is a nicety; the book is what matters.  So nothing here ever raises for a reader:
a file that is stale (not seen for STALE_SECONDS, or on this host, its process gone),
unreadable, too big, not JSON, or not shaped like a presence is simply not listed.  The
folder holds no book data and is never merged: its name is neither the database's nor a
conflicted copy's, nor the backups' or the archive's (store/conflicts.py, backups.py).
Times are real UTC time, not the app's clock, whose day a test or `--today` may fix.
"""

from __future__ import annotations

import json
import os
import re
import socket
import stat
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from meetup_tui.store import jsonfile

HEARTBEAT_SECONDS = 10.0  # how often a running app says it is still here
STALE_SECONDS = 45.0  # not seen for this long: gone (a crashed or killed app)
AHEAD_SECONDS = 300.0  # a `seen` further in the future than this is a broken clock: ignored
MAX_BYTES = 4096  # a presence file is a few hundred bytes; anything bigger is not one
CHECKIN = "check-in"
_STALE = timedelta(seconds=STALE_SECONDS)
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def presence_folder(db_path: Path) -> Path:
    """The hidden folder beside the database that holds the running apps' presence files."""
    return db_path.parent / f".{db_path.name}.presence"


def this_host() -> str:
    return socket.gethostname().split(".")[0] or "localhost"


def utc_now() -> datetime:
    return datetime.now(UTC)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _safe(text: str) -> str:
    return _UNSAFE.sub("_", text)[:64] or "someone"


@dataclass(frozen=True)
class Presence:
    """One running app, as its presence file says."""

    user: str  # as the book stamps this user's changes, e.g. "sam@shop"
    host: str  # the machine the app runs on
    pid: int
    started: datetime
    seen: datetime
    doing: str = ""  # "" or CHECKIN
    person_id: str = ""  # whom they are calling, in a check-in
    person_name: str = ""

    @property
    def login(self) -> str:
        """The login part of user@host: what the header shows."""
        return self.user.split("@", 1)[0] or self.user

    def shown(self) -> tuple[str, str, str, str]:
        """What a reader shows of it (not `seen`, which changes every heartbeat)."""
        return (self.user, self.doing, self.person_id, self.person_name)

    def to_json(self) -> dict[str, Any]:
        person = {"id": self.person_id, "name": self.person_name} if self.person_id else None
        return {
            "user": self.user,
            "host": self.host,
            "pid": self.pid,
            "started": _iso(self.started),
            "seen": _iso(self.seen),
            "doing": self.doing,
            "person": person,
        }

    @classmethod
    def from_json(cls, data: object) -> Presence | None:
        """The presence `data` describes, or None if it is not shaped like one."""
        if not isinstance(data, dict):
            return None
        user, host, pid, doing = data.get("user"), data.get("host"), data.get("pid"), data.get("doing", "")
        if not (isinstance(user, str) and user and isinstance(host, str) and host):
            return None
        if not isinstance(pid, int) or isinstance(pid, bool) or pid <= 0 or not isinstance(doing, str):
            return None
        started, seen = _moment(data.get("started")), _moment(data.get("seen"))
        if started is None or seen is None:
            return None
        person = data.get("person")
        person_id = person_name = ""
        if isinstance(person, dict):
            pid_, name = person.get("id"), person.get("name")
            if not (isinstance(pid_, str) and isinstance(name, str)):
                return None
            person_id, person_name = pid_, name
        elif person is not None:
            return None
        return cls(user, host, pid, started, seen, doing, person_id, person_name)


def _moment(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None  # a time without a zone is no time


def _process_runs(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process: it runs
    except (OSError, OverflowError):
        return False
    return True


def is_stale(found: Presence, now: datetime, host: str | None = None) -> bool:
    """Gone: not seen for STALE_SECONDS (or seen impossibly far ahead), or, on this host,
    its process no longer runs."""
    age = (now - found.seen).total_seconds()
    if age > STALE_SECONDS or age < -AHEAD_SECONDS:
        return True
    return found.host == (host or this_host()) and not _process_runs(found.pid)


def read_presence(path: Path) -> Presence | None:
    """The presence in `path`, or None for anything that is not a readable presence file
    (never waits on a FIFO, never follows a link, never reads more than MAX_BYTES)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        with open(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_BYTES:
                return None
            raw = handle.read(MAX_BYTES + 1)
    except OSError:
        return None
    if len(raw) > MAX_BYTES:
        return None
    try:
        return Presence.from_json(json.loads(raw.decode("utf-8")))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None


def _presence_files(folder: Path) -> list[Path]:
    """The names that may be presence files: `*.json`, not hidden (temporary files are)."""
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    return [folder / n for n in sorted(names) if n.endswith(".json") and not n.startswith(".")]


def others_here(
    db_path: Path, now: datetime, *, own: Path | None = None, host: str | None = None
) -> list[Presence]:
    """Everyone else with the database open now, earliest started first, one entry per app
    (a sync client's copy of a file is not a second person)."""
    host = host or this_host()
    found: dict[tuple[str, str, int], Presence] = {}
    for path in _presence_files(presence_folder(db_path)):
        if own is not None and path.name == own.name:
            continue
        seen = read_presence(path)
        if seen is None or is_stale(seen, now, host):
            continue
        key = (seen.user, seen.host, seen.pid)
        if key not in found or found[key].seen < seen.seen:
            found[key] = seen
    return sorted(found.values(), key=lambda p: (p.started, p.user, p.host, p.pid))


class OwnPresence:
    """This app's presence file: written, refreshed, and removed; thread-safe.

    `doing` sets what the next `write` says; every write takes the state under the lock,
    so the last write always says the latest.  After `remove` nothing is written again (a
    heartbeat in flight at exit cannot bring the file back).  With the database read-only
    (`read_only` says why) nothing is ever written: others' presence can still be read.
    """

    def __init__(
        self,
        db_path: Path,
        user: str,
        *,
        read_only: str | None = None,
        host: str | None = None,
        pid: int | None = None,
        started: datetime | None = None,
    ) -> None:
        self.db_path = db_path
        self.user = user
        self.read_only = read_only
        self.host = host or this_host()
        self.pid = pid or os.getpid()
        self.started = started or utc_now()
        self.path = (
            presence_folder(db_path) / f"{_safe(user.split('@', 1)[0])}@{_safe(self.host)}-{self.pid}.json"
        )
        self._doing = ("", "", "")
        self._lock = threading.Lock()
        self._closed = False
        self._tidied = False

    def doing(self, activity: str, person_id: str = "", person_name: str = "") -> bool:
        """Set what we are doing; True if that changed (a write is then due)."""
        with self._lock:
            changed = self._doing != (activity, person_id, person_name)
            self._doing = (activity, person_id, person_name)
            return changed

    def current(self, now: datetime) -> Presence:
        with self._lock:
            doing = self._doing
        return Presence(self.user, self.host, self.pid, self.started, now, *doing)

    def write(self, now: datetime) -> bool:
        """Say we are here (seen `now`).  False when nothing was written: read-only, or removed.
        Raises StoreError when the folder or file cannot be written."""
        if self.read_only:
            return False
        with self._lock:
            if self._closed:
                return False
            folder = _make_folder(self.db_path)
            if not self._tidied:
                self._tidied = True
                _tidy(folder, now, self.host)
            presence = Presence(self.user, self.host, self.pid, self.started, now, *self._doing)
            payload = json.dumps(presence.to_json(), ensure_ascii=False, indent=1).encode("utf-8")
            mode_from = self.db_path if self.db_path.exists() else None
            jsonfile.write_atomic(self.path, payload, mode_from=mode_from)
            return True

    def remove(self) -> None:
        """We are gone: remove our file, and never write it again."""
        with self._lock:
            self._closed = True
            if self.read_only:
                return
            try:
                self.path.unlink(missing_ok=True)
            except OSError:
                pass  # ignored once stale


def _gone_here(found: Presence, now: datetime) -> bool:
    """Stale, and its process (on this host) no longer runs: safe to tidy away."""
    return now - found.seen > _STALE and not _process_runs(found.pid)


def _make_folder(db_path: Path) -> Path:
    """The presence folder: private, or group-writable when the database is group-shared
    (in a setgid folder it inherits the setgid bit, so its files belong to the group)."""
    folder = presence_folder(db_path)
    try:
        folder.mkdir(mode=0o700)
    except FileExistsError:
        return folder
    except OSError as exc:
        raise jsonfile.StoreError(f"Cannot create {folder}: {exc.strerror}.") from None
    try:
        shared = bool(db_path.stat().st_mode & stat.S_IWGRP)
        if shared:  # keep a setgid bit the folder inherited; add the group's rwx
            os.chmod(folder, stat.S_IMODE(folder.stat().st_mode) | stat.S_IRWXG)
    except OSError:
        pass
    return folder


def _tidy(folder: Path, now: datetime, host: str) -> None:
    """Remove what apps on this host that are gone left behind: their stale presence files
    and temporary files older than STALE_SECONDS.  Other hosts' files are theirs to remove."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        path = folder / name
        try:
            if name.startswith(".~") and name.endswith(".tmp"):
                age = now.timestamp() - path.lstat().st_mtime
                if age > STALE_SECONDS:
                    path.unlink()
            elif name.endswith(".json") and not name.startswith("."):
                found = read_presence(path)
                if found is not None and found.host == host and _gone_here(found, now):
                    path.unlink()
        except OSError:
            pass
