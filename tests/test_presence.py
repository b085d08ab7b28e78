"""Presence beside the database (store/presence.py): who else has the file open.

The clock is injected (`now`): nothing here waits for a file to go stale.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from meetup_tui.store import backups, conflicts, presence
from meetup_tui.store.database import Database
from meetup_tui.store.presence import OwnPresence, Presence, others_here, presence_folder

NOW = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
HERE = presence.this_host()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "shop.json"
    Database.open(path, user="alex@shop", create=True)
    return path


def dead_pid() -> int:
    """The pid of a process that has just ended (and been reaped)."""
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True
    )
    return int(done.stdout)


def put(db_path: Path, name: str, data: object) -> Path:
    """A file in the presence folder, written as another app (or anything else) would."""
    folder = presence_folder(db_path)
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return path


def sam(seen: datetime | str = NOW, *, host: str = "counter", pid: int = 4242, **more: object) -> dict:
    return {
        "user": "sam@counter",
        "host": host,
        "pid": pid,
        "started": "2026-11-26T09:00:00Z",
        "seen": seen if isinstance(seen, str) else seen.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "doing": "",
        "person": None,
        **more,
    }


def test_written_read_by_another_and_removed(db_path: Path) -> None:
    mine = OwnPresence(db_path, "alex@shop", pid=101, host="shop")
    theirs = OwnPresence(db_path, "sam@counter", pid=202, host="counter")
    assert mine.write(NOW) and theirs.write(NOW)
    assert mine.path.parent == presence_folder(db_path) == db_path.parent / ".shop.json.presence"
    assert mine.path.name == "alex@shop-101.json"

    (seen,) = others_here(db_path, NOW, own=mine.path)
    assert (seen.user, seen.login, seen.host, seen.pid, seen.doing) == (
        "sam@counter",
        "sam",
        "counter",
        202,
        "",
    )
    assert seen.seen == NOW and seen.person_id == ""

    theirs.doing("check-in", "p-1", "Maya Okafor")
    theirs.write(NOW + timedelta(seconds=10))
    (seen,) = others_here(db_path, NOW + timedelta(seconds=10), own=mine.path)
    assert (seen.doing, seen.person_id, seen.person_name) == ("check-in", "p-1", "Maya Okafor")
    on_disk = json.loads(theirs.path.read_text())
    assert on_disk["person"] == {"id": "p-1", "name": "Maya Okafor"}
    assert on_disk["seen"] == "2026-11-26T09:30:10Z" and on_disk["started"].endswith("Z")

    theirs.remove()
    assert not theirs.path.exists()
    assert others_here(db_path, NOW, own=mine.path) == []
    assert theirs.write(NOW) is False  # a heartbeat after exit does not bring it back
    assert not theirs.path.exists()


def test_our_own_file_is_not_listed(db_path: Path) -> None:
    mine = OwnPresence(db_path, "alex@shop")
    mine.write(NOW)
    assert others_here(db_path, NOW, own=mine.path) == []
    assert [p.user for p in others_here(db_path, NOW)] == ["alex@shop"]  # it is there


def test_stale_by_time_is_ignored_and_ahead_by_minutes_too(db_path: Path) -> None:
    put(db_path, "sam@counter-4242.json", sam(NOW))
    later = NOW + timedelta(seconds=presence.STALE_SECONDS - 1)
    assert [p.login for p in others_here(db_path, later)] == ["sam"]
    assert others_here(db_path, NOW + timedelta(seconds=presence.STALE_SECONDS + 1)) == []
    # A clock a little ahead (another machine's, through sync) is fine; a year ahead is not.
    assert [p.login for p in others_here(db_path, NOW - timedelta(seconds=60))] == ["sam"]
    assert others_here(db_path, NOW - timedelta(days=365)) == []


def test_a_dead_process_on_this_host_is_ignored_at_once(db_path: Path) -> None:
    put(db_path, "sam@here-dead.json", sam(NOW, host=HERE, pid=dead_pid()))
    put(db_path, "kim@here-live.json", sam(NOW, host=HERE, pid=os.getpid(), user="kim@shop"))
    # The same pid on another host says nothing about that host's process: listed.
    put(db_path, "lee@there.json", sam(NOW, host="elsewhere-x", pid=dead_pid(), user="lee@there"))
    assert sorted(p.login for p in others_here(db_path, NOW)) == ["kim", "lee"]


@pytest.mark.parametrize(
    "content",
    [
        "",
        "{not json",
        "[1, 2]",
        "\udcff",
        json.dumps({"user": "sam"}),
        json.dumps(sam(pid="4242")),
        json.dumps(sam(pid=True)),
        json.dumps(sam(pid=-3)),
        json.dumps(sam(seen="yesterday")),
        json.dumps(sam(started="2026-11-26T09:00:00")),  # no zone
        json.dumps(sam(person="Maya")),
        json.dumps(sam(person={"id": 3, "name": "Maya"})),
        json.dumps(sam(doing=["check-in"])),
        json.dumps(sam(user="")),
        json.dumps({**sam(), "pad": "x" * presence.MAX_BYTES}),
    ],
    ids=lambda c: repr(c[:30]),
)
def test_an_odd_file_is_ignored_never_an_error(db_path: Path, content: str) -> None:
    if content == "\udcff":
        folder = presence_folder(db_path)
        folder.mkdir()
        (folder / "bytes.json").write_bytes(b"\xff\xfe{")
    else:
        put(db_path, "odd.json", content)
    put(db_path, "kim@counter-7.json", sam(user="kim@counter", pid=7))
    assert [p.login for p in others_here(db_path, NOW)] == ["kim"]


def test_odd_things_in_the_folder_are_ignored(db_path: Path) -> None:
    folder = presence_folder(db_path)
    put(db_path, "kim@counter-7.json", sam(user="kim@counter", pid=7))
    put(db_path, ".~kim@counter-7.json.abc123.tmp", sam(user="tmp@counter"))  # a write in flight
    put(db_path, "notes.txt", sam(user="txt@counter"))
    (folder / "sub.json").mkdir()
    os.mkfifo(folder / "fifo.json")  # never waited on
    (folder / "link.json").symlink_to(folder / "kim@counter-7.json")  # never followed
    assert [p.login for p in others_here(db_path, NOW)] == ["kim"]


def test_a_sync_clients_copy_of_one_app_is_one_person(db_path: Path) -> None:
    put(db_path, "sam@counter-4242.json", sam(NOW))
    put(
        db_path,
        "sam@counter-4242.sync-conflict-20261126-093000-ABCDEF7.json",
        sam(NOW - timedelta(seconds=5)),
    )
    (seen,) = others_here(db_path, NOW)
    assert seen.seen == NOW


def test_no_folder_or_a_file_in_its_place_is_nobody(db_path: Path) -> None:
    assert others_here(db_path, NOW) == []
    presence_folder(db_path).write_text("not a folder")
    assert others_here(db_path, NOW) == []
    with pytest.raises(presence.jsonfile.StoreError):  # the app's watch says nothing of it
        OwnPresence(db_path, "alex@shop").write(NOW)


def test_a_read_only_database_writes_no_presence_but_shows_others(db_path: Path) -> None:
    put(db_path, "kim@counter-7.json", sam(user="kim@counter", pid=7))
    db = Database.open(db_path, user="alex@shop")
    db.read_only = f"{db_path} is read-only"  # what Database.open finds for a 0444 file (root ignores it)
    mine = OwnPresence(db_path, db.user, read_only=db.read_only)
    assert mine.write(NOW) is False
    mine.remove()
    assert sorted(os.listdir(presence_folder(db_path))) == ["kim@counter-7.json"]
    assert [p.login for p in others_here(db_path, NOW, own=mine.path)] == ["kim"]


def test_a_read_only_database_creates_no_folder(db_path: Path) -> None:
    OwnPresence(db_path, "alex@shop", read_only="read-only").write(NOW)
    assert not presence_folder(db_path).exists()


def test_private_by_default(db_path: Path) -> None:
    mine = OwnPresence(db_path, "alex@shop")
    mine.write(NOW)
    assert stat.S_IMODE(presence_folder(db_path).stat().st_mode) == 0o700
    assert stat.S_IMODE(mine.path.stat().st_mode) == stat.S_IMODE(db_path.stat().st_mode) == 0o600


def test_in_a_setgid_group_folder_the_folder_and_files_are_the_groups(tmp_path: Path) -> None:
    shared = tmp_path / "shop"
    shared.mkdir()
    shared.chmod(0o2770)
    if not shared.stat().st_mode & stat.S_ISGID:
        pytest.skip("this file system does not keep a setgid bit on folders")
    db_path = shared / "meetup.json"
    old = os.umask(0o077)  # a user who keeps everything private
    try:
        Database.open(db_path, user="alex@shop", create=True)
        mine = OwnPresence(db_path, "alex@shop")
        mine.write(NOW)
    finally:
        os.umask(old)
    folder = presence_folder(db_path).stat()
    assert folder.st_mode & stat.S_ISGID and stat.S_IMODE(folder.st_mode) & 0o070 == 0o070
    assert stat.S_IMODE(mine.path.stat().st_mode) == 0o660
    assert mine.path.stat().st_gid == shared.stat().st_gid


def test_written_atomically_through_the_stores_write(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Through jsonfile.write_atomic (temp file, fsync, rename): a reader never sees half."""
    written: list[Path] = []
    real = presence.jsonfile.write_atomic
    monkeypatch.setattr(
        presence.jsonfile,
        "write_atomic",
        lambda path, payload, **kw: written.append(path) or real(path, payload, **kw),
    )
    mine = OwnPresence(db_path, "alex@shop")
    mine.write(NOW)
    assert written == [mine.path]


