"""What can be done to one log entry: open it whole, edit it, delete it, mark its step done;
and the history view (a person's whole log, or the log filtered by a query line).

A mixin of `MeetupApp`, as `PersonActions` is; the log pane and the history screen call
these with the entry's id.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from meetup_tui.domain.records import Interaction, Record
from meetup_tui.domain.steps import marked_done, step_words
from meetup_tui.domain.text import one_line

if TYPE_CHECKING:
    from meetup_tui.ui.app import MeetupApp

    _Base = MeetupApp
else:
    _Base = object


class LogActions(_Base):
    def step_marks(self, steps: Iterable[Interaction]) -> list[Record]:
        """The steps marked done today, as the book has them now (stamped, not committed);
        a step someone else closed or deleted meanwhile is left as it is."""
        held = self.db.book.interactions
        current = [c for s in steps if (c := held.get(s.id)) is not None and c.step_open]
        return [self.db.stamp(step) for step in marked_done(current, self.clock.today())]

    def focused_entry(self) -> str | None:
        """The id of the log entry under the cursor when the log pane has the focus."""
        from meetup_tui.ui.widgets.log_pane import LogPane

        focused = self.focused
        return focused.current_key() if isinstance(focused, LogPane) else None

    def action_history(self) -> None:
        """Every entry with the selected person (the whole log when nobody is selected)."""
        person = self.selected_person()
        query = f'who:"{one_line(person.name)}"' if person is not None else ""
        self.open_history(query)

    def action_filter_log(self) -> None:
        self.open_history("")

    def open_history(self, query: str) -> None:
        from meetup_tui.ui.screens.history_screen import HistoryScreen

        self.push_screen(HistoryScreen(query))

    # -- one entry --------------------------------------------------------------------------

    def _entry(self, entry_id: str) -> Interaction | None:
        item = self.db.book.interactions.get(entry_id)
        if item is None or item.deleted:
            self.notify("That log entry is gone (deleted meanwhile?).", severity="warning")
            return None
        return item

    def open_entry(self, entry_id: str) -> None:
        """The entry whole: when, who, what was said and learned, the step, who logged it."""
        from meetup_tui.ui.screens.entry_screen import EntryScreen

        item = self._entry(entry_id)
        if item is not None:
            self.push_screen(EntryScreen(entry_id))

    def edit_entry(self, entry_id: str) -> None:
        """Correct the entry in the log form; only the fields changed get new versions."""
        from meetup_tui.ui.screens.log_form import LogForm

        item = self._entry(entry_id)
        if item is None:
            return

        def corrected(fixed: Interaction | None) -> None:
            if fixed is None:
                return
            changes = {name: getattr(fixed, name) for name in _CORRECTABLE}
            changes = {k: v for k, v in changes.items() if getattr(item, k) != v}
            if not changes:
                return
            # People the form added (ctrl+n) are written with the entry that names them.
            added = [self.db.stamp(p) for p in form.new_people()]
            current = self.db.book.interactions.get(item.id, item)
            message = "Corrected the log entry."
            if added:
                message += f" Added {', '.join(one_line(p.name) for p in added)}."
            self.commit(*added, self.db.stamp(current, seen=item, **changes), message=message)

        form = LogForm(self.db.book, self.clock, [], dayfirst=self.settings.dayfirst, entry=item)
        self.push_screen(form, corrected)

    def delete_entry(self, entry_id: str) -> None:
        item = self._entry(entry_id)
        if item is not None and self.change(item, "Deleted the log entry — u to undo.", deleted=True):
            self.deleted.append(item)

    def toggle_step(self, entry_id: str) -> None:
        """Mark the entry's next step done, or open again."""
        item = self._entry(entry_id)
        if item is None:
            return
        today = self.clock.today()
        if not item.has_step:
            self.notify("That entry has no next step.", severity="warning")
        elif item.done:
            self.change(item, f"Open again: {step_words(item, today)}.", done="")
        else:
            self.change(
                item, f"Done: {step_words(item, today)} — x again reopens it.", done=today.isoformat()
            )

    def action_step_done(self) -> None:
        """x: the step of the log entry under the cursor, else the selected person's open
        step due first."""
        if key := self.focused_entry():
            self.toggle_step(key)
            return
        person = self.selected_person()
        if person is None:
            self.notify("Select a person first (arrows or /).", severity="warning")
            return
        steps = self.db.book.open_steps(person.id)
        if not steps:
            self.notify(f"{one_line(person.name)} has no open next step.", severity="warning")
            return
        self.toggle_step(steps[0].id)


_CORRECTABLE = ("at", "people", "kind", "outcome", "where", "note", "learned", "next_step", "follow_up")
