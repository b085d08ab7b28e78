"""The selected person: the phone large enough to dial from, what we know, and the next step."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Digits, Static

from meetup_tui.domain.book import Book
from meetup_tui.domain.cadence import describe_cadence, next_due
from meetup_tui.domain.dates import describe_birthday, long_day, relative_day
from meetup_tui.domain.outreach import cadence_of
from meetup_tui.domain.reasons import talking_point
from meetup_tui.domain.records import Person
from meetup_tui.domain.steps import step_words
from meetup_tui.domain.team import short_user
from meetup_tui.domain.text import one_line, visible
from meetup_tui.domain.warm_path import noted_intro, path_words, warm_path
from meetup_tui.ui.widgets.log_pane import kind_cell, note_cell

DIALABLE = set(" 0123456789+-()")


def fits_large(phone: str, width: int) -> bool:
    """Whether `phone` can be drawn in big Digits (3 cells a character) within `width` cells."""
    return bool(phone) and set(phone) <= DIALABLE and 3 * len(phone) + 2 <= width


class DetailPanel(VerticalScroll):
    DEFAULT_CSS = """
    DetailPanel { height: 1fr; padding: 0 1; }
    DetailPanel #who { height: auto; }
    DetailPanel Digits { width: auto; margin: 0 0; }
    DetailPanel #phone-text { height: auto; text-style: bold; }
    DetailPanel #facts { height: auto; }
    """

    _shown: tuple[Person | None, Book, date, list[str] | None] | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="who")
        yield Digits(id="phone")
        yield Static(id="phone-text")
        yield Static(id="facts")

    def show(self, person: Person | None, book: Book, today: date, reasons: list[str] | None = None) -> None:
        who = self.query_one("#who", Static)
        digits = self.query_one(Digits)
        phone_text = self.query_one("#phone-text", Static)
        facts = self.query_one("#facts", Static)
        before = self._shown[0] if self._shown is not None else None
        if person is None or before is None or before.id != person.id:
            self.scroll_home(animate=False)  # someone else: start at their name and phone
        self._shown = (person, book, today, reasons)
        if person is None:
            who.update(Text("Select someone to see them here.", style="italic"))
            digits.display = phone_text.display = False
            facts.update("")
            return
        who.update(person_heading(person))
        phone = person.phone
        big = fits_large(phone, self.size.width)
        digits.display = big
        if big:
            digits.update(phone)
        phone_text.display = bool(phone) and not big
        phone_text.update(Text(f"☎ {one_line(phone)}"))
        facts.update(_facts(person, book, today, reasons or []))

    def on_resize(self) -> None:
        if self._shown is not None:
            self.show(*self._shown)  # the big phone number fits, or no longer does


def person_heading(person: Person) -> Text:
    """The name in bold, then role, organisation and area on one line."""
    text = Text(one_line(person.name), style="bold")
    where = ", ".join(one_line(x) for x in (person.role, person.org) if x)
    if where:
        text.append(f"\n{where}")
    if person.area:
        text.append(f" · {one_line(person.area)}" if where else f"\n{one_line(person.area)}")
    return text


def _facts(person: Person, book: Book, today: date, reasons: list[str]) -> Text:
    text = Text()
    if reasons:
        text.append("Why today: ", style="bold")
        text.append(" · ".join(one_line(r) for r in reasons) + "\n")
    learned = book.contact_index().of(person.id).learned
    talk = talking_point(person, learned)
    if talk:
        text.append("Talk about: ", style="bold")
        text.append(one_line(talk) + "\n")
    steps = book.open_steps(person.id)
    if steps:
        text.append("Next step: " if len(steps) == 1 else "Open steps: ", style="bold")
        text.append("; ".join(step_words(step, today) for step in steps) + "\n")
    if person.email:
        text.append(f"✉ {one_line(person.email)}\n")
    rule = cadence_of(book, person)
    line = [person.stage, f"influence {person.influence}/5", describe_cadence(rule)]
    if person.channel:
        line.append(f"prefers {person.channel}")
    text.append(" · ".join(line) + "\n")
    last = book.last_contact(person.id)
    if last:
        due = next_due(rule, last)
        last_talk = book.last_talk(person.id)
        by = f" by {short_user(last_talk.logged_by)}" if last_talk is not None and last_talk.logged_by else ""
        text.append(f"Last talked {relative_day(last, today)}{by} · due {relative_day(due, today)}\n")
    else:
        text.append("Never talked yet\n")
    if person.snoozed_on(today) and person.snoozed_until:
        until = date.fromisoformat(person.snoozed_until)
        text.append(f"Snoozed until {long_day(until)} ({relative_day(until, today)})\n", style="italic")
    if person.birthday:
        text.append(f"Birthday {one_line(describe_birthday(person.birthday))}\n")
    if person.owner:
        text.append(f"Looked after by {one_line(person.owner)}\n")
    for label, value in (("Challenges", person.challenges), ("Wants", person.wants), ("Needs", person.needs)):
        if value and (learned is not None or not talk.endswith(" ".join(value.split()))):
            text.append(f"{label}: ", style="bold")
            text.append(visible(value) + "\n")
    if person.introduced_by and person.introduced_by in book.people:
        text.append("Introduced by: ", style="bold")
        text.append(one_line(book.people[person.introduced_by].name) + "\n")
    introduced = book.introduced(person.id)
    if introduced:
        text.append("Introduced: ", style="bold")
        text.append(", ".join(one_line(p.name) for p in introduced))
        won = sum(p.stage in ("customer", "advocate") for p in introduced)
        if won:
            became = "a customer or advocate" if won == 1 else "customers or advocates"
            text.append(f" ({won} became {became})")
        text.append("\n")
    if not book.whole_read:  # opened from the file's summary: the log is being read
        text.append("Reading the log…", style="dim italic")
        return text
    if last is None:
        path = warm_path(book, person.id, today)
        if path is not None:
            text.append("Warm path: ", style="bold")
            text.append(one_line(path_words(path)))
            noted = noted_intro(book, path)
            if noted is None:
                text.append(" (w: ask for the intro)\n", style="dim")
            else:
                due = date.fromisoformat(noted.follow_up[:10]) if noted.follow_up else None
                when = f", follow up {relative_day(due, today)}" if due else ""
                text.append(f" (intro step noted{when})\n", style="dim")
    if person.notes:
        text.append("Notes: ", style="bold")
        text.append(visible(person.notes) + "\n")
    recent = book.interactions_with(person.id)[:3]
    if recent:
        text.append("Recent\n", style="bold")
        for item in recent:
            text.append(f" {relative_day(item.when.date(), today)} ")
            text.append_text(kind_cell(item))
            text.append(" ")
            text.append_text(note_cell(item, today))
            text.append("\n")
    text.rstrip()
    return text
