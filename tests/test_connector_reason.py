"""Today's ranking gives a segment's untouched connectors a reason of their own (issue 11,
part 3): one of a live segment's top 3 connectors (see domain/connectors.py) with no real
conversation in 30 days is listed, "connector of Runners' club, not talked to in 30+ days",
for the `untouched_connector` weight.

Everyone here is on a quarterly cadence and was last talked to 40 days ago: not due by
cadence, so only the connector signal can put them on the list."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta

import pytest

from meetup_tui.domain.book import Book
from meetup_tui.domain.connectors import CONNECTOR_DAYS, connectors, untouched_connectors
from meetup_tui.domain.outreach import Suggestion, rank_today
from meetup_tui.domain.records import Interaction, Person, Segment
from meetup_tui.domain.settings import Settings, Weights

MakeBook = Callable[..., Book]
TODAY = date(2026, 11, 26)
QUARTERLY = "FREQ=MONTHLY;INTERVAL=3"
W = Weights()
CLUB = Segment(name="Runners' club", rule={"tags": ["runner"]})
BAKERS = Segment(name="Bakers", rule={"tags": ["baker"]})
REASON = "connector of Runners' club, not talked to in 30+ days"


def runner(name: str, influence: int, *tags: str, **fields: object) -> Person:
    return Person(name=name, tags=["runner", *tags], influence=influence, cadence=QUARTERLY, **fields)  # type: ignore[arg-type]


def talk(days_ago: int, *people: Person, outcome: str = "reached", **fields: object) -> Interaction:
    at = f"{(TODAY - timedelta(days=days_ago)).isoformat()}T10:00"
    return Interaction(at=at, people=[p.id for p in people], outcome=outcome, **fields)  # type: ignore[arg-type]


def listed(book: Book, today: date = TODAY, **options: object) -> dict[str, Suggestion]:
    return {s.person.name: s for s in rank_today(book, today, **options)}  # type: ignore[arg-type]


@pytest.fixture
def club() -> list[Person]:
    """Four runners, influence 5, 4, 3, 2: the first three are the club's connectors."""
    return [runner("Ana", 5), runner("Bo", 4), runner("Cy", 3), runner("Dee", 2)]


def club_book(make_book: MakeBook, people: list[Person], *more: object) -> Book:
    return make_book(*people, CLUB, talk(40, *people), *more)


def test_an_untouched_connector_gets_the_reason_and_the_points(make_book: MakeBook, club) -> None:
    found = listed(club_book(make_book, club))
    ana = found["Ana"]
    assert ana.reasons == [REASON, "influence 5"]
    assert ana.points == {"untouched_connector": W.untouched_connector, "influence": 5 * W.influence}
    assert ana.score == W.untouched_connector + 5 * W.influence
    assert [s.person.name for s in rank_today(club_book(make_book, club), TODAY)] == ["Ana", "Bo", "Cy"]


def test_the_fourth_by_rank_is_no_connector(make_book: MakeBook, club) -> None:
    assert "Dee" not in listed(club_book(make_book, club)), "only the top 3 are connectors"


def test_a_touched_connector_gets_no_reason(make_book: MakeBook, club) -> None:
    ana, bo, cy, _ = club
    # Ana: talked 30 days ago (the window's first day, still touched); Bo 31 days ago.
    book = club_book(make_book, club, talk(30, ana), talk(31, bo), talk(29, cy))
    found = listed(book)
    assert set(found) == {"Bo"}
    assert found["Bo"].reasons == [REASON, "influence 4"]


def test_an_attempt_does_not_touch_a_connector(make_book: MakeBook, club) -> None:
    ana = club[0]
    book = club_book(make_book, club, talk(5, ana, outcome="attempt", note="Voicemail."))
    assert listed(book)["Ana"].reasons == ["tried 5 days ago (voicemail), ask again", REASON, "influence 5"]


def test_a_connector_never_talked_to_is_told_apart(make_book: MakeBook) -> None:
    eve = runner("Eve", 3)
    found = listed(make_book(eve, CLUB))
    assert found["Eve"].reasons == [
        "never talked yet, quarterly",
        "connector of Runners' club, not talked to yet",
        "influence 3",
    ]


