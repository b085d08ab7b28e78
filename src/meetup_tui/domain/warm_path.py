"""The warm path to a stranger: the shortest chain of introductions and shared meetings
from someone you know well (issue 11, part 5).

Links (both ways): "introduced by", and being in the same live log entry (a meeting, an
event, a call with two people).  A person introduced by themselves, an "introduced by"
pointing at a deleted or missing person, and ids in the log that name no live person are
no links; deleted people are never on a path.

"Known well": a live person with a real conversation ("reached") whose date is no more
than KNOWN_DAYS (90) days before today -- someone who would pick up if you called and
ask a favour.  Old acquaintances and attempts (voicemail) do not count.

One key turns the path into a follow-up (`intro_step`): a log entry with the one you know
well whose outcome is "noted" -- a step written down, no contact made -- so it neither
resets their cadence clock nor counts as an attempt, yet its next step ("ask Maria Gonzalez
for an intro to Kwame Mensah") is open until marked done and brings them up on its day.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from meetup_tui.domain.book import Book
from meetup_tui.domain.dates import iso_minute, relative_day
from meetup_tui.domain.records import Interaction, Person
from meetup_tui.domain.text import one_line

KNOWN_DAYS = 90


@dataclass(frozen=True)
class Links:
    """Who is linked to whom, built in one pass over the people and one over the log.

    A shared entry is kept as the entry (not as every pair of its people), so a big event
    costs its size, not its size squared."""

    people: dict[str, Person]  # live people by id
    introductions: dict[str, set[str]]  # id -> ids linked by "introduced by", either way
    entries_of: dict[str, list[int]]  # id -> indexes into `entries`
    entries: list[tuple[str, ...]]  # each live entry's live people, two or more, no repeats

    def neighbours(self, pid: str) -> set[str]:
        """Everyone one link away from `pid` (not `pid` itself)."""
        found = set(self.introductions.get(pid, ()))
        for index in self.entries_of.get(pid, ()):
            found.update(self.entries[index])
        found.discard(pid)
        return found


def build_links(people: Iterable[Person], log: Iterable[Interaction]) -> Links:
    live = {p.id: p for p in people if not p.deleted}
    introductions: dict[str, set[str]] = {}
    for person in live.values():
        by = person.introduced_by
        if by is None or by == person.id or by not in live:
            continue  # no one, themselves (bad data), or someone deleted or missing
        introductions.setdefault(person.id, set()).add(by)
        introductions.setdefault(by, set()).add(person.id)
    entries: list[tuple[str, ...]] = []
    entries_of: dict[str, list[int]] = {}
    for item in log:
        if item.deleted:
            continue
        together = tuple(dict.fromkeys(pid for pid in item.people if pid in live))
        if len(together) < 2:
            continue  # a talk with one person links no one
        index = len(entries)
        entries.append(together)
        for pid in together:
            entries_of.setdefault(pid, []).append(index)
    return Links(live, introductions, entries_of, entries)


def links_of(book: Book) -> Links:
    """The book's links, kept until a person or an entry changes."""
    key = (book.changes(Person), book.changes(Interaction))
    return book.memo(
        "warm_path.links", key, lambda b: build_links(b.people.values(), b.interactions.values())
    )


def known_well(book: Book, today: date) -> set[str]:
    """Ids of the live people you know well: a real conversation within KNOWN_DAYS days."""
    since = today - timedelta(days=KNOWN_DAYS)
    people = book.people
    return {
        pid
        for pid, last in book.last_contacts().items()
        if last >= since and pid in people and not people[pid].deleted
    }


def _order(person: Person) -> tuple[int, str, str]:
    """Who comes first among equals: more influence, then name (any case), then id."""
    return (-person.influence, person.name.casefold(), person.id)


def warm_path(book: Book, target_id: str, today: date, *, max_hops: int = 4) -> list[Person] | None:
    """The people from someone you know well to `target_id`, both included ([Maria, Kwame,
    target]), along a shortest chain of links; None when the target is talked to already
    (a real conversation, ever), is not a live person, or no one you know well is within
    `max_hops` links.

    Among known people equally near, the one of most influence (then name, then id) is
    the start; between them and the target each step takes the first, by the same order,
    of the people one link nearer the target."""
    links = links_of(book)
    target = links.people.get(target_id)
    if target is None or target_id in book.last_contacts():
        return None
    known = known_well(book, today)
    # Breadth first from the target: `distance` of each person reached, level by level.
    distance = {target_id: 0}
    level = [target_id]
    used: set[int] = set()  # entries already opened: a big event is walked once
    hops = 0
    starts: list[str] = []
    while level and hops < max_hops and not starts:
        hops += 1
        following: list[str] = []
        for pid in level:
            near = set(links.introductions.get(pid, ()))
            for index in links.entries_of.get(pid, ()):
                if index not in used:
                    used.add(index)
                    near.update(links.entries[index])
            for other in near:
                if other not in distance:
                    distance[other] = hops
                    following.append(other)
        starts = [pid for pid in following if pid in known]
        level = following
    if not starts:
        return None
    start = min(starts, key=lambda pid: _order(links.people[pid]))
    path = [links.people[start]]
    here = start
    for step in range(distance[start] - 1, -1, -1):
        nearer = [pid for pid in links.neighbours(here) if distance.get(pid) == step]
        here = min(nearer, key=lambda pid: _order(links.people[pid]))
        path.append(links.people[here])
    return path


def _name(person: Person) -> str:
    return one_line(person.name) or "(no name)"


def path_words(path: list[Person]) -> str:
    """ "via Maria Gonzalez → Kwame Mensah": the people before the target, the one you
    know first ("via Maria Gonzalez" when she is linked to the target directly)."""
    if len(path) < 2:
        raise ValueError("a warm path has someone you know and the target")
    return "via " + " → ".join(_name(p) for p in path[:-1])


def intro_request(path: list[Person]) -> str:
    """The next step: "ask Maria Gonzalez for an intro to Kwame Mensah" (the person after
    the one you know: the target itself when the link is direct)."""
    if len(path) < 2:
        raise ValueError("a warm path has someone you know and the target")
    return f"ask {_name(path[0])} for an intro to {_name(path[1])}"


def intro_note(path: list[Person]) -> str:
    """ "Warm path to Lena Ortiz: via Maria Gonzalez → Kwame Mensah": the note of the step,
    naming the stranger the intros lead to."""
    return f"Warm path to {_name(path[-1])}: {path_words(path)}"


def intro_step(path: list[Person], step: str, day: date, now: datetime, user: str) -> Interaction:
    """The follow-up a warm path turns into: noted with the one you know well (unstamped)."""
    return Interaction(
        at=iso_minute(now),
        people=[path[0].id],
        kind="message",
        outcome="noted",
        note=intro_note(path),
        next_step=step,
        follow_up=day.isoformat(),
        logged_by=user,
    )


def noted_intro(book: Book, path: list[Person]) -> Interaction | None:
    """The open step this path was already turned into, if any (the same note, still open)."""
    note = intro_note(path)
    return next((s for s in book.open_steps(path[0].id) if s.outcome == "noted" and s.note == note), None)


def no_path_words(book: Book, person: Person, today: date) -> str:
    """Why `warm_path` found no path to `person`, in one sentence."""
    name = _name(person)
    last = book.last_contact(person.id)
    if last is not None:
        return f"No warm path needed: you talked to {name} {relative_day(last, today)}; call them."
    return f"No warm path to {name}: no one you talked to in {KNOWN_DAYS} days links to them."
