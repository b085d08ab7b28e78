"""Who else has the file open, and what they are doing (issue 12, part 3).

On mount our presence file is written beside the database (store/presence.py), then
refreshed every HEARTBEAT_SECONDS; every LOOK_SECONDS the others' files are read.  All file
work runs in worker threads.  When who is here changes, a `Changed` message goes up, the
header (ScoreBar) is told, and so is every open screen that has a `presence_changed`
method (the check-in).  Our file is removed on unmount, and at interpreter exit if the app
never unmounted.  Any failure is silent: presence is a nicety, the book is what matters.
"""

from __future__ import annotations

import atexit
from dataclasses import dataclass

from textual import work
from textual.message import Message
from textual.widget import Widget

from meetup_tui.domain.clock import Clock
from meetup_tui.domain.records import Person
from meetup_tui.store import presence
from meetup_tui.store.database import Database, StoreError
from meetup_tui.store.presence import OwnPresence, Presence
from meetup_tui.ui.widgets.score_bar import ScoreBar

LOOK_SECONDS = 2.0
HEARTBEAT_SECONDS = presence.HEARTBEAT_SECONDS


class PresenceWatch(Widget):
    DEFAULT_CSS = "PresenceWatch { display: none; }"

    @dataclass
    class Changed(Message):
        others: list[Presence]

    def __init__(self, db: Database, clock: Clock) -> None:
        super().__init__()
        self.db = db
        self.clock = clock  # presence runs on real UTC time: a fixed day must not make all stale
        self.mine = OwnPresence(db.path, db.user, read_only=db.read_only)
        self.others: list[Presence] = []
        self._gone = False

    def on_mount(self) -> None:
        atexit.register(self.mine.remove)
        self._write()
        self._look()
        self.set_interval(HEARTBEAT_SECONDS, self._write)
        self.set_interval(LOOK_SECONDS, self._look)

    def on_unmount(self) -> None:
        # One unlink at exit, under the lock a heartbeat in flight holds: never written again.
        self._gone = True
        self.mine.remove()
        atexit.unregister(self.mine.remove)

    def doing(self, activity: str, person: Person | None = None) -> None:
        """What we are doing ("" or "check-in") and whom we are calling, said at once."""
        person_id, name = (person.id, person.name) if person is not None else ("", "")
        if self.mine.doing(activity, person_id, name) and not self._gone:
            self._write()

    def calling(self, person_id: str) -> list[Presence]:
        """The others in a check-in who are calling this person right now."""
        return [p for p in self.others if p.doing == presence.CHECKIN and p.person_id == person_id]

    @work(thread=True, group="presence-write", exit_on_error=False)
    def _write(self) -> None:
        try:
            self.mine.write(presence.utc_now())
        except (StoreError, OSError):
            return  # a folder we cannot write in: we are not shown, nothing else is wrong

    @work(thread=True, group="presence-look", exclusive=True, exit_on_error=False)
    def _look(self) -> None:
        try:
            found = presence.others_here(self.db.path, presence.utc_now(), own=self.mine.path)
        except Exception:  # a bug here must never take the app down: presence is a nicety
            return
        if [p.shown() for p in found] != [p.shown() for p in self.others]:
            self.post_message(self.Changed(found))

    def on_presence_watch_changed(self, event: Changed) -> None:
        self.others = event.others
        for bar in self.screen.query(ScoreBar):
            bar.show_here(event.others)
        for screen in self.app.screen_stack:
            changed = getattr(screen, "presence_changed", None)
            if changed is not None:
                changed(event.others)
