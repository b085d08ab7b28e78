"""The value that lost: when two copies changed one field of one record each their own way,
the merge keeps the newer (domain/versions.py) and the other is noted here, with who set it
and when, so that it can still be found ("cadence was also set to weekly by alex at 10:02").

Only merges of copies that were changed apart are looked at (a conflicted copy, or the
file against changes not yet written), and only values set on their own (a field with a
version of its own, not the record's base): there the older value is one nobody chose to
replace.  Plain fields only: sets keep both sides' additions.  Pure: no files, no clock.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from meetup_tui.domain.book import Book
from meetup_tui.domain.cadence import describe_cadence
from meetup_tui.domain.records import RECORD_TYPES, Interaction, Person, Post, Record, Segment
from meetup_tui.domain.versions import (
    _canonical,
    _field_version,
    content,
    floor,
    merge_records,
    sets_of,
    split,
)


@dataclass(frozen=True)
class Overruled:
    """One value a merge dropped for a newer one of the same field."""

    record: str  # the record's id
    label: str  # the person's name, else the kind of record ("log entry")
    field: str
    value: Any
    by: str
    at: str  # UTC stamp of the dropped value
    kept: Any
    kept_by: str
    kept_at: str

    def doc(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Overruled:
        return cls(**{name: doc[name] for name in cls.__dataclass_fields__})

    def sentence(self) -> str:
        """ "Sia Alpha, cadence: also set to weekly by alex@a at 2026-12-08 10:02 UTC (kept:
        monthly, by bo@b at 2026-12-08 10:05 UTC)."  Plain text, from the file."""
        return (
            f"{self.label}, {self.field.replace('_', ' ')}: also set to {_shown(self.field, self.value)} "
            f"by {self.by or 'someone'} at {_when(self.at)} (kept: {_shown(self.field, self.kept)}, by "
            f"{self.kept_by or 'someone'} at {_when(self.kept_at)})."
        )

    @property
    def key(self) -> tuple[str, str, str, str]:
        """The same dropped value, noted twice (two machines merged the same copies), is one."""
        return self.record, self.field, self.at, self.by


_KINDS: dict[type[Record], str] = {Interaction: "a log entry", Post: "a post"}


def overruled(kept: Record, other: Record) -> list[Overruled]:
    """The values of `other` (a version of `kept`'s record, changed apart from it) that the
    merged record `kept` does not hold because a newer value of the same field won."""
    if kept.id != other.id or kept is other:
        return []
    mine, theirs = content(kept), content(other)
    sets = sets_of(kept)
    base_kept, base_other = floor(kept), floor(other)
    made = other.created_at
    found = []
    for name, value in theirs.items():
        if name in sets or name not in mine or _canonical(value) == _canonical(mine[name]):
            continue
        if not isinstance(other.versions.get(name), str):
            continue  # not changed on its own since the copy's base: no one set it there apart
        lost, won = _field_version(other, name, base_other), _field_version(kept, name, base_kept)
        if lost >= won or split(lost)[0] <= made:
            continue  # the newer one lost (a tie broken by value), or the value it was made with
        at, by = split(lost)
        kept_at, kept_by = split(won)
        label = kept.name if isinstance(kept, Person | Segment) else _KINDS[type(kept)]
        found.append(Overruled(kept.id, label, name, value, by, at, mine[name], kept_by, kept_at))
    return found


def dropped_between(book: Book, other: Book) -> list[Overruled]:
    """What merging `other` (a copy changed apart from `book`) into `book` drops, from either."""
    found: list[Overruled] = []
    for kind in RECORD_TYPES:
        held_table = book.table(kind)
        for rid, record in other.table(kind).items():
            held = held_table.get(rid)
            if held is not None and held is not record and held != record:
                found += between(held, record)
    return found


def between(a: Record, b: Record) -> list[Overruled]:
    """What merging two versions of one record, changed apart, drops from either."""
    merged = merge_records(a, b)
    return overruled(merged, a) + overruled(merged, b)


def _shown(field: str, value: Any) -> str:
    if value is None or value == "":
        return "nothing"
    if field == "cadence" and isinstance(value, str):
        try:
            return describe_cadence(value)
        except (ValueError, KeyError, IndexError, TypeError):
            pass
    return repr(value) if isinstance(value, str) else str(value)


def _when(stamp: str) -> str:
    """ "2026-12-08T10:02:31.000000Z" -> "2026-12-08 10:02 UTC"."""
    return f"{stamp[:10]} {stamp[11:16]} UTC" if len(stamp) >= 16 else stamp or "an unknown time"
