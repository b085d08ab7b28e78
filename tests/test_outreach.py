"""Who to contact today: each signal, each exclusion, cadence sources, ranking, suggested
actions and the words around them.  The spread of first contacts is in test_spread.py, the
properties of the whole (hypothesis) in test_outreach_properties.py."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from meetup_tui.domain.book import Book
from meetup_tui.domain.outreach import (
    ACTION_SYMBOLS,
    DEFAULT_CADENCE,
    Suggestion,
    best_now,
    cadence_of,
    rank_today,
    suggest_action,
)
from meetup_tui.domain.records import Interaction, Person, Segment
from meetup_tui.domain.settings import Settings, Weights

MakeBook = Callable[..., Book]
TODAY = date(2026, 11, 26)
EVERY_2_WEEKS = "FREQ=WEEKLY;INTERVAL=2"


def days_ago(n: int, hour: int = 10) -> str:
    return f"{(TODAY - timedelta(days=n)).isoformat()}T{hour:02d}:00"


def talk(n_days_ago: int, *people: Person, outcome: str = "reached", **fields: object) -> Interaction:
    return Interaction(at=days_ago(n_days_ago), people=[p.id for p in people], outcome=outcome, **fields)  # type: ignore[arg-type]


def added(n_days_ago: int, today: date = TODAY) -> str:
    """A created_at stamp (UTC) `n_days_ago` days before `today`."""
    return f"{(today - timedelta(days=n_days_ago)).isoformat()}T08:00:00.000000Z"


def listed(book: Book, today: date = TODAY, **options: object) -> dict[str, Suggestion]:
    return {s.person.name: s for s in rank_today(book, today, **options)}  # type: ignore[arg-type]


def test_a_never_contacted_person_is_listed(make_book: MakeBook) -> None:
    new = Person(name="Nina New", created_at=added(3))
    found = listed(make_book(new))["Nina New"]
    assert found.reasons == ["never talked yet, monthly"]
    assert found.last_contact is None
    assert found.due == TODAY - timedelta(days=3), "one person added alone is due the day they came"


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
    assert found.reasons == ["last talked 10 days ago, weekly", "follow-up 2 days overdue: as planned"]


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
    assert cadence_of(book, ann) == DEFAULT_CADENCE == Settings().default_cadence
    assert rank_today(book, TODAY) == []
    weekly = Settings(default_cadence="FREQ=WEEKLY")
    assert [s.person for s in rank_today(book, TODAY, settings=weekly)] == [ann]


def test_ranking_is_by_score_then_influence_then_name(make_book: MakeBook) -> None:
    old = Settings(weights=Weights(follow_up=8.0))  # the weights this test was written for
    fresh = Person(name="fresh", cadence="FREQ=MONTHLY")
    book = make_book(
        Person(name="bea", influence=0),  # never: 6
        Person(name="Abe", influence=0),  # never: 6, name before bea
        Person(name="Cal", influence=1),  # never + influence: 8
        fresh,  # follow-up only: 8, influence 0
        talk(3, fresh, follow_up=TODAY.isoformat()),
        Person(name="Dee", influence=5),  # never + influence: 16
    )
    ranked = rank_today(book, TODAY, settings=old)
    assert [s.person.name for s in ranked] == ["Dee", "Cal", "fresh", "Abe", "bea"]
    assert [s.score for s in ranked] == [16.0, 8.0, 8.0, 6.0, 6.0]
    assert [s.person.name for s in rank_today(book, TODAY, settings=old, limit=2)] == ["Dee", "Cal"]


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


def test_the_symbols_are_one_cell_and_not_emoji() -> None:
    for action, symbol in ACTION_SYMBOLS.items():
        assert len(symbol) == 1, action
        # "N"/"Na": one cell everywhere ("A" is two cells in CJK terminals, "W" always two).
        assert unicodedata.east_asian_width(symbol) in ("N", "Na"), action
        assert symbol not in "☎♨✉☕⭐", action  # emoji that terminals may draw in colour
    assert len(set(ACTION_SYMBOLS.values())) == len(ACTION_SYMBOLS) - 1  # visit and invite in share ⌂


# -- each signal, with a fixed day -----------------------------------------------------------


def test_a_step_is_a_reason_until_marked_done_whatever_was_logged_after(make_book: MakeBook) -> None:
    ann = Person(name="Ann Lee", cadence="FREQ=MONTHLY")
    step = talk(9, ann, next_step="send quote", follow_up=days_ago(2)[:10])
    found = listed(make_book(ann, step, talk(5, ann)))["Ann Lee"]  # a later talk: still open
    assert found.reasons == ["follow-up 2 days overdue: send quote"]
    assert found.points == {"overdue_step": 12.0}
    assert listed(make_book(ann, replace(step, done=days_ago(5)[:10]), talk(5, ann))) == {}
    on_the_day = talk(9, ann, next_step="send quote", follow_up=TODAY.isoformat())
    assert listed(make_book(ann, on_the_day))["Ann Lee"].reasons == ["follow-up due: send quote"]


def test_influence_and_stage_add_to_the_due_but_never_list_anyone(make_book: MakeBook) -> None:
    star = Person(name="Star", stage="lead", influence=5, cadence="FREQ=WEEKLY")
    assert listed(make_book(star, talk(6, star))) == {}
    found = listed(make_book(star, talk(7, star)))["Star"]
    assert found.reasons == ["last talked 7 days ago, weekly", "a lead to nurture", "influence 5"]
    assert found.points == {"overdue": 10.0, "stage": 3.0, "influence": 10.0}
    assert found.score == 23.0


@pytest.mark.parametrize(
    ("stage", "reason"),
    [("lead", "a lead to nurture"), ("advocate", "an advocate to keep warm"), ("customer", None)],
)
def test_stage_weights_give_a_reason_when_they_count(make_book: MakeBook, stage: str, reason: str) -> None:
    who = Person(name="Who", stage=stage, cadence="FREQ=WEEKLY")
    found = listed(make_book(who, talk(7, who)))["Who"]
    assert found.reasons[1:] == ([reason] if reason else [])
    nurture = Settings(stage_weights={"prospect": 1.5})
    prospect = Person(name="Pro", cadence="FREQ=WEEKLY")
    assert listed(make_book(prospect, talk(7, prospect)), settings=nurture)["Pro"].points["stage"] == 1.5


def test_a_recent_introduction_not_yet_contacted(make_book: MakeBook) -> None:
    maya = Person(name="Maya Okafor", created_at=added(400))
    new = Person(name="Noah", introduced_by=maya.id, created_at=added(5))
    book = make_book(maya, talk(3, maya), new)
    found = listed(book)["Noah"]
    assert found.reasons == ["introduced by Maya Okafor 5 days ago, not yet contacted"]
    assert found.points == {"introduction": 9.0}
    book.put(replace(maya, deleted=True))
    assert listed(book)["Noah"].reasons == ["introduced 5 days ago, not yet contacted"]


def test_an_introduction_stops_counting_once_old_or_contacted(make_book: MakeBook) -> None:
    maya = Person(name="Maya", created_at=added(400))
    old = Person(name="Old", introduced_by=maya.id, created_at=added(31))
    tried = Person(name="Tried", introduced_by=maya.id, created_at=added(5))
    book = make_book(maya, talk(3, maya), old, tried, talk(1, tried, outcome="attempt"))
    assert listed(book)["Old"].reasons == ["never talked yet, monthly"]
    assert listed(book)["Tried"].reasons == ["never talked yet, monthly"]
    assert "Old" in listed(book, settings=Settings(introduction_days=31))
    assert (
        listed(book, settings=Settings(introduction_days=31))["Old"]
        .reasons[0]
        .startswith("introduced by Maya")
    )


def test_an_attempt_two_days_old_asks_again_without_resetting_the_clock(make_book: MakeBook) -> None:
    ann = Person(name="Ann Lee", cadence="FREQ=MONTHLY")
    bob = Person(name="Bob", cadence="FREQ=MONTHLY")
    attempts = [
        talk(3, ann, outcome="attempt", note="Voicemail; left a message."),
        talk(1, bob, outcome="attempt"),
    ]
    book = make_book(ann, bob, talk(10, ann), talk(40, bob), *attempts)
    found = listed(book)
    assert found["Ann Lee"].reasons == ["tried 3 days ago (voicemail), ask again"]
    assert found["Ann Lee"].last_contact == TODAY - timedelta(days=10)
    assert found["Bob"].reasons == ["last talked 40 days ago, monthly"], "tried yesterday: not yet"
    assert "tried 2 days ago (call), ask again" in listed(book, TODAY + timedelta(days=1))["Bob"].reasons
    book.put(talk(2, ann))  # reached after the attempt
    assert "Ann Lee" not in listed(book)


def test_an_attempt_with_a_dated_next_step_waits_for_that_day_not_to_ask_again(make_book: MakeBook) -> None:
    """A check-in "plan" (an invitation sent, a coffee on Tuesday) is such an attempt."""
    ann = Person(name="Ann", cadence="FREQ=MONTHLY")
    planned = (TODAY + timedelta(days=2)).isoformat()
    book = make_book(
        ann,
        talk(10, ann),
        talk(5, ann, outcome="attempt", kind="message", next_step="coffee", follow_up=planned),
    )
    assert "Ann" not in listed(book), "tried 5 days ago, but the plan says Saturday"
    on_the_day = listed(book, TODAY + timedelta(days=2))["Ann"]
    assert on_the_day.reasons == ["follow-up due: coffee"]
    assert on_the_day.next_step == "coffee"
    # A later attempt, after the step was set, asks again as usual.
    book.put(talk(3, ann, outcome="attempt", note="no answer"))
    assert listed(book)["Ann"].reasons == ["tried 3 days ago (no answer), ask again"]


def test_the_attempt_reason_uses_a_short_note(make_book: MakeBook) -> None:
    ann = Person(name="Ann", cadence="FREQ=MONTHLY")
    book = make_book(ann, talk(5, ann), talk(4, ann, outcome="attempt", kind="message", note="Line busy."))
    assert listed(book)["Ann"].reasons == ["tried 4 days ago (busy), ask again"]
    book.put(talk(3, ann, outcome="attempt", kind="message", note="Texted about the sale"))
    assert listed(book)["Ann"].reasons == ["tried 3 days ago (texted about the sale), ask again"]


@pytest.mark.parametrize(
    ("today", "birthday", "reason"),
    [
        (TODAY, "1980-11-26", "birthday today"),
        (TODAY, "--11-27", "birthday tomorrow"),
        (TODAY, "--12-03", "birthday in 7 days"),
        (TODAY, "--12-04", None),
        (TODAY, "--11-25", None),
        (date(2026, 12, 30), "--01-02", "birthday in 3 days"),
        (date(2027, 2, 25), "2000-02-29", "birthday in 3 days"),  # kept on the 28th
        (date(2028, 2, 25), "--02-29", "birthday in 4 days"),  # a leap year
        (TODAY, "not a date", None),
    ],
)
def test_a_birthday_within_the_week(make_book: MakeBook, today: date, birthday: str, reason: str) -> None:
    ann = Person(name="Ann", birthday=birthday, influence=1)
    book = make_book(ann, Interaction(at=f"{(today - timedelta(days=3)).isoformat()}T10:00", people=[ann.id]))
    found = listed(book, today)
    assert (found["Ann"].reasons if found else None) == ([reason, "influence 1"] if reason else None)


def test_a_weight_of_zero_switches_a_signal_off(make_book: MakeBook) -> None:
    ann = Person(name="Ann", birthday="--11-28")
    book = make_book(ann, talk(3, ann))
    assert listed(book)["Ann"].points == {"birthday": 4.0}
    assert listed(book, settings=Settings(weights=Weights(birthday=0.0))) == {}
    assert listed(book, settings=Settings(birthday_days=1)) == {}


# -- who is left out -----------------------------------------------------------------------------


def test_any_entry_today_leaves_someone_out_even_an_attempt(make_book: MakeBook) -> None:
    ann = Person(name="Ann", cadence="FREQ=WEEKLY", birthday="--11-26")
    book = make_book(ann, talk(30, ann))
    assert "Ann" in listed(book)
    book.put(talk(0, ann, outcome="attempt", note="no answer"))
    assert listed(book) == {}
    assert "Ann" in listed(book, TODAY + timedelta(days=1)), "and back the next day: it never reset the clock"


def test_mine_leaves_out_people_someone_else_looks_after(make_book: MakeBook) -> None:
    book = make_book(
        Person(name="Hers", owner="sam", created_at=added(1)),
        Person(name="Mine", owner="alex", created_at=added(1)),
        Person(name="Anyone's", created_at=added(1)),
    )
    assert set(listed(book)) == {"Hers", "Mine", "Anyone's"}
    assert set(listed(book, mine="alex")) == {"Mine", "Anyone's"}


# -- the words around it -------------------------------------------------------------------------


def test_the_talking_point_is_what_they_last_told_us(make_book: MakeBook) -> None:
    ann = Person(name="Ann", cadence="FREQ=WEEKLY", challenges="Parking", wants="Winter tyres")
    book = make_book(ann, talk(20, ann))
    assert listed(book)["Ann"].talking_point == "Challenge: Parking"
    book.put(talk(30, ann, learned="Wants a cargo bike"))
    book.put(
        talk(
            9,
            ann,
            learned="Her  shop\nfloods in spring",
            next_step="lend a van",
            follow_up=days_ago(-3)[:10],
        )
    )
    found = listed(book)["Ann"]
    assert found.talking_point == "Her shop floods in spring"
    assert found.next_step == "lend a van", "the open next step, even before its day"
    assert found.reasons == ["last talked 9 days ago, weekly"]


def test_the_points_add_up_to_the_score(make_book: MakeBook) -> None:
    ann = Person(name="Ann", cadence="FREQ=WEEKLY", influence=3, stage="advocate", birthday="--11-30")
    book = make_book(ann, talk(17, ann, follow_up=TODAY.isoformat()), talk(4, ann, outcome="attempt"))
    [found] = rank_today(book, TODAY)
    assert list(found.points) == ["overdue", "follow_up", "attempt", "birthday", "stage", "influence"]
    assert len(found.reasons) == len(found.points)
    assert found.score == round(sum(found.points.values()), 2) == round(10 * 17 / 7 + 12 + 4 + 4 + 2 + 6, 2)


def test_best_now_prefers_someone_with_a_number_to_call(make_book: MakeBook) -> None:
    top = Person(name="Top", influence=5, created_at=added(1))
    second = Person(name="Second", influence=4, phones=["+1 555 0100"], created_at=added(1))
    book = make_book(top, second)
    now = datetime(2026, 11, 26, 15, 30)
    assert [s.person for s in rank_today(book, TODAY)] == [top, second]
    assert best_now(book, now).person == second  # type: ignore[union-attr]
    coffee = replace(top, channel="coffee")
    book.put(coffee)
    assert best_now(book, now).person == coffee  # type: ignore[union-attr]
    assert best_now(Book(), now) is None
    book.put(replace(second, phones=[]))
    assert best_now(book, now, mine="nobody").person == coffee  # type: ignore[union-attr]


def test_a_suggestion_reads_the_same_after_the_book_moves_on(make_book: MakeBook) -> None:
    ann = Person(name="Ann", cadence="FREQ=WEEKLY")
    book = make_book(ann, talk(10, ann))
    [found] = rank_today(book, TODAY)
    book.put(talk(2, ann, learned="Moved shop"))
    assert found.reasons == ["last talked 10 days ago, weekly"]
    assert found.last_contact == TODAY - timedelta(days=10)
