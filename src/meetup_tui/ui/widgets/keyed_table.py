"""A row-cursor DataTable whose rows are keyed by record id, refilled without losing the cursor.

Nothing in it is cut without a sign: every cell is one line that ends in "…" when it does not
fit its column, and the open column (width None) is exactly as wide as the room left beside
the others, so a long cell there ends in "…" at the table's edge instead of running past it.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, ClassVar

from rich.text import Text
from textual import events, on
from textual.binding import Binding
from textual.geometry import Size
from textual.widgets import DataTable
from textual.widgets.data_table import CellDoesNotExist, ColumnKey, RowDoesNotExist

Cell = Text | str


def one_line_cell(cell: Cell) -> Text:
    """The cell as one line that ends in "…" when cut; a str is plain text, never markup."""
    text = Text(cell) if isinstance(cell, str) else cell.copy()
    text.no_wrap, text.overflow, text.end = True, "ellipsis", ""
    return text


class KeyedTable(DataTable[Cell]):
    DEFAULT_CSS = """
    KeyedTable { height: 1fr; overflow-x: hidden; }
    """

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("home,g", "scroll_top", "First", show=False),  # rows, not columns: the table
        Binding("end,G", "scroll_bottom", "Last", show=False),  # never scrolls sideways
    ]

    # (label, key, width); at most one width is None: that column takes the room left.
    COLUMNS: Sequence[tuple[str, str, int | None]] = ()
    # (key, narrowest): columns that give up cells, in this order and down to `narrowest`,
    # while the open column would have fewer than OPEN_AT_LEAST.
    GIVE_WAY: Sequence[tuple[str, int]] = ()
    OPEN_AT_LEAST = 12

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        for label, key, width in self.COLUMNS:
            self.add_column(one_line_cell(label), key=key, width=width)

    def current_key(self) -> str | None:
        """The id of the record under the cursor (None on an empty table or a note row)."""
        if not self.row_count:
            return None
        try:
            key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        except CellDoesNotExist:
            return None
        return key if key and not key.startswith("__") else None

    def move_to_key(self, key: str | None) -> bool:
        if key is None:
            return False
        try:
            self.move_cursor(row=self.get_row_index(key), animate=False)
        except RowDoesNotExist:
            return False
        return True

    def refill(self, rows: Iterable[tuple[str, Sequence[Cell]]]) -> None:
        """Replace every row, keeping the cursor on the same record (or row) if it is still there."""
        key, row = self.current_key(), self.cursor_row
        self.clear()
        for row_key, cells in rows:
            self.add_row(*map(one_line_cell, cells), key=row_key)
        if not self.move_to_key(key) and self.row_count:
            self.move_cursor(row=min(row, self.row_count - 1), animate=False)

    def column_widths(self, room: int) -> dict[str, int]:
        """Each column's width when `room` cells are free for the table's content."""
        pad = 2 * self.cell_padding
        fixed = {key: width for _, key, width in self.COLUMNS if width is not None}
        left = room - sum(pad + width for width in fixed.values()) - pad * (len(self.COLUMNS) - len(fixed))
        for key, narrowest in self.GIVE_WAY:
            give = min(fixed[key] - narrowest, self.OPEN_AT_LEAST - left)
            if give > 0:
                fixed[key] -= give
                left += give
        return {key: fixed.get(key, max(left, 1)) for _, key, _ in self.COLUMNS}

    def _fit_columns(self) -> None:
        """Size the columns to the room inside the table (less the scrollbar, when shown)."""
        if all(width is not None for _, _, width in self.COLUMNS):
            return
        changed = False
        for key, width in self.column_widths(self.scrollable_content_region.width).items():
            column = self.columns[ColumnKey(key)]
            if column.auto_width or column.width != width:
                column.auto_width, column.width = False, width
                changed = True
        if changed:  # Textual has no public way to set a column's width once it is added
            width = sum(column.get_render_width(self) for column in self.columns.values())
            self.virtual_size = Size(width, self.virtual_size.height)
            self._clear_caches()
            self.refresh()

    def on_resize(self, _: events.Resize) -> None:
        self._fit_columns()

    def watch_show_vertical_scrollbar(self) -> None:
        self._fit_columns()


PAGE = 100  # rows a page: 100 fill in ~25 ms on 5,000 people, 300 took ~85 ms (a stall)
MORE = "__older__"


class PagedTable(KeyedTable):
    """The newest `PAGE` rows of a long list, and a last row saying how many are older;
    Enter on it shows a page more.  Filling a table with every entry of a 50,000-entry
    log takes seconds, and would freeze the screen on every change.

    Subclasses say what the newest `limit` rows are, and how many there are in all
    (`newest(*shown, limit=...)`); `show(*shown)` fills the table and keeps what was
    shown for the next page.  `MORE_AT` is the column of the "+ N older" label.
    """

    MORE_AT: ClassVar[int] = 0
    HINT_AT: ClassVar[int | None] = None  # the column of "Enter shows N more" (default: the next)
    MORE_WORD: ClassVar[str] = "older"  # "+ 4,900 older"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.limit = PAGE
        self._shown: tuple[Any, ...] | None = None

    def newest(self, *shown: Any, limit: int) -> tuple[Iterable[tuple[str, Sequence[Cell]]], int]:
        raise NotImplementedError

    def show(self, *shown: Any) -> None:
        self._shown = shown
        rows, total = self.newest(*shown, limit=self.limit)
        self.refill(itertools.chain(rows, self._older(total)))

    def _older(self, total: int) -> Iterator[tuple[str, Sequence[Cell]]]:
        older = total - self.limit
        if older > 0:
            cells: list[Cell] = [""] * len(self.COLUMNS)
            cells[self.MORE_AT] = Text(f"+ {older:,} {self.MORE_WORD}", style="italic")
            cells[self.MORE_AT + 1 if self.HINT_AT is None else self.HINT_AT] = (
                f"Enter shows {min(PAGE, older):,} more"
            )
            yield MORE, cells

    @on(DataTable.RowSelected)
    def _more(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value == MORE and self._shown is not None:
            event.stop()
            self.limit += PAGE
            self.show(*self._shown)
