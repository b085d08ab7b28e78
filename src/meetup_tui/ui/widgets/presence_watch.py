"""Who else has the file open, and what they are doing (issue 12, part 3).  To be built."""

from __future__ import annotations

from textual.widget import Widget

from meetup_tui.domain.clock import Clock
from meetup_tui.store.database import Database


class PresenceWatch(Widget):
    DEFAULT_CSS = "PresenceWatch { display: none; }"

    def __init__(self, db: Database, clock: Clock) -> None:
        super().__init__()
        self.db = db
        self.clock = clock
