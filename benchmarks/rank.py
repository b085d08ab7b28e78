"""How long `rank_today` takes on a big book: 10,000 people and 50,000 interactions.

    python benchmarks/rank.py [--people N] [--interactions N] [--runs N]

The book is built in memory from a seeded random generator (no file).  Printed: the best
and median of several calls with the book's log index already built (the app's case: the
index is built once and grows with each new log entry), the same after each of a new
log entry and an edited person, a first call on a fresh book (the index built inside
it), and the floor: one pass over the records reading a single field.  Then the part of
the ranking that finds every segment's untouched connectors (kept between rankings until
the book changes), worked out afresh.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from datetime import time as clock
from pathlib import Path

from meetup_tui.domain.book import Book
from meetup_tui.domain.connectors import untouched_connectors
from meetup_tui.domain.outreach import rank_today
from meetup_tui.domain.records import Interaction, Person, Segment
from meetup_tui.store.database import Database

TODAY = date(2026, 11, 26)
CADENCES = ["", "", "", "FREQ=WEEKLY", "FREQ=WEEKLY;INTERVAL=2", "FREQ=MONTHLY", "FREQ=MONTHLY;INTERVAL=3"]
STAGES = ["stranger", "prospect", "prospect", "lead", "customer", "customer", "advocate"]
TAGS = ["runner", "commuter", "family", "cargo", "supplier", "club", "cafe", "gravel"]
AREAS = ["", "", "Millbrook", "Eastgate", "Hillcrest", "Old Town"]
OWNERS = ["", "alex", "sam", "jo"]
SYLLABLES = ["an", "bo", "ca", "di", "el", "fa", "gi", "ho", "ja", "ki", "lu", "ma", "ne", "or", "pa", "ru"]
NOTES = ["Voicemail; left a message.", "No answer.", "Engaged.", "Texted, no reply yet."]


def stamp(day: date, rng: random.Random) -> str:
    moment = datetime.combine(day, clock(rng.randint(6, 20), rng.randint(0, 59)), tzinfo=timezone.utc)
    return moment.isoformat(timespec="microseconds").replace("+00:00", "Z")


def build_book(people: int, interactions: int, seed: int = 4, years: int | None = None) -> Book:
    """The seeded book.  The log's entries are mostly recent (a mean of 90 days back); with
    `years`, spread evenly over that many calendar years ending in TODAY's (4: 2023-2026)."""
    rng = random.Random(seed)
    first = date(TODAY.year - years + 1, 1, 1) if years else None
    book = Book()
    ids: list[str] = []
    imported = TODAY - timedelta(days=20)  # a fifth of the book came in one import
    for n in range(people):
        added = imported if n % 5 == 0 else TODAY - timedelta(days=rng.randint(0, 730))
        name = " ".join("".join(rng.choices(SYLLABLES, k=rng.randint(2, 3))).title() for _ in range(2))
        person = Person(
            id=f"{rng.getrandbits(128):032x}",
            created_at=stamp(added, rng),
            name=name,
            phones=[f"07700 {rng.randint(100000, 999999)}"] if rng.random() < 0.8 else [],
            area=rng.choice(AREAS),
            tags=rng.sample(TAGS, rng.randint(0, 2)),
            influence=min(5, int(rng.expovariate(0.8))),
            stage=rng.choice(STAGES),
            cadence=rng.choice(CADENCES),
            channel=rng.choice(["", "", "", "call", "coffee", "message"]),
            introduced_by=rng.choice(ids) if ids and rng.random() < 0.1 else None,
            owner=rng.choice(OWNERS),
            wants="A winter service." if rng.random() < 0.2 else "",
            snoozed_until=(TODAY + timedelta(days=9)).isoformat() if rng.random() < 0.02 else None,
            birthday=f"--{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" if rng.random() < 0.3 else None,
        )
        ids.append(person.id)
        book.put(person)
    for n, tag in enumerate(TAGS):
        book.put(
            Segment(
                name=f"{tag.title()}s",
                rule={"tags": [tag]} if n % 3 else {"tags": [tag], "min_influence": 2},
                include=rng.sample(ids, 50),
                exclude=rng.sample(ids, 10),
                cadence=rng.choice(["", "FREQ=WEEKLY;INTERVAL=2", "FREQ=MONTHLY"]),
            )
        )
    for _ in range(interactions):
        if first is None:
            day = TODAY - timedelta(days=int(rng.expovariate(1 / 90)))
        else:
            day = TODAY - timedelta(days=rng.randint(0, (TODAY - first).days))
        reached = rng.random() < 0.85
        follow = rng.random() < 0.1
        book.put(
            Interaction(
                created_at=stamp(day, rng),
                at=f"{day.isoformat()}T{rng.randint(8, 19):02d}:{rng.choice([0, 15, 30, 45]):02d}",
                people=rng.sample(ids, 1 if rng.random() < 0.9 else rng.randint(2, 5)),
                kind=rng.choice(["call", "call", "coffee", "visit", "message"]),
                outcome="reached" if reached else "attempt",
                note="" if reached else rng.choice(NOTES),
                learned="Wants a cargo bike." if reached and rng.random() < 0.2 else "",
                next_step="send the price list" if follow else "",
                follow_up=(day + timedelta(days=rng.randint(1, 30))).isoformat() if follow else None,
            )
        )
    return book


