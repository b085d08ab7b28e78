"""The header line that keeps score: this week's real conversations against posts."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Sparkline, Static

from meetup_tui.domain.book import score_words


class ScoreBar(Horizontal):
    DEFAULT_CSS = """
    ScoreBar { height: 1; background: $panel; }
    ScoreBar #title { width: auto; padding: 0 1; text-style: bold; }
    ScoreBar #score { width: 1fr; }
    ScoreBar #trend-label { width: auto; padding: 0 1; color: $text-muted; }
    ScoreBar Sparkline { width: 10; margin-right: 1; }
    ScoreBar #saved { width: auto; padding: 0 1; color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        yield Static("meetup-tui", id="title")
        yield Static(id="score")
        yield Static("8 wk", id="trend-label")
        yield Sparkline([0], id="trend")
        yield Static("", id="saved")

    NARROW = 80  # below this many columns the score is said in fewer words, so it fits whole

    _weeks: list[tuple[int, int, int]] = [(0, 0, 0)]

    def show(self, weeks: list[tuple[int, int, int]]) -> None:
        self._weeks = weeks
        talks, posts = score_words(weeks[-1], short=self.size.width < self.NARROW)
        self.query_one("#score", Static).update(Text.assemble((talks, "bold"), posts))
        self.query_one(Sparkline).data = [w[0] for w in weeks]

    def on_resize(self) -> None:
        self.show(self._weeks)

    saved = ""  # "saving…", "saved ✓", "NOT SAVED"

    def show_saved(self, state: str) -> None:
        self.saved = state
        self.query_one("#saved", Static).update(state)
