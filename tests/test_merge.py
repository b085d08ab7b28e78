"""The merge of two copies of the book, and the clock whose stamps it trusts.

Property tests (hypothesis) draw Books with overlapping ids, every record kind, tombstones
and stamps from a small set so that ties happen; example tests pin the field rules
(tests/test_versions.py draws whole histories of edits on several copies).
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
from meetup_tui.domain.merge import describe_changes, incoming_changes, merge_books
from meetup_tui.domain.records import RECORD_TYPES, Interaction, Person, Post, Record, Segment
from meetup_tui.domain.versions import edit, merge_records

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


def unordered(documents: dict[str, dict[str, dict[str, Any]]]) -> dict[str, dict[str, dict[str, Any]]]:
    """The documents with every list sorted (lists of strings only, as the strategies make)."""
    return {
        table: {
            rid: {k: sorted(v) if isinstance(v, list) else v for k, v in doc.items()}
            for rid, doc in rows.items()
        }
        for table, rows in documents.items()
    }


@FAST
@given(books(), books(), books())
def test_merge_is_associative(a: Book, b: Book, c: Book) -> None:
    """Any values and stamps, as hand edits could make them.  Which elements a list holds is
    associative; their order is exactly associative for copies of one history (where entries
    of one version were written together, in one order: tests/test_versions.py), not for
    hand-made lists that order the same version two ways."""
    left, right = merge_books(merge_books(a, b), c), merge_books(a, merge_books(b, c))
    assert unordered(docs(left)) == unordered(docs(right))


@FAST
@given(books(), books())
def test_merge_is_idempotent(a: Book, b: Book) -> None:
    assert docs(merge_books(a, a)) == docs(a)
    once = merge_books(a, b)
    assert docs(merge_books(once, b)) == docs(once)


@FAST
@given(books(), books())
def test_merge_never_drops_an_id_and_changes_no_input(a: Book, b: Book) -> None:
    before = (docs(a), docs(b))
    merged = merge_books(a, b)
    assert ids(merged) == ids(a) | ids(b)
    assert (docs(a), docs(b)) == before


@FAST
@given(books(), books())
def test_incoming_changes_bring_ours_to_the_merge(ours: Book, theirs: Book) -> None:
    changes = incoming_changes(ours, theirs)
    applied = copy_of(ours)
    for record in changes:
        held = ours.table(type(record)).get(record.id)
        assert held is None or held.to_doc() != record.to_doc()  # only real changes
        applied.put(record)
    assert docs(applied) == docs(merge_books(ours, theirs))
    order = [(RECORD_TYPES.index(type(r)), r.id) for r in changes]
    assert order == sorted(order)


@FAST
@given(st.sampled_from(RECORD_TYPES).flatmap(versions))
def test_two_versions_merge_the_same_either_way_and_stamp_the_newest(pair: tuple[Record, Record]) -> None:
    a, b = pair
    merged = merge_records(a, b)
    assert merged.to_doc() == merge_records(b, a).to_doc()
    assert merge_records(a, a) is a
    assert (merged.updated_at, merged.updated_by) == max(
        (a.updated_at, a.updated_by), (b.updated_at, b.updated_by)
    )


# -- the field rules, by example -----------------------------------------------------------

T0, T1, T2 = "2024-05-01T09:00:00.000000Z", "2024-05-01T10:00:00.000000Z", "2024-05-01T11:00:00.000000Z"


@pytest.fixture
def base() -> Person:
    return Person(id="p1", created_at=T0, updated_by="ana@laptop", name="Ada", phones=["555"], notes="old")


def test_edits_of_different_fields_both_win(base: Person) -> None:
    ours = edit(base, {"phones": ["777"]}, T1, "ana@laptop")
    theirs = edit(base, {"notes": "new"}, T2, "bob@office")
    for merged in (merge_records(ours, theirs), merge_records(theirs, ours)):
        assert (merged.phones, merged.notes, merged.name) == (["777"], "new", "Ada")
        assert (merged.updated_at, merged.updated_by) == (T2, "bob@office")
        assert merged.created_at == T0


def test_both_editing_one_field_the_newer_wins(base: Person) -> None:
    ours = edit(base, {"notes": "ana's"}, T2, "ana@laptop")
    theirs = edit(base, {"notes": "bob's", "influence": 3}, T1, "bob@office")
    merged = merge_records(ours, theirs)
    assert merged.notes == "ana's"
    assert merged.influence == 3  # bob's other edit still counts


def test_an_older_copy_changes_nothing(base: Person) -> None:
    """The first reproduction of issue 8: the copy from before the snooze comes back."""
    snoozed = edit(base, {"snoozed_until": "2026-12-11"}, T1, "ana@laptop")
    assert merge_records(snoozed, base) is snoozed
    assert merge_records(base, snoozed) is snoozed
    newer_elsewhere = edit(base, {"name": "Ada L."}, T2, "bob@office")  # made later, without the snooze
    merged = merge_records(newer_elsewhere, snoozed)
    assert (merged.name, merged.snoozed_until) == ("Ada L.", "2026-12-11")


def test_an_edit_newer_than_a_delete_brings_the_record_back(base: Person) -> None:
    deleted = edit(base, {"deleted": True}, T1, "ana@laptop")
    edited = edit(base, {"notes": "still here"}, T2, "bob@office")
    for merged in (merge_records(deleted, edited), merge_records(edited, deleted)):
        assert not merged.deleted
        assert merged.notes == "still here"


def test_a_delete_newer_than_an_edit_wins_and_keeps_the_edit(base: Person) -> None:
    edited = edit(base, {"notes": "edited"}, T1, "bob@office")
    deleted = edit(base, {"deleted": True}, T2, "ana@laptop")
    for merged in (merge_records(deleted, edited), merge_records(edited, deleted)):
        assert merged.deleted
        assert merged.notes == "edited"  # kept in the tombstone, back if someone restores it


def test_sets_keep_both_sides_additions_and_honour_removals(base: Person) -> None:
    tagged = edit(base, {"tags": ["runner", "vip"]}, "2024-05-01T09:30:00.000000Z", "ana@laptop")
    ours = edit(tagged, {"tags": ["runner", "vip", "coach"], "phones": ["555", "777"]}, T1, "ana@laptop")
    theirs = edit(tagged, {"tags": ["runner", "racer"], "phones": ["555", "888"]}, T2, "bob@office")
    for merged in (merge_records(ours, theirs), merge_records(theirs, ours)):
        assert merged.tags == ["runner", "coach", "racer"]  # vip removed by bob; both additions kept
        assert merged.phones == ["555", "777", "888"]  # the first phone stays first


def test_a_removal_and_a_later_add_again(base: Person) -> None:
    gone = edit(base, {"phones": []}, T1, "ana@laptop")
    back = edit(gone, {"phones": ["555"]}, T2, "ana@laptop")
    assert merge_records(gone, back).phones == ["555"]
    assert merge_records(base, gone).phones == []  # the removal is newer than the first add


def test_a_new_order_is_kept(base: Person) -> None:
    two = edit(base, {"phones": ["555", "777"]}, T1, "ana@laptop")
    swapped = edit(two, {"phones": ["777", "555"]}, T2, "ana@laptop")
    assert swapped.phones == ["777", "555"]
    assert merge_records(two, swapped).phones == ["777", "555"]


def test_an_edit_made_on_a_stale_view_keeps_what_others_added(base: Person) -> None:
    """A form opened before bob's new phone came in: saving it does not remove that phone."""
    current = edit(base, {"phones": ["555", "888"]}, T1, "bob@office")
    saved = edit(current, {"phones": ["555", "777"]}, T2, "ana@laptop", seen=base)
    assert saved.phones == ["555", "777", "888"]


