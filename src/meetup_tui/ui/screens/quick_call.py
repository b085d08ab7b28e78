"""Log a call: the fastest path in the app — one optional note, Enter, done."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from meetup_tui.domain.text import one_line
from meetup_tui.ui.screens.dialog import Dialog


class QuickCallScreen(Dialog[str | None]):
    """Ask for an optional note; dismiss with the note ("" allowed), or None on Escape."""

    DEFAULT_CSS = """
    QuickCallScreen .title { margin-bottom: 1; }
    QuickCallScreen .hint { margin-top: 1; }
    """

    AUTO_FOCUS = "#note"

    def __init__(self, person_name: str) -> None:
        super().__init__()
        self.person_name = person_name

    def compose(self) -> ComposeResult:
        title = Text.assemble("Log a call with ", (one_line(self.person_name), "bold"), " — reached")
        with Vertical(id="dialog"):
            yield Static(title, id="title", classes="title")
            yield Input(placeholder="note (optional)", id="note")
            yield Static("Enter save · Esc cancel", classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip())
