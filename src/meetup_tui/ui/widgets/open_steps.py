"""The open next steps with whoever a conversation is being logged with, in the dialog that
logs it, and whether this conversation marks them done (one key: ctrl+d).

A later conversation never closes a step by itself (domain/steps.py): this line is where a
person says it is done.  It hides itself when there is no open step.
"""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.widgets import Static

from meetup_tui.domain.records import Interaction
from meetup_tui.domain.steps import step_words

DONE_KEY = "ctrl+d"


class OpenSteps(Static):
    DEFAULT_CSS = """
    OpenSteps { height: auto; margin-top: 1; }
    OpenSteps.-done { color: $success; }
    """

    def __init__(self, steps: list[Interaction], today: date, *, id: str = "steps") -> None:
        super().__init__(id=id)
        self.steps = list(steps)
        self.today = today
        self.done = False

    def set_steps(self, steps: list[Interaction]) -> None:
        self.steps = list(steps)
        self.done = self.done and bool(steps)
        self._show()

    def on_mount(self) -> None:
        self._show()

    def toggle(self) -> None:
        if self.steps:
            self.done = not self.done
            self._show()

    def _show(self) -> None:
        self.display = bool(self.steps)
        self.set_class(self.done, "-done")
        if not self.steps:
            return
        said = "; ".join(step_words(step, self.today) for step in self.steps)
        many = len(self.steps) > 1
        if self.done:
            label = "✓ Done with this talk: " if not many else "✓ All done with this talk: "
            key = f" — {DONE_KEY}: keep open"
        else:
            label = "Open step: " if not many else "Open steps: "
            key = f" — {DONE_KEY}: mark done" if not many else f" — {DONE_KEY}: mark all done"
        self.update(Text.assemble((label, "bold"), said, (key, "dim")))

    def closing(self) -> list[Interaction]:
        """The steps this conversation marks done (none unless the key was pressed)."""
        return list(self.steps) if self.done else []
