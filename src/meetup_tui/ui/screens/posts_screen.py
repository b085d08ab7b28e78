"""The posts you made anyway, newest first: record another, correct one, delete one.

Like the log pane, the list holds the newest `PAGE` posts and a last row saying how many
older ones there are (Enter on it adds another page), so thousands of posts open at once
and refill at once after every change.  The screen only shows the book: it asks the app
to record, correct or delete a post (messages up), and the app calls `book_changed` after
each change, its own or one from another machine.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Static

from meetup_tui.domain.book import Book
from meetup_tui.domain.clock import Clock
from meetup_tui.domain.dates import relative_day
from meetup_tui.domain.records import Post
from meetup_tui.domain.text import one_line, plural
from meetup_tui.store.database import Database
from meetup_tui.ui.screens.dialog import Dialog
from meetup_tui.ui.widgets.footer import Footer
from meetup_tui.ui.widgets.keyed_table import Cell, PagedTable


def newest_posts(book: Book, limit: int) -> tuple[list[Post], int]:
    """The newest `limit` live posts, newest first (without sorting all of them), and how
    many live posts there are."""
    live = book.live_posts()
    return heapq.nlargest(limit, live, key=lambda p: (p.at, p.id)), len(live)


def when_cell(at: str, today: date) -> Text:
    """ "yesterday 18:00", "3 weeks ago 12:30"; a time the file got wrong, as it is."""
    try:
        moment = datetime.fromisoformat(at)
    except ValueError:
        return Text(one_line(at))
    return Text(f"{relative_day(moment.date(), today)} {moment:%H:%M}")


def count_cell(count: int, width: int) -> Text:
    """A number set right, under the end of its column's label (the table sets none right)."""
    return Text(f"{count:>{width},}")


class PostsTable(PagedTable):
    COLUMNS = (
        ("When", "when", 19),
        ("Platform", "platform", 22),
        ("Likes", "likes", 7),
        ("Comments", "comments", 8),
    )

    def newest(
        self, book: Book, today: date, *, limit: int
    ) -> tuple[Iterator[tuple[str, Sequence[Cell]]], int]:
        newest, total = newest_posts(book, limit)
        return self._rows(today, newest), total

    def _rows(self, today: date, posts: list[Post]) -> Iterator[tuple[str, Sequence[Cell]]]:
        for post in posts:
            cells = (when_cell(post.at, today), Text(one_line(post.platform)))
            yield (
                post.id,
                (*cells, count_cell(post.likes, len("Likes")), count_cell(post.comments, len("Comments"))),
            )


class PostsScreen(Dialog[None]):
    """The live posts of `db`'s book; what to change is asked of the app with a message."""

    DEFAULT_CSS = """
    PostsScreen > #dialog { width: 90%; max-width: 80; height: 90%; border: round $accent; }
    PostsScreen #about { height: auto; margin-bottom: 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n,a", "record", "New", id="posts.new", tooltip="Posts: record a post you made"),
        Binding("e", "correct", "Edit", id="posts.edit", tooltip="Posts: correct the post (or Enter)"),
        Binding("d", "delete", "Delete", id="posts.delete", tooltip="Posts: delete the post"),
        Binding("u", "app.undo", "Undo", id="posts.undo", tooltip="Posts: undo the last delete"),
        Binding("escape", "cancel", "Back", id="posts.back", tooltip="Posts: back to today's list"),
    ]

    class Record(Message):
        """Record a new post; the app then calls `show_post` with its id."""

        def __init__(self, posts: PostsScreen) -> None:
            super().__init__()
            self.posts = posts

    class Correct(Message):
        """Correct `post` (as the book has it now) in the post form."""

        def __init__(self, post: Post) -> None:
            super().__init__()
            self.post = post

    class Delete(Message):
        def __init__(self, post: Post) -> None:
            super().__init__()
            self.post = post

    def __init__(self, db: Database, clock: Clock) -> None:
        super().__init__()
        self.db, self.clock = db, clock

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(id="about")
            yield PostsTable(id="posts")
        yield Footer()

    def on_mount(self) -> None:
        self._show()
        self.query_one(PostsTable).focus()

    def book_changed(self) -> None:
        """Show the book as it is now, the cursor still on the same post."""
        if self.is_mounted:  # else on_mount shows it
            self._show()

    def _show(self) -> None:
        book = self.db.book
        table = self.query_one(PostsTable)
        table.show(book, self.clock.today())
        live = book.live_posts()
        self.query_one(Vertical).border_title = f"Posts ({len(live):,})"
        if live:
            likes = sum(post.likes for post in live)
            about = f"{plural(len(live), 'post')} and {plural(likes, 'like')} in all, newest first."
        else:
            about = "No posts recorded yet: n records one."
        self.query_one("#about", Static).update(Text(about))

    def show_post(self, post_id: str) -> None:
        """Put the cursor on this post (one just recorded), if it is in the list."""
        self.query_one(PostsTable).move_to_key(post_id)

    def _current(self) -> Post | None:
        post = self.db.book.posts.get(self.query_one(PostsTable).current_key() or "")
        if post is None or post.deleted:
            self.notify("No post here: n records one.", severity="warning")
            return None
        return post

    def action_record(self) -> None:
        self.post_message(self.Record(self))

    def action_correct(self) -> None:
        if post := self._current():
            self.post_message(self.Correct(post))

    def action_delete(self) -> None:
        if post := self._current():
            self.post_message(self.Delete(post))

    @on(DataTable.RowSelected, "#posts")
    def _chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_correct()
