"""The meeting log, newest first: the newest few hundred entries, and more on request.

Filling a table with every entry of a 50,000-entry log takes seconds and would freeze the
screen on every change, so the pane holds the newest `PAGE` entries; its last row says how
many older ones there are, and Enter on it adds another page.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date

from rich.text import Text
from textual import on
from textual.widgets import DataTable

from meetup_tui.domain.book import Book
from meetup_tui.domain.dates import relative_day, short_day
from meetup_tui.domain.plans import planned
from meetup_tui.domain.records import Interaction
from meetup_tui.domain.text import one_line
from meetup_tui.ui.widgets.keyed_table import Cell, KeyedTable

OUTCOME_MARK = {"reached": "✓", "attempt": "✗"}
PAGE = 300
MORE = "__older__"


def kind_cell(item: Interaction) -> Text:
    """ "✓ coffee" (a conversation), "✗ call" (an attempt), "→ coffee" (a plan, not a try)."""
    plan = planned(item)
    if plan is not None:
        return Text(f"→ {plan[0]}")
    return Text(f"{OUTCOME_MARK.get(item.outcome, '?')} {item.kind}")


def note_cell(item: Interaction, today: date) -> Text:
    """What was said, on one line; a plan says what is planned when ("coffee planned for Tue 1 Dec")."""
    plan = planned(item)
    if plan is not None:
        return Text(f"{plan[0]} planned for {short_day(plan[1], today)}" + (" ✓" if item.done else ""))
    return Text(one_line(item.note or item.learned or item.next_step))


class LogPane(KeyedTable):
    # "10 months ago" is the longest day relative_day gives (under a thousand years away).
    COLUMNS = (("When", "when", 13), ("", "kind", 9), ("Who", "who", 16), ("Note", "note", None))
    # At 80 columns the kind is cut to its mark ("✓…") and the names shortened, for a note.
    GIVE_WAY = (("kind", 2), ("who", 10))

    limit = PAGE
    _shown: tuple[Book, date] | None = None

    def show(self, book: Book, today: date) -> None:
        self._shown = (book, today)
        self.refill(self._rows(book, today))

    def _rows(self, book: Book, today: date) -> Iterator[tuple[str, Sequence[Cell]]]:
        newest, total = book.newest_interactions(self.limit)
        for item in newest:
            names = [book.people[p].name for p in item.people if p in book.people]
            yield (
                item.id,
                (
                    relative_day(item.when.date(), today),
                    kind_cell(item),
                    Text(one_line(", ".join(names))),
                    note_cell(item, today),
                ),
            )
        if total > self.limit:
            older = total - self.limit
            label = Text(f"+ {older:,} older", style="italic")
            yield MORE, ("", "", label, f"Enter shows {min(PAGE, older):,} more")

    @on(DataTable.RowSelected)
    def _more(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value == MORE and self._shown is not None:
            event.stop()
            self.limit += PAGE
            self.show(*self._shown)
