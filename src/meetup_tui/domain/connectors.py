"""A segment's connectors: the members whose friends follow them (issue 11, part 3).

Ranked by influence, then by how many live people they introduced, then by how many live
log entries they appear in; name (any case) and id settle the rest, so the order never
depends on the order of the file.  Only a member with some influence (1 or more) or at
least one introduction counts as a connector: the rest are just members.

`connectors` ranks one segment's (the segment view, `meetup-tui segments`);
`untouched_connectors` ranks every live segment's at once, for today's list, and keeps
the top ones nobody talked to lately.  Both go through `_contenders` and `_ranked`, so
the two can never disagree about who a segment's connectors are.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import islice

from meetup_tui.domain.book import Book, member_test
from meetup_tui.domain.records import Interaction, Person, Segment
from meetup_tui.domain.text import one_line, plural

CONNECTOR_DAYS = 30  # "touched lately": a real conversation within these days
CONNECTOR_LIMIT = 3  # a segment's connectors: its top 3


@dataclass(frozen=True)
class Connector:
    """One connector of a segment and what the book says about them."""

    person: Person
    influence: int
    introduced: int  # live people whose introduced_by is this person (anywhere in the book)
    appearances: int  # live log entries the person is in: talks and attempts, not noted steps
    last_talk: date | None  # their last real conversation ("reached"), None if never
    touched: bool  # a real conversation within the window asked for


def connectors(
    book: Book,
    segment: Segment,
    today: date,
    *,
    days: int = CONNECTOR_DAYS,
    limit: int | None = CONNECTOR_LIMIT,
) -> list[Connector]:
    """The segment's live members ranked as connectors, best first, at most `limit` of them
    (None: all).  `touched` means a real conversation on one of the `days` days before today
    or today itself (last talk >= today - days).

    One pass over the people; the introductions and the log's appearances are counted once
    for the whole book and kept until it changes: fine for thousands of people."""
    test = member_test(segment)
    introduced = _introduced(book)
    candidates = [
        (rough, p)
        for p in book.people.values()
        if not p.deleted and test(p) and (rough := _rough(p, introduced)) is not None
    ]
    if not candidates:
        return []
    appearances = appearance_counts(book)
    logs = book.contact_index().people
    since = _since(today, days)
    found = []
    for person in _ranked(_contenders(candidates, limit), introduced, appearances, limit):
        log = logs.get(person.id)
        reached = log.last_reached if log is not None else None
        found.append(
            Connector(
                person=person,
                influence=person.influence,
                introduced=introduced.get(person.id, 0),
                appearances=appearances.get(person.id, 0),
                last_talk=date.fromisoformat(reached[:10]) if reached else None,
                touched=_touched(reached, since),
            )
        )
    return found


def untouched_connectors(
    book: Book, today: date, *, days: int = CONNECTOR_DAYS, limit: int = CONNECTOR_LIMIT
) -> Mapping[str, tuple[str, ...]]:
    """Person id -> the names (one line each, in segment name order) of the live segments
    whose connectors they are -- `connectors(book, segment, today, days=days, limit=limit)`
    -- and who were not touched within `days`.  Do not change the mapping.

    All segments in one pass, kept per version of the book and day: the membership of each
    person is kept while the segments stay as they are (an edited person is tested again,
    no one else); the log's appearances grow with each new entry."""
    key = (book.changes(Person), book.changes(Segment), book.changes(Interaction), today, days, limit)
    return book.memo("connectors.untouched", key, lambda b: _untouched(b, today, days, limit))


def _untouched(book: Book, today: date, days: int, limit: int) -> dict[str, tuple[str, ...]]:
    introduced, appearances = _introduced(book), appearance_counts(book)
    logs = book.contact_index().people
    since = _since(today, days)
    found: dict[str, list[str]] = {}
    for segment, contenders in _segment_contenders(book, limit):
        for person in _ranked(contenders, introduced, appearances, limit):
            log = logs.get(person.id)
            if not _touched(log.last_reached if log is not None else None, since):
                found.setdefault(person.id, []).append(one_line(segment.name))
    return {pid: tuple(names) for pid, names in found.items()}


# -- the ranking, one segment or all -------------------------------------------------------


def _rough(person: Person, introduced: Mapping[str, int]) -> tuple[int, int] | None:
    """The rank by influence and introductions alone (less is better), or None for a
    member who is no connector: one needs some influence (1 or more) or an introduction."""
    count = introduced.get(person.id, 0)
    if person.influence < 1 and count < 1:
        return None
    return -person.influence, -count


def _contenders(candidates: list[tuple[tuple[int, int], Person]], limit: int | None) -> list[Person]:
    """Of the candidates (each with its `_rough` rank), those that can still be among the
    first `limit` once the log's appearances are known: ranked no lower than the `limit`-th
    by influence and introductions alone, ties with it included.  Needs no log, so it is
    kept while the people stay as they are."""
    if limit is not None and len(candidates) > limit:
        if limit <= 0:
            return []
        bound = heapq.nsmallest(limit, [rough for rough, _ in candidates])[-1]
        return [p for rough, p in candidates if rough <= bound]
    return [p for _, p in candidates]


