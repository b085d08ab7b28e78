"""Two computers sharing one folder through a real Syncthing, on this machine: the harness of
tests/test_syncthing.py and benchmarks/sync_race.py (which puts tests/ on sys.path).

`SyncthingPair` runs two `syncthing serve` instances ("a" and "b") that talk only to each
other over 127.0.0.1: ports found free, discovery, relays, NAT, upgrades and reporting
off, one folder shared between them.  `Machine` is one computer's side of it: meetup-tui
run in a real process with its own HOME and XDG folders (outside the synced folder, so
what a machine keeps for itself is never synced) and its own user.

Invariants: nothing here waits without a timeout; leaving the `with` block (or `stop()`)
kills both instances, whatever happened; each instance's config, database and logs
(`stdout.log`, `stderr.log`) stay in its own folder under the pair's root for reading
after a failure.  Imported by name (`from syncthing_support import ...`), like cli_support.
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, Self

SIDES = ("a", "b")
FOLDER_ID = "meetup-shop"
DB_NAME = "meetup.json"
# Syncthing's environment: no default folder, no upgrade, no restarting monitor process.
SYNCTHING_ENV = {"STNODEFAULTFOLDER": "1", "STNOUPGRADE": "1", "STNORESTART": "1"}
POLL = 0.2  # seconds between two looks at something we wait for


def binary() -> str | None:
    """The `syncthing` program on PATH, or None."""
    return shutil.which("syncthing")


def available() -> bool:
    return binary() is not None


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition: Callable[[], Any], timeout: float, what: str, every: float = POLL) -> Any:
    """Poll `condition()` until it returns something true, and return that; TimeoutError
    naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        found = condition()
        if found:
            return found
        if time.monotonic() >= deadline:
            raise TimeoutError(f"after {timeout:.0f} s, still waiting for {what}")
        time.sleep(every)


# -- one computer ---------------------------------------------------------------------------


@dataclass
class Machine:
    """One computer: meetup-tui run as `user`, on the database in its copy of the synced
    `folder`, with a HOME and XDG folders of its own under `private` (never synced)."""

    label: str  # "A": what the notes it logs start with
    user: str  # alex@a
    private: Path
    folder: Path
    db_name: str = DB_NAME

    @property
    def db(self) -> Path:
        return self.folder / self.db_name

    def env(self) -> dict[str, str]:
        """Ours but no MEETUP_TUI_* or XDG_* of the test process: this computer's own folders,
        its user, and a settings file that is not there (nobody's personal settings)."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("MEETUP_TUI_", "XDG_"))}
        env.update(
            HOME=str(self.private / "home"),
            XDG_DATA_HOME=str(self.private / "data"),
            XDG_CACHE_HOME=str(self.private / "cache"),
            XDG_CONFIG_HOME=str(self.private / "config"),
            XDG_STATE_HOME=str(self.private / "state"),
            MEETUP_TUI_USER=self.user,
            MEETUP_TUI_SETTINGS=str(self.private / "no-settings.toml"),
            NO_COLOR="1",
            PYTHONIOENCODING="utf-8",
        )
        return env

    def make_home(self) -> None:
        """The home folder, where a process of this computer starts (the others it makes itself)."""
        (self.private / "home").mkdir(parents=True, exist_ok=True)

    def run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        """`meetup-tui --db DB *args` in a real process, as this computer's user."""
        self.make_home()
        return subprocess.run(
            [sys.executable, "-m", "meetup_tui", "--db", str(self.db), *args],
            check=False,
            cwd=self.private / "home",
            env=self.env(),
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=timeout,
        )

    def book_files(self) -> list[Path]:
        """The database and its log archives beside it (`meetup-2024.json`)."""
        stem, suffix = Path(self.db_name).stem, Path(self.db_name).suffix
        archive = re.compile(rf"{re.escape(stem)}-\d{{4}}{re.escape(suffix)}")
        beside = sorted(p for p in _listing(self.folder) if archive.fullmatch(p.name))
        return [self.db, *beside]

    def tables(self) -> dict[str, Any]:
        """The main file's tables as JSON ({} when it is not there)."""
        return _read_tables(self.db)

    def present_notes(self) -> set[str]:
        """The notes of the live log entries in the database and its archives, read straight
        from the files (a meetup-tui command would merge what it finds first)."""
        notes: set[str] = set()
        for path in self.book_files():
            for entry in _read_tables(path).get("interactions", {}).values():
                if (
                    isinstance(entry, dict)
                    and not entry.get("deleted")
                    and isinstance(entry.get("note"), str)
                ):
                    notes.add(entry["note"])
        return notes

    def person(self, name: str) -> dict[str, Any] | None:
        """The live person called `name` in the main file, as stored."""
        for doc in self.tables().get("people", {}).values():
            if doc.get("name") == name and not doc.get("deleted"):
                return doc
        return None

    def copies(self) -> list[Path]:
        """Syncthing's conflicted copies of the database or its archives, beside them."""
        stem, suffix = Path(self.db_name).stem, Path(self.db_name).suffix
        named = re.compile(
            rf"{re.escape(stem)}(?:-\d{{4}})?\.sync-conflict-\d{{8}}-\d{{6}}-\w+{re.escape(suffix)}"
        )
        return sorted(p for p in _listing(self.folder) if named.fullmatch(p.name))


