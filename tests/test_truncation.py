"""Nothing cut without a sign (issue 10): on the demo at 60, 80 and 120 columns, every cell
a table shows on the screen is either its whole text or ends in "…", and so is every match
the search lists.  Read from the screen as drawn (scrollbars and dialogs on top included),
not from the cells' data.
"""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import OptionList

from meetup_tui.demo import write_demo
from meetup_tui.domain.clock import Clock
from meetup_tui.domain.dates import relative_day
from meetup_tui.store.database import Database
from meetup_tui.ui.app import MeetupApp
from meetup_tui.ui.screens.segment_members import MembersTable, SegmentMembersScreen
from meetup_tui.ui.widgets.keyed_table import KeyedTable
from meetup_tui.ui.widgets.log_pane import LogPane

DAY = date(2026, 11, 26)
SIZES = [(60, 24), (80, 24), (120, 40)]
IDS = [f"{w}x{h}" for w, h in SIZES]


@pytest.fixture
def demo_app(tmp_path: Path) -> MeetupApp:
    path = tmp_path / "demo.json"
    write_demo(path, DAY)
    app = MeetupApp(Database.open(path, user="alex@spoke-and-chain"), Clock(DAY))
    app.animation_level = "none"
    return app


def screen_lines(app: MeetupApp) -> list[str]:
    """The terminal's lines as the user sees them (what `export_screenshot` draws, as text)."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True, color_system=None)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text().splitlines()


def check(shown: str, whole: str, where: str) -> bool:
    """Whether `shown` is `whole` or the start of it ending in "…"; True when it was cut."""
    shown, whole = shown.rstrip(), whole.rstrip()
    if shown == whole:
        return False
    assert shown.endswith("…") and whole.startswith(shown[:-1]), f"{where}: {shown!r} cut from {whole!r}"
    return True


def table_cells(lines: list[str], table: KeyedTable) -> list[tuple[str, str, str]]:
    """(shown, whole, where) for each visible cell of `table`, header included."""
    area = table.scrollable_content_region  # on the screen, less the scrollbar
    scroll_x, scroll_y = (int(n) for n in table.scroll_offset)
    pad = table.cell_padding
    cells = []
    for y in range(area.y, area.bottom):
        row = -1 if y == area.y else y - area.y - 1 + scroll_y
        if row >= table.row_count:
            break
        values = [c.label for c in table.ordered_columns] if row < 0 else table.get_row_at(row)
        x = area.x - scroll_x
        for column, value in zip(table.ordered_columns, values, strict=True):
            start, end = x + pad, x + column.get_render_width(table) - pad
            x += column.get_render_width(table)
            if start >= area.right:
                raise AssertionError(f"{table.id}: column {column.label} is off the screen")
            shown = lines[y][max(start, area.x) : min(end, area.right)]
            cells.append((shown, str(value), f"{table.id} row {row} {column.label}"))
    return cells


def option_cells(lines: list[str], matches: OptionList) -> list[tuple[str, str, str]]:
    area = matches.scrollable_content_region
    scroll_y = int(matches.scroll_offset.y)
    cells = []
    for y in range(area.y, min(area.bottom, area.y + matches.option_count - scroll_y)):
        option = matches.get_option_at_index(y - area.y + scroll_y)
        cells.append((lines[y][area.x : area.right], str(option.prompt), f"match {option.id}"))
    return cells


def check_screen(app: MeetupApp) -> int:
    """Check every table and match list of the screen on top; how many cells were cut."""
    lines = screen_lines(app)
    cells = []
    for table in app.screen.query(KeyedTable):
        if table.region.area:  # shown (under 70 columns the log and segments are not)
            cells += table_cells(lines, table)
    for matches in app.screen.query(OptionList):
        cells += option_cells(lines, matches)
    assert cells
    return sum(check(*cell) for cell in cells)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
async def test_the_main_screen_cuts_nothing_without_a_sign(demo_app: MeetupApp, size) -> None:
    async with demo_app.run_test(size=size) as pilot:
        await pilot.pause()
        assert check_screen(demo_app) > 0  # the reasons are long: some are cut, with a sign
        await pilot.press("m")  # every one due: a scrollbar takes two columns from the list
        await pilot.pause()
        check_screen(demo_app)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
async def test_search_cuts_nothing_without_a_sign(demo_app: MeetupApp, size) -> None:
    async with demo_app.run_test(size=size) as pilot:
        await pilot.press("slash")
        await pilot.pause()
        cut = check_screen(demo_app)
        assert cut > 0 if size[0] == 60 else cut == 0  # "Deb Fairley  Millbrook Cargo Bike…"


@pytest.mark.parametrize("size", SIZES, ids=IDS)
async def test_a_segments_members_cut_nothing_without_a_sign(demo_app: MeetupApp, size) -> None:
    async with demo_app.run_test(size=size) as pilot:
        await pilot.pause()
        book = demo_app.db.book
        longest = max(book.live_segments(), key=lambda s: len(book.members(s)))
        await demo_app.push_screen(SegmentMembersScreen(book, longest, DAY))
        await pilot.pause()
        check_screen(demo_app)
        lines = screen_lines(demo_app)
        assert any("Last talked" in line for line in lines)


async def test_at_80_columns_the_log_shows_some_of_each_note(demo_app: MeetupApp) -> None:
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        cells = {
            where: shown.strip()
            for shown, _, where in table_cells(screen_lines(demo_app), demo_app.query_one(LogPane))
        }
        assert cells["log row -1 Note"] == "Note"
        assert len(cells["log row 0 Note"].rstrip("…")) >= 8, cells["log row 0 Note"]


def test_the_date_columns_hold_the_longest_relative_day() -> None:
    """Up to 999 years either way ("10 months ago" is the longest, as long as "100 years ago")."""
    years = [sign * (365 * n + extra) for n in (2, 99, 100, 999) for extra in (0, 364) for sign in (1, -1)]
    longest = max(len(relative_day(DAY + timedelta(days=d), DAY)) for d in [*range(-800, 801), *years])
    for table in (LogPane, MembersTable):
        width = next(width for _, key, width in table.COLUMNS if key in ("when", "last"))
        assert width is not None and width >= longest == 13
