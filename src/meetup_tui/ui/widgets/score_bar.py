"""The header line that keeps score: this week's real conversations against posts, and who
else has the file open ("sam · check-in, kim"; see widgets/presence_watch.py)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Sparkline, Static

from meetup_tui.domain.book import score_words
from meetup_tui.domain.text import one_line
from meetup_tui.store.presence import CHECKIN, Presence


def _said(others: Sequence[Presence]) -> tuple[list[str], list[str]]:
    """Each one's login, and login with what they are doing ("sam · check-in")."""
    names = [one_line(p.login) for p in others]
    said = [f"{n} · {CHECKIN}" if p.doing == CHECKIN else n for n, p in zip(names, others, strict=True)]
    return names, said


def all_here(others: Sequence[Presence]) -> str:
    """Everyone and what they are doing: "sam · check-in, kim"."""
    return ", ".join(_said(others)[1])


def here_words(others: Sequence[Presence], room: int) -> str:
    """Who else is here in at most `room` cells, in as many words as fit:
    "here: sam · check-in, kim", "sam · check-in, kim", "sam · check-in +1", "sam, kim",
    "sam +1", "+2 here"; at the very least the first name cut short ("alexan…").
    The words say it all (no colour needed); "" when nobody else is here."""
    if not others:
        return ""
    names, said = _said(others)
    more = f" +{len(others) - 1}" if len(others) > 1 else ""
    candidates = [
        "here: " + ", ".join(said),
        ", ".join(said),
        said[0] + more,
        ", ".join(names),
        names[0] + more,
        f"+{len(others)} here" if more else "",
    ]
    for words in candidates:
        if words and cell_len(words) <= room:
            return words
    first = names[0] + more
    cut = ""
    for char in first:
        if cell_len(cut + char) > max(0, room - 1):
            break
        cut += char
    return cut + "…"


class ScoreBar(Horizontal):
    DEFAULT_CSS = """
    ScoreBar { height: 1; background: $panel; }
    ScoreBar #title { width: auto; padding: 0 1; text-style: bold; }
    ScoreBar #score { width: 1fr; }
    ScoreBar #trend-label { width: auto; padding: 0 1; color: $text-muted; }
    ScoreBar Sparkline { width: 10; margin-right: 1; }
    ScoreBar #saved { width: auto; padding: 0 1; color: $text-muted; }
    ScoreBar #here { width: auto; padding: 0 1; text-style: bold; display: none; }
    """

    def compose(self) -> ComposeResult:
        yield Static("meetup-tui", id="title")
        yield Static(id="score")
        yield Static(id="here")
        yield Static("8 wk", id="trend-label")
        yield Sparkline([0], id="trend")
        yield Static("", id="saved")

    NARROW = 80  # below this many columns the score is said in fewer words, so it fits whole

    _weeks: list[tuple[int, int, int]] = [(0, 0, 0)]
    _from_posts = 0
    _score = ""
    others: Sequence[Presence] = ()
    here = ""  # what the header says of who else is here, as shown

    def show(self, weeks: list[tuple[int, int, int]], from_posts: int = 0) -> None:
        """The weeks of `weekly_score`, and how many of this week's talks came from posts."""
        self._weeks, self._from_posts = weeks, from_posts
        talks, posts = score_words(weeks[-1], from_posts=from_posts, short=self.size.width < self.NARROW)
        self._score = talks + posts
        self.query_one("#score", Static).update(Text.assemble((talks, "bold"), posts))
        self.query_one(Sparkline).data = [w[0] for w in weeks]
        self._fit_here()

    def on_resize(self) -> None:
        self.show(self._weeks, self._from_posts)

    saved = ""  # "saving…", "saved ✓", "NOT SAVED"

    def show_saved(self, state: str) -> None:
        self.saved = state
        self.query_one("#saved", Static).update(state)
        self._fit_here()

    def show_here(self, others: Sequence[Presence]) -> None:
        """Who else has the file open (from the presence watch)."""
        self.others = list(others)
        self._fit_here()

    def _fit_here(self) -> None:
        """Say who else is here beside the score, never over it: the trend's "8 wk" goes
        first, then the trend, before the names are cut to fewer words."""
        here = self.query_one("#here", Static)
        label, trend = self.query_one("#trend-label", Static), self.query_one(Sparkline)
        if not self.others:
            here.display, label.display, trend.display = False, True, True
            self.here = ""
            return
        title = self.query_one("#title")
        used = title.outer_size.width if title.display else 0
        used += cell_len(self._score) + cell_len(self.saved) + 2 + 2  # the paddings of saved, here
        whole = cell_len(all_here(self.others))
        for shown_label, shown_trend in ((True, True), (False, True), (False, False)):
            room = self.size.width - used - (6 if shown_label else 0) - (11 if shown_trend else 0)
            if whole <= room:
                break
        words = here_words(self.others, room)
        label.display, trend.display = shown_label, shown_trend
        self.here = words
        here.update(Text(words))
        here.display = True
