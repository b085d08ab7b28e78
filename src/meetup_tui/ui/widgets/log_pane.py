"""The meeting log, newest first: the newest hundred entries, and more on request.

Filling a table with every entry of a 50,000-entry log takes seconds and would freeze the
screen on every change, so the pane holds the newest `PAGE` entries; its last row says how
many older ones there are, and Enter on it adds another page.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date

from rich.text import Text

from meetup_tui.domain.book import Book
from meetup_tui.domain.dates import relative_day, short_day
from meetup_tui.domain.plans import planned
from meetup_tui.domain.records import Interaction
from meetup_tui.domain.team import short_user
from meetup_tui.domain.text import one_line
from meetup_tui.ui.widgets.keyed_table import MORE, PAGE, Cell, PagedTable

__all__ = ["MORE", "OUTCOME_MARK", "PAGE", "LogPane", "kind_cell", "note_cell"]

OUTCOME_MARK = {"reached": "✓", "attempt": "✗", "noted": "•"}
READING = "__reading__"  # the row shown while the log is read (a key no entry has)


def kind_cell(item: Interaction) -> Text:
    """ "✓ coffee" (a conversation), "✗ call" (an attempt), "→ coffee" (a plan, not a try),
    "• noted" (a step written down, no contact: its kind says nothing)."""
    plan = planned(item)
    if plan is not None:
        return Text(f"→ {plan[0]}")
    if item.outcome == "noted":
        return Text(f"{OUTCOME_MARK['noted']} noted")
    return Text(f"{OUTCOME_MARK.get(item.outcome, '?')} {item.kind}")


def note_cell(item: Interaction, today: date) -> Text:
    """What was said, on one line; a plan says what is planned when ("coffee planned for Tue 1 Dec")."""
    plan = planned(item)
    if plan is not None:
        return Text(f"{plan[0]} planned for {short_day(plan[1], today)}" + (" ✓" if item.done else ""))
    return Text(one_line(item.note or item.learned or item.next_step))


class LogPane(PagedTable):
    # "10 months ago" is the longest day relative_day gives (under a thousand years away).
    COLUMNS = (
        ("When", "when", 13),
        ("", "kind", 9),
        ("Who", "who", 16),
        ("By", "by", 6),
        ("Note", "note", None),
    )
    # At 80 columns the kind is cut to its mark ("✓…"), who logged it to three letters ("sam",
    # "jo", "al…") and the names shortened, for a note.
    GIVE_WAY = (("kind", 2), ("by", 3), ("who", 7))
    MORE_AT, HINT_AT = 2, 4

    def newest(
        self, book: Book, today: date, *, limit: int
    ) -> tuple[Iterator[tuple[str, Sequence[Cell]]], int]:
        if not book.whole_read:  # opened from the file's summary: the log is being read
            return iter([(READING, ("", "", "", "", Text("Reading the log…", style="dim italic")))]), 0
        newest, total = book.newest_interactions(limit)
        return self._rows(book, today, newest), total

    def _rows(
        self, book: Book, today: date, items: list[Interaction]
    ) -> Iterator[tuple[str, Sequence[Cell]]]:
        for item in items:
            names = [book.people[p].name for p in item.people if p in book.people]
            yield (
                item.id,
                (
                    relative_day(item.when.date(), today),
                    kind_cell(item),
                    Text(one_line(", ".join(names))),
                    short_user(item.logged_by),
                    note_cell(item, today),
                ),
            )
