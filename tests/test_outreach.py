"""Who to contact today: reasons, exclusions, cadence sources, ranking and suggested actions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from meetup_tui.domain.book import Book
from meetup_tui.domain.outreach import (
    ACTION_SYMBOLS,
    DEFAULT_CADENCE,
    Suggestion,
    cadence_of,
    rank_today,
    suggest_action,
)
from meetup_tui.domain.records import Interaction, Person, Record, Segment

MakeBook = Callable[..., Book]
TODAY = date(2026, 11, 26)
EVERY_2_WEEKS = "FREQ=WEEKLY;INTERVAL=2"


def days_ago(n: int, hour: int = 10) -> str:
    return f"{(TODAY - timedelta(days=n)).isoformat()}T{hour:02d}:00"


def talk(n_days_ago: int, *people: Person, outcome: str = "reached", **fields: object) -> Interaction:
    return Interaction(at=days_ago(n_days_ago), people=[p.id for p in people], outcome=outcome, **fields)  # type: ignore[arg-type]


def listed(book: Book, today: date = TODAY) -> dict[str, Suggestion]:
    return {s.person.name: s for s in rank_today(book, today)}


def test_a_never_contacted_person_is_listed(make_book: MakeBook) -> None:
    new = Person(name="Nina New")
    found = listed(make_book(new))["Nina New"]
    assert found.reasons == ["never talked yet, monthly"]
    assert found.last_contact is None
    assert found.due is None


def test_an_overdue_person_says_how_long_and_how_often(make_book: MakeBook) -> None:
    ann = Person(name="Ann Lee", cadence=EVERY_2_WEEKS, influence=5)
    found = listed(make_book(ann, talk(20, ann)))["Ann Lee"]
    assert found.reasons == ["last talked 20 days ago, every 2 weeks", "influence 5"]
    assert found.last_contact == TODAY - timedelta(days=20)
    assert found.due == TODAY - timedelta(days=6)


def test_due_exactly_today_is_listed_and_one_day_earlier_is_not(make_book: MakeBook) -> None:
    ann = Person(name="Ann Lee", cadence=EVERY_2_WEEKS)
    assert "Ann Lee" in listed(make_book(ann, talk(14, ann)))
    assert "Ann Lee" not in listed(make_book(ann, talk(13, ann)))


def test_one_day_reads_in_the_singular(make_book: MakeBook) -> None:
    ann = Person(name="Ann Lee", cadence="FREQ=DAILY")
    assert listed(make_book(ann, talk(1, ann)))["Ann Lee"].reasons == ["last talked 1 day ago, daily"]


def test_someone_contacted_within_their_cadence_is_not_listed(make_book: MakeBook) -> None:
    ann = Person(name="Ann Lee", cadence=EVERY_2_WEEKS)
    assert listed(make_book(ann, talk(6, ann))) == {}


def test_snoozed_until_after_today_is_left_out_and_back_on_the_day(make_book: MakeBook) -> None:
    later = Person(name="Later", snoozed_until=(TODAY + timedelta(days=1)).isoformat())
    back = Person(name="Back", snoozed_until=TODAY.isoformat())
    past = Person(name="Past", snoozed_until=(TODAY - timedelta(days=9)).isoformat())
    assert set(listed(make_book(later, back, past))) == {"Back", "Past"}
    assert "Later" in listed(make_book(later), TODAY + timedelta(days=1))


def test_reached_today_is_left_out_even_with_a_follow_up_due(make_book: MakeBook) -> None:
    ann = Person(name="Ann Lee", cadence=EVERY_2_WEEKS)
    step = talk(30, ann, next_step="send quote", follow_up=(TODAY - timedelta(days=3)).isoformat())
    book = make_book(ann, step, talk(0, ann))
    assert listed(book) == {}


def test_deleted_people_are_not_listed(make_book: MakeBook) -> None:
    assert listed(make_book(Person(name="Gone", deleted=True))) == {}


def test_a_follow_up_that_has_come_adds_the_next_step(make_book: MakeBook) -> None:
    ann = Person(name="Ann Lee", cadence="FREQ=MONTHLY")
    step = talk(5, ann, next_step="send the winter price list", follow_up=TODAY.isoformat())
    found = listed(make_book(ann, step))["Ann Lee"]
    assert found.reasons == ["follow-up due: send the winter price list"]
    assert found.next_step == "send the winter price list"


def test_a_follow_up_still_ahead_does_not_list_anyone(make_book: MakeBook) -> None:
    ann = Person(name="Ann Lee", cadence="FREQ=MONTHLY")
    step = talk(5, ann, next_step="call back", follow_up=(TODAY + timedelta(days=1)).isoformat())
    assert listed(make_book(ann, step)) == {}


def test_overdue_and_follow_up_reasons_both_show(make_book: MakeBook) -> None:
    ann = Person(name="Ann Lee", cadence="FREQ=WEEKLY")
    step = talk(10, ann, next_step="", follow_up=days_ago(2)[:10])
    found = listed(make_book(ann, step))["Ann Lee"]
    assert found.reasons == ["last talked 10 days ago, weekly", "follow-up due: as planned"]


def test_the_segment_cadence_is_used_when_the_person_has_none(make_book: MakeBook) -> None:
    ann = Person(name="Ann Lee", tags=["runner"])
    runners = Segment(name="Runners", rule={"tags": ["runner"]}, cadence="FREQ=WEEKLY")
    book = make_book(ann, talk(10, ann))
    assert listed(book) == {}, "monthly by default: not due after 10 days"
    book.put(runners)
    assert cadence_of(book, ann) == "FREQ=WEEKLY"
    assert listed(book)["Ann Lee"].reasons == ["last talked 10 days ago, weekly"]
    ann.cadence = "FREQ=MONTHLY;INTERVAL=3"
    assert cadence_of(book, ann) == "FREQ=MONTHLY;INTERVAL=3", "the person's own cadence wins"
    assert listed(book) == {}


def test_the_default_cadence_can_be_changed(make_book: MakeBook) -> None:
    ann = Person(name="Ann Lee")
    book = make_book(ann, talk(10, ann))
    assert cadence_of(book, ann) == DEFAULT_CADENCE
    assert [s.person for s in rank_today(book, TODAY, default_cadence="FREQ=WEEKLY")] == [ann]


def test_ranking_is_by_score_then_influence_then_name(make_book: MakeBook) -> None:
    fresh = Person(name="fresh", cadence="FREQ=MONTHLY")
    book = make_book(
        Person(name="bea", influence=0),  # never: 6
        Person(name="Abe", influence=0),  # never: 6, name before bea
        Person(name="Cal", influence=1),  # never + influence: 8
        fresh,  # follow-up only: 8, influence 0
        talk(3, fresh, follow_up=TODAY.isoformat()),
        Person(name="Dee", influence=5),  # never + influence: 16
    )
    ranked = rank_today(book, TODAY)
    assert [s.person.name for s in ranked] == ["Dee", "Cal", "fresh", "Abe", "bea"]
    assert [s.score for s in ranked] == [16.0, 8.0, 8.0, 6.0, 6.0]
    assert [s.person.name for s in rank_today(book, TODAY, limit=2)] == ["Dee", "Cal"]


def test_how_overdue_counts_but_is_capped(make_book: MakeBook) -> None:
    bit = Person(name="Bit late", cadence="FREQ=WEEKLY")
    very = Person(name="Very late", cadence="FREQ=WEEKLY")
    ages = Person(name="Ages", cadence="FREQ=WEEKLY")
    book = make_book(bit, very, ages, talk(7, bit), talk(21, very), talk(300, ages))
    scores = {s.person.name: s.score for s in rank_today(book, TODAY)}
    assert scores["Bit late"] < scores["Very late"] == scores["Ages"]


@pytest.mark.parametrize(
    ("fields", "action"),
    [
        ({"channel": "coffee", "stage": "prospect"}, "coffee"),
        ({"channel": "message", "stage": "advocate", "influence": 5}, "message"),
        ({"stage": "advocate", "influence": 4}, "lunch"),
        ({"stage": "advocate", "influence": 3}, "call"),
        ({"stage": "customer", "area": "Old Town"}, "invite in"),
        ({"stage": "customer"}, "call"),
        ({"stage": "lead"}, "coffee"),
        ({"stage": "prospect"}, "call"),
        ({"stage": "stranger"}, "call"),
    ],
)
def test_suggest_action(fields: dict[str, object], action: str) -> None:
    assert suggest_action(Person(name="X", **fields)) == action  # type: ignore[arg-type]


def test_the_suggestion_carries_the_action_and_a_symbol(make_book: MakeBook) -> None:
    lead = Person(name="Lee", stage="lead")
    found = listed(make_book(lead))["Lee"]
    assert found.action == "coffee"
    assert found.symbol == ACTION_SYMBOLS["coffee"] != ACTION_SYMBOLS["call"]


# -- properties --------------------------------------------------------------------------

_CADENCES = ["", "FREQ=WEEKLY", EVERY_2_WEEKS, "FREQ=MONTHLY", "FREQ=DAILY;INTERVAL=10"]


@st.composite
def books(draw: st.DrawFn) -> list[Record]:
    """A small book's records: ties in names, influence and dates are likely on purpose."""
    count = draw(st.integers(1, 7))
    people = [
        Person(
            id=f"p{i}",
            name=draw(st.sampled_from(["Ann", "ann", "Bob", "Cy"])),
            influence=draw(st.integers(0, 2)),
            cadence=draw(st.sampled_from(_CADENCES)),
            snoozed_until=draw(st.none() | st.just((TODAY + timedelta(days=2)).isoformat())),
            tags=draw(st.lists(st.sampled_from(["a", "b"]), max_size=2)),
        )
        for i in range(count)
    ]
    records: list[Record] = list(people)
    for n in range(draw(st.integers(0, 10))):
        who = draw(st.lists(st.sampled_from(people), min_size=1, max_size=3, unique_by=lambda p: p.id))
        records.append(
            Interaction(
                id=f"i{n}",
                at=days_ago(draw(st.integers(0, 60))),
                people=[p.id for p in who],
                outcome=draw(st.sampled_from(["reached", "attempt"])),
                follow_up=draw(
                    st.none() | st.dates(TODAY - timedelta(days=20), TODAY + timedelta(days=5)).map(str)
                ),
                next_step=draw(st.sampled_from(["", "send list"])),
            )
        )
    for n in range(draw(st.integers(0, 3))):
        records.append(
            Segment(
                id=f"s{n}",
                name=draw(st.sampled_from(["Same", "same", "Other"])),
                rule={"tags": [draw(st.sampled_from(["a", "b"]))]},
                cadence=draw(st.sampled_from(_CADENCES)),
            )
        )
    return records


