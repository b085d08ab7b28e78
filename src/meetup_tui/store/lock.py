"""The advisory lock every read-merge-write holds: flock on a sidecar file.

flock is released by the kernel when the process dies, so a crash never leaves a stale
lock.  The lock file is created with the data file's permissions (so a group-shared
database gets a group-writable lock) without a moment where it exists with others.
"""

from __future__ import annotations

import errno
import fcntl
import os
import secrets
import shlex
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from meetup_tui.store.jsonfile import StoreError, new_file_mode, real_path

LOCK_TIMEOUT = 30.0


def lock_path_for(path: Path) -> Path:
    return path.with_name(f".{path.name}.lock")


def _mode_for(path: Path) -> tuple[int, int]:
    """(mode, gid) the lock file should have: the data file's, else a new file's."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return new_file_mode(path.parent)
    return stat.S_IMODE(info.st_mode) & 0o666, info.st_gid


def _open_lock(path: Path) -> int:
    lock = lock_path_for(path)
    try:
        return os.open(lock, os.O_RDWR)
    except FileNotFoundError:
        pass
    # Create it complete (mode, group) under a private name, then link it into place:
    # link() fails if another process won the race, and then we open theirs.
    mode, gid = _mode_for(path)
    temp = lock.with_name(f"{lock.name}.{secrets.token_hex(4)}")
    fd = os.open(temp, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        if gid != -1 and os.fstat(fd).st_gid != gid:
            try:
                os.fchown(fd, -1, gid)
            except OSError:
                pass  # not in that group: the folder's setgid bit is the way then
        os.fchmod(fd, mode)
        try:
            os.link(temp, lock)
        except FileExistsError:
            os.close(fd)
            fd = os.open(lock, os.O_RDWR)
    except BaseException:
        os.close(fd)
        raise
    finally:
        temp.unlink(missing_ok=True)
    return fd


def _cannot_open(lock: Path, exc: OSError) -> StoreError:
    """One sentence for a lock file we may not open, saying how to fix it when we can tell."""
    if not isinstance(exc, PermissionError):
        return StoreError(f"Cannot open the lock file {lock}: {exc.strerror}.")
    try:
        owner = os.stat(lock).st_uid
    except OSError:  # no lock file: we were not allowed to create one in the folder
        return StoreError(
            f"Cannot create the lock file {lock}: permission denied; the folder {lock.parent} "
            "must be writable by everyone who changes the database."
        )
    who, bits = ("run", "u+rw") if owner == os.geteuid() else ("ask its owner to run", "g+rw")
    return StoreError(
        f"Cannot open the lock file {lock}: permission denied; {who}: chmod {bits} {shlex.quote(str(lock))}"
    )


@contextmanager
def locked(path: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the database's exclusive lock; waits up to `timeout` seconds for other writers."""
    path = real_path(path)  # one lock for the file, whichever link names it
    try:
        fd = _open_lock(path)
    except OSError as exc:
        raise _cannot_open(lock_path_for(path), exc) from None
    try:
        deadline = time.monotonic() + timeout
        delay = 0.005
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    raise StoreError(f"Cannot lock {path}: {exc.strerror}.") from None
                if time.monotonic() >= deadline:
                    raise StoreError(
                        f"{path} has been locked by another writer for {timeout:.0f} seconds; try again."
                    ) from None
                time.sleep(delay)
                delay = min(delay * 2, 0.1)
        yield
    finally:
        os.close(fd)  # closing releases the flock
