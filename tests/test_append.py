"""`log` on a file its summary describes adds the entry's lines to the file's bytes where
its log ends (`Database.append_checked`), never decoding the log: the file is byte for byte
what writing the whole book makes, TinyDB and json read it, the summary kept after it
answers as the file does, and anything the bytes alone cannot settle (the file changed
meanwhile, an entry of an archived year, a year to archive, a file laid out by another
program, text only json can write) is written the whole way, losing nothing."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
import tinydb

from cli_support import USER, cli
from meetup_tui.domain.book import Book
from meetup_tui.domain.records import Interaction, Person
from meetup_tui.domain.summary import SummaryBook
from meetup_tui.store import archives, jsonfile, schema, summaries
from meetup_tui.store.database import Database
from meetup_tui.store.jsonfile import StoreError


@pytest.fixture
def whole_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Each time a book is decoded whole, from now on: an open, or a summary's book read."""
    seen: list[str] = []
    real_open, real_read = Database.open.__func__, SummaryBook.read_whole  # type: ignore[attr-defined]

    def spy_open(cls: type[Database], path: Path, **options: object) -> Database:
        seen.append("open")
        return real_open(cls, path, **options)

    def spy_read(book: SummaryBook) -> None:
        seen.append("read")
        real_read(book)

    monkeypatch.setattr(Database, "open", classmethod(spy_open))
    monkeypatch.setattr(SummaryBook, "read_whole", spy_read)
    return seen


def whole_bytes(path: Path) -> bytes:
    """What writing the whole book of the file makes of it."""
    db = Database.open(path, user="reader")
    return jsonfile.encode(schema.encode(db.book, db.meta, interactions=db._split_log()[0]))


def notes(path: Path) -> list[str]:
    return sorted(i.note for i in Database.open(path, user="reader").book.live_interactions())


def test_calls_logged_on_a_summarized_file_are_added_without_decoding_it(
    small_shop: Path, capsys, whole_reads: list[str]
) -> None:
    assert cli(capsys, "--db", str(small_shop), "today")[0] == 0  # reads it whole, keeps its summary
    whole_reads.clear()
    for n in range(3):
        code, out, err = cli(capsys, "--db", str(small_shop), "log", "Ana Ruiz", "--note", f"call {n}")
        assert (code, err) == (0, "") and out.startswith("Logged a call with Ana Ruiz")
    assert whole_reads == []  # neither the file nor its summary's log was ever decoded
    code, out, _ = cli(capsys, "--db", str(small_shop), "today", "--json")
    assert whole_reads == []  # the summary kept after the last call is the file's
    raw = small_shop.read_bytes()
    assert raw == whole_bytes(small_shop)  # byte for byte the whole write
    logged = [d["note"] for d in json.loads(raw)["interactions"].values()]
    assert logged[-3:] == ["call 0", "call 1", "call 2"]
    with tinydb.TinyDB(small_shop, access_mode="r") as db:
        assert len(db.table("interactions")) == 5
    with pytest.MonkeyPatch.context() as patch:  # the same question with no summary at all
        patch.setenv(summaries.CACHE_ENV, "")
        assert cli(capsys, "--db", str(small_shop), "today", "--json")[1] == out


def test_a_file_changed_after_its_summary_was_read_is_merged_the_whole_way(small_shop: Path, capsys) -> None:
    cli(capsys, "--db", str(small_shop), "today")
    db = summaries.open_database(small_shop, user=USER, keep=False)
    assert isinstance(db.book, SummaryBook)
    other = Database.open(small_shop, user="bo@small_shop")
    other.add(Person(name="Cy Diaz"))  # another process writes meanwhile
    ana = db.book.find_person("Ana Ruiz")
    db.append_checked(lambda book: [Interaction(at="2026-11-26T10:00", people=[ana.id], note="mine")])
    book = Database.open(small_shop, user="reader").book
    assert {p.name for p in book.live_people()} == {"Ana Ruiz", "Bo Lee", "Cy Diaz"}
    assert "mine" in notes(small_shop)


