"""How well a segment is kept in touch with: members contacted within their cadence."""

from __future__ import annotations

from collections.abc import Callable
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
    members = book.members(segment)
    overdue = _overdue_test(book, today, default)
    return sum(1 for p in members if not overdue(p)), len(members)


def _overdue_test(book: Book, today: date, default: str) -> Callable[[Person], bool]:
    """`is_overdue` for the book's people, each answer kept while the person's record and
    their last conversation stay the same: after a logged call only that call's people are
    worked out again, not every member of every segment."""
    kept: dict[str, tuple[Person, str | None, bool]] = book.memo(
        "coverage.overdue", (today, default, book.changes(Segment)), lambda _book: {}
    )
    logs = book.contact_index().people

    def overdue(person: Person) -> bool:
        log = logs.get(person.id)
        last = log.last_reached if log is not None else None
        held = kept.get(person.id)
        if held is not None and held[0] is person and held[1] == last:
            return held[2]
        answer = is_overdue(book, person, date.fromisoformat(last[:10]) if last else None, today, default)
        kept[person.id] = (person, last, answer)
        return answer

    return overdue
