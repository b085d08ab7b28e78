"""The picture (`R`): conversations against likes per week, stage moves per month, and each
segment's coverage over the weeks: the figures the report screen plots, and says in words.

Coverage in a past week is today's members' (a segment's rule is as it is now), each in
touch by their cadence as of the last day of that week: their last real conversation on
or before it.  The current week ends today.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from meetup_tui.domain.book import Book, ContactIndex, week_start, weekly_score
from meetup_tui.domain.journey import moves
from meetup_tui.domain.outreach import DEFAULT_CADENCE, cadence_of, next_due_cached
from meetup_tui.domain.records import Person, Segment

WEEKS = 12
MONTHS = 12
_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Weeks:
    starts: list[date]  # each week's Monday, oldest first
    talks: list[int]
    posts: list[int]
    likes: list[int]


@dataclass(frozen=True)
class Coverage:
    segment: Segment
    members: int
    shares: list[int]  # per week, oldest first: percent of today's members in touch then


def weeks(book: Book, today: date, count: int = WEEKS) -> Weeks:
    """Real conversations, posts and likes per week, this week last."""
    score = weekly_score(book, today, weeks=count)
    first = week_start(today) - timedelta(weeks=count - 1)
    starts = [first + timedelta(weeks=n) for n in range(count)]
    return Weeks(starts, [w[0] for w in score], [w[1] for w in score], [w[2] for w in score])


def month_labels(today: date, count: int = MONTHS) -> list[tuple[str, str]]:
    """("2026-01", "Jan") for each of the last `count` months, this one last."""
    year, month = today.year, today.month
    found = []
    for _ in range(count):
        found.append((f"{year:04d}-{month:02d}", _MONTH_NAMES[month - 1]))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return found[::-1]


def moves_per_month(book: Book, today: date, people: Sequence[Person], count: int = MONTHS) -> list[int]:
    """Stage moves of `people` per month, oldest first, this month last."""
    slots = {key: n for n, (key, _) in enumerate(month_labels(today, count))}
    found = [0] * count
    end = (today + timedelta(days=1)).isoformat()
    for move in moves(book, people):
        at = slots.get(move.at[:7])
        if at is not None and move.at < end:
            found[at] += 1
    return found


def coverage_over_time(
    book: Book, segments: Sequence[Segment], today: date, count: int = WEEKS, default: str = DEFAULT_CADENCE
) -> list[Coverage]:
    """Each segment's share of members in touch at the end of each of the last weeks."""
    ends = [
        min(week_start(today) - timedelta(weeks=count - 1 - n) + timedelta(days=6), today)
        for n in range(count)
    ]
    book.read_whole()  # every person's entries in the index
    index = book.contact_index()
    bounds = [end.isoformat() for end in ends]
    known: dict[str, list[int]] = {}  # person id -> in touch (1) or not (0) at each end
    found = []
    for segment in segments:
        members = book.members(segment)
        in_touch = [0] * count
        for person in members:
            marks = known.get(person.id)
            if marks is None:
                marks = known[person.id] = _in_touch(
                    person, index, bounds, ends, cadence_of(book, person, default)
                )
            in_touch = [a + b for a, b in zip(in_touch, marks, strict=True)]
        shares = [round(100 * n / len(members)) if members else 0 for n in in_touch]
        found.append(Coverage(segment, len(members), shares))
    return found


def _in_touch(
    person: Person, index: ContactIndex, bounds: list[str], ends: list[date], rule: str
) -> list[int]:
    """1 at each end when the person had a real talk by then and was not due again by then."""
    days = sorted(e.at[:10] for e in index.of(person.id).entries if e.reached)
    due: dict[int, date] = {}  # a talk's place in `days` -> when it makes them due again
    marks = []
    for bound, end in zip(bounds, ends, strict=True):
        at = bisect.bisect_right(days, bound)
        if not at:
            marks.append(0)
            continue
        if at not in due:
            due[at] = next_due_cached(rule, date.fromisoformat(days[at - 1]))
        marks.append(1 if due[at] > end else 0)
    return marks