def compiled() -> None:
    """Compile meetup-tui's modules to bytecode, as installing it does, so that a command run
    by a benchmark pays for importing them, not for compiling them (this sandbox and some
    CI set PYTHONDONTWRITEBYTECODE, which leaves an editable install uncompiled)."""
    import compileall

    import meetup_tui

    for folder in meetup_tui.__path__:
        compileall.compile_dir(folder, quiet=1)


def size_options(doc: str, *, people: int = 5_000, runs: int = 7) -> argparse.ArgumentParser:
    """The options every benchmark takes: the book's size and how many runs (a script
    adds its own to the parser it gets)."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--people", type=int, default=people)
    parser.add_argument("--interactions", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=runs)
    return parser


def write_book(path: Path, book: Book, user: str = "bench") -> Database:
    """`book` written to a new database file at `path`, as the app would save it."""
    db = Database.open(path, user=user, create=True)
    db.journal.enabled = False  # a generated book: no machine's journal keeps it (store/journal.py)
    db.apply(*book.records())
    db.save()
    db.journal.enabled = True
    return db


def timed(call: Callable[[], object], runs: int, prepare: Callable[[], object] | None = None) -> list[float]:
    """Milliseconds per call; `prepare` runs untimed before each call."""
    times = []
    for _ in range(runs):
        if prepare is not None:
            prepare()
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return times


def floor_pass(book: Book) -> None:
    for person in book.people.values():
        person.deleted  # noqa: B018 - reading one field is the work being measured
    for item in book.interactions.values():
        item.at  # noqa: B018


def figures(times: list[float]) -> str:
    return f"best {min(times):.1f} ms, median {statistics.median(times):.1f} ms"


def main() -> None:
    args = size_options(__doc__, people=10_000, runs=25).parse_args()

    book = build_book(args.people, args.interactions)
    size = f"{args.people:,} people / {args.interactions:,} interactions"
    listed = len(rank_today(book, TODAY))  # builds the log index, as the app's first screen does
    warm = timed(lambda: rank_today(book, TODAY), args.runs)
    floor = timed(lambda: floor_pass(book), args.runs)
    print(
        f"rank_today, {size}: {figures(warm)} "
        f"(floor: one pass over the records {min(floor):.1f} ms); {listed:,} people due"
    )

    people = list(book.people.values())
    rng = random.Random(1)

    def log_one() -> None:
        who = rng.choice(people)
        book.put(Interaction(at=f"{TODAY.isoformat()}T09:00", people=[who.id], note="called"))

    def snooze_one() -> None:
        who = rng.choice(people)
        book.put(replace(who, snoozed_until=(TODAY + timedelta(days=3)).isoformat()))

    after_log = timed(lambda: rank_today(book, TODAY), args.runs, prepare=log_one)
    after_edit = timed(lambda: rank_today(book, TODAY), args.runs, prepare=snooze_one)
    print(
        f"  after each new log entry: {figures(after_log)}; after each edited person: {figures(after_edit)}"
    )

    fresh = [book]

    def copy() -> None:  # a book as just read from the file: no index yet
        fresh[0] = Book(dict(book.people), dict(book.segments), dict(book.interactions), dict(book.posts))

    cold = timed(lambda: rank_today(fresh[0], TODAY), max(3, args.runs // 5), prepare=copy)
    print(f"  first call on a book just read (its log index built inside): {figures(cold)}")

    def forget() -> None:  # as on a book just read: no segment membership, no counts kept
        for name in [n for n in book._memo if n.startswith("connectors.")]:
            del book._memo[name]

    found = timed(lambda: untouched_connectors(book, TODAY), max(3, args.runs // 5), prepare=forget)
    print(
        f"  of which every segment's untouched connectors ({len(book.live_segments())} segments), "
        f"worked out afresh: {figures(found)}; {len(untouched_connectors(book, TODAY))} people"
    )


if __name__ == "__main__":
    main()
