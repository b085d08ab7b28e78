"""The import screen and the palette's exports: press the keys a user would, then read the
files on disk (the database, and what an export wrote)."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Static

from meetup_tui.domain.book import Book
from meetup_tui.domain.clock import Clock
from meetup_tui.domain.records import Person
from meetup_tui.store.database import Database
from meetup_tui.ui.app import MeetupApp
from meetup_tui.ui.screens.export_screen import complete_path
from meetup_tui.ui.screens.import_screen import ImportScreen
from meetup_tui.ui.widgets.outreach_pane import OutreachPane
from sync_support import wait_until

TODAY = date(2026, 11, 26)
SIZE = (100, 30)
CARDS = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Ruiz\r\nEMAIL:ana@ruiz.example\r\nORG:Ruiz Cycles\r\n"
    "END:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Rosa [bold]Lind[/bold]\r\nEMAIL:rosa@lind.example\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bo Lee\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nTEL:+1 555 0199\r\nEND:VCARD\r\n"
)


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Relative paths are typed from tmp_path (each key is a press: short paths, quick tests)."""
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def book_path(tmp_path: Path) -> Path:
    path = tmp_path / "shop.json"
    db = Database.open(path, user="alex@shop", create=True)
    db.commit(Person(name="Ana Ruiz", phones=["+1 555 0100"]), Person(name="Bo Lee"))
    return path


@pytest.fixture
def cards(tmp_path: Path) -> Path:
    path = tmp_path / "phone.vcf"
    path.write_bytes(CARDS.encode("utf-8"))
    return path


def make_app(path: Path) -> MeetupApp:
    app = MeetupApp(Database.open(path, user="alex@shop"), Clock(TODAY))
    app.animation_level = "none"
    return app


def on_disk(path: Path) -> Book:
    return Database.open(path, user="reader").book


def plan_shown(app: MeetupApp) -> bool:
    return isinstance(app.screen, ImportScreen) and app.screen.state == "planned"


def table_rows(app: MeetupApp) -> list[list[str]]:
    table = app.screen.query_one("#plan", DataTable)
    return [[str(cell) for cell in table.get_row_at(n)] for n in range(table.row_count)]


def text_of(app: MeetupApp, selector: str) -> str:
    return app.screen.query_one(selector, Static).render().plain  # type: ignore[union-attr]


async def dry_run(app: MeetupApp, pilot, path: str, *more: str) -> None:
    """i, the path (and any keys after it), Enter; wait for the table."""
    await pilot.press("i", *path, *more, "enter")
    await wait_until(pilot, lambda: plan_shown(app) or bool(text_of(app, "#error")))


