"""The Book: every record of one database, in memory, with the questions asked of it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TypeVar

from meetup_tui.domain.errors import LookupFailed
from meetup_tui.domain.records import Interaction, Person, Post, Record, Segment

T = TypeVar("T", bound=Record)


@dataclass
class Book:
    """All records by id, tombstones included (they matter when merging)."""

    people: dict[str, Person] = field(default_factory=dict)
    segments: dict[str, Segment] = field(default_factory=dict)
    interactions: dict[str, Interaction] = field(default_factory=dict)
    posts: dict[str, Post] = field(default_factory=dict)

    def table(self, kind: type[T]) -> dict[str, T]:
        return getattr(self, kind.TABLE)  # type: ignore[no-any-return]

    def put(self, record: Record) -> None:
        self.table(type(record))[record.id] = record

    def records(self) -> Iterator[Record]:
        for kind in (Person, Segment, Interaction, Post):
            yield from self.table(kind).values()

    # -- live views (tombstones left out) -------------------------------------------

    def live_people(self) -> list[Person]:
        return [p for p in self.people.values() if not p.deleted]

    def live_segments(self) -> list[Segment]:
        return sorted(
            (s for s in self.segments.values() if not s.deleted),
            key=lambda s: (s.name.lower(), s.id),
        )

    def live_interactions(self) -> list[Interaction]:
        """The meeting log, newest first."""
        log = [i for i in self.interactions.values() if not i.deleted]
        log.sort(key=_log_order, reverse=True)
        return log

    def live_posts(self) -> list[Post]:
        return [p for p in self.posts.values() if not p.deleted]

    def interactions_with(self, person_id: str) -> list[Interaction]:
        return [i for i in self.live_interactions() if person_id in i.people]

    # -- the rules of contact ---------------------------------------------------------

    def last_contacts(self) -> dict[str, date]:
        """Each person's last *real conversation*; attempts (voicemail, no answer) do not count."""
        last: dict[str, date] = {}
        for item in self.interactions.values():
            if item.deleted or not item.reached:
                continue
            day = item.when.date()
            for pid in item.people:
                if pid not in last or day > last[pid]:
                    last[pid] = day
        return last

    def open_follow_ups(self) -> dict[str, Interaction]:
        """Per person, the newest logged next step whose follow-up has not been met by a later talk."""
        last = self.last_contacts()
        found: dict[str, Interaction] = {}
        for item in self.interactions.values():
            if item.deleted or not item.follow_up:
                continue
            for pid in item.people:
                contacted = last.get(pid)
                if contacted and contacted > item.when.date():
                    continue  # talked since the step was set
                if pid not in found or _log_order(item) > _log_order(found[pid]):
                    found[pid] = item
        return found

    def segments_of(self, person: Person) -> list[Segment]:
        return [s for s in self.live_segments() if is_member(s, person)]

    def members(self, segment: Segment) -> list[Person]:
        return [p for p in self.live_people() if is_member(segment, p)]

    def introduced(self, person_id: str) -> list[Person]:
        return [p for p in self.live_people() if p.introduced_by == person_id]

    # -- finding people by name -------------------------------------------------------

    def find_person(self, name: str) -> Person:
        """By full name (any case), else by a part of the name only one person has."""
        wanted = " ".join(name.split()).casefold()
        if not wanted:
            raise LookupFailed("The name is empty.")
        people = self.live_people()
        exact = [p for p in people if p.name.casefold() == wanted]
        if len(exact) == 1:
            return exact[0]
        matches = exact or [p for p in people if wanted in p.name.casefold()]
        if not matches:
            raise LookupFailed(f"No one called {name!r} is in the book.")
        if len(matches) > 1:
            names = ", ".join(sorted(p.name for p in matches)[:8])
            raise LookupFailed(f"{name!r} matches {len(matches)} people ({names}); give more of the name.")
        return matches[0]

    def find_people(self, names: Iterable[str]) -> list[Person]:
        found: list[Person] = []
        for name in names:
            person = self.find_person(name)
            if person not in found:
                found.append(person)
        return found

    def find_segment(self, name: str) -> Segment | None:
        wanted = name.strip().casefold()
        return next((s for s in self.live_segments() if s.name.casefold() == wanted), None)


def _log_order(item: Interaction) -> tuple[str, str, str]:
    """Chronological order of the log; ties broken by stamp, then id, never by dict order."""
    return (item.at, item.created_at, item.id)


def is_member(segment: Segment, person: Person) -> bool:
    """Manual lists first, then the rule (every given condition must hold)."""
    if person.id in segment.exclude:
        return False
    if person.id in segment.include:
        return True
    rule = segment.rule
    if not rule:
        return False
    if rule.get("tags") and not set(rule["tags"]) & set(person.tags):
        return False
    if rule.get("stage") and person.stage != rule["stage"]:
        return False
    if rule.get("area") and person.area.casefold() != str(rule["area"]).casefold():
        return False
    if rule.get("min_influence") is not None and person.influence < int(rule["min_influence"]):
        return False
    if rule.get("owner") and person.owner != rule["owner"]:
        return False
    return True


def week_start(day: date) -> date:
    return date.fromordinal(day.toordinal() - day.weekday())


def weekly_score(book: Book, today: date, weeks: int = 8) -> list[tuple[int, int, int]]:
    """Per week, oldest first: (real conversations, posts, likes).  The last entry is this week."""
    first = week_start(today).toordinal() - 7 * (weeks - 1)
    table = [[0, 0, 0] for _ in range(weeks)]

    def slot(moment: datetime) -> int | None:
        index = (moment.date().toordinal() - first) // 7
        return index if 0 <= index < weeks and moment.date() <= today else None

    for item in book.interactions.values():
        if not item.deleted and item.reached and (i := slot(item.when)) is not None:
            table[i][0] += 1
    for post in book.posts.values():
        if not post.deleted and (i := slot(datetime.fromisoformat(post.at))) is not None:
            table[i][1] += 1
            table[i][2] += post.likes
    return [(c, p, likes) for c, p, likes in table]
