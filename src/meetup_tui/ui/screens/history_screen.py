"""A person's whole history, or the meeting log filtered by a query line.

A full screen: the query line on top (`who:"Maya Patel"`, `kind:coffee since:2026-10`, see
domain/log_query.py), the matching entries under it, newest first.  Like the log pane it
shows the newest `PAGE` entries and a "+ N older" row that adds a page on Enter.

The line is read as it is typed (after a short pause, or at once on Enter); a line that
cannot be read shows its sentence and leaves the entries as they were.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Input, Static
from textual.widgets.data_table import ColumnKey

from meetup_tui.domain.book import Book
from meetup_tui.domain.dates import relative_day
from meetup_tui.domain.errors import UserError
from meetup_tui.domain.log_query import Found, LogQuery, describe, find_entries, parse_query
from meetup_tui.domain.plans import planned
from meetup_tui.domain.records import Interaction
from meetup_tui.domain.team import short_user
from meetup_tui.domain.text import one_line
from meetup_tui.ui.widgets.keyed_table import PAGE, Cell, KeyedTable
from meetup_tui.ui.widgets.log_pane import MORE, kind_cell, note_cell

PAUSE = 0.15  # seconds of no typing before the line is read
HINT = "Enter open · e edit · d delete · x step done · u undo · / query · Esc back"


class HistoryTable(KeyedTable):
    COLUMNS = (
        ("When", "when", 20),
        ("", "kind", 9),
        ("Who", "who", 14),
        ("By", "by", 6),
        ("Note", "note", None),
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "screen.entry('edit_entry')", "Edit", id="history.edit"),
        Binding("d", "screen.entry('delete_entry')", "Delete", id="history.delete"),
        Binding("x", "screen.entry('toggle_step')", "Step done/open", id="history.step"),
        Binding("u", "app.undo", "Undo", id="history.undo"),
    ]

    def label_who(self, label: str) -> None:
        """ "With" in a person's history (the others there), "Who" in the filtered log."""
        column = self.columns[ColumnKey("who")]
        if column.label.plain != label:
            column.label = Text(label)
            self.refresh()


def entry_cells(book: Book, item: Interaction, today: date, *, leave_out: str = "") -> tuple[Cell, ...]:
    """One row: when, kind with its outcome, who (less `leave_out`, the person whose history
    this is), who logged it, and what was said.  Text from the file is data: Text on one line, never markup."""
    day = item.when.date()
    when = Text(day.isoformat())
    when.append(f" {short_relative(day, today)}", style="dim")
    names = [book.people[p].name for p in item.people if p in book.people and p != leave_out]
    return (
        when,
        kind_cell(item),
        Text(one_line(", ".join(names))),
        short_user(item.logged_by),
        said(item, today),
    )


def short_relative(day: date, today: date) -> str:
    """ "today", "yesterday", "3d ago", "2w ago", "5mo ago", "2y ago" (and "in 3d")."""
    words = relative_day(day, today)
    for long, short in ((" days", "d"), (" weeks", "w"), (" months", "mo"), (" years", "y")):
        words = words.replace(long, short)
    return words


def said(item: Interaction, today: date) -> Text:
    """The note, what was learned and the next step (marked done or open), on one line; a
    plan says what is planned when."""
    if planned(item) is not None:
        return note_cell(item, today)
    parts: list[Text] = []
    if item.note.strip():
        parts.append(Text(one_line(item.note)))
    if item.learned.strip():
        parts.append(Text(f"learned: {one_line(item.learned)}", style="italic"))
    if item.has_step:
        step = one_line(item.next_step) or "follow up"
        if item.follow_up:
            step += f" by {item.follow_up}"
        parts.append(Text(f"✓ {step}", style="dim strike") if item.done else Text(f"→ {step}", style="bold"))
    return Text(" · ").join(parts)


