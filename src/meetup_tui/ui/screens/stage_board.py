"""The stage board (`J`): one column per stage of the settings, its people most influence
first, under a head that says how many are there, how many moved into it in 30 / 90 days
and the median of talks before; `]` / `[` move the person under the cursor a stage
forward / back, each move logged with its date (domain/journey.py).

Everyone, or one segment's members: `s` goes through the segments.  The board is one
table with a cell cursor (←/→ between stages, ↑/↓ in one): a table draws only the rows on
screen, where a list per stage laid out all of its people first.  The screen only shows
the book; a move is made through the app's `commit`, and the app calls `book_changed`
after every change, its own or one from another machine.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Static

from meetup_tui.domain.clock import Clock
from meetup_tui.domain.collector import collector_paused
from meetup_tui.domain.dates import iso_minute
from meetup_tui.domain.journey import StageFigures, journey, move_entry, step, talks_words
from meetup_tui.domain.records import Person, Segment
from meetup_tui.domain.text import one_line, plural
from meetup_tui.store.database import Database
from meetup_tui.ui.screens.book_view import BookView
from meetup_tui.ui.widgets.footer import Footer
from meetup_tui.ui.widgets.keyed_table import one_line_cell

SHOWN = 100  # people a column lists; past them a last cell says how many more
FIRST = 40  # rows put in the table at once, the rest a frame later


def board_order(person: Person) -> tuple[int, str, str]:
    return (-person.influence, person.name.casefold(), person.id)


def board_head(stage: str, people: int, figures: StageFigures) -> Text:
    """A column's head: "Lead 8", "30d 1 · 90d 4", "median 2 talks"."""
    recent, longer = figures.moved
    talks = "median —" if figures.median_talks is None else f"median {talks_words(figures.median_talks)}"
    head = Text(f"{one_line(stage).capitalize()} {people}\n", style="bold")
    head.append(f"30d {recent} · 90d {longer}\n{talks}", style="not bold")
    return head


