"""The spread of first contacts: the day someone never talked to first falls due.

People never talked to first fall due on the day they were added plus an offset.  People
added on the same day form a batch of n, put in a stable order by a hash of their id; the
one at place r waits r * W // n days, where W = min(their cadence in days,
ceil(n / daily_cap)).  So a handful added by hand are due at once, and an import of 500
monthly contacts brings at most max(daily_cap, ceil(500 / 30)) = 17 new people a day.
A batch counts everyone added that day (tombstones too), so contacting or deleting some
never moves the others' days.  Someone added "after" today (a `--today` in the past)
counts as added today.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable

from meetup_tui.domain.book import Book
from meetup_tui.domain.records import Person

__all__ = ["Batches", "Spread"]


class Batches:
    """The people added on each day, and (worked out only for the days asked about) each
    one's place in a stable order by a hash of the id.  Build it again only when someone
    new is put: deleting or editing people never changes who was added when."""

    def __init__(self, book: Book) -> None:
        self.days: dict[str, list[str]] = {}
        for pid, person in book.people.items():
            self.days.setdefault(person.created_at[:10], []).append(pid)
        self.places: dict[str, dict[str, int]] = {}

    def place(self, day: str, person_id: str) -> tuple[int, int]:
        """(place in the batch of `day`, the batch's size)."""
        places = self.places.get(day)
        if places is None:
            batch = sorted(self.days.get(day, ()), key=lambda pid: (zlib.crc32(pid.encode()), pid))
            places = self.places[day] = {pid: n for n, pid in enumerate(batch)}
        return places.get(person_id, 0), max(1, len(places))


class Spread:
    """First-due days as seen from one day (`today`, an ordinal), at most about `daily_cap`
    new people a day.  `ordinal_of` turns "YYYY-MM-DD" into an ordinal (the caller's cache);
    it raises ValueError on a date it cannot read."""

    def __init__(
        self, batches: Batches, today: int, daily_cap: int, ordinal_of: Callable[[str], int]
    ) -> None:
        self.batches, self.today, self.daily_cap, self.ordinal_of = batches, today, daily_cap, ordinal_of

    def first_due(self, person: Person, interval: int) -> int:
        """The ordinal of the day `person`, on a cadence of `interval` days, first falls due."""
        day = person.created_at[:10]
        place, size = self.batches.place(day, person.id)
        try:
            added = min(self.ordinal_of(day), self.today)
        except ValueError:
            added = 1  # no readable date: long ago, so due at once
        window = min(interval, -(-size // self.daily_cap))
        return added + place * window // size