def test_more_than_one_entry_or_a_changed_one_is_written_the_whole_way(small_shop: Path, capsys) -> None:
    cli(capsys, "--db", str(small_shop), "today")
    db = summaries.open_database(small_shop, user=USER, keep=False)
    ana = db.book.find_person("Ana Ruiz")

    def two(book: Book) -> list[Interaction]:
        return [Interaction(at="2026-11-26T10:00", people=[ana.id], note=n) for n in ("one", "two")]

    db.append_checked(two)
    assert db.book.whole_read and notes(small_shop) == ["", "", "one", "two"]
    assert small_shop.read_bytes() == whole_bytes(small_shop)


def test_text_only_json_can_write_is_written_the_whole_way(small_shop: Path, capsys) -> None:
    cli(capsys, "--db", str(small_shop), "today")
    db = summaries.open_database(small_shop, user=USER, keep=False)
    ana = db.book.find_person("Ana Ruiz")
    db.append_checked(lambda book: [Interaction(at="2026-11-26T10:00", people=[ana.id], note="a \ud800 b")])
    assert "a \ud800 b" in notes(small_shop)
    assert json.loads(small_shop.read_bytes())  # escapes throughout: still UTF-8 JSON


def test_a_file_laid_out_by_another_program_is_written_whole_then_added_to(
    small_shop: Path, capsys, whole_reads: list[str]
) -> None:
    """A file json wrote (one-space indents) has no end the bytes can show: the first call
    writes it whole, in our layout; the next is added to it."""
    small_shop.write_text(json.dumps(json.loads(small_shop.read_bytes()), indent=1))
    cli(capsys, "--db", str(small_shop), "today")
    whole_reads.clear()
    cli(capsys, "--db", str(small_shop), "log", "Ana Ruiz", "--note", "first")
    assert "read" in whole_reads or "open" in whole_reads
    assert small_shop.read_bytes() == whole_bytes(small_shop)
    whole_reads.clear()
    cli(capsys, "--db", str(small_shop), "log", "Bo Lee", "--note", "second")
    assert whole_reads == []
    assert small_shop.read_bytes() == whole_bytes(small_shop)
    assert notes(small_shop) == ["", "", "first", "second"]


