"""The keys about posts: record one, and (issue 10) list, correct and delete them.

A mixin of `MeetupApp`, as `PersonActions` is: each action opens its screen and commits
through the app's `commit` / `change`.  The posts screen only shows the book; what it
asks for arrives here as its messages.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from meetup_tui.domain.engagement import Recorded
from meetup_tui.domain.records import Post
from meetup_tui.domain.text import one_line, plural

if TYPE_CHECKING:
    from meetup_tui.ui.app import MeetupApp
    from meetup_tui.ui.screens.post_form import PostForm
    from meetup_tui.ui.screens.posts_screen import PostsScreen

    _Base = MeetupApp
else:
    _Base = object

CORRECTED = ("platform", "at", "likes", "engaged")  # the fields the post form shows


class PostActions(_Base):
    def action_post(self) -> None:
        self.record_post()

    def action_posts(self) -> None:
        from meetup_tui.ui.screens.posts_screen import PostsScreen

        self.push_screen(PostsScreen(self.db, self.clock))

    def record_post(self, then: Callable[[str], None] | None = None) -> None:
        """Ask for a new post and record it; `then` gets its id once it is in the book."""

        def recorded(result: Recorded | None) -> None:
            if result is None:
                return
            post = self.db.stamp(result.post)
            said = f"Recorded a post on {one_line(post.platform)} ({plural(post.likes, 'like')})"
            if result.engaged:
                said += f"; {plural(len(result.engaged), 'person', 'people')} to talk to"
            if result.made:
                said += f", {len(result.made)} new"
            records = [*(self.db.stamp_new(p) for p in result.made), post]
            if self.commit(*records, message=said + ".") and then:
                then(post.id)

        self.push_screen(self._post_form(), recorded)

    def _post_form(self, post: Post | None = None) -> PostForm:
        from meetup_tui.ui.screens.post_form import PostForm

        dayfirst, stages, owner = self.settings.dayfirst, self.settings.stages, self.db.user
        return PostForm(self.clock, self.db.book, dayfirst=dayfirst, stages=stages, owner=owner, post=post)

    def on_posts_screen_record(self, event: PostsScreen.Record) -> None:
        self.record_post(then=event.posts.show_post)

    def on_posts_screen_correct(self, event: PostsScreen.Correct) -> None:
        shown = event.post

        def corrected(result: Recorded | None) -> None:
            if result is None:
                return
            post = result.post
            changes = {
                name: getattr(post, name) for name in CORRECTED if getattr(post, name) != getattr(shown, name)
            }
            if changes or result.made:  # only these fields get new versions: a like counted elsewhere stays
                likes = plural(post.likes, "like")
                said = f"Corrected the post on {one_line(post.platform)} ({likes})."
                if result.made:
                    self.commit(*(self.db.stamp_new(p) for p in result.made))
                self.change(shown, said, **changes)

        self.push_screen(self._post_form(shown), corrected)

    def on_posts_screen_delete(self, event: PostsScreen.Delete) -> None:
        if self.change(event.post, "Deleted the post — u to undo.", deleted=True):
            self.deleted.append(event.post)
