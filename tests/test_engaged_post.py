"""Recording a post with the people who engaged with it (issue 14, part 1), by keys and
from the command line: they are found by name or added as new prospects, the file holds
who engaged and how, and today's list (and tomorrow's) says why to talk to them."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from cli_support import cli
from meetup_tui.domain.engagement import engaged_on
from meetup_tui.domain.outreach import rank_today
from meetup_tui.domain.records import Post
from meetup_tui.store.database import Database
from meetup_tui.ui.screens.post_form import PostForm
from meetup_tui.ui.screens.posts_screen import PostsScreen
from today_support import SIZE, TODAY, USER, make_app, on_disk, settle


def reasons_on(path: Path, day) -> dict[str, list[str]]:
    return {s.person.name: s.reasons for s in rank_today(on_disk(path), day)}


async def test_a_post_recorded_with_two_people_who_engaged_puts_them_on_tomorrows_list(six_due) -> None:
    path, people = six_due
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("P", "n")
        await settle(app, pilot)
        assert isinstance(app.screen, PostForm)
        await pilot.press(*"40", "tab", "tab", *"Fay Ng, Gus Hale:share", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, PostsScreen)
        await pilot.press("escape")
        await settle(app, pilot)
        shown = {s.person.name: s.reasons for s in app.suggestions}
        assert "commented on your instagram post today — invite them in" in shown["Fay Ng"]
    book = on_disk(path)
    [post] = book.live_posts()
    gus = next(p for p in book.live_people() if p.name == "Gus Hale")
    assert (post.likes, engaged_on(post)) == (40, [(people["fay"].id, "comment"), (gus.id, "share")])
    assert (gus.stage, gus.tags, gus.owner) == ("prospect", ["instagram"], USER)  # who adds, looks after
    tomorrow = reasons_on(path, TODAY + timedelta(days=1))
    assert "commented on your instagram post yesterday — invite them in" in tomorrow["Fay Ng"]
    assert "shared your instagram post yesterday — invite them in" in tomorrow["Gus Hale"]


async def test_an_engaged_name_that_matches_two_people_keeps_the_form_open_and_writes_nothing(
    six_due,
) -> None:
    path, _ = six_due
    before = path.read_bytes()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("P", "n")
        await settle(app, pilot)
        await pilot.press("tab", "tab", *"e:like", "enter")  # Dee Park, Eli Moss... and "Ana Ruiz"
        await settle(app, pilot)
        assert isinstance(app.screen, PostForm)
        error = str(app.screen.query_one("#error").render())
        assert "'e' matches" in error and "give more of the name" in error
        await pilot.press("escape")
        await settle(app, pilot)
    assert path.read_bytes() == before


def test_post_engaged_finds_adds_and_lists_them(capsys, six_due) -> None:
    path, _ = six_due
    day = ("--db", str(path), "--today", TODAY.isoformat())
    code, out, err = cli(
        capsys,
        *day,
        "post",
        "Instagram",
        "--likes",
        "12",
        "--engaged",
        "ana ruiz",
        "--engaged",
        "Hal Fox:message",
    )
    assert (code, err) == (0, "")
    assert out.splitlines()[:3] == [
        "Recorded a post on Instagram with 12 likes.",
        "Engaged: Ana Ruiz (comment) and Hal Fox (message).",
        "Added Hal Fox as a new prospect, tagged instagram.",
    ]
    code, out, _ = cli(capsys, *day, "today", "--json", "--limit", "0")
    hal = next(item for item in json.loads(out) if item["name"] == "Hal Fox")
    assert "messaged you after your Instagram post today — invite them in" in hal["reasons"]
    assert cli(capsys, *day, "log", "Hal Fox", "--note", "came in for coffee")[0] == 0
    code, out, _ = cli(capsys, *day, "today")
    assert out.splitlines()[-1] == "This week: 1 conversation (1 from a post) vs 1 post (12 likes)"


def test_post_with_a_bad_engagement_says_so_and_writes_nothing(capsys, six_due) -> None:
    path, _ = six_due
    before = path.read_bytes()
    day = ("--db", str(path), "--today", TODAY.isoformat())
    for engaged, said, exit_code in (
        ("Ana:poke", "'poke' is not a way to engage", 2),  # words the option cannot read: usage
        ("e", "'e' matches", 1),  # a name the book cannot settle
        (":like", "A name is missing", 2),
    ):
        code, out, err = cli(capsys, *day, "post", "Instagram", "--engaged", engaged)
        assert (code, out) == (exit_code, "") and said in err and err.count("\n") == 1
    assert path.read_bytes() == before


async def test_correcting_who_engaged_changes_only_what_the_field_says_and_keeps_the_deleted(six_due) -> None:
    path, people = six_due
    ana, bo, cy, dee = (people[k] for k in ("ana", "bo", "cy", "dee"))
    db = Database.open(path, user=USER)
    db.commit(db.stamp(replace(cy, deleted=True)))
    engaged = [f"{ana.id}:comment", f"{bo.id}:like", f"{cy.id}:share"]
    db.commit(db.stamp(Post(platform="instagram", at="2026-11-25T18:00", likes=5, engaged=engaged)))
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("P", "e")
        await settle(app, pilot)
        assert app.screen.query_one("#engaged").value == "Ana Ruiz:comment, Bo Lee:like"  # Cy is deleted
        await pilot.press("tab", "tab", *"Bo Lee:share, Dee Park", "enter")
        await settle(app, pilot)
    [post] = on_disk(path).live_posts()
    assert sorted(engaged_on(post)) == sorted([(bo.id, "share"), (dee.id, "comment"), (cy.id, "share")])
    assert post.likes == 5
