"""The warm path to a stranger: the shortest chain of introductions and shared log entries
from someone known well (a real conversation within 90 days) to them."""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from meetup_tui.domain.book import Book
from meetup_tui.domain.records import Interaction, Person
from meetup_tui.domain.warm_path import KNOWN_DAYS, intro_request, path_words, warm_path

TODAY = date(2026, 11, 26)
MakeBook = Callable[..., Book]


def talk(days_ago: int, *people: Person, outcome: str = "reached", deleted: bool = False) -> Interaction:
    day = TODAY - timedelta(days=days_ago)
    return Interaction(
        at=f"{day.isoformat()}T10:00", people=[p.id for p in people], outcome=outcome, deleted=deleted
    )


def names(path: list[Person] | None) -> list[str] | None:
    return None if path is None else [p.name for p in path]


def test_a_direct_introduction(make_book: MakeBook) -> None:
    maria = Person(name="Maria Gonzalez")
    kwame = Person(name="Kwame Mensah", introduced_by=maria.id)
    book = make_book(maria, kwame, talk(10, maria))
    path = warm_path(book, kwame.id, TODAY)
    assert names(path) == ["Maria Gonzalez", "Kwame Mensah"]
    assert path is not None
    assert path_words(path) == "via Maria Gonzalez"
    assert intro_request(path) == "ask Maria Gonzalez for an intro to Kwame Mensah"
    # The link works both ways: Kwame introduced Maria.
    maria.introduced_by, kwame.introduced_by = kwame.id, None
    book = make_book(maria, kwame, talk(10, maria))
    assert names(warm_path(book, kwame.id, TODAY)) == ["Maria Gonzalez", "Kwame Mensah"]


def test_two_hops_through_a_shared_event(make_book: MakeBook) -> None:
    maria, kwame, lena = Person(name="Maria Gonzalez"), Person(name="Kwame Mensah"), Person(name="Lena Ortiz")
    # Maria and Kwame were at the same event (an attempt is still a shared entry); Lena was
    # introduced by Kwame.
    lena.introduced_by = kwame.id
    log = [talk(5, maria), talk(40, maria, kwame, outcome="attempt")]
    path = warm_path(make_book(maria, kwame, lena, *log), lena.id, TODAY)
    assert names(path) == ["Maria Gonzalez", "Kwame Mensah", "Lena Ortiz"]
    assert path is not None
    assert path_words(path) == "via Maria Gonzalez → Kwame Mensah"
    assert intro_request(path) == "ask Maria Gonzalez for an intro to Kwame Mensah"


def test_the_shortest_path_wins_over_a_more_influential_friend(make_book: MakeBook) -> None:
    near, far, mid1, mid2, target = (Person(name=n) for n in ("Near", "Far", "Mid1", "Mid2", "Target"))
    far.influence = 5
    target.introduced_by = near.id  # Near -> Target: one hop
    mid2.introduced_by = far.id
    mid1.introduced_by = mid2.id
    log = [talk(1, near), talk(1, far), talk(3, mid1, target, outcome="attempt")]  # Far: three hops
    book = make_book(near, far, mid1, mid2, target, *log)
    assert names(warm_path(book, target.id, TODAY)) == ["Near", "Target"]


