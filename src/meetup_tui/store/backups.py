"""Rotating backups in a folder beside the database: `meetup-backups/` next to `meetup.json`.

Names carry the UTC time, the host and a random tag, so two machines syncing one folder
never write the same name.  Rotation keeps the newest 20 and, for 30 days, the newest of
each day.  A backup is called good only if it opens exactly as the database would: read,
parsed, migrated and decoded whole.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import socket
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

from meetup_tui.store import jsonfile, schema

KEEP_RECENT = 20
KEEP_DAILY_DAYS = 30
_STAMP = re.compile(r"\.(\d{8}T\d{6}Z)\.")


def backup_folder(path: Path) -> Path:
    return path.parent / f"{path.stem}-backups"


def _stamp_of(backup: Path) -> datetime | None:
    match = _STAMP.search(backup.name)
    if not match:
        return None
    try:
        return datetime.strptime(match.group(1), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:  # digits in the right places, but not a moment (month 13): not a backup
        return None


def list_backups(path: Path) -> list[Path]:
    """This database's backups, newest first."""
    folder = backup_folder(path)
    try:
        found = [p for p in folder.iterdir() if p.name.startswith(f"{path.stem}.") and _stamp_of(p)]
    except (FileNotFoundError, NotADirectoryError, PermissionError):
        return []
    return sorted(found, key=lambda p: (_stamp_of(p), _written_ns(p), p.name), reverse=True)


def _written_ns(backup: Path) -> int:
    """When the backup was written: orders two made within the same second of the name."""
    try:
        return backup.stat().st_mtime_ns
    except OSError:
        return 0


def newest_good_backup(path: Path) -> Path | None:
    """The newest backup that opens as the database would (whole: every record), or None."""
    for backup in list_backups(path):
        if is_good(backup):
            return backup
    return None


def is_good(backup: Path) -> bool:
    """Does `backup` read, parse, migrate and decode exactly as opening the database does?"""
    try:
        data = jsonfile.parse(backup, _read_bytes(backup))
        data, _found = schema.migrate(backup, data)
        schema.decode(backup, data)
    except (jsonfile.StoreError, OSError, ValueError, TypeError, RecursionError):
        return False  # anything that would stop the file opening makes it no good
    return True


def _read_bytes(backup: Path) -> bytes:
    """The backup's bytes; a FIFO or a folder in its place is refused, never waited on."""
    with open(os.open(backup, os.O_RDONLY | os.O_NONBLOCK), "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        return handle.read()


def make_backup(path: Path, raw: bytes, now: datetime | None = None) -> Path:
    """Write `raw` (the file as it was) into the backups folder, then prune old backups.

    A failure (disk full, permission) is a StoreError that names the database, whose save
    it stops: "Could not save meetup.json: No space left on device (while making a backup);
    the file was left as it was."
    """
    now = now or datetime.now(UTC)
    folder = backup_folder(path)
    _make_folder(folder, path)
    host = re.sub(r"[^A-Za-z0-9-]", "-", socket.gethostname().split(".")[0]) or "host"
    name = f"{path.stem}.{now:%Y%m%dT%H%M%SZ}.{host}.{secrets.token_hex(3)}{path.suffix}"
    target = folder / name
    try:
        jsonfile.write_atomic(target, raw, mode_from=path)
    except jsonfile.StoreError as exc:
        cause = exc.__context__  # write_atomic raises `from None`: the OSError is still here
        why = cause.strerror if isinstance(cause, OSError) else None
        raise _not_saved(path, why or "the backup could not be written", "while making a backup") from None
    prune(path, now)
    return target


def _not_saved(path: Path, why: str, doing: str) -> jsonfile.StoreError:
    return jsonfile.StoreError(f"Could not save {path}: {why} ({doing}); the file was left as it was.")


def _make_folder(folder: Path, path: Path) -> None:
    """The backups folder: private, or, beside a group-shared database, shared like it.

    Otherwise the first user to back up would lock the group's other writers out of it.
    """
    try:
        folder.mkdir(mode=0o700)
    except FileExistsError:
        return
    except OSError as exc:
        doing = f"while making the backups folder {folder}"
        raise _not_saved(path, exc.strerror or str(exc), doing) from None
    try:
        info = path.stat()
        if info.st_mode & 0o060 != 0o060:
            return
        if folder.stat().st_gid != info.st_gid:
            os.chown(folder, -1, info.st_gid)
        os.chmod(folder, 0o770 | (folder.stat().st_mode & stat.S_ISGID))
    except OSError:
        pass  # stays private: the others' backups then fail with a clear message


def prune(path: Path, now: datetime) -> list[Path]:
    """Delete backups beyond the newest KEEP_RECENT, keeping each day's newest for KEEP_DAILY_DAYS."""
    keep: set[Path] = set()
    days_seen: set[str] = set()
    removed: list[Path] = []
    horizon = now - timedelta(days=KEEP_DAILY_DAYS)
    for index, backup in enumerate(list_backups(path)):
        stamp = _stamp_of(backup)
        assert stamp is not None
        day = stamp.strftime("%Y-%m-%d")
        if index < KEEP_RECENT or (stamp >= horizon and day not in days_seen):
            keep.add(backup)
        days_seen.add(day)
        if backup not in keep:
            try:
                backup.unlink(missing_ok=True)
            except OSError:
                continue  # not ours to delete (another user's, in a shared folder): it stays
            removed.append(backup)
    return removed
