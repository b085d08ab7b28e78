"""The merge of two copies of the book, and the clock whose stamps it trusts.

Property tests (hypothesis) draw Books with overlapping ids, every record kind, tombstones
and stamps from a small set so that ties happen; example tests pin the three-way rules.
"""

from __future__ import annotations

import dataclasses
import re
import sys
import threading
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
import time_machine
from hypothesis import given, settings
from hypothesis import strategies as st

from meetup_tui.domain import records
from meetup_tui.domain.book import Book
from meetup_tui.domain.merge import (
    describe_changes,
    incoming_changes,
    merge_books,
    merge_person,
    newer,
)
from meetup_tui.domain.records import RECORD_TYPES, Interaction, Person, Post, Record, Segment

FAST = settings(max_examples=200, deadline=None)
STAMP_FORMAT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")

# -- strategies ------------------------------------------------------------------------

IDS = st.sampled_from(["id-1", "id-2", "id-3", "id-4"])
STAMPS = st.sampled_from(
    ["2024-05-01T09:00:00.000000Z", "2024-05-01T09:00:00.000001Z", "2024-05-02T10:30:00.000000Z"]
)
AUTHORS = st.sampled_from(["", "ana@laptop", "bob@office"])
WORDS = st.sampled_from(["", "alpha", "beta"])
LISTS = st.lists(st.sampled_from(["x", "y"]), max_size=2)


def _stamped(record_type: type[Record], /, **content: Any) -> st.SearchStrategy[Record]:
    return st.builds(
        record_type,
        id=IDS,
        created_at=STAMPS,
        updated_at=STAMPS,
        updated_by=AUTHORS,
        deleted=st.booleans(),
        **content,
    )


RECORDS = st.one_of(
    _stamped(Person, name=WORDS, notes=WORDS, phones=LISTS, tags=LISTS, influence=st.integers(0, 2)),
    _stamped(Segment, name=WORDS, include=LISTS, rule=st.sampled_from([{}, {"stage": "lead"}])),
    _stamped(Interaction, note=WORDS, people=LISTS, kind=st.sampled_from(["call", "visit"])),
    _stamped(Post, platform=WORDS, likes=st.integers(0, 2)),
)


@st.composite
def books(draw: st.DrawFn) -> Book:
    book = Book()
    for record in draw(st.lists(RECORDS, max_size=8)):
        book.put(record)
    return book


def versions(kind: type[Record]) -> st.SearchStrategy[tuple[Record, Record]]:
    """Two versions of one record (same id)."""
    one = {
        Person: _stamped(Person, name=WORDS, notes=WORDS),
        Segment: _stamped(Segment, name=WORDS),
        Interaction: _stamped(Interaction, note=WORDS),
        Post: _stamped(Post, likes=st.integers(0, 2)),
    }[kind]
    return st.tuples(one, one).map(lambda pair: (pair[0], dataclasses.replace(pair[1], id=pair[0].id)))


def docs(book: Book) -> dict[str, dict[str, dict[str, Any]]]:
    return {kind.TABLE: {rid: r.to_doc() for rid, r in book.table(kind).items()} for kind in RECORD_TYPES}


def ids(book: Book) -> set[tuple[str, str]]:
    return {(kind.TABLE, rid) for kind in RECORD_TYPES for rid in book.table(kind)}


def copy_of(book: Book) -> Book:
    return Book(
        people=dict(book.people),
        segments=dict(book.segments),
        interactions=dict(book.interactions),
        posts=dict(book.posts),
    )


# -- properties of the whole-book merge --------------------------------------------------


@FAST
@given(books(), books())
def test_merge_is_commutative(a: Book, b: Book) -> None:
    assert docs(merge_books(a, b)) == docs(merge_books(b, a))


@FAST
@given(books(), books(), books())
def test_merge_is_associative(a: Book, b: Book, c: Book) -> None:
    assert docs(merge_books(merge_books(a, b), c)) == docs(merge_books(a, merge_books(b, c)))


@FAST
@given(books(), books())
def test_merge_is_idempotent(a: Book, b: Book) -> None:
    assert docs(merge_books(a, a)) == docs(a)
    once = merge_books(a, b)
    assert docs(merge_books(once, b)) == docs(once)


@FAST
@given(books(), books(), st.none() | books())
def test_merge_never_drops_an_id_and_changes_no_input(a: Book, b: Book, base: Book | None) -> None:
    before = (docs(a), docs(b), docs(base) if base else None)
    merged = merge_books(a, b, base)
    assert ids(merged) == ids(a) | ids(b)
    assert (docs(a), docs(b), docs(base) if base else None) == before


@FAST
@given(st.sampled_from(RECORD_TYPES).flatmap(versions))
def test_newer_is_a_total_order_choice(pair: tuple[Record, Record]) -> None:
    a, b = pair
    win = newer(a, b)
    assert win is a or win is b
    assert win.to_doc() == newer(b, a).to_doc()
    loser = b if win is a else a
    assert (win.updated_at, win.updated_by) >= (loser.updated_at, loser.updated_by)