def _listing(folder: Path) -> list[Path]:
    try:
        return list(folder.iterdir())
    except FileNotFoundError:
        return []


def _read_tables(path: Path) -> dict[str, Any]:
    """A TinyDB file's tables; {} when it is not there.  Both meetup-tui and Syncthing
    replace the file by renaming a finished one over it, so a read sees a whole file."""
    try:
        return json.loads(path.read_bytes())
    except FileNotFoundError:
        return {}


# -- what both the real and the simulated sync tests do ------------------------------------


class Link(Protocol):
    """What carries each machine's changes to the other: SyncthingPair, or a simulation."""

    def wait_in_sync(self, timeout: float = 60) -> float: ...


@dataclass
class Outcome:
    """One command a machine ran in a race."""

    args: tuple[str, ...]
    code: int
    stderr: str
    took: float


@dataclass
class RaceLog:
    """What one machine ran in a race: every command, and the notes it was told were logged."""

    machine: Machine
    outcomes: list[Outcome] = field(default_factory=list)
    acknowledged: list[str] = field(default_factory=list)

    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.code != 0]


def log_race(
    machines: Sequence[Machine], person: str, count: int, every: float, *, deadline: float | None = None
) -> dict[str, RaceLog]:
    """Every machine at once (a thread each) runs `log PERSON --note LABEL-i` every `every`
    seconds, `count` times or until the monotonic `deadline`; a note is acknowledged when
    its command exits 0."""

    def one(log: RaceLog, start: float) -> None:
        for i in range(1, count + 1):
            due = start + (i - 1) * every
            if deadline is not None and due >= deadline:
                return
            time.sleep(max(0.0, due - time.monotonic()))
            note = f"{log.machine.label}-{i}"
            args = ("log", person, "--note", note)
            began = time.monotonic()
            done = log.machine.run(*args)
            log.outcomes.append(Outcome(args, done.returncode, done.stderr, time.monotonic() - began))
            if done.returncode == 0:
                log.acknowledged.append(note)

    return run_together(machines, one)


