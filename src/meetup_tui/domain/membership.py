"""Putting a person into a segment by hand, or taking them out, whatever the rule says.

A segment's members are its rule's matches plus `include`, minus `exclude` (book.is_member).
Both lists are sets that merge element by element (domain/versions.py), so two people
adding members at once both keep theirs.
"""

from __future__ import annotations

from dataclasses import replace

from meetup_tui.domain.book import is_member
from meetup_tui.domain.records import Person, Segment


def join(segment: Segment, person: Person) -> Segment:
    """The segment with `person` in it: included by hand, no longer excluded."""
    if person.id in segment.include and person.id not in segment.exclude:
        return segment
    include = segment.include if person.id in segment.include else [*segment.include, person.id]
    return replace(segment, include=include, exclude=[p for p in segment.exclude if p != person.id])


def leave(segment: Segment, person: Person) -> Segment:
    """The segment without `person`: not included by hand, and excluded if the rule matches."""
    include = [p for p in segment.include if p != person.id]
    left = replace(segment, include=include)
    if is_member(left, person) and person.id not in left.exclude:
        left = replace(left, exclude=[*left.exclude, person.id])
    return left if left != segment else segment


def regroup(segments: list[Segment], person: Person, names: list[str]) -> list[Segment]:
    """The segments to write so that `person` is in exactly the segments `names` name (any
    case): joined or left by hand where that changes anything, and a new segment (them
    included by hand) for a name no segment has.  Unstamped: the store stamps them."""
    wanted = {" ".join(name.split()).casefold(): " ".join(name.split()) for name in names if name.strip()}
    changed: list[Segment] = []
    for segment in segments:
        want = segment.name.casefold() in wanted
        wanted.pop(segment.name.casefold(), None)
        if want != is_member(segment, person):
            changed.append(join(segment, person) if want else leave(segment, person))
    changed += [Segment(name=name, include=[person.id]) for name in wanted.values()]
    return changed
