"""A book made from a summary (domain/summary.py) answers today's list, `instead`, the
people list and the score line exactly as the whole book does, without reading its log:
on the benchmarks' generated 5,000-person book after random changes, and on small random
books full of ties (hypothesis).  Asking for more of the log reads the whole book."""

from __future__ import annotations

import marshal
import random
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from meetup_tui.cli import render
from meetup_tui.domain.book import Book
from meetup_tui.domain.outreach import best_now, rank_today
from meetup_tui.domain.records import Interaction, Person, Record
from meetup_tui.domain.settings import Settings
from meetup_tui.domain.summary import SummaryBook, summarize
from meetup_tui.domain.team import TEAM
from test_incremental import a_change
from test_outreach_properties import books

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from rank import OWNERS, TODAY, build_book  # noqa: E402 - the benchmarks' seeded book


def never(_: object = None) -> Book:
    raise AssertionError("the whole book was read")


def from_summary(book: Book) -> SummaryBook:
    """The book as a command reads it from a kept summary (through marshal, as stored)."""
    return SummaryBook(marshal.loads(marshal.dumps(summarize(book))), never)


def answers(book: Book, day: date, owners: list[str | None]) -> dict[str, Any]:
    """Everything `today`, `instead` and `people` print, for each owner's view."""
    found: dict[str, Any] = {}
    for mine in owners:
        ranked = rank_today(book, day, mine=mine)
        found[f"today {mine}"] = [render.suggestion_doc(s, book) for s in ranked]
        found[f"points {mine}"] = [s.points for s in ranked]
        found[f"text {mine}"] = render.today_text(book, day, ranked[:5], len(ranked), engaged_days=14)
        best = best_now(book, datetime.combine(day, datetime.min.time()), mine=mine)
        found[f"instead {mine}"] = render.suggestion_doc(best, book) if best else None
    last = book.last_contacts()
    people = sorted(book.live_people(), key=lambda p: (p.name.casefold(), p.id))
    found["people"] = [render.person_doc(p, book, last) for p in people]
    found["rows"] = render.people_rows(people, last, day)
    found["members"] = {s.id: [p.id for p in book.members(s)] for s in book.live_segments()}
    found["owners"] = book.owners()
    found["open steps"] = {p.id: [i.id for i in book.open_steps(p.id)] for p in people}
    return found


@pytest.mark.parametrize("seed", [1, 2])
def test_the_generated_book_from_its_summary_answers_as_the_whole_book(seed: int) -> None:
    book = build_book(5_000, 20_000, seed=seed)
    rng = random.Random(seed)
    for n in range(40):  # tombstones, edited entries and people, new talks, noted steps
        book.put(a_change(book, rng, n))
    owners = [None, TEAM, OWNERS[1]]
    for day in (TODAY, TODAY + timedelta(days=9), TODAY - timedelta(days=40)):
        summary = from_summary(book)
        assert answers(summary, day, owners) == answers(book, day, owners), day
        assert not summary.whole_read


@settings(max_examples=150, deadline=None)
@given(books(), st.sets(st.integers(0, 12), max_size=3), st.integers(-3, 30))
def test_a_small_book_from_its_summary_answers_as_the_whole_book(
    records: list[Record], gone: set[int], shift: int
) -> None:
    book = Book()
    for n, record in enumerate(records):
        book.put(record)
        if n in gone and isinstance(record, Interaction):  # a tombstone too
            book.put(Interaction(**{**record.__dict__, "deleted": True}))
    day = date(2026, 11, 26) + timedelta(days=shift)
    summary = from_summary(book)
    assert answers(summary, day, [None, "sam", TEAM]) == answers(book, day, [None, "sam", TEAM])
    assert not summary.whole_read


def test_the_log_itself_reads_the_whole_book_first() -> None:
    book = build_book(100, 400, seed=3)
    person = next(iter(book.people.values()))
    reads: list[int] = []

    def whole() -> Book:
        reads.append(1)
        return book

    summary = SummaryBook(summarize(book), whole)
    held = summary.contact_index().of(person.id)
    assert held.last_reached == book.contact_index().of(person.id).last_reached
    assert reads == []
    assert summary.interactions_with(person.id) == book.interactions_with(person.id)
    assert reads == [1] and summary.whole_read
    assert summary.interactions == book.interactions
    assert summary.newest_interactions(10) == book.newest_interactions(10)
    assert reads == [1]


