"""Instead of posting (p), recording a post (P) and the score, the help on ranking and the
detail panel's talking point: pilot tests press keys, then read the file."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time
from pathlib import Path

import pytest

from meetup_tui.domain.errors import UserError
from meetup_tui.domain.outreach import best_now
from meetup_tui.domain.records import Interaction
from meetup_tui.domain.settings import Settings, Weights
from meetup_tui.store.database import Database
from meetup_tui.ui.screens.post_form import read_likes
from meetup_tui.ui.widgets.score_bar import ScoreBar
from today_support import (
    SIZE,
    TODAY,
    USER,
    make_app,
    new_entries,
    on_disk,
    settle,
    shown,
)

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


# -- a post, and the score -----------------------------------------------------------------


async def test_a_post_by_keys_is_on_disk_and_in_the_score(six_due) -> None:
    path, _ = six_due
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        score = app.query_one(ScoreBar).query_one("#score")
        assert "0 posts (0 likes)" in shown(score)
        await pilot.press("P", "n", *"1", "enter", "escape")
        await settle(app, pilot)
        assert "1 post (1 like)" in shown(score)
        await pilot.press("P", "n", *"12", "enter", "escape")
        await settle(app, pilot)
        assert "2 posts (13 likes)" in shown(score)
    posts = sorted(on_disk(path).live_posts(), key=lambda p: p.likes)
    assert [(p.platform, p.likes) for p in posts] == [("instagram", 1), ("instagram", 12)]
    post = posts[-1]
    assert datetime.fromisoformat(post.at).date() == TODAY and post.updated_by == USER


@pytest.mark.parametrize(
    ("size", "said"),
    [
        ((60, 20), "Week: 0 talks vs 1 post (7 likes)"),
        ((80, 24), "This week: 0 conversations vs 1 post (7 likes)"),
    ],
)
async def test_the_score_is_said_whole_on_a_phone_sized_screen(six_due, size, said: str) -> None:
    path, _ = six_due
    app = make_app(path)
    async with app.run_test(size=size) as pilot:
        await pilot.press("P", "n", *"7", "enter", "escape")
        await settle(app, pilot)
        score = app.query_one(ScoreBar).query_one("#score")
        assert shown(score).strip() == said
        assert score.size.width >= len(said)  # nothing cut off
    assert [p.likes for p in on_disk(path).live_posts()] == [7]


async def test_a_post_yesterday_on_another_platform(six_due) -> None:
    path, _ = six_due
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("P", "n", "shift+tab", *"tiktok", "tab", "tab", *"yesterday 6pm", "enter")
        await settle(app, pilot)
    (post,) = on_disk(path).live_posts()
    assert post.platform == "tiktok" and post.likes == 0
    assert datetime.fromisoformat(post.at) == datetime.combine(date(2026, 11, 25), time(18, 0))


async def test_bad_likes_say_why_and_write_nothing(six_due) -> None:
    path, _ = six_due
    before = path.read_bytes()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("P", "n", *"-3", "enter")
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
    assert "t r" in keys and "t p" in keys and "Posts you made anyway: record, correct, delete" in keys


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
    assert "Next step: send the [bold]winter[/] price list (due in 5 days)" in text


async def test_detail_shows_wants_of_someone_talked_to_who_said_nothing_learned(six_due) -> None:
    """Their wants are the talking point and are not said twice; the last talk is shown
    with who had it (the panel once mixed the two up and stopped the app)."""
    path, people = six_due
    db = Database.open(path, user=USER)
    db.apply(db.stamp(replace(people["ana"], wants="a cargo bike", challenges="parking")))
    db.apply(*(db.stamp(replace(i, learned="")) for i in db.book.interactions.values()))
    db.save()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.selected_id == people["ana"].id
        text = shown(app.query_one("#detail").query_one("#facts"))
    assert "Talk about: Challenge: parking" in text and "Wants: a cargo bike" in text
    assert "Last talked 3 months ago" in text and text.count("parking") == 1
