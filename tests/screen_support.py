"""Helpers for the screen pilot tests (no tests here): a host app, sample people, reading widgets."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from textual.app import App
from textual.screen import Screen
from textual.widgets import Static

from meetup_tui.domain.book import Book
from meetup_tui.domain.clock import Clock
from meetup_tui.domain.records import Person

SIZE = (80, 24)
TODAY = date(2026, 11, 26)  # a Thursday
CLOCK = Clock(fixed_day=TODAY)


class Host(App[None]):
    """Pushes one screen on mount and keeps whatever it is dismissed with."""

    def __init__(self, make: Callable[[], Screen]) -> None:
        super().__init__()
        self.make = make
        self.results: list[object] = []
        self.animation_level = "none"

    def on_mount(self) -> None:
        self.push_screen(self.make(), self.results.append)


def people() -> tuple[Person, Person, Person]:
    ana = Person(
        name="Ana Silva",
        org="Bike Club",
        phones=["+1 555 123 4567", "+1 555 000 0002"],
        emails=["ana@bike.example"],
        tags=["runner"],
        influence=4,
        cadence="FREQ=WEEKLY;INTERVAL=2;BYDAY=MO",
    )
    bo = Person(name="Bo Novak", org="Café Sol", phones=["020 7946 0018"], tags=["cafe"])
    carla = Person(name="Carla Anand", org="Library", introduced_by=ana.id)
    return ana, bo, carla


def make_book(*persons: Person) -> Book:
    book = Book()
    for person in persons:
        book.put(person)
    return book


def plain(widget: Static) -> str:
    """What a Static shows, as text (markup already applied, if any was)."""
    return widget.render().plain  # type: ignore[union-attr]


def error_shown(app: App) -> str:
    error = app.screen.query_one("#error", Static)
    assert error.display and error.styles.display == "block"
    return plain(error)


async def type_text(pilot, text: str) -> None:
    await pilot.press(*text)
