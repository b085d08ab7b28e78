"""Issue 10 in the app, by real keys, checked in the file on disk: a quick call leaves an open
next step open and ctrl+d closes it; Enter on a log row opens the entry whole; e corrects it,
d deletes it, u brings it back; x marks a step done; h shows a person's whole history."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Static

from meetup_tui.domain.book import Book
from meetup_tui.domain.clock import Clock
from meetup_tui.domain.records import Interaction, Person
from meetup_tui.store.database import Database
from meetup_tui.ui.app import MeetupApp
from meetup_tui.ui.widgets.log_pane import LogPane

TODAY = date(2026, 11, 26)
SIZE = (100, 30)


def on_disk(path: Path) -> Book:
    return Database.open(path, user="reader").book


@pytest.fixture
def maya(tmp_path: Path) -> tuple[Path, Person, Interaction]:
    """Maya, with a step logged a week ago: 'send the winter price list' by the 24th."""
    path = tmp_path / "shop.json"
    db = Database.open(path, user="alex@shop", create=True)
    person = Person(name="Maya Patel", phones=["07700 900999"], influence=4, stage="customer")
    step = Interaction(
        at="2026-11-19T10:00",
        people=[person.id],
        kind="coffee",
        note="talked about winter",
        learned="wants a service plan",
        next_step="send the winter price list",
        follow_up="2026-11-24",
    )
    person, step = db.stamp(person), db.stamp(step)
    db.apply(person, step)
    db.save()
    return path, person, step


def make_app(path: Path) -> MeetupApp:
    return MeetupApp(Database.open(path, user="alex@shop"), Clock(TODAY))


async def settle(app: MeetupApp, pilot) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def text_of(app: MeetupApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def test_a_quick_call_about_something_else_leaves_the_step_open(maya) -> None:
    path, person, step = maya
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.selected_id == person.id
        await pilot.press("c")
        await settle(app, pilot)
        assert "send the winter price list" in text_of(app, "#steps")
        await pilot.press(*"about the van", "enter")
        await settle(app, pilot)
    book = on_disk(path)
    assert book.interactions[step.id].done == ""
    assert [s.id for s in book.open_steps(person.id)] == [step.id]


async def test_ctrl_d_in_the_quick_call_marks_the_step_done_on_disk(maya) -> None:
    path, person, step = maya
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("c", *"sent it", "ctrl+d", "enter")
        await settle(app, pilot)
    book = on_disk(path)
    assert book.interactions[step.id].done == TODAY.isoformat()
    assert book.open_steps(person.id) == []
    (call,) = [i for i in book.live_interactions() if i.note == "sent it"]
    assert call.people == [person.id] and call.done == ""


async def test_x_marks_the_persons_step_done_and_again_opens_it(maya) -> None:
    path, person, step = maya
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("x")
        await settle(app, pilot)
        assert on_disk(path).interactions[step.id].done == TODAY.isoformat()
        await pilot.press("tab", "tab")  # to the log pane
        assert isinstance(app.focused, LogPane)
        await pilot.press("x")
        await settle(app, pilot)
    assert on_disk(path).interactions[step.id].done == ""


async def test_enter_on_a_log_row_opens_the_entry_whole_and_e_corrects_it(maya) -> None:
    path, person, step = maya
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.query_one(LogPane).focus()
        await pilot.press("enter")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "EntryScreen"
        body = text_of(app, "#body")
        for said in (
            "Maya Patel",
            "talked about winter",
            "wants a service plan",
            "send the winter price list",
        ):
            assert said in body
        assert "open" in body and "alex@shop" in body
        await pilot.press("e")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "LogForm"
        await pilot.press("tab", "tab", "tab", "tab", "tab")  # people, kind, outcome, when, where -> note
        assert app.focused is not None and app.focused.id == "note"
        await pilot.press("ctrl+u", *"talked about winter tyres", "ctrl+s")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "EntryScreen"
        assert "winter tyres" in text_of(app, "#body")
    fixed = on_disk(path).interactions[step.id]
    assert fixed.note == "talked about winter tyres"
    assert (fixed.at, fixed.kind, fixed.follow_up, fixed.next_step) == (
        step.at, step.kind, step.follow_up, step.next_step,
    )  # fmt: skip
    assert set(fixed.versions) == {"*", "note"}, "only the note has a new version"


async def test_d_deletes_the_entry_and_u_brings_it_back(maya) -> None:
    path, person, step = maya
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.query_one(LogPane).focus()
        await pilot.press("enter", "d")
        await settle(app, pilot)
        assert type(app.screen).__name__ != "EntryScreen", "a deleted entry closes its view"
        assert on_disk(path).interactions[step.id].deleted
        await pilot.press("u")
        await settle(app, pilot)
    assert not on_disk(path).interactions[step.id].deleted


async def test_h_shows_the_persons_whole_history(maya) -> None:
    path, person, step = maya
    db = Database.open(path, user="alex@shop")
    db.apply(
        *(
            Interaction(at=f"2025-{m:02d}-01T10:00", people=[person.id], note=f"talk {m}")
            for m in range(1, 13)
        )
    )
    db.save()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("h")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "HistoryScreen"
        assert "Maya Patel" in text_of(app, "#title") and "13" in text_of(app, "#title")


async def test_logging_a_name_not_in_the_book_offers_to_add_them(maya) -> None:
    path, person, step = maya
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("l", "ctrl+u", *"Maya Patel, Zoe Quinn", "enter")
        await settle(app, pilot)
        error = text_of(app, "#error")
        assert "No one called 'Zoe Quinn'" in error and "ctrl+n adds 'Zoe Quinn'" in error
        assert "send the winter price list" in text_of(app, "#steps")
        await pilot.press("ctrl+d", "ctrl+n")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "Screen"
    book = on_disk(path)
    (zoe,) = [p for p in book.live_people() if p.name == "Zoe Quinn"]
    assert zoe.created_by == "alex@shop"
    (entry,) = [i for i in book.live_interactions() if zoe.id in i.people]
    assert entry.people == [person.id, zoe.id]
    assert book.interactions[step.id].done == TODAY.isoformat(), "ctrl+d in the log form closed the step"


async def test_a_plan_shows_in_the_log_as_a_plan(maya) -> None:
    path, person, step = maya
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("b", *"coffee tue", "enter")
        await settle(app, pilot)
        log = app.query_one(LogPane)
        row = log.get_row_at(0)
        kind, by, note = str(row[1]), str(row[3]), str(row[4])
        assert by == "alex", "who logged it"
        assert kind.startswith("→ coffee") and "✗" not in kind
        assert note.startswith("coffee planned for Tue 1 Dec")


async def test_a_name_added_while_correcting_an_entry_is_written_with_it(maya) -> None:
    """ctrl+n in the correcting form adds the person; the entry never names someone missing."""
    path, person, step = maya
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.query_one(LogPane).focus()
        await pilot.press("e")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "LogForm" and app.focused.id == "people"
        await pilot.press("end", *", Zed Newman", "ctrl+n")
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert type(app.screen).__name__ != "LogForm"
    book = on_disk(path)
    (zed,) = [p for p in book.live_people() if p.name == "Zed Newman"]
    assert book.interactions[step.id].people == [person.id, zed.id]
