"""One segment opened: its members, people of influence first, overdue ones marked."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from meetup_tui.domain.book import Book, is_member
from meetup_tui.domain.connectors import CONNECTOR_DAYS, connectors, connectors_words
from meetup_tui.domain.coverage import is_overdue, segment_coverage
from meetup_tui.domain.dates import relative_day
from meetup_tui.domain.membership import join, leave
from meetup_tui.domain.outreach import DEFAULT_CADENCE
from meetup_tui.domain.records import Segment
from meetup_tui.domain.segment_rules import describe_rule
from meetup_tui.domain.text import one_line
from meetup_tui.ui.screens.dialog import Dialog
from meetup_tui.ui.widgets.keyed_table import KeyedTable


class MembersTable(KeyedTable):
    # The name takes the room left; "10 months ago" is the longest relative_day.
    COLUMNS = (
        ("", "due", 5),
        ("Who", "who", None),
        ("Infl.", "infl", 5),
        ("Stage", "stage", 9),
        ("Last talked", "last", 13),
    )


class SegmentMembersScreen(Dialog[str | None]):
    """Returns the id of the member chosen with Enter, or None."""

    DEFAULT_CSS = """
    SegmentMembersScreen > #dialog { width: 90%; max-width: 80; height: 90%; border: round $accent; }
    SegmentMembersScreen #about { height: auto; margin-bottom: 1; }
    SegmentMembersScreen #hint { height: 1; color: $text-muted; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Back", id="segment.back"),
        Binding("a", "add_selected", "Add", id="segment.add", tooltip="Put the selected person in by hand"),
        Binding(
            "r", "remove", "Take out", id="segment.remove", tooltip="Take the member under the cursor out"
        ),
        Binding("e", "edit", "Edit segment", id="segment.edit", tooltip="Change its rule, name or cadence"),
        Binding(
            "o",
            "give_unowned",
            "Give unowned",
            id="segment.give",
            tooltip="Give its unowned members to a colleague",
        ),
    ]

    def __init__(self, book: Book, segment: Segment, today: date, default: str = DEFAULT_CADENCE) -> None:
        super().__init__()
        self.book, self.segment, self.today = book, segment, today
        self.default = default  # the settings' default_cadence

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(id="about")
            yield MembersTable(id="members")
            yield Static("Enter person · a add selected · r take out · e edit · Esc back", id="hint")

    def on_mount(self) -> None:
        self._fill()
        self.query_one(MembersTable).focus()

    def book_changed(self) -> None:
        """The app changed the book (here or from another machine): show it as it is now."""
        db = getattr(self.app, "db", None)
        self.book = db.book if db is not None else self.book
        segment = self.book.segments.get(self.segment.id)
        if segment is None or segment.deleted:
            self.dismiss(None)
            return
        self.segment = segment
        self._fill()

    def action_edit(self) -> None:
        self.app.edit_segment(self.segment.id)  # type: ignore[attr-defined]

    def action_give_unowned(self) -> None:
        members = self.book.members(self.segment)
        self.app.give_unowned(members, one_line(self.segment.name))  # type: ignore[attr-defined]

    def action_remove(self) -> None:
        """Out by hand: off the include list, and on the exclude list if the rule matches."""
        person = self.book.people.get(self.query_one(MembersTable).current_key() or "")
        if person is None:
            return
        self._change(leave(self.segment, person), f"Took {one_line(person.name)} out of")

    def action_add_selected(self) -> None:
        """In by hand: the person selected on the main screen."""
        selected = getattr(self.app, "selected_person", lambda: None)()
        if selected is None:
            self.notify("Select a person on the main screen first (/ finds one).", severity="warning")
        elif is_member(self.segment, selected):
            self.notify(f"{one_line(selected.name)} is already in it.", markup=False)
        else:
            self._change(join(self.segment, selected), f"Put {one_line(selected.name)} in")

    def _change(self, changed: Segment, said: str) -> None:
        if changed is not self.segment:
            message = f"{said} {one_line(self.segment.name)}."
            self.app.change(self.segment, message, include=changed.include, exclude=changed.exclude)  # type: ignore[attr-defined]

    def _fill(self) -> None:
        self.query_one(Vertical).border_title = Text(one_line(self.segment.name))  # data, not markup
        last = self.book.last_contacts()
        covered, total = segment_coverage(self.book, self.segment, self.today, self.default)
        about = Text(one_line(self.segment.description) + "\n" if self.segment.description else "")
        about.append(f"{total} people · {covered} in touch within their cadence\n")
        about.append(f"Rule: {one_line(describe_rule(self.segment.rule))}\n", style="dim")
        found = connectors(self.book, self.segment, self.today, days=CONNECTOR_DAYS)
        about.append(connectors_words(found, CONNECTOR_DAYS))
        for connector in found:
            mark = "✓" if connector.touched else "✗ not touched"
            about.append(f"\n  {one_line(connector.person.name)}", style="bold")
            about.append(f" influence {connector.influence} · introduced {connector.introduced} · {mark}")
        self.query_one("#about", Static).update(about)
        members = sorted(self.book.members(self.segment), key=lambda p: (-p.influence, p.name.casefold()))
        rows = []
        for person in members:
            contacted = last.get(person.id)
            overdue = is_overdue(self.book, person, contacted, self.today, self.default)
            rows.append(
                (
                    person.id,
                    (
                        Text("! due" if overdue else ""),
                        Text(one_line(person.name), style="bold" if person.influence >= 4 else ""),
                        str(person.influence),
                        one_line(person.stage),
                        relative_day(contacted, self.today) if contacted else "never",
                    ),
                )
            )
        self.query_one(MembersTable).refill(rows)

    @on(DataTable.RowSelected)
    def _chosen(self, event: DataTable.RowSelected) -> None:
        self.dismiss(event.row_key.value)
