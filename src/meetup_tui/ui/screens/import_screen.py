"""Import contacts from a vCard or CSV file: the path (completed from its folder), what the
import would do (the dry run, a table), then the import itself, with a progress bar.

Reading and matching run in worker threads.  The import is planned again on the book as
merged with the file, under the commit lock (`Database.commit_checked`, as `meetup-tui
import` does), and written in one commit; the screen dismisses with what it did.  Escape
cancels at any point before that commit; nothing is written until then.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Input, ProgressBar, Static

from meetup_tui.contacts.card import ContactFileError, Parsed
from meetup_tui.contacts.reading import read_contacts
from meetup_tui.domain.book import Book
from meetup_tui.domain.import_plan import ImportPlan, Step, plan_import
from meetup_tui.domain.phones import locale_region
from meetup_tui.domain.records import Record
from meetup_tui.domain.text import one_line, plural
from meetup_tui.store.database import Database
from meetup_tui.store.jsonfile import sentence_for
from meetup_tui.ui.screens.dialog import Dialog, field_row
from meetup_tui.ui.screens.export_screen import PathInput, book_copy
from meetup_tui.ui.screens.person_form import split_list
from meetup_tui.ui.widgets.keyed_table import KeyedTable

LAYOUTS = {
    "vcard": "vCard",
    "csv": "CSV",
    "google": "Google CSV",
    "outlook": "Outlook CSV",
    "linkedin": "LinkedIn CSV",
}
ACTION_STYLES = {"add": "green", "merge": "yellow", "skip": "dim", "bad": "red"}


# -- what was asked, and what came of it --------------------------------------------------------


@dataclass(frozen=True)
class Request:
    """The file to import and what everyone it brings gets."""

    path: Path
    tags: tuple[str, ...]
    segment: str | None


@dataclass
class Imported:
    """What an import did, for the app to say.  `error`: the people are in the book but the
    file could not be written yet (the app keeps retrying)."""

    added: int
    merged: int
    skipped: int
    error: str = ""

    @classmethod
    def of(cls, plan: ImportPlan, error: str = "") -> Imported:
        return cls(plan.count("add"), plan.count("merge"), plan.count("skip"), error)

    def sentence(self) -> str:
        if not self.added and not self.merged:
            return f"Nothing new: {plural(self.skipped, 'person', 'people')} already in the book."
        merged = f", merged {self.merged}" if self.merged else ""
        return f"Imported {plural(self.added, 'person', 'people')}{merged}."


def summary(plan: ImportPlan) -> str:
    """ "Would add 120, merge 14, skip 3; 2 records could not be read." """
    counts = f"Would add {plan.count('add')}, merge {plan.count('merge')}, skip {plan.count('skip')}"
    bad = len(plan.bad_rows)
    return counts + (f"; {plural(bad, 'record')} could not be read." if bad else ".")


def where(lines: list[int], most: int) -> str:
    """ "6", "3, 9, 12…": the lines a person came from, at most `most` of them."""
    return ", ".join(str(n) for n in lines[:most]) + ("…" if len(lines) > most else "")


def why(step: Step) -> str:
    """What the import does with them first (a merge: the fields it adds to), then why."""
    if step.action == "merge":
        return f"adds {', '.join(step.changed)} · {one_line(step.reason)}"
    return one_line(step.reason)


@dataclass(frozen=True)
class PlanRow:
    """One line of the dry run: a person the file brings, or a record it could not read.
    Every text from the file is a Text (never markup), folded onto one line."""

    action: str
    name: str
    lines: list[int]
    why: str

    def cells(self) -> tuple[Text, Text, str, Text]:
        action = Text(self.action, style=ACTION_STYLES[self.action])
        return action, Text(self.name), where(self.lines, 2), Text(self.why)

    def detail(self) -> Text:
        """The whole row, for the line under the table (the table cuts what runs past its edge)."""
        said = "line" if len(self.lines) == 1 else "lines"
        head = f"{self.name} · " if self.name else ""
        return Text(f"{head}{said} {where(self.lines, 10)} · {self.why}")


class PlanTable(KeyedTable):
    """What the import would do, a row per contact; a cell that does not fit ends in "…"
    (the line under the table shows the whole row)."""

    COLUMNS = (("Do", "do", 5), ("Name", "name", 22), ("Line", "line", 5), ("Why", "why", None))


def plan_rows(plan: ImportPlan) -> list[PlanRow]:
    rows = [PlanRow(s.action, one_line(s.person.name), s.lines, why(s)) for s in plan.steps]
    rows += [PlanRow("bad", "", [b.line], one_line(b.reason)) for b in plan.bad_rows]
    return rows


# -- the screen ---------------------------------------------------------------------------------


class ImportScreen(Dialog[Imported | None]):
    """Ask for a file, show what importing it would do, import it on Enter or ctrl+s.

    Dismisses with `Imported` once the import is committed (the book already holds it), or
    None when cancelled (nothing written)."""

    DEFAULT_CSS = """
    ImportScreen > #dialog { width: 110; }
    ImportScreen #head { height: auto; }
    ImportScreen .title { padding-bottom: 1; }
    ImportScreen .field { height: 1; }
    ImportScreen .field > Label { width: 9; color: $text-muted; }
    ImportScreen .field:focus-within > Label { color: $text; text-style: bold reverse; }
    ImportScreen .field > Input { width: 1fr; }
    ImportScreen #summary { height: auto; margin-top: 1; }
    ImportScreen #summary.empty { display: none; }
    ImportScreen #plan { height: auto; max-height: 100%; overflow-x: hidden; display: none; }
    ImportScreen #plan.shown { display: block; }
    ImportScreen #detail { height: auto; }
    ImportScreen #detail.empty { display: none; }
    ImportScreen #foot { dock: bottom; height: auto; }
    ImportScreen #hint { margin-top: 1; }
    ImportScreen #error { margin-top: 1; }
    ImportScreen #progress { display: none; }
    ImportScreen #progress.shown { display: block; }
    """

    AUTO_FOCUS = "#path"
    BINDINGS = [Binding("ctrl+s", "confirm", "Import", id="import.confirm", priority=True)]

    def __init__(self, db: Database, path: str = "") -> None:
        super().__init__()
        self.db = db
        self.start_path = path
        self.state = "ask"  # ask -> reading -> planned -> importing
        self.asked = 0  # which request the workers answer (an older answer is dropped)
        self.planned: tuple[Request, Parsed, ImportPlan] | None = None
        self.rows: list[PlanRow] = []  # the dry run's table, row by row
        self.closed = False

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            with Vertical(id="head"):
                yield Static("Import contacts from a vCard or CSV file", classes="title")
                path = PathInput(
                    self.start_path,
                    placeholder="~/contacts.vcf, Connections.csv",
                    id="path",
                    compact=True,
                )
                yield field_row("File", path)
                tags = Input(placeholder="optional, e.g. linkedin", id="tags", compact=True)
                yield field_row("Tag", tags)
                segment = Input(placeholder="optional: a segment they all join", id="segment", compact=True)
                yield field_row("Segment", segment)
                yield Static("", id="summary", classes="empty")
            yield PlanTable(id="plan")
            with Vertical(id="foot"):
                yield Static("", id="detail", classes="empty")
                yield ProgressBar(id="progress", show_eta=False)
                yield Static("", id="error")
                yield Static("", id="hint", classes="hint")

    def on_mount(self) -> None:
        self.bar = self.query_one(ProgressBar)  # for the workers, which must not query the DOM
        self.show_hint()

    # -- what the screen says ---------------------------------------------------------------

    def show_hint(self) -> None:
        hints = {
            "ask": "Enter preview (nothing is written yet) · Tab complete · Esc cancel",
            "reading": "Reading the file… · Esc cancel",
            "planned": "Enter or ctrl+s import · ↑↓ look through · Esc cancel",
            "importing": "Importing… (writing the file; it cannot be stopped now)",
        }
        if self.state == "planned" and not self.importable():
            hints["planned"] = "Choose another file and press Enter · Esc cancel"
        self.query_one("#hint", Static).update(hints[self.state])

    def show_error(self, sentence: str) -> None:
        error = self.query_one("#error", Static)
        error.update(Text(sentence))
        error.set_class(bool(sentence), "shown")

    def show_progress(self, shown: bool) -> None:
        bar = self.query_one(ProgressBar)
        bar.update(total=None, progress=0)
        bar.set_class(shown, "shown")

    def importable(self) -> bool:
        return self.planned is not None and bool(self.planned[1].contacts)

    def request(self) -> Request | str:
        """What the fields ask for, or the sentence saying what is missing."""
        typed = self.query_one("#path", Input).value.strip()
        if not typed:
            return "Type the path of a vCard (.vcf) or CSV file; Tab completes a name."
        tags = tuple(split_list(self.query_one("#tags", Input).value))
        segment = " ".join(self.query_one("#segment", Input).value.split()) or None
        return Request(Path(os.path.expanduser(typed)), tags, segment)

    # -- keys -----------------------------------------------------------------------------------

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_confirm()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_confirm()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        row = self.rows[event.cursor_row] if 0 <= event.cursor_row < len(self.rows) else None
        detail = self.query_one("#detail", Static)
        detail.update(row.detail() if row else "")
        detail.set_class(row is None, "empty")

    def action_confirm(self) -> None:
        """Import what the table shows; if the fields changed since (or nothing is shown
        yet), show what they would do instead."""
        if self.state in ("reading", "importing"):
            return
        request = self.request()
        if isinstance(request, str):
            self.show_error(request)
            self.query_one("#path").focus()
            return
        if self.state == "planned" and self.planned and self.planned[0] == request and self.importable():
            self.start_import()
        else:
            self.start_reading(request)

    def action_cancel(self) -> None:
        if self.state == "importing":
            return  # the commit is under way: it ends in a whole import or none
        self.closed = True
        self.dismiss(None)

    # -- the dry run ----------------------------------------------------------------------------

    def start_reading(self, request: Request) -> None:
        self.asked += 1
        self.state = "reading"
        self.planned = None
        self.show_error("")
        self.query_one("#summary", Static).update(Text(f"Reading {one_line(request.path.name)}…"))
        self.query_one("#summary").remove_class("empty")
        self.query_one("#plan", DataTable).remove_class("shown")
        self.query_one("#detail", Static).add_class("empty")
        self.show_progress(True)
        self.show_hint()
        # A copy of the tables: the file's watcher may merge into the book while we read.
        self.read_and_plan(self.asked, request, book_copy(self.db.book))

    @work(thread=True, exclusive=True, group="import-plan", exit_on_error=False)
    def read_and_plan(self, asked: int, request: Request, book: Book) -> None:
        try:
            if request.path.is_dir():
                raise ContactFileError(f"{one_line(str(request.path))} is a folder; choose a file in it.")
            parsed = read_contacts(request.path)
            plan = self.make_plan(book, parsed, request)
        except ContactFileError as exc:
            self.app.call_from_thread(self.read_failed, asked, str(exc))
        except Exception as exc:  # a bug: one sentence, never a traceback
            self.app.call_from_thread(self.read_failed, asked, sentence_for(exc))
        else:
            self.app.call_from_thread(self.show_plan, asked, request, parsed, plan)

    def make_plan(self, book: Book, parsed: Parsed, request: Request) -> ImportPlan:
        """The plan for `book` (in a worker thread), the progress bar following it."""
        total, bar = len(parsed.contacts), self.bar

        def advance(done: int) -> None:
            if not self.closed:
                self.app.call_from_thread(bar.update, total=total, progress=done)

        plan = plan_import(
            book,
            parsed.contacts,
            region=locale_region(),
            tags=list(request.tags),
            segment=request.segment,
            progress=advance,
        )
        plan.bad_rows = parsed.bad_rows
        return plan

    def read_failed(self, asked: int, sentence: str) -> None:
        if self.closed or asked != self.asked:
            return
        self.state = "ask"
        self.show_progress(False)
        self.query_one("#summary").add_class("empty")
        self.show_error(sentence)
        self.show_hint()
        self.query_one("#path").focus()

    def show_plan(self, asked: int, request: Request, parsed: Parsed, plan: ImportPlan) -> None:
        if self.closed or asked != self.asked:
            return
        self.state = "planned"
        self.planned = (request, parsed, plan)
        self.show_progress(False)
        layout = LAYOUTS.get(parsed.format, parsed.format)
        line = Text.assemble((one_line(request.path.name), "bold"), f" ({layout}) · {summary(plan)}")
        self.query_one("#summary", Static).update(line)
        self.rows = plan_rows(plan)
        table = self.query_one(PlanTable)
        table.refill((str(n), row.cells()) for n, row in enumerate(self.rows))
        table.add_class("shown")
        if not parsed.contacts:
            self.show_error(
                f"{one_line(request.path.name)} holds no contact that could be read; nothing to import."
            )
        self.show_hint()
        (table if table.row_count else self.query_one("#path")).focus()

    # -- the import -----------------------------------------------------------------------------

    def start_import(self) -> None:
        assert self.planned is not None
        if self.db.read_only:
            self.show_error(f"{self.db.read_only}: nothing can be changed.")
            return
        self.state = "importing"
        self.show_error("")
        for field in self.query(Input):
            field.disabled = True
        self.show_progress(True)
        self.show_hint()
        request, parsed, _ = self.planned
        self.commit_import(request, parsed)

    @work(thread=True, exclusive=True, group="import-commit", exit_on_error=False)
    def commit_import(self, request: Request, parsed: Parsed) -> None:
        """Plan again on the book as merged with the file, under the lock, and write it all."""
        planned: list[ImportPlan] = []

        def decide(book: Book) -> list[Record]:
            planned[:] = [self.make_plan(book, parsed, request)]
            return planned[0].records()

        try:
            self.db.commit_checked(decide)
        except Exception as exc:
            sentence = sentence_for(exc)
            if planned and planned[0].records():  # in the book, not on disk: the app retries
                self.app.call_from_thread(self.dismiss, Imported.of(planned[0], sentence))
            else:
                self.app.call_from_thread(self.import_failed, sentence)
            return
        self.app.call_from_thread(self.dismiss, Imported.of(planned[0]))

    def import_failed(self, sentence: str) -> None:
        self.state = "planned"
        for field in self.query(Input):
            field.disabled = False
        self.show_progress(False)
        self.show_error(sentence)
        self.show_hint()
