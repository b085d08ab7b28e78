"""Snooze someone until a day given in words ("3d", "next week", "dec 12"), with a live preview."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from meetup_tui.domain.dates import long_day, relative_day, snooze_day
from meetup_tui.domain.errors import UserError
from meetup_tui.domain.text import one_line
from meetup_tui.ui.screens.dialog import Dialog


class SnoozeScreen(Dialog[date | None]):
    """Ask until when; dismiss with the day (after today), or None on Escape."""

    DEFAULT_CSS = """
    SnoozeScreen .title { margin-bottom: 1; }
    SnoozeScreen #preview { height: auto; }
    SnoozeScreen .hint { margin-top: 1; }
    """

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

    def _check(self, text: str, *, submitted: bool = False) -> date | None:
        """Show the preview or the error sentence; the day when the words are good.

        While typing, an empty box is not an error yet; Enter on it is.
        """
        preview = self.query_one("#preview", Static)
        error = self.query_one("#error", Static)
        day: date | None = None
        message = ""
        if text.strip() or submitted:
            try:
                day = snooze_day(text, self.today, dayfirst=self.dayfirst)
            except UserError as exc:
                message = str(exc)
        if day is None:
            preview.update("")
        else:
            preview.update(f"until {long_day(day)} ({relative_day(day, self.today)})")
        error.update(Text(message))
        error.set_class(bool(message), "shown")
        return day

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._check(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        day = self._check(event.value, submitted=True)
        if day is not None:
            self.dismiss(day)