def test_what_a_crashed_app_on_this_host_left_is_tidied(db_path: Path) -> None:
    old = NOW - timedelta(minutes=5)
    crashed = put(db_path, "sam@here-1.json", sam(old, host=HERE, pid=dead_pid()))
    fresh_dead = put(db_path, "kim@here-2.json", sam(NOW, host=HERE, pid=dead_pid(), user="kim@x"))
    elsewhere = put(db_path, "lee@there-3.json", sam(old, host="elsewhere-x", pid=3, user="lee@there"))
    odd = put(db_path, "odd.json", "{not json")
    OwnPresence(db_path, "alex@shop").write(NOW)
    assert not crashed.exists()
    assert fresh_dead.exists() and elsewhere.exists() and odd.exists()  # not ours to judge


def test_the_folder_is_never_a_conflicted_copy_nor_a_backup(db_path: Path) -> None:
    mine = OwnPresence(db_path, "alex@shop")
    mine.write(NOW)
    put(db_path, "sam@counter-4242.json", sam())
    # Even a file in it named like a conflicted copy of the database is not one.
    put(db_path, "shop (1).json", db_path.read_text())
    assert conflicts.find_candidates(db_path) == []
    db = Database.open(db_path, user="alex@shop")
    assert conflicts.merge_copies(db) == []
    assert backups.list_backups(db_path) == []
    assert sorted(os.listdir(presence_folder(db_path))) == [  # nothing was moved out of it
        mine.path.name,
        "sam@counter-4242.json",
        "shop (1).json",
    ]


def test_presence_round_trips(db_path: Path) -> None:
    one = Presence("sam@shop", "shop", 9, NOW, NOW, "check-in", "p-1", "Rosa [bold]Lind[/]")
    assert Presence.from_json(json.loads(json.dumps(one.to_json()))) == one
