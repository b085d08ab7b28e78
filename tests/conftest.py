"""Fixtures shared by the test files: a database path in tmp_path and a Book builder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from meetup_tui.domain.book import Book
from meetup_tui.domain.records import Record


@pytest.fixture(autouse=True)
def no_personal_settings(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never read the settings of whoever runs the tests: point at a file that is not there."""
    missing = tmp_path_factory.mktemp("settings") / "settings.toml"
    monkeypatch.setenv("MEETUP_TUI_SETTINGS", str(missing))


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
