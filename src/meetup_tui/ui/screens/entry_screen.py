"""One log entry, whole: when and where, with whom, what was said and learned, the next step
and whether it is done, who logged it and who changed it last.  e corrects it, d deletes it
(u brings it back), x marks its step done or open again."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from meetup_tui.domain.book import Book
from meetup_tui.domain.dates import long_day, relative_day, short_day
from meetup_tui.domain.plans import plan_words
from meetup_tui.domain.records import Interaction
from meetup_tui.domain.steps import step_words
from meetup_tui.domain.text import one_line, visible
from meetup_tui.ui.screens.dialog import Dialog

if TYPE_CHECKING:
    from meetup_tui.ui.app import MeetupApp

OUTCOME_WORDS = {
    "reached": "a real conversation",
    "attempt": "an attempt (no conversation)",
    "noted": "a step noted (no contact made)",
}
HINT = "e correct · d delete · x step done / open · Esc back"


def entry_text(item: Interaction, book: Book, today: date) -> Text:
    """Every field of the entry a person wrote, labelled, text from the file shown as data."""
    text = Text()

    def line(label: str, value: str, style: str = "") -> None:
        text.append(f"{label}: ", style="bold")
        text.append(value + "\n", style=style)

    when = item.when
    line("When", f"{long_day(when.date())} at {when:%H:%M} ({relative_day(when.date(), today)})")
    names = [book.people[p].name for p in item.people if p in book.people]
    line("With", one_line(", ".join(names)) or "nobody in the book now")
    outcome = OUTCOME_WORDS.get(item.outcome, f"outcome {one_line(item.outcome)!r}")
    line("What", plan_words(item, today) or f"{item.kind}, {outcome}")
    if item.where:
        line("Where", one_line(item.where))
    if item.note:
        line("Note", visible(item.note))
    if item.learned:
        line("Learned", visible(item.learned))
    if item.has_step:
        if item.done:
            done = date.fromisoformat(item.done[:10])
            line("Next step", f"{step_words(item, today)} — ✓ done {short_day(done, today)}")
        else:
            line("Next step", f"{step_words(item, today)} — open")
    if item.stage_change:
        line("Stage", f"→ {one_line(item.stage_change)}")
    logged = item.logged_by or item.created_by or item.updated_by or "someone"
    changed = date.fromisoformat(item.updated_at[:10])
    line("Logged by", one_line(logged), style="dim")
    if item.updated_at != item.created_at and item.updated_by:
        line("Last changed", f"{relative_day(changed, today)} by {one_line(item.updated_by)}", "dim")
    text.rstrip()
    return text


class EntryScreen(Dialog[None]):
    DEFAULT_CSS = """
    EntryScreen #dialog { width: 80; }
    EntryScreen #entry { height: auto; max-height: 100%; }
    EntryScreen #body { height: auto; }
    EntryScreen .hint { dock: bottom; padding-top: 1; }
    """
    BINDINGS = [
        Binding("e", "correct", "Correct", id="entry.edit", tooltip="Correct this log entry"),
        Binding("d", "delete", "Delete", id="entry.delete", tooltip="Delete this log entry (u undoes)"),
        Binding("x", "step", "Step done", id="entry.step", tooltip="Mark its next step done, or open again"),
    ]

    def __init__(self, entry_id: str) -> None:
        super().__init__()
        self.entry_id = entry_id

    @property
    def meetup(self) -> MeetupApp:
        return cast("MeetupApp", self.app)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(id="title", classes="title")
            yield Static(HINT, classes="hint")
            with VerticalScroll(id="entry"):
                yield Static(id="body")

    def on_mount(self) -> None:
        self.book_changed()

    def book_changed(self) -> None:
        """Show the entry as the book has it now; gone (deleted here or elsewhere): back."""
        item = self.meetup.db.book.interactions.get(self.entry_id)
        if item is None or item.deleted:
            self.dismiss(None)
            return
        today = self.meetup.clock.today()
        self.query_one("#title", Static).update(Text(f"Log entry · {item.kind}", style="bold"))
        self.query_one("#body", Static).update(entry_text(item, self.meetup.db.book, today))

    def action_correct(self) -> None:
        self.meetup.edit_entry(self.entry_id)

    def action_delete(self) -> None:
        self.meetup.delete_entry(self.entry_id)

    def action_step(self) -> None:
        self.meetup.toggle_step(self.entry_id)
