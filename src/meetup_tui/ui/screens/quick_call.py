"""Log a conversation fast: one optional note and Enter.  The kind is the suggested one
(ctrl+k for another), an open next step is shown with ctrl+d to mark it done; an attempt
(voicemail, no answer) takes one key for what happened."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from meetup_tui.domain.records import KINDS, Interaction
from meetup_tui.domain.text import one_line
from meetup_tui.ui.screens.dialog import Dialog
from meetup_tui.ui.widgets.open_steps import DONE_KEY, OpenSteps


@dataclass(frozen=True)
class Talk:
    """What the dialog came back with: the note, the kind, and the steps marked done."""

    note: str
    kind: str = "call"
    closing: tuple[Interaction, ...] = ()


def _a(kind: str) -> str:
    return "an" if kind[:1] in "aeiou" else "a"


class QuickCallScreen(Dialog[Talk | None]):
    """Ask for an optional note; dismiss with a Talk, or None on Escape."""

    DEFAULT_CSS = """
    QuickCallScreen .title { margin-bottom: 1; }
    QuickCallScreen .hint { margin-top: 1; }
    """
    BINDINGS = [
        Binding("ctrl+k", "next_kind", "Kind", id="talk.kind", priority=True, tooltip="Another kind of talk"),
        Binding(
            DONE_KEY,
            "step_done",
            "Step done",
            id="talk.done",
            priority=True,
            tooltip="Mark the open step done",
        ),
    ]

    AUTO_FOCUS = "#note"
    OUTCOME = "reached"

    def __init__(
        self,
        person_name: str,
        steps: list[Interaction] | None = None,
        today: date | None = None,
        *,
        kind: str = "call",
    ) -> None:
        super().__init__()
        self.person_name = person_name
        self.steps = list(steps or [])
        if self.steps and today is None:
            raise ValueError("the open steps are shown relative to today: give `today`")
        self.today = today or date.min  # unused without steps
        self.kind = kind if kind in KINDS else "call"

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self._title(), id="title", classes="title")
            yield Input(placeholder="note (optional)", id="note")
            yield OpenSteps(self.steps, self.today)
            yield Static(self._hint(), classes="hint")

    def _title(self) -> Text:
        return Text.assemble(
            f"Log {_a(self.kind)} {self.kind} with ", (one_line(self.person_name), "bold"), " — reached"
        )

    def _hint(self) -> str:
        return "Enter save · ctrl+k another kind · Esc cancel"

    def action_next_kind(self) -> None:
        self.kind = KINDS[(KINDS.index(self.kind) + 1) % len(KINDS)]
        self.query_one("#title", Static).update(self._title())

    def action_step_done(self) -> None:
        self.query_one(OpenSteps).toggle()

    def finish(self, note: str) -> None:
        self.dismiss(Talk(note.strip(), self.kind, tuple(self.query_one(OpenSteps).closing())))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.finish(event.value)


ATTEMPT_NOTES = {"v": "voicemail", "n": "no answer", "m": "message left"}


class AttemptScreen(QuickCallScreen):
    """No conversation: one key says what happened (v voicemail, n no answer, m message
    left), Enter saves without a note, t (or Tab) types one."""

    BINDINGS = [
        Binding("v", "note('v')", "Voicemail", id="attempt.voicemail"),
        Binding("n", "note('n')", "No answer", id="attempt.no_answer"),
        Binding("m", "note('m')", "Message left", id="attempt.message"),
        Binding("t", "type_note", "Type a note", id="attempt.type"),
        Binding("enter", "note('')", "Save", id="attempt.save", show=False),
    ]
    AUTO_FOCUS = ""
    OUTCOME = "attempt"

    def _title(self) -> Text:
        return Text.assemble("Could not reach ", (one_line(self.person_name), "bold"), f" ({self.kind})")

    def _hint(self) -> str:
        return "v voicemail · n no answer · m message left · t type a note · Enter save · Esc cancel"

    def action_note(self, key: str) -> None:
        self.finish(ATTEMPT_NOTES.get(key, ""))

    def action_type_note(self) -> None:
        self.query_one("#note", Input).focus()
