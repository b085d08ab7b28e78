"""The running app and the file: changes from elsewhere come in, failed writes are kept.

These press real keys, change the file from outside the app the way another process or a
sync client would (a separate Database, os.replace), and read the file on disk.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
from datetime import date
from pathlib import Path

import pytest

from meetup_tui.domain.clock import Clock
from meetup_tui.domain.records import Interaction, Person
from meetup_tui.store.database import Database
from meetup_tui.ui.app import MeetupApp
from meetup_tui.ui.widgets.score_bar import ScoreBar
from sync_support import poll_fast, wait_until

TODAY = date(2026, 11, 26)
SIZE = (100, 30)


@pytest.fixture
def shared(tmp_path: Path) -> Path:
    path = tmp_path / "shop.json"
    db = Database.open(path, user="alex@shop", create=True)
    db.apply(Person(name="Ana Ruiz", influence=5), Person(name="Bo Lee", influence=2))
    db.save()
    return path


@pytest.fixture(autouse=True)
def fast_polls(monkeypatch: pytest.MonkeyPatch) -> None:
    poll_fast(monkeypatch)


def make_app(path: Path) -> MeetupApp:
    return MeetupApp(Database.open(path, user="alex@shop"), Clock(TODAY))


def on_disk(path: Path) -> Database:
    return Database.open(path, user="reader")


def replace_from_elsewhere(path: Path, *records: Person | Interaction, user: str = "bob@office") -> None:
    """What a sync client does: a new version of the file, written aside, renamed over it."""
    aside = path.with_name("incoming.tmp.json")
    shutil.copy2(path, aside)
    other = Database.open(aside, user=user)
    other.commit(*(other.stamp(r) for r in records))
    os.replace(aside, path)


async def test_a_file_replaced_by_sync_comes_in_without_losing_an_open_form(shared: Path) -> None:
    app = make_app(shared)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("c", *"about the club")  # a form open, typed into, not saved
        replace_from_elsewhere(shared, Person(name="Zed Marsh", influence=4))
        await wait_until(pilot, lambda: any(s.person.name == "Zed Marsh" for s in app.suggestions))
        assert type(app.screen).__name__ == "QuickCallScreen"  # still open, text intact
        assert app.screen.query_one("#note").value == "about the club"
        assert any("1 change from bob@office" in n.message for n in app._notifications)
        await pilot.press("enter")
        await wait_until(pilot, lambda: not app.db.pending)
    book = on_disk(shared).book
    assert {p.name for p in book.live_people()} == {"Ana Ruiz", "Bo Lee", "Zed Marsh"}
    (call,) = book.live_interactions()
    assert call.note == "about the club"


async def test_edits_made_while_the_file_was_replaced_both_survive(shared: Path) -> None:
    app = make_app(shared)
    async with app.run_test(size=SIZE) as pilot:
        ana = next(p for p in app.db.book.live_people() if p.name == "Ana Ruiz")
        app.db.apply(app.db.stamp(ana, notes="ours, in flight"))  # applied, not yet written
        replace_from_elsewhere(shared, on_disk(shared).book.people[ana.id], user="bob@office")
        theirs = on_disk(shared)
        theirs.change(theirs.book.people[ana.id], phones=["+1 555 0100"])  # their field
        await pilot.press("c", "enter")  # our next write merges the file first
        await wait_until(pilot, lambda: not app.db.pending)
    merged = on_disk(shared).book.people[ana.id]
    assert merged.notes == "ours, in flight"
    assert merged.phones == ["+1 555 0100"]


async def test_an_older_copy_put_back_by_sync_gets_our_records_again(shared: Path) -> None:
    older = shared.read_bytes()
    app = make_app(shared)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", "enter")
        await wait_until(pilot, lambda: not app.db.pending)
        aside = shared.with_name("old.json")
        aside.write_bytes(older)
        os.replace(aside, shared)  # the call is gone from the file
        await wait_until(pilot, lambda: len(on_disk(shared).book.live_interactions()) == 1)


async def test_a_failed_write_is_kept_shown_and_retried(shared: Path) -> None:
    before = shared.read_bytes()
    app = make_app(shared)
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    old_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        try:
            resource.setrlimit(resource.RLIMIT_FSIZE, (64, hard))  # a disk that is full
            await pilot.press("c", *"kept safe", "enter")
            await wait_until(pilot, lambda: "NOT SAVED" in str(app.query_one(ScoreBar).saved))
            assert app.db.pending
            assert any("Not saved" in n.title for n in app._notifications)
        finally:
            resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
            signal.signal(signal.SIGXFSZ, old_handler)
        assert shared.read_bytes() == before  # never half-written
        await wait_until(pilot, lambda: not app.db.pending)  # the retry wrote it
        await wait_until(pilot, lambda: "saved ✓" == app.query_one(ScoreBar).saved)
    (call,) = on_disk(shared).book.live_interactions()
    assert call.note == "kept safe"


async def test_quit_with_unsaved_changes_asks_first(shared: Path) -> None:
    app = make_app(shared)
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    old_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    async with app.run_test(size=SIZE) as pilot:
        try:
            resource.setrlimit(resource.RLIMIT_FSIZE, (64, hard))
            await pilot.press("c", "enter")
            await wait_until(pilot, lambda: "NOT SAVED" in str(app.query_one(ScoreBar).saved))
            await pilot.press("q")
            await pilot.pause()
            assert type(app.screen).__name__ == "UnsavedScreen"
            assert app.is_running
            await pilot.press("escape")  # stay
            await pilot.pause()
            assert app.is_running and len(app.screen_stack) == 1
        finally:
            resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
            signal.signal(signal.SIGXFSZ, old_handler)
        await wait_until(pilot, lambda: not app.db.pending)
        await pilot.press("q")
        await pilot.pause()
    assert not app.is_running


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a read-only tmpfs needs root")
async def test_a_read_only_file_opens_read_only_with_a_banner(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)]).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        path = folder / "shop.json"
        db = Database.open(path, user="alex@shop", create=True)
        db.commit(db.stamp(Person(name="Ana Ruiz")))
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        before = path.read_bytes()
        app = make_app(path)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            banner = app.query_one("#banner")
            assert banner.display and "READ-ONLY" in str(banner.render())
            await pilot.press("c", "enter")
            await pilot.pause()
            assert not app.db.book.live_interactions()  # refused, not pretended
            await pilot.press("q")
        assert path.read_bytes() == before
    finally:
        subprocess.run(["umount", str(folder)])


async def test_a_conflicted_copy_beside_the_file_is_merged_and_archived(shared: Path) -> None:
    copy = shared.with_name(f"{shared.stem}.sync-conflict-20261126-081500-ABCDEF7.json")
    shutil.copy2(shared, copy)
    laptop = Database.open(copy, user="alex@laptop")
    laptop.commit(laptop.stamp(Person(name="Cleo Laptop", influence=3)))
    app = make_app(shared)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_until(pilot, lambda: any(s.person.name == "Cleo Laptop" for s in app.suggestions))
        await wait_until(pilot, lambda: not copy.exists())
        await wait_until(pilot, lambda: any(n.title == "Conflicted copy" for n in app._notifications))
    assert "Cleo Laptop" in {p.name for p in on_disk(shared).book.live_people()}
    archived = list((shared.parent / f"{shared.stem}-conflicts").iterdir())
    assert [p.name.endswith(copy.name) for p in archived] == [True]


async def test_two_people_with_one_name_from_a_race_are_said_once(shared: Path) -> None:
    """Two machines each added "Cy Moss" while apart: the app keeps both and says so once."""
    app = make_app(shared)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        replace_from_elsewhere(shared, Person(name="Cy Moss"), Person(name="cy moss"))
        await wait_until(
            pilot, lambda: sum(p.name.lower() == "cy moss" for p in app.db.book.live_people()) == 2
        )
        # The book takes the change in the sync thread; the app says it when the message lands.
        await wait_until(pilot, lambda: any("2 people are named" in n.message for n in app._notifications))
        said = [n for n in app._notifications if "2 people are named" in n.message]
        assert len(said) == 1 and "'Cy Moss'" in said[0].message
        replace_from_elsewhere(shared, Person(name="Dee Ray"))
        await wait_until(pilot, lambda: any(p.name == "Dee Ray" for p in app.db.book.live_people()))
        await pilot.pause()
        assert len([n for n in app._notifications if "2 people are named" in n.message]) == 1
    assert sum(d["name"].lower() == "cy moss" for d in on_disk_docs(shared)) == 2


def on_disk_docs(path: Path) -> list[dict]:
    import json

    return list(json.loads(path.read_text())["people"].values())


async def test_a_phone_added_elsewhere_while_the_form_is_open_stays(shared: Path) -> None:
    """The form shows Ana's one phone; meanwhile Bob adds a second on his machine.  Changing
    the first number in the form and saving keeps Bob's: lists merge by what each side did."""
    app = make_app(shared)
    async with app.run_test(size=SIZE) as pilot:
        ana = app.db.book.find_person("Ana Ruiz")
        app.select_person(ana.id)
        await pilot.press("e", "tab", "ctrl+u", *"555 0300")
        bobs = on_disk(shared)
        bobs.user = "bob@office"
        bobs.change(bobs.book.people[ana.id], phones=["555 0200"])
        await wait_until(pilot, lambda: app.db.book.people[ana.id].phones == ["555 0200"])
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not app.db.pending and len(app.screen_stack) == 1)
    assert on_disk(shared).book.people[ana.id].phones == ["555 0300", "555 0200"]
