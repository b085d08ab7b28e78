"""How fast a history shows on a big file: 5,000 people, 50,000 log entries, 5,000 of them
with one person (Maya Patel).

    python benchmarks/history_view.py [--people N] [--interactions N] [--theirs N] [--runs N]

Printed, each next to the floor of the same work done naively:
- the query in the domain (`parse_query` and the newest window of matches of the log, counted)
  for a person's history, a filter of kind, dates and a word, and the whole log, against
  one pass over the log reading one field;
- in a headless app at 120x40, from a query to its first rows shown: the history screen
  opened with `who:"Maya Patel"` (the line read, the search, the first window of the table
  filled; then the first frame sent to the terminal after it), and a new line read on the
  open screen; against an empty Textual app to its first screen and `json.load` of the file;
- a key typed in the query line, to the frame that shows it (the search waits for a pause).
The target for a query to its first rows is 100 ms.  The book is the seeded one of
`benchmarks/rank.py`, less the entries given to Maya Patel, written once to a file.
"""

from __future__ import annotations

import asyncio
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from textual.app import App

from meetup_tui.domain.book import Book
from meetup_tui.domain.clock import Clock
from meetup_tui.domain.log_query import Found, find_entries, parse_query
from meetup_tui.domain.records import KINDS, Interaction
from meetup_tui.store.database import Database
from meetup_tui.ui.app import MeetupApp
from meetup_tui.ui.screens.history_screen import PAGE, HistoryScreen

sys.path.insert(0, str(Path(__file__).resolve().parent))
from rank import (  # the same seeded book as the ranking benchmark
    TODAY,
    build_book,
    size_options,
    stamp,
    write_book,
)

SIZE = (120, 40)
PERSON = 'who:"Maya Patel"'
QUERIES = {
    "a person's history": PERSON,
    "kind, dates and a word": "kind:call since:2026-09 until:2026-11 cargo",
    "the whole log": "",
}


def big_book(people: int, interactions: int, theirs: int) -> Book:
    """`build_book`, with `theirs` of its entries made Maya Patel's (alone or with others)."""
    book = build_book(people, interactions - theirs)
    maya = next(iter(book.people.values()))
    maya.name = "Maya Patel"
    others = list(book.people)
    rng = random.Random(7)
    for n in range(theirs):
        day = TODAY - timedelta(days=n // 4)
        company = rng.sample(others, rng.randint(1, 3)) if rng.random() < 0.2 else []
        book.put(
            Interaction(
                created_at=stamp(day, rng),
                at=f"{day.isoformat()}T{8 + n % 10:02d}:{(n * 7) % 60:02d}",
                people=[maya.id, *company],
                kind=rng.choice(KINDS),
                outcome="reached" if rng.random() < 0.85 else "attempt",
                note=rng.choice(["Talked about a cargo bike.", "Went over the club's kit order.", ""]),
            )
        )
    return book


def milliseconds(times: list[float]) -> str:
    return f"best {min(times) * 1000:.1f} ms, median {statistics.median(times) * 1000:.1f} ms"


def timed(work: Callable[[], object], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return times


class TimedHistory(HistoryScreen):
    """The history screen, noting when each search's rows went into the table."""

    filled: float | None = None

    def show_found(self, found: Found) -> None:
        super().show_found(found)
        self.filled = time.perf_counter()


class Frames:
    """When the app sent each frame to the (headless) terminal."""

    def __init__(self, app: App) -> None:
        self.times: list[float] = []
        display = app._display

        def noted(screen, update) -> None:  # type: ignore[no-untyped-def]
            self.times.append(time.perf_counter())
            display(screen, update)

        app._display = noted  # type: ignore[method-assign]

    async def first_after(self, moment: float) -> float:
        """The time of the first frame sent after `moment` (waiting for it)."""
        while not any(t > moment for t in self.times):
            await asyncio.sleep(0.0005)
        return next(t for t in self.times if t > moment)


async def in_the_app(path: Path, runs: int) -> dict[str, list[float]]:
    app = MeetupApp(Database.open(path, user="bench"), Clock(TODAY))
    frames = Frames(app)
    took: dict[str, list[float]] = {"filled": [], "painted": [], "line": [], "line painted": [], "key": []}
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for _ in range(runs):
            start = time.perf_counter()
            screen = TimedHistory(PERSON)
            app.push_screen(screen)
            while screen.filled is None:
                await asyncio.sleep(0.0005)
            took["filled"].append(screen.filled - start)
            took["painted"].append(await frames.first_after(screen.filled) - start)
            await pilot.pause()
            for line in ("kind:coffee since:2026-10", PERSON):
                start = time.perf_counter()
                screen.read_line(line)
                took["line"].append(time.perf_counter() - start)
                took["line painted"].append(await frames.first_after(time.perf_counter()) - start)
                await pilot.pause()
            screen.action_to_query()
            await pilot.pause()
            for key in "cargo":
                start = time.perf_counter()
                await pilot.press(key)
                took["key"].append(await frames.first_after(start) - start)
                await pilot.pause(0.3)  # past the pause after typing: the search ran
            app.pop_screen()
            await pilot.pause()
        app.exit()
    return took


async def empty_app() -> float:
    start = time.perf_counter()
    app = App()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        took = time.perf_counter() - start
        app.exit()
    return took


def main() -> None:
    parser = size_options(__doc__)
    parser.add_argument("--theirs", type=int, default=5_000, help="entries with Maya Patel")
    args = parser.parse_args()

    book = big_book(args.people, args.interactions, args.theirs)
    print(f"{args.people:,} people / {args.interactions:,} log entries, {args.theirs:,} with Maya Patel")

    entries = list(book.interactions.values())
    floor = timed(lambda: [item.at for item in entries], args.runs)
    print(f"  the query in the domain (floor: one pass over the log {min(floor) * 1000:.1f} ms):")
    for label, text in QUERIES.items():

        def query(text: str = text) -> Found:
            parsed = parse_query(text, book, TODAY)
            return find_entries(book.interactions.values(), parsed.filter(book), PAGE)

        found = query()
        print(f"    {label} ({found.matched:,} match): {milliseconds(timed(query, args.runs))}")

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.json"
        write_book(path, book)

        def parse() -> None:
            with path.open(encoding="utf-8") as handle:
                json.load(handle)

        loaded = min(timed(parse, 3))
        empty = min(asyncio.run(empty_app()) for _ in range(3))
        took = asyncio.run(in_the_app(path, args.runs))
        print(
            f"  in the app at {SIZE[0]}x{SIZE[1]} (floors: an empty Textual app to its first screen "
            f"{empty * 1000:.0f} ms, json.load of the {path.stat().st_size / 1e6:.0f} MB file "
            f"{loaded * 1000:.0f} ms):"
        )
        print(f"    history opened to its first {PAGE} rows in the table: {milliseconds(took['filled'])}")
        print(f"      ... and on the screen (the first frame after): {milliseconds(took['painted'])}")
        print(f"    a new query line read and shown: {milliseconds(took['line'])}")
        print(f"      ... and on the screen: {milliseconds(took['line painted'])}")
        print(f"    a key typed in the query line, to its frame: {milliseconds(took['key'])}")


if __name__ == "__main__":
    main()
