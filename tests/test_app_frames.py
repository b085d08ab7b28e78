"""After a change the app draws today's list first and each other pane in a frame of its
own (`MeetupApp.refresh_in_frames`), and the save's work waits until the screen shows the
change (`FileSync.shown`): what ends on the screen and on disk is what a fresh app shows
and a fresh process reads."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

from textual.widgets import DataTable

from meetup_tui.domain.clock import Clock
from meetup_tui.domain.records import Interaction, Person, Segment
from meetup_tui.store.database import Database
from meetup_tui.ui.app import MeetupApp
from meetup_tui.ui.widgets import file_sync
from meetup_tui.ui.widgets.file_sync import FileSync
from meetup_tui.ui.widgets.score_bar import ScoreBar

TODAY = date(2026, 11, 26)
SIZE = (110, 32)


def shop(path: Path) -> dict[str, Person]:
    db = Database.open(path, user="alex@shop", create=True)
    names = ["Ana", "Bo", "Cy", "Dee", "Eve"]
    people = {n: Person(name=f"{n} Doe", influence=i % 4) for i, n in enumerate(names)}
    talk = Interaction(at="2026-11-20T10:00", people=[people["Dee"].id], kind="coffee", note="met")
    riders = Segment(name="Riders", include=[people["Ana"].id, people["Bo"].id, people["Cy"].id])
    db.apply(*people.values(), talk, riders)
    db.save()
    return people


def screen_of(app: MeetupApp) -> dict[str, object]:
    """What the main screen shows: every table's rows, the score line, the selected person."""
    tables = {
        table.id: [[str(cell) for cell in table.get_row_at(n)] for n in range(table.row_count)]
        for table in app.query(DataTable)
    }
    return {"tables": tables, "score": str(app.query_one(ScoreBar).render()), "selected": app.selected_id}


async def settle(app: MeetupApp, pilot) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def fresh_screen(path: Path) -> dict[str, object]:
    app = MeetupApp(Database.open(path, user="alex@shop"), Clock(TODAY))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        return screen_of(app)


async def test_after_calls_logged_by_keys_every_pane_is_what_a_fresh_app_shows(tmp_path: Path) -> None:
    path = tmp_path / "shop.json"
    shop(path)
    app = MeetupApp(Database.open(path, user="alex@shop"), Clock(TODAY))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        before = screen_of(app)
        await pilot.press("c", *"first", "enter", "c", *"second", "enter")
        await settle(app, pilot)
        after = screen_of(app)
        assert app.query_one(FileSync).shown.is_set()
    notes = sorted(i.note for i in Database.open(path, user="r").book.live_interactions())
    assert notes == ["first", "met", "second"]
    assert after != before  # the calls changed the list, the log and the score
    assert after["tables"] == (await fresh_screen(path))["tables"]


async def test_a_change_made_while_another_is_drawn_ends_with_both_shown_and_saved(tmp_path: Path) -> None:
    """Two changes in one turn of the loop: the first one's frames give way to the
    second's, which shows both; the save is not held back once they are drawn."""
    path = tmp_path / "shop.json"
    people = shop(path)
    app = MeetupApp(Database.open(path, user="alex@shop"), Clock(TODAY))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.commit(app.db.stamp(Interaction(at="2026-11-26T09:00", people=[people["Ana"].id], note="one")))
        app.commit(app.db.stamp(Interaction(at="2026-11-26T09:05", people=[people["Bo"].id], note="two")))
        app.refresh_panes()  # as a change coming in from the file does, in the middle of both
        started = time.monotonic()
        await settle(app, pilot)
        assert time.monotonic() - started < file_sync.SHOWN_WAIT  # not waiting out the limit
        assert app.query_one(FileSync).shown.is_set()
        shown = screen_of(app)
    assert {"one", "two"} <= {i.note for i in Database.open(path, user="r").book.live_interactions()}
    assert shown["tables"] == (await fresh_screen(path))["tables"]


async def test_a_save_never_waits_past_its_limit_for_the_screen(tmp_path: Path, monkeypatch) -> None:
    """Were the screen never to say it shows the change, the save goes ahead anyway."""
    path = tmp_path / "shop.json"
    shop(path)
    app = MeetupApp(Database.open(path, user="alex@shop"), Clock(TODAY))
    monkeypatch.setattr(file_sync, "SHOWN_WAIT", 0.3)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        monkeypatch.setattr(app, "refresh_in_frames", app.query_one(FileSync).shown.clear)  # never set again
        started = time.monotonic()
        await pilot.press("c", *"held", "enter")
        await settle(app, pilot)
        waited = time.monotonic() - started
    assert "held" in {i.note for i in Database.open(path, user="r").book.live_interactions()}
    assert waited >= 0.3


async def test_dialogs_opened_and_closed_leave_the_footer_watching_only_its_own_keys(tmp_path: Path) -> None:
    """Textual's Footer kept watching for every key it ever showed (textual#6666): each
    dialog opened and closed left ~20 removed keys, and all they held, alive for good."""
    from textual.widgets._footer import FooterKey

    from meetup_tui.ui.widgets.footer import WATCHERS, Footer

    path = tmp_path / "shop.json"
    shop(path)
    app = MeetupApp(Database.open(path, user="alex@shop"), Clock(TODAY))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        footer = app.screen.query_one(Footer)
        for _ in range(5):
            await pilot.press("c")
            await settle(app, pilot)
            await pilot.press("escape")
            await settle(app, pilot)
        watching = [node for node, _ in getattr(footer, WATCHERS)["compact"]]
        shown = list(footer.query(FooterKey))
        assert shown and all(node.parent is not None for node in watching)
        assert len(watching) <= len(shown)
