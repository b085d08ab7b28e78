"""Quitting with changes the file does not have yet: say so, and let the user choose."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from meetup_tui.domain.text import one_line
from meetup_tui.ui.screens.dialog import Dialog


class UnsavedScreen(Dialog[str | None]):
    """Dismisses with "retry", "quit" (and lose the changes) or None (stay)."""

    DEFAULT_CSS = """
    UnsavedScreen > #dialog { border: heavy $error; }
    UnsavedScreen #why { margin: 1 0; }
    """
    BINDINGS = [
        Binding("r", "choose('retry')", "Retry", id="unsaved.retry"),
        Binding("Q", "choose('quit')", "Quit anyway", id="unsaved.quit"),
    ]

    def __init__(self, pending: int, error: str) -> None:
        super().__init__()
        self.pending, self.error = pending, error

    def compose(self) -> ComposeResult:
        changes = f"{self.pending} change{'s' if self.pending != 1 else ''}"
        with Vertical(id="dialog"):
            yield Static(Text(f"{changes} not saved yet"), classes="title")
            yield Static(Text(one_line(self.error or "The file could not be written.")), id="why")
            yield Static("r retry now · Q (shift+q) quit and lose them · Esc stay", classes="hint")

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)
