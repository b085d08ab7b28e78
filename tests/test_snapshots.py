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
    "segment_editor": ["s", *"Fast locals", "tab", "tab", *"racing", "tab", "tab", "tab", *"Millbrook"],
}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen(snap_compare, demo_app: MeetupApp, screen: str, size: tuple[int, int]) -> None:
    assert snap_compare(demo_app, press=SCREENS[screen], terminal_size=size)


@pytest.mark.parametrize("screen", ["main", "checkin"])
def test_phone_sized(snap_compare, demo_app: MeetupApp, screen: str) -> None:
    """Under 70 columns: today's list and the person only; the score in fewer words."""
    assert snap_compare(demo_app, press=SCREENS[screen], terminal_size=(60, 20))


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
