"""The Book: every record of one database, in memory, with the questions asked of it."""

from __future__ import annotations

import bisect
import itertools
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from meetup_tui.domain.errors import LookupFailed, NoSuchPerson
from meetup_tui.domain.records import Interaction, Person, Post, Record, Segment
from meetup_tui.domain.text import plural

T = TypeVar("T", bound=Record)
V = TypeVar("V")


class PersonLog:
    """What the log says about one person ("newest" in log order: `at`, stamp, id)."""

    __slots__ = (
        "last_any", "last_reached", "last_talk", "last_attempt", "dated", "steps", "learned", "entries"
    )  # fmt: skip

    def __init__(self) -> None:
        self.entries: list[Interaction] = []  # every live entry with them, in no order
        self.last_any = ""  # `at` of the newest entry that reached or tried them (not "noted")
        self.last_reached: str | None = None  # `at` of the newest real conversation
        self.last_talk: Interaction | None = None  # that conversation (who logged it)
        self.last_attempt: Interaction | None = None  # the newest attempt
        self.dated: Interaction | None = None  # the open step with the earliest follow-up date
        self.steps: list[Interaction] = []  # every open next step, in no order
        self.learned: Interaction | None = None  # the newest entry saying what was learned

    def open_steps(self) -> list[Interaction]:
        """The open next steps, the one due first first: dated ones by date, then the
        undated ones, newest first."""
        dated = sorted((s for s in self.steps if s.follow_up), key=_due_order)
        undated = sorted((s for s in self.steps if not s.follow_up), key=log_order, reverse=True)
        return dated + undated


def _due_order(item: Interaction) -> tuple[str, tuple[str, str, str]]:
    return item.follow_up or "", log_order(item)


def _later(item: Interaction, than: Interaction | None) -> bool:
    """Whether `item` comes after `than` (or there is none) in log order."""
    if than is None or item.at > than.at:
        return True
    return item.at == than.at and log_order(item) > log_order(than)


def _earlier(item: Interaction, than: Interaction) -> bool:
    return _due_order(item) < _due_order(than)


@dataclass
class ContactIndex:
    """Per person id, what the log says: one pass over the interactions (tombstones left out)."""

    people: dict[str, PersonLog] = field(default_factory=dict)
    size: int = 0  # how many records of the table it has seen, tombstones included

    def add(self, item: Interaction) -> None:
        """Take in one new interaction (`replace` takes in an edit).

        Runs for every entry of the log on reading a file: the entry's fields are read
        once, and the full log order is worked out only when two entries share a minute."""
        self.size += 1
        if item.deleted:
            return
        at, outcome, people = item.at, item.outcome, self.people
        reached, contact = outcome == "reached", outcome != "noted"  # a step noted: no contact
        step_open = bool(item.next_step or item.follow_up) and not item.done
        learned = bool(item.learned)
        for pid in dict.fromkeys(item.people):  # a person named twice is one person
            entry = people.get(pid)
            if entry is None:
                entry = people[pid] = PersonLog()
            entry.entries.append(item)
            if contact and at > entry.last_any:
                entry.last_any = at
            if reached:
                if _later(item, entry.last_talk):
                    entry.last_reached, entry.last_talk = at, item
            elif contact and _later(item, entry.last_attempt):
                entry.last_attempt = item
            if step_open:
                entry.steps.append(item)
                if item.follow_up and (entry.dated is None or _earlier(item, entry.dated)):
                    entry.dated = item
            if learned and _later(item, entry.learned):
                entry.learned = item

    def replace(self, old: Interaction, new: Interaction) -> None:
        """Take in an edit of `old` (or its tombstone): the logs of the people of either
        version are worked out again from their own entries, not from the whole log."""
        affected = dict.fromkeys([*old.people, *new.people])
        theirs = {e.id: e for pid in affected for e in self.of(pid).entries if e.id != old.id}
        theirs[new.id] = new
        scratch = ContactIndex()
        for item in theirs.values():
            scratch.add(item)
        for pid in affected:
            if pid in scratch.people:
                self.people[pid] = scratch.people[pid]
            else:
                self.people.pop(pid, None)

    def of(self, person_id: str) -> PersonLog:
        return self.people.get(person_id) or PersonLog()