def test_among_equals_influence_then_name_then_id(make_book: MakeBook) -> None:
    target = Person(name="Target")
    ana, bo = Person(name="ana"), Person(name="Bo")
    via_x, via_y = Person(name="Yves"), Person(name="Xena")
    # Two known people at two hops, each through one go-between; then through two go-betweens.
    log = [
        talk(1, ana),
        talk(1, bo),
        talk(9, ana, via_x, outcome="attempt"),
        talk(9, bo, via_y, outcome="attempt"),
    ]
    log += [talk(20, via_x, target, outcome="attempt"), talk(20, via_y, target, outcome="attempt")]
    people = [target, bo, via_y, ana, via_x]
    assert names(warm_path(make_book(*people, *log), target.id, TODAY)) == ["ana", "Yves", "Target"]
    bo.influence = 2
    assert names(warm_path(make_book(*people, *log), target.id, TODAY)) == ["Bo", "Xena", "Target"]
    # One known person, two go-betweens: the more influential, then the name.
    solo = [
        talk(1, ana),
        talk(9, ana, via_x, via_y, outcome="attempt"),
        talk(20, via_x, via_y, target, outcome="attempt"),
    ]
    assert names(warm_path(make_book(target, ana, via_x, via_y, *solo), target.id, TODAY)) == [
        "ana",
        "Xena",
        "Target",
    ]
    via_x.influence = 1
    assert names(warm_path(make_book(target, ana, via_x, via_y, *solo), target.id, TODAY)) == [
        "ana",
        "Yves",
        "Target",
    ]
    # Same name and influence: the id decides, whatever order the book holds them in.
    t1, t2 = Person(name="Twin", id="b-2"), Person(name="twin", id="a-1")
    tlog = [talk(1, t1), talk(1, t2), talk(5, t1, t2, target, outcome="attempt")]
    for order in ([t1, t2], [t2, t1]):
        assert [p.id for p in warm_path(make_book(target, *order, *tlog), target.id, TODAY) or []] == [
            "a-1",
            target.id,
        ]


def test_no_path(make_book: MakeBook) -> None:
    maria, island, old = Person(name="Maria"), Person(name="Island"), Person(name="Old friend")
    log = [talk(1, maria), talk(KNOWN_DAYS + 1, old), talk(200, old, island, outcome="attempt")]
    book = make_book(maria, island, old, *log)
    assert warm_path(book, island.id, TODAY) is None, "Old friend is not known well: last talk 91 days ago"
    book.put(talk(KNOWN_DAYS, old))
    assert names(warm_path(book, island.id, TODAY)) == ["Old friend", "Island"], "90 days ago still counts"
    assert warm_path(book, "no-such-id", TODAY) is None
    assert warm_path(make_book(island), island.id, TODAY) is None, "no one known at all"


def test_cycles_in_introductions_end(make_book: MakeBook) -> None:
    a, b, c, target, maria = (Person(name=n) for n in ("A", "B", "C", "Target", "Maria"))
    a.introduced_by, b.introduced_by, c.introduced_by = b.id, c.id, a.id  # A <- B <- C <- A
    target.introduced_by = c.id
    book = make_book(a, b, c, target, maria, talk(1, maria))
    assert warm_path(book, target.id, TODAY) is None
    book.put(talk(2, a))
    assert names(warm_path(book, target.id, TODAY)) == ["A", "C", "Target"]


def test_a_person_introduced_by_themselves_links_no_one(make_book: MakeBook) -> None:
    maria, target = Person(name="Maria"), Person(name="Target")
    target.introduced_by = target.id
    maria.introduced_by = maria.id
    assert warm_path(make_book(maria, target, talk(1, maria)), target.id, TODAY) is None
    # ...and does not spoil the person's other links.
    book = make_book(maria, target, talk(1, maria), talk(9, maria, target, target, outcome="attempt"))
    assert names(warm_path(book, target.id, TODAY)) == ["Maria", "Target"]