@pytest.mark.parametrize("ask", ["interactions", "log_order", "put", "records"])
def test_every_way_to_the_log_reads_it_whole(ask: str) -> None:
    book = build_book(100, 400, seed=5)
    summary = SummaryBook(summarize(book), lambda: book)
    if ask == "put":
        talk = Interaction(at="2026-11-26T09:00", people=[next(iter(book.people))])
        summary.put(talk)
        assert summary.interactions[talk.id] == talk
        assert summary.contact_index().of(talk.people[0]).last_reached == talk.at
    elif ask == "records":
        assert len(list(summary.records())) == len(list(book.records()))
    else:
        assert len(getattr(summary, ask) if ask == "interactions" else summary.log_order()) > 0
    assert summary.whole_read


def test_a_summary_holds_only_the_entries_ranking_reads() -> None:
    book = build_book(500, 5_000, seed=6)
    summary = summarize(book)
    assert len(summary["people"]) == len(book.people)
    assert 0 < len(summary["entries"]) < len(book.interactions) / 2
    assert Settings().daily_cap  # (the summary is the same whatever the settings)
    person = next(p for p in book.people.values() if isinstance(p, Person))
    theirs = [i for i in book.interactions.values() if person.id in i.people and not i.deleted]
    assert summary["appearances"].get(person.id, 0) == sum(1 for i in theirs if i.outcome != "noted")


def same_summary(summary: dict[str, Any]) -> dict[str, Any]:
    """A summary as a value to compare: its entries by id, each person's steps as a set."""
    logs = {pid: (*facts[:5], sorted(facts[5]), facts[6]) for pid, facts in summary["logs"].items()}
    return {**summary, "entries": {doc["id"]: doc for doc in summary["entries"]}, "logs": logs}


@pytest.mark.parametrize("seed", [3, 4])
def test_new_entries_taken_into_a_summary_book_answer_as_the_whole_book_with_them(seed: int) -> None:
    """`add_new` (what a logged call does to a book opened from its summary) keeps every
    answer, and the summary made after it, equal to the whole book's with the same entries
    put -- without reading the log."""
    book = build_book(2_000, 8_000, seed=seed)
    rng = random.Random(seed)
    summary = from_summary(book)
    owners = [None, TEAM, OWNERS[1]]
    answers(summary, TODAY, owners)  # its indexes and memos built before the new entries
    for n in range(30):
        change = a_change(book, rng, n)
        if isinstance(change, Interaction) and change.id not in book.interactions:
            book.put(change)
            summary.add_new(change)
    for day in (TODAY, TODAY + timedelta(days=5)):
        assert answers(summary, day, owners) == answers(book, day, owners), day
    assert same_summary(summarize(summary)) == same_summary(summarize(book))
    assert answers(from_summary(summary), TODAY, owners) == answers(book, TODAY, owners)
    assert not summary.whole_read


@settings(max_examples=150, deadline=None)
@given(books(), st.integers(1, 4), st.integers(-3, 30))
def test_a_small_book_with_new_entries_from_its_summary_answers_as_the_whole_book(
    records: list[Record], new: int, shift: int
) -> None:
    book = Book()
    entries = [r for r in records if isinstance(r, Interaction)]
    later = {r.id for r in entries[-new:]}
    for record in records:
        if record.id not in later:
            book.put(record)
    summary = from_summary(book)
    for entry in entries[-new:]:
        if entry.id not in book.interactions:
            book.put(entry)
            summary.add_new(entry)
    day = date(2026, 11, 26) + timedelta(days=shift)
    assert answers(summary, day, [None, "sam", TEAM]) == answers(book, day, [None, "sam", TEAM])
    assert same_summary(summarize(summary)) == same_summary(summarize(book))
    assert not summary.whole_read


def test_one_persons_open_steps_from_a_summary_are_the_whole_books_and_make_only_their_log() -> None:
    """A logged call asks for one person's open steps: the summary's book makes that
    person's log alone, and answers as the whole book does."""
    book = build_book(1_000, 6_000, seed=8)
    summary = from_summary(book)
    asked = [p.id for p in list(book.people.values())[::40]]
    for pid in asked:
        assert summary.open_steps(pid) == book.open_steps(pid)
    assert set(summary._index_of([]).people) <= set(asked)
    assert any(book.open_steps(pid) for pid in asked)
