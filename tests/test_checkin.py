"""The screens of "who to call today": the check-in, instead of posting, a post, the help on
ranking and the detail panel's talking point.  Pilot tests press keys, then read the file."""

from __future__ import annotations

import io
from collections import Counter
from datetime import date, datetime, time
from pathlib import Path

import pytest
from rich.console import Console
from textual.widget import Widget
from textual.widgets import Static

from meetup_tui.domain.book import Book
from meetup_tui.domain.clock import Clock
from meetup_tui.domain.errors import UserError
from meetup_tui.domain.outreach import best_now, rank_today
from meetup_tui.domain.records import Interaction, Person
from meetup_tui.domain.settings import Settings, Weights
from meetup_tui.store.database import Database
from meetup_tui.ui.app import MeetupApp
from meetup_tui.ui.screens.checkin import CheckinScreen, summary_text
from meetup_tui.ui.screens.plan import default_kind, read_plan
from meetup_tui.ui.screens.post_form import read_likes
from meetup_tui.ui.widgets.outreach_pane import OutreachPane
from meetup_tui.ui.widgets.score_bar import ScoreBar

TODAY = date(2026, 11, 26)  # a Thursday
NEXT_MONDAY = date(2026, 11, 30)
SIZE = (100, 30)
USER = "alex@shop"
NAMES = ["Ana Ruiz", "Bo Lee", "Cy Diaz", "Dee Park", "Eli Moss", "Fay Ng"]  # best first


def on_disk(path: Path) -> Book:
    """What a fresh process would read: the file, not the app's memory."""
    return Database.open(path, user="reader").book


def shown(widget: Widget) -> str:
    """The text of `widget` and of every shown Static in it, one renderable after the other."""
    statics = [widget] if isinstance(widget, Static) else [s for s in widget.query(Static) if s.display]
    console = Console(width=200, record=True, color_system=None, file=io.StringIO())
    for static in statics:
        console.print(static.content, markup=False)
    return console.export_text()


async def settle(app: MeetupApp, pilot) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


@pytest.fixture
def six_due(tmp_path: Path) -> tuple[Path, dict[str, Person]]:
    """Six people, all last talked on 1 September (monthly: all overdue); influence 5..0
    orders them, so with the daily cap of 5 the check-in walks the first five."""
    path = tmp_path / "shop.json"
    db = Database.open(path, user=USER, create=True)
    people = {
        name.split()[0].lower(): Person(
            name=name,
            phones=[f"+1 555 010{i}"],
            influence=5 - i,
            stage="customer",
            created_at="2026-08-01T09:00:00.000000Z",
        )
        for i, name in enumerate(NAMES)
    }
    talks = [
        Interaction(
            at="2026-09-01T10:00",
            people=[p.id],
            kind="coffee",
            learned="wants a winter service plan" if p.name == "Ana Ruiz" else "",
        )
        for p in people.values()
    ]
    db.apply(*people.values(), *talks)
    db.save()
    return path, people


def make_app(path: Path, settings: Settings | None = None) -> MeetupApp:
    app = MeetupApp(Database.open(path, user=USER), Clock(TODAY), settings)
    app.animation_level = "none"
    return app


def new_entries(book: Book) -> list[Interaction]:
    return [i for i in book.live_interactions() if i.at >= TODAY.isoformat()]


# -- the check-in -----------------------------------------------------------------------


