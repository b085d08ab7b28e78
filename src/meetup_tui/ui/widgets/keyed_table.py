"""A row-cursor DataTable whose rows are keyed by record id, refilled without losing the cursor."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable
from textual.widgets.data_table import CellDoesNotExist, RowDoesNotExist

Cell = Text | str


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

    # (label, key, width); the last column may run past the edge and is cut there.
    COLUMNS: Sequence[tuple[str, str, int | None]] = ()

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        for label, key, width in self.COLUMNS:
            self.add_column(label, key=key, width=width)

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
            self.add_row(*cells, key=row_key)
        if not self.move_to_key(key) and self.row_count:
            self.move_cursor(row=min(row, self.row_count - 1), animate=False)
