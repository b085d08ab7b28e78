"""Cadence: how often to stay in touch, entered as words and stored as an RRULE."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from dateutil.rrule import rrulestr

from meetup_tui.domain.errors import CadenceError

_UNITS = {
    "day": "DAILY",
    "days": "DAILY",
    "week": "WEEKLY",
    "weeks": "WEEKLY",
    "month": "MONTHLY",
    "months": "MONTHLY",
    "year": "YEARLY",
    "years": "YEARLY",
}
_WORDS = {
    "daily": ("DAILY", 1),
    "weekly": ("WEEKLY", 1),
    "fortnightly": ("WEEKLY", 2),
    "biweekly": ("WEEKLY", 2),
    "monthly": ("MONTHLY", 1),
    "bimonthly": ("MONTHLY", 2),
    "quarterly": ("MONTHLY", 3),
    "yearly": ("YEARLY", 1),
    "annually": ("YEARLY", 1),
}
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "other": 2}
_EVERY = re.compile(r"^(?:every\s+)?(\w+)?\s*(day|days|week|weeks|month|months|year|years)$")
_APPROX_DAYS = {"DAILY": 1, "WEEKLY": 7, "MONTHLY": 30, "YEARLY": 365}
_SINGULAR = {"DAILY": "day", "WEEKLY": "week", "MONTHLY": "month", "YEARLY": "year"}


def _rule(freq: str, interval: int) -> str:
    return f"FREQ={freq}" if interval == 1 else f"FREQ={freq};INTERVAL={interval}"


def parse_cadence(text: str) -> str:
    """Turn "every 2 weeks", "monthly", "quarterly", "every 10 days" (or an RRULE) into an RRULE."""
    # "every-other-week" reads as words, but "every -2 weeks" must stay negative (and fail).
    words = " ".join(re.sub(r"(?<=[a-z])-(?=[a-z])", " ", text.lower()).split())
    if words in _WORDS:
        return _rule(*_WORDS[words])
    match = _EVERY.match(words)
    if match:
        count_word, unit = match.groups()
        if count_word is None:
            count = 1
        elif count_word.isdigit():
            count = int(count_word)
        else:
            count = _NUMBERS.get(count_word, 0)
        if 1 <= count <= 999:
            return _rule(_UNITS[unit], count)
    if words.upper().startswith("FREQ="):
        rule = text.strip().upper()
        try:
            freq, interval = _parts(rule)
            rrulestr(rule, dtstart=datetime(2000, 1, 1))
        except (ValueError, TypeError):
            pass
        else:
            if freq in _SINGULAR and 1 <= interval <= 999:  # no INTERVAL=0, no hourly cadence
                return rule
    raise CadenceError(
        f"Could not understand the cadence {text!r}; "
        "try 'weekly', 'every 2 weeks', 'monthly', 'quarterly' or 'every 10 days'."
    )


def _parts(rule: str) -> tuple[str, int]:
    fields = dict(part.split("=", 1) for part in rule.upper().split(";") if "=" in part)
    return fields.get("FREQ", "MONTHLY"), int(fields.get("INTERVAL", "1"))


def describe_cadence(rule: str) -> str:
    """Words for an RRULE: "every 2 weeks", "monthly"."""
    freq, interval = _parts(rule)
    if interval == 1:
        return {"DAILY": "daily", "WEEKLY": "weekly", "MONTHLY": "monthly", "YEARLY": "yearly"}.get(
            freq, rule
        )
    if freq == "MONTHLY" and interval == 3:
        return "quarterly"
    return f"every {interval} {_SINGULAR.get(freq, 'period')}s"


def cadence_days(rule: str) -> int:
    """The rule's interval in (approximate) days, for comparing how overdue people are."""
    freq, interval = _parts(rule)
    return max(1, _APPROX_DAYS.get(freq, 30) * interval)


_STEP = {"DAILY": "days", "WEEKLY": "weeks", "MONTHLY": "months", "YEARLY": "years"}


def next_due(rule: str, last: date) -> date:
    """The first day after `last` on which the cadence says to be in touch again.

    Plain FREQ/INTERVAL rules step by calendar (monthly from Jan 31 is Feb 28, where a
    bare RRULE would skip to Mar 31); richer rules (BYDAY...) go through dateutil.rrule.
    """
    try:
        return _next_due(rule, last)
    except (OverflowError, ValueError):  # past the year 9999 (a rule from a file, INTERVAL=5000)
        return date.max


def _next_due(rule: str, last: date) -> date:
    fields = {part.split("=", 1)[0] for part in rule.upper().split(";") if "=" in part}
    if fields <= {"FREQ", "INTERVAL"}:
        freq, interval = _parts(rule)
        if freq in _STEP:
            return last + relativedelta(**{_STEP[freq]: interval})
    start = datetime(last.year, last.month, last.day)
    following = rrulestr(rule, dtstart=start).after(start)
    if following is None:  # a rule with COUNT/UNTIL that has run out
        return last + timedelta(days=cadence_days(rule))
    return following.date()
