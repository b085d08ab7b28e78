"""What every modal dialog shares: a centred bordered box, Escape to cancel, and the form layout."""

from __future__ import annotations

from typing import TypeVar

from rich.text import Text
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Label, Static
from textual.worker import Worker, WorkerState

from meetup_tui.domain.errors import UserError
from meetup_tui.domain.text import one_line
from meetup_tui.store.jsonfile import StoreError

ResultT = TypeVar("ResultT")

FORM_HINT = "Enter or ctrl+s save · Tab next field · Esc cancel"


class Dialog(ModalScreen[ResultT]):
    """A centred box (`#dialog`) with a title, a hint and maybe an `#error`; Escape dismisses None.

    Subclasses add their own CSS; at equal specificity a subclass's DEFAULT_CSS wins over this.
    """

    DEFAULT_CSS = """
    Dialog { align: center middle; }
    Dialog > #dialog {
        width: 70; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    Dialog .title { text-style: bold; }
    Dialog #error { color: $error; text-style: bold; height: auto; display: none; }
    Dialog #error.shown { display: block; }
    Dialog .hint { color: $text-muted; }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A view worked out in a thread (the board, insights, the report) that failed says
        why in a sentence (the file could not be read whole), not in a traceback."""
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            error = event.worker.error
            known = isinstance(error, UserError | StoreError)
            said = str(error) if known else f"Could not show this: {type(error).__name__}: {error}."
            self.notify(said, severity="error", markup=False, timeout=12)


def field_row(label: str, widget: Widget) -> Horizontal:
    """One form line: the label left, a compact field right."""
    return Horizontal(Label(label), widget, classes="field")


class FormDialog(Dialog[ResultT]):
    """A dialog of many fields: Enter or ctrl+s dismisses with `collect()`, or shows why not.

    `collect()` raises a UserError after setting `bad_field` to the id of the field at fault;
    the sentence goes to `#error` and the focus to that field.
    """

    DEFAULT_CSS = """
    FormDialog .title { dock: top; padding-bottom: 1; }
    FormDialog #fields { height: auto; max-height: 100%; }
    FormDialog #foot { dock: bottom; height: auto; padding-top: 1; }
    FormDialog .field { height: 1; margin-right: 1; }
    FormDialog .field > Label { width: 15; color: $text-muted; }
    FormDialog .field:focus-within > Label { color: $text; text-style: bold reverse; }
    FormDialog .field > Input { width: 1fr; }
    FormDialog .field > Select { width: 1fr; }
    """

    BINDINGS = [Binding("ctrl+s", "save", "Save", id="form.save", priority=True)]

    bad_field: str = ""

    def collect(self) -> ResultT:
        """The validated result the fields describe; a UserError (field in `bad_field`) if not."""
        raise NotImplementedError

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        error = self.query_one("#error", Static)
        try:
            result = self.collect()
        except UserError as exc:
            error.update(Text(one_line(str(exc))))
            error.add_class("shown")
            self.query_one(f"#{self.bad_field}").focus()
            return
        self.dismiss(result)


class WordsDialog(Dialog[ResultT]):
    """One line of words read as they are typed ("3d", "coffee fri"): a `#preview` of what
    they mean or an `#error` sentence saying why not; Enter dismisses with the value.

    Subclasses compose the title, one Input, `#preview`, `#error` and a hint, and say how to
    `read` the words (a UserError when they cannot) and `describe` what was read.
    """

    DEFAULT_CSS = """
    WordsDialog .title { margin-bottom: 1; }
    WordsDialog #preview { height: auto; }
    WordsDialog .hint { margin-top: 1; }
    """

    def read(self, text: str) -> ResultT:
        raise NotImplementedError

    def describe(self, value: ResultT) -> str:
        raise NotImplementedError

    def guide(self) -> str:
        """The preview while nothing is understood yet."""
        return ""

    def still_typing(self, text: str) -> bool:
        """Whether an error for `text` should wait for more words (Enter shows it anyway)."""
        return False

    def check(self, text: str, *, submitted: bool = False) -> ResultT | None:
        """Show the preview or the error sentence; the value when the words are good.

        While typing, an empty box is not an error yet; Enter on it is.
        """
        value: ResultT | None = None
        message = ""
        if text.strip() or submitted:
            try:
                value = self.read(text)
            except UserError as exc:
                message = "" if not submitted and self.still_typing(text) else str(exc)
        preview = self.describe(value) if value is not None else "" if message else self.guide()
        self.query_one("#preview", Static).update(preview)
        error = self.query_one("#error", Static)
        error.update(Text(message))
        error.set_class(bool(message), "shown")
        return value

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.check(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = self.check(event.value, submitted=True)
        if value is not None:
            self.dismiss(value)
