"""The stage board (`J`): one column per stage of the settings, its people most influence
first, how many moved into it lately and after how many talks; `]` / `[` move the person
under the cursor a stage forward / back, each move logged with its date (domain/journey.py).

Everyone, or one segment's members: `s` goes through the segments.  The screen only shows
the book; a move is made through the app's `commit`, and the app calls `book_changed`
after every change, its own or one from another machine.
"""

from __future__ import annotations

import contextlib
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option, OptionDoesNotExist

from meetup_tui.domain.clock import Clock
from meetup_tui.domain.dates import iso_minute
from meetup_tui.domain.journey import StageFigures, journey, move_entry, step, talks_words
from meetup_tui.domain.records import Person, Segment
from meetup_tui.domain.text import one_line, plural
from meetup_tui.store.database import Database
from meetup_tui.ui.screens.dialog import Dialog
from meetup_tui.ui.widgets.footer import Footer


def board_order(person: Person) -> tuple[int, str, str]:
    return (-person.influence, person.name.casefold(), person.id)


class StageColumn(Vertical):
    """A stage: its name and head count, its figures, its people."""

    DEFAULT_CSS = """
    StageColumn { width: 1fr; height: 1fr; border: round $panel; }
    StageColumn:focus-within { border: heavy $accent; }
    StageColumn .head { text-style: bold; height: auto; }
    StageColumn .figures { color: $text-muted; height: auto; margin-bottom: 1; }
    StageColumn OptionList, StageColumn OptionList:focus { height: 1fr; border: none; padding: 0; }
    StageColumn OptionList { text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def __init__(self, stage: str, index: int) -> None:
        super().__init__(id=f"stage-{index}")
        self.stage = stage

    def compose(self) -> ComposeResult:
        yield Static(classes="head")
        yield Static(classes="figures")
        yield OptionList()

    def show(self, people: list[Person], figures: StageFigures) -> None:
        self.query_one(".head", Static).update(Text(f"{one_line(self.stage).capitalize()} {len(people)}"))
        self.query_one(".figures", Static).update(Text(board_words(figures)))
        listing = self.query_one(OptionList)
        chosen = listing.highlighted_option.id if listing.highlighted_option is not None else None
        names = (Text(one_line(p.name), no_wrap=True, overflow="ellipsis") for p in people)
        listing.set_options(Option(name, id=p.id) for name, p in zip(names, people, strict=True))
        ids = [p.id for p in people]
        if ids:
            listing.highlighted = (
                ids.index(chosen) if chosen in ids else min(listing.highlighted or 0, len(ids) - 1)
            )


def board_words(figures: StageFigures) -> str:
    """A column's figures in two short lines: "30d 1 · 90d 4" and "median 2 talks"."""
    recent, longer = figures.moved
    talks = "median —" if figures.median_talks is None else f"median {talks_words(figures.median_talks)}"
    return f"30d {recent} · 90d {longer}\n{talks}"


class StageBoard(Dialog[None]):
    DEFAULT_CSS = """
    StageBoard > #dialog { width: 100%; height: 100%; border: round $accent; padding: 0; }
    StageBoard #columns { height: 1fr; }
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
        Binding("right,l", "column(1)", "Next stage", id="board.right", show=False),
        Binding("left,h", "column(-1)", "Previous stage", id="board.left", show=False),
        Binding("s", "segment", "Segment", id="board.segment", tooltip="Board: everyone, or a segment"),
        Binding("escape", "cancel", "Close", id="board.close", tooltip="Board: back to today's list"),
    ]

    def __init__(
        self, db: Database, clock: Clock, stages: tuple[str, ...], segment: Segment | None = None
    ) -> None:
        super().__init__()
        self.db, self.clock, self.stages = db, clock, stages
        self.segment_id = segment.id if segment is not None else None

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(id="about")
            with Horizontal(id="columns"):
                for index, stage in enumerate(self.stages):
                    yield StageColumn(stage, index)
        yield Footer()

    def on_mount(self) -> None:
        self._show()
        self.query(OptionList).first().focus()

    def book_changed(self) -> None:
        if self.is_mounted:
            self._show()

    def _segment(self) -> Segment | None:
        segment = self.db.book.segments.get(self.segment_id or "")
        return segment if segment is not None and not segment.deleted else None

    def _show(self) -> None:
        book, segment = self.db.book, self._segment()
        people = book.members(segment) if segment is not None else book.live_people()
        found = journey(book, self.clock.today(), people, self.stages)
        figures = {f.stage: f for f in found.stages}
        for column in self.query(StageColumn):
            here = sorted((p for p in people if p.stage == column.stage), key=board_order)
            column.show(here, figures[column.stage])
        whose = one_line(segment.name) if segment is not None else "Everyone"
        others = sum(1 for p in people if p.stage not in self.stages)
        at_other = f"; {plural(others, 'person')} at a stage the settings do not list" if others else ""
        self.query_one(
            Vertical
        ).border_title = f"The journey — {whose} ({plural(len(people), 'person', 'people')})"
        self.query_one("#about", Static).update(
            Text(f"Moved into each stage in 30 / 90 days; median talks before the move{at_other}")
        )

    def _listing(self) -> OptionList | None:
        focused = self.focused
        return focused if isinstance(focused, OptionList) else None

    def action_column(self, by: int) -> None:
        lists = list(self.query(OptionList))
        listing = self._listing()
        at = lists.index(listing) if listing in lists else 0
        lists[(at + by) % len(lists)].focus()

    def action_segment(self) -> None:
        segments = self.db.book.live_segments()
        ids = [None, *(s.id for s in segments)]
        at = ids.index(self.segment_id) if self.segment_id in ids else 0
        self.segment_id = ids[(at + 1) % len(ids)]
        self._show()

    def action_move(self, by: int) -> None:
        listing = self._listing()
        option = listing.highlighted_option if listing is not None else None
        person = self.db.book.people.get(option.id or "") if option is not None else None
        if person is None or person.deleted:
            self.notify("No one here to move.", severity="warning")
            return
        after = step(self.stages, person.stage, by)
        if after is None:
            where = "last" if by > 0 else "first"
            self.notify(f"{one_line(person.name)} is at the {where} stage.", markup=False)
            return
        db, now = self.db, iso_minute(self.clock.now())
        records = [db.stamp(person, seen=person, stage=after), db.stamp_new(move_entry(person, after, now))]
        said = f"Moved {one_line(person.name)} to {one_line(after)}: logged."
        if self.app.commit(*records, message=said):  # type: ignore[attr-defined]
            self._show()  # (the book has the move at once; the app's refresh comes a frame later)
            self._follow(person.id, after)

    def _follow(self, person_id: str, stage: str) -> None:
        """The cursor goes with the person moved, into their new column."""
        for column in self.query(StageColumn):
            if column.stage == stage:
                listing = column.query_one(OptionList)
                listing.focus()
                with contextlib.suppress(OptionDoesNotExist):  # not shown here: stay on the column
                    listing.highlighted = listing.get_option_index(person_id)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
