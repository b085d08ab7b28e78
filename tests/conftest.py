"""Fixtures shared by the test files: a database path in tmp_path, a Book builder, and a
shop of six people due today (`six_due`, for the pilot tests of today's list)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from cli_support import USER as CLI_USER
from meetup_tui.domain.book import Book
from meetup_tui.domain.records import Interaction, Person, Record
from meetup_tui.store.database import Database
from today_support import NAMES, USER


@pytest.fixture(autouse=True)
def no_personal_settings(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never read the settings of whoever runs the tests: point at a file that is not there."""
    missing = tmp_path_factory.mktemp("settings") / "settings.toml"
    monkeypatch.setenv("MEETUP_TUI_SETTINGS", str(missing))


@pytest.fixture(autouse=True)
def own_summaries(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the summaries reading commands make (store/summaries.py) in a folder of the
    test's own: never the user's cache, and never one test's for another's file."""
    cache = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("MEETUP_TUI_CACHE", str(cache / "meetup-tui"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))  # for child processes given no MEETUP_TUI_*


@pytest.fixture(autouse=True)
def own_journal(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This machine's journal of acknowledged writes (store/journal.py) in a folder of the
    test's own, never the user's data folder.  Child processes given no MEETUP_TUI_* keep
    theirs under the XDG_DATA_HOME they are given."""
    folder = tmp_path_factory.mktemp("journal")
    monkeypatch.setenv("MEETUP_TUI_JOURNAL", str(folder))
    monkeypatch.setenv("XDG_DATA_HOME", str(folder.parent / f"{folder.name}-data"))  # for child processes
    return folder


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every path Database.open reads whole, from now on (a book opened from its summary
    reads none)."""
    seen: list[Path] = []
    real = Database.open.__func__  # type: ignore[attr-defined]

    def spy(cls: type[Database], path: Path, **options: object) -> Database:
        seen.append(path)
        return real(cls, path, **options)

    monkeypatch.setattr(Database, "open", classmethod(spy))
    return seen


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where a test's database file goes (not created)."""
    return tmp_path / "meetup.json"


@pytest.fixture
def make_book() -> Callable[..., Book]:
    """`make_book(*records)`: a Book holding exactly those records."""

    def build(*records: Record) -> Book:
        book = Book()
        for record in records:
            book.put(record)
        return book

    return build


@pytest.fixture
def six_due(tmp_path: Path) -> tuple[Path, dict[str, Person]]:
    """Six people, all last talked on 1 September (monthly: all overdue); influence 5..0
    orders them, so with the daily cap of 5 the check-in walks the first five."""
    path = tmp_path / "shop.json"
    db = Database.open(path, user=USER, create=True)
    people = {
        name.split()[0].lower(): Person(
            name=name,
            phones=[f"+1 555 010{i}"],
            influence=5 - i,
            stage="customer",
            created_at="2026-08-01T09:00:00.000000Z",
        )
        for i, name in enumerate(NAMES)
    }
    talks = [
        Interaction(
            at="2026-09-01T10:00",
            people=[p.id],
            kind="coffee",
            learned="wants a winter service plan" if p.name == "Ana Ruiz" else "",
        )
        for p in people.values()
    ]
    db.apply(*people.values(), *talks)
    db.save()
    return path, people


@pytest.fixture
def small_shop(db_path: Path) -> Path:
    """Ana (an open step) and Bo (an attempt), written by the CLI tests' user: no summary kept yet."""
    db = Database.open(db_path, user=CLI_USER, create=True)
    ana, bo = db.add(Person(name="Ana Ruiz", influence=3)), db.add(Person(name="Bo Lee"))
    db.commit(
        db.stamp(Interaction(at="2026-09-01T10:00", people=[ana.id], next_step="send the list")),
        db.stamp(Interaction(at="2026-10-01T10:00", people=[bo.id], outcome="attempt")),
    )
    return db_path