@FAST
@given(books(), books(), st.none() | books())
def test_incoming_changes_bring_ours_to_the_merge(ours: Book, theirs: Book, base: Book | None) -> None:
    changes = incoming_changes(ours, theirs, base)
    applied = copy_of(ours)
    for record in changes:
        held = ours.table(type(record)).get(record.id)
        assert held is None or held.to_doc() != record.to_doc()  # only real changes
        applied.put(record)
    assert docs(applied) == docs(merge_books(ours, theirs, base))
    order = [(RECORD_TYPES.index(type(r)), r.id) for r in changes]
    assert order == sorted(order)


@FAST
@given(_stamped(Person, name=WORDS, notes=WORDS), versions(Person))
def test_three_way_person_merge_is_symmetric_and_beats_what_it_changed(
    base: Record, pair: tuple[Record, Record]
) -> None:
    ours, theirs = pair
    assert isinstance(base, Person) and isinstance(ours, Person) and isinstance(theirs, Person)
    base = dataclasses.replace(base, id=ours.id)
    merged = merge_person(base, ours, theirs)
    assert merged.to_doc() == merge_person(base, theirs, ours).to_doc()
    assert merge_person(base, ours, ours) is ours
    if merged is not ours and merged is not theirs:
        assert merged.updated_at > max(ours.updated_at, theirs.updated_at)


# -- the three-way rules, by example ---------------------------------------------------

T0, T1, T2 = "2024-05-01T09:00:00.000000Z", "2024-05-01T10:00:00.000000Z", "2024-05-01T11:00:00.000000Z"


@pytest.fixture
def base() -> Person:
    return Person(id="p1", created_at=T0, updated_by="ana@laptop", name="Ada", phones=["555"], notes="old")


def test_edits_of_different_fields_both_win(base: Person) -> None:
    ours = dataclasses.replace(base, phones=["777"], updated_at=T1, updated_by="ana@laptop")
    theirs = dataclasses.replace(base, notes="new", updated_at=T2, updated_by="bob@office")
    merged = merge_person(base, ours, theirs)
    assert (merged.phones, merged.notes, merged.name) == (["777"], "new", "Ada")
    assert merged.updated_at > T2 and merged.updated_at > T1
    assert STAMP_FORMAT.match(merged.updated_at)
    assert merged.updated_by == "bob@office"
    assert merged.created_at == T0


def test_both_editing_one_field_the_newer_wins(base: Person) -> None:
    ours = dataclasses.replace(base, notes="ana's", updated_at=T2, updated_by="ana@laptop")
    theirs = dataclasses.replace(base, notes="bob's", phones=["999"], updated_at=T1, updated_by="bob@office")
    merged = merge_person(base, ours, theirs)
    assert merged.notes == "ana's"
    assert merged.phones == ["999"]  # bob's other edit still counts
    assert merged.updated_at > T2


def test_an_edit_newer_than_a_delete_survives(base: Person) -> None:
    deleted = dataclasses.replace(base, deleted=True, updated_at=T1, updated_by="ana@laptop")
    edited = dataclasses.replace(base, notes="still here", updated_at=T2, updated_by="bob@office")
    for ours, theirs in ((deleted, edited), (edited, deleted)):
        merged = merge_person(base, ours, theirs)
        assert not merged.deleted
        assert merged.notes == "still here"
    assert merge_books(Book(people={"p1": deleted}), Book(people={"p1": edited})).people["p1"] is edited


def test_a_delete_newer_than_an_edit_wins(base: Person) -> None:
    edited = dataclasses.replace(base, notes="edited", updated_at=T1, updated_by="bob@office")
    deleted = dataclasses.replace(base, deleted=True, updated_at=T2, updated_by="ana@laptop")
    for ours, theirs in ((deleted, edited), (edited, deleted)):
        merged = merge_person(base, ours, theirs)
        assert merged.deleted
        assert merged.notes == "edited"  # kept in the tombstone, back if someone restores it
        assert merged.updated_at > T2
    assert merge_books(Book(people={"p1": edited}), Book(people={"p1": deleted})).people["p1"] is deleted


def test_a_side_equal_to_the_result_is_returned_as_is(base: Person) -> None:
    ours = dataclasses.replace(base, notes="new", updated_at=T1)
    assert merge_person(base, ours, base) is ours
    assert merge_person(base, base, ours) is ours


def test_without_base_the_newer_version_wins(base: Person) -> None:
    ours = dataclasses.replace(base, phones=["777"], updated_at=T1)
    theirs = dataclasses.replace(base, notes="new", updated_at=T2)
    assert merge_person(None, ours, theirs) is theirs


