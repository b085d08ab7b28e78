"""The posts list (P): record a post from it, correct one, delete one and bring it back; the
list follows the book as it changes and opens at once on thousands of posts.  Pilot tests
press the keys, then read the file on disk."""

from __future__ import annotations

import json
import os
import shutil
from datetime import date, datetime, time
from pathlib import Path

import pytest

from meetup_tui.demo import write_demo
from meetup_tui.domain.clock import Clock
from meetup_tui.domain.records import Post
from meetup_tui.store.database import Database
from meetup_tui.ui.app import MeetupApp
from meetup_tui.ui.screens.posts_screen import PostsScreen, PostsTable
from meetup_tui.ui.widgets.keyed_table import PAGE
from sync_support import poll_fast, wait_until
from today_support import SIZE, TODAY, USER, make_app, on_disk, settle, shown

# Oldest to newest; the platform of the newest one carries markup, which must show as typed.
POSTS = [
    Post(platform="facebook", at="2026-11-02T12:30", likes=8, comments=1),
    Post(platform="tiktok", at="2026-11-25T18:00", likes=31, comments=4),
    Post(platform="insta [bold]gram[/]", at="2026-11-26T09:15", likes=12, comments=2),
]


@pytest.fixture
def posted(six_due) -> tuple[Path, list[Post]]:
    """The six people of `six_due` and three posts: the newest today, one yesterday, one in
    early November."""
    path, _ = six_due
    db = Database.open(path, user=USER)
    db.commit(*(db.stamp(post) for post in POSTS))
    return path, [db.book.posts[post.id] for post in POSTS]


def rows(screen: PostsScreen) -> list[str]:
    """Each row of the posts table as its cells' text, joined by " | "."""
    table = screen.query_one(PostsTable)
    return [
        " | ".join(getattr(cell, "plain", str(cell)).strip() for cell in table.get_row_at(i))
        for i in range(table.row_count)
    ]


def on_file(path: Path, post_id: str) -> dict:
    """The post as the file's JSON holds it: tombstones included, nothing read into records."""
    table = json.loads(path.read_text(encoding="utf-8"))["posts"]
    (found,) = [doc for doc in table.values() if doc["id"] == post_id]
    return found


async def open_posts(app: MeetupApp, pilot) -> PostsScreen:
    await settle(app, pilot)
    await pilot.press("P")
    await settle(app, pilot)
    assert isinstance(app.screen, PostsScreen)
    return app.screen


async def test_P_lists_the_live_posts_newest_first_and_escape_goes_back(posted) -> None:
    path, posts = posted
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_posts(app, pilot)
        assert rows(screen) == [
            "today 09:15 | insta [bold]gram[/] | 12 | 2",
            "yesterday 18:00 | tiktok | 31 | 4",
            "3 weeks ago 12:30 | facebook | 8 | 1",
        ]
        assert "3 posts and 51 likes in all" in shown(screen.query_one("#about"))
        assert screen.query_one(PostsTable).current_key() == posts[-1].id
        await pilot.press("escape")
        await settle(app, pilot)
        assert len(app.screen_stack) == 1


async def test_the_keys_of_the_list_are_in_its_footer(posted) -> None:
    path, _ = posted
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_posts(app, pilot)
        active = {b.binding.id: b.binding for b in screen.active_bindings.values() if b.binding.show}
    assert set(active) >= {"posts.new", "posts.edit", "posts.delete", "posts.undo", "posts.back"}
    assert all(binding.tooltip for binding in active.values() if binding.id.startswith("posts."))


class NoonClock(Clock):
    """TODAY at noon, whatever the time the tests run: a post recorded now is the newest
    (after midnight the real time of day put it before the fixture's 09:15 post)."""

    def now(self) -> datetime:
        return datetime.combine(self.today(), time(12, 0))


async def test_n_in_the_list_records_a_post_and_the_list_shows_it(posted) -> None:
    path, posts = posted
    app = make_app(path)
    app.clock = NoonClock(TODAY)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_posts(app, pilot)
        await pilot.press("down", "n")
        await settle(app, pilot)
        assert shown(app.screen.query_one("#title")).strip() == "Record a post (for the weekly score)"
        await pilot.press(*"9", "enter")
        await settle(app, pilot)
        assert app.screen is screen
        (new,) = [p for p in app.db.book.live_posts() if p.id not in {p.id for p in posts}]
        assert rows(screen)[0].startswith("today ") and rows(screen)[0].endswith("| instagram | 9 | 0")
        assert screen.query_one(PostsTable).current_key() == new.id  # the cursor on the new post
    on_disk_new = on_disk(path).posts[new.id]
    assert (on_disk_new.platform, on_disk_new.likes, on_disk_new.deleted) == ("instagram", 9, False)
    assert len(on_disk(path).live_posts()) == 4


