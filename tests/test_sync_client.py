"""Nothing a command acknowledged is lost to what a sync client does to the file, played by
a simulated client: fast, and run everywhere (tests/test_syncthing.py is the real thing).

`SimulatedSync` does to two machines' folders, between their commands, what Syncthing
does: a file changed on one side only is copied to the other; a file changed on both
keeps the newer side's version and the older side's becomes a conflicted copy beside it,
`meetup.sync-conflict-YYYYMMDD-HHMMSS-XXXXXXX.json`, named to the second of the client's
clock (so a second conflict within that second REPLACES the first copy), and past ten
copies the oldest are deleted.  It can also put an older version of the file back in
place, as Dropbox's or Google Drive's clients do.  Each machine runs meetup-tui in real
processes with its own home and user folders (tests/syncthing_support.py); no app runs.
"""

from __future__ import annotations

import os
import re
from datetime import datetime, timedelta
from pathlib import Path

from syncthing_support import Machine, settle

PERSON = "Sia Alpha"
MAX_CONFLICTS = 10  # Syncthing's default maxConflicts


class SimulatedSync:
    """A two-way sync client between the folders of machines A and B, one pass per `sync()`.

    It remembers what both sides held after its last pass (`agreed`) to tell who changed a
    file.  Copies it writes keep the source's modification time, as Syncthing's do.
    Counted for the tests' preconditions: `conflicts` made, copy names `reused` (a second
    conflict within one second of the clock), and the names of the copies `pruned` past
    MAX_CONFLICTS.
    """

    def __init__(self, a: Machine, b: Machine) -> None:
        self.folders = {a.label: a.folder, b.label: b.folder}
        self.agreed: dict[str, bytes] = {}  # path in the folder -> what both sides held
        self.now = datetime(2026, 11, 20, 10, 15, 0)  # the clock copies are named by; tests move it
        self.issued: set[str] = set()
        self.conflicts = self.reused = 0
        self.pruned: set[str] = set()

    # -- the Link protocol of syncthing_support.settle --------------------------------------

    def wait_in_sync(self, timeout: float = 60) -> float:
        self.sync()
        return 0.0

    # -- what a sync client does ------------------------------------------------------------

    def sync(self) -> None:
        (a, folder_a), (b, folder_b) = self.folders.items()
        paths = sorted(set(_files(folder_a)) | set(_files(folder_b)) | set(self.agreed))
        for path in paths:
            ours, theirs = _read(folder_a / path), _read(folder_b / path)
            base = self.agreed.get(path)
            if ours == theirs:
                self._agree(path, ours)
            elif theirs == base:  # only A changed it (or deleted it)
                self._carry(path, a, b)
            elif ours == base:
                self._carry(path, b, a)
            elif ours is None or theirs is None:  # deleted on one side, changed on the other: the change wins
                self._carry(path, b if ours is None else a, a if ours is None else b)
            else:
                self._conflict(path)

    def put_back(self, machine: Machine, content: bytes) -> None:
        """An older version of the file renamed over it, as a client restoring one does."""
        _write(machine.db, content)

    def _conflict(self, path: str) -> None:
        """Both changed `path`: the newer modification wins; the other side's version is
        renamed to a conflicted copy there, and the copy travels to the winner too."""
        (a, folder_a), (b, folder_b) = self.folders.items()
        a_newer = (folder_a / path).stat().st_mtime_ns >= (folder_b / path).stat().st_mtime_ns
        winner, loser = (a, b) if a_newer else (b, a)
        copy = _conflict_name(path, self.now, device=loser * 7)
        self.conflicts += 1
        self.reused += copy in self.issued
        self.issued.add(copy)
        lost = self.folders[loser] / path
        os.replace(lost, self.folders[loser] / copy)  # the same name this second: the first copy is gone
        self._carry(path, winner, loser)
        self._carry(copy, loser, winner)
        self._prune(path)

    def _prune(self, path: str) -> None:
        """Past MAX_CONFLICTS copies of `path`, delete the oldest (names sort by their time)."""
        folder, name = Path(path).parent, Path(path).name
        for side in self.folders.values():
            copies = sorted((c for c in _files(side / folder) if _is_copy_of(name, c)), reverse=True)
            for old in copies[MAX_CONFLICTS:]:
                (side / folder / old).unlink()
                self.agreed.pop((folder / old).as_posix(), None)
                self.pruned.add(old)

    def _carry(self, path: str, source: str, target: str) -> None:
        content = _read(self.folders[source] / path)
        if content is None:
            (self.folders[target] / path).unlink(missing_ok=True)
        else:
            mtime = (self.folders[source] / path).stat().st_mtime_ns
            _write(self.folders[target] / path, content, mtime)
        self._agree(path, content)

    def _agree(self, path: str, content: bytes | None) -> None:
        if content is None:
            self.agreed.pop(path, None)
        else:
            self.agreed[path] = content


