"""What importing a contact file would do to the book: who is added, who is merged, who is
skipped, and why.  Pure: the caller writes the plan's records in one commit.

A contact is the same person as someone already in the book, or as an earlier contact of
the same file, when they share an email (any case), a phone number (domain/phones.py) or
the full name (any case and spacing), checked in that order.  Merging never overwrites:
it fills fields that are empty and adds phones, emails and tags that are new, so a
re-import of the same file changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from meetup_tui.contacts.card import BadRow, Contact
from meetup_tui.domain.book import Book
from meetup_tui.domain.dates import long_day
from meetup_tui.domain.membership import join
from meetup_tui.domain.phones import PhoneKey, phone_key, same_number
from meetup_tui.domain.records import Person, Record, Segment

FILLED = ("org", "role", "area", "birthday", "notes")  # taken only when the person has none


@dataclass
class Step:
    """What became of one contact (or of several contacts that were one person)."""

    action: str  # "add", "merge" or "skip"
    person: Person  # the person as they will be (added, or merged with what the file said)
    lines: list[int]  # where in the file
    reason: str  # "new", "same email as Ana Ruiz (in the book)", "nothing new"
    changed: list[str] = field(default_factory=list)  # for a merge: the fields it fills or adds to


@dataclass
class ImportPlan:
    steps: list[Step] = field(default_factory=list)
    bad_rows: list[BadRow] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)  # --segment: the segment(s) they join

    def count(self, action: str) -> int:
        return sum(1 for step in self.steps if step.action == action)

    def records(self) -> list[Record]:
        """What to write: added and merged people, then the segments they join."""
        people = [step.person for step in self.steps if step.action in ("add", "merge")]
        return [*people, *self.segments]


def _name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


class _Index:
    """Who has which email, phone and name: the book's live people and the file's new ones."""

    def __init__(self, region: str | None) -> None:
        self.region = region
        self.emails: dict[str, str] = {}
        self.names: dict[str, str] = {}
        self.phones: dict[str, list[tuple[PhoneKey, str]]] = {}

    def add(self, person: Person) -> None:
        for email in person.emails:
            self.emails.setdefault(email.strip().casefold(), person.id)
        self.names.setdefault(_name_key(person.name), person.id)
        for phone in person.phones:
            key = phone_key(phone, self.region)
            if key is not None:
                self.phones.setdefault(key.national, []).append((key, person.id))

    def find(self, contact: Contact) -> tuple[str, str] | None:
        """(person id, what matched) for the first of email, phone, name that finds someone."""
        for email in contact.emails:
            if (pid := self.emails.get(email.strip().casefold())) is not None:
                return pid, f"same email ({email})"
        for phone in contact.phones:
            key = phone_key(phone, self.region)
            if key is None:
                continue
            for other, pid in self.phones.get(key.national, []):
                if same_number(key, other):
                    return pid, f"same phone ({phone})"
        if (pid := self.names.get(_name_key(contact.name))) is not None:
            return pid, "same name"
        return None


def _new_items(have: list[str], given: Iterable[str], key: Callable[[str], Any]) -> list[str]:
    seen = {key(item) for item in have}
    out = []
    for item in given:
        if item.strip() and key(item) not in seen:
            seen.add(key(item))
            out.append(item.strip())
    return out


def _merged(
    person: Person, contact: Contact, tags: list[str], region: str | None
) -> tuple[Person, list[str]]:
    """The person with what the contact adds: empty fields filled, new list items appended."""
    changes: dict[str, Any] = {}
    for name in FILLED:
        value = _notes(contact) if name == "notes" else getattr(contact, name)
        if value and not getattr(person, name):
            changes[name] = value

    def number(text: str) -> Any:
        key = phone_key(text, region)
        return key.national if key is not None else text.strip()

    phones = _new_items(person.phones, contact.phones, number)
    emails = _new_items(person.emails, contact.emails, lambda e: e.strip().casefold())
    new_tags = _new_items(person.tags, [*contact.tags, *tags], lambda t: t.strip().casefold())
    if phones:
        changes["phones"] = [*person.phones, *phones]
    if emails:
        changes["emails"] = [*person.emails, *emails]
    if new_tags:
        changes["tags"] = [*person.tags, *new_tags]
    return (replace(person, **changes) if changes else person), list(changes)


def _notes(contact: Contact) -> str:
    """The contact's notes, with the day the source says you connected (LinkedIn) kept too."""
    when = f"Connected on {long_day(date.fromisoformat(contact.connected_on))}." if contact.connected_on else ""
    return "\n".join(part for part in (contact.notes, when) if part)


def _new_person(contact: Contact, tags: list[str]) -> Person:
    return Person(
        name=" ".join(contact.name.split()),
        phones=_new_items([], contact.phones, lambda p: p.strip()),
        emails=_new_items([], contact.emails, lambda e: e.strip().casefold()),
        tags=_new_items([], [*contact.tags, *tags], lambda t: t.strip().casefold()),
        org=contact.org,
        role=contact.role,
        area=contact.area,
        birthday=contact.birthday,
        notes=_notes(contact),
    )


def plan_import(
    book: Book,
    contacts: list[Contact],
    *,
    region: str | None = None,
    tags: list[str] | None = None,
    segment: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportPlan:
    """What importing `contacts` into `book` does.  `tags` go on everyone the file brings (added
    or merged); `segment` names a segment they all join (made if new).  `progress(n)` is told
    how many contacts are done, now and then."""
    tags = tags or []
    plan = ImportPlan()
    index = _Index(region)
    live = {p.id: p for p in book.live_people()}
    for person in live.values():
        index.add(person)
    steps: dict[str, Step] = {}  # by person id
    for done, contact in enumerate(contacts, start=1):
        if progress is not None and done % 200 == 0:
            progress(done)
        found = index.find(contact)
        if found is None:
            person = _new_person(contact, tags)
            steps[person.id] = Step("add", person, [contact.line], "new")
            index.add(person)
            continue
        pid, why = found
        step = steps.get(pid)
        before = step.person if step else live[pid]
        merged, changed = _merged(before, contact, tags, region)
        if step is None:
            where = f"{why} as {before.name} (in the book)"
            step = steps[pid] = Step("merge" if changed else "skip", merged, [], where, changed)
        else:
            if step.action == "skip" and changed:
                step.action = "merge"
            step.person = merged
            step.changed = list(dict.fromkeys([*step.changed, *changed]))
        step.lines.append(contact.line)
        if step.action == "skip":
            step.reason = f"{why} as {before.name}, nothing new"
        index.add(merged)
    if progress is not None:
        progress(len(contacts))
    plan.steps = list(steps.values())
    if segment:
        plan.segments = _joined(book, segment, [s.person for s in plan.steps])
    return plan


def _joined(book: Book, name: str, people: list[Person]) -> list[Segment]:
    segment = book.find_segment(name) or Segment(name=" ".join(name.split()))
    joined = segment
    for person in people:
        joined = join(joined, person)
    return [joined] if joined is not segment or segment.id not in book.segments else []
