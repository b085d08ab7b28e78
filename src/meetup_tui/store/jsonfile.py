"""Reading and atomically writing the JSON file, with errors a person can act on.

The layout is TinyDB's (tables -> document id -> document), so `tinydb.TinyDB(path)` reads
it too; `AtomicJSONStorage` is the TinyDB storage that writes it safely.
"""

from __future__ import annotations

import json
import os
import secrets
import stat
from pathlib import Path
from typing import Any

from tinydb.storages import Storage


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
            f"{path} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}."
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


def write_atomic(path: Path, payload: bytes, *, mode_from: Path | None = None) -> None:
    """Write `payload` so that a crash at any instant leaves the old file or the new, whole.

    A temporary file in the same folder is written and fsynced, then renamed over the
    target, then the folder is fsynced.  A new file is private to the user (0600); an
    existing file (or `mode_from`) gives its mode and group (a group-shared file stays
    shared).  The temporary name starts with ".~" and ends in ".tmp", which Dropbox,
    Syncthing, OneDrive and Nextcloud leave alone.
    """
    folder = path.parent
    mode, gid = 0o600, -1
    try:
        info = (mode_from or path).stat()
        mode, gid = stat.S_IMODE(info.st_mode), info.st_gid
    except FileNotFoundError:
        pass
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
        os.replace(temp, path)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise StoreError(f"Could not save {path}: {exc.strerror}; the file was left as it was.") from None
    _fsync_folder(folder)


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


class AtomicJSONStorage(Storage):
    """A TinyDB storage that never leaves a half-written file: `TinyDB(path, storage=...)`."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)

    def read(self) -> dict[str, dict[str, Any]] | None:
        try:
            return read(self.path)[0]
        except MissingFile:
            return None

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        write_atomic(self.path, encode(data))
