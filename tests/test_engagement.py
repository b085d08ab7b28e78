"""Likes turned into conversations (issue 14, part 1; domain/engagement.py): the people who
engaged with a post get a reason of their own on today's list, worth less each day until
`engaged_days`, a like half; talking to them or trying to ends it; the score counts the
people reached after engaging.

Everyone here is on a quarterly cadence and was last talked to 40 days ago (not due by
cadence) unless said otherwise, so only the engagement can put them on the list."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta

import pytest

from meetup_tui.domain.book import Book, score_words
from meetup_tui.domain.engagement import (
    engaged_names,
    engaged_on,
    from_posts_this_week,
    post_records,
    recent_engagement,
)
from meetup_tui.domain.errors import LookupFailed, UserError
from meetup_tui.domain.outreach import rank_today
from meetup_tui.domain.records import Interaction, Person, Post
from meetup_tui.domain.settings import Settings, Weights, settings_from_dict
from meetup_tui.domain.versions import merge_records

MakeBook = Callable[..., Book]
TODAY = date(2026, 11, 26)  # a Thursday
QUARTERLY = "FREQ=MONTHLY;INTERVAL=3"


def person(name: str, **fields: object) -> Person:
    return Person(name=name, cadence=QUARTERLY, **fields)  # type: ignore[arg-type]


def talk(days_ago: int, *people: Person, outcome: str = "reached") -> Interaction:
    at = f"{(TODAY - timedelta(days=days_ago)).isoformat()}T10:00"
    return Interaction(at=at, people=[p.id for p in people], outcome=outcome)


def post(days_ago: int, *engaged: tuple[Person, str], platform: str = "Instagram") -> Post:
    at = f"{(TODAY - timedelta(days=days_ago)).isoformat()}T18:00"
    return Post(platform=platform, at=at, likes=30, engaged=[f"{p.id}:{how}" for p, how in engaged])


def listed(
    book: Book, day: date = TODAY, settings: Settings | None = None
) -> dict[str, tuple[float, list[str]]]:
    ranked = rank_today(book, day, settings=settings or Settings())
    return {s.person.name: (s.points.get("engaged", 0.0), s.reasons) for s in ranked}


@pytest.fixture
def ana() -> Person:
    return person("Ana Ruiz")


def test_names_with_how_are_read_and_a_name_alone_commented() -> None:
    assert engaged_names(" Ana Ruiz, Bo Lee:share,, Cy : MESSAGE ") == [
        ("Ana Ruiz", "comment"),
        ("Bo Lee", "share"),
        ("Cy", "message"),
    ]
    with pytest.raises(UserError, match="'poke' is not a way to engage; put one of comment, share"):
        engaged_names("Ana:poke")
    with pytest.raises(UserError, match="A name is missing"):
        engaged_names(":like")


def test_a_post_finds_people_by_name_and_makes_the_rest_new_prospects_tagged_with_the_platform(
    make_book: MakeBook, ana: Person
) -> None:
    book = make_book(ana, person("Bo Lee"))
    new = Post(platform="Instagram Reels", at="2026-11-25T18:00")
    done = post_records(
        book, new, [("ana", "share"), ("Cleo Park", "comment"), ("cleo park", "like")], ("a", "prospect")
    )
    [cleo] = done.made
    assert (cleo.name, cleo.stage, cleo.tags) == ("Cleo Park", "prospect", ["instagram-reels"])
    assert "Found on Instagram Reels" in cleo.notes and "2026-11-25" in cleo.notes
    assert engaged_on(done.post) == [(ana.id, "share"), (cleo.id, "like")]  # a name twice: once, as last said
    assert [(p.name, how) for p, how in done.engaged] == [("Ana Ruiz", "share"), ("Cleo Park", "like")]
    with pytest.raises(LookupFailed, match="matches 2 people"):
        post_records(make_book(ana, person("Ana Lee")), new, [("Ana", "comment")], ("prospect",))


def test_someone_who_commented_is_listed_with_the_reason_fading_to_nothing(
    make_book: MakeBook, ana: Person
) -> None:
    book = make_book(ana, talk(40, ana), post(2, (ana, "comment")))
    points, reasons = listed(book)["Ana Ruiz"]
    assert reasons == ["commented on your Instagram post 2 days ago — invite them in"]
    assert points == pytest.approx(8.0 * (1 - 2 / 14), abs=0.005)
    assert listed(book, TODAY - timedelta(days=2))["Ana Ruiz"][0] == 8.0  # on the day: the whole weight
    assert listed(book, TODAY + timedelta(days=5))["Ana Ruiz"][0] == pytest.approx(
        8.0 * (1 - 7 / 14), abs=0.005
    )
    assert "Ana Ruiz" not in listed(book, TODAY + timedelta(days=12))  # 14 days on: faded out
    three_days = settings_from_dict({"engaged_days": 3, "weights": {"engaged": 6}})
    assert listed(book, settings=three_days)["Ana Ruiz"][0] == pytest.approx(6.0 * (1 - 2 / 3), abs=0.005)
    assert "Ana Ruiz" not in listed(book, settings=Settings(weights=Weights(engaged=0)))


def test_a_like_is_worth_half_and_the_best_engagement_counts_once(make_book: MakeBook, ana: Person) -> None:
    bo = person("Bo Lee")
    book = make_book(
        ana, bo, talk(40, ana, bo), post(1, (ana, "like"), (bo, "share")), post(3, (ana, "message"))
    )
    found = listed(book)
    assert found["Bo Lee"] == (
        pytest.approx(8.0 * 13 / 14, abs=0.005),
        ["shared your Instagram post yesterday — invite them in"],
    )
    # Ana: a message 3 days ago (8 x 11/14) beats a like yesterday (8 x 13/14 / 2)
    assert found["Ana Ruiz"] == (
        pytest.approx(8.0 * 11 / 14, abs=0.005),
        ["messaged you after your Instagram post 3 days ago — invite them in"],
    )


def test_a_talk_or_an_attempt_after_the_post_ends_it_one_before_does_not(
    make_book: MakeBook, ana: Person
) -> None:
    engaged = post(3, (ana, "comment"))
    assert "Ana Ruiz" in listed(make_book(ana, talk(40, ana), talk(4, ana, outcome="attempt"), engaged))
    assert "Ana Ruiz" not in listed(make_book(ana, talk(40, ana), engaged, talk(1, ana, outcome="attempt")))
    retry = make_book(ana, talk(40, ana), engaged, talk(2, ana, outcome="attempt"))
    assert listed(retry)["Ana Ruiz"][0] == 0.0  # listed to try again, no longer for the post
    assert "Ana Ruiz" not in listed(make_book(ana, talk(40, ana), engaged, talk(1, ana)))


def test_snoozed_deleted_and_deleted_posts_are_never_listed(make_book: MakeBook, ana: Person) -> None:
    snoozed = replace(ana, snoozed_until="2026-12-01")
    assert listed(make_book(snoozed, post(1, (ana, "comment")))) == {}
    gone = replace(post(1, (ana, "comment")), deleted=True)
    assert listed(make_book(ana, talk(40, ana), gone)) == {}
    assert listed(make_book(replace(ana, deleted=True), post(1, (ana, "comment")))) == {}
    assert (
        recent_engagement(make_book(ana, post(1, (ana, "x"))), TODAY, 14)[ana.id].how == "x"
    )  # kept as given


def test_the_score_counts_the_people_reached_this_week_after_engaging(
    make_book: MakeBook, ana: Person
) -> None:
    bo, cy, di = person("Bo Lee"), person("Cy Diaz"), person("Di Ng")
    book = make_book(
        ana, bo, cy, di,
        post(9, (ana, "comment"), (bo, "like"), (cy, "share")),  # 17 November, the Tuesday before
        talk(1, ana),  # this week, after the post: counts
        talk(2, ana),  # (Ana once, however many talks)
        talk(1, di),  # never engaged
        talk(8, cy),  # after the post, but last week
    )  # fmt: skip
    assert from_posts_this_week(book, TODAY, 14) == 1
    assert from_posts_this_week(book, TODAY, 7) == 0  # the talk came 8 days after the post
    bo_talk = make_book(*book.people.values(), *book.posts.values(), *book.interactions.values(), talk(0, bo))
    assert from_posts_this_week(bo_talk, TODAY, 14) == 2
    assert score_words((3, 1, 30), from_posts=2) == (
        "This week: 3 conversations",
        " (2 from posts) vs 1 post (30 likes)",
    )
    assert score_words((1, 0, 0), from_posts=1, short=True) == (
        "Week: 1 talk",
        " (1 via a post) vs 0 posts (0 likes)",
    )
    assert score_words((1, 0, 0)) == ("This week: 1 conversation", " vs 0 posts (0 likes)")


def test_two_copies_adding_people_to_one_post_keep_both(ana: Person) -> None:
    bo = person("Bo Lee")
    base = replace(post(1), updated_at="2026-11-25T18:00:00.000000Z")
    mine = replace(
        base,
        engaged=[f"{ana.id}:comment"],
        versions={"engaged": {f"{ana.id}:comment": "2026-11-25T19:00:00.000000Z me"}},
    )
    theirs = replace(
        base,
        engaged=[f"{bo.id}:like"],
        versions={"engaged": {f"{bo.id}:like": "2026-11-25T19:30:00.000000Z you"}},
    )
    merged = merge_records(mine, theirs)
    assert sorted(merged.engaged) == sorted([f"{ana.id}:comment", f"{bo.id}:like"])
    assert merge_records(theirs, mine).engaged == merged.engaged


def test_the_settings_read_and_check_the_engagement_keys() -> None:
    read = settings_from_dict({"engaged_days": 21, "weights": {"engaged": 2.5}})
    assert (read.engaged_days, read.weights.engaged) == (21, 2.5)
    with pytest.raises(UserError, match="engaged_days"):
        settings_from_dict({"engaged_days": -1})
