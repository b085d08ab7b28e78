"""What merging by field versions costs on a big file: 5,000 people, 50,000 interactions.

    python benchmarks/merge.py [--people N] [--interactions N] [--runs N]

Printed, each next to the floor of the same work done naively (`json.load` of the file):
- a running app taking in one change another process wrote (`Database.reload`);
- merging a whole other copy in which 500 people had a field edited and 500 a tag added
  (what a conflicted copy from a laptop that was offline for a week costs).
"""

from __future__ import annotations

import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from meetup_tui.domain.merge import merge_books
from meetup_tui.domain.records import Interaction
from meetup_tui.store.database import Database

sys.path.insert(0, str(Path(__file__).resolve().parent))
from rank import build_book, size_options, write_book


def timed(work) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def figures(times: list[float]) -> str:
    return f"best {min(times) * 1000:.0f} ms, median {statistics.median(times) * 1000:.0f} ms"


def main() -> None:
    args = size_options(__doc__, runs=5).parse_args()
    runs = args.runs
    folder = Path(tempfile.mkdtemp(prefix="meetup-merge-bench-"))
    path = folder / "meetup.json"
    write_book(path, build_book(args.people, args.interactions), user="bench@here")
    size = path.stat().st_size / 1e6
    print(f"{args.people:,} people / {args.interactions:,} interactions, {size:.0f} MB")

    floor = [timed(lambda: json.loads(path.read_bytes())) for _ in range(runs)]
    reloads = []
    for n in range(runs):
        app_side = Database.open(path, user="app@here")
        other = Database.open(path, user="other@there")
        person = next(iter(other.book.live_people()))
        other.add(Interaction(at=f"2026-11-2{n % 7}T10:00", people=[person.id], note="called"))
        reloads.append(timed(app_side.reload))
    print(
        f"  one change from another process taken in: {figures(reloads)} (floor: json.load {figures(floor)})"
    )

    copy_path = folder / "copy.json"
    shutil.copy2(path, copy_path)
    laptop = Database.open(copy_path, user="bob@laptop")
    people = laptop.book.live_people()
    edits = [laptop.stamp(p, notes="met at the fair") for p in people[:500]]
    edits += [laptop.stamp(p, tags=[*p.tags, "fair-2026"]) for p in people[500:1000]]
    laptop.commit(*edits)
    here = Database.open(path, user="alex@shop")
    theirs = Database.open(copy_path, user="reader").book
    merges = [timed(lambda: merge_books(here.book, theirs)) for _ in range(runs)]
    print(
        f"  merging a copy with {len(edits):,} people edited: {figures(merges)} "
        f"(floor: json.load {figures(floor)})"
    )
    shutil.rmtree(folder)


if __name__ == "__main__":
    main()