@pytest.fixture
def archived(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A file whose 2024 entries live in `meetup-2024.json`."""
    monkeypatch.setattr(archives, "this_year", lambda: 2026)
    path = tmp_path / "meetup.json"
    db = Database.open(path, user=USER, create=True)
    ana = db.add(Person(name="Ana Ruiz"))
    old = [
        Interaction(at=f"{y}-03-0{m}T10:00", people=[ana.id], note=f"{y}/{m}")
        for y in (2024, 2026)
        for m in (1, 2)
    ]
    with monkeypatch.context() as patch:
        patch.setattr(archives, "LIMIT_BYTES", 10)
        db.commit(*(db.stamp(e) for e in old))
    assert archives.archive_path(path, 2024).exists()
    return path


def test_a_call_of_an_archived_year_goes_to_its_archive(archived: Path, capsys) -> None:
    cli(capsys, "--db", str(archived), "today")
    before = archives.archive_path(archived, 2024).read_bytes()
    code, _, err = cli(capsys, "--db", str(archived), "log", "Ana Ruiz", "--at", "2024-05-05", "--note", "x")
    assert (code, err) == (0, "")
    after = archives.archive_path(archived, 2024).read_bytes()
    assert after != before
    assert "x" in {d["note"] for d in json.loads(after)["interactions"].values()}
    assert '"note": "x"' not in archived.read_text()


def test_a_call_that_makes_a_year_closed_past_the_threshold_archives_it(
    archived: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli(capsys, "--db", str(archived), "today")
    monkeypatch.setattr(archives, "this_year", lambda: 2027)  # a new year: 2026 is closed now
    monkeypatch.setattr(archives, "LIMIT_BYTES", 10)
    monkeypatch.setenv("MEETUP_TUI_TODAY", "2027-01-02")
    code, _, err = cli(capsys, "--db", str(archived), "log", "Ana Ruiz", "--at", "9:00", "--note", "new year")
    assert (code, err) == (0, "")
    assert archives.archive_path(archived, 2026).exists()
    assert notes(archived) == ["2024/1", "2024/2", "2026/1", "2026/2", "new year"]


def test_a_change_made_after_an_append_in_the_same_process_keeps_the_entry(small_shop: Path, capsys) -> None:
    """The book read whole after an append (for any later change) holds the entry appended:
    the bytes it was opened from are older than the file."""
    cli(capsys, "--db", str(small_shop), "today")
    db = summaries.open_database(small_shop, user=USER, keep=False)
    ana = db.book.find_person("Ana Ruiz")
    db.append_checked(lambda book: [Interaction(at="2026-11-26T10:00", people=[ana.id], note="appended")])
    assert not db.book.whole_read
    db.add(Person(name="Cy Diaz"))
    book = Database.open(small_shop, user="reader").book
    assert "appended" in {i.note for i in book.live_interactions()}
    assert "Cy Diaz" in {p.name for p in book.live_people()}


def test_the_summary_is_made_while_the_file_is_written_and_is_the_files(
    small_shop: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`log` makes the summary it keeps while its entry is written (the processor's work
    beside the disk's): here the write cannot end until that work has run, on the book
    with the entry in it; and the summary kept is the one a whole read makes."""
    cli(capsys, "--db", str(small_shop), "today")
    db = summaries.open_database(small_shop, user=USER, keep=False)
    ana = db.book.find_person("Ana Ruiz")
    made, real_write, real_summarize = threading.Event(), jsonfile.write_atomic, summaries.summarize

    def write_when_made(path: Path, payload: object, **options: object) -> object:
        if path == small_shop:  # (not the backup)
            assert made.wait(timeout=10), "the write waited for the summary: made after it, not beside it"
        return real_write(path, payload, **options)

    def summarize(book: Book) -> dict:
        summary = real_summarize(book)
        assert "beside" in {doc["note"] for doc in summary["entries"]}  # the entry is in it
        made.set()
        return summary

    entry = Interaction(at="2026-11-26T10:00", people=[ana.id], note="beside", next_step="bring samples")
    with monkeypatch.context() as patch:
        patch.setattr(jsonfile, "write_atomic", write_when_made)
        patch.setattr(summaries, "summarize", summarize)
        summaries.log_entry(db, lambda book: [entry])
    assert made.is_set() and not db.book.whole_read and db.pending == 0
    fresh = summaries.open_database(small_shop, user=USER, keep=False)
    assert isinstance(fresh.book, SummaryBook)  # the summary kept is the new file's
    whole = Database.open(small_shop, user="reader").book
    assert "bring samples" in [s.next_step for s in fresh.book.open_steps(ana.id)]
    assert fresh.book.open_steps(ana.id) == whole.open_steps(ana.id)
    assert fresh.book.last_contact(ana.id) == whole.last_contact(ana.id)


def test_a_write_that_fails_on_the_fast_way_leaves_the_file_and_keeps_the_entry_for_the_next(
    small_shop: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli(capsys, "--db", str(small_shop), "today")
    before = small_shop.read_bytes()
    db = summaries.open_database(small_shop, user=USER, keep=False)
    ana = db.book.find_person("Ana Ruiz")

    real_write = jsonfile.write_atomic

    def full_disk(path: Path, payload: object, **options: object) -> object:
        if path == small_shop:  # (not the backup)
            raise StoreError("Could not save it: No space left on device; the file was left as it was.")
        return real_write(path, payload, **options)

    entry = Interaction(at="2026-11-26T10:00", people=[ana.id], note="kept")
    with monkeypatch.context() as patch:
        patch.setattr(jsonfile, "write_atomic", full_disk)
        with pytest.raises(StoreError, match="No space left"):
            summaries.log_entry(db, lambda book: [entry])
    assert small_shop.read_bytes() == before
    assert db.pending == 1  # as a change that could not be saved: still to write
    summaries.log_entry(db, lambda book: [Interaction(at="2026-11-26T11:00", people=[ana.id], note="next")])
    assert notes(small_shop) == ["", "", "kept", "next"]  # the next call wrote it too
    db.add(Person(name="Cy Diaz"))
    assert db.pending == 0 and small_shop.read_bytes() == whole_bytes(small_shop)
