"""Snapshot tests: every screen on the demo data, a fixed day, at 80x24 and 120x40 (and
the main screen and the check-in at 60x20, a phone over SSH).

After a deliberate change, run `pytest tests/test_snapshots.py --snapshot-update`
and open each changed SVG under tests/__snapshots__/ before committing it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from meetup_tui.demo import write_demo
from meetup_tui.domain.clock import Clock
from meetup_tui.store.database import Database
from meetup_tui.ui.app import MeetupApp

DAY = date(2026, 11, 26)
SIZES = [(80, 24), (120, 40)]


@pytest.fixture
def demo_app(tmp_path: Path) -> MeetupApp:
    path = tmp_path / "demo.json"
    write_demo(path, DAY)
    return MeetupApp(Database.open(path, user="alex@spoke-and-chain"), Clock(DAY))


async def _focus_segments(pilot) -> None:
    pilot.app.query_one("#segments").focus()
    await pilot.pause()


SCREENS = {
    "main": [],
    "quick_call": ["c"],
    "log_form": ["l"],
    "person_form": ["a"],
    "edit_person": ["e"],
    "snooze": ["z", *"next wk"],
    "search": ["slash", *"ma"],
    "help": ["question_mark"],
    "show_all": ["m"],
    "instead": ["p"],
    "checkin": ["t"],
    "checkin_plan": ["t", "p", *"lunch fri"],
    "checkin_done": ["t", "s", "s", "q"],
    "checkin_attempt": ["t", "a"],
    "post": ["P", "n", *"12"],
    "board": ["J"],
    "insights": ["I", "s"],  # the first segment: Commuters
    "report": ["R"],
    "segment_editor": ["s", *"Fast locals", "tab", "tab", *"racing", "tab", "tab", "tab", *"Millbrook"],
}


def _pressed(keys: list[str]):
    """Press the keys, then wait for the screen's worker (insights and the report work out
    what they show in a thread) before the picture is taken."""

    async def run_before(pilot) -> None:
        await pilot.press(*keys)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen(snap_compare, demo_app: MeetupApp, screen: str, size: tuple[int, int]) -> None:
    assert snap_compare(demo_app, run_before=_pressed(SCREENS[screen]), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("screen", ["board", "insights", "report"])
def test_without_colour(
    snap_compare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, screen: str, size: tuple[int, int]
) -> None:
    """NO_COLOR: greys only, the row under the cursor reversed, the focused column's heavy rule."""
    monkeypatch.setenv("NO_COLOR", "1")
    path = tmp_path / "demo.json"
    write_demo(path, DAY)
    app = MeetupApp(Database.open(path, user="alex@spoke-and-chain"), Clock(DAY))
    assert snap_compare(app, run_before=_pressed(SCREENS[screen]), terminal_size=size)


@pytest.mark.parametrize("screen", ["main", "checkin"])
def test_phone_sized(snap_compare, demo_app: MeetupApp, screen: str) -> None:
    """Under 70 columns: today's list and the person only; the score in fewer words."""
    assert snap_compare(demo_app, run_before=_pressed(SCREENS[screen]), terminal_size=(60, 20))


async def _focus_log(pilot) -> None:
    pilot.app.query_one("#log").focus()
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_log_entry_opened(snap_compare, demo_app: MeetupApp, size: tuple[int, int]) -> None:
    """Enter on the newest log row: the entry whole, with its keys."""
    assert snap_compare(demo_app, press=["enter"], run_before=_focus_log, terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_segment_members(snap_compare, demo_app: MeetupApp, size: tuple[int, int]) -> None:
    assert snap_compare(demo_app, press=["enter"], run_before=_focus_segments, terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_segment_edit(snap_compare, demo_app: MeetupApp, size: tuple[int, int]) -> None:
    """e on the segments pane: the rule in fields, the preview of who it holds."""
    assert snap_compare(demo_app, press=["e"], run_before=_focus_segments, terminal_size=size)


IMPORT_CARDS = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Maya Okafor\r\nEMAIL:maya@wheelers.example\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Rosa [bold]Lind[/bold]\r\nORG:Lind Bakery\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Tom Hale\r\nEMAIL:tom@hale.example\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Dan Whitfield\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nEMAIL:someone@example.com\r\nEND:VCARD\r\n"
)


def test_import_dry_run(
    snap_compare, demo_app: MeetupApp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`i`, a file name (relative: nothing drawn depends on tmp_path), Enter: the plan."""
    from sync_support import wait_until

    (tmp_path / "contacts.vcf").write_bytes(IMPORT_CARDS.encode("utf-8"))
    monkeypatch.chdir(tmp_path)

    async def dry_run(pilot) -> None:
        await pilot.press("i", *"contacts.vcf", "enter")
        await wait_until(pilot, lambda: getattr(pilot.app.screen, "state", "") == "planned")

    assert snap_compare(demo_app, run_before=dry_run, terminal_size=(80, 24))


# -- who else is here (issue 12, part 3) ------------------------------------------------


def _others_here(demo: Path) -> None:
    """sam is in a check-in calling Maya Okafor (first on today's list), kim just looks;
    seen a minute ahead, so neither can go stale while the test runs."""
    import json
    from datetime import UTC, datetime, timedelta

    from meetup_tui.store.presence import presence_folder

    maya = next(p for p in Database.open(demo, user="reader").book.live_people() if p.name == "Maya Okafor")
    seen = (datetime.now(UTC) + timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    here = presence_folder(demo)
    here.mkdir()
    sam, kim = ("sam@shop", 77, {"id": maya.id, "name": maya.name}), ("kim@shop", 78, None)
    for started, (user, pid, person) in enumerate((sam, kim)):
        doing = "check-in" if person else ""
        since = f"2026-11-26T08:0{started}:00Z"  # sam came first
        data = {"user": user, "host": "shop", "pid": pid, "started": since, "seen": seen, "doing": doing}
        (here / f"{user}-{pid}.json").write_text(json.dumps(data | {"person": person}))


async def _until_others_shown(pilot) -> None:
    from meetup_tui.ui.widgets.score_bar import ScoreBar
    from sync_support import wait_until

    await wait_until(pilot, lambda: bool(pilot.app.query_one(ScoreBar).here))


@pytest.mark.parametrize("size", [(80, 24), (60, 20)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_header_with_others_here(
    snap_compare, demo_app: MeetupApp, tmp_path: Path, size: tuple[int, int]
) -> None:
    """The header says who else has the file open, in fewer words when narrow, beside the score."""
    _others_here(demo_app.db.path)
    assert snap_compare(demo_app, run_before=_until_others_shown, terminal_size=size)


def test_checkin_when_someone_else_is_calling(snap_compare, demo_app: MeetupApp) -> None:
    """t while sam is calling Maya Okafor: the card says so, in words and a notification."""
    _others_here(demo_app.db.path)

    async def checkin(pilot) -> None:
        from sync_support import wait_until

        await _until_others_shown(pilot)
        await pilot.press("t")
        await wait_until(pilot, lambda: pilot.app.screen.query_one("#calling").display)

    assert snap_compare(demo_app, run_before=checkin, terminal_size=(80, 24))
