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

A name alone proves nothing: a candidate is merged only if its `_meta.database_id` is
this database's.  Merged copies move to an archive folder beside the file (never
deleted); a copy that cannot be read is reported and left where it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from meetup_tui.domain.merge import describe_changes
from meetup_tui.store import jsonfile, schema
from meetup_tui.store.database import Database
from meetup_tui.store.jsonfile import StoreError


def _patterns(stem: str) -> list[re.Pattern[str]]:
    s = re.escape(stem)
    return [
        re.compile(rf"^{s} \(.+'s conflicted copy \d{{4}}-\d{{2}}-\d{{2}}(?: \d+)?\)(?: \(\d+\))?$"),
        re.compile(rf"^{s} \((?:Case|Unicode Encoding) Conflict(?: \d+)?\)$"),
        re.compile(rf"^{s} \(\d+\)$"),
        re.compile(rf"^{s} \(conflicted copy \d{{4}}-\d{{2}}-\d{{2}} \d{{6}}\)$"),
        re.compile(rf"^{s}_conflict-\d{{8}}-\d{{6}}$"),
        re.compile(rf"^{s}\.sync-conflict-\d{{8}}-\d{{6}}-[A-Z0-9]+$"),
        re.compile(rf"^{s} \d+$"),
        re.compile(rf"^{s}-[A-Za-z0-9][A-Za-z0-9_-]*$"),  # OneDrive: name-HOSTNAME
    ]


def archive_folder(path: Path) -> Path:
    return path.parent / f"{path.stem}-conflicts"


def find_candidates(path: Path) -> list[Path]:
    """Files beside `path` named like a sync service's conflicted copy of it, oldest name first."""
    patterns = _patterns(path.stem)
    skip = {backups_name(path), archive_folder(path).name}
    found = []
    try:
        entries = list(path.parent.iterdir())
    except OSError:
        return []
    for entry in entries:
        if entry == path or entry.name in skip or entry.suffix != path.suffix or not entry.is_file():
            continue
        if any(p.match(entry.stem) for p in patterns):
            found.append(entry)
    return sorted(found)


def backups_name(path: Path) -> str:
    from meetup_tui.store.backups import backup_folder

    return backup_folder(path).name


@dataclass(frozen=True)
class CopyReport:
    copy: Path
    merged: int = 0  # records that came in from it
    moved_to: Path | None = None
    problem: str = ""  # why it was left alone
    summary: str = ""

    def sentence(self) -> str:
        if self.problem:
            return f"Left {self.copy.name} alone: {self.problem}"
        what = self.summary or "nothing new"
        return f"Merged {self.copy.name} ({what}) and moved it to {self.moved_to}."


def inspect(path: Path, copy: Path, database_id: str) -> tuple[object | None, str]:
    """(the copy's Book, "") if it is a readable copy of this database, else (None, why not)."""
    try:
        data, _raw = jsonfile.read(copy)
        data, _found = schema.migrate(copy, data)
        book, meta = schema.decode(copy, data)
    except StoreError as exc:
        return None, f"it cannot be read ({exc})"
    if meta.get("database_id") != database_id:
        return None, "it is not a copy of this database (its database id differs)."
    return book, ""


def merge_copies(db: Database, now: datetime | None = None) -> list[CopyReport]:
    """Merge every conflicted copy of `db`'s file into it and archive the copies."""
    reports = []
    for copy in find_candidates(db.path):
        book, problem = inspect(db.path, copy, str(db.meta.get("database_id")))
        if book is None:
            reports.append(CopyReport(copy, problem=problem))
            continue
        changes = db.merge_in(book)  # type: ignore[arg-type]
        moved = _archive(db.path, copy, now or datetime.now(UTC))
        reports.append(CopyReport(copy, len(changes), moved, summary=describe_changes(changes)))
    return reports


def _archive(path: Path, copy: Path, now: datetime) -> Path:
    folder = archive_folder(path)
    folder.mkdir(mode=0o700, exist_ok=True)
    target = folder / f"{now:%Y%m%dT%H%M%SZ} {copy.name}"
    n = 1
    while target.exists():
        n += 1
        target = folder / f"{now:%Y%m%dT%H%M%SZ}-{n} {copy.name}"
    copy.rename(target)
    return target
