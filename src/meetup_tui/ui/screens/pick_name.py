"""One name picked by keyboard: a segment to put someone in, a colleague to give them to.

The names known are suggested as typed (→ takes the suggestion); Enter picks what is typed.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.suggester import SuggestFromList
from textual.widgets import Input, Static

from meetup_tui.domain.text import one_line
from meetup_tui.ui.screens.dialog import Dialog


class PickName(Dialog[str | None]):
    """Dismiss with the name typed (spaces tidied), "" when `blank` says what empty means,
    or None on Escape."""

    AUTO_FOCUS = "#name"

    def __init__(self, title: Text, names: list[str], *, placeholder: str, blank: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.names = [n for n in names if n == one_line(n)]
        self.placeholder = placeholder
        self.blank = blank  # what Enter on an empty field means ("no one"); "" : nothing

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.title_text, classes="title")
            yield Input(
                placeholder=self.placeholder,
                suggester=SuggestFromList(self.names, case_sensitive=False),
                id="name",
            )
            known = ", ".join(self.names[:8]) or "none yet"
            yield Static(Text(f"Known: {known}"), classes="hint")
            empty = f" · empty Enter: {self.blank}" if self.blank else ""
            yield Static(f"Enter save · → take the suggestion{empty} · Esc cancel", classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        name = " ".join(event.value.split())
        if name or self.blank:
            self.dismiss(name)
