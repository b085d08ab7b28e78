"""Pilot tests of the history screen (ui/screens/history_screen.py): a person's whole log, the
query line, the window of a long log, the keys on an entry, refills after a change, and one
snapshot on the demo data.

The app's entry actions (open_entry, edit_entry, delete_entry, toggle_step, action_undo)
live in ui/log_actions.py; here a small host app records the calls, so what is tested is
that each key asks for the right thing with the right entry."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from rich.text import Text
from textual.app import App
from textual.widgets import Input, Static

from meetup_tui.demo import write_demo
from meetup_tui.domain.clock import Clock
from meetup_tui.domain.records import Interaction, Person
from meetup_tui.store.database import Database
from meetup_tui.ui.app import MeetupApp
from meetup_tui.ui.screens.history_screen import PAUSE, HistoryScreen, HistoryTable
from meetup_tui.ui.widgets.log_pane import MORE

TODAY = date(2026, 11, 26)
SIZE = (100, 30)


class Host(App[None]):
    """Holds a database and a clock as MeetupApp does, opens the screen, and notes what the
    screen asks of it."""

    def __init__(self, db: Database, query: str) -> None:
        super().__init__()
        self.db, self.clock, self.query_line = db, Clock(TODAY), query
        self.calls: list[tuple[str, str]] = []
        self.animation_level = "none"

    def on_mount(self) -> None:
        self.push_screen(HistoryScreen(self.query_line))

    def open_entry(self, entry_id: str) -> None:
        self.calls.append(("open", entry_id))

    def edit_entry(self, entry_id: str) -> None:
        self.calls.append(("edit", entry_id))

    def delete_entry(self, entry_id: str) -> None:
        self.calls.append(("delete", entry_id))

    def toggle_step(self, entry_id: str) -> None:
        self.calls.append(("step", entry_id))

    def action_undo(self) -> None:
        self.calls.append(("undo", ""))


@pytest.fixture
def shop(tmp_path: Path) -> tuple[Database, dict[str, Person], dict[str, Interaction]]:
    db = Database.open(tmp_path / "shop.json", user="alex@shop", create=True)
    people = {"ana": Person(name="Ana Ruiz"), "bo": Person(name="Bo Lee"), "cy": Person(name="Cy Diaz")}
    ana, bo, cy = people.values()
    log = {
        "visit": Interaction(
            at="2026-11-20T14:30",
            people=[ana.id, bo.id],
            kind="visit",
            learned="wants a rack",
            next_step="send the price list",
            follow_up="2026-12-01",
        ),
        "coffee": Interaction(at="2026-11-02T09:00", people=[ana.id], kind="coffee", note="first"),
        "attempt": Interaction(at="2026-11-25T10:00", people=[ana.id], outcome="attempt", note="voicemail"),
        "bo": Interaction(at="2026-11-26T10:00", people=[bo.id, cy.id], note="only Bo and Cy"),
    }
    db.apply(*people.values(), *log.values())
    db.save()
    return db, people, log


def table(app: App) -> HistoryTable:
    return app.screen.query_one(HistoryTable)


def keys(app: App) -> list[str]:
    t = table(app)
    return [row.key.value or "" for row in t.ordered_rows]


def cells(app: App, key: str) -> list[str]:
    return [cell.plain if isinstance(cell, Text) else str(cell) for cell in table(app).get_row(key)]


def shown(app: App, selector: str) -> str:
    return app.screen.query_one(selector, Static).render().plain  # type: ignore[union-attr]


async def typed(pilot, text: str) -> None:
    """Type into the query line, then wait out the pause after typing."""
    await pilot.press(*("space" if ch == " " else ch for ch in text))
    await pilot.pause(PAUSE + 0.15)


# -- what is shown ----------------------------------------------------------------------


async def test_a_persons_history_is_every_entry_with_them_newest_first(shop) -> None:
    db, _, log = shop
    app = Host(db, 'who:"Ana Ruiz"')
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert keys(app) == [log["attempt"].id, log["visit"].id, log["coffee"].id]
        assert shown(app, "#title") == "History of Ana Ruiz — 3 entries"
        assert app.screen.query_one("#query", Input).value == 'who:"Ana Ruiz"'
        assert isinstance(app.focused, HistoryTable)  # opened for a person: the entries have the keys
        assert cells(app, log["attempt"].id) == ["2026-11-25 yesterday", "✗ call", "", "", "voicemail"]
        assert cells(app, log["visit"].id) == [
            "2026-11-20 6d ago",
            "✓ visit",
            "Bo Lee",  # the others there: the person whose history it is goes without saying
            "",  # who logged it: no one said, in this book
            "learned: wants a rack · → send the price list by 2026-12-01",
        ]


async def test_typing_kind_coffee_filters_the_whole_log(shop) -> None:
    db, _, log = shop
    app = Host(db, "")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.focused, Input)  # the whole log: ready for a query
        assert len(keys(app)) == 4 and shown(app, "#title") == "Meeting log — 4 entries"
        await typed(pilot, "kind:coffee")
        assert keys(app) == [log["coffee"].id]
        assert shown(app, "#title") == "Meeting log — kind:coffee — 1 of 4"
        assert cells(app, log["coffee"].id)[2] == "Ana Ruiz"


async def test_a_query_is_read_only_after_a_pause_in_the_typing(shop) -> None:
    db, _, _ = shop
    app = Host(db, "")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*"kind:cof")
        assert len(keys(app)) == 4  # still typing: nothing read yet
        await pilot.pause(PAUSE + 0.15)
        assert len(keys(app)) == 1


async def test_enter_reads_the_line_at_once_and_moves_to_the_entries(shop) -> None:
    db, _, log = shop
    app = Host(db, "")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(*"outcome:attempt", "enter")
        await pilot.pause()
        assert keys(app) == [log["attempt"].id]
        assert isinstance(app.focused, HistoryTable)


async def test_a_bad_query_shows_its_sentence_and_keeps_the_entries(shop) -> None:
    db, _, _ = shop
    app = Host(db, "")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        before = keys(app)
        await typed(pilot, "kind:tea")
        error = app.screen.query_one("#error", Static)
        assert error.has_class("shown") and error.display
        assert shown(app, "#error") == (
            "kind must be one of call, coffee, lunch, visit, event, chance or message (not 'tea')."
        )
        assert keys(app) == before
        await pilot.press("enter")  # Enter on a bad line: the sentence again, the line keeps the keys
        await pilot.pause()
        assert isinstance(app.focused, Input)
        for _ in "tea":
            await pilot.press("backspace")
        await typed(pilot, "call")
        assert not error.has_class("shown")
        assert len(keys(app)) == 2


async def test_opened_with_a_name_nobody_has_it_says_so(shop) -> None:
    db, _, _ = shop
    app = Host(db, "who:zed")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert shown(app, "#error") == "No one is called 'zed'."
        assert keys(app) == [] and isinstance(app.focused, Input)


async def test_five_thousand_entries_show_a_window_and_an_older_row(tmp_path: Path) -> None:
    db = Database.open(tmp_path / "big.json", user="alex@shop", create=True)
    ana = Person(name="Ana Ruiz")
    log = [
        Interaction(at=f"2026-{1 + n % 11:02d}-{1 + n % 28:02d}T{n % 24:02d}:{n % 60:02d}", people=[ana.id])
        for n in range(5_000)
    ]
    db.apply(ana, *log)
    app = Host(db, "who:ana")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        rows = keys(app)
        assert len(rows) == 101 and rows[-1] == MORE
        assert cells(app, MORE)[2:] == ["+ 4,900 older", "", "Enter shows 100 more"]
        assert shown(app, "#title") == "History of Ana Ruiz — 5,000 entries"
        newest = sorted(log, key=lambda i: (i.at, i.created_at, i.id), reverse=True)
        assert rows[:100] == [i.id for i in newest[:100]]
        await pilot.press("end", "enter")
        await pilot.pause()
        assert len(keys(app)) == 201 and cells(app, MORE)[2] == "+ 4,800 older"
        assert table(app).cursor_row == 100  # on the first of the entries just added
        assert keys(app)[100] == newest[100].id


# -- keys ---------------------------------------------------------------------------------


async def test_keys_on_an_entry_ask_the_app_with_its_id(shop) -> None:
    db, _, log = shop
    app = Host(db, "who:ana")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("down")  # the visit
        await pilot.press("enter", "e", "d", "x", "u")
        await pilot.pause()
        visit = log["visit"].id
        assert app.calls == [
            ("open", visit),
            ("edit", visit),
            ("delete", visit),
            ("step", visit),
            ("undo", ""),
        ]


async def test_letters_typed_in_the_query_line_are_words_not_keys(shop) -> None:
    db, _, _ = shop
    app = Host(db, "")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await typed(pilot, "dxeu")
        assert app.calls == [] and app.screen.query_one("#query", Input).value == "dxeu"


async def test_down_or_tab_go_to_the_entries_and_slash_back_to_the_line(shop) -> None:
    db, _, _ = shop
    app = Host(db, "")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("down")
        assert isinstance(app.focused, HistoryTable)
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press("tab")
        assert isinstance(app.focused, HistoryTable)


async def test_escape_goes_back(shop) -> None:
    db, _, _ = shop
    app = Host(db, "who:ana")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HistoryScreen)


async def test_a_change_to_the_book_refills_with_the_cursor_on_the_same_entry(shop) -> None:
    db, people, log = shop
    app = Host(db, "who:ana")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("down")
        assert table(app).current_key() == log["visit"].id
        newer = Interaction(at="2026-11-26T09:00", people=[people["ana"].id], kind="lunch")
        db.apply(newer, db.stamp(log["attempt"], deleted=True))
        app.screen.book_changed()  # what the app does after each commit or sync
        await pilot.pause()
        assert keys(app) == [newer.id, log["visit"].id, log["coffee"].id]
        assert table(app).current_key() == log["visit"].id
        assert shown(app, "#title") == "History of Ana Ruiz — 3 entries"


async def test_a_person_renamed_keeps_their_history_open(shop) -> None:
    db, people, _ = shop
    app = Host(db, 'who:"Ana Ruiz"')
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        db.apply(db.stamp(people["ana"], name="Ana Ruiz-Moss"))
        app.screen.book_changed()
        await pilot.pause()
        assert len(keys(app)) == 3 and shown(app, "#title") == "History of Ana Ruiz-Moss — 3 entries"


async def test_markup_and_escapes_from_the_file_are_shown_as_text(tmp_path: Path) -> None:
    db = Database.open(tmp_path / "odd.json", user="alex@shop", create=True)
    odd, other = Person(name="[bold]Ed[/] \x1b[31mMoss"), Person(name="[link=x]Jo[/link]")
    talk = Interaction(at="2026-11-20T10:00", people=[odd.id, other.id], note="[red]hot[/red]\nnext")
    db.apply(odd, other, talk)
    app = Host(db, "")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert cells(app, talk.id)[2:] == [
            "[bold]Ed[/] \\x1b[31mMoss, [link=x]Jo[/link]",
            "",
            "[red]hot[/red] next",
        ]
        await typed(pilot, "who:moss")
        assert shown(app, "#title") == "History of [bold]Ed[/] \\x1b[31mMoss — 1 entry"
        assert cells(app, talk.id)[2] == "[link=x]Jo[/link]"


async def test_in_the_app_the_screen_reads_the_apps_book_and_clock(tmp_path: Path) -> None:
    path = tmp_path / "demo.json"
    write_demo(path, TODAY)
    app = MeetupApp(Database.open(path, user="alex@spoke-and-chain"), Clock(TODAY))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.push_screen(HistoryScreen('who:"Maya Okafor"'))
        await pilot.pause()
        assert shown(app, "#title") == "History of Maya Okafor — 13 entries"
        assert len(keys(app)) == 13


# -- snapshot -------------------------------------------------------------------------------


def test_snapshot_of_a_persons_history(snap_compare, tmp_path: Path) -> None:
    """The demo's Maya Okafor at 80x24 on a fixed day: her 13 entries, the others there, notes."""
    path = tmp_path / "demo.json"
    write_demo(path, TODAY)
    app = MeetupApp(Database.open(path, user="alex@spoke-and-chain"), Clock(TODAY))

    async def open_history(pilot) -> None:
        pilot.app.push_screen(HistoryScreen('who:"Maya Okafor"'))
        await pilot.pause()

    assert snap_compare(app, run_before=open_history, terminal_size=(80, 24))