def test_a_deleted_segment_counts_for_no_one(make_book: MakeBook, club) -> None:
    book = club_book(make_book, club, replace(CLUB, deleted=True))
    assert listed(book) == {}


def test_a_deleted_person_is_no_connector_and_the_fourth_moves_up(make_book: MakeBook, club) -> None:
    book = club_book(make_book, club)
    assert "Dee" not in listed(book)
    book.put(replace(club[0], deleted=True))
    found = listed(book)  # the same book, changed: nothing stale is kept
    assert set(found) == {"Bo", "Cy", "Dee"}
    assert found["Dee"].reasons == [REASON, "influence 2"]


def test_a_snoozed_connector_stays_out_and_keeps_their_place(make_book: MakeBook, club) -> None:
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    book = club_book(make_book, [replace(club[0], snoozed_until=tomorrow), *club[1:]])
    assert set(listed(book)) == {"Bo", "Cy"}, "Ana is still a connector, just snoozed: Dee stays out"


def test_two_segments_make_one_reason_worth_one_weight(make_book: MakeBook, club) -> None:
    ana = replace(club[0], tags=["runner", "baker"])
    book = club_book(make_book, [ana, *club[1:]], BAKERS)
    found = listed(book)["Ana"]
    assert found.reasons == [
        "connector of Bakers and Runners' club, not talked to in 30+ days",
        "influence 5",
    ]
    assert found.points["untouched_connector"] == W.untouched_connector


def test_past_three_segments_the_rest_are_counted(make_book: MakeBook) -> None:
    groups = [Segment(name=name, include=[]) for name in ("A", "B", "C", "D", "E")]
    fan = Person(name="Fan", influence=2, cadence=QUARTERLY)
    groups = [replace(g, include=[fan.id]) for g in groups]
    found = listed(make_book(fan, *groups, talk(40, fan)))["Fan"]
    assert found.reasons[0] == "connector of A, B, C and 2 more segments, not talked to in 30+ days"


def test_weight_zero_switches_it_off(make_book: MakeBook, club) -> None:
    off = Settings(weights=Weights(untouched_connector=0.0))
    assert listed(club_book(make_book, club), settings=off) == {}
    ana = club[0]  # due for another reason: no connector reason, no points
    book = club_book(make_book, club, talk(40, ana, next_step="send the map", follow_up="2026-11-20"))
    found = listed(book, settings=off)["Ana"]
    assert "untouched_connector" not in found.points
    assert not any("connector" in reason for reason in found.reasons)


def test_a_due_follow_up_outranks_an_as_influential_connector(make_book: MakeBook, club) -> None:
    promised = Person(name="Zoe", influence=5, cadence=QUARTERLY)
    step = talk(40, promised, next_step="send the map", follow_up=TODAY.isoformat())
    names = [s.person.name for s in rank_today(club_book(make_book, club, promised, step), TODAY)]
    assert names[:2] == ["Zoe", "Ana"]


def test_the_ranking_agrees_with_the_segment_view(make_book: MakeBook, club) -> None:
    bo = club[1]
    book = club_book(make_book, club, talk(3, bo), BAKERS, replace(club[2], tags=["runner", "baker"]))
    shown = {
        c.person.id
        for segment in (CLUB, BAKERS)
        for c in connectors(book, segment, TODAY, days=CONNECTOR_DAYS)
        if not c.touched
    }
    assert set(untouched_connectors(book, TODAY)) == shown
    assert {s.person.id for s in rank_today(book, TODAY) if "untouched_connector" in s.points} == shown


def test_the_kept_answer_follows_the_log(make_book: MakeBook, club) -> None:
    book = club_book(make_book, club)
    assert "Ana" in listed(book)
    book.put(talk(1, club[0]))  # a new entry: Ana was touched yesterday
    assert "Ana" not in listed(book)
    assert "Ana" in listed(book, today=TODAY + timedelta(days=31)), "a later day looks again"
    entry = next(i for i in book.interactions.values() if i.at.startswith(str(TODAY - timedelta(days=1))))
    book.put(replace(entry, deleted=True))  # the talk taken back
    assert "Ana" in listed(book)