async def test_e_corrects_the_likes_only_the_likes_get_a_new_version(posted) -> None:
    path, posts = posted
    tiktok = posts[1]
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await open_posts(app, pilot)
        await pilot.press("down", "e")
        await settle(app, pilot)
        form = app.screen
        assert shown(form.query_one("#title")).strip() == "Correct a post"
        values = {key: form.query_one(f"#{key}").value for key in ("platform", "likes", "when")}
        assert values == {"platform": "tiktok", "likes": "31", "when": "2026-11-25 18:00"}
        await pilot.press(*"40", "enter")  # the likes are selected on opening: typing replaces them
        await settle(app, pilot)
        assert rows(app.screen)[1] == "yesterday 18:00 | tiktok | 40 | 4"
    saved = on_disk(path).posts[tiktok.id]  # the same post, not a new one
    assert (saved.likes, saved.platform, saved.at, saved.comments) == (40, "tiktok", tiktok.at, 4)
    assert len(on_disk(path).live_posts()) == 3
    raw = on_file(path, tiktok.id)
    assert raw["likes"] == 40
    changed = {name for name, stamp in saved.versions.items() if stamp != tiktok.versions.get(name)}
    assert "likes" in changed and not changed & {"platform", "at", "comments"}


async def test_enter_corrects_the_post_and_a_new_time_is_read_from_words(posted) -> None:
    path, posts = posted
    facebook = posts[0]
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await open_posts(app, pilot)
        await pilot.press("end", "enter")
        await settle(app, pilot)
        # Each field's text is selected as it gets the focus: typing replaces it.
        await pilot.press("shift+tab", *"fb", "tab", "tab", *"yesterday 8pm", "enter")
        await settle(app, pilot)
    saved = on_disk(path).posts[facebook.id]
    assert (saved.platform, saved.at, saved.likes) == ("fb", "2026-11-25T20:00", 8)


async def test_d_deletes_the_post_leaving_a_tombstone_and_u_brings_it_back(posted) -> None:
    path, posts = posted
    newest = posts[-1]
    app = make_app(path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_posts(app, pilot)
        await pilot.press("d")
        await settle(app, pilot)
        assert [r.split(" | ")[1] for r in rows(screen)] == ["tiktok", "facebook"]
        assert screen.query_one(PostsTable).current_key() == posts[1].id
        assert any("Deleted the post" in n.message for n in app._notifications)
        assert on_file(path, newest.id)["deleted"] is True
        assert newest.id not in {p.id for p in on_disk(path).live_posts()}
        await pilot.press("u")
        await settle(app, pilot)
        assert len(rows(screen)) == 3 and app.screen is screen
    assert on_file(path, newest.id)["deleted"] is False
    assert {p.id for p in on_disk(path).live_posts()} == {p.id for p in posts}


async def test_e_on_an_empty_list_says_there_is_no_post(six_due) -> None:
    path, _ = six_due
    before = path.read_bytes()
    app = make_app(path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        screen = await open_posts(app, pilot)
        assert "No posts recorded yet" in shown(screen.query_one("#about"))
        await pilot.press("e", "d")
        await settle(app, pilot)
        assert app.screen is screen
        assert any("No post here" in n.message for n in app._notifications)
    assert path.read_bytes() == before


async def test_a_post_from_another_machine_shows_and_the_cursor_stays(
    posted, monkeypatch: pytest.MonkeyPatch
) -> None:
    poll_fast(monkeypatch)
    path, posts = posted
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_posts(app, pilot)
        await pilot.press("down")
        assert screen.query_one(PostsTable).current_key() == posts[1].id
        aside = path.with_name("incoming.tmp.json")  # as a sync client: written aside, renamed
        shutil.copy2(path, aside)
        other = Database.open(aside, user="bob@office")
        other.commit(other.stamp(Post(platform="mastodon", at="2026-11-26T11:00", likes=3)))
        os.replace(aside, path)
        await wait_until(pilot, lambda: len(rows(screen)) == 4)
        assert rows(screen)[0] == "today 11:00 | mastodon | 3 | 0"
        assert screen.query_one(PostsTable).current_key() == posts[1].id


async def test_five_thousand_posts_show_the_newest_page_and_an_older_row(six_due) -> None:
    path, _ = six_due
    db = Database.open(path, user=USER)
    db.commit(
        *(
            db.stamp(
                Post(platform="instagram", at=f"2026-{1 + i // 500:02d}-{1 + i % 28:02d}T12:00", likes=i)
            )
            for i in range(5000)
        )
    )
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_posts(app, pilot)
        table = screen.query_one(PostsTable)
        assert table.row_count == PAGE + 1
        assert rows(screen)[-1] == f"+ {5000 - PAGE:,} older | Enter shows {PAGE} more |  | "
        await pilot.press("end", "enter")
        await settle(app, pilot)
        assert table.row_count == 2 * PAGE + 1
        assert rows(screen)[-1].startswith(f"+ {5000 - 2 * PAGE:,} older")
        assert isinstance(app.screen, PostsScreen)  # Enter on the older row edits nothing


def test_snapshot_of_the_posts_list(snap_compare, tmp_path: Path) -> None:
    """The demo's eight weeks of posts at 80x24, on the demo's fixed day."""
    day = date(2026, 11, 26)
    path = tmp_path / "demo.json"
    write_demo(path, day)
    app = MeetupApp(Database.open(path, user="alex@spoke-and-chain"), Clock(day))
    assert day == TODAY
    assert snap_compare(app, press=["P"], terminal_size=(80, 24))
