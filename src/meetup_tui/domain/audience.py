""" "If your audience is everyone, it is no one": the segments too broad to be an audience,
and the people in no segment at all."""

from __future__ import annotations

from dataclasses import dataclass, replace

from meetup_tui.domain.book import Book, member_test
from meetup_tui.domain.records import Person, Segment
from meetup_tui.domain.text import one_line, plural

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
        if too_broad_for(segment, len(members), len(people)):
            too_broad[segment.id] = len(members)
    loose = [p.id for p in people if p.id not in in_any] if segments else []
    return Audience(too_broad, len(people), loose)


def too_broad_for(segment: Segment, members: int, people: int) -> bool:
    """A rule (not a hand-made list) that holds more than half of everyone."""
    return bool(segment.rule) and people >= MIN_PEOPLE and 2 * members > people


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


@dataclass(frozen=True)
class Preview:
    """Who a segment (as being edited) would hold, for the editor's live preview."""

    members: list[Person]  # most influence first, then by name
    by_hand: int  # members only because they are on the include list
    taken_out: int  # people the rule matches whom the exclude list keeps out
    people: int  # live people in the book
    too_broad: bool  # a rule that matches over half of everyone (as the segments pane says)


def preview(book: Book, segment: Segment) -> Preview:
    """One pass of the segment's test over the live people (a few ms for thousands)."""
    people = book.live_people()
    test = member_test(segment)
    by_rule = member_test(replace(segment, include=[], exclude=[]))
    members: list[Person] = []
    by_hand = taken_out = 0
    for person in people:
        matched = by_rule(person)
        if test(person):
            members.append(person)
            by_hand += not matched
        elif matched:
            taken_out += 1
    members.sort(key=lambda p: (-p.influence, p.name.casefold(), p.id))
    broad = too_broad_for(segment, len(members), len(people))
    return Preview(members, by_hand, taken_out, len(people), broad)


def preview_words(found: Preview, shown: int = 3) -> str:
    """ "12 people: Maya Patel, Kwame Mensah, Ana Lopes and 9 more · 2 in by hand · 1 taken
    out", and a warning when it holds over half of everyone."""
    count = len(found.members)
    if not count:
        words = "No one matches yet."
    else:
        names = [one_line(p.name) or "(no name)" for p in found.members[:shown]]
        rest = count - len(names)
        words = f"{plural(count, 'person', 'people')}: {', '.join(names)}"
        words += f" and {rest} more" if rest else ""
    extras = []
    if found.by_hand:
        extras.append(f"{found.by_hand} in by hand")
    if found.taken_out:
        extras.append(f"{found.taken_out} taken out by hand")
    if extras:
        words += " · " + " · ".join(extras)
    if found.too_broad:
        words += f"\n⚠ {count} of {found.people} people: an audience of everyone is no one — narrow the rule."
    return words
