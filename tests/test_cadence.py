"""Cadence: words to RRULE, back to words, and the next day to be in touch."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from meetup_tui.domain.cadence import cadence_days, describe_cadence, next_due, parse_cadence
from meetup_tui.domain.errors import CadenceError


@pytest.mark.parametrize(
    ("words", "rule"),
    [
        ("weekly", "FREQ=WEEKLY"),
        ("every 2 weeks", "FREQ=WEEKLY;INTERVAL=2"),
        ("Every  2   Weeks", "FREQ=WEEKLY;INTERVAL=2"),
        ("fortnightly", "FREQ=WEEKLY;INTERVAL=2"),
        ("every other week", "FREQ=WEEKLY;INTERVAL=2"),
        ("every-other-week", "FREQ=WEEKLY;INTERVAL=2"),
        ("monthly", "FREQ=MONTHLY"),
        ("every month", "FREQ=MONTHLY"),
        ("quarterly", "FREQ=MONTHLY;INTERVAL=3"),
        ("every 10 days", "FREQ=DAILY;INTERVAL=10"),
        ("every three days", "FREQ=DAILY;INTERVAL=3"),
        ("yearly", "FREQ=YEARLY"),
        ("annually", "FREQ=YEARLY"),
        ("daily", "FREQ=DAILY"),
    ],
)
def test_words_become_rrules(words: str, rule: str) -> None:
    assert parse_cadence(words) == rule


@pytest.mark.parametrize(
    ("given_rule", "stored"),
    [
        ("FREQ=WEEKLY;BYDAY=MO", "FREQ=WEEKLY;BYDAY=MO"),
        ("freq=monthly;interval=2", "FREQ=MONTHLY;INTERVAL=2"),
        ("  FREQ=YEARLY  ", "FREQ=YEARLY"),
    ],
)
def test_an_rrule_passes_through(given_rule: str, stored: str) -> None:
    assert parse_cadence(given_rule) == stored


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("FREQ=WEEKLY", "weekly"),
        ("FREQ=WEEKLY;INTERVAL=2", "every 2 weeks"),
        ("FREQ=MONTHLY", "monthly"),
        ("FREQ=MONTHLY;INTERVAL=3", "quarterly"),
        ("FREQ=MONTHLY;INTERVAL=6", "every 6 months"),
        ("FREQ=DAILY;INTERVAL=10", "every 10 days"),
        ("FREQ=YEARLY", "yearly"),
        ("FREQ=YEARLY;INTERVAL=2", "every 2 years"),
    ],
)
def test_rules_are_described_in_words(rule: str, words: str) -> None:
    assert describe_cadence(rule) == words
    assert parse_cadence(words) == rule


@pytest.mark.parametrize(
    "bad",
    [
        "sometimes",
        "every 0 days",
        "",
        "   ",
        "every -2 weeks",
        "every 2.5 weeks",
        "every 1000 days",
        "FREQ=FORTNIGHTLY",
        "FREQ=WEEKLY;INTERVAL=0",
        "FREQ=WEEKLY;INTERVAL=-1",
        "FREQ=WEEKLY;INTERVAL=x",
        "FREQ=HOURLY",
        "FREQ=WEEKLY;BYDAY=XX",
    ],
)
def test_bad_cadences_say_what_was_typed(bad: str) -> None:
    with pytest.raises(CadenceError) as caught:
        parse_cadence(bad)
    message = str(caught.value)
    assert repr(bad) in message
    assert "every 2 weeks" in message  # and suggests what works
    assert "\n" not in message


@pytest.mark.parametrize(
    ("rule", "last", "due"),
    [
        ("FREQ=MONTHLY", date(2026, 1, 31), date(2026, 2, 28)),
        ("FREQ=MONTHLY", date(2024, 1, 31), date(2024, 2, 29)),
        ("FREQ=MONTHLY;INTERVAL=3", date(2026, 11, 30), date(2027, 2, 28)),
        ("FREQ=WEEKLY;INTERVAL=2", date(2026, 11, 26), date(2026, 12, 10)),
        ("FREQ=WEEKLY", date(2026, 12, 29), date(2027, 1, 5)),
        ("FREQ=DAILY;INTERVAL=10", date(2026, 11, 26), date(2026, 12, 6)),
        ("FREQ=YEARLY", date(2024, 2, 29), date(2025, 2, 28)),
    ],
)
def test_next_due_steps_by_the_calendar(rule: str, last: date, due: date) -> None:
    assert next_due(rule, last) == due


def test_next_due_with_byday_goes_through_rrule() -> None:
    thursday = date(2026, 11, 26)
    assert next_due("FREQ=WEEKLY;BYDAY=MO", thursday) == date(2026, 11, 30)
    # On a Monday itself, the next Monday.
    assert next_due("FREQ=WEEKLY;BYDAY=MO", date(2026, 11, 30)) == date(2026, 12, 7)
    # The first Friday of each month.
    assert next_due("FREQ=MONTHLY;BYDAY=1FR", thursday) == date(2026, 12, 4)


def test_a_rule_that_has_run_out_falls_back_to_its_interval() -> None:
    last = date(2026, 11, 26)
    assert next_due("FREQ=WEEKLY;COUNT=1", last) == last + timedelta(days=7)


def test_cadence_days_is_never_zero_even_for_a_hand_edited_rule() -> None:
    assert cadence_days("FREQ=WEEKLY;INTERVAL=2") == 14
    assert cadence_days("FREQ=MONTHLY;INTERVAL=3") == 90
    assert cadence_days("FREQ=WEEKLY;INTERVAL=0") == 1


_UNIT_WORDS = st.sampled_from(["day", "week", "month", "year"])


@given(interval=st.integers(1, 52), unit=_UNIT_WORDS, last=st.dates(date(1990, 1, 1), date(2090, 12, 31)))
def test_words_round_trip_and_next_due_is_later(interval: int, unit: str, last: date) -> None:
    words = f"every {interval} {unit}{'s' if interval > 1 else ''}"
    rule = parse_cadence(words)
    assert parse_cadence(describe_cadence(rule)) == rule
    assert next_due(rule, last) > last
