"""Issue 11, part 4: "Introduced by" when logging a chance meeting.  The log form's last field
names who introduced the new people ctrl+n adds; people already in the book never change.
Pilot tests press the keys and read the file on disk."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from meetup_tui.domain.book import Book
from meetup_tui.domain.clock import Clock
from meetup_tui.domain.records import Interaction, Person
from meetup_tui.store.database import Database
from meetup_tui.ui.app import MeetupApp

TODAY = date(2026, 11, 26)
SIZE = (100, 30)
USER = "alex@shop"
# From "With": kind, outcome, when, where, note, learned, next step, follow-up, introduced by.
TO_INTRODUCED = ["tab"] * 9


def on_disk(path: Path) -> Book:
    return Database.open(path, user="reader").book


@pytest.fixture
def shop(tmp_path: Path) -> tuple[Path, Person, Person]:
    path = tmp_path / "shop.json"
    db = Database.open(path, user=USER, create=True)
    maria = Person(name="Maria Gonzalez", influence=4, stage="advocate")
    bo = Person(name="Bo Novak")  # introduced by no one, and it stays so
    talk = Interaction(at="2026-11-20T10:00", people=[maria.id], kind="coffee")
    db.apply(*(db.stamp(r) for r in (maria, bo, talk)))
    db.save()
    return path, maria, bo


def make_app(path: Path) -> MeetupApp:
    return MeetupApp(Database.open(path, user=USER), Clock(TODAY))


async def settle(app: MeetupApp, pilot) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def error_text(app: MeetupApp) -> str:
    error = app.screen.query_one("#error", Static)
    return str(error.render()) if error.has_class("shown") else ""


async def test_the_new_person_of_a_chance_meeting_is_introduced_by_the_name_given(shop) -> None:
    path, maria, bo = shop
    bo_before = on_disk(path).people[bo.id]
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("l", "ctrl+u", *"Bo Novak, Zoe Quinn")
        await pilot.press("tab", "enter", *["down"] * 5, "enter")  # kind: chance
        await pilot.press(*TO_INTRODUCED[1:])
        assert app.focused is not None and app.focused.id == "introduced_by"
        await pilot.press(*"Mar", "right")  # the name suggested, taken with →
        assert app.screen.query_one("#introduced_by", Input).value == "Maria Gonzalez"
        await pilot.press("ctrl+n")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "Screen", error_text(app)
    book = on_disk(path)
    (zoe,) = [p for p in book.live_people() if p.name == "Zoe Quinn"]
    assert zoe.introduced_by == maria.id
    assert book.people[bo.id].introduced_by is None, "a known person is never changed"
    assert book.people[bo.id] == bo_before, "not even restamped"
    (entry,) = [i for i in book.live_interactions() if zoe.id in i.people]
    assert (entry.kind, entry.people) == ("chance", [bo.id, zoe.id])
    assert [p.name for p in book.introduced(maria.id)] == ["Zoe Quinn"]


async def test_an_introducer_not_in_the_book_is_a_sentence_in_the_form(shop) -> None:
    path, maria, bo = shop
    before = path.read_bytes()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("l", "ctrl+u", *"Zoe Quinn", *TO_INTRODUCED, *"Nadia Nobody", "ctrl+n")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "LogForm"
        assert error_text(app) == "No one called 'Nadia Nobody' is in the book."
        assert app.focused is not None and app.focused.id == "introduced_by"
        await pilot.press("escape")
        await settle(app, pilot)
    assert path.read_bytes() == before


async def test_introduced_by_never_changes_people_already_in_the_book(shop) -> None:
    path, maria, bo = shop
    before = path.read_bytes()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("l", "ctrl+u", *"Bo Novak", *TO_INTRODUCED, *"Maria Gonzalez", "enter")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "LogForm"
        assert error_text(app).startswith("Introduced by is for new people only")
        await pilot.press("ctrl+u", "enter")  # cleared: the talk with Bo is logged as it is
        await settle(app, pilot)
        assert type(app.screen).__name__ == "Screen"
    assert path.read_bytes() != before
    book = on_disk(path)
    assert book.people[bo.id].introduced_by is None
    assert [i.people for i in book.live_interactions() if i.at.startswith(TODAY.isoformat())] == [[bo.id]]
