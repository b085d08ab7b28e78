"""Rotating backups beside the file: when they are made, their names, and what is kept."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from meetup_tui.domain.records import Person
from meetup_tui.store import backups, database
from meetup_tui.store.database import Database

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def _aged(backup: Path, minutes: float) -> Path:
    """`backup` renamed as if made `minutes` ago: the name is what says when."""
    moment = datetime.now(UTC) - timedelta(minutes=minutes)
    stamp = backups._STAMP.search(backup.name)
    assert stamp is not None
    older = backup.with_name(backup.name.replace(stamp.group(1), f"{moment:%Y%m%dT%H%M%SZ}"))
    return backup.rename(older)


def test_the_first_write_with_no_backup_yet_backs_up_the_previous_bytes_compressed(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Database.open(db_path, user="setup", create=True).add(Person(name="Ana Ruiz"))
    assert backups.list_backups(db_path) == []  # nothing existed before the file was made
    before = db_path.read_bytes()

    db = Database.open(db_path, user="sam")
    db.add(Person(name="Bo Lind"))
    (first,) = backups.list_backups(db_path)
    assert first.name.endswith(".json.gz") and first.read_bytes()[:2] == b"\x1f\x8b"  # gzip
    assert gzip.decompress(first.read_bytes()) == before  # exactly the previous bytes
    assert first.parent == db_path.parent / f"{db_path.stem}-backups"

    db.add(Person(name="Cy Moss"))  # within 10 minutes of the first: no new backup
    assert backups.list_backups(db_path) == [first]

    monkeypatch.setattr(database, "BACKUP_EVERY", 0.0)  # no short-cut: the folder decides
    db.add(Person(name="Di Park"))
    assert backups.list_backups(db_path) == [first]  # the folder's newest is new: not due

    first = _aged(first, 11)  # as if made 11 minutes ago
    previous = db_path.read_bytes()
    db.add(Person(name="Dee Ng"))
    newest, older = backups.list_backups(db_path)
    assert older == first
    assert gzip.decompress(newest.read_bytes()) == previous and b"Di Park" in previous


_BACKER = """
    import sys
    from datetime import datetime
    from pathlib import Path
    from meetup_tui.store import backups

    path, who, go = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    now = datetime.fromisoformat(sys.argv[4])
    while not go.exists():
        pass
    for n in range(10):
        made = backups.make_backup(path, f"{who} {n}".encode(), now)
        print(made.name, flush=True)
"""


def test_two_processes_backing_up_in_the_same_second_never_share_a_name(db_path: Path) -> None:
    db_path.write_text("{}" + " " * 10_000)  # big enough that the folder's bound keeps all 20
    go = db_path.with_name("go")
    children = [
        subprocess.Popen(
            [sys.executable, "-c", textwrap.dedent(_BACKER), str(db_path), who, str(go), NOW.isoformat()],
            stdout=subprocess.PIPE,
            text=True,
        )
        for who in ("a", "b")
    ]
    time.sleep(0.3)
    go.touch()
    names = {
        who: out.split()
        for who, out in zip("ab", (c.communicate(timeout=60)[0] for c in children), strict=True)
    }
    assert [c.returncode for c in children] == [0, 0]
    made = names["a"] + names["b"]
    assert len(set(made)) == len(made) == 2 * 10 <= backups.KEEP_RECENT
    folder = backups.backup_folder(db_path)
    for who, theirs in names.items():
        assert [gzip.decompress((folder / name).read_bytes()) for name in theirs] == [
            f"{who} {n}".encode() for n in range(10)
        ]
    assert sorted(p.name for p in backups.list_backups(db_path)) == sorted(made)


def _stamped(path: Path, moment: datetime) -> Path:
    folder = backups.backup_folder(path)
    folder.mkdir(exist_ok=True)
    backup = folder / f"{path.stem}.{moment:%Y%m%dT%H%M%SZ}.host.abc123{path.suffix}"
    backup.write_text("{}")
    return backup


def test_prune_keeps_the_newest_twenty_and_one_a_day_for_thirty_days(db_path: Path) -> None:
    recent = [_stamped(db_path, NOW - timedelta(minutes=4 * n)) for n in range(30)]  # today, newest first
    days = range(1, backups.KEEP_DAILY_DAYS + 10)
    evening = {d: _stamped(db_path, (NOW - timedelta(days=d)).replace(hour=20)) for d in days}
    morning = {d: _stamped(db_path, (NOW - timedelta(days=d)).replace(hour=8)) for d in days}
    stranger = backups.backup_folder(db_path) / "notes.txt"
    stranger.write_text("not a backup")

    removed = backups.prune(db_path, NOW)

    horizon = NOW - timedelta(days=backups.KEEP_DAILY_DAYS)
    dailies = {b for d, b in evening.items() if (NOW - timedelta(days=d)).replace(hour=20) >= horizon}
    expected = set(recent[: backups.KEEP_RECENT]) | dailies
    assert set(backups.list_backups(db_path)) == expected
    assert len(dailies) == backups.KEEP_DAILY_DAYS  # day 30's evening is inside the window
    assert set(removed) == set(recent[backups.KEEP_RECENT :]) | set(morning.values()) | (
        set(evening.values()) - dailies
    )
    assert stranger.exists()
    assert backups.prune(db_path, NOW) == []  # a second prune has nothing left to do


def test_the_newest_good_backup_skips_a_corrupt_newest_one(db_path: Path) -> None:
    db_path.write_text(json.dumps({"people": {}}))
    good = backups.make_backup(db_path, db_path.read_bytes(), NOW - timedelta(hours=2))
    broken = backups.make_backup(db_path, b'{"people": {"1": ', NOW - timedelta(hours=1))
    assert backups.list_backups(db_path) == [broken, good]
    assert backups.newest_good_backup(db_path) == good
    broken.write_bytes(b"")
    assert backups.newest_good_backup(db_path) == good
    good.write_bytes(b"[]")
    assert backups.newest_good_backup(db_path) is None
