"""The running app and this machine's journal: what another process here acknowledged comes
back into the file even when a sync client replaced the file before the app ever saw it.
Read on disk as JSON (a Database would take the journal in itself)."""

from __future__ import annotations

import json
import os
import shutil
from datetime import date
from pathlib import Path

import pytest

from meetup_tui.domain.clock import Clock
from meetup_tui.domain.records import Interaction, Person
from meetup_tui.store import summaries
from meetup_tui.store.database import Database
from meetup_tui.ui.app import MeetupApp
from sync_support import poll_fast, wait_until

TODAY = date(2026, 11, 26)


@pytest.fixture(autouse=True)
def fast_polls(monkeypatch: pytest.MonkeyPatch) -> None:
    poll_fast(monkeypatch)


def notes_on_disk(path: Path) -> set[str]:
    return {doc["note"] for doc in json.loads(path.read_bytes())["interactions"].values()}


async def test_what_a_command_here_logged_comes_back_after_the_file_is_replaced(tmp_path: Path) -> None:
    path = tmp_path / "shop.json"
    db = Database.open(path, user="alex@shop", create=True)
    ana = db.add(Person(name="Ana Ruiz"))
    older = tmp_path / "older.json"
    shutil.copy2(path, older)  # the other machine's file, from before the call below
    app = MeetupApp(summaries.open_database(path, user="alex@shop", keep=False), Clock(TODAY))  # as run_app
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        # A `log` on this machine, then at once a sync client puts the older file in its
        # place (ours to a conflicted copy it later deletes): the app never saw the entry.
        elsewhere = Database.open(path, user="alex@shop")
        elsewhere.commit(elsewhere.stamp(Interaction(at="2026-11-26T09:00", people=[ana.id], note="called")))
        os.replace(older, path)
        assert notes_on_disk(path) == set()
        await wait_until(pilot, lambda: notes_on_disk(path) == {"called"})
        await wait_until(pilot, lambda: "called" in {e.note for e in app.db.book.interactions.values()})
