"""The app opened from the file's summary (store/summaries.py): today's list is drawn from
the summary, the log is read in a worker once that screen is drawn, and nothing typed
before, during or after that read is lost; the summary is kept up to date when the app
closes, so the next start is fast too."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from meetup_tui.domain.book import Book
from meetup_tui.domain.clock import Clock
from meetup_tui.domain.outreach import rank_today
from meetup_tui.domain.records import Interaction, Person
from meetup_tui.store import summaries
from meetup_tui.store.database import Database
from meetup_tui.ui.app import MeetupApp
from meetup_tui.ui.widgets.log_pane import READING, LogPane
from meetup_tui.ui.widgets.outreach_pane import OutreachPane
from test_summary import answers

TODAY = date(2026, 11, 26)
SIZE = (100, 30)
USER = "alex@shop"


def on_disk(path: Path) -> Book:
    return Database.open(path, user="reader").book


@pytest.fixture
def shop(tmp_path: Path) -> tuple[Path, dict[str, Person]]:
    """A shop whose summary is kept (read once, as `today` would)."""
    path = tmp_path / "shop.json"
    db = Database.open(path, user=USER, create=True)
    people = {
        "ana": Person(name="Ana Ruiz", phones=["+1 555 0100"], influence=5, stage="advocate"),
        "bo": Person(name="Bo Lee", influence=2, stage="lead"),
    }
    talks = [
        Interaction(at=f"2026-10-{day:02d}T10:00", people=[people["bo"].id], kind="coffee", note=f"day {day}")
        for day in range(1, 21)
    ]
    db.apply(*people.values(), *talks)
    db.save()
    summaries.read_book(path, user=USER)  # makes the summary
    return path, people


async def test_the_first_screen_comes_from_the_summary_then_the_log_is_read(shop) -> None:
    path, people = shop
    db = summaries.open_database(path, user=USER)
    assert not db.book.whole_read
    app = MeetupApp(db, Clock(TODAY))
    shown: list[list[str | None]] = []
    app.drawn = lambda: shown.append([key.value for key in app.query_one(LogPane).rows])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        top = rank_today(on_disk(path), TODAY, mine=USER)[0].person.id
        assert app.query_one(OutreachPane).current_key() == top
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert db.book.whole_read
        log = app.query_one(LogPane)
        assert log.row_count == 20 and READING not in [k.value for k in log.rows]
    assert shown[0] == [READING]  # the first screen said the log was being read


async def test_a_call_logged_before_the_log_is_read_loses_nothing(shop) -> None:
    path, people = shop
    before = on_disk(path)
    app = MeetupApp(summaries.open_database(path, user=USER), Clock(TODAY))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", *"asked about winter service", "enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
    after = on_disk(path)
    assert set(before.interactions) < set(after.interactions)
    assert all(after.interactions[key] == entry for key, entry in before.interactions.items())
    [new] = [i for key, i in after.interactions.items() if key not in before.interactions]
    assert new.people == [rank_today(before, TODAY, mine=USER)[0].person.id]
    assert new.note == "asked about winter service"


async def test_a_change_another_process_made_meanwhile_is_merged(shop) -> None:
    path, people = shop
    db = summaries.open_database(path, user=USER)
    other = Database.open(path, user="bo@till")
    other.add(Person(name="Cy Park"))  # after our summary was read, before our log is
    app = MeetupApp(db, Clock(TODAY))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", *"hello", "enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
    names = {p.name for p in on_disk(path).people.values()}
    assert names == {"Ana Ruiz", "Bo Lee", "Cy Park"}
    assert len(on_disk(path).interactions) == 21


def test_the_summary_kept_after_writes_is_the_summary_of_the_file(shop) -> None:
    path, people = shop
    db = summaries.open_database(path, user=USER)
    db.commit(db.stamp(Interaction(at="2026-11-26T09:00", people=[people["ana"].id], next_step="send the list")))
    db.commit(db.stamp(people["bo"], stage="customer"))
    summaries.keep_after_writes(db)
    again = summaries.open_database(path, user=USER)
    assert not again.book.whole_read  # from the summary just kept
    for day in (TODAY, date(2026, 12, 30)):
        assert answers(again.book, day, [None, USER]) == answers(on_disk(path), day, [None, USER])
    assert not again.book.whole_read


def test_no_summary_is_kept_after_writes_when_the_file_changed_since(shop) -> None:
    path, people = shop
    db = summaries.open_database(path, user=USER)
    db.commit(db.stamp(people["bo"], stage="customer"))
    Database.open(path, user="bo@till").add(Person(name="Cy Park"))
    summaries.keep_after_writes(db)
    book = summaries.read_book(path, user=USER)
    assert "Cy Park" in {p.name for p in book.people.values()}
