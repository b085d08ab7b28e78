"""Dates as people type them, read relative to a fixed moment: Thursday 2026-11-26 09:15."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from meetup_tui.domain.dates import (
    describe_birthday,
    happened_at,
    iso_minute,
    parse_birthday,
    parse_day,
    parse_when,
    relative_day,
    snooze_day,
)
from meetup_tui.domain.errors import DateError

NOW = datetime(2026, 11, 26, 9, 15)
TODAY = NOW.date()


def test_now_is_a_thursday() -> None:
    assert TODAY.strftime("%A") == "Thursday"


@pytest.mark.parametrize(
    ("text", "future", "expected"),
    [
        ("today", False, NOW),
        ("today", True, datetime(2026, 11, 26, 0, 0)),
        ("Today 10:00", False, datetime(2026, 11, 26, 10, 0)),
        ("yesterday 3pm", False, datetime(2026, 11, 25, 15, 0)),
        ("yesterday 3pm", True, datetime(2026, 11, 25, 15, 0)),
        ("3d", True, datetime(2026, 11, 29)),
        ("3d", False, datetime(2026, 11, 23)),
        ("2w", True, datetime(2026, 12, 10)),
        ("2w", False, datetime(2026, 11, 12)),
        ("next monday", True, datetime(2026, 11, 30)),
        ("next monday", False, datetime(2026, 11, 30)),
        ("monday", True, datetime(2026, 11, 30)),
        ("monday", False, datetime(2026, 11, 23)),
        ("mon", False, datetime(2026, 11, 23)),
        ("thursday", True, datetime(2026, 12, 3)),  # never today: a week on
        ("thursday", False, datetime(2026, 11, 19)),
        ("last friday", True, datetime(2026, 11, 20)),
        ("last friday", False, datetime(2026, 11, 20)),
        ("dec 12", True, datetime(2026, 12, 12)),
        ("dec 12", False, datetime(2025, 12, 12)),
        ("Dec 12 3pm", False, datetime(2025, 12, 12, 15, 0)),
        ("2026-12-01 10:00", False, datetime(2026, 12, 1, 10, 0)),
        ("2026-12-01 10:00", True, datetime(2026, 12, 1, 10, 0)),
        ("tomorrow 9:30am", True, datetime(2026, 11, 27, 9, 30)),
        ("in 3 days", False, datetime(2026, 11, 29)),
        ("3 days ago", True, datetime(2026, 11, 23)),
        ("next week", True, datetime(2026, 11, 30)),  # Monday of next week
        ("next month", True, datetime(2026, 12, 1)),
        ("3pm", False, datetime(2026, 11, 26, 15, 0)),
    ],
)
def test_words_are_read_relative_to_now(text: str, future: bool, expected: datetime) -> None:
    assert parse_when(text, NOW, future=future) == expected


def test_next_month_from_the_31st_is_the_first_of_next_month() -> None:
    assert parse_when("next month", datetime(2027, 1, 31, 8, 0), future=True) == datetime(2027, 2, 1)


def test_dayfirst_reads_slashes_the_european_way() -> None:
    assert parse_day("01/12", TODAY, dayfirst=True) == date(2026, 12, 1)
    assert parse_day("12/01", TODAY, dayfirst=False) == date(2026, 12, 1)


@pytest.mark.parametrize("dayfirst", [True, False])
@pytest.mark.parametrize("text", ["2027-03-04", "2027/03/04", "2027-03-04 10:00"])
def test_a_date_that_starts_with_its_year_is_year_month_day_either_way(text: str, dayfirst: bool) -> None:
    assert parse_day(text, TODAY, dayfirst=dayfirst) == date(2027, 3, 4)


def test_dayfirst_reaches_what_was_logged_and_snoozes() -> None:
    assert happened_at("03/11", NOW, dayfirst=True).date() == date(2026, 11, 3)
    assert happened_at("11/03", NOW, dayfirst=False).date() == date(2026, 11, 3)
    assert snooze_day("04/12", TODAY, dayfirst=True) == date(2026, 12, 4)
    assert snooze_day("12/04", TODAY, dayfirst=False) == date(2026, 12, 4)


@pytest.mark.parametrize(
    ("text", "dayfirst", "stored", "shown"),
    [
        ("14 March", False, "--03-14", "14 March"),
        ("march 14", False, "--03-14", "14 March"),
        ("14/03", True, "--03-14", "14 March"),
        ("03/14", False, "--03-14", "14 March"),
        ("29 feb", False, "--02-29", "29 February"),
        ("1990-03-14", True, "1990-03-14", "14 March 1990"),
        ("14 March 1990", False, "1990-03-14", "14 March 1990"),
        ("  ", False, None, None),
    ],
)
def test_a_birthday_is_kept_with_or_without_its_year(
    text: str, dayfirst: bool, stored: str | None, shown: str | None
) -> None:
    assert parse_birthday(text, TODAY, dayfirst=dayfirst) == stored
    if stored is not None:
        assert describe_birthday(stored) == shown


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("March", "a day and a month"),
        ("14", "a day and a month"),
        ("next monday", "Could not read"),
        ("3d", "Could not read"),
        ("31 April", "Could not read"),
        ("14 March 2030", "after today"),
        ("1 jan 0001", "Could not read the year"),
    ],
)
def test_a_birthday_that_cannot_be_read_is_an_error_naming_it(text: str, words: str) -> None:
    with pytest.raises(DateError, match=words) as caught:
        parse_birthday(text, TODAY)
    assert repr(" ".join(text.split())) in str(caught.value)


def test_parse_day_defaults_to_the_future() -> None:
    assert parse_day("3d", TODAY) == date(2026, 11, 29)
    assert parse_day("3d", TODAY, future=False) == date(2026, 11, 23)


@pytest.mark.parametrize(
    "bad", ["xyz", "", "   ", "5", "2026", "feb 30", "2026-13-01", "in 3 days ago", "25:00", "1 jan 0099"]
)
@pytest.mark.parametrize("future", [True, False])
def test_bad_dates_are_errors_that_quote_the_input(bad: str, future: bool) -> None:
    with pytest.raises(DateError) as caught:
        parse_when(bad, NOW, future=future)
    message = str(caught.value)
    if bad.strip():
        assert repr(bad) in message
    else:
        assert "empty" in message
    assert "next monday" in message  # says what would work
    assert "\n" not in message


@pytest.mark.parametrize(
    ("day", "words"),
    [
        (TODAY, "today"),
        (TODAY - timedelta(days=1), "yesterday"),
        (TODAY + timedelta(days=1), "tomorrow"),
        (TODAY - timedelta(days=3), "3 days ago"),
        (TODAY + timedelta(days=13), "in 13 days"),
        (TODAY + timedelta(days=14), "in 2 weeks"),
        (TODAY - timedelta(days=47), "6 weeks ago"),
        (TODAY - timedelta(days=150), "5 months ago"),
        (TODAY + timedelta(days=400), "in 13 months"),
        (TODAY - timedelta(days=800), "2 years ago"),
    ],
)
def test_relative_day_wording(day: date, words: str) -> None:
    assert relative_day(day, TODAY) == words


def test_iso_minute_drops_seconds() -> None:
    assert iso_minute(datetime(2026, 11, 26, 9, 15, 42, 7)) == "2026-11-26T09:15"


@given(day=st.dates(), future=st.booleans())
def test_an_iso_date_round_trips(day: date, future: bool) -> None:
    assert parse_day(str(day.isoformat()), TODAY, future=future) == day
