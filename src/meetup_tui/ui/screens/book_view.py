"""What the views over the main screen share (the stage board, insights, the report): the
whole terminal, everyone or one segment (`s` goes through them), and what happens when
one closes."""

from __future__ import annotations

from collections.abc import Callable

from textual.worker import get_current_worker

from meetup_tui.domain.book import Book
from meetup_tui.domain.collector import freeze_what_lives
from meetup_tui.domain.records import Segment
from meetup_tui.store.database import Database
from meetup_tui.ui.screens.dialog import Dialog


class BookView(Dialog[None]):
    """A view of `db`'s book for everyone or the segment `segment_id`; subclasses show it
    in `_show` (in a thread) and drop what they showed in `release`."""

    DEFAULT_CSS = """
    BookView { background: $background; }  /* opaque: the screen below is not drawn */
    BookView > #dialog { width: 100%; height: 100%; border: round $accent; }
    """

    def __init__(self, db: Database, segment: Segment | None = None) -> None:
        super().__init__()
        self.db = db
        self.segment_id = segment.id if segment is not None else None

    def _show(self) -> None:
        raise NotImplementedError

    def book_changed(self) -> None:
        if self.is_mounted:
            self._show()

    def segment_in(self, book: Book) -> Segment | None:
        """The segment shown, if it still lives (None: everyone)."""
        segment = book.segments.get(self.segment_id or "")
        return segment if segment is not None and not segment.deleted else None

    def action_segment(self) -> None:
        """Everyone, then each segment in turn."""
        ids = [None, *(s.id for s in self.db.book.live_segments())]
        at = ids.index(self.segment_id) if self.segment_id in ids else 0
        self.segment_id = ids[(at + 1) % len(ids)]
        self._show()

    def show_from_thread(self, fill: Callable[..., None], *args: object) -> None:
        """From the view's worker: `fill(*args)` on the screen's thread, unless the worker
        was cancelled (a newer one runs) or the view was closed meanwhile."""
        if get_current_worker().is_cancelled or not self.is_attached:
            return

        def shown() -> None:
            if self.is_attached:  # (closed while this waited for the screen's thread)
                fill(*args)

        try:
            app = self.app
        except RuntimeError:  # Textual's NoActiveAppError: closed since the line above
            return
        app.call_from_thread(shown)

    def release(self) -> None:
        """Drop what was shown (the view is closing)."""

    def on_unmount(self) -> None:
        """What was shown goes with the view; once the main screen is drawn again the
        collector frees the view (a web of references only it frees) and leaves what still
        lives out of its later passes (`freeze_what_lives`).  Left to itself, that pass came
        in the middle of the next keys, and each view opened left Textual's drawn lines
        behind for every later pass to scan: at 5,000 people a logged call stalled 80 ms
        after a few views, 26 ms with this."""
        self.release()
        self.app.after_frame(freeze_what_lives)  # type: ignore[attr-defined]
