"""What the panes show is kept up to date by each change (the log's indexes grow and are
edited in place, segment members and coverage are kept per person): after random changes
to a generated 5,000-person book, every figure equals the one worked out afresh from the
same records.  (The app's panes show exactly these: the today list, each segment's "7 of
10", the week's score, the newest log entries and a person's log.)"""

from __future__ import annotations

import random
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from meetup_tui.domain.book import Book, weekly_score
from meetup_tui.domain.coverage import segment_coverage
from meetup_tui.domain.engagement import from_posts_this_week
from meetup_tui.domain.outreach import rank_today
from meetup_tui.domain.records import Interaction, Person, Post, Record

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from rank import TODAY, build_book  # noqa: E402 - the benchmarks' seeded book


def panes(book: Book, today: date, people: list[str]) -> dict[str, object]:
    ranked = rank_today(book, today)
    newest, count = book.newest_interactions(60)
    return {
        "today": [(s.person.id, round(s.score, 9), s.reasons, s.action) for s in ranked],
        "coverage": [(s.id, segment_coverage(book, s, today)) for s in book.live_segments()],
        "members": [(s.id, sorted(p.id for p in book.members(s))) for s in book.live_segments()],
        "score": weekly_score(book, today),
        "from posts": from_posts_this_week(book, today, 14),
        "log": ([i.id for i in newest], count),
        "theirs": {pid: [i.id for i in book.interactions_with(pid)] for pid in people},
    }


def afresh(book: Book) -> Book:
    """The same records in a new book: no index, no memo."""
    return Book(dict(book.people), dict(book.segments), dict(book.interactions), dict(book.posts))


def a_change(book: Book, rng: random.Random, n: int) -> Record:
    people = list(book.people.values())
    entries = list(book.interactions.values())
    segments = list(book.segments.values())
    kind = rng.choice(["talk", "talk", "edit entry", "tombstone", "person", "segment", "post"])
    if kind == "post":  # people who engaged with it: a reason on today's list, a talk "from a post"
        engaged = [f"{p.id}:{rng.choice(['comment', 'share', 'like'])}" for p in rng.sample(people, 3)]
        at = date.fromordinal(TODAY.toordinal() - rng.randrange(0, 20)).isoformat()
        return Post(platform="Instagram", at=f"{at}T18:00", likes=rng.randrange(50), engaged=engaged)
    if kind == "talk":
        who = [p.id for p in rng.sample(people, rng.choice([1, 1, 2]))]
        outcome = rng.choice(["reached", "attempt", "noted"])
        return Interaction(
            at=f"{TODAY.isoformat()}T{8 + n % 10:02d}:{n % 60:02d}", people=who, outcome=outcome,
            next_step=rng.choice(["", "send the quote"]), learned=rng.choice(["", "wants a winter service"]),
        )  # fmt: skip
    if kind == "edit entry":
        held = rng.choice(entries)
        return replace(held, outcome=rng.choice(["reached", "attempt"]), done=rng.choice(["", "2026-11-26"]),
                       at=rng.choice([held.at, "2026-11-20T10:00"]))  # fmt: skip
    if kind == "tombstone":
        return replace(rng.choice(entries), deleted=True)
    if kind == "person":
        held = rng.choice(people)
        tags, stage = rng.sample(["runner", "club", "cafe"], 1), rng.choice(["lead", "customer"])
        cadence = rng.choice(["", "FREQ=WEEKLY"])
        return replace(held, tags=tags, stage=stage, cadence=cadence, deleted=rng.random() < 0.1)
    held = rng.choice(segments)
    cadence = rng.choice(["", "FREQ=MONTHLY"])
    return replace(held, include=[*held.include, rng.choice(people).id], cadence=cadence)


@pytest.mark.parametrize("seed", [1, 2])
def test_the_panes_kept_up_to_date_by_changes_equal_the_panes_worked_out_afresh(seed: int) -> None:
    book = build_book(5_000, 20_000, seed=seed)
    rng = random.Random(seed)
    touched: list[str] = []
    panes(book, TODAY, touched)  # every index and memo built: from here on kept up to date
    for n in range(60):
        change = a_change(book, rng, n)
        book.put(change)
        if isinstance(change, Interaction):
            touched.extend(change.people)
        elif isinstance(change, Person):
            touched.append(change.id)
        if n % 6 == 5:
            assert panes(book, TODAY, touched[-12:]) == panes(afresh(book), TODAY, touched[-12:]), n
    engaged = [s for s in rank_today(book, TODAY) if "engaged" in s.points]
    assert engaged, "the changes held posts with people who engaged, fresh enough to list"
