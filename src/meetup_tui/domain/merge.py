"""Merging two copies of the book, record by record on the stable ids.  Pure: no files, no clock.

- Every id either side holds is in the result (union), tombstones included.
- Two versions of one record: the later `updated_at` wins, ties broken by `updated_by`,
  then by the whole document, so the choice never depends on argument order (`newer`).
- People merge field by field against `base`, the version both sides last had, so two
  people editing different fields of one person both win (`merge_person`).
- Interactions, segments and posts take the newer version; interactions are a union.

Without a base the merge is commutative, associative and idempotent; records are treated
as values (never mutated), so the result may share record objects with its inputs.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from typing import TypeVar

from meetup_tui.domain.book import Book
from meetup_tui.domain.records import RECORD_TYPES, Person, Record

R = TypeVar("R", bound=Record)

STAMPS = frozenset({"id", "created_at", "updated_at", "updated_by"})
"""Fields that say who changed a record and when; the merge sets them, it does not vote on them."""


def _canonical(record: Record) -> str:
    return json.dumps(record.to_doc(), sort_keys=True, default=str)


def newer(a: R, b: R) -> R:
    """The later of two versions of one record: a total, deterministic choice.

    Later `updated_at` first, then the greater `updated_by`, then the greater canonical
    JSON of the whole document; tombstones take part like any version.  `newer(a, b)`
    and `newer(b, a)` give the same document.
    """
    if a is b:
        return a
    key_a, key_b = (a.updated_at, a.updated_by), (b.updated_at, b.updated_by)
    if key_a != key_b:
        return a if key_a > key_b else b
    return a if _canonical(a) >= _canonical(b) else b


def _content(person: Person) -> dict[str, object]:
    return {f.name: getattr(person, f.name) for f in dataclasses.fields(person) if f.name not in STAMPS}


def _after(stamp: str) -> str:
    """One microsecond after an ISO stamp, in the format of records.utc_now_iso."""
    try:
        moment = datetime.fromisoformat(stamp)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        later = moment.astimezone(timezone.utc) + timedelta(microseconds=1)
    except (ValueError, OverflowError):
        return stamp  # not a stamp we can move: ties then go by updated_by and the document
    return later.isoformat(timespec="microseconds").replace("+00:00", "Z")


def merge_person(base: Person | None, ours: Person, theirs: Person) -> Person:
    """Three-way merge of one person, field by field against `base`.

    A field only one side changed takes that side's value; a field both changed takes the
    value of `newer(ours, theirs)`.  `deleted` is decided by the newer side whenever the two
    sides disagree, whatever base says: deleting or restoring is a choice about the whole
    record, so a delete newer than the other side's edit wins (the edit is still kept in the
    tombstone) and an edit newer than a delete brings the person back.  `created_at` is the
    earliest.  A result equal to one side is that side; anything new is stamped one
    microsecond after both sides, by the newer side's author, so it beats both later.
    Without a base this is `newer(ours, theirs)`.
    """
    if ours is theirs or ours == theirs:
        return newer(ours, theirs)
    if base is None:
        return newer(ours, theirs)
    winner = newer(ours, theirs)
    mine, yours, old = _content(ours), _content(theirs), _content(base)
    merged: dict[str, object] = {}
    for name, value in mine.items():
        other = yours[name]
        if value == other:
            merged[name] = value
        elif name == "deleted":
            merged[name] = winner.deleted
        elif value == old[name]:
            merged[name] = other
        elif other == old[name]:
            merged[name] = value
        else:
            merged[name] = getattr(winner, name)
    created_at = min(ours.created_at, theirs.created_at)
    same = [side for side in (ours, theirs) if side.created_at == created_at and _content(side) == merged]
    if same:
        return newer(*same) if len(same) == 2 else same[0]
    stamp = _after(max(ours.updated_at, theirs.updated_at))
    return dataclasses.replace(
        winner, **merged, created_at=created_at, updated_at=stamp, updated_by=winner.updated_by
    )


def _merge_record(base: Book | None, ours: R, theirs: R) -> R:
    if isinstance(ours, Person) and isinstance(theirs, Person):
        old = base.people.get(ours.id) if base is not None else None
        return merge_person(old, ours, theirs)  # type: ignore[return-value]
    return newer(ours, theirs)


def merge_books(ours: Book, theirs: Book, base: Book | None = None) -> Book:
    """A new Book holding every id of either side, each the merge of its versions.

    The inputs are not changed.  Ids keep `ours`' order, then the new ones in `theirs`' order.
    """
    result = Book()
    for kind in RECORD_TYPES:
        mine, yours, out = ours.table(kind), theirs.table(kind), result.table(kind)
        for rid, record in mine.items():
            other = yours.get(rid)
            out[rid] = record if other is None else _merge_record(base, record, other)
        for rid, record in yours.items():
            if rid not in out:
                out[rid] = record
    return result


def incoming_changes(ours: Book, theirs: Book, base: Book | None = None) -> list[Record]:
    """What `ours` must take in to become `merge_books(ours, theirs, base)`.

    New ids from `theirs` and merged or winning versions that differ from what `ours` holds,
    people first, then segments, interactions and posts, each table by id.
    """
    merged = merge_books(ours, theirs, base)
    changes: list[Record] = []
    for kind in RECORD_TYPES:
        mine, out = ours.table(kind), merged.table(kind)
        for rid in sorted(out):
            record = out[rid]
            held = mine.get(rid)
            if held is None or (held is not record and held.to_doc() != record.to_doc()):
                changes.append(record)
    return changes


def describe_changes(records: Iterable[Record]) -> str:
    """A short sentence for a notification: "5 changes from bob@office and ana@laptop".

    Authors come from the file: the caller shows the sentence as plain text, never markup.
    """
    authors = Counter(record.updated_by or "someone" for record in records)
    total = sum(authors.values())
    if not total:
        return "No changes."
    names = [name for name, _ in sorted(authors.items(), key=lambda item: (-item[1], item[0]))]
    if len(names) > 3:
        names = [*names[:2], f"{len(names) - 2} others"]
    who = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    noun = "change" if total == 1 else "changes"
    return f"{total} {noun} from {who}"
