"""The people in no segment ("if your audience is everyone, it is no one"), and a key to
put each into one."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from meetup_tui.domain.audience import audience
from meetup_tui.domain.book import Book
from meetup_tui.domain.text import one_line, plural
from meetup_tui.ui.screens.dialog import Dialog
from meetup_tui.ui.screens.pick_name import PickName
from meetup_tui.ui.widgets.keyed_table import Cell, PagedTable


class LooseTable(PagedTable):
    COLUMNS = (("Who", "who", None), ("Infl.", "infl", 5), ("Area", "area", 14), ("Tags", "tags", 18))
    MORE_WORD = "more"

    def newest(
        self, book: Book, ids: list[str], *, limit: int
    ) -> tuple[Iterable[tuple[str, Sequence[Cell]]], int]:
        people = [book.people[pid] for pid in ids]
        people.sort(key=lambda p: (-p.influence, p.name.casefold(), p.id))
        rows = (
            (p.id, (Text(one_line(p.name)), str(p.influence), one_line(p.area), one_line(", ".join(p.tags))))
            for p in people[:limit]
        )
        return rows, len(people)


class UnsegmentedScreen(Dialog[str | None]):
    """Returns the id of the person chosen with Enter, or None."""

    DEFAULT_CSS = """
    UnsegmentedScreen > #dialog { width: 90%; max-width: 80; height: 90%; border: round $warning; }
    UnsegmentedScreen #about { height: auto; margin-bottom: 1; }
    UnsegmentedScreen #hint { height: 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Back", id="loose.back"),
        Binding(
            "a",
            "assign",
            "Put in a segment",
            id="loose.assign",
            tooltip="Put the person under the cursor in a segment",
        ),
    ]

    def __init__(self, book: Book) -> None:
        super().__init__()
        self.book = book

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(id="about")
            yield LooseTable(id="loose")
            yield Static("a put in a segment · Enter show person · Esc back", id="hint")

    def on_mount(self) -> None:
        self.query_one(Vertical).border_title = "In no segment"
        self._fill()
        self.query_one(LooseTable).focus()

    def book_changed(self) -> None:
        db = getattr(self.app, "db", None)
        self.book = db.book if db is not None else self.book
        self._fill()

    def _fill(self) -> None:
        loose = audience(self.book).unsegmented
        about = "Everyone is in a segment."
        if loose:
            about = f"{plural(len(loose), 'person', 'people')} no rule finds and no one put in a segment."
        self.query_one("#about", Static).update(about)
        self.query_one(LooseTable).show(self.book, loose)

    def action_assign(self) -> None:
        person = self.book.people.get(self.query_one(LooseTable).current_key() or "")
        if person is None:
            return
        names = [s.name for s in self.book.live_segments()]

        def chosen(name: str | None) -> None:
            if name:
                self.app.put_in_segment(person.id, name)  # type: ignore[attr-defined]

        title = Text.assemble("Put ", (one_line(person.name), "bold"), " in the segment…")
        picker = PickName(title, names, placeholder="a segment's name; a new name makes one")
        self.app.push_screen(picker, chosen)

    @on(DataTable.RowSelected)
    def _chosen(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value
        if key and not key.startswith("__"):
            self.dismiss(key)