def _ranked(
    contenders: list[Person], introduced: Mapping[str, int], appearances: Mapping[str, int], limit: int | None
) -> list[Person]:
    """Best first: influence, introductions, appearances (most first), name in any case, id."""

    def key(p: Person) -> tuple[int, int, int, str, str]:
        return (-p.influence, -introduced.get(p.id, 0), -appearances.get(p.id, 0), p.name.casefold(), p.id)

    ranked = sorted(contenders, key=key)
    return ranked if limit is None else ranked[: max(limit, 0)]


def _since(today: date, days: int) -> str:
    return (today - timedelta(days=days)).isoformat()


def _touched(reached: str | None, since: str) -> bool:
    """A real conversation at `reached` ("2026-11-02T10:00") on the day `since` or later."""
    return reached is not None and reached >= since


# -- what the ranking is made of, kept until the book changes ------------------------------


def _introduced(book: Book) -> dict[str, int]:
    """Person id -> live people they introduced (one "introduced by" themselves is bad data,
    no introduction); kept until a person changes."""

    def build(book: Book) -> dict[str, int]:
        counts: dict[str, int] = {}
        for person in book.people.values():
            by = person.introduced_by
            if by is not None and not person.deleted and by != person.id:
                counts[by] = counts.get(by, 0) + 1
        return counts

    return book.memo("connectors.introduced", book.changes(Person), build)


class _Appearances:
    """Person id -> live log entries they are in (a name twice in one entry is one
    appearance).  New entries, the usual change, are counted in as they come; an edit or a
    tombstone counts the log again."""

    def __init__(self, _: Book) -> None:
        self.seen = (-1, -1)  # the log's `changes` when last counted
        self.counts: dict[str, int] = {}

    def of(self, book: Book) -> dict[str, int]:
        puts, size = now = book.changes(Interaction)
        if now != self.seen:
            added = size - self.seen[1]
            if self.seen[1] >= 0 and added > 0 and puts - self.seen[0] == added:
                # Every put since was a new entry, and new keys go to the end of the dict.
                self._count(islice(reversed(book.interactions.values()), added))
            else:
                self.counts = {}
                self._count(book.interactions.values())
            self.seen = now
        return self.counts

    def _count(self, items: Iterable[Interaction]) -> None:
        counts = self.counts
        get = counts.get
        for item in items:
            if item.deleted or item.outcome == "noted":  # a step written down is no meeting
                continue
            people = item.people
            for pid in people if len(people) == 1 else set(people):
                counts[pid] = get(pid, 0) + 1


def appearance_counts(book: Book) -> dict[str, int]:
    """Person id -> live log entries they are in (talks and attempts); do not change it."""
    return book.memo("connectors.appearances", None, _Appearances).of(book)


def assume_appearances(book: Book, counts: dict[str, int], new: Iterable[Interaction] = ()) -> None:
    """Take `counts`, with the entries `new` counted in, as what `appearance_counts` would
    count in the book's log as it is now (a book made from a summary of its log, and the
    entries added to it since: domain/summary.py)."""
    tally = _Appearances(book)
    tally.counts = dict(counts)
    tally._count(new)
    tally.seen = book.changes(Interaction)
    book.remember("connectors.appearances", None, tally)


class _Memberships:
    """Which live segments (indexes into `segments`, in name order) each live person is in.
    Made for one version of the segments; `update` tests again only the people whose record
    was replaced since (records are replaced by `put`, never changed in place)."""

    def __init__(self, book: Book) -> None:
        self.segments = book.live_segments()
        self.tests = [member_test(s) for s in self.segments]
        self.of: dict[str, tuple[Person, list[int]]] = {}

    def update(self, book: Book) -> dict[str, tuple[Person, list[int]]]:
        """Person id -> (the person, the indexes of their segments); do not change it."""
        kept: dict[str, tuple[Person, list[int]]] = self.of
        fresh, changed = {}, []
        for pid, person in book.people.items():
            if person.deleted:
                continue
            entry = kept.get(pid)
            if entry is None or entry[0] is not person:
                entry = (person, [])
                changed.append(entry)
            fresh[pid] = entry
        for index, test in enumerate(self.tests):  # one segment's test at a time: the fast loop
            for person, inside in changed:
                if test(person):
                    inside.append(index)
        self.of = fresh
        return fresh


def _segment_contenders(book: Book, limit: int) -> list[tuple[Segment, list[Person]]]:
    """Each live segment (name order) with its connectors' contenders; kept until a person
    or a segment changes."""

    def build(book: Book) -> list[tuple[Segment, list[Person]]]:
        memberships = book.memo("connectors.memberships", book.changes(Segment), _Memberships)
        introduced = _introduced(book)
        candidates: list[list[tuple[tuple[int, int], Person]]] = [[] for _ in memberships.segments]
        for person, inside in memberships.update(book).values():
            if inside and (rough := _rough(person, introduced)) is not None:
                for index in inside:
                    candidates[index].append((rough, person))
        return [
            (segment, _contenders(found, limit))
            for segment, found in zip(memberships.segments, candidates, strict=True)
        ]

    key = (book.changes(Person), book.changes(Segment), limit)
    return book.memo("connectors.contenders", key, build)


# -- in words -------------------------------------------------------------------------------


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