def _files(folder: Path) -> list[str]:
    """Every file under `folder`, as paths relative to it."""
    if not folder.is_dir():
        return []
    return [p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()]


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _write(path: Path, content: bytes, mtime_ns: int | None = None) -> None:
    """Written aside, then renamed over the file: a client never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    aside = path.with_name(f".syncing.{path.name}.tmp")
    aside.write_bytes(content)
    if mtime_ns is not None:
        os.utime(aside, ns=(mtime_ns, mtime_ns))
    os.replace(aside, path)


def _conflict_name(path: str, now: datetime, device: str) -> str:
    """Syncthing's: `meetup.json` -> `meetup.sync-conflict-20261120-101500-AAAAAAA.json`."""
    p = Path(path)
    return (p.parent / f"{p.stem}.sync-conflict-{now:%Y%m%d-%H%M%S}-{device}{p.suffix}").as_posix()


def _is_copy_of(name: str, candidate: str) -> bool:
    stem, suffix = Path(name).stem, Path(name).suffix
    return (
        re.fullmatch(rf"{re.escape(stem)}\.sync-conflict-\d{{8}}-\d{{6}}-\w+{re.escape(suffix)}", candidate)
        is not None
    )


# -- the tests ----------------------------------------------------------------------------


def two_machines(tmp_path: Path) -> tuple[Machine, Machine, SimulatedSync]:
    """Alex's and Bo's computers, one synced book with Sia Alpha in it."""
    alex = Machine("A", "alex@a", tmp_path / "a" / "machine", tmp_path / "a" / "sync")
    bo = Machine("B", "bo@b", tmp_path / "b" / "machine", tmp_path / "b" / "sync")
    added = alex.run("add", PERSON)
    assert added.returncode == 0, added.stderr
    sync = SimulatedSync(alex, bo)
    sync.sync()
    assert bo.person(PERSON) is not None
    return alex, bo, sync


def acknowledged(machine: Machine, *args: str) -> bool:
    """Run the command on `machine`: did it exit 0?"""
    return machine.run(*args).returncode == 0


def test_an_older_copy_put_back_does_not_take_an_acknowledged_log_with_it(tmp_path: Path) -> None:
    alex, _bo, sync = two_machines(tmp_path)
    older = alex.db.read_bytes()
    assert acknowledged(alex, "log", PERSON, "--note", "A-1")
    sync.put_back(alex, older)
    assert "A-1" not in alex.present_notes()  # the client did put the older file in place
    assert acknowledged(alex, "log", PERSON, "--note", "A-2")
    assert alex.present_notes() >= {"A-1", "A-2"}, f"present: {sorted(alex.present_notes())}"


def test_every_acknowledged_log_survives_copies_that_collide_and_are_pruned(tmp_path: Path) -> None:
    alex, bo, sync = two_machines(tmp_path)
    start = sync.now
    # Rounds 0-5 two to a second (each pair's second copy takes the first's name), then one a
    # second: 13 copy names, past Syncthing's ten.  The side logging first in a round has the
    # older file, so its version becomes the copy: the same side for both rounds of a second.
    seconds = [r // 2 for r in range(6)] + list(range(3, 13))
    notes: dict[str, list[str]] = {"A": [], "B": []}
    for n, second in enumerate(seconds, start=1):
        sync.now = start + timedelta(seconds=second)
        for machine in (alex, bo) if second % 2 == 0 else (bo, alex):
            note = f"{machine.label}-{n}"
            if acknowledged(machine, "log", PERSON, "--note", note):
                notes[machine.label].append(note)
        sync.sync()
    made = (
        f"{sync.conflicts} conflicts, {sync.reused} copy names used twice, {len(sync.pruned)} copies pruned"
    )
    assert sync.conflicts > MAX_CONFLICTS and sync.reused >= 3, made  # the client did its worst

    settled = settle((alex, bo), sync)
    wanted = set(notes["A"]) | set(notes["B"])
    counts = (
        f"acknowledged {len(wanted)} (A {len(notes['A'])}, B {len(notes['B'])}); present on A "
        f"{len(wanted & alex.present_notes())}, on B {len(wanted & bo.present_notes())}; {made}"
    )
    print(counts)
    assert len(wanted) == 2 * len(seconds), counts
    assert settled.done, f"{counts}; never settled: {settled.said}"
    for machine in (alex, bo):
        missing = sorted(wanted - machine.present_notes())
        assert not missing, f"{counts}; missing on {machine.label}: {missing}"
    assert alex.db.read_bytes() == bo.db.read_bytes(), counts


def test_a_machine_next_command_sees_its_own_add_though_the_other_file_came_in(tmp_path: Path) -> None:
    alex, bo, sync = two_machines(tmp_path)
    for i in range(1, 4):
        ours, theirs = f"A-person-{i}", f"B-person-{i}"
        assert acknowledged(alex, "add", ours)
        assert acknowledged(bo, "add", theirs)  # Bo's file is the newer: Alex's becomes the copy
        sync.now += timedelta(seconds=1)
        sync.sync()
        assert alex.person(ours) is None, "the client did not put Bo's file in place"
        edited = alex.run("edit", ours, "--tag", "seen")
        assert edited.returncode == 0, f"round {i}: {edited.stderr}"

    settled = settle((alex, bo), sync)
    assert settled.done, settled.said
    for machine in (alex, bo):
        for i in range(1, 4):
            assert "seen" in (machine.person(f"A-person-{i}") or {}).get("tags", []), (machine.label, i)
            assert machine.person(f"B-person-{i}") is not None, (machine.label, i)
    assert alex.db.read_bytes() == bo.db.read_bytes()
