"""Backups shared by every process and machine writing one file: at most one every 10 minutes
across all of them (the stamps in the folder's names decide), gzip-compressed, and the folder
kept within SIZE_FACTOR times the file's size.  Real files throughout; the clock is faked
only where many backups are wanted.
"""

from __future__ import annotations

import gzip
import secrets
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import cli_support
from meetup_tui.domain.records import Person
from meetup_tui.store import backups, database, jsonfile
from meetup_tui.store.database import BadFile, Database


def _made(
    path: Path, age: timedelta, *, suffix: str = ".json.gz", raw: bytes = b"{}", now: datetime | None = None
) -> Path:
    """A backup as another process or machine leaves it, stamped `age` ago (negative: ahead)."""
    folder = backups.backup_folder(path)
    folder.mkdir(exist_ok=True)
    moment = (now or datetime.now(UTC)) - age
    backup = folder / f"{path.stem}.{moment:%Y%m%dT%H%M%SZ}.other-pc.{secrets.token_hex(3)}{suffix}"
    backup.write_bytes(gzip.compress(raw) if suffix.endswith(".gz") else raw)
    return backup


def _file_with_ana(path: Path) -> Database:
    db = Database.open(path, user="setup", create=True)
    db.add(Person(name="Ana Ruiz"))
    assert backups.list_backups(path) == []  # a new file has nothing to back up
    return db


# -- when one is due -----------------------------------------------------------------------


def test_two_sessions_writing_within_ten_minutes_make_one_backup(db_path: Path) -> None:
    _file_with_ana(db_path)
    before = db_path.read_bytes()
    first, second = Database.open(db_path, user="sam"), Database.open(db_path, user="alex")
    first.add(Person(name="Bo Lee"))
    second.add(Person(name="Cy Moss"))  # another session, its first write: the folder says no
    first.add(Person(name="Di Park"))
    (only,) = backups.list_backups(db_path)
    assert gzip.decompress(only.read_bytes()) == before
    names = {p.name for p in Database.open(db_path, user="r").book.live_people()}
    assert names == {"Ana Ruiz", "Bo Lee", "Cy Moss", "Di Park"}


def test_two_real_processes_logging_within_ten_minutes_make_one_backup(tmp_path: Path) -> None:
    path = tmp_path / "meetup.json"
    added = cli_support.run_cli(tmp_path, "--db", str(path), "add", "Ana Ruiz")
    assert added.returncode == 0, added.stderr
    before = path.read_bytes()
    for note in ("first call", "second call"):
        logged = cli_support.run_cli(tmp_path, "--db", str(path), "log", "Ana", "--note", note)
        assert logged.returncode == 0, logged.stderr
    (only,) = backups.list_backups(path)
    assert only.name.endswith(".json.gz")
    assert gzip.decompress(only.read_bytes()) == before  # the file as the first log found it
    notes = sorted(i.note for i in Database.open(path, user="r").book.interactions.values())
    assert notes == ["first call", "second call"]


def test_a_backup_eleven_minutes_old_makes_the_next_write_back_up(db_path: Path) -> None:
    _file_with_ana(db_path)
    old = _made(db_path, timedelta(minutes=11))
    before = db_path.read_bytes()
    Database.open(db_path, user="sam").add(Person(name="Bo Lee"))
    newest, older = backups.list_backups(db_path)
    assert older == old and gzip.decompress(newest.read_bytes()) == before


def test_a_backup_nine_minutes_old_from_another_machine_holds_the_next_one_back(db_path: Path) -> None:
    _file_with_ana(db_path)
    recent = _made(db_path, timedelta(minutes=9))
    ahead = _made(db_path, -timedelta(minutes=5))  # a clock a little ahead: counts as recent
    Database.open(db_path, user="sam").add(Person(name="Bo Lee"))
    assert set(backups.list_backups(db_path)) == {recent, ahead}


def test_a_stamp_far_in_the_future_does_not_stop_backups(db_path: Path) -> None:
    """A machine whose clock runs two hours ahead left a backup: ours are still made."""
    _file_with_ana(db_path)
    ahead = _made(db_path, -timedelta(hours=2))
    before = db_path.read_bytes()
    Database.open(db_path, user="sam").add(Person(name="Bo Lee"))
    made = [b for b in backups.list_backups(db_path) if b != ahead]
    assert [gzip.decompress(b.read_bytes()) for b in made] == [before]
    Database.open(db_path, user="alex").add(Person(name="Cy Moss"))  # ours is recent now
    assert len(backups.list_backups(db_path)) == 2


