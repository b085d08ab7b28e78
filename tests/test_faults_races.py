"""Real processes racing on one file, and two processes editing one person: nothing is lost."""

from __future__ import annotations

import json
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from fault_support import CHILD_TIMEOUT, child, cli
from meetup_tui.domain.records import Person
from meetup_tui.store.database import Database

# -- processes racing on one file --------------------------------------------------------------

_RACER = """
    import sys, time
    from pathlib import Path
    from meetup_tui.domain.records import Interaction
    from meetup_tui.store.database import Database

    path, name, count, go = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
    fresh = sys.argv[5] == "fresh"  # a new session for every commit, as each CLI run is
    while not go.exists():
        time.sleep(0.001)
    db = Database.open(path, user=name, create=True)
    for n in range(count):
        if fresh and n:
            db = Database.open(path, user=name)
        entry = db.add(Interaction(at="2026-11-20T10:00", note=f"{name} {n}"))
        print(entry.id, flush=True)
"""


def race(path: Path, processes: int, count: int, session: str = "one") -> tuple[set[str], float]:
    """`processes` children commit `count` records each at once; their ids and the time taken."""
    go = path.with_name("go")
    go.unlink(missing_ok=True)
    racers = [
        child(_RACER, str(path), f"racer{n}", str(count), str(go), session, stdout=subprocess.PIPE)
        for n in range(processes)
    ]
    time.sleep(0.3)  # let them all import and wait at the line
    started = time.monotonic()
    go.touch()
    outputs = [racer.communicate(timeout=CHILD_TIMEOUT)[0] for racer in racers]
    elapsed = time.monotonic() - started
    assert [racer.returncode for racer in racers] == [0] * processes
    ids = {line for out in outputs for line in out.split()}
    assert len(ids) == processes * count
    return ids, elapsed


def test_four_processes_commit_two_hundred_records_each_to_one_file(db_path: Path) -> None:
    ids, elapsed = race(db_path, 4, 200)
    book = Database.open(db_path, user="checker").book
    assert set(book.interactions) == ids
    assert {i.note for i in book.interactions.values()} == {
        f"racer{p} {n}" for p in range(4) for n in range(200)
    }
    print(f"\nrace (store API): 4 x 200 commits, {len(ids)} on disk, {elapsed:.1f} s")


def test_four_processes_opening_a_new_session_for_each_commit_lose_nothing(db_path: Path) -> None:
    """Each session reads the file while others replace it: what it read must match what it
    later believes is on disk, or its write drops their records."""
    Database.open(db_path, user="setup", create=True)
    ids, elapsed = race(db_path, 4, 60, session="fresh")
    assert set(Database.open(db_path, user="checker").book.interactions) == ids
    print(f"\nrace (a session per commit): 4 x 60 commits, {len(ids)} on disk, {elapsed:.1f} s")


def test_four_processes_creating_the_file_at_once_make_one_database(db_path: Path) -> None:
    for _attempt in range(3):
        ids, _elapsed = race(db_path, 4, 1)
        assert ids <= set(Database.open(db_path, user="checker").book.interactions)
        db_path.unlink()


def test_four_users_logging_through_the_cli_at_once_lose_nothing(db_path: Path) -> None:
    assert cli(db_path, "add", "Ana Ruiz").returncode == 0

    def logs(worker: int) -> list[int]:
        return [
            cli(db_path, "log", "Ana", "--note", f"w{worker} n{n}", user=f"w{worker}").returncode
            for n in range(15)
        ]

    started = time.monotonic()
    with ThreadPoolExecutor(4) as pool:
        codes = [code for result in pool.map(logs, range(4)) for code in result]
    elapsed = time.monotonic() - started
    assert codes == [0] * 60
    book = Database.open(db_path, user="checker").book
    assert sorted(i.note for i in book.interactions.values()) == sorted(
        f"w{w} n{n}" for w in range(4) for n in range(15)
    )
    print(f"\nrace (CLI log): 4 x 15 runs, {len(book.interactions)} on disk, {elapsed:.1f} s")


# -- two processes editing one person ------------------------------------------------------------

_EDITOR = """
    import json, sys
    from pathlib import Path
    from meetup_tui.store.database import Database

    db = Database.open(Path(sys.argv[1]), user=sys.argv[2])
    print("open", flush=True)
    for line in sys.stdin:
        order = json.loads(line)
        person = db.book.find_person(order.pop("person"))
        if order.pop("delete", False):
            db.delete(person)
        else:
            db.change(person, **order)
        print("saved", flush=True)
"""


def editors(path: Path) -> tuple[subprocess.Popen[str], subprocess.Popen[str]]:
    """Two processes that have both read the file and now wait for orders."""
    pair = tuple(
        child(_EDITOR, str(path), who, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        for who in ("a@shop", "b@shop")
    )
    for editor in pair:
        assert editor.stdout is not None and editor.stdout.readline() == "open\n"
    return pair  # type: ignore[return-value]


def order(editor: subprocess.Popen[str], **what: object) -> None:
    assert editor.stdin is not None and editor.stdout is not None
    editor.stdin.write(json.dumps(what) + "\n")
    editor.stdin.flush()
    assert editor.stdout.readline() == "saved\n"


def finish(*pair: subprocess.Popen[str]) -> None:
    for editor in pair:
        editor.communicate(timeout=CHILD_TIMEOUT)
        assert editor.returncode == 0


@pytest.mark.parametrize("phone_first", [True, False])
def test_two_processes_editing_different_fields_of_one_person_both_win(
    db_path: Path, phone_first: bool
) -> None:
    Database.open(db_path, user="setup", create=True).add(Person(name="Ana Ruiz", phones=["555-0100"]))
    a, b = editors(db_path)
    edits = [(a, {"phones": ["555-0199"]}), (b, {"notes": "prefers mornings"})]
    for editor, change in edits if phone_first else edits[::-1]:
        order(editor, person="Ana", **change)
    finish(a, b)
    (ana,) = Database.open(db_path, user="checker").book.people.values()
    assert (ana.phones, ana.notes, ana.deleted) == (["555-0199"], "prefers mornings", False)


def test_an_edit_made_after_another_process_deleted_the_person_survives(db_path: Path) -> None:
    Database.open(db_path, user="setup", create=True).add(Person(name="Ana Ruiz"))
    a, b = editors(db_path)
    order(b, person="Ana", delete=True)
    order(a, person="Ana", notes="met at the fair")  # a never saw the delete
    finish(a, b)
    (ana,) = Database.open(db_path, user="checker").book.people.values()
    assert not ana.deleted and ana.notes == "met at the fair"
