"""Through a real Syncthing, nothing a command acknowledged is lost, and a machine's next
command sees its own last write.

Two Syncthing instances on 127.0.0.1 share one folder (tests/syncthing_support.py); each
machine runs meetup-tui in real processes with its own home and user folders, and no app
runs.  Settling: each machine in turn runs `doctor --merge` and Syncthing carries the
result over, until no conflicted copy is left and nothing changes.  Then every note a
`log` acknowledged (exit 0) is in the file on both machines, and the two files are byte
for byte the same.  Syncthing names a conflicted copy to the second, keeps ten and deletes
the oldest: two machines logging every 0.4 s, each folder rescanned every second, make it
do both.

Skipped, saying why, where syncthing is not installed; `pytest -m syncthing` runs these
alone (about a minute).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence

import pytest

from syncthing_support import (
    Machine,
    Outcome,
    RaceLog,
    Settled,
    SyncthingPair,
    available,
    log_race,
    run_together,
    settle,
)

pytestmark = pytest.mark.syncthing

PERSON = "Sia Alpha"


@pytest.fixture
def pair(tmp_path) -> Iterator[SyncthingPair]:
    if not available():
        pytest.skip("syncthing is not installed: no `syncthing` program on PATH (apt-get install syncthing)")
    # A scan a second on each side: Syncthing then makes, in seconds, the conflicted copies
    # (a dozen, some within one second of another) that the two machines made in
    # minutes.  Scanning every 5 s, the same run makes two or three: too few to lose any.
    with SyncthingPair(tmp_path, rescan_s=1) as started:
        yield started


@pytest.fixture
def machines(pair: SyncthingPair) -> tuple[Machine, Machine]:
    """Alex's computer on side a, Bo's on side b: one synced book with Sia Alpha in it."""
    alex, bo = pair.machine("a", "alex@a", "A"), pair.machine("b", "bo@b", "B")
    added = alex.run("add", PERSON)
    assert added.returncode == 0, added.stderr
    pair.wait_in_sync()
    assert bo.person(PERSON) is not None, "the book did not reach b"
    return alex, bo


def check_nothing_lost(
    what: str,
    acknowledged: dict[str, list[str]],
    found: Callable[[Machine], set[str]],
    machines: Sequence[Machine],
    settled: Settled,
) -> tuple[str, list[str]]:
    """The counts (acknowledged, then present on each machine), and the problems: anything
    acknowledged missing on a machine, no settling, the two files differing."""
    wanted = {item for items in acknowledged.values() for item in items}
    present = {m.label: found(m) for m in machines}
    counts = (
        f"{what}: acknowledged {len(wanted)} ("
        + ", ".join(f"{label} {len(items)}" for label, items in acknowledged.items())
        + "); present "
        + ", ".join(f"on {label} {len(wanted & items)}" for label, items in present.items())
        + f"; settled: {settled.done}, {settled.rounds} rounds, {settled.seconds:.1f} s"
    )
    problems = [
        f"missing on {label}: {sorted(wanted - items)}" for label, items in present.items() if wanted - items
    ]
    if not settled.done:
        problems.append("never settled:\n  " + "\n  ".join(settled.said))
    if machines[0].db.read_bytes() != machines[1].db.read_bytes():
        problems.append("the two files differ")
    return counts, problems


def failed_commands(logs: dict[str, RaceLog]) -> list[str]:
    """Each machine has its own file and lock, so no command has cause to fail."""
    return [
        f"{log.machine.label} {' '.join(o.args)}: exit {o.code}: {o.stderr.strip()}"
        for log in logs.values()
        for o in log.failures()
    ]


def report(counts: str, problems: list[str]) -> None:
    print(counts)
    assert not problems, "\n".join([counts, *problems])


def test_every_acknowledged_log_survives_two_machines_logging_at_once(
    pair: SyncthingPair, machines: tuple[Machine, Machine]
) -> None:
    race = log_race(machines, PERSON, count=20, every=0.4)
    settled = settle(machines, pair)
    acknowledged = {label: log.acknowledged for label, log in race.items()}
    counts, problems = check_nothing_lost(
        "log every 0.4 s", acknowledged, Machine.present_notes, machines, settled
    )
    report(counts, problems + failed_commands(race))


def test_entries_logged_and_edits_made_while_apart_all_arrive(
    pair: SyncthingPair, machines: tuple[Machine, Machine]
) -> None:
    alex, bo = machines
    pair.pause("a")
    pair.pause("b")
    acknowledged: dict[str, list[str]] = {"A": [], "B": []}
    failures: list[str] = []

    def log(machine: Machine, note: str) -> None:
        done = machine.run("log", PERSON, "--note", note)
        (acknowledged[machine.label] if done.returncode == 0 else failures).append(note)

    for i in range(1, 4):
        log(alex, f"A-{i}")
        log(bo, f"B-{i}")
    for machine, cadence in ((alex, "weekly"), (bo, "monthly")):  # Bo's edit is the later one
        edited = machine.run("edit", PERSON, "--cadence", cadence)
        assert edited.returncode == 0, edited.stderr
    for i in range(4, 6):
        log(alex, f"A-{i}")
        log(bo, f"B-{i}")
    pair.resume("a")
    pair.resume("b")

    settled = settle(machines, pair)
    counts, problems = check_nothing_lost(
        "while apart", acknowledged, Machine.present_notes, machines, settled
    )
    problems += [f"not acknowledged: {note}" for note in failures]
    for machine in machines:
        cadence = (machine.person(PERSON) or {}).get("cadence")
        if cadence != "FREQ=MONTHLY":
            problems.append(f"on {machine.label} the cadence is {cadence!r}, not Bo's later monthly")
    report(counts, problems)


def test_a_machine_next_command_sees_its_own_add(
    pair: SyncthingPair, machines: tuple[Machine, Machine]
) -> None:
    """Both add people at once; right after each add, the same machine tags that person."""
    acknowledged: dict[str, list[str]] = {"A": [], "B": []}  # "A-person-1", "A-person-1 seen"

    def add_then_edit(log: RaceLog, start: float) -> None:
        label = log.machine.label
        for i in range(1, 9):
            time.sleep(max(0.0, start + (i - 1) * 0.5 - time.monotonic()))
            name = f"{label}-person-{i}"
            for args, change in ((("add", name), name), (("edit", name, "--tag", "seen"), f"{name} seen")):
                began = time.monotonic()
                done = log.machine.run(*args)
                log.outcomes.append(Outcome(args, done.returncode, done.stderr, time.monotonic() - began))
                if done.returncode != 0:
                    break
                acknowledged[label].append(change)

    race = run_together(machines, add_then_edit)
    settled = settle(machines, pair)

    def people_and_tags(machine: Machine) -> set[str]:
        live = [p for p in machine.tables().get("people", {}).values() if not p.get("deleted")]
        return {p["name"] for p in live} | {f"{p['name']} seen" for p in live if "seen" in p.get("tags", [])}

    counts, problems = check_nothing_lost("add, then edit", acknowledged, people_and_tags, machines, settled)
    report(counts, problems + failed_commands(race))
