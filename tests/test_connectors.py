"""A segment's connectors: ranked by influence, introductions and log appearances, and
whether they were touched lately ("Runners' club: 0 of 3 connectors touched in 30 days")."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from meetup_tui.domain.book import Book
from meetup_tui.domain.connectors import connectors, connectors_sentence
from meetup_tui.domain.records import Interaction, Person, Segment

TODAY = date(2026, 11, 26)
MakeBook = Callable[..., Book]
CLUB = Segment(name="Runners' club", rule={"tags": ["runner"]})


def runner(name: str, influence: int = 0, **fields: object) -> Person:
    return Person(name=name, tags=["runner"], influence=influence, **fields)  # type: ignore[arg-type]


def talked(days_ago: int, *people: Person, outcome: str = "reached", deleted: bool = False) -> Interaction:
    day = TODAY - timedelta(days=days_ago)
    return Interaction(
        at=f"{day.isoformat()}T10:00", people=[p.id for p in people], outcome=outcome, deleted=deleted
    )


def names(found: list) -> list[str]:
    return [c.person.name for c in found]


def test_influence_ranks_first_then_introductions_then_appearances(make_book: MakeBook) -> None:
    ana = runner("Ana", 2)
    bo = runner("Bo", 3)
    cy = runner("Cy", 2)
    dee = runner("Dee", 2)
    outsider = Person(name="Out", influence=5)  # not a member, however influential
    # Cy introduced two people (one outside the segment: introductions count anywhere), Dee one.
    friends = [
        Person(name="F1", introduced_by=cy.id),
        Person(name="F2", introduced_by=cy.id),
        Person(name="F3", introduced_by=dee.id),
        Person(name="F4", introduced_by=ana.id, deleted=True),  # deleted: no introduction
    ]
    log = [talked(100, ana), talked(90, ana), talked(80, dee, ana, outcome="attempt")]
    book = make_book(ana, bo, cy, dee, outsider, *friends, CLUB, *log)
    found = connectors(book, CLUB, TODAY, limit=None)
    assert names(found) == ["Bo", "Cy", "Dee", "Ana"]
    by = {c.person.name: c for c in found}
    assert (by["Cy"].introduced, by["Dee"].introduced, by["Ana"].introduced) == (2, 1, 0)
    assert (by["Ana"].appearances, by["Dee"].appearances) == (3, 1), "attempts are appearances too"
    assert by["Ana"].last_talk == TODAY - timedelta(days=90)
    assert by["Dee"].last_talk is None, "an attempt is no conversation"


def test_appearances_break_a_tie_then_name_then_id(make_book: MakeBook) -> None:
    ana, bea, cat = runner("ana", 1), runner("Bea", 1), runner("Cat", 1)
    twin_a = runner("Zed", 1, id="a-id")
    twin_b = runner("zed", 1, id="b-id")
    log = [talked(5, cat), talked(6, cat), talked(7, bea), talked(8, bea, bea), talked(9, ana, deleted=True)]
    book = make_book(twin_b, cat, ana, twin_a, bea, CLUB, *log)
    found = connectors(book, CLUB, TODAY, limit=None)
    assert names(found) == ["Bea", "Cat", "ana", "Zed", "zed"]
    assert [c.appearances for c in found] == [2, 2, 0, 0, 0], "deleted entries and repeats do not count"
    assert [c.person.id for c in found[-2:]] == ["a-id", "b-id"]


def test_only_influence_or_an_introduction_makes_a_connector(make_book: MakeBook) -> None:
    quiet = runner("Quiet")  # influence 0, in the log a lot: not a connector
    host = runner("Host")  # influence 0, introduced someone: a connector
    self_made = runner("Self")  # influence 0, "introduced by" themselves: bad data, no connector
    self_made.introduced_by = self_made.id
    guest = Person(name="Guest", introduced_by=host.id)
    book = make_book(quiet, host, self_made, guest, CLUB, talked(1, quiet), talked(2, quiet))
    found = connectors(book, CLUB, TODAY)
    assert names(found) == ["Host"]
    assert found[0].introduced == 1


def test_the_limit_keeps_the_best(make_book: MakeBook) -> None:
    people = [runner(f"R{i}", i % 6) for i in range(10)]
    book = make_book(*people, CLUB)
    assert names(connectors(book, CLUB, TODAY)) == ["R5", "R4", "R3"]  # R3 before R9: the name
    assert len(connectors(book, CLUB, TODAY, limit=5)) == 5
    assert connectors(book, CLUB, TODAY, limit=0) == []


def test_touched_means_a_real_conversation_within_the_days(make_book: MakeBook) -> None:
    fresh, edge, stale, tried, today_ = (runner(n, 3) for n in ("Fresh", "Edge", "Stale", "Tried", "Today"))
    log = [
        talked(3, fresh),
        talked(30, edge),  # 30 days ago: still within 30 days
        talked(31, stale),
        talked(1, tried, outcome="attempt"),
        talked(0, today_),
    ]
    book = make_book(fresh, edge, stale, tried, today_, CLUB, *log)
    found = {c.person.name: c.touched for c in connectors(book, CLUB, TODAY, limit=None)}
    assert found == {"Fresh": True, "Edge": True, "Stale": False, "Tried": False, "Today": True}
    week = {c.person.name: c.touched for c in connectors(book, CLUB, TODAY, days=7, limit=None)}
    assert [n for n, t in week.items() if t] == ["Fresh", "Today"]


def test_the_sentence(make_book: MakeBook) -> None:
    ana, bo, cy = runner("Ana", 3), runner("Bo", 2), runner("Cy", 1)
    book = make_book(ana, bo, cy, CLUB, talked(40, ana), talked(2, cy, outcome="attempt"))
    found = connectors(book, CLUB, TODAY)
    assert connectors_sentence(CLUB, found, 30) == "Runners' club: 0 of 3 connectors touched in 30 days"
    book.put(talked(1, bo))
    found = connectors(book, CLUB, TODAY)
    assert connectors_sentence(CLUB, found, 30) == "Runners' club: 1 of 3 connectors touched in 30 days"
    assert connectors_sentence(CLUB, found[:1], 1) == "Runners' club: 0 of 1 connector touched in 1 day"


def test_no_connectors_says_how_to_get_some(make_book: MakeBook) -> None:
    book = make_book(runner("Ana"), CLUB)
    assert connectors(book, CLUB, TODAY) == []
    assert connectors_sentence(CLUB, [], 30) == "Runners' club: no connectors yet — mark someone's influence"
    empty = Segment(name="Nobody")
    assert connectors(make_book(runner("Ana", 5), empty), empty, TODAY) == []


def test_a_deleted_member_is_no_connector(make_book: MakeBook) -> None:
    gone = runner("Gone", 5, deleted=True)
    kept = runner("Kept", 1)
    assert names(connectors(make_book(gone, kept, CLUB), CLUB, TODAY)) == ["Kept"]


def test_five_thousand_people_are_ranked(make_book: MakeBook) -> None:
    """(How fast: benchmarks/segments.py.)"""
    people = [Person(name=f"P{i}", tags=["runner"] if i % 2 else [], influence=i % 6) for i in range(5000)]
    for i, person in enumerate(people[1:], 1):
        person.introduced_by = people[(i * 7) % i].id
    log = [talked(i % 200, people[i % 5000], people[(i * 13) % 5000]) for i in range(20000)]
    book = make_book(*people, CLUB, *log)
    found = connectors(book, CLUB, TODAY)
    assert len(found) == 3 and all(c.influence == 5 for c in found)
