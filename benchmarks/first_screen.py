"""The app to its first screen in a real terminal, next to the floor of the same work.

    python benchmarks/first_screen.py [--people N] [--interactions N] [--runs N]

Each run starts `python -m meetup_tui --db F` as a user does, in a pseudo-terminal of
120x40, and times it until the terminal receives the name at the top of today's list
(the first screen a person can act on), as it opens once the file's summary is kept
(README, "Summaries kept on your machine"), and as it opens with none (the file read
whole, and the summary made).  The floor is a Python program that imports Textual,
parses the same files with `json.load` and shows one line in an empty Textual app,
timed until that line arrives.  Medians of --runs runs, paired.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

from rank import build_book, compiled, size_options, write_book

from meetup_tui.store import journal, summaries

DAY = "2026-11-26"
FLOOR = (
    "import json, sys\n"
    "from textual.app import App\n"
    "from textual.widgets import Static\n"
    "data = [json.load(open(f, encoding='utf-8')) for f in sys.argv[1:]]\n"
    "class Floor(App):\n"
    "    def compose(self):\n"
    "        yield Static('floor ready ' + str(len(data)))\n"
    "Floor().run()\n"
)


def until_shown(command: list[str], marker: bytes, env: dict[str, str], timeout: float = 60.0) -> float:
    """Seconds from starting `command` in a 120x40 pseudo-terminal until `marker` is written."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdin=follower, stdout=follower, stderr=follower, env=env, start_new_session=True
    )
    os.close(follower)
    seen = b""
    try:
        while marker not in seen:
            if time.perf_counter() - start > timeout:
                raise SystemExit(f"{command[:4]} never showed {marker!r}: {seen[-300:]!r}")
            ready, _, _ = select.select([leader], [], [], 0.5)
            if ready:
                try:
                    seen += os.read(leader, 65536)
                except OSError:  # the program ended
                    raise SystemExit(f"{command[:4]} ended before showing {marker!r}") from None
        return time.perf_counter() - start
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        os.close(leader)


def main() -> None:
    args = size_options(__doc__).parse_args()
    compiled()  # as installed: the modules imported, not compiled, by each run
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEETUP_TUI_")}
    env.update(MEETUP_TUI_USER="bench@shop", MEETUP_TUI_SETTINGS=os.devnull, TERM="xterm-256color")

    book = build_book(args.people, args.interactions)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.json"
        cache = Path(folder) / "cache"
        env[summaries.CACHE_ENV] = str(cache)  # the summaries (README): `today` below makes it
        env[journal.JOURNAL_ENV] = str(cache.parent / "journal")  # this "machine's" journal, gone after
        write_book(path, book)
        size = path.stat().st_size
        ranked = subprocess.run(
            [sys.executable, "-m", "meetup_tui", "--db", str(path), "--today", DAY, "today", "--json"],
            env=env, capture_output=True, check=True,
        )  # fmt: skip: the same list as the app's (the same user)
        top = json.loads(ranked.stdout)[0]["name"].encode()
        ours, floor, unkept = [], [], []
        app = [sys.executable, "-m", "meetup_tui", "--db", str(path), "--today", DAY]
        files = [str(path), *map(str, sorted(path.parent.glob("big-[0-9][0-9][0-9][0-9].json")))]
        for _ in range(args.runs):
            ours.append(until_shown(app, top, env))  # from the summary `today` kept
            floor.append(until_shown([sys.executable, "-c", FLOOR, *files], b"floor ready", env))
        for _ in range(max(1, args.runs // 2)):
            shutil.rmtree(cache, ignore_errors=True)
            unkept.append(until_shown(app, top, env))  # the file read whole, its summary made
        mine, least = statistics.median(ours), statistics.median(floor)
        print(
            f"{args.people:,} people / {args.interactions:,} log entries ({size / 1e6:.1f} MB), "
            f"medians of {args.runs}"
        )
        print(f"  first screen in a 120x40 terminal, from the file's summary: {mine:.2f} s")
        print(f"  floor: Textual imported, json.load of the files, an empty app shown: {least:.2f} s")
        print(f"  ratio: {mine / least:.2f}×")
        print(f"  with no summary kept (the file read whole first): {statistics.median(unkept):.2f} s")


if __name__ == "__main__":
    main()
