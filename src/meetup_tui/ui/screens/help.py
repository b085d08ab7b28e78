"""Every key the app answers to, in two aligned columns."""

from __future__ import annotations

from dataclasses import fields

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from meetup_tui.domain.connectors import CONNECTOR_DAYS, CONNECTOR_LIMIT
from meetup_tui.domain.reasons import stage_words
from meetup_tui.domain.settings import Settings
from meetup_tui.ui.screens.dialog import Dialog

INTRO = "meetup-tui — who to call today instead of posting"
RANKING_TITLE = "How today's list is ranked"

# What each weight of `Settings.weights` is worth points for; a weight not here shows its name.
SIGNALS = {
    "overdue": "per cadence interval since the last real conversation, up to {cap:g} intervals",
    "follow_up": "a follow-up date that has come",
    "introduction": "introduced lately ({intro} days), not yet contacted",
    "never_contacted": "never talked yet, and their first-due day has come",
    "attempt": "tried (voicemail, no answer) {retry}+ days ago, not reached since",
    "birthday": "a birthday within {birthday} days",
    "influence": "per point of influence (0-5)",
    "untouched_connector": "one of a segment's top {connectors} connectors, not talked to in {connector_days} days",
    "engaged": "commented on, shared or messaged about a post, fading over {engaged} days (a like: half)",
}


def ranking_text(settings: Settings) -> Text:
    """How the score works, with the weights of `settings` (not the defaults)."""
    text = Text()
    text.append(RANKING_TITLE, style="bold")
    text.append(
        "\nA score that adds points for each reason below (shown on each row). Someone is listed "
        "only when a reason other than influence or stage counts; those two then order the list. "
        "Left out: snoozed people and anyone contacted today. "
        f'Ties go to influence, then name. {settings.daily_cap} are shown before "show more".\n'
    )
    return text


def ranking_rows(settings: Settings) -> list[tuple[str, str]]:
    """(points, what for) for every signal and every weighted stage, from `settings`."""
    facts = {
        "cap": settings.overdue_cap,
        "intro": settings.introduction_days,
        "retry": settings.attempt_retry_days,
        "birthday": settings.birthday_days,
        "connectors": CONNECTOR_LIMIT,
        "connector_days": CONNECTOR_DAYS,
        "engaged": settings.engaged_days,
    }
    rows = []
    for name in fields(settings.weights):
        points = getattr(settings.weights, name.name)
        what = SIGNALS.get(name.name, name.name.replace("_", " ")).format(**facts)
        rows.append((f"+{points:g}", f"{name.name.replace('_', ' ')}: {what}"))
    for stage in settings.stages:
        points = settings.stage_weight(stage)
        if points:
            rows.append((f"+{points:g}", f"stage: {stage_words(stage)}"))
    return rows


def key_table(keys: list[tuple[str, str]]) -> Table:
    """Keys left (bold, aligned), descriptions right, wrapping within their column."""
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True)
    table.add_column(ratio=1)
    for key, description in keys:
        table.add_row(Text(key, style="bold"), Text(description))
    return table


class HelpScreen(Dialog[None]):
    """Shows the keys, and how today's list is ranked with the weights of `settings`;
    Escape, q or ? closes (dismiss(None))."""

    DEFAULT_CSS = """
    HelpScreen .title { dock: top; padding-bottom: 1; }
    HelpScreen #keys { height: auto; max-height: 100%; }
    HelpScreen #ranking { margin-top: 1; }
    HelpScreen .hint { dock: bottom; padding-top: 1; }
    """

    AUTO_FOCUS = "#keys"
    BINDINGS = [Binding("escape,q,question_mark", "cancel", "Close", id="help.close")]

    def __init__(self, keys: list[tuple[str, str]], settings: Settings | None = None) -> None:
        super().__init__()
        self.keys = list(keys)
        self.settings = settings or Settings()

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text(INTRO), classes="title")
            with VerticalScroll(id="keys"):
                yield Static(key_table(self.keys), id="table")
                ranking = Group(ranking_text(self.settings), key_table(ranking_rows(self.settings)))
                yield Static(ranking, id="ranking")
            yield Static("↑↓ scroll · Esc, q or ? close", classes="hint")
