"""Every field of a record carries its own version, so any two copies merge without a base.

A version is the text "<UTC stamp> <author>", e.g. "2026-11-27T12:00:00.000000Z alex@shop";
stamps are fixed-width ISO, so comparing the texts compares moments first, then authors.

A record's versions live in its `versions` map (`"_v"` in the file):

- `"*"`: the version of every field not named in the map.  A record without `_v` (new, or
  written by a version before field versions) has every field at its own stamp,
  `updated_at + " " + updated_by`: that is the whole migration from schema 1.
- a plain field ("snoozed_until", "name", ...): the version of its last change.
- a set field (SET_FIELDS: phones, emails, tags, a segment's include/exclude, the people
  of a log entry): a map element -> the version of the element's last add or remove.
  An element in the list was last added, one named here but not in the list was last
  removed; an element named nowhere has the "*" version.

Merging two versions of a record (`merge_records`) is, per field, "the newer version
wins" (a last-writer-wins map, a state-based CRDT): commutative, associative and
idempotent, so copies merge in any order and grouping to the same record, and an older
copy can never undo a newer edit.  Sets merge element by element; an add and a remove
with the same version keep the element.  A set's order is its elements by version, then
by their place in the list: older entries first, so the first phone stays first when
someone adds another.  Deleting is the field `deleted`; an edit of any other field newer
than the delete brings the record back.  Ties (the same version, two values: only a hand
edit makes them) go to the greater value, so the choice never depends on argument order.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any, TypeVar

from meetup_tui.domain.records import Interaction, Person, Post, Record, Segment

R = TypeVar("R", bound=Record)

FLOOR = "*"
SET_FIELDS: dict[type[Record], frozenset[str]] = {
    Person: frozenset({"phones", "emails", "tags"}),
    Segment: frozenset({"include", "exclude"}),
    Interaction: frozenset({"people"}),
    Post: frozenset({"engaged"}),
}
BOOKKEEPING = frozenset({"id", "created_at", "updated_at", "updated_by", "versions", "extra"})
"""Fields that say who changed a record and when: derived by the merge, never voted on."""


def version(stamp: str, author: str) -> str:
    return f"{stamp} {author}"


def split(text: str) -> tuple[str, str]:
    """(stamp, author) of a version."""
    stamp, _, author = text.partition(" ")
    return stamp, author


def floor(record: Record) -> str:
    """The version of every field the record's map does not name."""
    return record.versions.get(FLOOR) or version(record.updated_at, record.updated_by)


def sets_of(record: Record) -> frozenset[str]:
    return SET_FIELDS.get(type(record), frozenset())


def fields_of(record: Record) -> dict[str, Any]:
    """Field name -> value of every field a person edits (no bookkeeping, no unknown fields)."""
    values = {f.name: getattr(record, f.name) for f in dataclasses.fields(record)}
    for name in BOOKKEEPING:
        values.pop(name, None)
    return values


def content(record: Record) -> dict[str, Any]:
    """Field name -> value: every field but the bookkeeping, unknown fields included."""
    values = fields_of(record)
    for name, value in record.extra.items():
        values.setdefault(name, value)
    return values


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)


def _field_version(record: Record, name: str, base: str) -> str:
    found = record.versions.get(name)
    return found if isinstance(found, str) else base


def _element_versions(record: Record, name: str) -> dict[str, str]:
    found = record.versions.get(name)
    return found if isinstance(found, dict) else {}


def newest(record: Record) -> str:
    """The version of the record's latest change to anything."""
    best = floor(record)
    for entry in record.versions.values():
        for candidate in entry.values() if isinstance(entry, dict) else (entry,):
            best = max(best, candidate)
    return best


# -- editing ---------------------------------------------------------------------------------


def _sorted_prefix(items: list[str], before: list[str], versions: dict[str, str], base: str) -> int:
    """How many of `items`, from the start, already stand in the order a merge gives them: by
    version, then by place in the list `before` (elements of one version keep their order)."""
    places = {item: place for place, item in enumerate(before)}
    last: tuple[str, int] | None = None
    for count, item in enumerate(items):
        rank = (versions.get(item, base), places.get(item, len(before) + count))
        if last is not None and rank < last:
            return count
        last = rank
    return len(items)


def _edit_set(
    record: Record, name: str, seen: list[str], wanted: list[str], stamp: str
) -> tuple[list[str], dict[str, str]]:
    """The list after a person turned `seen` into `wanted`, applied to what the record has now
    (others may have added meanwhile: their additions stay), and the element versions."""
    current = list(getattr(record, name))
    added = [e for e in dict.fromkeys(wanted) if e not in seen]
    removed = {e for e in seen if e not in wanted}
    target = [e for e in dict.fromkeys(wanted) if e not in removed]
    target += [e for e in current if e not in removed and e not in target]
    versions = dict(_element_versions(record, name))
    base = floor(record)
    for element in [*added, *removed]:
        versions[element] = stamp
    # A new order: the elements after the longest part already in order are stamped now,
    # which puts them last, in the order given (moving one phone first restamps the others).
    for element in target[_sorted_prefix(target, current, versions, base) :]:
        versions[element] = stamp
    return target, versions


