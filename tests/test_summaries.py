"""Summaries kept between runs (store/summaries.py): used only for the very bytes they were
made from, made again for anything else, private, out of the synced folder, and never the
reason a command fails or says something else."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from cli_support import USER, cli, isolate_env
from meetup_tui.domain.records import Person
from meetup_tui.domain.summary import SummaryBook
from meetup_tui.store import summaries
from meetup_tui.store.database import BadFile, Database


def kept(db_path: Path) -> list[Path]:
    folder = summaries.cache_folder()
    return sorted(folder.glob("*.summary")) if folder and folder.exists() else []


def test_the_second_read_of_the_same_bytes_comes_from_the_summary(
    small_shop: Path, opened: list[Path]
) -> None:
    first = summaries.read_book(small_shop, user=USER)
    assert not isinstance(first, SummaryBook) and opened == [small_shop]
    second = summaries.read_book(small_shop, user=USER)
    assert isinstance(second, SummaryBook) and opened == [small_shop]
    assert second.people == first.people
    assert second.last_contacts() == first.last_contacts()
    assert not second.whole_read


def test_a_change_by_anyone_is_read_from_the_file(small_shop: Path, opened: list[Path]) -> None:
    summaries.read_book(small_shop, user=USER)
    db = Database.open(small_shop, user="bo@till")
    db.add(Person(name="Cy Park"))
    opened.clear()
    book = summaries.read_book(small_shop, user=USER)
    assert opened == [small_shop] and "Cy Park" in {p.name for p in book.people.values()}
    again = summaries.read_book(small_shop, user=USER)
    assert isinstance(again, SummaryBook) and "Cy Park" in {p.name for p in again.people.values()}


def test_the_same_size_and_time_with_other_bytes_is_not_the_same_file(
    small_shop: Path, opened: list[Path]
) -> None:
    summaries.read_book(small_shop, user=USER)
    info = small_shop.stat()
    text = small_shop.read_text(encoding="utf-8")
    small_shop.write_text(text.replace("Ana Ruiz", "Ann Ruiz"), encoding="utf-8")  # same length
    os.utime(small_shop, ns=(info.st_atime_ns, info.st_mtime_ns))
    book = summaries.read_book(small_shop, user=USER)
    assert not isinstance(book, SummaryBook)
    assert "Ann Ruiz" in {p.name for p in book.people.values()}


def test_an_archive_beside_the_file_that_changes_or_appears_is_read(
    small_shop: Path, opened: list[Path]
) -> None:
    summaries.read_book(small_shop, user=USER)
    beside = small_shop.with_name(f"{small_shop.stem}-2024.json")
    beside.write_text("{}", encoding="utf-8")  # named like an archive (not one of ours)
    assert not isinstance(summaries.read_book(small_shop, user=USER), SummaryBook)
    assert isinstance(summaries.read_book(small_shop, user=USER), SummaryBook)
    beside.write_text('{"_meta": {}}', encoding="utf-8")
    assert not isinstance(summaries.read_book(small_shop, user=USER), SummaryBook)


@pytest.mark.parametrize("damage", [b"", b"garbage", b"\xe3\x00\x00\x00"])
def test_a_damaged_summary_is_made_again(small_shop: Path, damage: bytes) -> None:
    summaries.read_book(small_shop, user=USER)
    [where] = kept(small_shop)
    where.write_bytes(damage)
    book = summaries.read_book(small_shop, user=USER)
    assert {p.name for p in book.people.values()} == {"Ana Ruiz", "Bo Lee"}
    assert isinstance(summaries.read_book(small_shop, user=USER), SummaryBook)


@pytest.mark.parametrize("cut", [1, 100, -20])
def test_a_summary_cut_short_is_made_again(small_shop: Path, cut: int) -> None:
    """A summary is a head (its key, and the size of what follows) then the summary: one
    cut anywhere -- in the summary, or so that the head names more than is there -- is
    not used, and is made again."""
    summaries.read_book(small_shop, user=USER)
    [where] = kept(small_shop)
    whole = where.read_bytes()
    where.write_bytes(whole[:cut] if cut > 0 else whole[:cut])
    book = summaries.read_book(small_shop, user=USER)
    assert not isinstance(book, SummaryBook)
    assert {p.name for p in book.people.values()} == {"Ana Ruiz", "Bo Lee"}
    assert where.read_bytes() == whole
    assert isinstance(summaries.read_book(small_shop, user=USER), SummaryBook)


def test_a_summary_from_another_python_or_meetup_tui_is_not_read(
    small_shop: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summaries.read_book(small_shop, user=USER)
    with monkeypatch.context() as patch:
        patch.setattr(summaries.sys, "version", "3.99.0 (another)")
        assert not isinstance(summaries.read_book(small_shop, user=USER), SummaryBook)
    summaries.read_book(small_shop, user=USER)  # (one summary a file: made again for this Python)
    assert isinstance(summaries.read_book(small_shop, user=USER), SummaryBook)
    made_by = summaries._code()
    assert any(name == "book.py" for name, *_ in made_by)
    upgraded = tuple((name, size + (name == "book.py"), when) for name, size, when in made_by)
    monkeypatch.setattr(summaries, "_code", lambda: upgraded)  # another version's domain/book.py
    assert not isinstance(summaries.read_book(small_shop, user=USER), SummaryBook)


def test_summaries_are_private_and_kept_out_of_the_files_folder(small_shop: Path) -> None:
    summaries.read_book(small_shop, user=USER)
    [where] = kept(small_shop)
    assert where.parent != small_shop.parent and not where.is_relative_to(small_shop.parent)
    assert stat.S_IMODE(where.stat().st_mode) == 0o600
    assert stat.S_IMODE(where.parent.stat().st_mode) == 0o700
    names = sorted(p.name for p in small_shop.parent.iterdir() if not p.name.startswith("."))
    assert names == [small_shop.name]


def test_an_empty_setting_keeps_no_summary(small_shop: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = summaries.cache_folder()
    monkeypatch.setenv(summaries.CACHE_ENV, "")
    assert summaries.cache_folder() is None
    for _ in range(2):
        assert not isinstance(summaries.read_book(small_shop, user=USER), SummaryBook)
    assert folder is not None and not folder.exists()


def test_a_cache_folder_that_cannot_be_written_only_means_no_summary(
    small_shop: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv(summaries.CACHE_ENV, str(blocked / "summaries"))
    book = summaries.read_book(small_shop, user=USER)
    assert {p.name for p in book.people.values()} == {"Ana Ruiz", "Bo Lee"}


def test_no_summary_of_a_record_inserted_by_another_program(small_shop: Path) -> None:
    data = json.loads(small_shop.read_text(encoding="utf-8"))
    data["people"]["99"] = {"name": "Dee Script"}  # a TinyDB insert: no id, no stamps
    small_shop.write_text(json.dumps(data), encoding="utf-8")
    book = summaries.read_book(small_shop, user=USER)
    assert "Dee Script" in {p.name for p in book.people.values()}
    assert kept(small_shop) == []


def test_a_broken_file_is_said_as_ever(small_shop: Path) -> None:
    summaries.read_book(small_shop, user=USER)
    small_shop.write_text('{"people": ', encoding="utf-8")
    with pytest.raises(BadFile, match="not valid JSON"):
        summaries.read_book(small_shop, user=USER)


@pytest.mark.parametrize(
    "command",
    [
        ("today", "--json", "--limit", "0"),
        ("today",),
        ("today", "--all"),
        ("instead", "--json"),
        ("instead",),
        ("people", "--json"),
        ("people",),
    ],
)
def test_commands_print_the_same_from_a_summary(
    command: tuple[str, ...],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    opened: list[Path],
) -> None:
    isolate_env(monkeypatch, tmp_path, USER)
    book = tmp_path / "demo.json"
    assert cli(capsys, "--db", str(book), "--today", "2026-11-26", "demo", "--no-open")[0] == 0
    run = ("--db", str(book), "--today", "2026-11-26", *command)
    monkeypatch.setenv(summaries.CACHE_ENV, "")
    whole = cli(capsys, *run)
    monkeypatch.setenv(summaries.CACHE_ENV, str(tmp_path / "cache"))
    cli(capsys, *run)  # makes the summary
    opened.clear()
    assert cli(capsys, *run) == whole
    assert opened == []  # read from the summary, not the file
