"""A segment's connectors: the members whose friends follow them (issue 11, part 3).

Ranked by influence, then by how many live people they introduced, then by how many live
log entries they appear in; name (any case) and id settle the rest, so the order never
depends on the order of the file.  Only a member with some influence (1 or more) or at
least one introduction counts as a connector: the rest are just members.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from meetup_tui.domain.book import Book, member_test
from meetup_tui.domain.records import Person, Segment
from meetup_tui.domain.text import one_line, plural

CONNECTOR_DAYS = 30  # "touched lately": a real conversation within these days


@dataclass(frozen=True)
class Connector:
    """One connector of a segment and what the book says about them."""

    person: Person
    influence: int
    introduced: int  # live people whose introduced_by is this person (anywhere in the book)
    appearances: int  # live log entries the person is in, any outcome
    last_talk: date | None  # their last real conversation ("reached"), None if never
    touched: bool  # a real conversation within the window asked for


def connectors(
    book: Book, segment: Segment, today: date, *, days: int = 30, limit: int | None = 3
) -> list[Connector]:
    """The segment's live members ranked as connectors, best first, at most `limit` of them
    (None: all).  `touched` means a real conversation on one of the `days` days before today
    or today itself (last talk >= today - days).

    One pass over the people and one over the log: fine for thousands of people."""
    test = member_test(segment)
    members = {p.id: p for p in book.people.values() if not p.deleted and test(p)}
    if not members:
        return []
    introduced: dict[str, int] = {}
    for person in book.people.values():
        by = person.introduced_by
        # A person "introduced by" themselves is bad data: it is no introduction.
        if by in members and not person.deleted and by != person.id:
            introduced[by] = introduced.get(by, 0) + 1
    appearances: dict[str, int] = {}
    for item in book.interactions.values():
        if item.deleted:
            continue
        for pid in set(item.people):  # a name listed twice in one entry is one appearance
            if pid in members:
                appearances[pid] = appearances.get(pid, 0) + 1
    last = book.last_contacts()
    since = today - timedelta(days=days)
    found = []
    for pid, person in members.items():
        count = introduced.get(pid, 0)
        influence = person.influence
        if influence < 1 and count < 1:
            continue
        talk = last.get(pid)
        found.append(
            Connector(
                person=person,
                influence=influence,
                introduced=count,
                appearances=appearances.get(pid, 0),
                last_talk=talk,
                touched=talk is not None and talk >= since,
            )
        )
    found.sort(key=_rank)
    return found if limit is None else found[: max(limit, 0)]


def _rank(c: Connector) -> tuple[int, int, int, str, str]:
    return (-c.influence, -c.introduced, -c.appearances, c.person.name.casefold(), c.person.id)


def connectors_sentence(segment: Segment, found: list[Connector], days: int) -> str:
    """ "Runners' club: 0 of 3 connectors touched in 30 days", or, with none, a hint at how
    to get some: "Runners' club: no connectors yet — mark someone's influence"."""
    return f"{one_line(segment.name)}: {connectors_words(found, days)}"


def connectors_words(found: list[Connector], days: int) -> str:
    """The sentence without the segment's name, for where the name already heads it."""
    if not found:
        return "no connectors yet — mark someone's influence"
    touched = sum(1 for c in found if c.touched)
    return f"{touched} of {plural(len(found), 'connector')} touched in {plural(days, 'day')}"