def test_merge_books_uses_base_for_people_and_newer_for_the_rest(base: Person) -> None:
    seg = Segment(id="s1", created_at=T0, name="Riders")
    log_a = Interaction(id="i1", created_at=T1, at="2024-05-01T09:00", note="ana's call")
    log_b = Interaction(id="i2", created_at=T1, at="2024-05-01T10:00", note="bob's visit")
    ours = Book(
        people={"p1": dataclasses.replace(base, phones=["777"], updated_at=T1)},
        segments={"s1": dataclasses.replace(seg, name="Ours", updated_at=T2)},
        interactions={"i1": log_a},
    )
    theirs = Book(
        people={"p1": dataclasses.replace(base, notes="new", updated_at=T1, updated_by="bob@office")},
        segments={"s1": dataclasses.replace(seg, name="Theirs", updated_at=T1)},
        interactions={"i2": log_b},
    )
    merged = merge_books(ours, theirs, Book(people={"p1": base}, segments={"s1": seg}))
    assert (merged.people["p1"].phones, merged.people["p1"].notes) == (["777"], "new")
    assert merged.segments["s1"].name == "Ours"
    assert set(merged.interactions) == {"i1", "i2"}
    changes = incoming_changes(ours, theirs, Book(people={"p1": base}, segments={"s1": seg}))
    assert [(type(r).__name__, r.id) for r in changes] == [("Person", "p1"), ("Interaction", "i2")]


def test_describe_changes_names_the_authors_most_first() -> None:
    def by(*authors: str) -> list[Record]:
        return [Post(updated_by=a) for a in authors]

    assert describe_changes(by("bob@office", "bob@office", "bob@office")) == "3 changes from bob@office"
    assert describe_changes(by("bob@office")) == "1 change from bob@office"
    five = by("ana@laptop", "bob@office", "bob@office", "ana@laptop", "bob@office")
    assert describe_changes(five) == "5 changes from bob@office and ana@laptop"
    many = by("a", "a", "a", "b", "b", "c", "d")
    assert describe_changes(many) == "7 changes from a, b and 2 others"
    assert describe_changes(by("")) == "1 change from someone"
    assert describe_changes([]) == "No changes."


# -- the monotonic clock ---------------------------------------------------------------


@pytest.fixture
def fresh_clock(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """Whatever a test does to the clock's memory is undone afterwards."""
    monkeypatch.setattr(records, "_last_stamp", None)
    return monkeypatch


def test_ten_thousand_stamps_strictly_increase(fresh_clock: pytest.MonkeyPatch) -> None:
    stamps = [records.utc_now_iso() for _ in range(10_000)]
    assert all(STAMP_FORMAT.match(s) for s in stamps)
    assert all(a < b for a, b in zip(stamps, stamps[1:], strict=False))
    parsed = [datetime.fromisoformat(s) for s in stamps]
    assert parsed == sorted(parsed)  # string order is time order


@pytest.mark.parametrize("frozen", [False, True], ids=["real-clock", "all-in-one-microsecond"])
def test_stamps_from_four_threads_are_unique_and_ordered(
    fresh_clock: pytest.MonkeyPatch, frozen: bool
) -> None:
    if frozen:  # every call lands in the same microsecond: only the lock keeps stamps apart
        instant = datetime(2030, 1, 1, tzinfo=timezone.utc)
        fresh_clock.setattr(records, "_wall_clock", lambda: instant)
    results: list[list[str]] = [[] for _ in range(4)]
    start = threading.Barrier(4)

    def work(out: list[str]) -> None:
        start.wait()
        for _ in range(2_500):
            out.append(records.utc_now_iso())

    threads = [threading.Thread(target=work, args=(out,)) for out in results]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    everything = [s for out in results for s in out]
    assert len(everything) == len(set(everything)) == 10_000
    for out in results:
        assert all(a < b for a, b in zip(out, out[1:], strict=False))


def test_stamps_increase_when_the_wall_clock_steps_back(fresh_clock: pytest.MonkeyPatch) -> None:
    start = datetime(2030, 1, 1, 12, tzinfo=timezone.utc)
    readings = iter([start, start, start - timedelta(hours=1), start - timedelta(seconds=1), start])
    fresh_clock.setattr(records, "_wall_clock", lambda: next(readings))
    stamps = [records.utc_now_iso() for _ in range(5)]
    assert stamps[0] == "2030-01-01T12:00:00.000000Z"
    assert stamps[1:] == [f"2030-01-01T12:00:00.00000{n}Z" for n in range(1, 5)]


def test_stamps_increase_under_time_machine_going_back(fresh_clock: pytest.MonkeyPatch) -> None:
    with time_machine.travel(datetime(2031, 6, 1, tzinfo=timezone.utc), tick=False):
        first = records.utc_now_iso()
        same_instant = records.utc_now_iso()
    with time_machine.travel(datetime(2031, 5, 1, tzinfo=timezone.utc), tick=False):
        back = records.utc_now_iso()
    assert first.startswith("2031-06-01T00:00:00")
    assert first < same_instant < back


def test_a_stamp_after_one_seen_elsewhere(fresh_clock: pytest.MonkeyPatch) -> None:
    ahead = (datetime.now(timezone.utc) + timedelta(hours=1)).isoformat(timespec="microseconds")
    ahead = ahead.replace("+00:00", "Z")
    stamp = records.utc_now_iso(after=ahead)
    assert stamp > ahead and STAMP_FORMAT.match(stamp)
    assert records.utc_now_iso() > stamp
    assert STAMP_FORMAT.match(records.utc_now_iso(after="not a stamp"))
