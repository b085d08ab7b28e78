"""Every benchmark in benchmarks/ runs at its smallest size, so none can rot unseen.

Each script runs as a user runs it (`python benchmarks/X.py ...`, a real process) on a
tiny book; the test asks only that it exits 0 and prints the table it promises: its
header words and figures with a unit.  No figure is checked against a number: speed is
what the benchmarks report, not what CI judges.  The scripts are started together (a
module fixture) and each test waits for its own, to keep the file quick.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
TIMEOUT = 120  # seconds for one script; the whole file takes far less
SMALL = ("--people", "100", "--interactions", "500", "--runs", "1")

MS = r"\d+(?:\.\d+)? ms"
SECONDS = r"\d+(?:\.\d+)? ?s\b"

# script: (its small-size arguments, what its output must hold, as regular expressions)
SCRIPTS: dict[str, tuple[tuple[str, ...], list[str]]] = {
    "app.py": (
        SMALL,
        [
            r"100 people / 500 interactions",
            rf"read into a Database: best {SECONDS}, median {SECONDS} "
            rf"\(floor: json\.load of the file {SECONDS}\)",
            rf"app to its first screen: best {SECONDS}.*\(floor: an empty Textual app {SECONDS}\)",
            r"every pane refreshed after a new log entry: best \d+ ms, median \d+ ms",
        ],
    ),
    "archives.py": (
        ("--sizes", "100/500", "--runs", "1"),
        [
            r"log spread over 4 calendar years to 2026-11-26",
            r"100 people / 500 log entries",
            r"one file \d+\.\d MB; archived: main file \d+\.\d MB \+ \d archives \d+\.\d MB",
            rf"bytes written per logged call, one file: \d+\.\d+ MB in {SECONDS}",
            rf"bytes written per logged call, archived: \d+\.\d+ MB in {SECONDS} "
            r"\(\d+\.\d+× the one file\)",
            rf"the first logged call past the threshold, which moves the closed years: "
            rf"\d+\.\d+ MB in {SECONDS}",
        ],
    ),
    "sync_race.py": (
        ("--seconds", "3", "--every", "1"),
        [
            r"nothing measured|acknowledged: A \d+, B \d+",
            r"nothing measured|present:\s+A \d+ of \d+, B \d+ of \d+",
            r"nothing measured|lost:\s+\d+",
            r"nothing measured|copies made:\s+at least \d+",
            rf"nothing measured|settled in:\s+{SECONDS}",
        ],
    ),
    "commands.py": (
        SMALL,
        [
            r"100 people / 500 log entries",
            r"command\s+ours\s+floor\s+ratio\s+floor is",
            rf"today --json\s+{SECONDS}\s+{SECONDS}\s+\d+\.\d+×\s+json\.load",
            rf"people --json\s+{SECONDS}",
            rf"instead --json\s+{SECONDS}",
            rf"log '.+' --note x\s+{SECONDS}\s+{SECONDS}\s+\d+\.\d+×\s+load\+dump\+fsync\+rename",
            r"log against today on the same file: \d+\.\d+×",
            rf"today --json, the first read of the file \(one run, making its summary\): {SECONDS}",
            rf"the same, making the 10-minute backup\s+{SECONDS}\s+{SECONDS}",
            r"bytes written per log, backed up in the last 10 minutes: \d+\.\d+ MB",
            r"bytes written per log, making the backup: \d+\.\d+ MB",
            r"peer: khard (is not installed|list over the same people \d+\.\d+s)",
        ],
    ),
    "first_screen.py": (
        SMALL,
        [
            r"100 people / 500 log entries",
            rf"first screen in a 120x40 terminal, from the file's summary: {SECONDS}",
            rf"floor: Textual imported, json\.load of the files, an empty app shown: {SECONDS}",
            r"ratio: \d+\.\d+×",
            rf"with no summary kept \(the file read whole first\): {SECONDS}",
        ],
    ),
    "history_view.py": (
        ("--people", "100", "--interactions", "500", "--theirs", "100", "--runs", "1"),
        [
            r"100 people / 500 log entries, 100 with Maya Patel",
            rf"the query in the domain \(floor: one pass over the log {MS}\)",
            rf"a person's history \(\d+ match\): best {MS}, median {MS}",
            rf"the whole log \(\d+ match\): best {MS}",
            rf"history opened to its first \d+ rows in the table: best {MS}",
            rf"a key typed in the query line, to its frame: best {MS}",
        ],
    ),
    "import_contacts.py": (
        ("--contacts", "20", "--runs", "1"),
        [
            r"20 contacts",
            rf"Google CSV: imported in best {SECONDS}, median {SECONDS}; "
            rf"again \(nothing new\) best {SECONDS}",
            rf"vCard: imported in best {SECONDS}",
            rf"floor: reading the file alone in a fresh Python best {SECONDS}",
        ],
    ),
    "merge.py": (
        SMALL,
        [
            r"100 people / 500 interactions",
            rf"one change from another process taken in: best {MS}, median {MS} "
            rf"\(floor: json\.load best {MS}",
            rf"merging a copy with \d+ people edited: best {MS}",
        ],
    ),
    "rank.py": (
        SMALL,
        [
            rf"rank_today, 100 people / 500 interactions: best {MS}, median {MS} "
            rf"\(floor: one pass over the records {MS}\); \d+ people due",
            rf"after each new log entry: best {MS}.*after each edited person: best {MS}",
            rf"first call on a book just read .*: best {MS}",
            rf"untouched connectors .*: best {MS}",
        ],
    ),
    "segments.py": (
        SMALL,
        [
            r"100 people / 500 log entries",
            rf"floor: one pass over the records best {MS}",
            rf"connectors of a segment of \d+: best {MS}",
            rf"the editor's preview of that rule \(each keystroke\): best {MS}",
            rf"a warm path, first call \(builds the links\): best {MS}",
            r"then per stranger \(\d+ strangers, \d+ with a path\): \d+\.\d+ ms",
        ],
    ),
    "stalls.py": (
        SMALL,
        [
            r"100 people / 500 interactions",
            r"action\s+windows\s+longest stall\s+> 50 ms\s+limit\s+window",
            *(
                rf"{re.escape(label)}\s+\d+\s+{MS}\s+\d+\s+50 ms\s+\d+ ms"
                for label in (
                    "j (cursor down)",
                    "m (all due, then back)",
                    "c + escape (a dialog)",
                    "c, a note, enter (+ save)",
                    "j while the save runs",
                    "idle 1 s (nothing pressed)",
                    "J + escape (the stage board)",
                    "J, ], escape (a move, + save)",
                    "I + escape (insights)",
                    "R + escape (the report)",
                )
            ),
            rf"floor: an empty Textual app pressed with the same keys, longest stall {MS}",
        ],
    ),
}


@dataclass
class Run:
    process: subprocess.Popen[str]
    started: float
    output: str | None = None
    errors: str = ""
    took: float = 0.0

    def finish(self) -> Run:
        if self.output is None:
            try:
                self.output, self.errors = self.process.communicate(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.output, self.errors = self.process.communicate()
                self.errors += f"\n(killed after {TIMEOUT} s)"
            self.took = time.perf_counter() - self.started
        return self


def test_every_benchmark_is_checked() -> None:
    """A new script in benchmarks/ must get its row here (and a removed one lose it)."""
    on_disk = {p.name for p in BENCHMARKS.glob("*.py")}
    assert not on_disk - set(SCRIPTS), f"benchmarks with no row in SCRIPTS: {sorted(on_disk - set(SCRIPTS))}"
    assert not set(SCRIPTS) - on_disk, f"rows for benchmarks that are gone: {sorted(set(SCRIPTS) - on_disk)}"


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    """Every script started at once (they mostly wait on subprocesses and timers)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEETUP_TUI_")}
    env.update(
        MEETUP_TUI_USER="bench@ci",
        MEETUP_TUI_SETTINGS=str(tmp_path_factory.mktemp("settings") / "none.toml"),  # not there
        NO_COLOR="1",
        PYTHONIOENCODING="utf-8",
    )
    started = {}
    for script, (arguments, _) in SCRIPTS.items():
        process = subprocess.Popen(
            [sys.executable, str(BENCHMARKS / script), *arguments],
            cwd=tmp_path_factory.mktemp(script.removesuffix(".py")),
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        started[script] = Run(process, time.perf_counter())
    yield started
    for run in started.values():
        if run.process.poll() is None:
            run.process.kill()
            run.process.communicate()


@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_runs_small_and_prints_its_table(script: str, runs: dict[str, Run]) -> None:
    run = runs[script].finish()
    said = f"{script} said:\n{run.output}\n{run.errors[-3000:]}"
    assert run.process.returncode == 0, said
    for pattern in SCRIPTS[script][1]:
        assert re.search(pattern, run.output or ""), f"no line matching {pattern!r}; {said}"
