"""What "today" and "now" are: the real clock, or a fixed day (--today) for tests and planning."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class Clock:
    fixed_day: date | None = None

    def today(self) -> date:
        return self.fixed_day or date.today()

    def now(self) -> datetime:
        """Local wall-clock time; on a fixed day, that day at the current time of day."""
        moment = datetime.now().replace(microsecond=0)
        if self.fixed_day is None:
            return moment
        return datetime.combine(self.fixed_day, moment.time())