def test_deleted_people_and_entries_are_never_on_a_path(make_book: MakeBook) -> None:
    maria, gone, target, lena = (
        Person(name="Maria"),
        Person(name="Gone"),
        Person(name="Target"),
        Person(name="Lena"),
    )
    gone.deleted = True
    gone.introduced_by = maria.id
    target.introduced_by = gone.id  # points at a deleted person: no link
    log = [talk(1, maria), talk(5, maria, gone, outcome="attempt"), talk(5, gone, target, outcome="attempt")]
    book = make_book(maria, gone, target, lena, *log)
    assert warm_path(book, target.id, TODAY) is None
    book.put(talk(6, maria, target, outcome="attempt", deleted=True))  # a deleted entry links no one
    assert warm_path(book, target.id, TODAY) is None
    lena.introduced_by = "missing-id"
    book.put(Person(name="Known", id="k"))
    book.put(Interaction(at="2026-11-20T10:00", people=["k"]))
    book.put(Interaction(at="2026-11-21T10:00", people=["k", "missing-id", target.id], outcome="attempt"))
    assert names(warm_path(book, target.id, TODAY)) == ["Known", "Target"]
    assert warm_path(book, gone.id, TODAY) is None, "no path to a deleted person"
    # A known person who was deleted is no start.
    book.put(Person(name="Known", id="k", deleted=True))
    assert warm_path(book, target.id, TODAY) is None


def test_someone_already_talked_to_needs_no_path(make_book: MakeBook) -> None:
    maria, target = Person(name="Maria"), Person(name="Target")
    target.introduced_by = maria.id
    book = make_book(maria, target, talk(1, maria), talk(400, target))
    assert warm_path(book, target.id, TODAY) is None
    # An attempt is not a talk.
    book = make_book(maria, target, talk(1, maria), talk(4, target, outcome="attempt"))
    assert names(warm_path(book, target.id, TODAY)) == ["Maria", "Target"]


def test_max_hops_is_respected(make_book: MakeBook) -> None:
    chain = [Person(name=f"P{i}") for i in range(7)]
    for before, after in itertools.pairwise(chain):
        after.introduced_by = before.id
    book = make_book(*chain, talk(1, chain[0]))
    target = chain[-1].id
    assert warm_path(book, target, TODAY) is None, "six hops: beyond the default four"
    assert warm_path(book, target, TODAY, max_hops=5) is None
    assert names(warm_path(book, target, TODAY, max_hops=6)) == [p.name for p in chain]
    assert names(warm_path(book, chain[4].id, TODAY)) == ["P0", "P1", "P2", "P3", "P4"]
    assert warm_path(book, chain[1].id, TODAY, max_hops=0) is None


def test_path_words_need_two_people() -> None:
    with pytest.raises(ValueError):
        path_words([Person(name="Alone")])
    with pytest.raises(ValueError):
        intro_request([])


# -- against a brute force on small random books ------------------------------------------

SIZE = 8


@st.composite
def small_books(draw: st.DrawFn) -> tuple[list[Person], list[Interaction]]:
    people = [Person(name=f"N{i}", id=f"p{i}") for i in range(SIZE)]
    for person in people:
        person.deleted = draw(st.integers(0, 7)) == 0
        person.influence = draw(st.integers(0, 2))
        by = draw(st.one_of(st.none(), st.integers(0, SIZE - 1), st.just(-1)))
        person.introduced_by = None if by is None else ("missing" if by == -1 else f"p{by}")
    log = []
    # A few people talked to alone (the known ones, if recent), then shared entries, mostly
    # attempts, so that most targets are not talked to yet and paths exist to be found.
    for pid in draw(st.lists(st.integers(0, SIZE - 1), min_size=1, max_size=3)):
        day = TODAY - timedelta(days=draw(st.integers(0, 150)))
        log.append(Interaction(at=f"{day.isoformat()}T10:00", people=[f"p{pid}"]))
    for _ in range(draw(st.integers(0, 14))):
        who = draw(
            st.lists(st.sampled_from([*(f"p{i}" for i in range(SIZE)), "missing"]), min_size=1, max_size=3)
        )
        log.append(
            Interaction(
                at=f"{(TODAY - timedelta(days=draw(st.integers(0, 150)))).isoformat()}T10:00",
                people=who,
                outcome=draw(st.sampled_from(["reached", "attempt", "attempt", "attempt", "attempt"])),
                deleted=draw(st.integers(0, 5)) == 0,
            )
        )
    return people, log


