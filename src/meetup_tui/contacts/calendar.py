"""The calendar feed: open next steps (planned meetings among them) and birthdays as an
iCalendar file a phone can subscribe to.

Every entry is an all-day VEVENT, not a VTODO.  A feed is read by calendars that
*subscribe* to a URL or file: Google Calendar shows only the VEVENTs of a subscribed
.ics and drops VTODOs without a word, and iOS / macOS Calendar does the same (Reminders
does not subscribe to feeds at all).  An all-day event on the follow-up day shows up
everywhere, does not block the day (TRANSP:TRANSPARENT), and is what Google's own
"tasks in calendar" and birthday calendars look like.

The feed is a pure function of the book: no clock, no files.  The same book gives the
same bytes, so a calendar that polls the feed sees nothing change, and every entry keeps
its UID ("<interaction-id>@meetup-tui", "<person-id>-birthday@meetup-tui") when it
changes, so the calendar moves the event instead of adding a second one.  DTSTAMP and
LAST-MODIFIED come from the records' `updated_at`, never from the clock.

Text is data: names and notes go in as text (icalendar escapes what iCalendar needs:
`;`, `,`, `\\`, newlines); control characters iCalendar forbids — and terminal escapes
with them — are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar, Event, vRecur

from meetup_tui.domain.book import Book
from meetup_tui.domain.records import CHANNELS, Interaction, Person

PRODID = "-//meetup-tui//meetup-tui calendar feed//EN"
UID_DOMAIN = "meetup-tui"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)  # the stamp of a record whose stamps cannot be read

# C0 controls but tab and newline, DEL, and the C1 controls (0x9b is a terminal's CSI too).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_BIRTHDAY = re.compile(r"(\d{4}|-)-(\d{2})-(\d{2})")

# A next step that is only a way of meeting ("coffee": what plans.py records for a planned
# meeting) reads as the meeting itself.
_MEETINGS = {kind: f"{kind.capitalize()} with" for kind in CHANNELS} | {"message": "Message"}


def clean(text: str) -> str:
    """`text` without the control characters iCalendar forbids (tab and newline kept; a
    CR or CRLF becomes a newline)."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _line(text: str) -> str:
    """Clean text on one line (a SUMMARY)."""
    return " ".join(clean(text).split())


@dataclass(frozen=True)
class _Entry:
    """One VEVENT before it is built: what it is sorted by, and the event."""

    start: date
    order: int  # follow-ups before birthdays on the same day
    summary: str
    uid: str
    event: Event


def calendar_feed(book: Book, *, today: date, owner: str | None = None, name: str = "meetup-tui") -> bytes:
    """The book's calendar as iCalendar bytes (UTF-8, CRLF lines, folded at 75 octets).

    - Each open next step with a follow-up date (open until someone marks it done) is an
      all-day event on that day: "Coffee with
      Maya Okafor" for a planned meeting (a next step that is a way of meeting, see
      domain/plans.py), "Follow up: send the price list — Maya Okafor" otherwise.  One log
      entry open for several people is one event naming them all.  The description holds
      the next step, the entry's note and the people's phones and emails.
    - Each live person's birthday is a yearly all-day event; a birthday without a year
      starts in `today`'s year, and 29 February falls on 28 February in other years.
    - `owner`: only the people that user looks after, and those nobody does.
    - Deleted people and deleted log entries are left out.

    Events are sorted by day, then summary, then UID, so the output depends only on the book
    (and on `today`'s year, for birthdays without one).
    """

    def wanted(person: Person) -> bool:
        return not person.deleted and (owner is None or person.owner in ("", owner))

    entries: list[_Entry] = []

    # One event per log entry with an open dated step, naming everyone it is with.
    for step in book.all_open_steps():
        people = [p for p in map(book.people.get, step.people) if p is not None and wanted(p)]
        if step.follow_up and people:
            entry = _follow_up_entry(step, sorted(people, key=lambda p: (p.name.casefold(), p.id)))
            if entry is not None:
                entries.append(entry)

    for person in book.people.values():
        if wanted(person) and person.birthday:
            entry = _birthday_entry(person, today)
            if entry is not None:
                entries.append(entry)

    entries.sort(key=lambda e: (e.start, e.order, e.summary.casefold(), e.summary, e.uid))

    feed = Calendar()
    feed.add("prodid", PRODID)
    feed.add("version", "2.0")
    feed.add("calscale", "GREGORIAN")
    feed.add("method", "PUBLISH")
    feed.add("x-wr-calname", _line(name))
    feed.add("name", _line(name))
    # Hints for subscribers on how often to fetch the feed again (those that read them).
    feed.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    feed.add("x-published-ttl", "PT1H")
    for entry in entries:
        feed.add_component(entry.event)
    return feed.to_ical()


