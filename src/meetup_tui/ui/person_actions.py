"""The keys that change the selected person: call, log, plan, add, edit, snooze, delete, undo,
and ask for an intro along a warm path.

A mixin of `MeetupApp` (kept apart so the app module stays about showing the book): each
action opens its dialog and, when it comes back with something, commits through the
app's `commit` / `change`, which show the change at once and save it in the background.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from meetup_tui.domain.dates import iso_minute, long_day, relative_day
from meetup_tui.domain.journey import moves_of
from meetup_tui.domain.membership import regroup
from meetup_tui.domain.outreach import suggest_action
from meetup_tui.domain.plans import plan_records
from meetup_tui.domain.records import Interaction, Person, Segment
from meetup_tui.domain.steps import step_words
from meetup_tui.domain.text import one_line
from meetup_tui.domain.warm_path import intro_step, no_path_words, noted_intro, warm_path
from meetup_tui.ui.widgets.outreach_pane import OutreachPane

if TYPE_CHECKING:
    from meetup_tui.ui.app import MeetupApp
    from meetup_tui.ui.screens.person_form import PersonForm
    from meetup_tui.ui.screens.quick_call import Talk

    _Base = MeetupApp
else:
    _Base = object


class PersonActions(_Base):
    def _need_person(self) -> Person | None:
        person = self.selected_person()
        if person is None:
            self.notify("Select a person first (arrows or /).", severity="warning")
        return person

    def ask_talk(
        self, person: Person, then: Callable[[Talk | None], None], *, kind: str = "call", reached: bool = True
    ) -> None:
        """Ask for the note of a talk (or an attempt) with `person`, their open steps shown."""
        from meetup_tui.ui.screens.quick_call import AttemptScreen, QuickCallScreen

        screen = QuickCallScreen if reached else AttemptScreen
        steps = self.db.book.open_steps(person.id)
        self.push_screen(screen(person.name, steps, self.clock.today(), kind=kind), then)

    def log_talk(self, person: Person, talk: Talk, outcome: str = "reached") -> bool:
        """Log a talk with `person` now (a real conversation, or an attempt), and mark done
        the steps the dialog said this talk closes, in one change."""
        item = Interaction(
            at=iso_minute(self.clock.now()),
            people=[person.id],
            kind=talk.kind,
            outcome=outcome,
            note=talk.note,
            logged_by=self.db.user,
        )
        marks = self.step_marks(talk.closing)
        what = f"a {talk.kind}" if outcome == "reached" else f"an attempt ({talk.kind})"
        message = f"Logged {what} with {one_line(person.name)}."
        if marks:
            message += " Step done." if len(marks) == 1 else f" {len(marks)} steps done."
        return self.commit(self.db.stamp(item), *marks, message=message)

    def ask_plan(self, person: Person, action: str, then: Callable[[tuple[str, date] | None], None]) -> None:
        """Ask what to plan with `person` and when ("coffee fri"); `action` is the default kind."""
        from meetup_tui.ui.screens.plan import PlanScreen, default_kind

        today, dayfirst = self.clock.today(), self.settings.dayfirst
        self.push_screen(PlanScreen(person.name, default_kind(action), today, dayfirst=dayfirst), then)

    def plan_meeting(self, person: Person, kind: str, day: date) -> bool:
        """Record a planned meeting (see domain/plans.py): an invitation and a snooze until then."""
        current = self.db.book.people.get(person.id, person)
        records = plan_records(current, kind, day, self.clock.now(), self.db.user)
        message = f"Planned {kind} with {one_line(person.name)} on {long_day(day)}."
        return self.commit(*(self.db.stamp(r) for r in records), message=message)

    def action_plan(self) -> None:
        person = self._need_person()
        if person is None:
            return

        def planned(plan: tuple[str, date] | None) -> None:
            if plan is not None:
                self.plan_meeting(person, *plan)

        self.ask_plan(person, suggest_action(person), planned)

    def action_call(self) -> None:
        person = self._need_person()
        if person is not None:
            self.call_with(person, "call")

    def call_with(self, person: Person, kind: str) -> None:
        def logged(talk: Talk | None) -> None:
            if talk is not None:
                # Logged once the screen without the dialog is drawn: the two in one turn
                # of the event loop held the screen for 66 ms on 5,000 people.
                self.after_frame(self.log_talk, person, talk)

        self.ask_talk(person, logged, kind=kind)

    def action_log(self) -> None:
        person = self.selected_person()
        self.log_with([person] if person else [])

    def log_with(self, people: list[Person], filled: dict[str, str] | None = None) -> None:
        """The log form for `people`, its text fields started with `filled` ("note": ...)."""
        from meetup_tui.ui.screens.log_form import LogForm

        form = LogForm(self.db.book, self.clock, people, dayfirst=self.settings.dayfirst, filled=filled)

        def logged(item: Interaction | None) -> None:
            if item is None:
                return
            item = replace(item, logged_by=self.db.user)
            added = [self.db.stamp(replace(p, owner=p.owner or self.db.user)) for p in form.new_people()]
            known = {p.id: p for p in added} | self.db.book.people
            names = ", ".join(one_line(known[p].name) for p in item.people)
            marks = self.step_marks(form.closing())
            message = f"Logged a {item.kind} with {names}." + (" Step done." if marks else "")
            if added:
                by = f", introduced by {one_line(form.introducer.name)}" if form.introducer else ""
                message += f" Added {', '.join(one_line(p.name) for p in added)}{by}."
            self.commit(*added, self.db.stamp(item), *marks, message=message)

        self.push_screen(form, logged)

    def _regrouped(self, person: Person, names: list[str] | None) -> list[Segment]:
        """The segments the form's Segments field changes, stamped (none when left as shown)."""
        if names is None:
            return []
        segments = self.db.book.live_segments()
        return [self.db.stamp(s) for s in regroup(segments, person, names)]

    def action_add_person(self) -> None:
        form = self._person_form(None)

        def added(fields: dict | None) -> None:
            if fields is None:
                return
            person = self.db.stamp(Person(**fields))
            grouped = self._regrouped(person, form.segment_names)
            if not self.commit(person, *grouped, message=f"Added {one_line(person.name)}."):
                return
            self.select_person(person.id)
            self.query_one(OutreachPane).move_to_key(person.id)

        self.push_screen(form, added)

    def action_edit(self) -> None:
        if key := self.focused_entry():
            self.edit_entry(key)
            return
        person = self._need_person()
        if person is None:
            return

        form = self._person_form(person)

        def edited(fields: dict | None) -> None:
            if fields is None:
                return
            edits = {k: v for k, v in fields.items() if getattr(person, k) != v}
            current = self.db.book.people.get(person.id, person)
            records = [self.db.stamp(current, seen=person, **edits)] if edits else []
            if records:  # a stage changed in the form is a move in the journey, with its author
                moves = moves_of(current, records[0], iso_minute(self.clock.now()), self.db.user)  # type: ignore[arg-type]
                records += [self.db.stamp_new(move) for move in moves]
            records += self._regrouped(current, form.segment_names)
            if records:
                self.commit(*records, message=f"Saved {one_line(fields['name'])}.")

        self.push_screen(form, edited)

    def _person_form(self, person: Person | None) -> PersonForm:
        """The add (None) or edit form, reading dates and stages as the settings say."""
        from meetup_tui.ui.screens.person_form import PersonForm

        settings = self.settings
        return PersonForm(
            self.db.book,
            self.clock.today(),
            person,
            dayfirst=settings.dayfirst,
            stages=settings.stages,
            owner=self.db.user,
        )

    def action_snooze(self) -> None:
        from meetup_tui.ui.screens.snooze import SnoozeScreen

        person = self._need_person()
        if person is None:
            return

        def snoozed(until: date | None) -> None:
            if until is not None:
                message = f"Snoozed {one_line(person.name)} until {long_day(until)}."
                self.change(person, message, snoozed_until=until.isoformat())

        self.push_screen(
            SnoozeScreen(person.name, self.clock.today(), dayfirst=self.settings.dayfirst), snoozed
        )

    def action_ask_intro(self) -> None:
        """w: the warm path to the selected stranger becomes a step noted with the one you
        know well ("ask Maria Gonzalez for an intro to Kwame Mensah", follow up on a day)."""
        from meetup_tui.ui.screens.intro_step import IntroStepScreen

        person = self._need_person()
        if person is None:
            return
        book, today = self.db.book, self.clock.today()
        path = warm_path(book, person.id, today)
        if path is None:
            self.notify(no_path_words(book, person, today), severity="warning", markup=False)
            return
        noted = noted_intro(book, path)
        if noted is not None:
            first = one_line(path[0].name)
            self.notify(
                f"Already noted with {first}: {step_words(noted, today)}; x on {first} marks it done.",
                severity="warning",
                markup=False,
            )
            return

        def chosen(step: tuple[str, date] | None) -> None:
            if step is None:
                return
            words, day = step
            item = intro_step(path, words, day, self.clock.now(), self.db.user)
            message = f"Noted: {words} (follow up {relative_day(day, today)})."
            self.commit(self.db.stamp(item), message=message)

        self.push_screen(IntroStepScreen(path, today, dayfirst=self.settings.dayfirst), chosen)

    def action_delete(self) -> None:
        if key := self.focused_entry():
            self.delete_entry(key)
            return
        person = self._need_person()
        if person is None:
            return
        if self.change(person, f"Deleted {one_line(person.name)} — u to undo.", deleted=True):
            self.deleted.append(person)
        self.select_person(self.query_one(OutreachPane).current_key())

    def action_undo(self) -> None:
        if not self.deleted:
            self.notify("Nothing to undo.", severity="warning")
            return
        record = self.deleted.pop()
        self.change(record, "Brought it back.", deleted=False)
        if isinstance(record, Person):
            self.select_person(record.id)