def _summary(book: Book) -> list[tuple[str, float, list[str], date | None]]:
    return [(s.person.id, s.score, s.reasons, s.last_contact) for s in rank_today(book, TODAY)]


@settings(max_examples=150, deadline=None)
@given(records=books(), data=st.data())
def test_ranking_does_not_depend_on_insertion_order(records: list[Record], data: st.DataObject) -> None:
    shuffled = data.draw(st.permutations(records))
    first, second = Book(), Book()
    for record in records:
        first.put(record)
    for record in shuffled:
        second.put(record)
    assert _summary(first) == _summary(second)


@settings(max_examples=150, deadline=None)
@given(records=books(), data=st.data())
def test_an_attempt_never_resets_the_clock(records: list[Record], data: st.DataObject) -> None:
    book = Book()
    for record in records:
        book.put(record)
    people = list(book.people.values())
    before = {s.person.id: s for s in rank_today(book, TODAY)}
    last_before = book.last_contacts()

    who = data.draw(st.lists(st.sampled_from(people), min_size=1, max_size=3, unique_by=lambda p: p.id))
    book.put(
        Interaction(
            at=days_ago(data.draw(st.integers(0, 30)), hour=data.draw(st.integers(0, 23))),
            people=[p.id for p in who],
            kind=data.draw(st.sampled_from(["call", "message", "visit"])),
            outcome="attempt",
            note="no answer",
        )
    )
    after = {s.person.id: s for s in rank_today(book, TODAY)}
    assert book.last_contacts() == last_before
    assert set(before) <= set(after)
    for pid, suggestion in before.items():
        assert after[pid].last_contact == suggestion.last_contact