async def test_import_shows_the_plan_then_writes_it(book_path: Path, cards: Path) -> None:
    app = make_app(book_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await dry_run(app, pilot, cards.name)
        assert plan_shown(app)
        rows = table_rows(app)
        assert [r[0] for r in rows] == ["merge", "add", "skip", "bad"]
        assert rows[0][1] == "Ana Ruiz" and rows[0][3].startswith("adds org, emails · same name")
        assert rows[1][1] == "Rosa [bold]Lind[/bold]"  # the file's text, shown as it is
        assert rows[3][2] == "16" and "no name" in rows[3][3]
        summary = text_of(app, "#summary")
        assert "phone.vcf (vCard)" in summary
        assert "Would add 1, merge 1, skip 1; 1 record could not be read." in summary
        assert len(on_disk(book_path).live_people()) == 2  # a dry run: nothing written yet
        await pilot.press("down")  # the line under the table says the whole row
        assert text_of(app, "#detail") == "Rosa [bold]Lind[/bold] · line 7 · new"
        await pilot.press("enter")
        await wait_until(pilot, lambda: len(app.screen_stack) == 1)
        await app.workers.wait_for_complete()
        assert any(p.name == "Rosa [bold]Lind[/bold]" for p in app.db.book.live_people())
        assert [n.message for n in app._notifications] == ["Imported 1 person, merged 1."]
    book = on_disk(book_path)
    by_name = {p.name: p for p in book.live_people()}
    assert set(by_name) == {"Ana Ruiz", "Bo Lee", "Rosa [bold]Lind[/bold]"}
    ana = by_name["Ana Ruiz"]
    assert ana.phones == ["+1 555 0100"] and ana.emails == ["ana@ruiz.example"]
    assert ana.org == "Ruiz Cycles" and ana.updated_by == "alex@shop"
    assert by_name["Rosa [bold]Lind[/bold]"].created_by == "alex@shop"


async def test_the_import_is_planned_again_on_what_others_wrote_meanwhile(
    book_path: Path, cards: Path
) -> None:
    """Sam adds Rosa while the dry run is on the screen: the import merges into her, never
    a second Rosa (the plan is made again under the lock, on the book as merged with the file)."""
    app = make_app(book_path)
    async with app.run_test(size=SIZE) as pilot:
        await dry_run(app, pilot, cards.name)
        assert [r[0] for r in table_rows(app)][:2] == ["merge", "add"]
        Database.open(book_path, user="sam@shop").commit(
            Person(name="Rosa Lind", emails=["rosa@lind.example"])
        )
        await pilot.press("enter")
        await wait_until(pilot, lambda: len(app.screen_stack) == 1)
        await app.workers.wait_for_complete()
    rosas = [p for p in on_disk(book_path).live_people() if "rosa@lind.example" in p.emails]
    assert [p.name for p in rosas] == ["Rosa Lind"]


async def test_the_progress_bar_follows_the_matching(
    book_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.widgets import ProgressBar

    seen: list[tuple[object, object]] = []
    update = ProgressBar.update

    def spy(self, **given):  # type: ignore[no-untyped-def]
        seen.append((given.get("total"), given.get("progress")))
        return update(self, **given)  # what was not given stays not given

    monkeypatch.setattr(ProgressBar, "update", spy)
    rows = "".join(f"Member {n},m{n}@club.example\n" for n in range(450))
    (tmp_path / "club.csv").write_text("Name,Email\n" + rows, encoding="utf-8")
    app = make_app(book_path)
    async with app.run_test(size=SIZE) as pilot:
        await dry_run(app, pilot, "club.csv")
        assert plan_shown(app), (text_of(app, "#error"), app.screen.query_one(Input).value)
        assert (450, 200) in seen and (450, 450) in seen
        seen.clear()
        await pilot.press("enter")
        await wait_until(pilot, lambda: len(app.screen_stack) == 1)
        await app.workers.wait_for_complete()
        assert (450, 450) in seen  # planned again, with the bar, under the lock
    assert len(on_disk(book_path).live_people()) == 452


async def test_an_import_the_disk_refuses_is_kept_said_and_retried(
    book_path: Path, cards: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import resource
    import signal

    from sync_support import poll_fast

    poll_fast(monkeypatch)
    before = book_path.read_bytes()
    app = make_app(book_path)
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    old_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await dry_run(app, pilot, cards.name)
        try:
            resource.setrlimit(resource.RLIMIT_FSIZE, (64, hard))  # a disk that is full
            await pilot.press("enter")
            await wait_until(pilot, lambda: len(app.screen_stack) == 1)
            await wait_until(pilot, lambda: any("Not saved" in n.title for n in app._notifications))
            assert app.db.pending and book_path.read_bytes() == before
        finally:
            resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
            signal.signal(signal.SIGXFSZ, old_handler)
        await wait_until(pilot, lambda: not app.db.pending)  # the retry wrote it
    assert {p.name for p in on_disk(book_path).live_people()} == {
        "Ana Ruiz",
        "Bo Lee",
        "Rosa [bold]Lind[/bold]",
    }


async def test_a_csv_with_a_tag_and_a_segment_by_ctrl_s(book_path: Path, tmp_path: Path) -> None:
    members = tmp_path / "members.csv"
    members.write_text("Name,Email\nCy Moss,cy@moss.example\nBo Lee,bo@lee.example\n", encoding="utf-8")
    app = make_app(book_path)
    async with app.run_test(size=SIZE) as pilot:
        await dry_run(app, pilot, members.name, "tab", *"club", "tab", *"Riders")
        assert [r[0] for r in table_rows(app)] == ["add", "merge"]
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: len(app.screen_stack) == 1)
        await app.workers.wait_for_complete()
    book = on_disk(book_path)
    by_name = {p.name: p for p in book.live_people()}
    assert by_name["Cy Moss"].tags == ["club"] and by_name["Cy Moss"].emails == ["cy@moss.example"]
    assert by_name["Bo Lee"].tags == ["club"] and by_name["Bo Lee"].emails == ["bo@lee.example"]
    (riders,) = book.live_segments()
    assert riders.name == "Riders"
    assert {p.name for p in book.members(riders)} == {"Cy Moss", "Bo Lee"}


async def test_a_dry_run_then_escape_writes_nothing(book_path: Path, cards: Path) -> None:
    before = book_path.read_bytes()
    app = make_app(book_path)
    async with app.run_test(size=SIZE) as pilot:
        await dry_run(app, pilot, cards.name)
        assert len(table_rows(app)) == 4
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(app.screen_stack) == 1
        assert len(app.db.book.live_people()) == 2
    assert book_path.read_bytes() == before


async def test_a_file_that_is_not_contacts_says_so_and_writes_nothing(
    book_path: Path, tmp_path: Path
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("call the bakery about the ride\n", encoding="utf-8")
    before = book_path.read_bytes()
    app = make_app(book_path)
    async with app.run_test(size=SIZE) as pilot:
        await dry_run(app, pilot, notes.name)
        assert isinstance(app.screen, ImportScreen) and app.screen.state == "ask"
        assert "notes.txt looks like plain text, not contacts" in text_of(app, "#error")
        await pilot.press("enter")  # Enter again: the same sentence, still nothing written
        await wait_until(pilot, lambda: app.screen.state == "ask")
        await pilot.press("ctrl+u", *"nowhere.vcf", "enter")
        await wait_until(pilot, lambda: "There is no file" in text_of(app, "#error"))
        await pilot.press("escape")
        await pilot.pause()
    assert book_path.read_bytes() == before


async def test_tab_completes_the_path_from_its_folder(tmp_path: Path, book_path: Path, cards: Path) -> None:
    (tmp_path / "phonebook").mkdir()
    app = make_app(book_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i", *"ph")
        path_input = app.screen.query_one("#path", Input)
        await wait_until(pilot, lambda: path_input._suggestion != "")
        await pilot.press("tab")  # the contact file first, before the folder
        assert path_input.value == cards.name
        assert app.screen.focused is path_input
        await pilot.press("tab")  # nothing left to complete: the next field
        assert app.screen.focused is app.screen.query_one("#tags", Input)


def test_completion_expands_the_home_folder_and_ends_folders_with_a_slash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "Downloads").mkdir()
    (tmp_path / "Downloads" / "contacts.vcf").write_text("", encoding="utf-8")
    (tmp_path / ".hidden").mkdir()
    assert complete_path("~") == "~/"
    assert complete_path("~/Do") == "~/Downloads/"
    assert complete_path("~/Downloads") == "~/Downloads/"
    assert complete_path("~/Downloads/") == "~/Downloads/contacts.vcf"
    assert complete_path("~/Downloads/contacts.vcf") is None
    assert complete_path("~/h") is None and complete_path("~/.h") == "~/.hidden/"
    assert complete_path("~/nowhere/x") is None


async def test_the_empty_book_offers_the_import(tmp_path: Path) -> None:
    app = MeetupApp(Database.open(tmp_path / "new.json", user="alex@shop", create=True), Clock(TODAY))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        row = " ".join(str(cell) for cell in app.query_one(OutreachPane).get_row_at(0))
        assert "No one here yet" in row
        assert "press a to add someone, i to import contacts" in row
        await pilot.press("i")
        assert isinstance(app.screen, ImportScreen)


async def test_export_people_from_the_palette_writes_a_csv_beside_the_database(
    book_path: Path,
) -> None:
    app = make_app(book_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p", *"people as CSV", "enter")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ExportScreen")
        out = app.screen.query_one("#out", Input)
        assert out.value == str(book_path.with_name("shop-people.csv"))
        await pilot.press("enter")
        await wait_until(pilot, lambda: len(app.screen_stack) == 1)
    rows = list(csv.DictReader(io.StringIO(book_path.with_name("shop-people.csv").read_text("utf-8"))))
    assert sorted(row["name"] for row in rows) == ["Ana Ruiz", "Bo Lee"]


@pytest.mark.parametrize(
    ("command", "name", "start"),
    [
        ("vCards", "shop-contacts.vcf", b"BEGIN:VCARD"),
        ("calendar feed", "shop-calendar.ics", b"BEGIN:VCALENDAR"),
        ("whole database", "shop-export.json", b"{"),
    ],
)
async def test_the_other_exports_write_their_files(
    book_path: Path, command: str, name: str, start: bytes
) -> None:
    app = make_app(book_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p", *command, "enter")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ExportScreen")
        await pilot.press("enter")
        await wait_until(pilot, lambda: len(app.screen_stack) == 1)
    assert book_path.with_name(name).read_bytes().startswith(start)
    if name.endswith(".json"):
        assert {p.name for p in Database.open(book_path.with_name(name), user="r").book.live_people()} == {
            "Ana Ruiz",
            "Bo Lee",
        }


async def test_an_export_over_the_database_itself_is_refused(book_path: Path) -> None:
    before = book_path.read_bytes()
    app = make_app(book_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p", *"whole database", "enter")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "ExportScreen")
        await pilot.press("ctrl+u", *book_path.name, "enter")
        await pilot.pause()
        assert "the database itself" in text_of(app, "#error")
        await pilot.press("escape")
    assert book_path.read_bytes() == before
