"""A book's summary: what today's list, the people list and `instead` read, without the log.

Most of a file is its log (50,000 entries beside 5,000 people), yet ranking reads only a
few entries per person: the last talk, the last attempt, the open steps, the newest thing
learned.  `summarize(book)` keeps those and the log's few counts (each person's
appearances, the talks per day), as plain data: JSON values in dicts, lists and tuples,
for the store to keep between runs (store/summaries.py).

`SummaryBook(summary, whole)` is a Book made from it that answers those questions exactly
as the whole book does (tests compare the two on generated books).  Whatever else asks for
the log itself -- the `interactions` table, a person's history, the log order, a change --
gets the whole book first, read by `whole()`: slower, never wrong.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

from meetup_tui.domain import connectors
from meetup_tui.domain.book import Book, ContactIndex, LogOrder, PersonLog
from meetup_tui.domain.records import Interaction, Person, Post, Record, Segment

Summary = dict[str, Any]

# A person's log as kept: last_any, last_reached, then the ids of last_talk, last_attempt,
# dated, the open steps (a list) and learned (None where there is none).
_LogFacts = tuple[str, str | None, str | None, str | None, str | None, list[str], str | None]


def summarize(book: Book) -> Summary:
    """The summary of `book` (records as their stored documents, shared, not copied: dump
    it before the book changes)."""
    kept: dict[str, Interaction] = {}

    def ref(item: Interaction | None) -> str | None:
        if item is None:
            return None
        kept[item.id] = item
        return item.id

    logs: dict[str, _LogFacts] = {
        pid: (
            log.last_any,
            log.last_reached,
            ref(log.last_talk),
            ref(log.last_attempt),
            ref(log.dated),
            [ref(step) for step in log.steps],  # type: ignore[misc]  # never None
            ref(log.learned),
        )
        for pid, log in book.contact_index().people.items()
    }
    return {
        "people": [r.stored() for r in book.people.values()],
        "segments": [r.stored() for r in book.segments.values()],
        "posts": [r.stored() for r in book.posts.values()],
        "entries": [r.stored() for r in kept.values()],
        "logs": logs,
        "size": len(book.interactions),
        "appearances": dict(connectors.appearance_counts(book)),
        "talks": {day: n for day, n in book.talks_per_day().items() if n},
    }


class SummaryBook(Book):
    """A Book of a summary: people, segments and posts whole; of the log, the index that
    ranking reads.  Anything that needs more of the log reads the whole book first."""

    def __init__(self, summary: Summary, whole: Callable[[], Book]) -> None:
        super().__init__(
            people=_records(Person, summary["people"]),
            segments=_records(Segment, summary["segments"]),
            posts=_records(Post, summary["posts"]),
        )
        self._whole: Callable[[], Book] | None = whole
        self._reading = threading.Lock()
        self._summary = summary
        self._size: int = summary["size"]
        self._talks: Counter[str] = Counter(summary["talks"])
        self._summary_index: ContactIndex | None = None  # made when first asked for
        connectors.assume_appearances(self, summary["appearances"])

    # The log itself: read whole on first use.
    @property  # type: ignore[override]
    def interactions(self) -> dict[str, Interaction]:
        if self._whole is not None:
            self.read_whole()
        return self._log

    @interactions.setter
    def interactions(self, table: dict[str, Interaction]) -> None:
        self._log = table  # Book.__init__ sets an empty table here: the summary has no log

    @property
    def whole_read(self) -> bool:
        return self._whole is None

    def read_whole(self) -> None:
        """Take every table of the whole book, and answer from them from now on.  One thread
        reads (the app reads in a worker); another that asks meanwhile waits for it."""
        with self._reading:
            read = self._whole
            if read is None:
                return
            whole = read()
            self.people, self.segments, self.posts = whole.people, whole.segments, whole.posts
            self._log = whole.interactions
            self.extra_tables, self.problems, self.adopted = whole.extra_tables, whole.problems, whole.adopted
            self._contacts = self._order = None
            self._memo.clear()
            self._whole = None  # last: until here every question is answered from the summary

    def contact_index(self) -> ContactIndex:
        if self._whole is None:
            return super().contact_index()
        if self._summary_index is None:
            entries = _records(Interaction, self._summary["entries"])
            index = self._summary_index = ContactIndex(size=self._size)
            for pid, facts in self._summary["logs"].items():
                index.people[pid] = _person_log(facts, entries)
        return self._summary_index

    def last_reached_at(self) -> Iterator[tuple[str, str]]:
        if self._whole is None:
            return super().last_reached_at()
        return ((pid, facts[1]) for pid, facts in self._summary["logs"].items() if facts[1])

    def changes(self, kind: type[Record]) -> tuple[int, int]:
        if kind is Interaction and self._whole is not None:
            return self._puts.get(kind.TABLE, 0), self._size
        return super().changes(kind)

    def talks_per_day(self) -> Counter[str]:
        return super().talks_per_day() if self._whole is None else self._talks

    def log_order(self) -> LogOrder:
        self.read_whole()
        return super().log_order()

    def interactions_with(self, person_id: str) -> list[Interaction]:
        self.read_whole()
        return super().interactions_with(person_id)

    def put(self, record: Record) -> None:
        self.read_whole()
        super().put(record)


def _records(kind: type[Record], docs: list[dict[str, Any]]) -> dict[str, Any]:
    found = (kind.from_doc(doc) for doc in docs)
    return {record.id: record for record in found}


def _person_log(facts: _LogFacts, entries: dict[str, Interaction]) -> PersonLog:
    last_any, last_reached, talk, attempt, dated, steps, learned = facts
    log = PersonLog()
    log.last_any, log.last_reached = last_any, last_reached
    log.last_talk = entries[talk] if talk else None
    log.last_attempt = entries[attempt] if attempt else None
    log.dated = entries[dated] if dated else None
    log.steps = [entries[step] for step in steps]
    log.learned = entries[learned] if learned else None
    return log