@dataclass
class Book:
    """All records by id, tombstones included (they matter when merging)."""

    people: dict[str, Person] = field(default_factory=dict)
    segments: dict[str, Segment] = field(default_factory=dict)
    interactions: dict[str, Interaction] = field(default_factory=dict)
    posts: dict[str, Post] = field(default_factory=dict)
    # Tables of the file this version does not know: kept as they are and written back.
    extra_tables: dict[str, Any] = field(default_factory=dict, compare=False)
    # What reading the file found and settled without losing anything ("an id twice...").
    problems: list[str] = field(default_factory=list, compare=False)
    # Ids of the records read without one (another program inserted them) and given one now.
    adopted: list[str] = field(default_factory=list, compare=False)
    # Derived from the records; see `contact_index`, `changes` and `memo`.
    _contacts: ContactIndex | None = field(default=None, init=False, repr=False, compare=False)
    _order: LogOrder | None = field(default=None, init=False, repr=False, compare=False)
    _puts: dict[str, int] = field(default_factory=dict, init=False, repr=False, compare=False)
    _memo: dict[str, tuple[Hashable, Any]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @property
    def whole_read(self) -> bool:
        """Whether every table is in memory (a book made from a summary reads its log later:
        domain/summary.py)."""
        return True

    def read_whole(self) -> None:
        """Have every table in memory: they are (a book made from a summary reads its log)."""

    def table(self, kind: type[T]) -> dict[str, T]:
        return getattr(self, kind.TABLE)  # type: ignore[no-any-return]

    def put(self, record: Record) -> None:
        table = self.table(type(record))
        if isinstance(record, Interaction):
            held = self.interactions.get(record.id)
            if self._contacts is not None:  # kept up to date by the change, not rebuilt
                if held is None:
                    self._contacts.add(record)
                else:
                    self._contacts.replace(held, record)
            if self._order is not None:
                self._order.replace(held, record)
        table[record.id] = record
        self._puts[record.TABLE] = self._puts.get(record.TABLE, 0) + 1

    def contact_index(self) -> ContactIndex:
        """The per-person index of the log (built on first use, kept up to date by `put`)."""
        index = self._contacts
        if index is None or index.size != len(self.interactions):  # also catches a table changed by hand
            index = ContactIndex()
            for item in self.interactions.values():
                index.add(item)
            self._contacts = index
        return index

    def log_order(self) -> LogOrder:
        """The live log in log order (built on first use, kept up to date by `put`)."""
        order = self._order
        if order is None or order.size != len(self.interactions):  # also catches a table changed by hand
            order = self._order = LogOrder(self.interactions)
        return order

    def talks_per_day(self) -> Counter[str]:
        """ "YYYY-MM-DD" -> how many real conversations the log has that day (do not change it):
        the log order's, kept through each change, once it is built; else counted (a sort of
        the whole log spared)."""
        if self._order is not None and self._order.size == len(self.interactions):
            return self._order.talks
        key = self.changes(Interaction)
        return self.memo("talks_per_day", key, lambda book: talks_by_day(book.interactions.values()))

    def changes(self, kind: type[Record]) -> tuple[int, int]:
        """A fingerprint of the `kind` table that moves on every put (and with its size)."""
        return self._puts.get(kind.TABLE, 0), len(self.table(kind))

    def memo(self, name: str, key: Hashable, build: Callable[[Book], V]) -> V:
        """`build(self)`, kept while `key` (what the value was built from: `changes(...)`,
        a table's size...) stays the same.  Records are replaced by `put`, never changed in
        place, so a key made of what the value depends on is enough."""
        kept = self._memo.get(name)
        if kept is None or kept[0] != key:
            kept = self._memo[name] = (key, build(self))
        return kept[1]  # type: ignore[no-any-return]

    def remember(self, name: str, key: Hashable, value: object) -> None:
        """Keep `value` as `memo(name, key, ...)` would have built it."""
        self._memo[name] = (key, value)

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
        return list(self.log_order().newest())

    def live_posts(self) -> list[Post]:
        return [p for p in self.posts.values() if not p.deleted]

    def newest_interactions(self, limit: int) -> tuple[list[Interaction], int]:
        """The newest `limit` entries of the log, newest first, and how many entries the
        log has (read from the end of the log order: the cost of `limit`, not of the log)."""
        order = self.log_order()
        return list(itertools.islice(order.newest(), limit)), len(order)

    def interactions_with(self, person_id: str) -> list[Interaction]:
        """One person's log, newest first."""
        return sorted(self.contact_index().of(person_id).entries, key=log_order, reverse=True)

    # -- the rules of contact ---------------------------------------------------------

    def last_contacts(self) -> dict[str, date]:
        """Each person's last *real conversation*; attempts (voicemail, no answer) do not count.

        Read from the log's index and kept until the log changes: do not change the dict."""

        def build(book: Book) -> dict[str, date]:
            return {pid: date.fromisoformat(at[:10]) for pid, at in book.last_reached_at()}

        return self.memo("last_contacts", self.changes(Interaction), build)

    def last_contact(self, person_id: str) -> date | None:
        """One person's last real conversation (`last_contacts`), from the log's index
        alone: after a change, the whole dict is made again for every person."""
        at = self.contact_index().of(person_id).last_reached
        return date.fromisoformat(at[:10]) if at else None

    def last_reached_at(self) -> Iterator[tuple[str, str]]:
        """(person id, `at` of their newest real conversation), for everyone talked to."""
        people = self.contact_index().people
        return ((pid, log.last_reached) for pid, log in people.items() if log.last_reached)

    def last_talk(self, person_id: str) -> Interaction | None:
        """The person's newest real conversation (its `logged_by` says who had it)."""
        return self.contact_index().of(person_id).last_talk

    def owners(self) -> list[str]:
        """Who looks after someone: the live people's owners, sorted (any case)."""
        return self.memo(
            "owners",
            self.changes(Person),
            lambda book: sorted({p.owner for p in book.live_people() if p.owner}, key=str.casefold),
        )

    def open_steps(self, person_id: str) -> list[Interaction]:
        """The person's open next steps, the one due first first."""
        return self.contact_index().of(person_id).open_steps()

    def all_open_steps(self) -> list[Interaction]:
        """Every log entry whose next step is open (once, whoever it is with)."""
        return [item for item in self.interactions.values() if item.step_open]

    def segments_of(self, person: Person) -> list[Segment]:
        tests = self.memo(  # each segment's test prepared once while the segments stay as they are
            "segment_tests",
            self.changes(Segment),
            lambda book: [(s, member_test(s)) for s in book.live_segments()],
        )
        return [segment for segment, test in tests if test(person)]

    def members(self, segment: Segment) -> list[Person]:
        """The segment's live members; kept while the people and the segments stay as they
        are (a logged call changes neither), for a segment of the book."""

        def build(book: Book) -> list[Person]:
            test = member_test(segment)  # prepared once: is_member would prepare it per person
            return [p for p in book.live_people() if test(p)]

        if self.segments.get(segment.id) is not segment:  # a segment being edited: tested afresh
            return build(self)
        return list(self.memo(f"members:{segment.id}", (self.changes(Person), self.changes(Segment)), build))

    def introduced(self, person_id: str) -> list[Person]:
        """The live people `person_id` introduced (kept per version of the people: the
        person's panel asks after every change, and a scan of 20,000 took 10 ms)."""

        def build(book: Book) -> dict[str, list[Person]]:
            by: dict[str, list[Person]] = {}
            for person in book.live_people():
                if person.introduced_by:
                    by.setdefault(person.introduced_by, []).append(person)
            return by

        return list(self.memo("introduced", self.changes(Person), build).get(person_id, ()))

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
            raise NoSuchPerson(f"No one called {name!r} is in the book.", " ".join(name.split()))
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
        """By full name (any case), else by a part of the name only one segment has."""
        wanted = " ".join(name.split()).casefold()
        live = self.live_segments()
        exact = [s for s in live if s.name.casefold() == wanted]
        if exact or not wanted:
            return exact[0] if exact else None
        partial = [s for s in live if wanted in s.name.casefold()]
        return partial[0] if len(partial) == 1 else None


def talks_by_day(entries: Iterable[Interaction]) -> Counter[str]:
    """ "YYYY-MM-DD" -> the live real conversations of `entries` that day."""
    return Counter(i.at[:10] for i in entries if i.reached and not i.deleted)


class LogOrder:
    """The live entries of a log in log order, as a sorted list of their order keys: the
    newest are at its end and a window of days is a bisection away.  `replace` keeps it
    sorted through a change (an insertion, not a sort)."""

    def __init__(self, table: dict[str, Interaction]) -> None:
        self.table = table
        self.size = len(table)  # records of the table taken in, tombstones included
        live = [i for i in table.values() if not i.deleted]
        self.keys = sorted(map(log_order, live))
        # "YYYY-MM-DD" -> how many real conversations that day (the weekly score's counts)
        self.talks: Counter[str] = talks_by_day(live)

    def __len__(self) -> int:
        return len(self.keys)

    def replace(self, old: Interaction | None, new: Interaction) -> None:
        """Take in `new`, which replaces `old` (None: a new entry) in the table."""
        if old is None:
            self.size += 1
        elif not old.deleted:
            at = bisect.bisect_left(self.keys, log_order(old))
            if at < len(self.keys) and self.keys[at] == log_order(old):
                del self.keys[at]
                self.talks[old.at[:10]] -= old.reached
        if not new.deleted:
            bisect.insort(self.keys, log_order(new))
            self.talks[new.at[:10]] += new.reached

    def newest(self) -> Iterator[Interaction]:
        """The entries, newest first."""
        table = self.table
        return (table[key[2]] for key in reversed(self.keys))



def log_order(item: Interaction) -> tuple[str, str, str]:
    """Chronological order of the log; ties broken by stamp, then id, never by dict order."""
    return (item.at, item.created_at, item.id)


def is_member(segment: Segment, person: Person) -> bool:
    """Manual lists first (exclude wins), then the rule (every given condition must hold;
    see domain/segment_rules.py)."""
    return member_test(segment)(person)


def member_test(segment: Segment) -> Callable[[Person], bool]:
    """`is_member(segment, ·)` prepared once for testing many people (sets, not list scans)."""
    exclude, include, rule = frozenset(segment.exclude), frozenset(segment.include), segment.rule
    tags = frozenset(rule["tags"]) if rule.get("tags") else None
    every_tag = rule.get("tags_mode") == "all"
    stage = rule["stage"] if rule.get("stage") else None
    area = str(rule["area"]).casefold() if rule.get("area") else None
    least = int(rule["min_influence"]) if rule.get("min_influence") is not None else None
    owner = rule["owner"] if rule.get("owner") else None

    def test(person: Person) -> bool:
        if person.id in exclude:
            return False
        if person.id in include:
            return True
        return bool(
            rule
            and (
                tags is None
                or (tags.issubset(person.tags) if every_tag else not tags.isdisjoint(person.tags))
            )
            and (stage is None or person.stage == stage)
            and (area is None or person.area.casefold() == area)
            and (least is None or person.influence >= least)
            and (owner is None or person.owner == owner)
        )

    return test


def week_start(day: date) -> date:
    return date.fromordinal(day.toordinal() - day.weekday())


def weekly_score(book: Book, today: date, weeks: int = 8) -> list[tuple[int, int, int]]:
    """Per week, oldest first: (real conversations, posts, likes).  The last entry is this week."""
    first = week_start(today).toordinal() - 7 * (weeks - 1)
    # "YYYY-MM-DD" -> its week, for each day of the weeks up to today: one lookup per record.
    slot = {
        date.fromordinal(day).isoformat(): (day - first) // 7 for day in range(first, today.toordinal() + 1)
    }
    table = [[0, 0, 0] for _ in range(weeks)]
    talks = book.talks_per_day()  # kept per day through each change: no pass over the log
    for day, i in slot.items():
        table[i][0] += talks.get(day, 0)
    for post in book.posts.values():
        if not post.deleted and (i := slot.get(post.at[:10])) is not None:
            table[i][1] += 1
            table[i][2] += post.likes
    return [(c, p, likes) for c, p, likes in table]


def score_words(week: tuple[int, int, int], *, from_posts: int = 0, short: bool = False) -> tuple[str, str]:
    """A week of `weekly_score` in words: ("This week: 3 conversations", " vs 1 post (1 like)");
    with `from_posts` (people reached after engaging with a post, domain/engagement.py):
    ("This week: 3 conversations", " (1 from a post) vs 1 post (1 like)"); `short` for a
    narrow screen: ("Week: 3 talks", " (1 via a post) vs 1 post (1 like)")."""
    talks, posts, likes = week
    said = f"Week: {plural(talks, 'talk')}" if short else f"This week: {plural(talks, 'conversation')}"
    came = ""
    if from_posts:
        posts_word = "a post" if from_posts == 1 else "posts"
        came = f" ({from_posts} {'via' if short else 'from'} {posts_word})"
    return said, f"{came} vs {plural(posts, 'post')} ({plural(likes, 'like')})"
