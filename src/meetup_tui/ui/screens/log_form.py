"""Log a meeting or call in full: who, what kind, how it went, what was learned, the next step,
and who introduced the new people met (a chance meeting, an event)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.suggester import Suggester
from textual.widgets import Input, Select, Static

from meetup_tui.domain.book import Book
from meetup_tui.domain.clock import Clock
from meetup_tui.domain.dates import happened_at, iso_minute, parse_day
from meetup_tui.domain.errors import LookupFailed, NoSuchPerson, UserError
from meetup_tui.domain.records import KINDS, Interaction, Person
from meetup_tui.domain.steps import open_steps_with
from meetup_tui.domain.text import one_line
from meetup_tui.ui.screens.dialog import FORM_HINT, FormDialog, field_row
from meetup_tui.ui.widgets.open_steps import DONE_KEY, OpenSteps

_TEXT_FIELDS = (
    ("when", "When", "yesterday 3pm, 2d, mon 10:00"),
    ("where", "Where", ""),
    ("note", "Note", "what happened"),
    ("learned", "Learned", "challenges, wants, needs heard"),
    ("next_step", "Next step", "e.g. send the price list"),
    ("follow_up", "Follow-up", "when: 3d, next monday; blank = none"),
)

OUTCOME_CHOICES = (
    ("reached — a real conversation", "reached"),
    ("attempt — no answer, voicemail", "attempt"),
    ("noted — a step noted, no contact", "noted"),
)

INTRODUCED_HINT = "a name; only new people (ctrl+n) get it"


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
    """Dismiss with an unstamped Interaction (logged_by left for the app), or None.

    A new entry shows the open next steps with the people named, ctrl+d marks them done
    (`closing()` says which, once dismissed).  Given an `entry`, the form corrects it: its
    fields are filled in, and an unchanged "When" keeps the entry's own moment.
    """

    BINDINGS = [
        Binding(
            DONE_KEY,
            "step_done",
            "Step done",
            id="log.done",
            priority=True,
            tooltip="Mark the open step done",
        ),
        Binding(
            "ctrl+n", "add_unknown", "Add them", id="log.add", priority=True, tooltip="Add the new names"
        ),
    ]
    AUTO_FOCUS = "#people"

    def __init__(
        self,
        book: Book,
        clock: Clock,
        people: list[Person],
        *,
        dayfirst: bool = False,
        entry: Interaction | None = None,
        filled: dict[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.book = book
        self.prefilled = dict(filled or {})  # a new entry's text fields to start with (insights)
        self.clock = clock
        self.dayfirst = dayfirst
        self.entry = entry
        self.adding: dict[str, Person] = {}  # folded name -> a new person, after ctrl+n
        self.introducer: Person | None = None  # as saved: who introduced the new people
        self._added_people: list[Person] = []  # as saved: see `new_people` and `closing`
        self._steps_done: list[Interaction] = []
        if entry is not None:
            people = [book.people[p] for p in entry.people if p in book.people]
        self.people = list(people)

    def _filled(self) -> dict[str, str]:
        """What each text field starts with: the entry's values when correcting one."""
        entry = self.entry
        if entry is None:
            return {"when": "now", **self.prefilled}
        return {
            "when": entry.at.replace("T", " "),
            "where": entry.where,
            "note": entry.note,
            "learned": entry.learned,
            "next_step": entry.next_step,
            "follow_up": entry.follow_up or "",
        }

    def compose(self) -> ComposeResult:
        names = ", ".join(one_line(p.name) for p in self.people)
        live = [p.name for p in self.book.live_people()]
        filled = self._filled()
        entry = self.entry
        title = "Log a meeting or call" if entry is None else "Correct a log entry"
        steps = open_steps_with(self.book, [p.id for p in self.people]) if entry is None else []
        with Vertical(id="dialog"):
            yield Static(Text(title), id="title", classes="title")
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
                    Select(
                        [(k, k) for k in KINDS],
                        value=entry.kind if entry is not None and entry.kind in KINDS else "call",
                        allow_blank=False,
                        compact=True,
                        id="kind",
                    ),
                )
                # Only what happened is logged: a form started from what someone said (an
                # insight) is a step noted until the user picks a conversation.
                outcome = entry.outcome if entry is not None else "noted" if self.prefilled else "reached"
                known = [v for _, v in OUTCOME_CHOICES]
                # An outcome this version does not know (a newer one's) stays as it is.
                choices = [*OUTCOME_CHOICES, *([(outcome, outcome)] if outcome not in known else [])]
                yield field_row(
                    "Outcome",
                    Select(choices, value=outcome, allow_blank=False, compact=True, id="outcome"),
                )
                for key, label, hint in _TEXT_FIELDS:
                    yield field_row(label, self._input(key, filled.get(key, ""), hint))
                if entry is None:  # correcting an entry adds no one: nobody to introduce
                    yield field_row(
                        "Introduced by",
                        Input(
                            placeholder=INTRODUCED_HINT,
                            suggester=NameSuggester(live),
                            id="introduced_by",
                            compact=True,
                        ),
                    )
            with Vertical(id="foot"):
                yield OpenSteps(steps, self.clock.today())
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
            person = preset.get(name) or self.adding.get(name.casefold())
            if person is None:
                try:
                    person = self.book.find_person(name)
                except NoSuchPerson as exc:
                    raise NoSuchPerson(f"{exc} ctrl+n adds {name!r} as a new person.", exc.name) from None
            if person not in chosen:
                chosen.append(person)
        if not chosen:
            raise LookupFailed("Say who it was with: one name or several, separated by commas.")
        return [p.id for p in chosen]

    def on_input_changed(self, event: Input.Changed) -> None:
        """Other people named: their open steps are the ones shown."""
        if event.input.id != "people" or self.entry is not None:
            return
        try:
            ids = self._who()
        except UserError:
            return  # a name half typed: keep what is shown
        self.query_one(OpenSteps).set_steps(open_steps_with(self.book, ids))

    def action_add_unknown(self) -> None:
        """The names that match no one become new people (prospects), then save."""
        while True:
            try:
                self._who()
            except NoSuchPerson as exc:
                self.adding[exc.name.casefold()] = Person(name=exc.name)
                continue
            except UserError:
                pass  # an ambiguous name: saving says which
            break
        self.action_save()

    def new_people(self) -> list[Person]:
        """The people ctrl+n added that the saved entry names (unstamped: the app stamps
        them), each introduced by the "Introduced by" person when one was named."""
        return list(self._added_people)

    def _introducer(self) -> Person | None:
        """The person "Introduced by" names (None when blank); a name that finds no one, or
        several, is a UserError.  Given while nobody new is added, it is an error too: it
        never changes people already in the book."""
        if self.entry is not None:
            return None
        name = " ".join(self._value("introduced_by").split())
        if not name:
            return None
        person = self.book.find_person(name)
        if not self._added_people:
            raise UserError(
                "Introduced by is for new people only (ctrl+n adds the new names); "
                "clear it, or change a known person with e."
            )
        return person

    def action_step_done(self) -> None:
        self.query_one(OpenSteps).toggle()

    def closing(self) -> list[Interaction]:
        """The open steps the saved entry marks done (ctrl+d)."""
        return list(self._steps_done)

    def collect(self) -> Interaction:
        """The interaction the fields describe; a UserError (field in `self.bad_field`) if not."""
        self.bad_field = "people"
        people = self._who()
        self._added_people = [p for p in self.adding.values() if p.id in people]
        self.bad_field = "introduced_by"
        self.introducer = introducer = self._introducer()
        if introducer is not None:
            self._added_people = [replace(p, introduced_by=introducer.id) for p in self._added_people]
        self._steps_done = self.query_one(OpenSteps).closing()
        self.bad_field = "when"
        filled = self._filled()
        when = self._value("when")
        if self.entry is not None and when == filled["when"]:
            at = datetime.fromisoformat(self.entry.at)  # as it was, whatever the words would read
        else:
            at = happened_at(when or "now", self.clock.now(), dayfirst=self.dayfirst)
        self.bad_field = "follow_up"
        follow_text = self._value("follow_up")
        if self.entry is not None and follow_text == filled["follow_up"]:
            follow_up = date.fromisoformat(follow_text[:10]) if follow_text else None
        else:
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
