"""The command line on a big file, in real processes, next to the floor of the same work.

    python benchmarks/commands.py [--people N] [--interactions N] [--runs N]

Each command runs as `python -m meetup_tui ...` (imports and all, as a user runs it); the
floor is the least a Python program must do for the same answer:
- `today --json`, `people --json`, `instead --json` against `python -c "json.load(F)"`,
  as they run once the file's summary is kept (README, "Summaries kept on your machine"),
  and once each as the first read of the file, which makes it;
- `log NAME --note x` (a change) against a program that loads the file, dumps it again,
  fsyncs and renames it, and against `today` on the same file (the issue's "≤ 1.3× today"),
  on a file whose summary is kept (a `today` ran on it before, or the app closed on it, or
  a `log`: each keeps one), and once on a file with none (another program changed it);
- the bytes one `log` writes (the file and any backup) against the file's size;
- the peer: `khard list` over the same people (when khard is installed) against `people`.
A `log` is timed as most are, with a backup made in the last 10 minutes (backups are made
at most that often, across processes), and again as the one that makes the backup.
Medians of --runs runs, paired (ours, then the floor, each round).  The file comes from
the seeded book of `benchmarks/rank.py`; each `log` runs on a fresh copy of it.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rank import build_book, compiled, size_options, write_book

from meetup_tui.store import backups, journal, summaries

LOAD = "import json,sys; [json.load(open(f, encoding='utf-8')) for f in sys.argv[1:]]"
CHANGE = (
    "import json,os,sys; p=sys.argv[1]; d=json.load(open(p, encoding='utf-8'));"
    "t=p+'.tmp'; f=open(t,'w',encoding='utf-8'); json.dump(d,f,ensure_ascii=False,indent=1);"
    "f.flush(); os.fsync(f.fileno()); f.close(); os.replace(t,p)"
)
DAY = "2026-11-26"


def run(*args: str, env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, *args], env=env, capture_output=True, check=False)
    took = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{args} failed: {done.stderr.decode(errors='replace')[-400:]}")
    return took


def written(folder: Path, since_ns: int) -> int:
    """Bytes of the files in `folder` written since `since_ns` (each file rewritten whole)."""
    files = [p.stat() for p in folder.rglob("*") if p.is_file()]
    return sum(info.st_size for info in files if info.st_mtime_ns >= since_ns)


def main() -> None:
    args = size_options(__doc__).parse_args()
    compiled()  # as installed: the modules imported, not compiled, by each run
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEETUP_TUI_")}
    env.update(MEETUP_TUI_USER="bench@shop", MEETUP_TUI_SETTINGS=os.devnull)

    book = build_book(args.people, args.interactions)
    name = next(p.name for p in book.people.values() if not p.deleted)
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder) / "big.json"
        write_book(base, book)
        # Past 10 MB the closed years of the log went to archive files (meetup-2025.json):
        # every command reads them with the file, so the floor reads them all too.
        files = [base, *sorted(base.parent.glob("big-[0-9][0-9][0-9][0-9].json"))]
        size = base.stat().st_size
        archived = sum(f.stat().st_size for f in files[1:])
        print(
            f"{args.people:,} people / {args.interactions:,} log entries ({size / 1e6:.1f} MB"
            + (f" + {archived / 1e6:.1f} MB in {len(files) - 1} archives of closed years" if archived else "")
            + f"), medians of {args.runs}"
        )
        common = common_of(base)
        rows: list[tuple[str, float, float, str]] = []
        first: list[tuple[str, float]] = []
        env[summaries.CACHE_ENV] = str(Path(folder) / "cache")  # the summaries: see README
        env[journal.JOURNAL_ENV] = str(Path(folder) / "journal")  # this "machine's" journal, gone after
        for command in (("today", "--json"), ("people", "--json"), ("instead", "--json")):
            shutil.rmtree(Path(folder) / "cache", ignore_errors=True)
            first.append((" ".join(command), run(*common, *command, env=env)))  # makes the summary
            ours, floor = [], []
            for _ in range(args.runs):
                ours.append(run(*common, *command, env=env))
                floor.append(run("-c", LOAD, *map(str, files), env=env))
            rows.append((" ".join(command), statistics.median(ours), statistics.median(floor), "json.load"))
        today = rows[0][1]
        # A logged call as most are: someone backed the file up in the last 10 minutes (a
        # backup is made at most that often, across processes); and one that makes the backup.
        logs: dict[bool | None, list[float]] = {False: [], True: [], None: []}
        bytes_out: dict[bool, list[int]] = {False: [], True: []}
        changes = []
        for n in range(args.runs):
            for due in (False, True, None):  # None: no summary of the file kept, no backup due
                work = Path(folder) / f"run{n}"
                work.mkdir()
                copy = work / "big.json"
                for each in files:  # the file and its archives, which travel with it
                    shutil.copy2(each, work / each.name)
                # Each run on a machine of its own: a journal (store/journal.py) shared by the
                # runs would give each fresh copy back the entries the runs before it logged.
                mine = {**env, journal.JOURNAL_ENV: str(Path(folder) / f"journal-{n}-{due}")}
                if due is not None:
                    run(*common_of(copy), "today", env=mine)  # keeps its summary
                if not due:
                    backups.make_backup(copy, copy.read_bytes())
                start = time.time_ns()
                logs[due].append(run(*log_args(copy, name), env=mine))
                if due is not None:
                    bytes_out[due].append(written(work, start))  # the new file, and any backup
                shutil.rmtree(work)
            work.mkdir()
            shutil.copy2(base, copy)
            changes.append(run("-c", CHANGE, str(copy), env=env))
            shutil.rmtree(work)
        log, change = statistics.median(logs[False]), statistics.median(changes)
        rows.append((f"log {name!r} --note x", log, change, "load+dump+fsync+rename"))
        due = statistics.median(logs[True])
        rows.append(("  the same, making the 10-minute backup", due, change, "the same"))
        unknown = statistics.median(logs[None])
        rows.append(("  the same, on a file with no summary kept", unknown, change, "the same"))
        print(f"  {'command':<42}{'ours':>9}{'floor':>9}{'ratio':>8}  floor is")
        for what, ours_s, floor_s, floor_is in rows:
            print(f"  {what:<42}{ours_s:>8.2f}s{floor_s:>8.2f}s{ours_s / floor_s:>7.2f}×  {floor_is}")
        print(f"  log against today on the same file: {log / today:.2f}×")
        for what, took in first:
            print(f"  {what}, the first read of the file (one run, making its summary): {took:.2f}s")
        for due, when in ((False, "backed up in the last 10 minutes"), (True, "making the backup")):
            out = statistics.median(bytes_out[due])
            print(
                f"  bytes written per log, {when}: {out / 1e6:.1f} MB "
                f"({out / size:.2f}× the file's {size / 1e6:.1f} MB)"
            )
        print(f"  {peer(base, Path(folder), rows[1][1], args.runs, env)}")


def peer(base: Path, folder: Path, people: float, runs: int, env: dict[str, str]) -> str:
    """`khard list` (a terminal address book) over the same people, exported as vCards,
    one file each as khard keeps them, against our `people --json`."""
    khard = os.environ.get("KHARD") or shutil.which("khard")
    if khard is None:
        return "peer: khard is not installed (pip install khard, or KHARD=/path/to/khard) - not measured"
    cards = folder / "cards"
    cards.mkdir()
    export = folder / "all.vcf"
    run("-m", "meetup_tui", "--db", str(base), "export", "--format", "vcard", "--out", str(export), env=env)
    for n, card in enumerate(export.read_text(encoding="utf-8").split("BEGIN:VCARD")[1:]):
        (cards / f"{n}.vcf").write_text("BEGIN:VCARD" + card, encoding="utf-8")
    config = folder / "khard.conf"
    config.write_text(f"[addressbooks]\n[[shop]]\npath = {cards}\n", encoding="utf-8")
    took = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([khard, "-c", str(config), "list"], env=env, capture_output=True, check=True)
        took.append(time.perf_counter() - start)
    theirs = statistics.median(took)
    return f"peer: khard list over the same people {theirs:.2f}s, {theirs / people:.2f}× our people --json"


def common_of(copy: Path) -> tuple[str, ...]:
    return ("-m", "meetup_tui", "--db", str(copy), "--today", DAY)


def log_args(copy: Path, name: str) -> tuple[str, ...]:
    return (*common_of(copy), "log", name, "--note", "x")


if __name__ == "__main__":
    main()
