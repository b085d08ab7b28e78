"""Today's outreach: who to contact, the suggested action, and why."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from rich.text import Text

from meetup_tui.domain.outreach import Suggestion
from meetup_tui.domain.text import one_line
from meetup_tui.ui.widgets.keyed_table import PAGE, Cell, PagedTable


class OutreachPane(PagedTable):
    """The day's cap of suggestions; with m, all of them, a page at a time (the newest
    `PAGE`, then Enter on "+ N more" for another page: filling the table with a thousand
    people due would freeze the screen)."""

    # "Why" holds when we last talked ("last talked 47 days ago, monthly"): no column for it.
    COLUMNS = (("Do", "do", 11), ("Who", "who", 18), ("Why", "why", None))
    # On a phone-sized screen the names give the reasons a few cells (most names are shorter).
    GIVE_WAY = (("who", 14),)
    OPEN_AT_LEAST = 30
    MORE_AT, MORE_WORD = 1, "more"

    def show(self, suggestions: list[Suggestion], cap: int, show_all: bool, anyone: bool = True) -> None:
        """`anyone`: whether the book has people at all (an empty one says how to start)."""
        if not show_all:
            self.limit = PAGE  # m again starts from the first page
        super().show(suggestions, cap, show_all, anyone)

    def show_at_least(self, count: int) -> None:
        """Pages enough for the first `count` suggestions (to put the cursor on one of them)."""
        while self.limit < count:
            self.limit += PAGE

    def newest(
        self, suggestions: list[Suggestion], cap: int, show_all: bool, anyone: bool, *, limit: int
    ) -> tuple[Iterator[tuple[str, Sequence[Cell]]], int]:
        return self._rows(suggestions, cap, show_all, anyone, limit), len(suggestions) if show_all else 0

    def _rows(
        self, suggestions: list[Suggestion], cap: int, show_all: bool, anyone: bool, limit: int
    ) -> Iterator[tuple[str, Sequence[Cell]]]:
        shown = suggestions[:limit] if show_all else suggestions[:cap]
        for item in shown:
            why = " · ".join(one_line(r) for r in item.reasons)
            name = Text(one_line(item.person.name), style="bold")
            yield item.person.id, (Text(f"{item.symbol} {item.action}"), name, Text(why))
        hidden = len(suggestions) - len(shown)
        if hidden > 0 and not show_all:
            yield "__more__", ("", Text(f"+ {hidden} more", style="italic"), "press m to show all")
        if not anyone:
            start = "press a to add someone, i to import contacts"  # whole at 80 columns
            yield "__none__", ("", Text("No one here yet", style="italic"), start)
        elif not suggestions:
            yield "__none__", ("", Text("All caught up", style="italic"), "nobody is due today")
