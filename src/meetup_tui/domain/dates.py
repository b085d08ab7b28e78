"""Dates as people say them ("yesterday 3pm", "3d", "next monday", "dec 12") and as they read them.

A date that cannot be understood is an error, never a guess.  Words that only make sense
one way round are read in the direction of the field: "3d" is three days *ago* when
logging what happened and *in* three days when snoozing or setting a follow-up.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from meetup_tui.domain.errors import DateError


def _dateutil_parse(text: str, **options: object) -> datetime:
    """dateutil's reader, imported on first use: it costs a command that reads no dates
    from words (`today`, `people`) a tenth of its start-up."""
    from dateutil import parser

    return parser.parse(text, **options)  # type: ignore[arg-type]

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_SHORT_DAYS = {d[:3]: i for i, d in enumerate(_WEEKDAYS)} | {d: i for i, d in enumerate(_WEEKDAYS)}
_UNIT = {"d": "days", "w": "weeks", "m": "months", "y": "years"}
_SPAN = re.compile(r"^(?:(in)\s+)?(\d+)\s*(d|w|m|y|days?|weeks?|months?|years?)(?:\s+(ago))?$")
_WEEKDAY = re.compile(r"^(?:(next|last|this)\s+)?([a-z]+)$")
_HINT = "try 'today', 'yesterday 3pm', '3d', '2w', 'next monday', 'dec 12' or '2026-12-01 10:00'"


def _at_time(day: date, clock: time | None) -> datetime:
    return datetime.combine(day, clock or time(0, 0))


def _split_time(words: str) -> tuple[str, time | None]:
    """Take a trailing time ("3pm", "10:00", "9:30am") off the words."""
    match = re.match(r"^(.*?)\s*(?:at\s+)?(\d{1,2}(?::\d{2})?\s*(?:am|pm)|\d{1,2}:\d{2})$", words)
    if not match or not match.group(1) and not words[:1].isdigit():
        return words, None
    head, clock = match.groups()
    if not head and ":" not in clock and not clock.endswith(("am", "pm")):
        return words, None
    try:
        parsed = _dateutil_parse(clock, default=datetime(2000, 1, 1)).time()
    except (ValueError, OverflowError):
        return words, None
    return head.strip(), parsed


# The days a fixed "today" may be: counting around it (cadences, introductions, birthdays
# ahead) must stay inside the calendar Python knows (years 1 to 9999), with room to spare.
FIRST_TODAY, LAST_TODAY = date(1900, 1, 1), date(2999, 12, 31)


def check_today(day: date, source: str) -> date:
    """`day` if it may be today (--today, MEETUP_TUI_TODAY); else a DateError naming `source`."""
    if not FIRST_TODAY <= day <= LAST_TODAY:
        raise DateError(
            f"{source} {day.isoformat()} is too far from now; "
            f"give a day from {FIRST_TODAY.isoformat()} to {LAST_TODAY.isoformat()}."
        )
    return day


def parse_when(text: str, now: datetime, *, future: bool, dayfirst: bool = False) -> datetime:
    """Read `text` relative to `now`.  `future` says which way bare spans and dates point."""
    try:
        return _read_when(text, now, future=future, dayfirst=dayfirst)
    except (OverflowError, ValueError):  # "99999999d": past the calendar's years 1 to 9999
        raise DateError(f"The date {text.strip()!r} is too far away; {_HINT}.") from None


def _read_when(text: str, now: datetime, *, future: bool, dayfirst: bool) -> datetime:
    words = " ".join(text.lower().split())
    if not words:
        raise DateError(f"The date is empty; {_HINT}.")
    head, clock = _split_time(words)
    today = now.date()
    if head in ("", "now"):
        return now if clock is None else _at_time(today, clock)
    if head == "today":
        return _at_time(today, clock) if clock or future else now
    if head == "yesterday":
        return _at_time(today - timedelta(days=1), clock)
    if head == "tomorrow":
        return _at_time(today + timedelta(days=1), clock)
    if head == "next week":
        return _at_time(today + timedelta(days=7 - today.weekday()), clock)
    if head == "next month":
        return _at_time(today.replace(day=1) + relativedelta(months=1), clock)
    span = _SPAN.match(head)
    if span:
        into, count, unit, ago = span.groups()
        if into and ago:
            raise DateError(f"The date {text!r} says both 'in' and 'ago'; {_HINT}.")
        forward = True if into else False if ago else future
        delta = relativedelta(**{_UNIT[unit[0]]: int(count)})
        return _at_time(today + delta if forward else today - delta, clock)
    weekday = _WEEKDAY.match(head)
    if weekday and weekday.group(2) in _SHORT_DAYS:
        which, name = weekday.groups()
        target = _SHORT_DAYS[name]
        forward = which in ("next", "this") or (which is None and future)
        if forward:
            ahead = (target - today.weekday()) % 7 or 7
            return _at_time(today + timedelta(days=ahead), clock)
        back = (today.weekday() - target) % 7 or 7
        return _at_time(today - timedelta(days=back), clock)
    return _parse_calendar(text, head, clock, today, future=future, dayfirst=dayfirst)


def _typed_year(words: str) -> int | None:
    """The four-digit year in the words, if one was typed ("2026-03-04", "dec 12 2026")."""
    found = re.search(r"\d{4}", words)
    return int(found.group()) if found else None


def _day_first(words: str, preferred: bool) -> bool:
    """Whether dateutil should read "03/04" day first: as preferred, except that a date
    starting with its year is year-month-day ("2026-03-04" would become 3 April)."""
    return preferred and not re.match(r"\d{4}\b", words)


def _parse_calendar(
    text: str, head: str, clock: time | None, today: date, *, future: bool, dayfirst: bool
) -> datetime:
    """ "dec 12", "2026-12-01 10:00", "12/01": dateutil, then pick the year by direction."""
    year = _typed_year(head)
    if head.isdigit() and len(head) != 8:  # "5", "2026": which day?  Never guess.
        raise DateError(f"The date {text!r} is only a number; {_HINT}.")
    try:
        parsed = _dateutil_parse(head, default=_at_time(today, None), dayfirst=_day_first(head, dayfirst))
    except (ValueError, OverflowError):
        raise DateError(f"Could not understand the date {text!r}; {_HINT}.") from None
    if year is not None and parsed.year != year:  # "0099" read as 1999: never a guess
        raise DateError(f"Could not understand the year in {text!r}; {_HINT}.")
    if year is None:
        if future and parsed.date() < today:
            parsed += relativedelta(years=1)
        elif not future and parsed.date() > today:
            parsed -= relativedelta(years=1)
    if clock is not None:
        parsed = _at_time(parsed.date(), clock)
    return parsed


def parse_day(text: str, today: date, *, future: bool = True, dayfirst: bool = False) -> date:
    """A calendar day from words: for snoozes, follow-ups, birthdays."""
    return parse_when(text, _at_time(today, None), future=future, dayfirst=dayfirst).date()


def relative_day(day: date, today: date) -> str:
    """ "today", "yesterday", "3 days ago", "in 2 weeks", "5 months ago"."""
    delta = (day - today).days
    if delta == 0:
        return "today"
    if delta == -1:
        return "yesterday"
    if delta == 1:
        return "tomorrow"
    span = abs(delta)
    if span < 14:
        amount = f"{span} days"
    elif span < 60:
        amount = f"{span // 7} weeks"
    elif span < 730:
        amount = f"{round(span / 30.44)} months"
    else:
        amount = f"{span // 365} years"
    return f"in {amount}" if delta > 0 else f"{amount} ago"


def iso_minute(moment: datetime) -> str:
    return moment.replace(second=0, microsecond=0).isoformat(timespec="minutes")


_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def long_day(day: date) -> str:
    """ "Thursday 26 November 2026", the same whatever the locale."""
    return f"{_WEEKDAYS[day.weekday()].capitalize()} {day.day} {_MONTHS[day.month - 1]} {day.year}"


def short_day(day: date, today: date | None = None) -> str:
    """ "Tue 1 Dec"; "Tue 1 Dec 2026" when `today` is in another year."""
    said = f"{_WEEKDAYS[day.weekday()][:3].capitalize()} {day.day} {_MONTHS[day.month - 1][:3]}"
    return said if today is None or today.year == day.year else f"{said} {day.year}"


def happened_at(text: str, now: datetime, *, dayfirst: bool = False) -> datetime:
    """When something that was logged happened: words count back from now, never past today."""
    moment = parse_when(text, now, future=False, dayfirst=dayfirst)
    if moment.date() > now.date():
        raise DateError(
            f"{text.strip()!r} is {long_day(moment.date())}, after today; log only what has happened."
        )
    return moment


def snooze_day(text: str, today: date, *, dayfirst: bool = False) -> date:
    """Until when to snooze: a day after today, or the snooze would do nothing."""
    day = parse_day(text, today, future=True, dayfirst=dayfirst)
    if day <= today:
        raise DateError(f"{text.strip()!r} is {relative_day(day, today)}; a snooze needs a day after today.")
    return day


def parse_birthday(text: str, today: date, *, dayfirst: bool = False) -> str | None:
    """A birthday as the record keeps it: "1990-03-14", or "--03-14" when no year is given.

    Blank is None (no birthday).  The day and the month must both be said: "March" or "14"
    alone is an error, as are words that count ("3d", "next monday") and a year to come.
    """
    words = " ".join(text.split())
    if not words:
        return None
    year = _typed_year(words)
    dayfirst = _day_first(words, dayfirst)
    try:  # read twice with different defaults: a field that changes was not said
        first, second = (
            _dateutil_parse(words, default=datetime(2000, m, m), dayfirst=dayfirst) for m in (1, 2)
        )
    except (ValueError, OverflowError):
        raise DateError(f"Could not read the birthday {words!r}; try '14 March' or '1990-03-14'.") from None
    if (first.month, first.day) != (second.month, second.day):
        raise DateError(f"The birthday {words!r} needs a day and a month, like '14 March'.")
    if year is None:
        return f"--{first.month:02d}-{first.day:02d}"
    if first.year != year:  # dateutil reads "0001" as 2001: never store a guess
        raise DateError(f"Could not read the year in the birthday {words!r}; try '14 March 1990'.")
    if first.date() > today:
        raise DateError(f"The birthday {words!r} is after today; leave the year out if it is not known.")
    return first.date().isoformat()


def describe_birthday(value: str) -> str:
    """ "14 March" for "--03-14", "14 March 1990" for "1990-03-14"; a value it cannot read as is."""
    match = re.fullmatch(r"(\d{4}|-)-(\d{2})-(\d{2})", value.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        return value
    year, month, day = match.groups()
    said = f"{int(day)} {_MONTHS[int(month) - 1]}"
    return said if year == "-" else f"{said} {year}"
