"""The morning check-in (t) and planning a meeting (b): pilot tests press keys, then read the file."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from meetup_tui.domain.errors import UserError
from meetup_tui.domain.outreach import rank_today
from meetup_tui.domain.settings import Settings
from meetup_tui.store.database import Database
from meetup_tui.ui.screens.checkin import CheckinScreen, summary_text
from meetup_tui.ui.screens.plan import default_kind, read_plan
from meetup_tui.ui.widgets.outreach_pane import OutreachPane
from today_support import (
    NAMES,
    NEXT_MONDAY,
    SIZE,
    TODAY,
    USER,
    make_app,
    new_entries,
    on_disk,
    settle,
    shown,
)

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
        await pilot.press("a", "v")  # Bo: voicemail, one key
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
    assert (attempt.kind, attempt.outcome, attempt.note) == ("call", "attempt", "voicemail")
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


async def test_the_check_in_goes_on_past_the_first_five(six_due) -> None:
    path, people = six_due
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        await settle(app, pilot)
        screen = app.screen
        assert shown(screen.query_one("#progress")).strip() == "Check-in · 1 of 5"
        await pilot.press(*"sssss")
        await settle(app, pilot)
        assert "1 more due today." in shown(screen.query_one("#summary"))
        assert shown(screen.query_one("#keys")).startswith("n the next 1 ·")
        await pilot.press("n")
        await settle(app, pilot)
        assert shown(screen.query_one("#progress")).strip() == "Check-in · 6 of 6"
        assert "Fay" in shown(screen.query_one("#who"))
        await pilot.press("a", "n")  # Fay: an attempt, no answer
        await settle(app, pilot)
        assert "1 attempt, 5 skipped" in shown(screen.query_one("#summary"))
        assert "more due" not in shown(screen.query_one("#summary"))
    (attempt,) = new_entries(on_disk(path))
    assert attempt.people == [people["fay"].id] and attempt.note == "no answer"


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
