"""A summary can be lost, never believed when wrong (issue 24): damaged in any bit it is not
used, and where the log ends is checked against the file's bytes before `log` writes there,
so neither a bad disk nor a bug in the summary can change an answer or corrupt the file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_support import cli, isolate_env, tables
from meetup_tui.store import jsonfile, summaries

USER = "alex@a"


@pytest.fixture(autouse=True)
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate_env(monkeypatch, tmp_path, USER)


@pytest.fixture
def shop(capsys: pytest.CaptureFixture[str], db_path: Path) -> Path:
    """Ana with two entries, and the summary `today` keeps of the file."""
    for args in (("add", "Ana"), ("log", "Ana", "--note", "a"), ("log", "Ana", "--note", "a2"), ("today",)):
        assert cli(capsys, "--db", str(db_path), *args)[0] == 0
    return db_path


def kept_summary() -> Path:
    (found,) = summaries.cache_folder().glob("*.summary")  # type: ignore[union-attr]
    return found


def from_kept(path: Path) -> object:
    """What `open_database` would use of the kept summary: a Database, or None (read whole)."""
    raw = path.read_bytes()
    key = summaries._key(path, summaries.hashlib.sha256(raw).hexdigest())
    return summaries._from_kept(kept_summary(), key, path, USER, (path.stat(), raw))


def keep_wrong(path: Path, **changes: object) -> None:
    """A summary whose checksums hold but whose log end or meta is wrong: a bug's summary."""
    db = summaries.open_database(path, user=USER, keep=False)
    if "log_end" in changes:
        db.log_end = changes["log_end"]  # type: ignore[assignment]
    if "database_id" in changes:
        db.meta = {**db.meta, "database_id": changes["database_id"]}
    raw = path.read_bytes()
    summaries._keep(kept_summary(), summaries._key(path, summaries.hashlib.sha256(raw).hexdigest()), db)


def test_a_summary_damaged_in_any_single_bit_is_never_used(shop: Path) -> None:
    where = kept_summary()
    good = where.read_bytes()
    assert from_kept(shop) is not None  # undamaged, it is used
    used = []
    for bit in range(len(good) * 8):
        damaged = bytearray(good)
        damaged[bit // 8] ^= 1 << (bit % 8)
        where.write_bytes(bytes(damaged))
        if from_kept(shop) is not None:
            used.append(bit)
    assert used == [], f"{len(used)} of {len(good) * 8} damaged summaries were believed"


@pytest.mark.parametrize("shift", [-3, 40, 1])
def test_log_never_writes_where_a_wrong_summary_says_the_log_ends(
    capsys: pytest.CaptureFixture[str], shop: Path, shift: int
) -> None:
    end = jsonfile.table_end(json.loads(shop.read_bytes()), shop.read_bytes(), "interactions")
    assert end is not None and end.count == 2
    keep_wrong(shop, log_end=jsonfile.TableEnd(end.at + shift, end.count))
    assert from_kept(shop) is not None  # the checksums hold: only the file's bytes can say it is wrong
    code, _out, err = cli(capsys, "--db", str(shop), "log", "Ana", "--note", "b")
    assert code == 0, err
    log = tables(shop)["interactions"]  # valid JSON, or this raises
    assert sorted(doc["note"] for doc in log.values()) == ["a", "a2", "b"]
    code, out, _err = cli(capsys, "--db", str(shop), "history", "Ana", "--json")
    assert code == 0 and len(json.loads(out)) == 3


def test_a_summary_naming_another_database_is_not_used(
    capsys: pytest.CaptureFixture[str], shop: Path
) -> None:
    mine = tables(shop)["_meta"]["1"]["database_id"]
    keep_wrong(shop, database_id="00000000-0000-4000-8000-000000000000")
    assert from_kept(shop) is None
    assert cli(capsys, "--db", str(shop), "log", "Ana", "--note", "b", "--done")[0] == 0
    assert tables(shop)["_meta"]["1"]["database_id"] == mine
