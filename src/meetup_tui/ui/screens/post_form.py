"""Record a post you made anyway: the platform, its likes and when, for the weekly score."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Static

from meetup_tui.domain.clock import Clock
from meetup_tui.domain.dates import happened_at, iso_minute
from meetup_tui.domain.errors import UserError
from meetup_tui.domain.records import Post
from meetup_tui.ui.screens.dialog import FORM_HINT, FormDialog, field_row

DEFAULT_PLATFORM = "instagram"


def read_likes(text: str) -> int:
    """A whole number of likes, 0 or more; blank is 0."""
    words = text.strip()
    if not words:
        return 0
    if not words.isdigit():  # also refuses "-3" and "1.5"
        raise UserError(f"Likes must be a whole number, 0 or more, not {words!r}.")
    return int(words)


class PostForm(FormDialog[Post | None]):
    """Dismiss with an unstamped Post, or None on Escape.  Opens on the likes: the platform
    is usually the default one and the time is now."""

    DEFAULT_CSS = """
    PostForm #dialog { width: 60; }
    """

    AUTO_FOCUS = "#likes"

    def __init__(self, clock: Clock, *, dayfirst: bool = False) -> None:
        super().__init__()
        self.clock = clock
        self.dayfirst = dayfirst

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text("Record a post (for the weekly score)"), id="title", classes="title")
            with VerticalScroll(id="fields", can_focus=False):
                yield field_row("Platform", Input(DEFAULT_PLATFORM, id="platform", compact=True))
                yield field_row("Likes", Input(placeholder="0", id="likes", compact=True))
                yield field_row(
                    "When", Input("now", placeholder="now, yesterday 6pm, mon 9:30", id="when", compact=True)
                )
            with Vertical(id="foot"):
                yield Static("", id="error")
                yield Static(FORM_HINT, classes="hint")

    def _value(self, key: str) -> str:
        return self.query_one(f"#{key}", Input).value.strip()

    def collect(self) -> Post:
        self.bad_field = "platform"
        platform = " ".join(self._value("platform").split())
        if not platform:
            raise UserError("Say where you posted: instagram, facebook, tiktok...")
        self.bad_field = "likes"
        likes = read_likes(self._value("likes"))
        self.bad_field = "when"
        at = happened_at(self._value("when") or "now", self.clock.now(), dayfirst=self.dayfirst)
        return Post(platform=platform, at=iso_minute(at), likes=likes)
