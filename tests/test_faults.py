"""The store under real faults: SIGKILL mid-write, racing processes, a file replaced by
rename, concurrent edits of one person, a full disk and broken files.  No mocks: every
fault here is done to real processes and real files, and every check reads the file."""

from __future__ import annotations

import errno
import json
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from meetup_tui.domain.records import Person
from meetup_tui.store import backups, jsonfile, schema
from meetup_tui.store.database import Database, StoreError

CHILD_TIMEOUT = 60


def temp_debris(path: Path) -> list[Path]:
    """Temporary files of `path` (as write_atomic names them) and of its backups."""
    found = list(path.parent.glob(f".~{path.name}.*.tmp"))
    return found + list(backups.backup_folder(path).glob(".~*.tmp"))


def cli(db: Path, *args: str, user: str = "tester@shop", **kw: object) -> subprocess.CompletedProcess[str]:
    """Run the real command line on `db`."""
    command = [sys.executable, "-m", "meetup_tui", "--db", str(db), "--user", user, *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=CHILD_TIMEOUT, **kw)  # type: ignore[call-overload]


def child(script: str, *args: str, **kwargs: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script), *args],
        text=True,
        **kwargs,  # type: ignore[call-overload]
    )


# -- SIGKILL at random moments -----------------------------------------------------------------

_WRITER = """
    import sys
    from pathlib import Path
    from meetup_tui.domain.records import Person
    from meetup_tui.store.database import Database

    db = Database.open(Path(sys.argv[1]), user=sys.argv[2], create=True)
    n = 0
    while True:
        person = db.add(Person(name=f"{sys.argv[2]} {n}", notes="x" * (n * 37 % 3000)))
        sys.stdout.write(person.id + "\\n")  # acknowledged: the commit has returned
        sys.stdout.flush()
        n += 1
"""


def test_a_hundred_kills_never_lose_an_acknowledged_record(db_path: Path) -> None:
    rng = random.Random(3_2026_11_26)
    kills, max_debris, started = 110, 0, time.monotonic()
    acknowledged: list[str] = []
    for round_ in range(kills):
        writer = child(_WRITER, str(db_path), f"writer{round_}", stdout=subprocess.PIPE)
        assert writer.stdout is not None
        if rng.random() < 0.25:  # very early: while it starts, opens or takes its first lock
            time.sleep(rng.uniform(0, 0.15))
        else:  # later: after some commits, at a random moment inside the next one
            for _ in range(rng.randint(1, 6)):
                line = writer.stdout.readline()
                assert line.endswith("\n"), "the writer stopped before it was killed"
                acknowledged.append(line.strip())
            time.sleep(rng.uniform(0, 0.006))
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=CHILD_TIMEOUT)
        acknowledged.extend(line.strip() for line in writer.stdout if line.endswith("\n"))
        writer.stdout.close()
        assert writer.returncode == -signal.SIGKILL

        if not db_path.exists():
            assert not acknowledged
            continue
        book = Database.open(db_path, user="checker").book  # BadFile here fails the test
        missing = set(acknowledged) - set(book.people)
        assert not missing, f"after kill {round_ + 1}: {len(missing)} acknowledged records lost"
        debris = temp_debris(db_path)
        max_debris = max(max_debris, len(debris))
        # A kill between writing a temp file and renaming it leaves that one file (and
        # maybe one in the backups folder); the next writer clears them under the lock.
        assert len(debris) <= 2, f"temporary files pile up: {[p.name for p in debris]}"
    assert len(set(acknowledged)) == len(acknowledged) >= kills
    final = Database.open(db_path, user="checker").book
    assert set(acknowledged) <= set(final.people)
    print(
        f"\nkill test: {kills} SIGKILLs, {len(acknowledged)} acknowledged records all on disk, "
        f"{len(final.people)} in the file, at most {max_debris} temp files left at once, "
        f"{time.monotonic() - started:.1f} s"
    )


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


# -- the file replaced by rename, as sync clients do --------------------------------------------


def replace_by_rename(path: Path, content: bytes) -> None:
    temp = path.with_name(f".sync-client-{uuid.uuid4().hex}")
    temp.write_bytes(content)
    os.replace(temp, path)


