"""How well a segment is kept in touch with: members contacted within their cadence."""

from __future__ import annotations

from datetime import date

from meetup_tui.domain.book import Book
from meetup_tui.domain.outreach import DEFAULT_CADENCE, cadence_of, next_due_cached
from meetup_tui.domain.records import Person, Segment


def is_overdue(
    book: Book, person: Person, last: date | None, today: date, default: str = DEFAULT_CADENCE
) -> bool:
    """Never talked, or due again by their cadence (`default` for people with none of their
    own or from a segment: the settings' default_cadence)."""
    if last is None:
        return True
    return next_due_cached(cadence_of(book, person, default), last) <= today


def segment_coverage(
    book: Book, segment: Segment, today: date, default: str = DEFAULT_CADENCE
) -> tuple[int, int]:
    """(members in touch within their cadence, members)."""
    last = book.last_contacts()
    members = book.members(segment)
    covered = sum(1 for p in members if not is_overdue(book, p, last.get(p.id), today, default))
    return covered, len(members)