def test_due_reads_names_only(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _made(db_path, timedelta(minutes=1))

    def no_reading(*_args: object, **_kwargs: object) -> bytes:
        raise AssertionError("deciding whether a backup is due read a backup")

    monkeypatch.setattr(jsonfile, "read_bytes", no_reading)
    monkeypatch.setattr(Path, "read_bytes", no_reading)
    assert not backups.due(db_path)
    assert backups.due(db_path, datetime.now(UTC) + backups.EVERY)


# -- compressed, and the old plain ones still used ------------------------------------------


def test_an_old_plain_backup_is_good_and_opens(db_path: Path) -> None:
    db = _file_with_ana(db_path)
    plain = _made(db_path, timedelta(days=3), suffix=".json", raw=db_path.read_bytes())
    assert not plain.read_bytes().startswith(b"\x1f\x8b")  # really not compressed
    assert backups.list_backups(db_path) == [plain]
    assert backups.is_good(plain) and backups.newest_good_backup(db_path) == plain
    assert Database.open(plain, user="r").book.people == db.book.people


def test_a_compressed_backup_opens_as_the_database_would(db_path: Path) -> None:
    db = _file_with_ana(db_path)
    made = backups.make_backup(db_path, db_path.read_bytes())
    assert made.name.endswith(".json.gz") and made.read_bytes().startswith(b"\x1f\x8b")
    assert gzip.decompress(made.read_bytes()) == db_path.read_bytes()
    assert backups.is_good(made)
    assert Database.open(made, user="r").book.people == db.book.people  # the app's read-only view


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: raw[: len(raw) // 2],  # cut short
        lambda raw: raw[:-8] + bytes(8),  # the checksum and length at its end wrong
        lambda raw: raw[:20] + b"\xff" * 20 + raw[40:],  # its middle overwritten
        lambda raw: b'{"people": {}}',  # plain JSON under a .gz name
        lambda raw: b"",
    ],
    ids=["cut-short", "bad-checksum", "overwritten", "not-gzip", "empty"],
)
def test_a_damaged_compressed_backup_is_not_good_and_is_skipped(
    db_path: Path, damage: Callable[[bytes], bytes]
) -> None:
    _file_with_ana(db_path)
    good = _made(db_path, timedelta(hours=2), raw=db_path.read_bytes())
    broken = _made(db_path, timedelta(hours=1), raw=db_path.read_bytes())
    assert backups.newest_good_backup(db_path) == broken
    broken.write_bytes(damage(broken.read_bytes()))
    assert not backups.is_good(broken)
    assert backups.newest_good_backup(db_path) == good
    with pytest.raises(BadFile) as refused:
        Database.open(broken, user="r")
    message = str(refused.value)
    assert message.startswith((f"{broken} is not a whole gzip file", f"{broken} is empty"))
    assert "\n" not in message and "Traceback" not in message


# -- the folder stays bounded -------------------------------------------------------------


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[datetime]]:
    """The time backups are stamped and judged by; the test moves it (clock[0] += ...)."""
    now = [datetime(2026, 11, 26, 8, 0, tzinfo=UTC)]

    class Clock(datetime):
        @classmethod
        def now(cls, tz: object = None) -> datetime:  # type: ignore[override]
            return now[0]

    monkeypatch.setattr(backups, "datetime", Clock)
    monkeypatch.setattr(database, "BACKUP_EVERY", 0.0)  # no short-cut: only the folder decides
    yield now


def _total(path: Path) -> int:
    return sum(b.stat().st_size for b in backups.list_backups(path))


def test_the_folder_stays_within_five_times_the_file_after_many_backups(
    db_path: Path, clock: list[datetime]
) -> None:
    db = Database.open(db_path, user="setup", create=True)
    # Random text compresses little: twenty backups of it would be over ten times the file.
    db.add(Person(name="Bo Lee", notes=secrets.token_hex(20_000)))
    # Yesterday's, plain: the count and days would keep it; the bound does not.
    old = _made(db_path, timedelta(days=1), suffix=".json", raw=db_path.read_bytes(), now=clock[0])
    made: set[Path] = set()
    for n in range(60):
        clock[0] += timedelta(minutes=11)
        before = set(backups.list_backups(db_path))
        db.add(Person(name=f"Person {n}"))
        (new,) = set(backups.list_backups(db_path)) - before  # every write 11 minutes on backs up
        made.add(new)
        found = backups.list_backups(db_path)
        assert found[0] == new  # the newest is kept
        assert _total(db_path) <= backups.SIZE_FACTOR * db_path.stat().st_size
    found = backups.list_backups(db_path)
    assert old not in found and len(found) < backups.KEEP_RECENT  # the bound, not the count, cut
    assert found == sorted(made, key=lambda b: b.name.split(".")[1], reverse=True)[: len(found)]
    assert all(backups.is_good(b) for b in found)


def test_the_newest_backup_is_kept_even_alone_over_the_bound(db_path: Path) -> None:
    db_path.write_bytes(b"{}")
    newest = backups.make_backup(db_path, secrets.token_bytes(1000))
    assert backups.list_backups(db_path) == [newest] and backups.SIZE_FACTOR * 2 < newest.stat().st_size


def test_a_file_that_shrank_does_not_take_the_backups_of_the_bigger_one_with_it(db_path: Path) -> None:
    """A sync client put a tiny, months-old copy in the file's place: the backups that hold
    the newer records stay (the bound is five times the largest of the file and them)."""
    big = secrets.token_bytes(20_000)  # incompressible: each backup is about as big as the file
    db_path.write_bytes(big)
    older = [_made(db_path, timedelta(minutes=11 * n), raw=big) for n in range(1, 4)]
    db_path.write_bytes(b"{}")
    newest = backups.make_backup(db_path, b"{}")
    assert backups.list_backups(db_path) == [newest, *older]
    assert all(gzip.decompress(b.read_bytes()) == big for b in older)
    many = [_made(db_path, timedelta(minutes=60 + 11 * n), raw=big) for n in range(10)]
    backups.prune(db_path, datetime.now(UTC))
    total = sum(b.stat().st_size for b in backups.list_backups(db_path))
    assert total <= backups.SIZE_FACTOR * max(b.stat().st_size for b in older)  # still bounded
    assert all(b.exists() for b in older) and not all(b.exists() for b in many)


def test_within_the_bound_the_count_rules_as_before(db_path: Path) -> None:
    """A big file: twenty-five small backups fit easily; only the newest twenty (today's) stay."""
    db_path.write_bytes(b"{}" + b" " * 1_000_000)
    now = datetime.now(UTC)
    stamped = [_made(db_path, timedelta(minutes=11 * n)) for n in range(25)]
    removed = backups.prune(db_path, now)
    kept = [b for b in stamped if b.exists()]
    assert len(kept) >= backups.KEEP_RECENT and set(removed) == set(stamped) - set(kept)
    assert kept[: backups.KEEP_RECENT] == stamped[: backups.KEEP_RECENT]
