"""The picture (`R`): conversations against likes per week over 12 weeks, stage moves per
month over a year, and each segment's coverage week by week (domain/report.py).  Every
plot is a Textual sparkline with its numbers beside it as text: readable over SSH, without
colour, and by a screen reader.

The screen only shows the book; the app calls `book_changed` after every change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Sparkline, Static

from meetup_tui.domain.clock import Clock
from meetup_tui.domain.collector import collector_paused
from meetup_tui.domain.dates import short_day
from meetup_tui.domain.report import (
    MONTHS,
    WEEKS,
    Coverage,
    Weeks,
    coverage_over_time,
    month_labels,
    moves_per_month,
    weeks,
)
from meetup_tui.domain.text import one_line, plural
from meetup_tui.store.database import Database
from meetup_tui.ui.screens.book_view import BookView
from meetup_tui.ui.widgets.footer import Footer


class Plot(Horizontal):
    """A label, a sparkline of `values` and the values in words."""

    DEFAULT_CSS = """
    Plot { height: auto; }
    Plot > .name { width: 16; height: 1; text-wrap: nowrap; text-overflow: ellipsis; }
    Plot > Sparkline { width: 12; height: 1; margin-right: 1; }
    Plot > .said { width: 1fr; height: auto; }
    """

    def __init__(self, label: str, values: Sequence[int], said: str) -> None:
        super().__init__()
        self.label, self.values, self.said = label, list(values), said

    def compose(self) -> ComposeResult:
        yield Static(Text(self.label, no_wrap=True, overflow="ellipsis"), classes="name")
        yield Sparkline(self.values or [0])
        yield Static(Text(self.said), classes="said")

    def show(self, values: Sequence[int], said: str) -> None:
        self.values, self.said = list(values), said
        self.query_one(Sparkline).data = self.values or [0]
        self.query_one(".said", Static).update(Text(said))


def numbers(values: Sequence[int], suffix: str = "") -> str:
    return " ".join(f"{v}{suffix}" for v in values)


class ReportScreen(BookView):
    DEFAULT_CSS = """
    ReportScreen .section { text-style: bold; margin-top: 1; }
    ReportScreen .note { color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Close", id="report.close", tooltip="Report: back to today's list"),
    ]

    def __init__(self, db: Database, clock: Clock, default_cadence: str) -> None:
        super().__init__(db)
        self.clock, self.default_cadence = clock, default_cadence

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield VerticalScroll(id="plots")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Vertical).border_title = "The picture: connections against likes"
        self._show()
        self.query_one("#plots").focus()

    def _show(self) -> None:
        """Worked out in a thread (on 5,000 people, ~70 ms of reading), shown here."""
        self._work()

    @work(thread=True, exclusive=True, group="report", exit_on_error=False)
    def _work(self) -> None:
        today = self.clock.today()
        with self.db.held() as book, collector_paused():  # no collection in this thread: it holds the GIL
            found = weeks(book, today)
            months = moves_per_month(book, today, book.live_people())
            coverage = coverage_over_time(book, book.live_segments(), today, default=self.default_cadence)
        self.show_from_thread(self._fill, lines(found, months, coverage, today))

    def _fill(self, wanted: list[Line]) -> None:
        """The lines as worked out: the widgets there updated in place when they are the
        same lines (after a change), else made."""
        holder = self.query_one("#plots", VerticalScroll)
        shown = list(holder.children)
        if [_shape(w) for w in shown] == [
            (line.label if line.values is not None else line.kind) for line in wanted
        ]:
            for widget, line in zip(shown, wanted, strict=True):
                if isinstance(widget, Plot):
                    widget.show(line.values or [], line.said)
                elif isinstance(widget, Static):
                    widget.update(Text(line.said))
            return
        widgets = [
            Plot(line.label, line.values, line.said)
            if line.values is not None
            else Static(Text(line.said), classes=line.kind)
            for line in wanted
        ]
        with self.app.batch_update():
            holder.remove_children()
            holder.mount_all(widgets)


@dataclass(frozen=True)
class Line:
    kind: str  # "section", "note" or "plot"
    said: str
    label: str = ""
    values: list[int] | None = None  # a plot's


def _shape(widget: object) -> str:
    if isinstance(widget, Plot):
        return widget.label
    return next(
        (kind for kind in ("section", "note") if isinstance(widget, Static) and widget.has_class(kind)), ""
    )


def lines(found: Weeks, months: list[int], coverage: list[Coverage], today: date) -> list[Line]:
    """The report, line by line: each plot with its numbers in words."""
    first = short_day(found.starts[0], today)
    talks, likes = sum(found.talks), sum(found.likes)
    per = f"{likes / talks:.0f} likes for each conversation" if talks else "no conversation yet"
    labels = [name for _, name in month_labels(today)]
    said = [
        Line("section", f"Conversations against likes, each week since {first}"),
        Line("plot", f"{numbers(found.talks)} · {talks} in {WEEKS} weeks", "Conversations", found.talks),
        Line("plot", f"{numbers(found.likes)} · {likes} in {WEEKS} weeks", "Likes", found.likes),
        Line("plot", f"{numbers(found.posts)} · {sum(found.posts)} in {WEEKS} weeks", "Posts", found.posts),
        Line("note", f"{plural(talks, 'conversation')}, {plural(likes, 'like')}: {per}."),
        Line("section", f"Stage moves per month, the last {MONTHS} (J moves people)"),
        Line(
            "plot", " · ".join(f"{name} {n}" for name, n in zip(labels, months, strict=True)), "Moves", months
        ),
        Line("section", "Segments in touch, % of today's members at each week's end"),
    ]
    for each in coverage:
        text = f"{numbers(each.shares, '%')} · now {each.shares[-1]}% of {each.members}"
        said.append(Line("plot", text, one_line(each.segment.name), each.shares))
    if not coverage:
        said.append(Line("note", "No segments yet: s makes one."))
    return said