class BoardTable(DataTable[Text]):
    """The stages side by side, each as wide as the room allows."""

    DEFAULT_CSS = """
    BoardTable { height: 1fr; overflow-x: hidden; }
    """
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("l", "cursor_right", "Next stage", show=False),
        Binding("h", "cursor_left", "Previous stage", show=False),
    ]

    def __init__(self, stages: tuple[str, ...]) -> None:
        super().__init__(id="board", cursor_type="cell", zebra_stripes=False, header_height=3)
        self.stages = stages
        self.ids: list[list[str | None]] = []  # [row][column] -> person id

    def on_resize(self, _: events.Resize) -> None:
        self._fit()

    def _fit(self) -> None:
        """Every stage the same width, the room shared out (Textual sets no width once added)."""
        if not self.columns:
            return
        room = self.scrollable_content_region.width - 2 * self.cell_padding * len(self.columns)
        width = max(room // len(self.columns), 4)
        for column in self.columns.values():
            column.auto_width, column.width = False, width
        self._clear_caches()
        self.refresh()

    def fill(self, columns: list[tuple[Text, list[Person]]], keep: str | None) -> None:
        """The people of each stage (best first): the first SHOWN, and `keep` (the person
        under the cursor, or one just moved) wherever they are; the cursor stays on them."""
        chosen = keep or self.current_id()
        at = self.cursor_coordinate
        shown = [people[:SHOWN] + [p for p in people[SHOWN:] if p.id == chosen] for _, people in columns]
        more = [len(people) - len(listed) for (_, people), listed in zip(columns, shown, strict=True)]
        rows = max((len(listed) + (extra > 0) for listed, extra in zip(shown, more, strict=True)), default=0)
        self.clear(columns=True)
        for head, _ in columns:
            self.add_column(head)
        self.ids = [self._row(row, shown, more) for row in range(rows)]
        found = self.place_of(chosen) if chosen else None
        first = max(FIRST, found.row + 1 if found is not None else 0, at.row + 1)
        for row, ids in enumerate(self.ids[:first]):
            self.add_row(*self._cells(ids, row, shown, more))
        if rows > first:  # the rest once this frame is drawn: a full column at once stalled the screen
            self.call_after_refresh(self._add_rows, self.ids, first, shown, more)
        self._fit()
        if found is not None:
            self.move_cursor(row=found.row, column=found.column, animate=False)
        elif rows:
            self.move_cursor(row=min(at.row, rows - 1), column=at.column, animate=False)

    def _add_rows(
        self, ids: list[list[str | None]], start: int, shown: list[list[Person]], more: list[int]
    ) -> None:
        if ids is self.ids:  # else filled again since
            for row in range(start, len(ids)):
                self.add_row(*self._cells(ids[row], row, shown, more))

    @staticmethod
    def _row(row: int, shown: list[list[Person]], more: list[int]) -> list[str | None]:
        return [listed[row].id if row < len(listed) else None for listed in shown]

    @staticmethod
    def _cells(ids: list[str | None], row: int, shown: list[list[Person]], more: list[int]) -> list[Text]:
        cells: list[Text] = []
        for listed, extra in zip(shown, more, strict=True):
            if row < len(listed):
                cells.append(one_line_cell(one_line(listed[row].name)))
            elif row == len(listed) and extra:
                cells.append(Text(f"+ {extra:,} more (s)", style="italic"))
            else:
                cells.append(Text(""))
        return cells

    def current_id(self) -> str | None:
        at = self.cursor_coordinate
        if at.row < len(self.ids) and at.column < len(self.ids[at.row]):
            return self.ids[at.row][at.column]
        return None

    def place_of(self, person_id: str) -> Coordinate | None:
        for row, ids in enumerate(self.ids):
            if person_id in ids:
                return Coordinate(row, ids.index(person_id))
        return None


class StageBoard(BookView):
    DEFAULT_CSS = """
    StageBoard > #dialog { padding: 0; }
    StageBoard #about { height: auto; padding: 0 1; color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "right_square_bracket,shift+right,greater_than_sign",
            "move(1)",
            "Forward",
            id="board.forward",
            key_display="]",
            tooltip="Board: move the person a stage forward (logged)",
        ),
        Binding(
            "left_square_bracket,shift+left,less_than_sign",
            "move(-1)",
            "Back a stage",
            id="board.back",
            key_display="[",
            tooltip="Board: move the person a stage back (logged)",
        ),
        Binding("s", "segment", "Segment", id="board.segment", tooltip="Board: everyone, or a segment"),
        Binding("escape", "cancel", "Close", id="board.close", tooltip="Board: back to today's list"),
    ]

    def __init__(
        self, db: Database, clock: Clock, stages: tuple[str, ...], segment: Segment | None = None
    ) -> None:
        super().__init__(db, segment)
        self.clock, self.stages = clock, stages
        self.keep: str | None = None  # the person just moved: the cursor follows them
        self.table = BoardTable(stages)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(id="about")
            yield self.table
        yield Footer()

    def release(self) -> None:
        self.table.ids = []
        self.table.clear(columns=True)

    def on_mount(self) -> None:
        self._show()
        self.query_one(BoardTable).focus()

    def book_changed(self) -> None:
        if self.is_mounted:
            self._show(self.keep)
            self.keep = None

    def _show(self, keep: str | None = None) -> None:
        """The board as the book is now, worked out in a thread (the journey and the order
        of 5,000 people: ~15 ms), drawn here; `keep`: the person just moved."""
        self._work(keep)

    @work(thread=True, exclusive=True, group="board", exit_on_error=False)
    def _work(self, keep: str | None) -> None:
        with self.db.held() as book, collector_paused():  # no collection in this thread: it holds the GIL
            segment = self.segment_in(book)
            people = book.members(segment) if segment is not None else book.live_people()
            found = journey(book, self.clock.today(), people, self.stages)
        figures = {f.stage: f for f in found.stages}
        by_stage: dict[str, list[Person]] = {stage: [] for stage in self.stages}
        for person in sorted(people, key=board_order):
            by_stage.get(person.stage, []).append(person)
        columns = [
            (board_head(stage, len(by_stage[stage]), figures[stage]), by_stage[stage])
            for stage in self.stages
        ]
        others = sum(1 for p in people if p.stage not in self.stages)
        whose = one_line(segment.name) if segment is not None else "Everyone"
        title = f"The journey — {whose} ({plural(len(people), 'person', 'people')})"
        self.show_from_thread(self._fill, title, columns, others, keep)

    def _fill(
        self, title: str, columns: list[tuple[Text, list[Person]]], others: int, keep: str | None
    ) -> None:
        self.query_one(BoardTable).fill(columns, keep)
        self.query_one(Vertical).border_title = title
        at_other = f"; {plural(others, 'person')} at a stage the settings do not list" if others else ""
        self.query_one("#about", Static).update(
            Text(f"Moved into each stage in 30 / 90 days; median talks before the move{at_other}")
        )

    def action_move(self, by: int) -> None:
        person = self.db.book.people.get(self.query_one(BoardTable).current_id() or "")
        if person is None or person.deleted:
            self.notify("No one here to move.", severity="warning")
            return
        after = step(self.stages, person.stage, by)
        if after is None:
            where = "last" if by > 0 else "first"
            self.notify(f"{one_line(person.name)} is at the {where} stage.", markup=False)
            return
        db, now = self.db, iso_minute(self.clock.now())
        records = [db.stamp(person, seen=person, stage=after), db.stamp_new(move_entry(person, after, now, db.user))]
        said = f"Moved {one_line(person.name)} to {one_line(after)}: logged."
        if self.app.commit(*records, message=said):  # type: ignore[attr-defined]
            self.keep = person.id  # the app's refresh shows the board again: the cursor goes with them
