"""Turn a warm path into a follow-up: the step ("ask Maria Gonzalez for an intro to Kwame
Mensah", editable) and the day to follow up in words ("today", "fri", "dec 12").

Dismisses with (step, day) -- the app notes it with the one you know well (see
domain/warm_path.py `intro_step`) -- or None on Escape.
"""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from meetup_tui.domain.dates import long_day, parse_day, relative_day
from meetup_tui.domain.errors import DateError, UserError
from meetup_tui.domain.records import Person
from meetup_tui.domain.text import one_line
from meetup_tui.domain.warm_path import intro_request, path_words
from meetup_tui.ui.screens.dialog import FORM_HINT, FormDialog, field_row


def follow_up_day(text: str, today: date, *, dayfirst: bool = False) -> date:
    """The follow-up day from words, today or later (blank is today)."""
    words = " ".join(text.split()) or "today"
    day = parse_day(words, today, future=True, dayfirst=dayfirst)
    if day < today:
        raise DateError(f"{words!r} is {relative_day(day, today)}; follow up today or a later day.")
    return day


class IntroStepScreen(FormDialog[tuple[str, date] | None]):
    """Ask for the step's words and its day; `path` runs from the one you know to the stranger."""

    DEFAULT_CSS = """
    IntroStepScreen #path { height: auto; }
    IntroStepScreen #preview { height: auto; padding-left: 15; color: $text-muted; }
    """
    AUTO_FOCUS = "#step"

    def __init__(self, path: list[Person], today: date, *, dayfirst: bool = False) -> None:
        super().__init__()
        self.path = path
        self.today = today
        self.dayfirst = dayfirst

    def compose(self) -> ComposeResult:
        first, stranger = one_line(self.path[0].name), one_line(self.path[-1].name)
        title = Text.assemble("Ask for an intro to ", (stranger, "bold"))
        with Vertical(id="dialog"):
            yield Static(title, id="title", classes="title")
            with Vertical(id="fields"):
                yield Static(Text(f"Warm path: {path_words(self.path)}"), id="path")
                yield field_row(
                    "Step", Input(intro_request(self.path), id="step", compact=True, select_on_focus=False)
                )
                yield field_row(
                    "Follow up",
                    Input("today", placeholder="today, fri, next week, dec 12", id="when", compact=True),
                )
                yield Static(self._describe("today"), id="preview")
            with Vertical(id="foot"):
                yield Static(
                    Text(f"Noted with {first} as a step, not as a talk."),
                    classes="hint",
                )
                yield Static("", id="error")
                yield Static(FORM_HINT, classes="hint")

    def _describe(self, text: str) -> str:
        try:
            day = follow_up_day(text, self.today, dayfirst=self.dayfirst)
        except UserError:
            return ""
        return f"{long_day(day)} ({relative_day(day, self.today)})"

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "when":
            self.query_one("#preview", Static).update(self._describe(event.value))

    def collect(self) -> tuple[str, date]:
        self.bad_field = "step"
        step = " ".join(self.query_one("#step", Input).value.split())
        if not step:
            raise UserError(f"Say what the step is, e.g. {intro_request(self.path)!r}.")
        self.bad_field = "when"
        day = follow_up_day(self.query_one("#when", Input).value, self.today, dayfirst=self.dayfirst)
        return step, day
