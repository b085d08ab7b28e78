"""What the audience told you (`I`): the challenges, wants and needs heard from everyone or
one segment, grouped when they repeat, each with who said it and when (domain/insights.py).
`n` puts the line under the cursor into a note, `t` into a next step: the log form opens
for the people who said it, that field filled in, to finish and save.

The screen only shows the book; the app calls `book_changed` after every change.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from datetime import date
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Static

from meetup_tui.domain.clock import Clock
from meetup_tui.domain.collector import collector_paused
from meetup_tui.domain.dates import relative_day
from meetup_tui.domain.insights import Group, Heard, group_title, grouped, heard
from meetup_tui.domain.records import Segment
from meetup_tui.domain.text import one_line, plural
from meetup_tui.store.database import Database
from meetup_tui.ui.screens.book_view import BookView
from meetup_tui.ui.widgets.footer import Footer
from meetup_tui.ui.widgets.keyed_table import Cell, PagedTable


class HeardTable(PagedTable):
    """The first `limit` rows (a page at a time: Enter on "+ N more" shows more)."""

    COLUMNS = (("What they said", "text", None), ("Who", "who", 18), ("When", "when", 13))
    MORE_WORD = "more"

    def newest(
        self, groups: list[Group], single: list[Heard], today: date, *, limit: int
    ) -> tuple[Iterator[tuple[str, Sequence[Cell]]], int]:
        total = len(groups) + sum(len(g.items) for g in groups) + (len(single) + 1 if single else 0)
        return itertools.islice(heard_rows(groups, single, today), limit), total


def heard_rows(groups: list[Group], single: list[Heard], today: date) -> Iterator[tuple[str, Sequence[Cell]]]:
    """A row per group ("winter service — 6 times, from 5 people", keyed "__…": no line to
    copy), then its lines; then the lines heard once.  A line's key is its place in
    `flat(groups, single)`."""
    n = 0
    sections = [(group_title(g), g.items) for g in groups]
    if single:
        sections.append(("Heard once" if groups else "Heard, newest first", single))
    for index, (title, items) in enumerate(sections):
        yield f"__group{index}", (Text(title, style="bold"), "", "")
        for item in items:
            when = relative_day(date.fromisoformat(item.at[:10]), today)
            yield str(n), (Text("  " + item.text), Text(item.names), when)
            n += 1


def flat(groups: list[Group], single: list[Heard]) -> list[Heard]:
    return [item for group in groups for item in group.items] + single


class InsightsScreen(BookView):
    DEFAULT_CSS = """
    InsightsScreen #about { height: auto; color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "copy('note')", "Into a note", id="insights.note", tooltip="Insights: log it as a note"),
        Binding("t", "copy('next_step')", "Into a step", id="insights.step", tooltip="Insights: a next step"),
        Binding("s", "segment", "Segment", id="insights.segment", tooltip="Insights: everyone, or a segment"),
        Binding("escape", "cancel", "Close", id="insights.close", tooltip="Insights: back to today's list"),
    ]

    def __init__(self, db: Database, clock: Clock, segment: Segment | None = None) -> None:
        super().__init__(db, segment)
        self.clock = clock
        self.items: list[Heard] = []
        self.table = HeardTable(id="heard")

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(id="about")
            yield self.table
        yield Footer()

    def release(self) -> None:
        self.items = []
        self.table.clear()

    def on_mount(self) -> None:
        self._show()
        self.query_one(HeardTable).focus()

    def _show(self) -> None:
        """Worked out in a thread (on 5,000 people, ~50 ms of reading and grouping), shown here."""
        self._work()

    @work(thread=True, exclusive=True, group="insights", exit_on_error=False)
    def _work(self) -> None:
        with self.db.held() as book, collector_paused():  # no collection in this thread: it holds the GIL
            segment = self.segment_in(book)
            people = book.members(segment) if segment is not None else book.live_people()
            groups, single = grouped(heard(book, people))
        self.show_from_thread(self._fill, segment, groups, single)

    def _fill(self, segment: Segment | None, groups: list[Group], single: list[Heard]) -> None:
        self.items = flat(groups, single)
        whose = one_line(segment.name) if segment is not None else "Everyone"
        self.query_one(Vertical).border_title = f"What they told you — {whose}"
        if self.items:
            about = (
                f"{plural(len(self.items), 'thing')} heard, newest first, grouped by two words they share "
                "(common words left out)."
            )
        else:
            about = "Nothing learned yet: the Learned field of the log form keeps what people tell you."
        self.query_one("#about", Static).update(Text(about))
        self.query_one(HeardTable).show(groups, single, self.clock.today())

    def _current(self) -> Heard | None:
        table = self.query_one(HeardTable)
        key = table.current_key()
        if key is None and table.cursor_row + 1 < table.row_count:  # a group's row: its first line
            table.move_cursor(row=table.cursor_row + 1, animate=False)
            key = table.current_key()
        return self.items[int(key)] if key is not None and int(key) < len(self.items) else None

    def action_copy(self, field: str) -> None:
        item = self._current()
        if item is None:
            self.notify("Nothing heard here to copy.", severity="warning")
            return
        people = [p for p in (self.db.book.people.get(p.id) for p in item.people) if p and not p.deleted]
        self.app.log_with(people, {field: item.text})  # type: ignore[attr-defined]
