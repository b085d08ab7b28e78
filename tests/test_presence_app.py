"""Who is here, in the running app: two apps on one file as different users see each other in
the header and in the check-in.  The presence watch looks every 0.1 s here (2 s for a user);
staleness is set by the times written in the files, never waited for."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from meetup_tui.domain.clock import Clock
from meetup_tui.store import presence
from meetup_tui.store.database import Database
from meetup_tui.store.presence import presence_folder
from meetup_tui.ui.app import MeetupApp
from meetup_tui.ui.screens.checkin import CheckinScreen
from meetup_tui.ui.widgets import presence_watch
from meetup_tui.ui.widgets.presence_watch import PresenceWatch
from meetup_tui.ui.widgets.score_bar import ScoreBar
from sync_support import poll_fast, wait_until
from today_support import SIZE, TODAY, shown


@pytest.fixture(autouse=True)
def fast_looks(monkeypatch: pytest.MonkeyPatch) -> None:
    poll_fast(monkeypatch)
    monkeypatch.setattr(presence_watch, "LOOK_SECONDS", 0.1)
    monkeypatch.setattr(presence_watch, "HEARTBEAT_SECONDS", 0.3)


def app_of(path: Path, user: str) -> MeetupApp:
    app = MeetupApp(Database.open(path, user=user), Clock(TODAY))
    app.animation_level = "none"
    return app


def header(app: MeetupApp) -> str:
    return app.query_one(ScoreBar).here


def on_disk(path: Path) -> dict[str, dict]:
    """The presence files in the folder, by name: what another process would read."""
    folder = presence_folder(path)
    return {p.name: json.loads(p.read_text()) for p in folder.glob("*.json")} if folder.exists() else {}


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def someone(path: Path, user: str, seen: datetime, **more: object) -> Path:
    folder = presence_folder(path)
    folder.mkdir(exist_ok=True)
    login, host = user.split("@")
    target = folder / f"{login}@{host}-77.json"
    data = {"user": user, "host": host, "pid": 77, "started": stamp(seen), "seen": stamp(seen), "doing": ""}
    target.write_text(json.dumps(data | more))
    return target


async def test_the_other_appears_in_the_header_and_goes_when_it_exits(six_due) -> None:
    path, _people = six_due
    alex, sam = app_of(path, "alex@shop"), app_of(path, "sam@shop")
    async with alex.run_test(size=SIZE) as pilot_a:
        assert header(alex) == ""
        async with sam.run_test(size=SIZE) as pilot_b:
            await wait_until(pilot_a, lambda: header(alex) == "here: sam")
            await wait_until(pilot_b, lambda: header(sam) == "here: alex")
            bar = alex.query_one(ScoreBar).query_one("#here")
            assert bar.display and "sam" in str(bar.render())
            users = sorted(f["user"] for f in on_disk(path).values())
            assert users == ["alex@shop", "sam@shop"]
            await pilot_b.press("q")
        await wait_until(pilot_a, lambda: header(alex) == "")
        assert not alex.query_one(ScoreBar).query_one("#here").display
        assert [f["user"] for f in on_disk(path).values()] == ["alex@shop"]
    assert on_disk(path) == {}  # both gone: nothing left behind


async def test_a_stale_presence_is_not_shown_a_fresh_one_is(six_due) -> None:
    path, _people = six_due
    now = datetime.now(UTC)
    someone(path, "kim@counter", now - timedelta(seconds=presence.STALE_SECONDS + 30))  # crashed
    someone(path, "lee@counter", now + timedelta(minutes=2))  # fresh for the whole test
    alex = app_of(path, "alex@shop")
    async with alex.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: header(alex) != "")
        await pilot.pause(0.3)  # several looks
        assert header(alex) == "here: lee"
        assert [p.login for p in alex.query_one(PresenceWatch).others] == ["lee"]


async def test_a_read_only_book_writes_no_presence_and_shows_others(six_due) -> None:
    path, _people = six_due
    someone(path, "lee@counter", datetime.now(UTC) + timedelta(minutes=2))
    alex = app_of(path, "alex@shop")
    alex.db.read_only = f"{path} is read-only"  # what Database.open finds for a 0444 file (root ignores it)
    async with alex.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: header(alex) == "here: lee")
        await pilot.pause(0.5)  # past a heartbeat
        assert list(on_disk(path)) == ["lee@counter-77.json"]


async def test_the_check_in_says_when_someone_else_is_calling_the_same_person(six_due) -> None:
    path, people = six_due
    alex, sam = app_of(path, "alex@shop"), app_of(path, "sam@shop")
    async with alex.run_test(size=SIZE) as pilot_a, sam.run_test(size=SIZE, notifications=True) as pilot_b:
        await wait_until(pilot_b, lambda: header(sam) == "here: alex")
        await pilot_a.press("t")  # Alex calls Ana, the first due
        await wait_until(pilot_b, lambda: header(sam) == "here: alex · check-in")
        (mine,) = [f for f in on_disk(path).values() if f["user"] == "alex@shop"]
        assert mine["doing"] == "check-in" and mine["person"] == {"id": people["ana"].id, "name": "Ana Ruiz"}

        await pilot_b.press("t")  # Sam starts a check-in too: Ana is first on the card
        card = sam.screen
        assert isinstance(card, CheckinScreen)
        line = card.query_one("#calling")
        await wait_until(pilot_b, lambda: line.display)
        assert "alex is calling Ana Ruiz right now" in shown(line)
        assert "Ana Ruiz" in shown(card.query_one("#who"))
        said = [n.message for n in sam._notifications]
        assert said.count("alex is calling Ana Ruiz right now.") == 1
        # And Alex's card says it of Sam, now that Sam calls Ana too.
        alex_line = alex.screen.query_one("#calling")
        await wait_until(pilot_a, lambda: alex_line.display and "sam is calling Ana Ruiz" in shown(alex_line))

        await pilot_a.press("s")  # Alex moves on to Bo: Sam's warning goes
        await wait_until(pilot_b, lambda: not line.display)
        await pilot_b.press("s")  # Sam moves on to Bo too: warned again, of Bo
        await wait_until(pilot_b, lambda: line.display and "alex is calling Bo Lee right now" in shown(line))

        await pilot_a.press("q", "enter")  # Alex leaves the check-in
        await wait_until(pilot_b, lambda: header(sam) == "here: alex")
        assert not line.display
        (mine,) = [f for f in on_disk(path).values() if f["user"] == "alex@shop"]
        assert mine["doing"] == "" and mine["person"] is None