class HistoryScreen(Screen[None]):
    """Opened with a query line (`who:"Maya Patel"` for a person's history, "" for the whole
    log).  Reads the book and the clock from the app (`app.db.book`, `app.clock`)."""

    DEFAULT_CSS = """
    HistoryScreen { layout: vertical; }
    HistoryScreen #title { height: 1; padding: 0 1; text-style: bold; background: $panel; }
    HistoryScreen #query { border: none; height: 1; padding: 0 1; margin: 1 0 0 0; }
    HistoryScreen #query:focus { background: $boost; }
    HistoryScreen #error { height: auto; padding: 0 1; color: $error; text-style: bold; display: none; }
    HistoryScreen #error.shown { display: block; }
    HistoryScreen HistoryTable { height: 1fr; margin-top: 1; }
    HistoryScreen #hint { height: 1; padding: 0 1; color: $text-muted; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="history.back"),
        Binding("down", "to_table", "Entries", show=False, id="history.entries"),  # from the line
        Binding("slash", "to_query", "Query", show=False, id="history.query"),
    ]

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.initial = query
        self.query_text = query  # the line last read
        self.log_query: LogQuery | None = None  # the last line that could be read
        self.limit = PAGE
        self.found: Found | None = None
        self._pause: Timer | None = None
        self._cursor_to: int | None = None  # the row for the cursor after the next fill

    @property
    def book(self) -> Book:
        return self.app.db.book  # type: ignore[attr-defined, no-any-return]

    def today(self) -> date:
        return self.app.clock.today()  # type: ignore[attr-defined, no-any-return]

    def compose(self) -> ComposeResult:
        yield Static(id="title")
        yield Input(
            self.initial,
            placeholder='who:maya  kind:coffee  since:2026-10  until:"last week"  words…',
            id="query",
            select_on_focus=False,
        )
        yield Static(id="error")
        yield HistoryTable(id="entries")
        yield Static(HINT, id="hint")

    def on_mount(self) -> None:
        self.query_one("#title", Static).update("Meeting log")
        self.read_line(self.initial)
        if self.log_query is not None and self.initial.strip():
            self.query_one(HistoryTable).focus()
        else:
            self.query_one("#query", Input).focus()

    # -- the query line -------------------------------------------------------------------

    @on(Input.Changed, "#query")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        if self._pause is not None:
            self._pause.stop()
        if event.value != self.query_text:
            self._pause = self.set_timer(PAUSE, lambda: self.read_line(event.value))

    @on(Input.Submitted, "#query")
    def _entered(self, event: Input.Submitted) -> None:
        event.stop()
        if self._pause is not None:
            self._pause.stop()
        if self.read_line(event.value, again=True) and self.query_one(HistoryTable).row_count:
            self.query_one(HistoryTable).focus()

    def read_line(self, text: str, *, again: bool = False) -> bool:
        """Read the line and search with it; show its sentence instead if it cannot be read."""
        if text == self.query_text and self.log_query is not None and not again:
            return True
        self.query_text = text
        try:
            query = parse_query(text, self.book, self.today())
        except UserError as exc:
            self.show_error(str(exc))
            return False
        self.show_error("")
        if query != self.log_query:
            self.log_query, self.limit, self._cursor_to = query, PAGE, 0
            self.search()
        return True

    def show_error(self, sentence: str) -> None:
        error = self.query_one("#error", Static)
        error.update(Text(one_line(sentence)))
        error.set_class(bool(sentence), "shown")

    # -- searching and showing ------------------------------------------------------------

    def search(self) -> None:
        """Find the newest `limit` entries of the query and show them.

        On the event loop: at 50,000 entries the search takes 5-15 ms and it runs only after
        a pause in the typing.  In a thread it showed the first rows later, not sooner: the
        search holds the GIL either way, and the screen's first frame waited for both
        (benchmarks/history_view.py)."""
        if self.log_query is not None:
            keep = self.log_query.filter(self.book)
            self.show_found(find_entries(self.book.interactions.values(), keep, self.limit))

    def show_found(self, found: Found) -> None:
        """Fill the table with what a search found, and the title with what it is."""
        assert self.log_query is not None
        self.found = found
        book, today = self.book, self.today()
        self.query_one("#title", Static).update(Text(describe(self.log_query, book, found)))
        person = self.log_query.person_of(book)
        table = self.query_one(HistoryTable)
        table.label_who("With" if person else "Who")
        leave_out = person.id if person else ""
        table.refill(self._rows(book, found, today, leave_out))
        if self._cursor_to is not None and table.row_count:
            table.move_cursor(row=min(self._cursor_to, table.row_count - 1), animate=False)
        self._cursor_to = None

    def _rows(
        self, book: Book, found: Found, today: date, leave_out: str
    ) -> Iterator[tuple[str, Sequence[Cell]]]:
        for item in found.newest:
            yield item.id, entry_cells(book, item, today, leave_out=leave_out)
        older = found.matched - len(found.newest)
        if older > 0:
            label = Text(f"+ {older:,} older", style="italic")
            yield MORE, ("", "", label, "", f"Enter shows {min(PAGE, older):,} more")
        elif not found.newest:
            yield "__none__", ("", "", Text("Nothing matches.", style="italic"), "")

    def book_changed(self) -> None:
        """The app changed the book (a commit, or a sync): search again, the cursor kept on
        the same entry.  The query keeps the people it named, even if renamed since."""
        if self.is_mounted:
            self.search()

    # -- keys -----------------------------------------------------------------------------

    @on(DataTable.RowSelected, "#entries")
    def _chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        key = event.row_key.value
        if key == MORE:
            self._cursor_to = self.limit  # the first of the entries added
            self.limit += PAGE
            self.search()
        elif key and not key.startswith("__"):
            self.app.open_entry(key)  # type: ignore[attr-defined]

    def action_entry(self, method: str) -> None:
        """Call the app's `method` (edit_entry, delete_entry, toggle_step) with the entry
        under the cursor."""
        key = self.query_one(HistoryTable).current_key()
        if key is not None:
            getattr(self.app, method)(key)

    def action_to_table(self) -> None:
        self.query_one(HistoryTable).focus()

    def action_to_query(self) -> None:
        self.query_one("#query", Input).focus()

    def action_back(self) -> None:
        self.dismiss(None)
