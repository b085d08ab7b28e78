"""The morning check-in: today's list, one person at a time, one key for each.

Keys: `r` reached (a call, then an optional note and Enter), `a` attempt (voicemail or no
answer), `p` plan a meeting ("coffee next monday"), `z` snooze ("2w"), `s` skip, `q` or
Escape done.  It ends with a summary ("3 conversations, 1 attempt, 1 coffee planned") and
Enter or Escape goes back.  Every choice goes through the app's `commit` / `change`, so it
is on its way to the file before the next person shows.

What `p` (plan) records is in `domain/plans.py`.

While a card is shown our presence (widgets/presence_watch.py) says whom we are calling;
when someone else's says they are calling the same person, the card says so and a
notification too ("sam is calling Maya Okafor right now"), once per caller and person.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Digits, Static

from meetup_tui.domain.dates import long_day, relative_day
from meetup_tui.domain.outreach import Suggestion, talk_kind
from meetup_tui.domain.records import Person
from meetup_tui.domain.text import one_line, plural
from meetup_tui.store.presence import CHECKIN, Presence
from meetup_tui.ui.screens.dialog import Dialog
from meetup_tui.ui.screens.plan import PLAN_KINDS
from meetup_tui.ui.screens.quick_call import Talk
from meetup_tui.ui.screens.snooze import SnoozeScreen
from meetup_tui.ui.widgets.detail_panel import fits_large, person_heading
from meetup_tui.ui.widgets.presence_watch import PresenceWatch

if TYPE_CHECKING:
    from meetup_tui.ui.app import MeetupApp

WIDTH = 84  # the box's width when the terminal is wide enough
KEYS_HINT = "r reached · a attempt · p plan · z snooze · s skip · q done"
_PLURAL = {"lunch": "lunches"}  # the kinds whose plural is not just an "s"


def summary_text(tally: Counter[str], left: int = 0) -> str:
    """ "3 conversations, 1 attempt, 1 coffee planned, 1 snoozed, 1 skipped" (no zeros).

    `tally` counts "reached", "attempt", "snoozed", "skipped" and each planned kind;
    `left` is how many people a check-in ended early did not get to.
    """
    parts = []
    if tally["reached"]:
        parts.append(plural(tally["reached"], "conversation"))
    if tally["attempt"]:
        parts.append(plural(tally["attempt"], "attempt"))
    for kind in PLAN_KINDS:
        if tally[kind]:
            parts.append(plural(tally[kind], kind, _PLURAL.get(kind)) + " planned")
    for done in ("snoozed", "skipped"):
        if tally[done]:
            parts.append(f"{tally[done]} {done}")
    if left:
        parts.append(f"{left} left for later")
    return ", ".join(parts) if parts else "Nothing logged"


class CheckinScreen(Dialog[str | None]):
    """Walks `suggestions` (today's list as shown); dismisses with the summary sentence."""

    DEFAULT_CSS = f"""
    CheckinScreen > #dialog {{ width: {WIDTH}; border: heavy $accent; }}
    CheckinScreen #progress {{ color: $text-muted; dock: top; padding-bottom: 1; }}
    CheckinScreen #card {{ height: auto; max-height: 100%; }}
    CheckinScreen Digits {{ width: auto; }}
    CheckinScreen #phone-text {{ text-style: bold; }}
    CheckinScreen #why, CheckinScreen #talk {{ margin-top: 1; }}
    CheckinScreen #summary {{ text-style: bold; }}
    CheckinScreen #calling {{ color: $warning; text-style: bold; display: none; }}
    CheckinScreen .hint {{ dock: bottom; padding-top: 1; }}
    CheckinScreen Static {{ height: auto; }}
    """
    BINDINGS = [
        Binding(
            "r", "reached", "Reached", id="checkin.reached", tooltip="Check-in: you talked, log the call"
        ),
        Binding("a", "attempt", "Attempt", id="checkin.attempt", tooltip="Check-in: voicemail or no answer"),
        Binding("p", "plan", "Plan", id="checkin.plan", tooltip="Check-in: plan a coffee, lunch or visit"),
        Binding(
            "z", "snooze", "Snooze", id="checkin.snooze", tooltip="Check-in: not now, snooze until a day"
        ),
        Binding("s", "skip", "Skip", id="checkin.skip", tooltip="Check-in: next person, nothing logged"),
        Binding("q,escape", "done", "Done", id="checkin.done", tooltip="Check-in: end it, see the summary"),
        Binding("enter", "close", "Back", id="checkin.close", show=False),
        Binding("n", "next_batch", "Next ones", id="checkin.next", show=False),
    ]

    def __init__(self, suggestions: list[Suggestion], more: list[Suggestion] | None = None) -> None:
        """Walk `suggestions`; `more` (the rest of today's list) is offered, a batch of as
        many at a time, once they are done."""
        super().__init__()
        self.queue = list(suggestions)
        self.more = list(more or [])
        self.batch = max(1, len(self.queue))
        self.index = 0
        self.tally: Counter[str] = Counter()
        self.summary = ""  # set when the walk ends
        self.warned: set[tuple[str, str]] = set()  # (caller, person id) told in a notification

    @property
    def meetup(self) -> MeetupApp:
        return cast("MeetupApp", self.app)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(id="progress", classes="title")
            yield Static(KEYS_HINT, id="keys", classes="hint")
            with VerticalScroll(id="card"):
                yield Static(id="who")
                yield Static(id="calling")
                yield Static(id="action")
                yield Digits(id="phone")
                yield Static(id="phone-text")
                yield Static(id="why")
                yield Static(id="talk")
                yield Static(id="last")
                yield Static(id="summary")

    def on_mount(self) -> None:
        self._skip_gone()
        self._show()

    def on_resize(self) -> None:
        self._show()  # the big phone number fits, or no longer does

    def on_unmount(self) -> None:
        if (watch := self._presence()) is not None:
            watch.doing("")  # leaving the check-in: we are calling nobody

    # -- who else is calling ----------------------------------------------------------------

    def _presence(self) -> PresenceWatch | None:
        found = self.app.query(PresenceWatch)
        return found.first() if found else None

    def presence_changed(self, _others: list[Presence]) -> None:
        """Another app's presence changed: are they calling the person on our card?"""
        if not self.is_mounted:
            return
        self._show_calling(self._person())

    def _show_calling(self, person: Person | None) -> None:
        """The card's warning line when someone else is calling `person` right now."""
        line = self.query_one("#calling", Static)
        watch = self._presence()
        callers = [p.login for p in watch.calling(person.id)] if watch and person else []
        line.display = bool(callers)
        if not callers or person is None:
            return
        said = f"{', '.join(one_line(c) for c in callers)} {'is' if len(callers) == 1 else 'are'} calling"
        said += f" {one_line(person.name)} right now"
        line.update(Text(f"⚠ {said}"))
        news = [c for c in callers if (c, person.id) not in self.warned]
        if news:
            self.warned.update((c, person.id) for c in news)
            self.app.notify(f"{said}.", title="Someone else is calling", severity="warning", markup=False)

    # -- who is shown ---------------------------------------------------------------------

    def current(self) -> Suggestion | None:
        return self.queue[self.index] if not self.summary and self.index < len(self.queue) else None

    def _person(self) -> Person | None:
        """The current person as the book has them now (others may have edited them)."""
        shown = self.current()
        return self.meetup.db.book.people.get(shown.person.id, shown.person) if shown else None

    def _skip_gone(self) -> None:
        """Step over people deleted since the list was made; at the end, the summary."""
        book = self.meetup.db.book
        while self.index < len(self.queue):
            person = book.people.get(self.queue[self.index].person.id)
            if person is not None and not person.deleted:
                return
            self.index += 1
        if not self.summary:
            self.summary = summary_text(self.tally) if self.queue else "Nobody is due today: all caught up"

    def _show(self) -> None:
        shown, person = self.current(), self._person()
        if (watch := self._presence()) is not None:
            watch.doing(CHECKIN, person)  # on the summary: in a check-in, calling nobody
        self._show_calling(person)
        for part in ("who", "action", "phone", "phone-text", "why", "talk", "last"):
            self.query_one(f"#{part}").display = person is not None
        self.query_one("#summary").display = person is None
        progress = self.query_one("#progress", Static)
        keys = self.query_one("#keys", Static)
        if shown is None or person is None:
            progress.update(Text("Check-in done", style="bold"))
            said = Text(self.summary + ".")
            if self.more:
                said.append(f"\n{len(self.more)} more due today.", style="bold")
            self.query_one("#summary", Static).update(said)
            nxt = f"n the next {min(self.batch, len(self.more))} · " if self.more else ""
            keys.update(f"{nxt}Enter or Esc: back to today's list")
            return
        progress.update(Text(f"Check-in · {self.index + 1} of {len(self.queue)}"))
        keys.update(KEYS_HINT)
        self.query_one("#who", Static).update(person_heading(person))
        width = min(WIDTH, self.app.size.width) - 4  # the border and the padding
        big = fits_large(person.phone, width)
        digits = self.query_one(Digits)
        digits.display = big
        if big:
            digits.update(person.phone)
        self.query_one("#action", Static).update(Text(f"{shown.symbol} {shown.action}", style="bold"))
        phone_text = self.query_one("#phone-text", Static)
        phone_text.display = not big
        phone_text.update(Text(f"☎ {one_line(person.phone)}" if person.phone else "no phone number"))
        self.query_one("#why", Static).update(_labelled("Why: ", " · ".join(shown.reasons)))
        talk = Text()
        if shown.talking_point:
            talk.append_text(_labelled("Talk about: ", shown.talking_point))
        if shown.next_step:
            talk.append("\n" if talk else "")
            talk.append_text(_labelled("Next step: ", shown.next_step))
        self.query_one("#talk", Static).update(talk)
        self.query_one("#talk").display = bool(talk)
        self.query_one("#last", Static).update(self._last_talk(person))

    def _last_talk(self, person: Person) -> Text:
        """ "Last talked 47 days ago: coffee — wants a winter service plan", or never."""
        today = self.meetup.clock.today()
        for item in self.meetup.db.book.interactions_with(person.id):  # newest first
            if item.reached:
                said = f"{relative_day(item.when.date(), today)}: {item.kind}"
                note = item.note or item.learned
                return _labelled("Last talked ", said + (f" — {note}" if note else ""))
        return Text("Never talked yet", style="italic")

    # -- the keys -------------------------------------------------------------------------

    def _next(self, what: str) -> None:
        self.tally[what] += 1
        self.index += 1
        self._skip_gone()
        self._show()

    def action_reached(self) -> None:
        self._log(reached=True)

    def action_attempt(self) -> None:
        self._log(reached=False)

    def _log(self, *, reached: bool) -> None:
        """The card's suggested kind of talk (ctrl+k in the dialog for another), its note."""
        shown, person = self.current(), self._person()
        if shown is None or person is None:
            return
        outcome = "reached" if reached else "attempt"

        def logged(talk: Talk | None) -> None:
            if talk is not None and self.meetup.log_talk(person, talk, outcome):
                self._next(outcome)

        # Trying to reach someone for a coffee is a call (or a message) that got no answer.
        tried = "message" if shown.action == "message" else "call"
        kind = talk_kind(shown.action) if reached else tried
        self.meetup.ask_talk(person, logged, kind=kind, reached=reached)

    def action_plan(self) -> None:
        shown, person = self.current(), self._person()
        if shown is None or person is None:
            return

        def planned(plan: tuple[str, date] | None) -> None:
            if plan is not None and self.meetup.plan_meeting(person, *plan):
                self._next(plan[0])

        self.meetup.ask_plan(person, shown.action, planned)

    def action_snooze(self) -> None:
        person = self._person()
        if person is None:
            return

        def snoozed(until: date | None) -> None:
            if until is None:
                return
            message = f"Snoozed {one_line(person.name)} until {long_day(until)}."
            if self.meetup.change(person, message, snoozed_until=until.isoformat()):
                self._next("snoozed")

        self.app.push_screen(
            SnoozeScreen(person.name, self.meetup.clock.today(), dayfirst=self.meetup.settings.dayfirst),
            snoozed,
        )

    def action_skip(self) -> None:
        if self._person() is not None:
            self._next("skipped")

    def action_done(self) -> None:
        """End early (the summary counts who is left), or, on the summary, go back."""
        if self.summary:
            self.dismiss(self.summary)
            return
        self.summary = summary_text(self.tally, left=len(self.queue) - self.index)
        self._show()

    def action_close(self) -> None:
        if self.summary:
            self.dismiss(self.summary)

    def action_next_batch(self) -> None:
        """On the summary: go on with the next people due today."""
        if not self.summary or not self.more:
            return
        self.queue += self.more[: self.batch]
        self.more = self.more[self.batch :]
        self.summary = ""
        self._skip_gone()
        self._show()


def _labelled(label: str, value: str) -> Text:
    return Text.assemble((label, "bold"), one_line(value))
