""" "If your audience is everyone, it is no one": a segment whose rule matches more than
half of the people is said to be too broad, and the people in no segment are counted —
in the domain, the CLI and the segments pane."""

from __future__ import annotations

from meetup_tui.domain.audience import audience, audience_warnings
from meetup_tui.domain.records import Person, Segment


def shop(make_book, *, broad: bool = True):
    people = [Person(name=f"P{n}", tags=["local"] if n < 6 else ["far"]) for n in range(10)]
    local = Segment(name="Locals", rule={"tags": ["local"]})  # 6 of 10
    far = Segment(name="Far away", include=[people[6].id])  # by hand: never "too broad"
    kept = [local, far] if broad else [far]
    return make_book(*people, *kept), people, local


def test_a_rule_matching_over_half_is_too_broad_and_loose_people_are_counted(make_book) -> None:
    book, people, local = shop(make_book)
    found = audience(book)
    assert found.too_broad == {local.id: 6}
    assert sorted(found.unsegmented) == sorted(p.id for p in people[7:])
    assert audience_warnings(book, found) == [
        "Locals holds 6 of 10 people: an audience of everyone is no one — narrow its rule.",
        "3 people in no segment.",
    ]


def test_exactly_half_a_manual_list_or_a_tiny_book_is_not_too_broad(make_book) -> None:
    book, people, _ = shop(make_book, broad=False)
    assert audience(book).too_broad == {}
    half = [Person(name=f"H{n}", tags=["x"] if n < 5 else []) for n in range(10)]
    xs = Segment(name="Xs", rule={"tags": ["x"]})
    assert audience(make_book(*half, xs)).too_broad == {}
    tiny = [Person(name="A", tags=["x"]), Person(name="B", tags=["x"])]
    assert audience(make_book(*tiny, xs)).too_broad == {}


def test_no_segments_at_all_warns_of_nothing(make_book) -> None:
    book = make_book(Person(name="Ann"))
    assert audience_warnings(book, audience(book)) == []


def test_deleted_people_and_segments_do_not_count(make_book) -> None:
    people = [Person(name=f"P{n}", tags=["local"]) for n in range(6)]
    gone = [Person(name=f"G{n}", deleted=True) for n in range(10)]
    old = Segment(name="Old", rule={"tags": ["local"]}, deleted=True)
    live = Segment(name="Live", include=[p.id for p in people])
    found = audience(make_book(*people, *gone, old, live))
    assert found.too_broad == {} and found.unsegmented == [] and found.people == 6


async def test_the_segments_pane_marks_a_too_broad_segment_and_counts_the_loose(tmp_path) -> None:
    from datetime import date

    from meetup_tui.domain.clock import Clock
    from meetup_tui.store.database import Database
    from meetup_tui.ui.app import MeetupApp
    from meetup_tui.ui.widgets.segments_pane import SegmentsPane

    path = tmp_path / "shop.json"
    db = Database.open(path, user="alex@shop", create=True)
    people = [Person(name=f"P{n}", tags=["local"] if n < 6 else []) for n in range(10)]
    db.apply(*people, Segment(name="Locals", rule={"tags": ["local"]}))
    db.save()
    app = MeetupApp(Database.open(path, user="alex@shop"), Clock(date(2026, 11, 26)))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        pane = app.query_one(SegmentsPane)
        rows = [[str(cell) for cell in pane.get_row_at(n)] for n in range(pane.row_count)]
    assert rows == [["0 of 6", "Locals ⚠ too broad"], ["⚠", "4 people in no segment"]]