def test_unknown_fields_survive_and_merge(base: Person) -> None:
    custom = dataclasses.replace(base, extra={"x_custom": "blue"})
    doc = custom.to_doc()
    assert doc["x_custom"] == "blue" and Person.from_doc(doc) == custom
    edited = edit(base, {"notes": "new"}, T1, "bob@office")
    merged = merge_records(custom, edited)
    assert merged.extra == {"x_custom": "blue"} and merged.notes == "new"
    odd = Person.from_doc(dict(base.to_doc(), versions="mine", extra=[1]))  # names we use inside
    both = merge_records(edit(odd, {"org": "O"}, T1, "ana"), edit(odd, {"notes": "n"}, T2, "bob"))
    assert (both.org, both.notes, both.extra) == ("O", "n", {"versions": "mine", "extra": [1]})
    assert both.to_doc()["versions"] == "mine"


def test_a_record_without_versions_is_all_at_its_stamp(base: Person) -> None:
    """A schema-1 record: its stamp is every field's version (the whole migration)."""
    older = dataclasses.replace(base, notes="older", updated_at=T1)
    newer_one = dataclasses.replace(base, notes="newer", phones=[], updated_at=T2)
    merged = merge_records(older, newer_one)
    assert (merged.notes, merged.phones) == ("newer", [])
    assert merged.to_doc().get("_v") is None  # nothing to say beyond the stamp


def test_merge_books_merges_people_segments_and_unions_the_log(base: Person) -> None:
    seg = Segment(id="s1", created_at=T0, name="Riders", include=["p0"])
    log_a = Interaction(id="i1", created_at=T1, at="2024-05-01T09:00", note="ana's call")
    log_b = Interaction(id="i2", created_at=T1, at="2024-05-01T10:00", note="bob's visit")
    ours = Book(
        people={"p1": edit(base, {"phones": ["777"]}, T1, "ana@laptop")},
        segments={"s1": edit(seg, {"include": ["p0", "p1"]}, T2, "ana@laptop")},
        interactions={"i1": log_a},
    )
    theirs = Book(
        people={"p1": edit(base, {"notes": "new"}, T1, "bob@office")},
        segments={"s1": edit(seg, {"include": ["p0", "p2"], "name": "Theirs"}, T1, "bob@office")},
        interactions={"i2": log_b},
    )
    merged = merge_books(ours, theirs)
    assert (merged.people["p1"].phones, merged.people["p1"].notes) == (["777"], "new")
    assert merged.segments["s1"].include == ["p0", "p2", "p1"]
    assert merged.segments["s1"].name == "Theirs"
    assert set(merged.interactions) == {"i1", "i2"}
    changes = incoming_changes(ours, theirs)
    assert [(type(r).__name__, r.id) for r in changes] == [
        ("Person", "p1"),
        ("Segment", "s1"),
        ("Interaction", "i2"),
    ]


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
