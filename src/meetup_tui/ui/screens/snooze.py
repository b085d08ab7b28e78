"""Snooze someone until a day given in words ("3d", "next week", "dec 12"), with a live preview."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from meetup_tui.domain.dates import long_day, relative_day, snooze_day
from meetup_tui.domain.text import one_line
from meetup_tui.ui.screens.dialog import WordsDialog


class SnoozeScreen(WordsDialog[date | None]):
    """Ask until when; dismiss with the day (after today), or None on Escape."""

    AUTO_FOCUS = "#until"

    def __init__(self, person_name: str, today: date, *, dayfirst: bool = False) -> None:
        super().__init__()
        self.person_name = person_name
        self.today = today
        self.dayfirst = dayfirst

    def compose(self) -> ComposeResult:
        title = Text.assemble("Snooze ", (one_line(self.person_name), "bold"), " until…")
        with Vertical(id="dialog"):
            yield Static(title, id="title", classes="title")
            yield Input(placeholder="3d, next week, next monday, dec 12, 2026-12-01", id="until")
            yield Static("", id="preview")
            yield Static("", id="error")
            yield Static("Enter save · Esc cancel", classes="hint")

    def read(self, text: str) -> date:
        return snooze_day(text, self.today, dayfirst=self.dayfirst)

    def describe(self, value: date) -> str:
        return f"until {long_day(value)} ({relative_day(value, self.today)})"
