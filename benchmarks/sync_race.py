"""The issue's race for real: two machines logging calls through a real Syncthing.

    python benchmarks/sync_race.py [--seconds 60] [--every 2.0] [--apps no|yes] [--rescan 5]

Two Syncthing instances on 127.0.0.1 share one folder (the tests' harness,
tests/syncthing_support.py); the book in it holds Sia Alpha.  Each machine, with its own
home and user folders, runs `meetup-tui log "Sia Alpha" --note A-i` (B-i on the other)
every --every seconds for --seconds, both at once; with `--apps yes` the app runs on both
machines all along (in a pseudo-terminal, quit with `q` at the end).  The folder rescans
every --rescan seconds and its watcher reports changes after one.  Then each machine in
turn runs `doctor --merge` until no conflicted copy is left and nothing changes.

Printed: the notes acknowledged (exit 0) on each machine; how many of them are present on
each once settled, and how many are lost; the conflicted copies Syncthing made (the names
seen beside the file or archived in `meetup-conflicts/`: a copy replaced within its second,
or deleted past ten before it was seen, is not counted, so at least that many); the copies
left beside the file when the logging ended; and the time to settle.  Measured, not
asserted.  Without syncthing it says so and measures nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import math
import os
import pty
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from syncthing_support import Machine, SyncthingPair, available, binary, log_race, settle  # noqa: E402

PERSON = "Sia Alpha"
CONFLICTS = "meetup-conflicts"  # where `doctor --merge` moves a merged copy (store/conflicts.py)


def options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="how long both machines log (60)")
    parser.add_argument(
        "--every", type=float, default=2.0, help="seconds between two logs on a machine (2.0)"
    )
    parser.add_argument(
        "--apps", choices=("no", "yes"), default="no", help="run the app on both machines (no)"
    )
    parser.add_argument("--rescan", type=int, default=5, help="the folder's rescan interval in seconds (5)")
    return parser.parse_args()


class CopyWatch:
    """Every name of a conflicted copy seen on either machine, beside the file or archived,
    looked for every 50 ms in a thread until `stop()`."""

    def __init__(self, machines: tuple[Machine, ...]) -> None:
        self.machines, self.names = machines, set()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._stopping.wait(0.05):
            for machine in self.machines:
                self.names.update(copy.name for copy in machine.copies())
                with contextlib.suppress(FileNotFoundError):  # `20261208T011749Z meetup.sync-conflict-...`
                    archived = (machine.folder / CONFLICTS).iterdir()
                    self.names.update(p.name.split(" ", 1)[-1] for p in archived)

    def stop(self) -> set[str]:
        self._stopping.set()
        self._thread.join(timeout=5)
        return self.names


class AppInTerminal:
    """The app running on `machine` in a 120x40 pseudo-terminal; what it draws is read and
    dropped (a full terminal would stall it)."""

    def __init__(self, machine: Machine) -> None:
        machine.make_home()
        self.master, follower = pty.openpty()
        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "meetup_tui", "--db", str(machine.db)],
            stdin=follower,
            stdout=follower,
            stderr=follower,
            cwd=machine.private / "home",
            env={**machine.env(), "TERM": "xterm-256color"},
            start_new_session=True,
        )
        os.close(follower)
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        with contextlib.suppress(OSError):  # EIO once the app has exited
            while os.read(self.master, 65536):
                pass

    def quit(self, timeout: float = 30) -> str:
        """`q`, as a user quits (it waits for any save); killed if it has not quit by `timeout`.
        How it ended, in words."""
        if self.process.poll() is not None:
            os.close(self.master)
            return f"had ended before the logging did (exit {self.process.returncode})"
        with contextlib.suppress(OSError):
            os.write(self.master, b"q")
        try:
            self.process.wait(timeout=timeout)
            said = f"quit with exit {self.process.returncode}"
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
            said = f"did not quit within {timeout:g} s, killed"
        os.close(self.master)
        return said


def version() -> str:
    done = subprocess.run([binary(), "--version"], capture_output=True, text=True, timeout=30, check=False)
    return " ".join(done.stdout.split()[:2])


def main() -> None:
    args = options()
    if not available():
        print("syncthing is not installed (no `syncthing` on PATH): nothing measured")
        return
    count = math.ceil(args.seconds / args.every)
    print(
        f"{version()}: both machines log every {args.every:g} s for {args.seconds:g} s "
        f"({count} each), apps {'running' if args.apps == 'yes' else 'not running'}, "
        f"rescan every {args.rescan} s"
    )
    with (
        tempfile.TemporaryDirectory(prefix="meetup-sync-race-") as root,
        SyncthingPair(Path(root), rescan_s=args.rescan) as pair,
    ):
        machines = (pair.machine("a", "alex@a", "A"), pair.machine("b", "bo@b", "B"))
        added = machines[0].run("add", PERSON)
        if added.returncode != 0:
            raise SystemExit(f"could not make the book: {added.stderr}")
        pair.wait_in_sync()
        apps = [AppInTerminal(m) for m in machines] if args.apps == "yes" else []
        watch = CopyWatch(machines)
        try:
            began = time.monotonic()
            race = log_race(machines, PERSON, count, args.every, deadline=began + args.seconds)
        finally:
            quits = [app.quit() for app in apps]
        ended = time.monotonic()
        pair.wait_in_sync(timeout=120)
        left = {m.label: len(m.copies()) for m in machines}
        settled = settle(machines, pair, timeout=120)
        settling = time.monotonic() - ended
        made = watch.stop()
        wanted = {note for log in race.values() for note in log.acknowledged}
        present = {m.label: len(wanted & m.present_notes()) for m in machines}

    failed = sum(len(log.failures()) for log in race.values())
    print("acknowledged: " + ", ".join(f"{label} {len(log.acknowledged)}" for label, log in race.items()))
    if failed:
        print(f"not acknowledged (exit not 0): {failed}")
    print("present:      " + ", ".join(f"{label} {n} of {len(wanted)}" for label, n in present.items()))
    print(f"lost:         {len(wanted) - min(present.values())}")
    print(f"copies made:  at least {len(made)} (names seen beside the file or archived)")
    print(
        "copies left:  "
        + ", ".join(f"{label} {n}" for label, n in left.items())
        + " (when the logging ended)"
    )
    how = f"{settled.rounds} rounds of doctor --merge" + ("" if settled.done else ", and still not settled")
    print(f"settled in:   {settling:.1f} s ({how})")
    if apps:
        print(
            "apps:         " + ", ".join(f"{m.label} {said}" for m, said in zip(machines, quits, strict=True))
        )


if __name__ == "__main__":
    main()
