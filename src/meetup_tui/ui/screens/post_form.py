"""Record a post you made anyway: the platform, its likes, when, and who engaged with it
(commented, shared, messaged, liked: people to talk to, domain/engagement.py); or correct
one recorded before (the same form, filled in with it)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Static

from meetup_tui.domain.book import Book
from meetup_tui.domain.clock import Clock
from meetup_tui.domain.dates import happened_at, iso_minute
from meetup_tui.domain.engagement import Recorded, engaged_names, engaged_on, post_records
from meetup_tui.domain.errors import UserError
from meetup_tui.domain.records import STAGES, Post
from meetup_tui.domain.text import one_line
from meetup_tui.ui.screens.dialog import FORM_HINT, FormDialog, field_row
from meetup_tui.ui.screens.log_form import NameSuggester

ENGAGED_HINT = "names: Ana, Bo Lee:share (or :message, :like)"

DEFAULT_PLATFORM = "instagram"


def read_likes(text: str) -> int:
    """A whole number of likes, 0 or more; blank is 0."""
    words = text.strip()
    if not words:
        return 0
    if not words.isdigit():  # also refuses "-3" and "1.5"
        raise UserError(f"Likes must be a whole number, 0 or more, not {words!r}.")
    return int(words)


def when_text(at: str) -> str:
    """A post's time as the When field shows it ("2026-11-25 18:00"), which it reads back."""
    try:
        moment = datetime.fromisoformat(at)
    except ValueError:
        return one_line(at)  # not a time: shown as the file has it (and kept, if left as it is)
    return moment.strftime("%Y-%m-%d %H:%M")


class PostForm(FormDialog[Recorded | None]):
    """Dismiss with the records to write (an unstamped Post, and the people it made for
    engaged names no one has), or None on Escape.  Opens on the likes: the platform is
    usually the default one and the time is now.

    Given a `post`, the form corrects it: filled in with its platform, likes, when and the
    live people who engaged, and dismissed with a copy of it holding what the fields say
    (the caller stamps what changed).  A field left as it was shown keeps the post's value
    exactly; an engagement of someone deleted since is not shown, and stays.
    """

    DEFAULT_CSS = """
    PostForm #dialog { width: 66; }
    """

    AUTO_FOCUS = "#likes"

    def __init__(
        self,
        clock: Clock,
        book: Book,
        *,
        dayfirst: bool = False,
        stages: tuple[str, ...] = STAGES,
        owner: str = "",
        post: Post | None = None,
    ) -> None:
        super().__init__()
        self.clock, self.book = clock, book
        self.dayfirst, self.stages, self.owner = dayfirst, stages, owner
        self.post = post
        # What each input shows at first: the post's values as text, or a new post's defaults.
        self._shown = (
            {
                "platform": one_line(post.platform),
                "likes": str(post.likes),
                "when": when_text(post.at),
                "engaged": ", ".join(self._engaged_shown(post)),
            }
            if post is not None
            else {"platform": DEFAULT_PLATFORM, "likes": "", "when": "now", "engaged": ""}
        )

    def _engaged_shown(self, post: Post) -> list[str]:
        """ "Ana Ruiz:comment"... for each live person who engaged with `post`."""
        people = self.book.people
        shown = []
        for pid, how in engaged_on(post):
            person = people.get(pid)
            if person is not None and not person.deleted:
                shown.append(f"{one_line(person.name)}:{how}")
        return shown

    def compose(self) -> ComposeResult:
        title = "Correct a post" if self.post is not None else "Record a post (for the weekly score)"
        with Vertical(id="dialog"):
            yield Static(Text(title), id="title", classes="title")
            with VerticalScroll(id="fields", can_focus=False):
                yield field_row("Platform", self._input("platform", ""))
                yield field_row("Likes", self._input("likes", "0"))
                yield field_row("When", self._input("when", "now, yesterday 6pm, mon 9:30"))
                live = [p.name for p in self.book.live_people()]
                engaged = self._input("engaged", ENGAGED_HINT)
                engaged.suggester = NameSuggester(live)
                yield field_row("Engaged", engaged)
            with Vertical(id="foot"):
                yield Static("", id="error")
                yield Static(FORM_HINT, classes="hint")

    def _input(self, key: str, placeholder: str) -> Input:
        return Input(self._shown[key], placeholder=placeholder, id=key, compact=True)

    def _value(self, key: str) -> str:
        return self.query_one(f"#{key}", Input).value.strip()

    def _left(self, key: str) -> bool:
        """Whether a post being corrected still shows its own value in this field."""
        return self.post is not None and self._value(key) == self._shown[key].strip()

    def collect(self) -> Recorded:
        post = self.post
        self.bad_field = "platform"
        platform = (
            post.platform if post and self._left("platform") else " ".join(self._value("platform").split())
        )
        if not platform:
            raise UserError("Say where you posted: instagram, facebook, tiktok...")
        self.bad_field = "likes"
        likes = read_likes(self._value("likes"))
        self.bad_field = "when"
        if post is not None and self._left("when"):
            at = post.at  # its time as it is, even one these words would not read back
        else:
            at = iso_minute(
                happened_at(self._value("when") or "now", self.clock.now(), dayfirst=self.dayfirst)
            )
        self.bad_field = "engaged"
        if post is None:
            made = Post(platform=platform, at=at, likes=likes)
        elif self._left("engaged"):
            return Recorded(replace(post, platform=platform, at=at, likes=likes), [], [])
        else:  # what the field names, and the engagements of people it could not show
            people = self.book.people
            hidden = [e for e in post.engaged if (p := people.get(e.rpartition(":")[0])) is None or p.deleted]
            made = replace(post, platform=platform, at=at, likes=likes, engaged=hidden)
        named = engaged_names(self._value("engaged"))
        return post_records(self.book, made, named, self.stages, owner=self.owner)
