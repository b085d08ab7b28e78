"""Keeps the screen and the file in step, off the UI thread.

Saves run in worker threads; a poll every second notices when the file changed on disk
(another process, another user, a sync client replacing it) and brings the changes in;
every few polls, conflicted copies beside the file are merged and archived.  A failed
write keeps the change in memory and is retried.  Results come back as messages; every
exception a worker meets becomes a `Failed` message (a bug too, as one sentence), so the
screen always says why a change is not saved and never shows "saving…" for ever.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from textual import work
from textual.message import Message
from textual.widget import Widget

from meetup_tui.domain.merge import describe_changes
from meetup_tui.domain.records import Record
from meetup_tui.store.database import Database
from meetup_tui.store.jsonfile import sentence_for

POLL_SECONDS = 1.0
RETRY_SECONDS = 5.0
COPIES_EVERY = 10  # polls between looks for conflicted copies
SHOWN_WAIT = 0.5  # the longest a save waits for the screen to show the change (see `shown`)


class FileSync(Widget):
    DEFAULT_CSS = "FileSync { display: none; }"

    @dataclass
    class Saved(Message):
        pass

    @dataclass
    class Failed(Message):
        error: str

    @dataclass
    class Incoming(Message):
        records: list[Record]
        summary: str

    @dataclass
    class CopiesMerged(Message):
        sentences: list[str]

    def __init__(self, db: Database) -> None:
        super().__init__()
        self.db = db
        self._polls = 0
        self._retry_pending = False
        self._told: set[str] = set()  # copies we could not merge, reported once each
        # Set while the screen shows the book as it is; cleared while a change is being
        # drawn, a pane a frame (app.refresh_in_frames).  A save waits for it before its
        # work: a save thread shares the interpreter's lock with the screen, and drawing
        # while a save ran took twice as long (at 5,000 people, frames of ~45 ms, not ~20).
        self.shown = threading.Event()
        self.shown.set()

    def on_mount(self) -> None:
        self.set_interval(POLL_SECONDS, self.poll)
        if not self.db.read_only:
            self.look_for_copies()

    # -- writing ------------------------------------------------------------------------

    def save(self) -> None:
        """Write what is pending (the caller has applied it to the book already)."""
        self._save()

    @work(thread=True, group="file-save", exit_on_error=False)
    def _save(self) -> None:
        self.shown.wait(SHOWN_WAIT)
        try:
            incoming = self.db.sync()
        except Exception as error:  # not only StoreError: nothing may leave "saving…" up
            self.post_message(self.Failed(sentence_for(error)))
            return
        self.post_message(self.Saved())
        if incoming:
            self.post_message(self.Incoming(incoming, describe_changes(incoming)))

    def on_file_sync_failed(self, event: Failed) -> None:
        if not self._retry_pending and not self.db.read_only:
            self._retry_pending = True
            self.set_timer(RETRY_SECONDS, self._retry)

    def _retry(self) -> None:
        self._retry_pending = False
        if self.db.pending:
            self.save()

    # -- reading what others wrote -----------------------------------------------------------

    def poll(self) -> None:
        self._polls += 1
        self._check()
        if self._polls % COPIES_EVERY == 0 and not self.db.read_only:
            self.look_for_copies()

    @work(thread=True, group="file-poll", exclusive=True, exit_on_error=False)
    def _check(self) -> None:
        try:
            if not self.db.changed_on_disk():
                return
            incoming = self.db.reload()
        except Exception as error:
            self.post_message(self.Failed(sentence_for(error)))
            return
        if incoming:
            self.post_message(self.Incoming(incoming, describe_changes(incoming)))
        if self.db.pending and not self.db.read_only:
            self._save()  # we hold records the file lacks (an older copy was put back)

    @work(thread=True, group="file-copies", exclusive=True, exit_on_error=False)
    def look_for_copies(self) -> None:
        from meetup_tui.store.conflicts import find_all_candidates, merge_copies

        try:
            if not find_all_candidates(self.db):
                return
            reports = merge_copies(self.db)
        except Exception as error:
            self.post_message(self.Failed(sentence_for(error)))
            return
        news = [r.sentence() for r in reports if r.sentence() not in self._told]
        self._told.update(r.sentence() for r in reports if r.problem)
        if news:
            self.post_message(self.CopiesMerged(news))