async def test_a_whole_check_in_by_keys_is_on_disk(six_due) -> None:
    path, people = six_due
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, CheckinScreen)
        assert [s.person.name for s in screen.queue] == NAMES[:5]  # the capped list as shown
        assert "wants a winter service plan" in shown(screen.query_one("#talk"))
        await pilot.press("r", *"asked about winter", "enter")  # Ana: reached, with a note
        await settle(app, pilot)
        assert "Bo Lee" in shown(screen.query_one("#who"))
        await pilot.press("a")  # Bo: voicemail
        await pilot.press("p", *"coffee next monday", "enter")  # Cy: a coffee planned
        await settle(app, pilot)
        await pilot.press("z", *"2w", "enter")  # Dee: snoozed two weeks
        await settle(app, pilot)
        await pilot.press("s")  # Eli: skipped
        await settle(app, pilot)
        summary = shown(screen.query_one("#summary"))
        assert "1 conversation, 1 attempt, 1 coffee planned, 1 snoozed, 1 skipped" in summary
        await pilot.press("enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, CheckinScreen)
        # Back on the list, the panel shows the person under the cursor, not Ana who left it.
        assert app.selected_id == app.query_one(OutreachPane).current_key() != people["ana"].id

    book = on_disk(path)
    entries = new_entries(book)
    ana, bo, cy, dee, eli, fay = (people[n] for n in ("ana", "bo", "cy", "dee", "eli", "fay"))
    (call,) = [i for i in entries if i.people == [ana.id]]
    assert (call.kind, call.outcome, call.note) == ("call", "reached", "asked about winter")
    assert call.when.date() == TODAY and call.logged_by == USER
    (attempt,) = [i for i in entries if i.people == [bo.id]]
    assert (attempt.kind, attempt.outcome) == ("call", "attempt")
    (plan,) = [i for i in entries if i.people == [cy.id]]
    assert (plan.outcome, plan.next_step, plan.follow_up) == ("attempt", "coffee", NEXT_MONDAY.isoformat())
    assert "coffee" in plan.note and "30 November" in plan.note
    assert book.people[cy.id].snoozed_until == NEXT_MONDAY.isoformat()
    assert book.people[dee.id].snoozed_until == "2026-12-10"
    assert not [i for i in entries if set(i.people) & {dee.id, eli.id, fay.id}]
    assert book.people[eli.id].snoozed_until is None and book.people[eli.id] == eli
    assert len(entries) == 3

    # Planning is not a conversation: Cy's last talk is still 1 September; off the list until
    # the coffee, back on its day with the follow-up as the first reason.
    assert book.last_contacts()[cy.id] == date(2026, 9, 1)
    assert book.last_contacts()[ana.id] == TODAY
    friday = [s.person.id for s in rank_today(book, date(2026, 11, 27))]
    assert cy.id not in friday and ana.id not in friday and dee.id not in friday
    assert bo.id in friday and eli.id in friday  # an attempt never resets the clock; a skip neither
    (on_the_day,) = [s for s in rank_today(book, NEXT_MONDAY) if s.person.id == cy.id]
    assert "follow-up due: coffee" in on_the_day.reasons
    assert not [r for r in on_the_day.reasons if "ask again" in r], "the plan said when"


async def test_top_person_call_in_three_keys(six_due) -> None:
    path, people = six_due
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t", "r", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, CheckinScreen) and app.screen.index == 1  # on to the next
    (call,) = new_entries(on_disk(path))
    assert call.people == [people["ana"].id] and call.outcome == "reached" and call.note == ""


@pytest.mark.parametrize("done", ["q", "escape"])
async def test_ending_early_counts_who_is_left_and_writes_nothing_for_them(six_due, done: str) -> None:
    path, _ = six_due
    before = path.read_bytes()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t", "s", done)
        await settle(app, pilot)
        assert "1 skipped, 4 left for later" in shown(app.screen.query_one("#summary"))
        await pilot.press("escape")
        await settle(app, pilot)
        assert len(app.screen_stack) == 1
    assert path.read_bytes() == before


async def test_escape_in_a_step_keeps_the_same_person(six_due) -> None:
    path, _ = six_due
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t", "p", *"coffee", "escape", "z", "escape")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, CheckinScreen) and screen.index == 0 and not screen.summary
    assert new_entries(on_disk(path)) == []


async def test_check_in_with_nobody_due_says_so(tmp_path: Path) -> None:
    path = tmp_path / "empty.json"
    Database.open(path, user=USER, create=True).save()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        await settle(app, pilot)
        assert "Nobody is due today" in shown(app.screen.query_one("#summary"))
        await pilot.press("enter")
        await settle(app, pilot)
        assert len(app.screen_stack) == 1


async def test_open_on_checkin_opens_on_the_check_in(six_due) -> None:
    path, people = six_due
    app = make_app(path, Settings(open_on="checkin"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, CheckinScreen)
        await pilot.press("r", "enter")
        await settle(app, pilot)
    (call,) = new_entries(on_disk(path))
    assert call.people == [people["ana"].id]


async def test_main_opens_on_the_main_screen_by_default(six_due) -> None:
    path, _ = six_due
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert len(app.screen_stack) == 1


def test_summary_words() -> None:
    tally = Counter(reached=3, attempt=1, coffee=1, lunch=2, snoozed=1, skipped=1)
    assert summary_text(tally) == (
        "3 conversations, 1 attempt, 1 coffee planned, 2 lunches planned, 1 snoozed, 1 skipped"
    )
    assert summary_text(Counter(), left=2) == "2 left for later"
    assert summary_text(Counter()) == "Nothing logged"


@pytest.mark.parametrize(
    ("words", "plan"),
    [
        ("coffee next monday", ("coffee", NEXT_MONDAY)),
        ("Lunch fri", ("lunch", date(2026, 11, 27))),
        ("next monday", ("visit", NEXT_MONDAY)),  # the default kind
        ("visit today", ("visit", TODAY)),
    ],
)
def test_read_plan(words: str, plan: tuple[str, date]) -> None:
    assert read_plan(words, "visit", TODAY) == plan


@pytest.mark.parametrize("words", ["coffee", "", "coffee last monday", "coffee blue moon"])
def test_read_plan_refuses(words: str) -> None:
    with pytest.raises(UserError):
        read_plan(words, "coffee", TODAY)


def test_default_kind_follows_the_suggested_action() -> None:
    assert [default_kind(a) for a in ("lunch", "invite in", "call", "coffee")] == [
        "lunch",
        "visit",
        "coffee",
        "coffee",
    ]


# -- instead of posting ------------------------------------------------------------------


async def test_instead_enter_logs_the_call_for_the_best_person_now(six_due) -> None:
    path, _ = six_due
    book = on_disk(path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        best = best_now(book, app.clock.now(), Settings())
        assert best is not None
        await pilot.press("p")
        await settle(app, pilot)
        assert best.person.name in shown(app.screen.query_one("#dialog"))
        await pilot.press("enter", *"rang instead", "enter")
        await settle(app, pilot)
    (call,) = new_entries(on_disk(path))
    assert call.people == [best.person.id] and call.note == "rang instead" and call.outcome == "reached"


async def test_instead_with_nobody_due_says_so_kindly(tmp_path: Path) -> None:
    path = tmp_path / "empty.json"
    Database.open(path, user=USER, create=True).save()
    before = path.read_bytes()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        await settle(app, pilot)
        assert "Nobody is due right now" in shown(app.screen.query_one("#dialog"))
        await pilot.press("enter", "escape")
        await settle(app, pilot)
        assert len(app.screen_stack) == 1
    assert path.read_bytes() == before


async def test_b_plans_a_meeting_with_the_selected_person_from_the_main_screen(six_due) -> None:
    path, people = six_due
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "b", *"lunch next monday", "enter")  # Bo, the second on the list
        await settle(app, pilot)
        assert len(app.screen_stack) == 1
        assert people["bo"].id not in {s.person.id for s in app.suggestions}
    book = on_disk(path)
    (plan,) = new_entries(book)
    assert plan.people == [people["bo"].id]
    assert (plan.outcome, plan.next_step, plan.follow_up) == ("attempt", "lunch", NEXT_MONDAY.isoformat())
    assert book.people[people["bo"].id].snoozed_until == NEXT_MONDAY.isoformat()
    assert book.last_contacts()[people["bo"].id] == date(2026, 9, 1)


# -- a post, and the score -----------------------------------------------------------------


async def test_a_post_by_keys_is_on_disk_and_in_the_score(six_due) -> None:
    path, _ = six_due
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        score = app.query_one(ScoreBar).query_one("#score")
        assert "0 posts (0 likes)" in shown(score)
        await pilot.press("P", *"1", "enter")
        await settle(app, pilot)
        assert "1 post (1 like)" in shown(score)
        await pilot.press("P", *"12", "enter")
        await settle(app, pilot)
        assert "2 posts (13 likes)" in shown(score)
    posts = sorted(on_disk(path).live_posts(), key=lambda p: p.likes)
    assert [(p.platform, p.likes) for p in posts] == [("instagram", 1), ("instagram", 12)]
    post = posts[-1]
    assert datetime.fromisoformat(post.at).date() == TODAY and post.updated_by == USER


async def test_a_post_yesterday_on_another_platform(six_due) -> None:
    path, _ = six_due
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("P", "shift+tab", *"tiktok", "tab", "tab", *"yesterday 6pm", "enter")
        await settle(app, pilot)
    (post,) = on_disk(path).live_posts()
    assert post.platform == "tiktok" and post.likes == 0
    assert datetime.fromisoformat(post.at) == datetime.combine(date(2026, 11, 25), time(18, 0))


async def test_bad_likes_say_why_and_write_nothing(six_due) -> None:
    path, _ = six_due
    before = path.read_bytes()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("P", *"-3", "enter")
        await settle(app, pilot)
        assert "whole number" in shown(app.screen.query_one("#error"))
        await pilot.press("escape")
        await settle(app, pilot)
    assert path.read_bytes() == before


@pytest.mark.parametrize(("text", "likes"), [("", 0), ("0", 0), (" 40 ", 40)])
def test_read_likes(text: str, likes: int) -> None:
    assert read_likes(text) == likes


@pytest.mark.parametrize("text", ["-3", "1.5", "many"])
def test_read_likes_refuses(text: str) -> None:
    with pytest.raises(UserError, match="whole number"):
        read_likes(text)


# -- help and the detail panel ---------------------------------------------------------------


async def test_help_explains_the_ranking_with_the_weights_in_use(six_due) -> None:
    path, _ = six_due
    weights = Weights(overdue=7.5, follow_up=11.25)
    app = make_app(path, Settings(weights=weights, stage_weights={"prospect": 1.5}, daily_cap=3))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await settle(app, pilot)
        text = shown(app.screen.query_one("#ranking"))
        keys = shown(app.screen.query_one("#table"))
    assert "How today's list is ranked" in text
    lines = text.splitlines()
    assert any("7.5" in line and "overdue" in line for line in lines)
    assert any("11.25" in line and "follow up" in line for line in lines)
    assert any("1.5" in line and "prospect" in line for line in lines)
    assert not any("lead" in line for line in lines)  # not weighted in these settings
    assert "3 are shown" in text
    assert "t r" in keys and "t p" in keys and "Record a post you made anyway" in keys


async def test_detail_shows_the_talking_point_and_the_open_next_step(six_due) -> None:
    path, people = six_due
    db = Database.open(path, user=USER)
    step = Interaction(
        at="2026-11-20T10:00",
        people=[people["ana"].id],
        outcome="attempt",
        next_step="send the [bold]winter[/] price list",
        follow_up="2026-12-01",
    )
    db.apply(step)
    db.save()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.selected_id == people["ana"].id
        text = shown(app.query_one("#detail").query_one("#facts"))
    assert "Talk about: wants a winter service plan" in text
    assert "Next step: send the [bold]winter[/] price list (in 5 days)" in text
