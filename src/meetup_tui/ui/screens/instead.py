"""Instead of posting: the one person to contact right now, their number, why, and one key to log it."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Digits, Static

from meetup_tui.domain.outreach import ACTION_DONE, Suggestion
from meetup_tui.domain.text import one_line
from meetup_tui.ui.screens.dialog import Dialog
from meetup_tui.ui.widgets.detail_panel import DIALABLE


class InsteadScreen(Dialog[str | None]):
    """Dismisses with the person's id when the user logs the call (`c` or Enter), else None."""

    DEFAULT_CSS = """
    InsteadScreen #dialog { border: heavy $accent; }
    InsteadScreen Digits { width: auto; margin: 1 0; }
    InsteadScreen #why, InsteadScreen #talk { height: auto; margin-top: 1; }
    InsteadScreen .hint { margin-top: 1; }
    """
    BINDINGS = [
        Binding("c,enter", "log_call", "Log it", id="instead.log"),
    ]

    def __init__(self, best: Suggestion | None) -> None:
        super().__init__()
        self.best = best

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text("Instead of posting…"), classes="title")
            best = self.best
            if best is None:
                yield Static(
                    Text("Nobody is due right now: a fine moment to deepen a conversation you already have.")
                )
                yield Static("Esc back", classes="hint")
                return
            person = best.person
            yield Static(Text.assemble(f"{best.symbol} {best.action} ", (one_line(person.name), "bold")))
            phone = person.phone
            if phone and set(phone) <= DIALABLE and 3 * len(phone) <= 66:
                yield Digits(phone)
            elif phone:
                yield Static(Text(f"☎ {one_line(phone)}", style="bold"))
            yield Static(Text("Why: " + " · ".join(one_line(r) for r in best.reasons)), id="why")
            if best.talking_point:
                yield Static(Text(f"Talk about: {one_line(best.talking_point)}"), id="talk")
            done = ACTION_DONE.get(best.action, "you talked")
            yield Static(Text(f"c or Enter: {done} — log it · Esc: not now"), classes="hint")

    def action_log_call(self) -> None:
        if self.best is not None:
            self.dismiss(self.best.person.id)
