""" "If your audience is everyone, it is no one": the segments too broad to be an audience,
and the people in no segment at all."""

from __future__ import annotations

from dataclasses import dataclass

from meetup_tui.domain.book import Book, member_test
from meetup_tui.domain.records import Person, Segment
from meetup_tui.domain.text import plural

MIN_PEOPLE = 6
"""Below this many people a half is too few to warn about."""


@dataclass(frozen=True)
class Audience:
    too_broad: dict[str, int]  # segment id -> members, for a rule matching more than half
    people: int  # live people
    unsegmented: list[str]  # ids of live people in no segment (when there are segments)


def audience(book: Book) -> Audience:
    """One pass of every segment's test over the live people; kept until a person or a
    segment changes (a new log entry, the usual change, leaves it as it is)."""
    return book.memo("audience", (book.changes(Person), book.changes(Segment)), _audience)


def _audience(book: Book) -> Audience:
    people = book.live_people()
    segments = book.live_segments()
    in_any: set[str] = set()
    too_broad: dict[str, int] = {}
    for segment in segments:
        test = member_test(segment)
        members = [p.id for p in people if test(p)]
        in_any.update(members)
        if segment.rule and len(people) >= MIN_PEOPLE and 2 * len(members) > len(people):
            too_broad[segment.id] = len(members)
    loose = [p.id for p in people if p.id not in in_any] if segments else []
    return Audience(too_broad, len(people), loose)


def audience_warnings(book: Book, found: Audience) -> list[str]:
    """The warnings in words, the too-broad segments first (by name), then the loose people."""
    said = [
        f"{book.segments[sid].name} holds {count} of {found.people} people: an audience of "
        "everyone is no one — narrow its rule."
        for sid, count in sorted(found.too_broad.items(), key=lambda kv: book.segments[kv[0]].name.casefold())
    ]
    if found.unsegmented:
        count = len(found.unsegmented)
        said.append(f"{plural(count, 'person', 'people')} in no segment.")
    return said
