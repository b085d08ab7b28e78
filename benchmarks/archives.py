"""Bytes one logged call writes, with the log in one file and with its closed years archived.

    python benchmarks/archives.py [--sizes 10000/100000 20000/200000] [--years 4] [--runs N]

For each size (people/log entries) the seeded book of `benchmarks/rank.py`, its log spread
evenly over --years calendar years ending in 2026, is written twice: as one file (the
archiving held back: what every log rewrote before archives), and archived (the main file
past the threshold, its closed years moved to `big-YYYY.json` beside it).  Then
`log NAME --note x` runs in a real process on a fresh copy of each, as most logs run (a
backup made in the last 10 minutes), and the bytes of every file it wrote are counted
(each file is rewritten whole: the bytes a sync client uploads).  Also the first log on the
one-file database with archiving on, which does the moving once.  Medians of --runs runs.
The year that counts as current is the real clock's (the log ends on 26 November 2026).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from commands import run, written
from rank import build_book, write_book

from meetup_tui.store import archives, backups
from meetup_tui.store.database import Database

DAY = "2026-11-26"
NEVER = 10**15  # a threshold no file reaches: archiving held back
# The same command line in a process where archiving is held back: the one-file behaviour.
ONE_FILE = (
    "import sys; from meetup_tui.store import archives; "
    f"archives.LIMIT_BYTES = archives.LIMIT_YEARS = {NEVER}; "
    "from meetup_tui.cli.main import main; raise SystemExit(main(sys.argv[1:]))"
)


def size_of(text: str) -> tuple[int, int]:
    people, entries = text.split("/")
    return int(people.replace(",", "")), int(entries.replace(",", ""))


def write_one_file(path: Path, people: int, entries: int, years: int) -> str:
    """The book in one file; returns a live person's name."""
    book = build_book(people, entries, years=years)
    held = archives.LIMIT_BYTES, archives.LIMIT_YEARS
    archives.LIMIT_BYTES = archives.LIMIT_YEARS = NEVER
    try:
        write_book(path, book)
    finally:
        archives.LIMIT_BYTES, archives.LIMIT_YEARS = held
    return next(p.name for p in book.people.values() if not p.deleted)


def log_bytes(
    folder: Path, source: Path, name: str, env: dict[str, str], *, one_file: bool, backed: bool
) -> tuple[int, float]:
    """Bytes written and seconds taken by one `log` on a fresh copy of `source`'s folder."""
    work = folder / "work"
    shutil.copytree(source.parent, work)
    copy = work / source.name
    if backed:
        backups.make_backup(copy, copy.read_bytes())
    args = ("--db", str(copy), "--today", DAY, "log", name, "--note", "x")
    start = time.time_ns()
    took = run("-c", ONE_FILE, *args, env=env) if one_file else run("-m", "meetup_tui", *args, env=env)
    out = written(work, start)
    shutil.rmtree(work)
    return out, took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sizes = ["10000/100000", "20000/200000"]
    parser.add_argument("--sizes", nargs="+", default=sizes, metavar="PEOPLE/ENTRIES")
    parser.add_argument("--years", type=int, default=4)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEETUP_TUI_")}
    env.update(MEETUP_TUI_USER="bench@shop", MEETUP_TUI_SETTINGS=os.devnull)
    print(f"log spread over {args.years} calendar years to {DAY}; medians of {args.runs}")
    for text in args.sizes:
        people, entries = size_of(text)
        with tempfile.TemporaryDirectory() as temp:
            folder = Path(temp)
            (folder / "one").mkdir()
            (folder / "archived").mkdir()
            one = folder / "one" / "big.json"
            name = write_one_file(one, people, entries, args.years)
            archived = folder / "archived" / "big.json"
            shutil.copy2(one, archived)
            Database.open(archived, user="bench").sync(force=True)  # past the threshold: archives
            files = sorted(archived.parent.glob("big-*.json"))
            runs = {
                key: [
                    log_bytes(folder, src, name, env, one_file=key == "one", backed=True)
                    for _ in range(args.runs)
                ]
                for key, src in (("one", one), ("archived", archived))
            }
            first, first_took = log_bytes(folder, one, name, env, one_file=False, backed=True)
            before = statistics.median(b for b, _t in runs["one"])
            after = statistics.median(b for b, _t in runs["archived"])
            total = sum(p.stat().st_size for p in files)
            print(f"{people:,} people / {entries:,} log entries")
            print(f"  one file {one.stat().st_size / 1e6:.1f} MB; archived: main file "
                  f"{archived.stat().st_size / 1e6:.1f} MB + {len(files)} archives {total / 1e6:.1f} MB "
                  f"({', '.join(p.name for p in files)})")
            print(f"  bytes written per logged call, one file: {before / 1e6:.2f} MB "
                  f"in {statistics.median(t for _b, t in runs['one']):.2f} s")
            took = statistics.median(t for _b, t in runs["archived"])
            print(f"  bytes written per logged call, archived: {after / 1e6:.2f} MB "
                  f"in {took:.2f} s ({after / before:.2f}× the one file)")
            print(f"  the first logged call past the threshold, which moves the closed years: "
                  f"{first / 1e6:.2f} MB in {first_took:.2f} s")


if __name__ == "__main__":
    main()
