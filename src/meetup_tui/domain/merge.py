"""Merging copies of the book, record by record on the stable ids.  Pure: no files, no clock.

- Every id either side holds is in the result (union), tombstones included.
- Two versions of one record merge field by field, each field's newest version winning,
  and lists two people add to merge as sets (domain/versions.py).  No common ancestor is
  needed: the merge is commutative, associative and idempotent, so any copies merge in any
  order to the same book, and an older copy merged in changes nothing.

Records are treated as values (never mutated), so the result may share record objects with
its inputs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from meetup_tui.domain.book import Book
from meetup_tui.domain.records import RECORD_TYPES, Record
from meetup_tui.domain.versions import merge_records


def merge_books(ours: Book, theirs: Book) -> Book:
    """A new Book holding every id of either side, each the merge of its versions.

    The inputs are not changed.  Ids keep `ours`' order, then the new ones in `theirs`' order.
    """
    result = Book()
    for kind in RECORD_TYPES:
        mine, yours, out = ours.table(kind), theirs.table(kind), result.table(kind)
        for rid, record in mine.items():
            other = yours.get(rid)
            out[rid] = record if other is None else merge_records(record, other)
        for rid, record in yours.items():
            if rid not in out:
                out[rid] = record
    return result


def incoming_changes(ours: Book, theirs: Book) -> list[Record]:
    """What `ours` must take in to become `merge_books(ours, theirs)`.

    New ids from `theirs` and merged versions that differ from what `ours` holds, people
    first, then segments, interactions and posts, each table by id.
    """
    changes: list[Record] = []
    for kind in RECORD_TYPES:
        mine, yours = ours.table(kind), theirs.table(kind)
        for rid in sorted(yours):
            other = yours[rid]
            held = mine.get(rid)
            if held is None:
                changes.append(other)
                continue
            merged = merge_records(held, other)
            if merged is not held and merged != held:
                changes.append(merged)
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
