"""Log a meeting or call in full: who, what kind, how it went, what was learned, the next step."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.suggester import Suggester
from textual.widgets import Input, Select, Static

from meetup_tui.domain.book import Book
from meetup_tui.domain.clock import Clock
from meetup_tui.domain.dates import happened_at, iso_minute, parse_day
from meetup_tui.domain.errors import LookupFailed
from meetup_tui.domain.records import KINDS, Interaction, Person
from meetup_tui.domain.text import one_line
from meetup_tui.ui.screens.dialog import FORM_HINT, FormDialog, field_row

OUTCOME_CHOICES = (
    ("reached — a real conversation", "reached"),
    ("attempt — no answer, voicemail", "attempt"),
)


class NameSuggester(Suggester):
    """Completes the name being typed after the last comma from the book's live names."""

    def __init__(self, names: list[str]) -> None:
        super().__init__(use_cache=True, case_sensitive=True)  # we fold case ourselves
        printable = sorted({n for n in names if n and n == one_line(n)}, key=str.casefold)
        self._names = [(n.casefold(), n) for n in printable]

    async def get_suggestion(self, value: str) -> str | None:
        head, comma, fragment = value.rpartition(",")
        typed = fragment.lstrip()
        if not typed:
            return None
        wanted = typed.casefold()
        for folded, name in self._names:
            if folded.startswith(wanted) and len(name) > len(typed):
                return value + name[len(typed) :]
        return None


class LogForm(FormDialog[Interaction | None]):
    """Dismiss with an unstamped Interaction (logged_by left for the app), or None."""

    AUTO_FOCUS = "#people"

    def __init__(self, book: Book, clock: Clock, people: list[Person], *, dayfirst: bool = False) -> None:
        super().__init__()
        self.book = book
        self.clock = clock
        self.dayfirst = dayfirst
        self.people = list(people)

    def compose(self) -> ComposeResult:
        names = ", ".join(one_line(p.name) for p in self.people)
        live = [p.name for p in self.book.live_people()]
        with Vertical(id="dialog"):
            yield Static(Text("Log a meeting or call"), id="title", classes="title")
            with VerticalScroll(id="fields", can_focus=False):
                yield field_row(
                    "With",
                    Input(
                        names,
                        placeholder="names, comma-separated",
                        suggester=NameSuggester(live),
                        id="people",
                        compact=True,
                    ),
                )
                yield field_row(
                    "Kind",
                    Select([(k, k) for k in KINDS], value="call", allow_blank=False, compact=True, id="kind"),
                )
                yield field_row(
                    "Outcome",
                    Select(OUTCOME_CHOICES, value="reached", allow_blank=False, compact=True, id="outcome"),
                )
                yield field_row("When", self._input("when", "now", "yesterday 3pm, 2d, mon 10:00"))
                yield field_row("Where", self._input("where", "", ""))
                yield field_row("Note", self._input("note", "", "what happened"))
                yield field_row("Learned", self._input("learned", "", "challenges, wants, needs heard"))
                yield field_row("Next step", self._input("next_step", "", "e.g. send the price list"))
                yield field_row(
                    "Follow-up", self._input("follow_up", "", "when: 3d, next monday; blank = none")
                )
            with Vertical(id="foot"):
                yield Static("", id="error")
                yield Static(FORM_HINT, classes="hint")

    @staticmethod
    def _input(key: str, value: str, placeholder: str) -> Input:
        return Input(value, placeholder=placeholder, id=key, compact=True)

    def _value(self, key: str) -> str:
        return self.query_one(f"#{key}", Input).value.strip()

    def _who(self) -> list[str]:
        """Person ids for the names given; a preselected person's name as shown stays that person."""
        preset = {one_line(p.name): p for p in self.people}
        chosen: list[Person] = []
        for part in self._value("people").split(","):
            name = " ".join(part.split())
            if not name:
                continue
            person = preset.get(name) or self.book.find_people([name])[0]
            if person not in chosen:
                chosen.append(person)
        if not chosen:
            raise LookupFailed("Say who it was with: one name or several, separated by commas.")
        return [p.id for p in chosen]

    def collect(self) -> Interaction:
        """The interaction the fields describe; a UserError (field in `self.bad_field`) if not."""
        self.bad_field = "people"
        people = self._who()
        self.bad_field = "when"
        at = happened_at(self._value("when") or "now", self.clock.now(), dayfirst=self.dayfirst)
        self.bad_field = "follow_up"
        follow_text = self._value("follow_up")
        follow_up = (
            parse_day(follow_text, self.clock.today(), dayfirst=self.dayfirst) if follow_text else None
        )
        return Interaction(
            at=iso_minute(at),
            people=people,
            kind=str(self.query_one("#kind", Select).value),
            outcome=str(self.query_one("#outcome", Select).value),
            where=self._value("where"),
            note=self._value("note"),
            learned=self._value("learned"),
            next_step=self._value("next_step"),
            follow_up=follow_up.isoformat() if follow_up else None,
        )
