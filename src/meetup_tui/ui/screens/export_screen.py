"""Export from the command palette: people as CSV, vCards, the calendar feed or the whole
database, to a file beside the database unless another path is typed; and the path box
(with completion from the folder typed) that this dialog and the import's share.

The book's tables are copied on the UI thread (a few dict copies); the encoding and the
atomic write run in a worker; the screen dismisses with the path written.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Vertical
from textual.suggester import Suggester
from textual.widgets import Input, Static

from meetup_tui.contacts.exporting import export_payload
from meetup_tui.domain.book import Book
from meetup_tui.domain.text import one_line
from meetup_tui.store import jsonfile
from meetup_tui.store.database import Database
from meetup_tui.ui.screens.dialog import Dialog

CONTACT_SUFFIXES = (".vcf", ".vcard", ".csv")  # offered first when completing a path


@dataclass(frozen=True)
class Export:
    title: str  # the command's name in the palette
    help: str
    suffix: str  # of the default file name: <db stem><suffix> beside the database


EXPORTS = {
    "csv": Export("Export people as CSV", "People, one row each, for a spreadsheet", "-people.csv"),
    "vcard": Export(
        "Export vCards", "Everyone as vCard 4.0, for a phone (import reads it back)", "-contacts.vcf"
    ),
    "ics": Export(
        "Export the calendar feed (.ics)",
        "Follow-ups, planned meetings and birthdays, for a calendar",
        "-calendar.ics",
    ),
    "json": Export(
        "Export the whole database (JSON)", "Every record, in the file's own shape", "-export.json"
    ),
}


def export_commands(run: Callable[[str], Any]) -> Iterator[SystemCommand]:
    """One palette entry per format; `run(layout)` opens its dialog."""
    for layout, export in EXPORTS.items():
        yield SystemCommand(export.title, export.help, lambda layout=layout: run(layout))  # type: ignore[misc]


def book_copy(book: Book) -> Book:
    """The book's tables, copied on the UI thread for a worker to read: the file's watcher
    may merge into the book meanwhile (records are replaced, never changed in place)."""
    return Book(
        people=dict(book.people),
        segments=dict(book.segments),
        interactions=dict(book.interactions),
        posts=dict(book.posts),
        extra_tables=dict(book.extra_tables),
    )


# -- the path box of both dialogs (import and export): completion from the folder typed --


def complete_path(value: str) -> str | None:
    """`value` completed with a name from the folder it names (`~` expanded), or None.

    Folders get a `/`; hidden names only when the part typed starts with a dot.  Contact
    files come first, then folders, then the rest, each in name order."""
    if value == "~":
        return "~/"
    cut = max(value.rfind("/"), value.rfind(os.sep))
    typed_folder, start = value[: cut + 1], value[cut + 1 :]
    folder = Path(os.path.expanduser(typed_folder)) if typed_folder else Path(".")
    found: list[tuple[int, str, str]] = []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                name = entry.name
                if not name.startswith(start) or (name.startswith(".") and not start.startswith(".")):
                    continue
                is_dir = entry.is_dir()
                rank = 0 if name.lower().endswith(CONTACT_SUFFIXES) and not is_dir else 1 if is_dir else 2
                found.append((rank, name.casefold(), name + ("/" if is_dir else "")))
    except OSError:
        return None
    for _, _, name in sorted(found):
        if name != start:
            return typed_folder + name
    return None


class PathSuggester(Suggester):
    """Suggests `complete_path` (the folder is listed off the event loop, never cached)."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        return await asyncio.to_thread(complete_path, value)


class PathInput(Input):
    """An Input for a path: it suggests a completion (`PathSuggester`), and Tab takes the
    suggestion (as Right does) or, with none, moves to the next field."""

    BINDINGS = [Binding("tab", "complete", "Complete", show=False)]

    def __init__(self, value: str = "", **options: Any) -> None:
        super().__init__(value, suggester=PathSuggester(), **options)

    def action_complete(self) -> None:
        suggestion = self._suggestion  # Input keeps the suggestion it shows here
        if self.cursor_at_end and len(suggestion) > len(self.value):
            self.value = suggestion
            self.cursor_position = len(self.value)
        else:
            self.screen.focus_next()


# -- the export dialog ---------------------------------------------------------------------------


class ExportScreen(Dialog[Path | None]):
    """Ask where to write; write there (Enter); dismiss with the path, or None on Escape."""

    DEFAULT_CSS = """
    ExportScreen .title { margin-bottom: 1; }
    ExportScreen .hint { margin-top: 1; }
    """

    AUTO_FOCUS = "#out"

    def __init__(self, db: Database, kind: str, today: date) -> None:
        super().__init__()
        self.db = db
        self.kind = kind
        self.today = today
        self.writing = False

    def default_path(self) -> Path:
        return self.db.path.with_name(self.db.path.stem + EXPORTS[self.kind].suffix)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(EXPORTS[self.kind].title, classes="title")
            yield PathInput(str(self.default_path()), placeholder="where to write it", id="out")
            yield Static("", id="error")
            yield Static("Enter write (a file there is replaced) · Esc cancel", classes="hint")

    def show_error(self, sentence: str) -> None:
        error = self.query_one("#error", Static)
        error.update(Text(sentence))
        error.set_class(bool(sentence), "shown")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.writing:
            return
        typed = event.value.strip()
        if not typed:
            self.show_error("Type where to write the file.")
            return
        out = Path(os.path.expanduser(typed))
        if out.is_dir():
            self.show_error(f"{one_line(typed)} is a folder; add a file name.")
            return
        if out.resolve() == self.db.path.resolve():
            self.show_error("That is the database itself; give another file.")
            return
        self.writing = True
        self.show_error("")
        self.write(out, book_copy(self.db.book), dict(self.db.meta))

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def write(self, out: Path, book: Book, meta: dict[str, Any]) -> None:
        try:
            jsonfile.write_atomic(out, export_payload(self.kind, book, meta, self.today))
        except Exception as exc:
            self.app.call_from_thread(self.failed, jsonfile.sentence_for(exc))
            return
        self.app.call_from_thread(self.dismiss, out)

    def action_cancel(self) -> None:
        if not self.writing:  # once writing, the file is written whole (or an error is shown)
            self.dismiss(None)

    def failed(self, sentence: str) -> None:
        self.writing = False
        self.show_error(sentence)
