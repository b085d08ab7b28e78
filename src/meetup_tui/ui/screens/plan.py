"""Plan a meeting in one line of words: "coffee next monday", "lunch fri", "visit dec 12"."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from meetup_tui.domain.dates import long_day, parse_day, relative_day
from meetup_tui.domain.errors import DateError
from meetup_tui.domain.text import one_line
from meetup_tui.ui.screens.dialog import WordsDialog

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


class PlanScreen(WordsDialog[tuple[str, date] | None]):
    """Ask what and when; dismiss with (kind, day) — the day today or later — or None on Escape."""

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
            yield Static(self.guide(), id="preview")
            yield Static("", id="error")
            yield Static("Enter save · Esc cancel", classes="hint")

    def guide(self) -> str:
        return f"{', '.join(PLAN_KINDS)} ({self.default} if not said), then the day"

    def still_typing(self, text: str) -> bool:
        return text.strip().casefold() in PLAN_KINDS  # "coffee": the day comes next

    def read(self, text: str) -> tuple[str, date]:
        return read_plan(text, self.default, self.today, dayfirst=self.dayfirst)

    def describe(self, value: tuple[str, date]) -> str:
        kind, day = value
        return f"{kind} on {long_day(day)} ({relative_day(day, self.today)})"