def test_a_file_replaced_by_rename_under_unsaved_changes_keeps_both_sides(
    db_path: Path, tmp_path: Path
) -> None:
    Database.open(db_path, user="setup", create=True).add(Person(name="Ana Ruiz"))
    db = Database.open(db_path, user="here")
    ours = db.stamp(Person(name="Written Here"))
    db.apply(ours)  # on screen, not yet saved
    elsewhere = tmp_path / "laptop" / "meetup.json"  # the other machine's copy of the same database
    elsewhere.parent.mkdir()
    shutil.copy2(db_path, elsewhere)
    theirs = Database.open(elsewhere, user="laptop").add(Person(name="Written There"))
    replace_by_rename(db_path, elsewhere.read_bytes())

    assert db.changed_on_disk() and db.pending == 1
    incoming = db.sync()
    assert [r.id for r in incoming] == [theirs.id]
    on_disk = Database.open(db_path, user="checker").book.people
    assert {ours.id, theirs.id} <= set(on_disk) and len(on_disk) == 3
    assert db.pending == 0


@pytest.mark.parametrize("moment", ["while it is read", "just after it is written"])
def test_a_file_replaced_at_the_worst_moment_is_still_merged(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, moment: str
) -> None:
    """Another writer renames a newer file into place between our read (or rename) and the
    stat we remember: what we believe is on disk must not be their file."""
    Database.open(db_path, user="setup", create=True).add(Person(name="Ana Ruiz"))
    elsewhere = tmp_path / "laptop" / "meetup.json"
    elsewhere.parent.mkdir()
    shutil.copy2(db_path, elsewhere)
    theirs = Database.open(elsewhere, user="laptop").add(Person(name="Written There"))
    newer = elsewhere.read_bytes()
    real_read, real_write = jsonfile.read, jsonfile.write_atomic
    armed = [True]

    def replace_once(path: Path) -> None:
        if path == db_path and armed:
            armed.clear()
            replace_by_rename(db_path, newer)

    def read_then_replaced(path: Path) -> tuple[dict[str, object], bytes]:
        result = real_read(path)
        replace_once(path)
        return result

    def write_then_replaced(path: Path, payload: bytes, **kw: Path | None) -> os.stat_result:
        written = real_write(path, payload, **kw)
        replace_once(path)
        return written

    if moment == "while it is read":
        monkeypatch.setattr(jsonfile, "read", read_then_replaced)
        db = Database.open(db_path, user="here")
    else:
        db = Database.open(db_path, user="here")
        monkeypatch.setattr(jsonfile, "write_atomic", write_then_replaced)
        db.add(Person(name="Bo Lind"))
    assert not armed, "the replacement must have happened"
    ours = db.add(Person(name="Written Here"))
    on_disk = Database.open(db_path, user="checker").book.people
    assert {ours.id, theirs.id} <= set(on_disk)


def test_an_older_copy_put_back_by_sync_loses_nothing(db_path: Path) -> None:
    db = Database.open(db_path, user="here", create=True)
    db.add(Person(name="Ana Ruiz"))
    older = db_path.read_bytes()
    written = [db.add(Person(name="Bo Lind")), db.add(Person(name="Cy Moss"))]
    replace_by_rename(db_path, older)  # the sync client restores a stale copy

    db.reload()
    assert db.pending == len(written)  # what the file lacks is owed to it
    db.sync()
    on_disk = Database.open(db_path, user="checker").book.people
    assert {p.id for p in written} <= set(on_disk)
    assert db.pending == 0 and not db.changed_on_disk()


# -- disk full -------------------------------------------------------------------------------------

_FILLER = """
    import json, resource, signal, sys
    from pathlib import Path
    from meetup_tui.domain.records import Person
    from meetup_tui.store.database import Database, StoreError

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    path = Path(sys.argv[1])
    db = Database.open(path, user="filler")
    before = path.read_bytes()
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (len(before) + 4096, hard))
    report = {}
    try:
        db.add(Person(name="Big Note", notes="n" * 300_000))
        report["error"] = None
    except StoreError as exc:
        report["error"] = str(exc)
    report["pending"] = db.pending
    report["intact"] = path.read_bytes() == before
    resource.setrlimit(resource.RLIMIT_FSIZE, (hard, hard))  # space again: the retry
    db.sync()
    report["after_retry"] = db.pending
    print(json.dumps(report))
"""


