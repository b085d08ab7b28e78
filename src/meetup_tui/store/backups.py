"""Rotating backups in a folder beside the database: `meetup-backups/` next to `meetup.json`.

Names carry the UTC time, the host and a random tag, so two machines syncing one folder
never write the same name.  A backup is due when the newest one in the folder, whoever
made it, is 10 minutes old (`due`: the names alone decide, nothing is read).  Backups are
gzip-compressed (`meetup.20261127T194500Z.host.abc123.json.gz`); older plain `.json` ones
are listed, read, restored and pruned alike.  Rotation keeps the newest 20 and, for 30
days, the newest of each day, while the folder stays within SIZE_FACTOR times the file's
size.  A backup is called good only if it opens exactly as the database would: read,
decompressed, parsed, migrated and decoded whole.
"""

from __future__ import annotations

import gzip
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
EVERY = timedelta(minutes=10)  # at most one backup this often, across processes and machines
SIZE_FACTOR = 5  # the backups together stay within this many times the file's size
GZIP_LEVEL = 1  # a 33 MB file: 0.15 s to 15% of its size (level 6: 0.32 s to 12%)
_STAMP = re.compile(r"\.(\d{8}T\d{6}Z)\.")


def backup_folder(path: Path) -> Path:
    """`meetup-backups/` beside `meetup.json`.  An archive file's backups (store/archives.py)
    go in its main file's folder, `meetup-2024.` names beside `meetup.` ones: each caller
    that handles an archive passes that `folder`."""
    return path.parent / f"{path.stem}-backups"


def _stamp_of(backup: Path) -> datetime | None:
    match = _STAMP.search(backup.name)
    if not match:
        return None
    try:
        return datetime.strptime(match.group(1), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    except ValueError:  # digits in the right places, but not a moment (month 13): not a backup
        return None


def list_backups(path: Path, folder: Path | None = None) -> list[Path]:
    """This file's backups, newest first: names `STEM.` then a stamp (`meetup.` never takes
    an archive's `meetup-2024.` backups, nor the other way round)."""
    folder = folder or backup_folder(path)
    try:
        found = [p for p in folder.iterdir() if p.name.startswith(f"{path.stem}.") and _stamp_of(p)]
    except (FileNotFoundError, NotADirectoryError, PermissionError):
        return []
    return sorted(found, key=lambda p: (_stamp_of(p), _written_ns(p), p.name), reverse=True)


def _size(backup: Path) -> int:
    try:
        return backup.stat().st_size
    except OSError:
        return 0


def _written_ns(backup: Path) -> int:
    """When the backup was written: orders two made within the same second of the name."""
    try:
        return backup.stat().st_mtime_ns
    except OSError:
        return 0


def due(path: Path, now: datetime | None = None, *, folder: Path | None = None) -> bool:
    """Is a backup due: none yet, or the newest (any process's, any machine's) EVERY old?

    Judged by the stamps in the names: one listing of the folder, nothing read.  A stamp
    more than EVERY in the future (a machine whose clock runs ahead) holds nothing back.
    """
    now = now or datetime.now(UTC)
    stamps = map(_stamp_of, list_backups(path, folder))
    return not any(-EVERY < now - stamp < EVERY for stamp in stamps if stamp)


def newest_good_backup(path: Path, folder: Path | None = None) -> Path | None:
    """The newest backup that opens as the database would (whole: every record), or None."""
    for backup in list_backups(path, folder):
        if is_good(backup):
            return backup
    return None


def is_good(backup: Path) -> bool:
    """Does `backup` read, parse, migrate and decode exactly as opening the database does?"""
    try:
        data = jsonfile.parse(backup, jsonfile.read_bytes(backup))  # a .gz decompressed
        data, _found = schema.migrate(backup, data)
        schema.decode(backup, data)
    except (jsonfile.StoreError, OSError, ValueError, TypeError, RecursionError):
        return False  # anything that would stop the file opening makes it no good
    return True


def make_backup(
    path: Path,
    raw: bytes,
    now: datetime | None = None,
    *,
    size: int | None = None,
    folder: Path | None = None,
) -> Path:
    """Write `raw` (the file as it was), gzip-compressed, into the backups folder, then prune.

    `size` is the file size the folder's bound is worked out from (`prune`); by default the
    file's own, as it is now.

    A failure (disk full, permission) is a StoreError that names the database, whose save
    it stops: "Could not save meetup.json: No space left on device (while making a backup);
    the file was left as it was."
    """
    now = now or datetime.now(UTC)
    folder = folder or backup_folder(path)
    _make_folder(folder, path)
    host = re.sub(r"[^A-Za-z0-9-]", "-", socket.gethostname().split(".")[0]) or "host"
    name = f"{path.stem}.{now:%Y%m%dT%H%M%SZ}.{host}.{secrets.token_hex(3)}{path.suffix}.gz"
    target = folder / name
    try:
        jsonfile.write_atomic(target, gzip.compress(raw, compresslevel=GZIP_LEVEL), mode_from=path)
    except jsonfile.StoreError as exc:
        cause = exc.__context__  # write_atomic raises `from None`: the OSError is still here
        why = cause.strerror if isinstance(cause, OSError) else None
        raise _not_saved(path, why or "the backup could not be written", "while making a backup") from None
    prune(path, now, made=target, size=size, folder=folder)
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


def prune(
    path: Path,
    now: datetime,
    *,
    made: Path | None = None,
    size: int | None = None,
    folder: Path | None = None,
) -> list[Path]:
    """Delete backups beyond the newest KEEP_RECENT, keeping each day's newest for KEEP_DAILY_DAYS,
    and, newest first, only while their total stays within SIZE_FACTOR times the larger of
    `size` (by default the file's size now; a file that cannot be looked at bounds nothing)
    and the largest backup the first rule keeps.  The newest backup, and `made` (the one just
    written), are always kept.

    The larger of the two, because the file may have shrunk for a bad reason (a sync client
    put a months-old copy in its place): bounded by the small file alone, the pruning would
    delete every backup that still holds the newer records.  The folder stays bounded
    whatever the number of changes: by five times the largest file it has held.
    """
    if size is None:
        try:
            size = path.stat().st_size
        except OSError:
            size = None
    days_seen: set[str] = set()
    horizon = now - timedelta(days=KEEP_DAILY_DAYS)
    listed: list[tuple[Path, bool, bool, int]] = []  # backup, kept by count and day, always kept, size
    for index, backup in enumerate(list_backups(path, folder)):
        stamp = _stamp_of(backup)
        assert stamp is not None
        day = stamp.strftime("%Y-%m-%d")
        wanted = index < KEEP_RECENT or (stamp >= horizon and day not in days_seen)
        days_seen.add(day)
        listed.append((backup, wanted, index == 0 or backup == made, _size(backup)))
    largest = max((bytes_ for _b, wanted, always, bytes_ in listed if wanted or always), default=0)
    budget = None if size is None else SIZE_FACTOR * max(size, largest)
    total = 0
    full = False  # once one wanted backup does not fit, every older one goes
    removed: list[Path] = []
    for backup, wanted, always, size_of in listed:
        if wanted and not always and budget is not None:
            full = full or total + size_of > budget
            wanted = not full
        if always or wanted:
            total += size_of
            continue
        try:
            backup.unlink(missing_ok=True)
        except OSError:
            continue  # not ours to delete (another user's, in a shared folder): it stays
        removed.append(backup)
    return removed
