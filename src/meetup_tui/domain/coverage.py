"""How well a segment is kept in touch with: members contacted within their cadence."""

from __future__ import annotations

from datetime import date

from meetup_tui.domain.book import Book
from meetup_tui.domain.cadence import next_due
from meetup_tui.domain.outreach import DEFAULT_CADENCE, cadence_of
from meetup_tui.domain.records import Person, Segment


def is_overdue(book: Book, person: Person, last: date | None, today: date) -> bool:
    if last is None:
        return True
    return next_due(cadence_of(book, person, DEFAULT_CADENCE), last) <= today


def segment_coverage(
    book: Book, segment: Segment, today: date, last: dict[str, date] | None = None
) -> tuple[int, int]:
    """(members in touch within their cadence, members)."""
    last = book.last_contacts() if last is None else last
    members = book.members(segment)
    covered = sum(1 for p in members if not is_overdue(book, p, last.get(p.id), today))
    return covered, len(members)