def linked(a: Person, b: Person, log: list[Interaction]) -> bool:
    """The definition of a link, pair by pair (no adjacency lists)."""
    if a.deleted or b.deleted or a.id == b.id:
        return False
    if a.introduced_by == b.id or b.introduced_by == a.id:
        return True
    return any(not i.deleted and a.id in i.people and b.id in i.people for i in log)


def brute_distance(
    people: list[Person], log: list[Interaction], source: Person, target: Person
) -> int | None:
    seen, queue = {source.id: 0}, deque([source])
    while queue:
        here = queue.popleft()
        if here.id == target.id:
            return seen[here.id]
        for other in people:
            if other.id not in seen and linked(here, other, log):
                seen[other.id] = seen[here.id] + 1
                queue.append(other)
    return None


@settings(max_examples=300, deadline=None)
@given(small_books(), st.integers(0, SIZE - 1), st.integers(0, 4))
def test_the_path_is_a_chain_of_links_and_none_is_shorter(
    drawn: tuple[list[Person], list[Interaction]], pick: int, max_hops: int
) -> None:
    people, log = drawn
    book = Book()
    for record in (*people, *log):
        book.put(record)
    target = people[pick]
    reached = [i for i in log if not i.deleted and i.reached]
    talked_to = any(target.id in i.people for i in reached)
    since = (TODAY - timedelta(days=KNOWN_DAYS)).isoformat()
    known = [
        p
        for p in people
        if not p.deleted
        and p.id != target.id
        and any(p.id in i.people and i.at[:10] >= since for i in reached)
    ]
    distances = [d for p in known if (d := brute_distance(people, log, p, target)) is not None]
    best = min(distances, default=None)
    path = warm_path(book, target.id, TODAY, max_hops=max_hops)
    if target.deleted or talked_to or best is None or best > max_hops:
        assert path is None
        return
    assert path is not None
    assert path[0] in known and path[-1].id == target.id
    assert len(path) - 1 == best, "no shorter path exists"
    assert len({p.id for p in path}) == len(path)
    assert all(linked(a, b, log) for a, b in itertools.pairwise(path))
    assert all(not p.deleted for p in path)
    # Among the known people at that distance, the first by influence, name, id.
    nearest = [p for p in known if brute_distance(people, log, p, target) == best]
    assert path[0] == min(nearest, key=lambda p: (-p.influence, p.name.casefold(), p.id))


# -- speed ---------------------------------------------------------------------------------


def big_book() -> tuple[Book, list[Person]]:
    people = [Person(name=f"P{i}", id=f"id{i:05}", influence=i % 6) for i in range(5000)]
    for i, person in enumerate(people[1:], 1):
        if i % 3:
            person.introduced_by = people[(i * 7919) % i].id
    log = []
    for i in range(50000):
        day = TODAY - timedelta(days=i % 400)
        if i % 3 == 0:  # a real talk, always with one of the first thousand: the rest are strangers
            log.append(Interaction(at=f"{day.isoformat()}T10:00", people=[people[i % 1000].id]))
            continue
        who = [people[(i * 31) % 5000].id, people[(i * 17 + 3) % 5000].id]
        if i % 1000 == 1:
            who += [people[(i + k * 101) % 5000].id for k in range(40)]  # an event
        log.append(Interaction(at=f"{day.isoformat()}T10:00", people=who, outcome="attempt"))
    book = Book()
    for record in (*people, *log):
        book.put(record)
    return book, people


def test_five_thousand_people_and_fifty_thousand_entries_give_valid_paths() -> None:
    """(How fast: benchmarks/segments.py.)"""
    book, people = big_book()
    strangers = [p for p in people if p.id not in book.last_contacts()]
    assert strangers
    for stranger in strangers[:20]:
        path = warm_path(book, stranger.id, TODAY)
        assert path is None or (path[-1].id == stranger.id and len(path) <= 5)
    assert warm_path(book, strangers[0].id, TODAY) is not None
