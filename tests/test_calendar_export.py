"""The calendar feed (contacts/calendar.py): open next steps and planned meetings as
all-day events on their day, birthdays as yearly events, stable UIDs and bytes, the owner
filter, and names that are data.  Each feed is read back with icalendar."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime

from dateutil.rrule import rrulestr
from icalendar import Calendar, Event

from meetup_tui.contacts.calendar import calendar_feed
from meetup_tui.domain.book import Book
from meetup_tui.domain.plans import plan_records
from meetup_tui.domain.records import Interaction, Person, Record

MakeBook = Callable[..., Book]
TODAY = date(2026, 11, 26)
STAMP = "2026-11-20T10:00:00.000000Z"


def maya(**fields: object) -> Person:
    return Person(
        name="Maya Okafor",
        phones=["+1 555 0100"],
        emails=["maya@example.com"],
        created_at=STAMP,
        **fields,  # type: ignore[arg-type]
    )


def step(at: str, *people: Person, outcome: str = "reached", **fields: object) -> Interaction:
    return Interaction(
        at=at,
        people=[p.id for p in people],
        outcome=outcome,
        created_at=STAMP,
        **fields,  # type: ignore[arg-type]
    )


def events(feed: bytes) -> list[Event]:
    return list(Calendar.from_ical(feed).walk("VEVENT"))


def by_uid(feed: bytes) -> dict[str, Event]:
    found = events(feed)
    uids = [str(e["UID"]) for e in found]
    assert len(uids) == len(set(uids)), "every UID once"
    return dict(zip(uids, found))


def day_of(event: Event) -> date:
    start = event.decoded("DTSTART")
    assert type(start) is date, "all-day: a DATE, not a DATE-TIME"
    return start


def summaries(feed: bytes) -> list[str]:
    return [str(e["SUMMARY"]) for e in events(feed)]


def feed_of(book: Book, **options: object) -> bytes:
    return calendar_feed(book, today=TODAY, **options)  # type: ignore[arg-type]


# -- the calendar itself -----------------------------------------------------------------


def test_the_feed_parses_and_names_itself(make_book: MakeBook) -> None:
    cal = Calendar.from_ical(feed_of(make_book(maya()), name="Corner Café"))
    assert str(cal["VERSION"]) == "2.0"
    assert "meetup-tui" in str(cal["PRODID"])
    assert str(cal["X-WR-CALNAME"]) == "Corner Café"


def test_an_empty_book_is_a_valid_empty_calendar(make_book: MakeBook) -> None:
    feed = feed_of(make_book())
    assert feed.startswith(b"BEGIN:VCALENDAR\r\n") and feed.endswith(b"END:VCALENDAR\r\n")
    assert events(feed) == []


# -- next steps and planned meetings ------------------------------------------------------


def test_a_next_step_is_an_all_day_event_on_its_follow_up_day(make_book: MakeBook) -> None:
    person = maya()
    talk = step(
        "2026-11-20T10:00",
        person,
        kind="coffee",
        note="Talked about the winter menu",
        next_step="send the winter price list",
        follow_up="2026-12-03",
    )
    (event,) = events(feed_of(make_book(person, talk)))
    assert day_of(event) == date(2026, 12, 3)
    assert event.decoded("DTEND") == date(2026, 12, 4)
    assert str(event["SUMMARY"]) == "Follow up: send the winter price list — Maya Okafor"
    assert str(event["UID"]) == f"{talk.id}@meetup-tui"
    description = str(event["DESCRIPTION"])
    assert "Next step: send the winter price list" in description
    assert "Talked about the winter menu" in description
    assert "+1 555 0100" in description and "maya@example.com" in description
    assert str(event["TRANSP"]) == "TRANSPARENT"
    assert event.get("RRULE") is None


def test_a_planned_meeting_reads_as_the_meeting(make_book: MakeBook) -> None:
    person = maya()
    now = datetime(2026, 11, 26, 9, 30)
    records = plan_records(person, "coffee", date(2026, 11, 30), now, "sam@shop")
    (event,) = events(feed_of(make_book(person, *records)))
    assert str(event["SUMMARY"]) == "Coffee with Maya Okafor"
    assert day_of(event) == date(2026, 11, 30)
    description = str(event["DESCRIPTION"])
    assert "Planned coffee for Monday 30 November 2026" in description
    assert "+1 555 0100" in description
    assert "Next step" not in description, "the summary already says what is planned"


def test_a_follow_up_date_without_a_step_still_says_who(make_book: MakeBook) -> None:
    person = maya()
    (event,) = events(feed_of(make_book(person, step("2026-11-20T10:00", person, follow_up="2026-12-01"))))
    assert str(event["SUMMARY"]) == "Follow up with Maya Okafor"


def test_one_entry_open_for_two_people_is_one_event_naming_both(make_book: MakeBook) -> None:
    person, tom = maya(), Person(name="Tom Reed", created_at=STAMP)
    lunch = step("2026-11-20T12:00", person, tom, next_step="lunch", follow_up="2026-12-02")
    book = make_book(person, tom, lunch)
    (event,) = events(feed_of(book))
    assert str(event["SUMMARY"]) == "Lunch with Maya Okafor and Tom Reed"
    # Tom talks again about something else: the lunch is still on, for both, same UID.
    book.put(step("2026-11-24T09:00", tom))
    (event,) = events(feed_of(book))
    assert str(event["SUMMARY"]) == "Lunch with Maya Okafor and Tom Reed"
    assert str(event["UID"]) == f"{lunch.id}@meetup-tui"


def test_every_open_step_is_there_until_marked_done(make_book: MakeBook) -> None:
    person = maya()
    older = step("2026-11-10T10:00", person, next_step="call back", follow_up="2026-11-20")
    newer = step("2026-11-18T10:00", person, outcome="attempt", next_step="call", follow_up="2026-11-28")
    book = make_book(person, older, newer)
    assert sorted(by_uid(feed_of(book))) == sorted(f"{s.id}@meetup-tui" for s in (older, newer))
    book.put(step("2026-11-25T10:00", person, note="sent them over coffee"))
    assert len(events(feed_of(book))) == 2, "a later talk does not close a step"
    book.put(replace(older, done="2026-11-25"))
    (event,) = events(feed_of(book))
    assert str(event["UID"]) == f"{newer.id}@meetup-tui"
    assert str(event["SUMMARY"]) == "Call with Maya Okafor"


def test_a_changed_follow_up_moves_the_event_and_keeps_its_uid(make_book: MakeBook) -> None:
    person = maya()
    talk = step("2026-11-20T10:00", person, next_step="send prices", follow_up="2026-12-03")
    book = make_book(person, talk)
    before = by_uid(feed_of(book))
    book.put(replace(talk, follow_up="2026-12-10", updated_at="2026-11-22T08:00:00.000000Z"))
    after = by_uid(feed_of(book))
    assert list(after) == list(before) == [f"{talk.id}@meetup-tui"]
    (event,) = after.values()
    assert day_of(event) == date(2026, 12, 10)
    assert event.decoded("DTSTAMP") == datetime(2026, 11, 22, 8, 0, tzinfo=UTC)


# -- stable output ---------------------------------------------------------------------------


def shop() -> list[Record]:
    ana = Person(name="Ana Ruiz", birthday="--07-02", created_at=STAMP)
    person = maya(birthday="1990-03-14")
    tom = Person(name="Tom Reed", created_at=STAMP)
    return [
        ana,
        person,
        tom,
        step("2026-11-20T10:00", person, next_step="send prices", follow_up="2026-12-03"),
        step("2026-11-21T10:00", tom, next_step="coffee", outcome="attempt", follow_up="2026-12-01"),
        step("2026-11-22T10:00", ana, next_step="visit", follow_up="2026-12-01"),
    ]


def test_two_exports_of_the_same_book_are_the_same_bytes(make_book: MakeBook) -> None:
    records = shop()
    first = feed_of(make_book(*records))
    assert feed_of(make_book(*records)) == first
    # The same records read back from their documents, put in the other order: same bytes.
    copies = [type(r).from_doc(r.to_doc()) for r in reversed(records)]
    assert feed_of(make_book(*copies)) == first
    assert len(events(first)) == 5


def test_dtstamp_comes_from_the_records_not_the_clock(make_book: MakeBook) -> None:
    person = maya(updated_at="2026-11-01T07:00:00.000000Z")
    talk = step("2026-11-20T10:00", person, next_step="call", follow_up="2026-12-03")
    found = by_uid(feed_of(make_book(person, talk)))
    stamp = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)  # the talk's, the newer of the two
    assert found[f"{talk.id}@meetup-tui"].decoded("DTSTAMP") == stamp
    # A change to the person (their phone is in the event) moves the stamp too.
    book = make_book(replace(person, phones=["+1 555 0199"], updated_at="2026-11-24T09:00:00.000000Z"), talk)
    event = by_uid(feed_of(book))[f"{talk.id}@meetup-tui"]
    assert event.decoded("DTSTAMP") == datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    assert "+1 555 0199" in str(event["DESCRIPTION"])


def test_events_come_in_day_order(make_book: MakeBook) -> None:
    days = [day_of(e) for e in events(feed_of(make_book(*shop())))]
    assert days == sorted(days)
    assert summaries(feed_of(make_book(*shop())))[:2] == ["Birthday: Maya Okafor", "Birthday: Ana Ruiz"]


# -- who is in it ----------------------------------------------------------------------------


def test_deleted_people_and_deleted_entries_are_left_out(make_book: MakeBook) -> None:
    gone = Person(name="Gone Person", birthday="1980-01-05", deleted=True, created_at=STAMP)
    person = maya()
    book = make_book(
        gone,
        person,
        step("2026-11-20T10:00", gone, next_step="call", follow_up="2026-12-01"),
        step("2026-11-20T11:00", person, next_step="call", follow_up="2026-12-02", deleted=True),
    )
    feed = feed_of(book)
    assert events(feed) == []
    assert b"Gone" not in feed


def test_the_owner_filter_keeps_theirs_and_the_unowned(make_book: MakeBook) -> None:
    sams = maya(owner="sam@shop", birthday="--05-01")
    alexs = Person(name="Tom Reed", owner="alex@shop", birthday="--06-01", created_at=STAMP)
    nobodys = Person(name="Ana Ruiz", birthday="--07-01", created_at=STAMP)
    book = make_book(
        sams,
        alexs,
        nobodys,
        *(
            step("2026-11-20T10:00", p, next_step="call", follow_up="2026-12-01")
            for p in (sams, alexs, nobodys)
        ),
    )
    mine = summaries(feed_of(book, owner="sam@shop"))
    assert sorted(mine) == [
        "Birthday: Ana Ruiz",
        "Birthday: Maya Okafor",
        "Call with Ana Ruiz",
        "Call with Maya Okafor",
    ]
    assert len(summaries(feed_of(book))) == 6


# -- birthdays -----------------------------------------------------------------------------------


def test_a_birthday_repeats_every_year(make_book: MakeBook) -> None:
    person = maya(birthday="1990-03-14")
    (event,) = events(feed_of(make_book(person)))
    assert str(event["UID"]) == f"{person.id}-birthday@meetup-tui"
    assert str(event["SUMMARY"]) == "Birthday: Maya Okafor"
    assert day_of(event) == date(1990, 3, 14)
    assert event.decoded("DTEND") == date(1990, 3, 15)
    rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=datetime(1990, 3, 14))
    assert rule.between(datetime(2026, 1, 1), datetime(2028, 1, 1)) == [
        datetime(2026, 3, 14),
        datetime(2027, 3, 14),
    ]


def test_a_birthday_without_a_year_starts_this_year(make_book: MakeBook) -> None:
    person = maya(birthday="--07-02")
    (event,) = events(feed_of(make_book(person)))
    assert day_of(event) == date(2026, 7, 2)
    assert event["RRULE"]["FREQ"] == ["YEARLY"]


def test_a_leap_day_birthday_is_on_the_last_day_of_february_each_year(make_book: MakeBook) -> None:
    person = maya(birthday="--02-29")
    (event,) = events(feed_of(make_book(person)))
    assert day_of(event) == date(2026, 2, 28)
    rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=datetime(2026, 2, 28))
    assert [d.date() for d in rule[:3]] == [date(2026, 2, 28), date(2027, 2, 28), date(2028, 2, 29)]


def test_a_birthday_that_is_no_date_is_left_out(make_book: MakeBook) -> None:
    book = make_book(maya(birthday="--13-40"), Person(name="Bo Lee", birthday="someday", created_at=STAMP))
    assert events(feed_of(book)) == []


# -- text is data ------------------------------------------------------------------------------


def test_markup_and_escape_codes_are_text(make_book: MakeBook) -> None:
    person = Person(
        name="[bold red]Evil[/] \x1b[31mRed\x07; Co, Ltd \\ x",
        phones=["+1 555 0100\x00"],
        created_at=STAMP,
    )
    talk = step(
        "2026-11-20T10:00",
        person,
        note="line one\r\nline two\x1b]0;pwned\x07",
        next_step="send [link]",
        follow_up="2026-12-01",
    )
    feed = feed_of(make_book(person, talk), name="Shop\x1b[2J")
    for forbidden in (b"\x1b", b"\x07", b"\x00"):
        assert forbidden not in feed
    assert b"\\;" in feed and b"\\," in feed, "icalendar escapes what iCalendar needs"
    cal = Calendar.from_ical(feed)
    assert str(cal["X-WR-CALNAME"]) == "Shop[2J"
    (event,) = events(feed)
    assert str(event["SUMMARY"]) == "Follow up: send [link] — [bold red]Evil[/] [31mRed; Co, Ltd \\ x"
    description = str(event["DESCRIPTION"])
    assert "line one\nline two]0;pwned" in description
    assert "[bold red]Evil[/] [31mRed; Co, Ltd \\ x: +1 555 0100" in description
