"""Segments with their member count and coverage (share in touch within their cadence)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date

from rich.text import Text
from textual.binding import Binding

from meetup_tui.domain.audience import audience
from meetup_tui.domain.book import Book
from meetup_tui.domain.coverage import segment_coverage
from meetup_tui.domain.text import one_line, plural
from meetup_tui.ui.widgets.keyed_table import Cell, KeyedTable

LOOSE = "__loose__"  # the row of the people in no segment


class SegmentsPane(KeyedTable):
    # Over the app's e and d (the selected person's) while the pane has the focus.
    BINDINGS = [
        Binding("e", "edit_segment", "Edit segment", tooltip="Edit or rename the segment under the cursor"),
        Binding(
            "d", "delete_segment", "Delete segment", tooltip="Delete the segment under the cursor (u undoes)"
        ),
    ]

    # Coverage first so the name, cut at a narrow edge, is what gives way.
    COLUMNS = (("In touch", "cover", 10), ("Segment", "name", None))  # up to "999 of 999"

    def show(self, book: Book, today: date, default_cadence: str) -> None:
        self.refill(self._rows(book, today, default_cadence))

    def _rows(self, book: Book, today: date, default: str) -> Iterator[tuple[str, Sequence[Cell]]]:
        found = audience(book)
        for segment in book.live_segments():
            covered, total = segment_coverage(book, segment, today, default)
            name = Text(one_line(segment.name))
            if segment.id in found.too_broad:
                name.append(" ⚠ too broad", style="bold")  # over half of everyone
            yield segment.id, (f"{covered} of {total}", name)
        if found.unsegmented:
            loose = len(found.unsegmented)
            yield (
                LOOSE,
                ("⚠", Text(f"{plural(loose, 'person', 'people')} in no segment", style="italic")),
            )

    def action_edit_segment(self) -> None:
        self.app.edit_segment(self.current_key())  # type: ignore[attr-defined]

    def action_delete_segment(self) -> None:
        self.app.delete_segment(self.current_key())  # type: ignore[attr-defined]
