"""Segment coverage: how many members are in touch within their cadence (the "7 of 10")."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from meetup_tui.domain.book import Book
from meetup_tui.domain.clock import Clock
from meetup_tui.domain.coverage import is_overdue, segment_coverage
from meetup_tui.domain.records import Interaction, Person, Segment
from meetup_tui.domain.settings import settings_from_dict
from meetup_tui.store.database import Database
from meetup_tui.ui.app import MeetupApp
from meetup_tui.ui.widgets.segments_pane import SegmentsPane

TODAY = date(2026, 11, 26)
MakeBook = Callable[..., Book]


def talked(days_ago: int, person: Person, outcome: str = "reached") -> Interaction:
    day = TODAY - timedelta(days=days_ago)
    return Interaction(at=f"{day.isoformat()}T10:00", people=[person.id], outcome=outcome)


def riders(make_book: MakeBook) -> tuple[Book, Segment, dict[str, Person]]:
    people = {
        "ana": Person(name="Ana", tags=["rider"]),  # talked 3 days ago: in touch
        "bo": Person(name="Bo", tags=["rider"]),  # talked 20 days ago: in touch monthly, not weekly
        "cy": Person(name="Cy", tags=["rider"], cadence="FREQ=WEEKLY"),  # her own: due
        "dee": Person(name="Dee", tags=["rider"]),  # only an attempt: never talked
        "eli": Person(name="Eli"),  # not a member
    }
    club = Segment(name="Riders", rule={"tags": ["rider"]})
    log = [
        talked(3, people["ana"]),
        talked(20, people["bo"]),
        talked(10, people["cy"]),
        talked(1, people["dee"], "attempt"),
        talked(1, people["eli"]),
    ]
    return make_book(*people.values(), club, *log), club, people


def test_coverage_counts_members_talked_to_within_their_cadence(make_book: MakeBook) -> None:
    book, club, people = riders(make_book)
    assert segment_coverage(book, club, TODAY) == (2, 4)  # Ana and Bo, of Ana, Bo, Cy, Dee
    last = book.last_contacts()
    assert [p.name for p in people.values() if is_overdue(book, p, last.get(p.id), TODAY)] == ["Cy", "Dee"]


def test_the_default_cadence_from_the_settings_counts(make_book: MakeBook) -> None:
    book, club, _ = riders(make_book)
    assert segment_coverage(book, club, TODAY, "FREQ=WEEKLY") == (1, 4)  # Bo is now due
    book.put(Segment(name="Weekly riders", rule={"tags": ["rider"]}, cadence="FREQ=MONTHLY;INTERVAL=2"))
    assert segment_coverage(book, club, TODAY, "FREQ=WEEKLY") == (2, 4), "a segment's cadence wins"


async def test_the_segments_pane_shows_coverage_with_the_settings_default(
    tmp_path: Path, make_book: MakeBook
) -> None:
    book, _, _ = riders(make_book)
    path = tmp_path / "club.json"
    db = Database.open(path, user="alex@shop", create=True)
    db.apply(*book.records())
    db.save()
    for default, shown in (("monthly", "2 of 4"), ("weekly", "1 of 4")):
        settings = settings_from_dict({"default_cadence": default})
        app = MeetupApp(Database.open(path, user="alex@shop"), Clock(TODAY), settings)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            row = app.query_one(SegmentsPane).get_row_at(0)
            assert str(row[0]) == shown and str(row[1]) == "Riders"
