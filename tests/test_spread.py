"""The spread of first contacts: people never talked to fall due spread over their cadence,
at most about `daily_cap` new ones a day, deterministically, and never moved by what
happens to the others."""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta

from meetup_tui.domain.book import Book
from meetup_tui.domain.outreach import rank_today
from meetup_tui.domain.records import Interaction, Person

MakeBook = Callable[..., Book]
TODAY = date(2026, 11, 26)


def talk(n_days_ago: int, person: Person) -> Interaction:
    """A real conversation with `person`, `n_days_ago` days before TODAY."""
    return Interaction(at=f"{(TODAY - timedelta(days=n_days_ago)).isoformat()}T10:00", people=[person.id])


def import_of(count: int, day: date, seed: int = 1) -> list[Person]:
    rng = random.Random(seed)
    stamp = f"{day.isoformat()}T09:30:00.000000Z"
    return [Person(id=f"{rng.getrandbits(64):016x}", name=f"P{n}", created_at=stamp) for n in range(count)]


def first_dues(book: Book, days: int) -> Counter[date]:
    """How many never-contacted people first fall due on each day of the next `days`."""
    seen: set[str] = set()
    per_day: Counter[date] = Counter()
    for n in range(days):
        today = TODAY + timedelta(days=n)
        for s in rank_today(book, today):
            if s.person.id not in seen:
                seen.add(s.person.id)
                per_day[today] += 1
                assert s.due == today
    return per_day


def test_an_import_of_500_is_spread_over_the_cadence(make_book: MakeBook) -> None:
    people = import_of(500, TODAY)
    per_day = first_dues(make_book(*people), 31)
    assert sum(per_day.values()) == 500, "everyone falls due within one cadence (monthly: 30 days)"
    assert max(per_day.values()) <= math.ceil(500 / 30)
    assert len(per_day) == 30
    shuffled = make_book(*random.Random(2).sample(people, 500))
    assert first_dues(shuffled, 31) == per_day, "deterministic: the order of loading does not matter"


def test_a_few_new_people_are_due_at_once_and_more_come_at_the_daily_cap(make_book: MakeBook) -> None:
    assert first_dues(make_book(*import_of(5, TODAY)), 1) == {TODAY: 5}
    per_day = first_dues(make_book(*import_of(40, TODAY)), 31)
    assert sorted(per_day.values()) == [5] * 8 and max(per_day) == TODAY + timedelta(days=7)


def test_contacting_part_of_an_import_never_moves_the_others(make_book: MakeBook) -> None:
    people = import_of(90, TODAY - timedelta(days=10))
    book = make_book(*people)
    before = {s.person.id: s.due for s in rank_today(book, TODAY)}
    for person in people[:30]:
        book.put(talk(1, person))
    deleted = next(p for p in people[30:] if p.id in before)
    book.put(replace(deleted, deleted=True))
    after = {s.person.id: s.due for s in rank_today(book, TODAY)}
    gone = {p.id for p in people[:30]} | {deleted.id}
    assert gone & set(before) and len(before) - len(gone & set(before)) > 10, "some listed go, many stay"
    assert after == {pid: due for pid, due in before.items() if pid not in gone}
