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
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from meetup_tui.domain import connectors
from meetup_tui.domain.book import Book, ContactIndex, LogOrder, PersonLog, talks_by_day
from meetup_tui.domain.records import Interaction, Person, Post, Record, Segment

Summary = dict[str, Any]

# A person's log as kept: last_any, last_reached, then the ids of last_talk, last_attempt,
# dated, the open steps (a list) and learned (None where there is none).
_LogFacts = tuple[str, str | None, str | None, str | None, str | None, list[str], str | None]


def summarize(book: Book) -> Summary:
    """The summary of `book` (records as their stored documents, shared, not copied: dump
    it before the book changes).  A book made from a summary gives the one it was made of,
    with the entries taken in since (`SummaryBook.add_new`)."""
    if isinstance(book, SummaryBook) and not book.whole_read:
        return book.summary()
    kept: dict[str, Interaction] = {}
    logs = {pid: _facts(log, kept) for pid, log in book.contact_index().people.items()}
    return {
        "people": [r.stored() for r in book.people.values()],
        "segments": [r.stored() for r in book.segments.values()],
        "posts": [r.stored() for r in book.posts.values()],
        "entries": [r.stored() for r in kept.values()],
        "logs": logs,
        "size": book.contact_index().size,
        "appearances": dict(connectors.appearance_counts(book)),
        "talks": {day: n for day, n in book.talks_per_day().items() if n},
    }


def _facts(log: PersonLog, kept: dict[str, Interaction]) -> _LogFacts:
    """A person's log as a summary keeps it; the entries it names go into `kept`."""

    def ref(item: Interaction | None) -> str | None:
        if item is None:
            return None
        kept[item.id] = item
        return item.id

    talk, attempt, dated = ref(log.last_talk), ref(log.last_attempt), ref(log.dated)
    steps = [ref(step) for step in log.steps]
    return (log.last_any, log.last_reached, talk, attempt, dated, steps, ref(log.learned))  # type: ignore[return-value]


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
        self._summary_index: ContactIndex | None = None  # made a person at a time, as asked for
        self._index_whole = False  # every person's log in it
        self._docs: dict[str, dict[str, Any]] | None = None  # the entries' documents by id
        self._entries: dict[str, Interaction] = {}  # those made into records
        self._added: list[Interaction] = []  # entries taken in since (`add_new`)
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
        reads (the app reads in a worker); another that asks meanwhile waits for it.  The
        whole book read is the summary's: the entries taken in since (`add_new`) are put in."""
        with self._reading:
            read = self._whole
            if read is None:
                return
            whole = read()
            for entry in self._added:
                whole.put(entry)
            self.people, self.segments, self.posts = whole.people, whole.segments, whole.posts
            self._log = whole.interactions
            self.extra_tables, self.problems, self.adopted = whole.extra_tables, whole.problems, whole.adopted
            self._contacts = self._order = None
            self._memo.clear()
            self._whole = None  # last: until here every question is answered from the summary

    def contact_index(self) -> ContactIndex:
        if self._whole is None:
            return super().contact_index()
        if not self._index_whole:
            self._index_of(self._summary["logs"])
            self._index_whole = True
        return self._index_for_now()

    def _index_of(self, person_ids: Iterable[str]) -> ContactIndex:
        """The summary's index with at least these people's logs in it: each is made from
        the summary when first asked for (a logged call needs one person's, not 5,000)."""
        index, facts = self._index_for_now(), self._summary["logs"]
        logs, entry = index.people, self._entry
        for pid in person_ids:
            if pid not in logs and pid in facts:
                logs[pid] = _person_log(facts[pid], entry)
        return index

    def _index_for_now(self) -> ContactIndex:
        if self._summary_index is None:
            self._summary_index = ContactIndex(size=self._size)
        return self._summary_index

    def _entry(self, entry_id: str) -> Interaction:
        made = self._entries.get(entry_id)
        if made is None:
            if self._docs is None:
                self._docs = {doc["id"]: doc for doc in self._summary["entries"]}
            made = self._entries[entry_id] = Interaction.from_doc(self._docs[entry_id])
        return made

    def open_steps(self, person_id: str) -> list[Interaction]:
        if self._whole is None or self._index_whole:
            return super().open_steps(person_id)
        return self._index_of([person_id]).of(person_id).open_steps()

    def last_reached_at(self) -> Iterator[tuple[str, str]]:
        if self._whole is None or self._size != self._summary["size"]:  # read, or entries added
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

    def add_new(self, entry: Interaction) -> None:
        """Take in an entry just made, one the log cannot hold yet (a fresh id), without
        reading the log: what a summary keeps of the log follows it, as `put` keeps the
        whole book's indexes (store: `Database.append_checked`)."""
        if self._whole is None:
            self.put(entry)
            return
        counts = connectors.appearance_counts(self)
        self._index_of(entry.people).add(entry)
        self._size += 1
        self._puts[Interaction.TABLE] = self._puts.get(Interaction.TABLE, 0) + 1
        self._talks = self._talks + talks_by_day([entry])
        connectors.assume_appearances(self, counts, [entry])
        self._added.append(entry)

    def summary(self) -> Summary:
        """The summary of this book as it is: the one it was made of, where the entries
        taken in since changed it (the people they name), not made again from the whole."""
        if not self._added:
            return self._summary
        index, kept = self._index_for_now(), {}
        logs = dict(self._summary["logs"])
        for pid in dict.fromkeys(pid for entry in self._added for pid in entry.people):
            logs[pid] = _facts(index.people[pid], kept)
        named = {rid for facts in logs.values() for rid in (*facts[2:5], *facts[5], facts[6]) if rid}
        docs = {doc["id"]: doc for doc in self._summary["entries"] if doc["id"] in named}
        docs.update((rid, record.stored()) for rid, record in kept.items())
        return {
            **self._summary,
            "entries": list(docs.values()),
            "logs": logs,
            "size": index.size,
            "appearances": dict(connectors.appearance_counts(self)),
            "talks": {day: n for day, n in self._talks.items() if n},
        }


def _records(kind: type[Record], docs: list[dict[str, Any]]) -> dict[str, Any]:
    found = (kind.from_doc(doc) for doc in docs)
    return {record.id: record for record in found}


def _person_log(facts: _LogFacts, entry: Callable[[str], Interaction]) -> PersonLog:
    last_any, last_reached, talk, attempt, dated, steps, learned = facts
    log = PersonLog()
    log.last_any, log.last_reached = last_any, last_reached
    log.last_talk = entry(talk) if talk else None
    log.last_attempt = entry(attempt) if attempt else None
    log.dated = entry(dated) if dated else None
    log.steps = [entry(step) for step in steps]
    log.learned = entry(learned) if learned else None
    return log