def edit(record: R, changes: dict[str, Any], stamp: str, author: str, seen: R | None = None) -> R:
    """`record` with `changes` made now by `author`: each changed field gets the new version.

    A set field given as a whole list counts as the additions and removals that turn
    `seen`'s list (what the person saw; default: the record) into it, so an element someone
    else added meanwhile is kept.  Unchanged values change nothing.
    """
    seen = record if seen is None else seen
    now = version(stamp, author)
    sets = sets_of(record)
    versions: dict[str, Any] = dict(record.versions)
    versions.setdefault(FLOOR, floor(record))
    values: dict[str, Any] = {}
    editable = fields_of(record)
    for name, value in changes.items():
        if name not in editable:
            raise ValueError(f"{name!r} is not a field a person edits")
        if name in sets:
            value, elements = _edit_set(record, name, list(getattr(seen, name)), list(value), now)
            if value == getattr(record, name) and elements == _element_versions(record, name):
                continue
            versions[name] = elements
        elif getattr(record, name) == value:
            continue
        else:
            versions[name] = now
        values[name] = value
    if not values:
        return record
    if record.deleted and "deleted" not in values:  # as in a merge: an edit after a delete restores
        values["deleted"], versions["deleted"] = False, now
    return dataclasses.replace(record, **values, versions=versions, updated_at=stamp, updated_by=author)


# -- merging ---------------------------------------------------------------------------------


def _places(items: list[str]) -> dict[str, int]:
    """Each element's first place in the list (a hand-edited list may name one twice)."""
    places: dict[str, int] = {}
    for place, item in enumerate(items):
        places.setdefault(item, place)
    return places


def _merge_set(a: Record, b: Record, name: str, fa: str, fb: str, top: str) -> tuple[list[str], dict]:
    va, vb = _element_versions(a, name), _element_versions(b, name)
    la, lb = getattr(a, name), getattr(b, name)
    pa, pb = _places(la), _places(lb)
    state: dict[str, tuple[str, bool, int]] = {}
    for element in {*va, *vb, *pa, *pb}:
        sides = []
        for versions, places, base in ((va, pa, fa), (vb, pb, fb)):
            place = places.get(element)
            sides.append((versions.get(element, base), place is not None, -(place or 0)))
        state[element] = max(sides)
    present = [e for e, (_v, here, _p) in state.items() if here]
    present.sort(key=lambda e: (state[e][0], -state[e][2], e))
    return present, {e: v for e, (v, _h, _p) in state.items() if v > top}


def merge_records(a: R, b: R) -> R:
    """The merge of two versions of one record (same id): the newest value of every field.

    Returns `a` or `b` itself when the merge equals it.
    """
    if a is b or a == b:
        return a
    fa, fb = floor(a), floor(b)
    top = max(fa, fb)
    ca, cb = content(a), content(b)
    sets = sets_of(a)
    values: dict[str, Any] = {}
    versions: dict[str, Any] = {FLOOR: top}
    for name in {*ca, *cb}:
        if name in sets:
            values[name], elements = _merge_set(a, b, name, fa, fb, top)
            if elements:
                versions[name] = elements
            continue
        sides = [
            (_field_version(side, name, base), _canonical(values_[name]), values_[name])
            for side, values_, base in ((a, ca, fa), (b, cb, fb))
            if name in values_
        ]
        stamp, _key, value = max(sides, key=lambda s: (s[0], s[1]))
        values[name] = value
        if stamp > top:
            versions[name] = stamp
    _restore_if_edited_after_delete(values, versions, top)
    known = fields_of(a).keys()
    extra = {k: v for k, v in values.items() if k not in known}
    fields = {k: v for k, v in values.items() if k in known}
    merged = dataclasses.replace(
        a, **fields, extra=extra, created_at=min(a.created_at, b.created_at), versions=versions
    )
    last = newest(merged)
    merged.updated_at, merged.updated_by = split(last)
    if merged.versions == {FLOOR: last}:
        merged.versions = {}
    for side in (a, b):
        if side == merged:
            return side
    return merged


def _restore_if_edited_after_delete(values: dict[str, Any], versions: dict[str, Any], top: str) -> None:
    """A delete stands only while nothing else was changed after it.

    The record then shows as not deleted, but the delete keeps its version: whether a later
    delete or restore wins is decided against it, in whatever order copies merge.
    """
    if not values.get("deleted"):
        return
    deleted_at = versions.get("deleted", top)
    for name, entry in versions.items():
        if name in ("deleted", FLOOR):
            continue
        if any(v > deleted_at for v in (entry.values() if isinstance(entry, dict) else (entry,))):
            values["deleted"] = False
            return
