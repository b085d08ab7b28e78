"""Shared by the pilot tests of today's list (test_checkin.py, test_posting.py): the six
people of the `six_due` fixture (in conftest.py), an app on a fixed day, and ways to read
what the screen and the file say."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

from rich.console import Console
from textual.widget import Widget
from textual.widgets import Static

from meetup_tui.domain.book import Book
from meetup_tui.domain.clock import Clock
from meetup_tui.domain.records import Interaction
from meetup_tui.domain.settings import Settings
from meetup_tui.store.database import Database
from meetup_tui.ui.app import MeetupApp

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


def make_app(path: Path, settings: Settings | None = None) -> MeetupApp:
    app = MeetupApp(Database.open(path, user=USER), Clock(TODAY), settings)
    app.animation_level = "none"
    return app


def new_entries(book: Book) -> list[Interaction]:
    return [i for i in book.live_interactions() if i.at >= TODAY.isoformat()]
