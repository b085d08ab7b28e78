"""The keys about posts: record one, and (issue 10) list, correct and delete them.

A mixin of `MeetupApp`, as `PersonActions` is: each action opens its screen and commits
through the app's `commit` / `change`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from meetup_tui.domain.records import Post
from meetup_tui.domain.text import plural

if TYPE_CHECKING:
    from meetup_tui.ui.app import MeetupApp

    _Base = MeetupApp
else:
    _Base = object


class PostActions(_Base):
    def action_post(self) -> None:
        from meetup_tui.ui.screens.post_form import PostForm

        def recorded(post: Post | None) -> None:
            if post is not None:
                likes = plural(post.likes, "like")
                self.commit(self.db.stamp(post), message=f"Recorded a post on {post.platform} ({likes}).")

        self.push_screen(PostForm(self.clock, dayfirst=self.settings.dayfirst), recorded)
