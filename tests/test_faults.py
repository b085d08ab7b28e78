"""The store under real faults: SIGKILL mid-write and a full disk, done to real processes and files."""

from __future__ import annotations

import errno
import json
import os
import random
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fault_support import CHILD_TIMEOUT, child, cli, temp_debris
from meetup_tui.domain.records import Person
from meetup_tui.store.database import Database, StoreError

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
