"""Reading and atomically writing the JSON file, with errors a person can act on.

The layout is TinyDB's (tables -> document id -> document), so `tinydb.TinyDB(path,
access_mode="r")` reads it too.  Writing goes only through the store's protocol (lock,
merge, atomic replace): a plain TinyDB write would overwrite what others wrote meanwhile.
"""

from __future__ import annotations

import json
import os
import secrets
import stat
from pathlib import Path
from typing import Any


class StoreError(Exception):
    """The file cannot be used as asked; the message is one sentence for the user."""


class MissingFile(StoreError):
    pass


class BadFile(StoreError):
    """The file is not a database this version can use; `backup` names the newest good one."""

    def __init__(self, message: str, *, backup: Path | None = None) -> None:
        super().__init__(message)
        self.backup = backup


def parse(path: Path, raw: bytes) -> dict[str, Any]:
    """Decode the file's bytes into tables, or say exactly what is wrong with them."""
    if not raw.strip():
        raise BadFile(f"{path} is empty; it is not a meetup-tui database.")
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise BadFile(
            f"{path} is not UTF-8 text (byte {exc.start}); it is not a meetup-tui database."
        ) from None
    except json.JSONDecodeError as exc:
        raise BadFile(
            f"{path} is not valid JSON: {exc.msg.removesuffix(' at')} "
            f"at line {exc.lineno}, column {exc.colno}."
        ) from None
    if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
        raise BadFile(f"{path} is JSON but not a database: expected tables of documents.")
    return data


def read(path: Path) -> tuple[dict[str, Any], bytes]:
    """The parsed tables and the raw bytes they came from."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise MissingFile(f"There is no database at {path}.") from None
    except IsADirectoryError:
        raise StoreError(f"{path} is a folder, not a database file.") from None
    except PermissionError:
        raise StoreError(f"Permission denied reading {path}.") from None
    return parse(path, raw), raw


def encode(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


def new_file_mode(folder: Path) -> tuple[int, int]:
    """(mode, group id or -1) for a new file in `folder`.

    Private (0600) by default.  A setgid folder is how a group shares files (see the
    README), so there a new file is read-write for the folder's group (0660), whatever
    the creator's umask.
    """
    try:
        info = folder.stat()
    except OSError:
        return 0o600, -1
    if info.st_mode & stat.S_ISGID:
        return 0o660, info.st_gid
    return 0o600, -1


def write_atomic(path: Path, payload: bytes, *, mode_from: Path | None = None) -> os.stat_result:
    """Write `payload` so that a crash at any instant leaves the old file or the new, whole.

    A temporary file in the same folder is written and fsynced, then renamed over the
    target, then the folder is fsynced.  A new file is private to the user (0600), or
    0660 in a setgid folder (`new_file_mode`); an existing file (or `mode_from`) gives its
    mode and group (a group-shared file stays shared).  The temporary name starts with
    ".~" and ends in ".tmp", which Dropbox, Syncthing, OneDrive and Nextcloud leave alone.
    Returns the written file's stat, taken before the rename (a stat by path afterwards
    could see someone else's file).
    """
    folder = path.parent
    try:
        info = (mode_from or path).stat()
        mode, gid = stat.S_IMODE(info.st_mode), info.st_gid
    except FileNotFoundError:
        mode, gid = new_file_mode(folder)
    temp = folder / f".~{path.name}.{secrets.token_hex(6)}.tmp"
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as exc:
        raise StoreError(f"Cannot write in {folder}: {exc.strerror}.") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            if gid != -1 and os.fstat(handle.fileno()).st_gid != gid:
                try:
                    os.fchown(handle.fileno(), -1, gid)
                except OSError:
                    pass  # not a member of that group: the folder's setgid bit decides
            os.fchmod(handle.fileno(), mode)
            os.fsync(handle.fileno())
            written = os.fstat(handle.fileno())
        os.replace(temp, path)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise StoreError(f"Could not save {path}: {exc.strerror}; the file was left as it was.") from None
    _fsync_folder(folder)
    return written


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
