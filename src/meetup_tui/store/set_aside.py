"""The folder beside the file that keeps what merges set aside (`meetup-conflicts/` for
`meetup.json`): the conflicted copies once merged (store/conflicts.py), and the values a
merge dropped for newer ones (domain/overruled.py), so that they sync with the book and every
machine can show them.

Each writer -- a user on a machine -- appends to a file of its own,
`overruled.<user@host>.jsonl` (one JSON object a line), so no two machines ever write one
file and a sync client never makes a copy of it.  Reading takes every such file, and the
same value noted by two machines once.  Nothing here raises: these notes help a person
find a value; a book write never waits on them or fails for them.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Iterable
from pathlib import Path

from meetup_tui.domain.overruled import Overruled

_UNSAFE = re.compile(r"[^A-Za-z0-9@._-]")
MAX_BYTES = 1024 * 1024  # per writer; past it the oldest half goes (the copies keep them too)


def folder_of(db_path: Path) -> Path:
    return db_path.parent / f"{db_path.stem}-conflicts"


def make_folder(db_path: Path) -> Path:
    """The folder: private, or group-writable when the database is group-shared."""
    folder = folder_of(db_path)
    try:
        folder.mkdir(mode=0o700)
    except FileExistsError:
        return folder
    try:
        shared = bool(db_path.stat().st_mode & stat.S_IWGRP)
    except OSError:
        shared = False
    if shared:  # keep a setgid bit the folder inherited; add the group's rwx
        os.chmod(folder, stat.S_IMODE(folder.stat().st_mode) | stat.S_IRWXG)
    return folder


def note(db_path: Path, user: str, found: Iterable[Overruled]) -> None:
    """Append the dropped values `found` to this writer's file."""
    lines = "".join(json.dumps(item.doc(), ensure_ascii=True) + "\n" for item in found)
    if not lines:
        return
    try:
        path = make_folder(db_path) / f"overruled.{_UNSAFE.sub('_', user)[:80]}.jsonl"
        if path.exists() and path.stat().st_size > MAX_BYTES:
            kept = path.read_text(encoding="ascii", errors="replace").splitlines(keepends=True)
            path.write_text("".join(kept[len(kept) // 2 :]), encoding="ascii")
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o660)
        with open(fd, "a", encoding="ascii") as handle:
            handle.write(lines)
    except OSError:
        return


def read_all(db_path: Path, record: str | None = None) -> list[Overruled]:
    """Every dropped value noted beside `db_path` (of one record, if given), oldest first."""
    seen: dict[tuple[str, str, str, str], Overruled] = {}
    try:
        files = sorted(folder_of(db_path).glob("overruled.*.jsonl"))
    except OSError:
        return []
    for path in files:
        try:
            text = path.read_text(encoding="ascii", errors="replace")
        except OSError:
            continue
        for line in text.splitlines():
            try:
                item = Overruled.from_doc(json.loads(line))
            except (ValueError, KeyError, TypeError):
                continue
            if record is None or item.record == record:
                seen.setdefault(item.key, item)
    return sorted(seen.values(), key=lambda item: (item.at, item.field))
