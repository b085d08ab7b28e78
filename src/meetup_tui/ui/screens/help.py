"""Every key the app answers to, in two aligned columns."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from meetup_tui.ui.screens.dialog import Dialog

INTRO = "meetup-tui — who to call today instead of posting"


def key_table(keys: list[tuple[str, str]]) -> Table:
    """Keys left (bold, aligned), descriptions right, wrapping within their column."""
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True)
    table.add_column(ratio=1)
    for key, description in keys:
        table.add_row(Text(key, style="bold"), Text(description))
    return table


class HelpScreen(Dialog[None]):
    """Shows the keys; Escape, q or ? closes (dismiss(None))."""

    DEFAULT_CSS = """
    HelpScreen .title { dock: top; padding-bottom: 1; }
    HelpScreen #keys { height: auto; max-height: 100%; }
    HelpScreen .hint { dock: bottom; padding-top: 1; }
    """

    AUTO_FOCUS = "#keys"
    BINDINGS = [Binding("escape,q,question_mark", "cancel", "Close", id="help.close")]

    def __init__(self, keys: list[tuple[str, str]]) -> None:
        super().__init__()
        self.keys = list(keys)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text(INTRO), classes="title")
            with VerticalScroll(id="keys"):
                yield Static(key_table(self.keys), id="table")
            yield Static("↑↓ scroll · Esc, q or ? close", classes="hint")
