"""Plan a meeting in one line of words: "coffee next monday", "lunch fri", "visit dec 12"."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from meetup_tui.domain.dates import long_day, parse_day, relative_day
from meetup_tui.domain.errors import DateError, UserError
from meetup_tui.domain.text import one_line
from meetup_tui.ui.screens.dialog import Dialog

PLAN_KINDS = ("coffee", "lunch", "visit", "event")


def default_kind(action: str) -> str:
    """What to plan when the words do not say: the suggested action when it is a meeting
    ("invite in" is a visit), else coffee."""
    if action == "invite in":
        return "visit"
    return action if action in PLAN_KINDS else "coffee"


def read_plan(text: str, default: str, today: date, *, dayfirst: bool = False) -> tuple[str, date]:
    """("coffee", the day) from "coffee next monday"; without a kind the `default` one.

    The day is today or later: a plan for a day gone by is an error, never a guess.
    """
    words = text.split()
    kind = default
    if words and words[0].casefold() in PLAN_KINDS:
        kind, words = words[0].casefold(), words[1:]
    if not words:
        raise DateError(f"Say which day too, like '{kind} next monday' or '{kind} dec 12'.")
    when = " ".join(words)
    day = parse_day(when, today, future=True, dayfirst=dayfirst)
    if day < today:
        raise DateError(f"{when!r} is {relative_day(day, today)}; plan for today or a later day.")
    return kind, day


class PlanScreen(Dialog[tuple[str, date] | None]):
    """Ask what and when; dismiss with (kind, day) — the day today or later — or None on Escape."""

    DEFAULT_CSS = """
    PlanScreen .title { margin-bottom: 1; }
    PlanScreen #preview { height: auto; }
    PlanScreen .hint { margin-top: 1; }
    """

    AUTO_FOCUS = "#plan"

    def __init__(self, person_name: str, default: str, today: date, *, dayfirst: bool = False) -> None:
        super().__init__()
        self.person_name = person_name
        self.default = default
        self.today = today
        self.dayfirst = dayfirst

    def compose(self) -> ComposeResult:
        title = Text.assemble("Plan a meeting with ", (one_line(self.person_name), "bold"))
        with Vertical(id="dialog"):
            yield Static(title, id="title", classes="title")
            yield Input(placeholder=f"{self.default} next monday · lunch fri · visit dec 12", id="plan")
            yield Static(self._guide(), id="preview")
            yield Static("", id="error")
            yield Static("Enter save · Esc cancel", classes="hint")

    def _guide(self) -> str:
        return f"{', '.join(PLAN_KINDS)} ({self.default} if not said), then the day"

    def _check(self, text: str, *, submitted: bool = False) -> tuple[str, date] | None:
        """Show the preview or the error sentence; (kind, day) when the words are good."""
        preview = self.query_one("#preview", Static)
        error = self.query_one("#error", Static)
        plan: tuple[str, date] | None = None
        message = ""
        if text.strip() or submitted:
            try:
                plan = read_plan(text, self.default, self.today, dayfirst=self.dayfirst)
            except UserError as exc:
                only_kind = text.split() == [text.strip()] and text.strip().casefold() in PLAN_KINDS
                message = "" if only_kind and not submitted else str(exc)  # "coffee": keep typing
        if plan is None:
            preview.update("" if message else self._guide())
        else:
            kind, day = plan
            preview.update(f"{kind} on {long_day(day)} ({relative_day(day, self.today)})")
        error.update(Text(message))
        error.set_class(bool(message), "shown")
        return plan

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._check(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        plan = self._check(event.value, submitted=True)
        if plan is not None:
            self.dismiss(plan)