def _follow_up_entry(step: Interaction, people: list[Person]) -> _Entry | None:
    try:
        day = date.fromisoformat((step.follow_up or "")[:10])
    except ValueError:
        return None  # not a date (a hand-edited file): nothing to put on a day
    names = _names(people)
    said = _line(step.next_step)
    meeting = _MEETINGS.get(said.casefold())
    if meeting:
        summary = f"{meeting} {names}"
    elif said:
        summary = f"Follow up: {said} — {names}"
    else:
        summary = f"Follow up with {names}"
    lines: list[str] = []
    if said and not meeting:
        lines.append(f"Next step: {clean(step.next_step).strip()}")
    if step.note.strip():
        lines.append(clean(step.note).strip())
    lines.extend(_reach(person) for person in people)
    stamp = max((_stamp(step), *(_stamp(p) for p in people)))
    uid = f"{_line(step.id)}@{UID_DOMAIN}"
    return _Entry(day, 0, summary, uid, _event(uid, stamp, day, summary, "\n".join(lines)))


def _birthday_entry(person: Person, today: date) -> _Entry | None:
    match = _BIRTHDAY.fullmatch((person.birthday or "").strip())
    if not match:
        return None
    year_said, month, day_of_month = match.group(1), int(match.group(2)), int(match.group(3))
    year = today.year if year_said == "-" else int(year_said)
    leap_day = (month, day_of_month) == (2, 29)
    try:
        if leap_day:  # the last day of February: the 29th in leap years, the 28th in others
            start = date(year, 3, 1) - timedelta(days=1)
            if year_said != "-" and start.day != 29:
                return None  # "1990-02-29" is no day at all
        else:
            start = date(year, month, day_of_month)
    except ValueError:
        return None  # "--13-40" or the like from a hand-edited file
    rule = {"FREQ": "YEARLY", "BYMONTH": 2, "BYMONTHDAY": -1} if leap_day else {"FREQ": "YEARLY"}
    summary = f"Birthday: {_line(person.name)}"
    uid = f"{_line(person.id)}-birthday@{UID_DOMAIN}"
    event = _event(uid, _stamp(person), start, summary, _reach(person))
    event.add("rrule", vRecur(rule))
    return _Entry(start, 1, summary, uid, event)


def _event(uid: str, stamp: datetime, day: date, summary: str, description: str) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("last-modified", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", summary)
    if description:
        event.add("description", description)
    event.add("transp", "TRANSPARENT")  # a reminder on the day, not a busy day
    return event


def _names(people: Iterable[Person]) -> str:
    """ "Maya Okafor", "Maya Okafor and Tom Reed", "A, B and C"."""
    names = [_line(p.name) or "someone without a name" for p in people]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _reach(person: Person) -> str:
    """ "Maya Okafor: +1 555 0100, maya@example.com" — how to get hold of them."""
    ways = [_line(x) for x in (*person.phones, *person.emails) if _line(x)]
    name = _line(person.name) or "someone without a name"
    return f"{name}: {', '.join(ways)}" if ways else name


def _stamp(record: Person | Interaction) -> datetime:
    """When the record last changed, in UTC to the second (for DTSTAMP: never the clock)."""
    for value in (record.updated_at, record.created_at):
        try:
            moment = datetime.fromisoformat(value)
        except (TypeError, ValueError):
            continue
        moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
        return moment.astimezone(UTC).replace(microsecond=0)
    return _EPOCH
