"""How the app does on a big file: 5,000 people and 50,000 interactions (about 28 MB).

    python benchmarks/app.py [--people N] [--interactions N] [--runs N]

Printed, each next to the floor of the same work done naively:
- reading the file into a Database, against parsing the same JSON with `json.load`;
- the app to its first screen (file read, ranking, panes filled), against an empty
  Textual app to its first screen, both headless at 120x40;
- refreshing every pane after one new log entry (what each change costs the screen).
The file is written once from the seeded book of `benchmarks/rank.py`.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from textual.app import App

from meetup_tui.domain.clock import Clock
from meetup_tui.domain.records import Interaction
from meetup_tui.store.database import Database
from meetup_tui.ui.app import MeetupApp

sys.path.insert(0, str(Path(__file__).resolve().parent))
from rank import TODAY, build_book, size_options, write_book  # noqa: E402 - the ranking's seeded book

SIZE = (120, 40)


def seconds(times: list[float]) -> str:
    return f"best {min(times):.2f} s, median {statistics.median(times):.2f} s"


async def first_screen(make: type[App] | None, path: Path) -> float:
    start = time.perf_counter()
    app = make() if make is not None else MeetupApp(Database.open(path, user="bench"), Clock(TODAY))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        took = time.perf_counter() - start
        app.exit()
    return took


async def refreshes(path: Path, runs: int) -> list[float]:
    app = MeetupApp(Database.open(path, user="bench"), Clock(TODAY))
    times = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        who = next(iter(app.db.book.people))
        for n in range(runs):
            app.db.apply(Interaction(at=f"{TODAY.isoformat()}T09:{n % 60:02d}", people=[who], note="called"))
            start = time.perf_counter()
            app.refresh_panes()
            times.append(time.perf_counter() - start)
        app.exit()
    return times


def main() -> None:
    args = size_options(__doc__, runs=5).parse_args()

    book = build_book(args.people, args.interactions)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.json"
        write_book(path, book)
        size = (
            f"{args.people:,} people / {args.interactions:,} interactions, {path.stat().st_size / 1e6:.0f} MB"
        )

        def parse() -> None:
            with path.open(encoding="utf-8") as handle:
                json.load(handle)

        reads, floor = [], []
        for _ in range(args.runs):
            start = time.perf_counter()
            Database.open(path, user="bench")
            reads.append(time.perf_counter() - start)
            start = time.perf_counter()
            parse()
            floor.append(time.perf_counter() - start)
        print(f"{size}")
        print(f"  read into a Database: {seconds(reads)} (floor: json.load of the file {min(floor):.2f} s)")
        app = [asyncio.run(first_screen(None, path)) for _ in range(args.runs)]
        empty = [asyncio.run(first_screen(App, path)) for _ in range(args.runs)]
        print(f"  app to its first screen: {seconds(app)} (floor: an empty Textual app {min(empty):.2f} s)")
        changed = asyncio.run(refreshes(path, args.runs * 4))
        ms = [t * 1000 for t in changed]
        best, median = min(ms), statistics.median(ms)
        print(f"  every pane refreshed after a new log entry: best {best:.0f} ms, median {median:.0f} ms")


if __name__ == "__main__":
    main()