def test_a_write_past_the_file_size_limit_fails_keeps_the_change_and_retries(db_path: Path) -> None:
    Database.open(db_path, user="setup", create=True).add(Person(name="Ana Ruiz"))
    filler = child(_FILLER, str(db_path), stdout=subprocess.PIPE)
    out, _ = filler.communicate(timeout=CHILD_TIMEOUT)
    assert filler.returncode == 0
    report = json.loads(out)
    assert report["error"] and "left as it was" in report["error"]
    assert report["pending"] == 1 and report["intact"] and report["after_retry"] == 0
    names = {p.name for p in Database.open(db_path, user="checker").book.people.values()}
    assert names == {"Ana Ruiz", "Big Note"}
    assert temp_debris(db_path) == []


def test_the_cli_says_when_the_disk_is_full_and_leaves_the_file(db_path: Path) -> None:
    assert cli(db_path, "add", "Ana Ruiz").returncode == 0
    before = db_path.read_bytes()

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (len(before) + 4096, resource.RLIM_INFINITY))

    done = cli(db_path, "log", "Ana", "--note", "n" * 100_000, preexec_fn=small_files)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "left as it was" in done.stderr and "Traceback" not in done.stderr
    assert db_path.read_bytes() == before


@pytest.fixture
def tiny_disk(tmp_path: Path):  # type: ignore[no-untyped-def]
    if os.geteuid() != 0 or not sys.platform.startswith("linux"):
        pytest.skip("mounting a tiny tmpfs needs root on Linux")
    mount = tmp_path / "tiny"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=200k", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_tmpfs_fails_the_write_keeps_the_change_and_the_retry_succeeds(tiny_disk: Path) -> None:
    path = tiny_disk / "meetup.json"
    db = Database.open(path, user="here", create=True)
    db.add(Person(name="Ana Ruiz"))
    before = path.read_bytes()
    filler = tiny_disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while os.write(fd, b"f" * 4096):
            pass
    except OSError as exc:
        assert exc.errno == errno.ENOSPC
    finally:
        os.close(fd)
    with pytest.raises(StoreError, match="left as it was"):
        db.add(Person(name="Cy Moss", notes="c" * 20_000))
    assert path.read_bytes() == before and db.pending == 1
    assert temp_debris(path) == []
    filler.unlink()
    db.sync()
    assert db.pending == 0
    assert "Cy Moss" in {p.name for p in Database.open(path, user="checker").book.people.values()}


# -- bad files through the command line ---------------------------------------------------------


def _truncated(good: bytes) -> bytes:
    return good[: len(good) // 2]


def _without_ids(good: bytes) -> bytes:
    data = json.loads(good)
    for doc in data["people"].values():
        del doc["id"]
    return json.dumps(data).encode()


def _newer_schema(good: bytes) -> bytes:
    data = json.loads(good)
    data[schema.META]["1"]["schema"] = schema.SCHEMA + 1
    return json.dumps(data).encode()


INVALID = b'{\n "people": {\n  "1": {"id": "x",}\n }\n}\n'


def _where_json_fails(raw: bytes) -> str:
    try:
        json.loads(raw)
    except json.JSONDecodeError as exc:
        return f"at line {exc.lineno}, column {exc.colno}"
    raise AssertionError("the sample must be invalid JSON")


BAD_FILES = {
    "empty": (lambda good: b"", "is empty"),
    "truncated": (_truncated, "is not valid JSON"),
    "invalid JSON": (lambda good: INVALID, _where_json_fails(INVALID)),
    "wrong shape": (lambda good: b"[1, 2, 3]", "not a database"),
    "records missing ids": (_without_ids, "has no id"),
    "newer schema": (_newer_schema, f"schema {schema.SCHEMA + 1}"),
}


@pytest.mark.parametrize("kind", BAD_FILES)
def test_a_bad_file_is_explained_names_the_backup_and_is_never_written(db_path: Path, kind: str) -> None:
    assert cli(db_path, "add", "Ana Ruiz").returncode == 0
    assert cli(db_path, "log", "Ana").returncode == 0  # a second session: it backs up the first
    good_backup = backups.newest_good_backup(db_path)
    assert good_backup is not None
    spoil, says = BAD_FILES[kind]
    db_path.write_bytes(spoil(db_path.read_bytes()))
    before = db_path.read_bytes()
    for command in (["today"], ["log", "Ana", "--note", "lost?"]):
        done = cli(db_path, *command)
        assert done.returncode == 1, (command, done.stderr)
        message = done.stderr
        assert message.startswith("meetup-tui: ") and message.count("\n") == 1, message
        assert says in message and str(db_path) in message and str(good_backup) in message
        assert "Traceback" not in message
        assert db_path.read_bytes() == before
