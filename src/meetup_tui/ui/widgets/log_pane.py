"""The meeting log, newest first."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date

from rich.text import Text

from meetup_tui.domain.book import Book
from meetup_tui.domain.dates import relative_day
from meetup_tui.domain.text import one_line
from meetup_tui.ui.widgets.keyed_table import Cell, KeyedTable

OUTCOME_MARK = {"reached": "✓", "attempt": "✗"}


class LogPane(KeyedTable):
    COLUMNS = (("When", "when", 11), ("", "kind", 9), ("Who", "who", 18), ("Note", "note", None))

    def show(self, book: Book, today: date) -> None:
        self.refill(self._rows(book, today))

    def _rows(self, book: Book, today: date) -> Iterator[tuple[str, Sequence[Cell]]]:
        for item in book.live_interactions():
            names = [book.people[p].name for p in item.people if p in book.people]
            mark = OUTCOME_MARK.get(item.outcome, "?")
            note = item.note or item.learned or item.next_step
            yield (
                item.id,
                (
                    relative_day(item.when.date(), today),
                    Text(f"{mark} {item.kind}"),
                    Text(one_line(", ".join(names))),
                    Text(one_line(note)),
                ),
            )
