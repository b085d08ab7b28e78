"""Closed years of the log in archive files beside the database: `meetup-2024.json`.

A logged call rewrites the whole file (and a sync client uploads it whole), so a log of
years would make every call cost the whole history.  Once the main file is past THRESHOLD
(its size over LIMIT_BYTES, or its log holding entries of more than LIMIT_YEARS calendar
years), the entries (`interactions`, tombstones too) of every closed year (before the
writer's current year) move to `STEM-YYYY.json` beside it, in the same TinyDB layout,
schema and merge rules; the main file's `_meta` lists the years ("archives": [2024, 2025]).
Once a year has an archive file, that year's entries always go there.  People, segments
and posts never move.

Pure helpers here (names, years, what goes where); the reading and writing is the
database's own (store/database.py), under the main file's one lock.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from meetup_tui.domain.records import Record
from meetup_tui.store import jsonfile, schema

LIMIT_BYTES = 10_000_000  # the main file past this size...
LIMIT_YEARS = 2  # ...or its log holding entries of more calendar years than this
KEY = "archives"  # the `_meta` field listing the archived years
YEAR_KEY = "archive_year"  # an archive file's `_meta` field: the year it holds
_YEAR = re.compile(r"\d{4}")


def archive_path(path: Path, year: int) -> Path:
    """`meetup-2024.json` beside `meetup.json`."""
    return path.with_name(f"{path.stem}-{year:04d}{path.suffix}")


def is_archive_name(path: Path, name: str) -> bool:
    """Is `name` the name of an archive file of `path` (`meetup-2024.json`)?"""
    stem, suffix = path.stem + "-", path.suffix
    if not (name.startswith(stem) and name.endswith(suffix)):
        return False
    return bool(_YEAR.fullmatch(name[len(stem) : len(name) - len(suffix)]))


_marks: dict[Path, tuple[tuple[int, int, int], tuple[int | None, object]]] = {}


def archive_mark(path: Path) -> tuple[int | None, object]:
    """(the year, the database id) an archive file's `_meta` names, read once per stat;
    (None, None) for a file that is not an archive (a copy someone named `meetup-2024.json`
    by hand), cannot be read, or is not there.  Only a file marked as an archive is ever
    taken for one without the main file listing it, or written over."""
    try:
        info = path.stat()
    except OSError:
        return None, None
    key = (info.st_ino, info.st_size, info.st_mtime_ns)
    known = _marks.get(path)
    if known is not None and known[0] == key:
        return known[1]
    try:
        meta = schema.meta_of(path, jsonfile.parse(path, jsonfile.read_bytes(path)))
    except jsonfile.StoreError:
        meta = {}
    year = meta.get(YEAR_KEY)
    mark = (year if isinstance(year, int) and not isinstance(year, bool) else None, meta.get("database_id"))
    _marks[path] = (key, mark)
    return mark


def listed_years(meta: dict[str, Any]) -> set[int]:
    """The archived years the meta lists (anything else in that field is ignored)."""
    found = meta.get(KEY)
    if not isinstance(found, list):
        return set()
    return {y for y in found if isinstance(y, int) and not isinstance(y, bool) and 1 <= y <= 9999}


def this_year() -> int:
    """The writer's current year (local wall clock, as entries' `at` are); tests replace it."""
    return datetime.now().year


def year_of(at: str) -> int | None:
    text = at[:4]
    return int(text) if len(text) == 4 and text.isdigit() else None


def past_threshold(size: int, years: Iterable[int]) -> bool:
    return size > LIMIT_BYTES or len(set(years)) > LIMIT_YEARS


def new_archive_meta(meta: dict[str, Any], year: int) -> dict[str, Any]:
    """An archive's `_meta`: the database's id (a file of another database is refused), its year."""
    return {"schema": schema.SCHEMA, "database_id": meta.get("database_id"), YEAR_KEY: year}


def encode_archive(
    meta: dict[str, Any], year: int, records: Iterable[Record], extra: dict[str, Any]
) -> dict[str, Any]:
    """An archive file's tables: `_meta`, the year's log entries, any table it had that this
    version does not know; nothing else (the other tables are empty, as TinyDB leaves them)."""
    tables: dict[str, Any] = {schema.META: {"1": new_archive_meta(meta, year)}}
    tables["interactions"] = {str(n): r.stored() for n, r in enumerate(records, start=1)}
    for name, docs in extra.items():
        tables.setdefault(name, docs)
    return tables


def missing_sentence(paths: list[Path]) -> str:
    """One sentence for archives the meta lists that are not in the folder."""
    names = ", ".join(p.name for p in paths)
    one = len(paths) == 1
    return (
        f"The log {'archive' if one else 'archives'} {names} {'is' if one else 'are'} not in "
        f"{paths[0].parent} yet (a sync client may still be bringing {'it' if one else 'them'}); "
        f"the entries {'it holds' if one else 'they hold'} are not shown until then, and nothing is deleted."
    )