def run_together(machines: Sequence[Machine], work: Callable[[RaceLog, float], None]) -> dict[str, RaceLog]:
    """`work(log, start)` for every machine in its own thread, all from one start moment;
    an exception in a thread is raised here once all have ended."""
    logs = {m.label: RaceLog(m) for m in machines}
    errors: list[BaseException] = []
    start = time.monotonic() + 0.1

    def guarded(log: RaceLog) -> None:
        try:
            work(log, start)
        except BaseException as exc:  # noqa: BLE001  # raised in the caller's thread below
            errors.append(exc)

    threads = [threading.Thread(target=guarded, args=(log,), daemon=True) for log in logs.values()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return logs


@dataclass
class Settled:
    """How settling went: whether it got there, in how many rounds and seconds, and what
    each `doctor --merge` run said (for failure messages)."""

    done: bool
    rounds: int
    seconds: float
    said: list[str]


def settle(machines: Sequence[Machine], link: Link, *, rounds: int = 6, timeout: float = 60) -> Settled:
    """Each machine in turn runs `doctor --merge` and the link carries the result over,
    round after round, until in a whole round no machine had a conflicted copy beside the
    file and no file changed.  (Every machine runs a command: with the journal fix, what a
    machine acknowledged comes back only from that machine.)"""
    began = time.monotonic()
    said: list[str] = []
    link.wait_in_sync(timeout)
    for n in range(1, rounds + 1):
        before = [_bytes(m.db) for m in machines]
        had_copies = any(m.copies() for m in machines)
        for machine in machines:
            done = machine.run("doctor", "--merge")
            said.append(
                f"{machine.label} doctor --merge: exit {done.returncode}: {done.stdout.strip()[:300]}"
            )
            link.wait_in_sync(timeout)
        unchanged = [_bytes(m.db) for m in machines] == before
        if not had_copies and unchanged and not any(m.copies() for m in machines):
            return Settled(True, n, time.monotonic() - began, said)
    return Settled(False, rounds, time.monotonic() - began, said)


def _bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


# -- two real Syncthing instances -----------------------------------------------------------


@dataclass
class _Instance:
    """One `syncthing serve`: its home (config, keys, database, logs) and its REST API."""

    side: str
    home: Path
    folder: Path
    gui_port: int = field(default_factory=free_port)
    listen_port: int = field(default_factory=free_port)
    api_key: str = field(default_factory=lambda: secrets.token_hex(16))
    device_id: str = ""
    process: subprocess.Popen[bytes] | None = None

    def request(self, method: str, path: str, body: Any = None, timeout: float = 30) -> Any:
        """A REST call; the JSON answer, or None when there is none.  Never through a proxy."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.gui_port}{path}",
            data=data,
            method=method,
            headers={"X-API-Key": self.api_key, "Content-Type": "application/json"},
        )
        with _NO_PROXY.open(request, timeout=timeout) as answer:
            raw = answer.read()
        return json.loads(raw) if raw.strip() else None

    def log_tail(self, chars: int = 3000) -> str:
        texts = []
        for name in ("stdout.log", "stderr.log"):
            log = self.home / name
            if log.exists():
                texts.append(f"--- {self.side} {name}:\n" + log.read_text(errors="replace")[-chars:])
        return "\n".join(texts)


_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class SyncthingPair:
    """Two Syncthing instances on 127.0.0.1 sharing one folder, `a` and `b`.

        with SyncthingPair(tmp_path) as pair:
            alex, bo = pair.machine("a", "alex@a", "A"), pair.machine("b", "bo@b", "B")
            alex.run("add", "Sia Alpha"); pair.wait_in_sync()
            pair.pause("a"); ...; pair.resume("a")

    `start()` returns once the two are connected and the (empty) folder is in sync on both.
    The folder rescans every `rescan_s` seconds and watches for changes (`watcher_delay_s`);
    Syncthing keeps `max_conflicts` conflicted copies of a file (its default is 10).
    """

    def __init__(
        self,
        root: Path | None = None,
        *,
        rescan_s: int = 5,
        watcher_delay_s: int = 1,
        max_conflicts: int = 10,
        reconnect_s: int = 1,
    ) -> None:
        self._own_root = root is None
        self._paused: set[str] = set()  # the sides whose config pauses the other device
        self.root = Path(tempfile.mkdtemp(prefix="syncthing-pair-")) if root is None else Path(root)
        self.rescan_s, self.watcher_delay_s = rescan_s, watcher_delay_s
        self.max_conflicts, self.reconnect_s = max_conflicts, reconnect_s
        self._instances = {
            side: _Instance(side, self.root / side / "syncthing", self.root / side / "sync") for side in SIDES
        }

    def __enter__(self) -> Self:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    # -- what a test uses ---------------------------------------------------------------

    def folder(self, side: str) -> Path:
        return self._instances[side].folder

    def machine(self, side: str, user: str, label: str) -> Machine:
        """The computer on `side`: its private folders beside (never inside) its synced one."""
        return Machine(label, user, self.root / side / "machine", self.folder(side))

    def logs(self) -> str:
        """The end of both instances' logs, for a failure message."""
        return "\n".join(i.log_tail() for i in self._instances.values())

    def start(self, timeout: float = 60) -> None:
        if not available():
            raise RuntimeError("syncthing is not installed (no `syncthing` on PATH)")
        for instance in self._instances.values():
            self._generate(instance)
        a, b = self._instances.values()
        self._configure(a, b)
        self._configure(b, a)
        for instance in self._instances.values():  # one after the other: see _wait_up
            self._launch(instance)
            self._wait_up(instance, timeout)
        self.wait_connected(timeout)
        self.wait_in_sync(timeout)

    def stop(self) -> None:
        """Kill both instances (politely first); remove the root only if the pair made it."""
        running = [i.process for i in self._instances.values() if i.process and i.process.poll() is None]
        for process in running:
            _signal_group(process, signal.SIGTERM)
        for process in running:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait(timeout=10)
        if self._own_root:
            shutil.rmtree(self.root, ignore_errors=True)

    def pause(self, side: str, timeout: float = 30) -> None:
        """`side` stops syncing: its config marks the other device paused, which closes the
        connection both ways.  Returns once the two are disconnected."""
        self._set_paused(side, True)
        wait_for(lambda: not self._connected(), timeout, f"{side} to disconnect after pausing")

    def resume(self, side: str, timeout: float = 60) -> None:
        """`side` syncs again; returns once the two are connected (not yet in sync), or at
        once while the other side still pauses it."""
        self._set_paused(side, False)
        if not self._paused:
            self.wait_connected(timeout)

    def wait_connected(self, timeout: float = 60) -> None:
        wait_for(self._connected, timeout, "the two instances to connect")

    def wait_in_sync(self, timeout: float = 60) -> float:
        """Wait until both folders are idle and need nothing, each side has the other's
        whole index and sees it at 100%, and the two databases are byte for byte the same;
        the seconds it took.

        Each look starts with a scan of both folders (the call returns when the scan is
        done), so a change the watcher has not reported yet is not taken for in sync.  "The
        other's whole index": the sequence number a side gives its own latest change
        (`/rest/db/status`) is the one the other side last heard of (`/rest/db/completion`).
        """
        began = time.monotonic()
        state: list[str] = []

        def in_sync() -> bool:
            state.clear()
            for instance in self._instances.values():
                instance.request("POST", f"/rest/db/scan?folder={FOLDER_ID}")
            statuses = {
                i.side: i.request("GET", f"/rest/db/status?folder={FOLDER_ID}")
                for i in self._instances.values()
            }
            synced = True
            for instance, other in self._pairs():
                status = statuses[instance.side]
                seen = instance.request(
                    "GET", f"/rest/db/completion?folder={FOLDER_ID}&device={other.device_id}"
                )
                latest = statuses[other.side]["sequence"]
                state.append(
                    f"{instance.side}: {status['state']}, needs {status['needTotalItems']}, sees "
                    f"{other.side} at {seen['completion']:.0f}% (its change {seen['sequence']} of {latest})"
                )
                synced &= status["state"] == "idle" and not status["needTotalItems"]
                synced &= seen["completion"] >= 100 and seen["sequence"] == latest
            same = _bytes(self.folder("a") / DB_NAME) == _bytes(self.folder("b") / DB_NAME)
            state.append("databases identical" if same else "databases differ")
            return synced and same

        try:
            wait_for(in_sync, timeout, "the folders to be in sync")
        except TimeoutError as exc:
            raise TimeoutError(f"{exc}: {'; '.join(state)}\n{self.logs()}") from None
        return time.monotonic() - began

    # -- setting up -----------------------------------------------------------------------

    def _pairs(self) -> list[tuple[_Instance, _Instance]]:
        a, b = self._instances.values()
        return [(a, b), (b, a)]

    def _generate(self, instance: _Instance) -> None:
        """Keys and a default config; the device ID is the config's only device."""
        instance.home.mkdir(parents=True, exist_ok=True)
        (instance.folder / ".stfolder").mkdir(parents=True, exist_ok=True)  # Syncthing's folder marker
        subprocess.run(
            [binary(), "generate", f"--home={instance.home}", "--no-default-folder", "--skip-port-probing"],
            env=self._env(instance),
            capture_output=True,
            check=True,
            timeout=60,
        )
        config = ET.parse(instance.home / "config.xml").getroot()
        instance.device_id = config.find("device").get("id")

    def _configure(self, instance: _Instance, other: _Instance) -> None:
        """Only 127.0.0.1, nothing reported or upgraded; the other device at its address;
        the folder shared with it."""
        path = instance.home / "config.xml"
        tree = ET.parse(path)
        config = tree.getroot()
        options = config.find("options")
        for name, value in {
            "listenAddress": f"tcp://127.0.0.1:{instance.listen_port}",
            "globalAnnounceEnabled": "false",
            "localAnnounceEnabled": "false",
            "relaysEnabled": "false",
            "natEnabled": "false",
            "startBrowser": "false",
            "urAccepted": "-1",  # usage reporting declined, never asked
            "crashReportingEnabled": "false",
            "autoUpgradeIntervalH": "0",
            "reconnectionIntervalS": str(self.reconnect_s),  # a resumed device dials again soon
        }.items():
            _set_child(options, name, value)
        gui = config.find("gui")
        gui.set("tls", "false")
        _set_child(gui, "address", f"127.0.0.1:{instance.gui_port}")
        _set_child(gui, "apikey", instance.api_key)
        config.find("device").set("name", instance.side)

        remote = copy.deepcopy(config.find("defaults/device"))
        remote.set("id", other.device_id)
        remote.set("name", other.side)
        _set_child(remote, "address", f"tcp://127.0.0.1:{other.listen_port}")
        config.insert(1, remote)

        folder = copy.deepcopy(config.find("defaults/folder"))
        folder.attrib.update(
            id=FOLDER_ID,
            label=FOLDER_ID,
            path=str(instance.folder),
            rescanIntervalS=str(self.rescan_s),
            fsWatcherEnabled="true",
            fsWatcherDelayS=str(self.watcher_delay_s),
        )
        for device in folder.findall("device"):
            folder.remove(device)
        for device_id in (instance.device_id, other.device_id):
            shared = ET.Element("device", id=device_id, introducedBy="")
            ET.SubElement(shared, "encryptionPassword")
            folder.insert(0, shared)
        _set_child(folder, "maxConflicts", str(self.max_conflicts))
        config.insert(0, folder)
        tree.write(path, encoding="unicode")

    def _env(self, instance: _Instance) -> dict[str, str]:
        return {**os.environ, **SYNCTHING_ENV, "HOME": str(instance.home)}

    def _launch(self, instance: _Instance) -> None:
        with open(instance.home / "stdout.log", "wb") as out, open(instance.home / "stderr.log", "wb") as err:
            instance.process = subprocess.Popen(  # the child keeps its own copies of the two files
                [
                    binary(),
                    "serve",
                    f"--home={instance.home}",
                    "--no-browser",
                    "--no-restart",
                    "--no-upgrade",
                    "--no-default-folder",
                    "--logflags=3",
                ],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                env=self._env(instance),
                start_new_session=True,  # a ctrl+c at the terminal reaches the test, not syncthing
            )

    def _wait_up(self, instance: _Instance, timeout: float) -> None:
        """Until its REST API answers (its listener is up by then).  Two instances started
        together dial each other at the same moment, and the two crossed connections can
        hang for Syncthing's 20 s hello timeout; the second started finds the first ready."""

        def answers() -> bool:
            if instance.process.poll() is not None:
                exited = instance.process.returncode
                raise RuntimeError(f"syncthing {instance.side} exited ({exited}):\n{instance.log_tail()}")
            try:
                return instance.request("GET", "/rest/system/ping", timeout=2) == {"ping": "pong"}
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                return False

        wait_for(answers, timeout, f"syncthing {instance.side}'s REST API")

    def _connected(self) -> bool:
        for instance, other in self._pairs():
            found = instance.request("GET", "/rest/system/connections")["connections"].get(
                other.device_id, {}
            )
            if not found.get("connected"):
                return False
        return True

    def _set_paused(self, side: str, paused: bool) -> None:
        instance = self._instances[side]
        other = next(o for i, o in self._pairs() if i is instance)
        instance.request("PATCH", f"/rest/config/devices/{other.device_id}", {"paused": paused})
        (self._paused.add if paused else self._paused.discard)(side)


def _signal_group(process: subprocess.Popen[bytes], signum: int) -> None:
    """Signal the process group the instance was started in (its own session): Syncthing
    and anything it started, never anything else."""
    with contextlib.suppress(ProcessLookupError):  # it has ended already
        os.killpg(process.pid, signum)


def _set_child(parent: ET.Element, tag: str, text: str) -> None:
    child = parent.find(tag)
    if child is None:
        child = ET.SubElement(parent, tag)
    child.text = text
