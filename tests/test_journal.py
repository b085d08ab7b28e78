"""What this machine acknowledged, it remembers (store/journal.py), and every command catches
up with the copies beside the file (store/catch_up.py): tried as a sync client would break
things -- an older copy put back, ours moved into a copy that is then deleted -- with no app
running, and each time the file on disk is what is checked."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from cli_support import cli, isolate_env, tables
from meetup_tui.domain.records import Interaction
from meetup_tui.store import journal, jsonfile
from meetup_tui.store.database import Database
from meetup_tui.store.journal import Journal

USER = "alex@a"


@pytest.fixture(autouse=True)
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate_env(monkeypatch, tmp_path, USER)


def notes(path: Path) -> list[str]:
    """The notes of the live log entries the file holds."""
    return sorted(doc["note"] for doc in tables(path)["interactions"].values() if not doc.get("deleted"))


def names(path: Path) -> list[str]:
    return sorted(doc["name"] for doc in tables(path)["people"].values() if not doc.get("deleted"))


def run(capsys: pytest.CaptureFixture[str], path: Path, *args: str) -> tuple[int, str, str]:
    return cli(capsys, "--db", str(path), *args)


def started(capsys: pytest.CaptureFixture[str], path: Path) -> None:
    assert run(capsys, path, "add", "Sia Alpha")[0] == 0


def their_copy(db_path: Path) -> Path:
    """Another machine's copy of the book, `other/meetup.json` beside the file: made from the
    file the first time, then left to change apart."""
    theirs = db_path.parent / "other" / "meetup.json"
    if not theirs.exists():
        theirs.parent.mkdir()
        shutil.copy2(db_path, theirs)
    return theirs


def on_another_machine(
    capsys: pytest.CaptureFixture[str], db_path: Path, monkeypatch: pytest.MonkeyPatch, *args: str
) -> Path:
    """Run a command as bo@b on another machine (a journal of its own) on its copy of the
    book (`their_copy`); returns that copy."""
    theirs = their_copy(db_path)
    here = os.environ["MEETUP_TUI_JOURNAL"]
    monkeypatch.setenv("MEETUP_TUI_JOURNAL", str(db_path.parent / "journal-of-b"))
    assert cli(capsys, "--db", str(theirs), "--user", "bo@b", *args)[0] == 0
    monkeypatch.setenv("MEETUP_TUI_JOURNAL", here)
    return theirs


def test_an_older_copy_put_back_with_no_app_running_loses_no_entry(
    capsys: pytest.CaptureFixture[str], db_path: Path, tmp_path: Path
) -> None:
    started(capsys, db_path)
    assert run(capsys, db_path, "log", "Sia Alpha", "--note", "first")[0] == 0
    older = tmp_path / "older.json"
    shutil.copy2(db_path, older)
    assert run(capsys, db_path, "log", "Sia Alpha", "--note", "second")[0] == 0
    os.replace(older, db_path)  # a sync client renames an older copy in
    assert notes(db_path) == ["first"]
    code, _out, err = run(capsys, db_path, "log", "Sia Alpha", "--note", "third")
    assert code == 0
    assert notes(db_path) == ["first", "second", "third"]
    assert "Gave back 1 change" in err


def test_a_command_that_only_reads_gives_back_what_the_file_lost_and_says_so(
    capsys: pytest.CaptureFixture[str], db_path: Path, tmp_path: Path
) -> None:
    started(capsys, db_path)
    older = tmp_path / "older.json"
    shutil.copy2(db_path, older)
    assert run(capsys, db_path, "log", "Sia Alpha", "--note", "kept")[0] == 0
    shutil.copyfile(older, db_path)  # written in place: same inode, older bytes
    code, out, err = run(capsys, db_path, "today", "--json")
    assert code == 0 and json.loads(out) is not None
    assert notes(db_path) == ["kept"]
    assert err.count("\n") == 1 and "Gave back 1 change saved on this machine" in err
    # Given back once: the next command has nothing to say.
    assert run(capsys, db_path, "today")[2] == ""


def test_a_machines_own_add_survives_its_file_becoming_a_copy_that_is_then_deleted(
    capsys: pytest.CaptureFixture[str], db_path: Path, tmp_path: Path
) -> None:
    started(capsys, db_path)
    theirs = tmp_path / "theirs.json"
    shutil.copy2(db_path, theirs)  # the other machine's file, without what comes next
    assert run(capsys, db_path, "add", "Aadd00 R2")[0] == 0
    copy = db_path.with_name("meetup.sync-conflict-20261208-100000-ABCDEF7.json")
    os.replace(db_path, copy)  # Syncthing: ours becomes a conflicted copy...
    os.replace(theirs, db_path)  # ...theirs takes its place...
    copy.unlink()  # ...and the copy is deleted (past maxConflicts, or another copy written over it)
    code, _out, err = run(capsys, db_path, "edit", "Aadd00 R2", "--tag", "crew")
    assert code == 0, err
    people = {doc["name"]: doc for doc in tables(db_path)["people"].values()}
    assert people["Aadd00 R2"]["tags"] == ["crew"]


def test_the_journal_is_written_and_flushed_before_the_file(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = Database.open(db_path, user=USER, create=True)
    entry = db.stamp(Interaction(at="2026-12-08T10:00", note="to keep"))
    order: list[str] = []
    real_fsync, real_write = os.fsync, jsonfile.write_atomic

    def fsync(fd: int) -> None:
        if os.path.realpath(f"/proc/self/fd/{fd}") == str(db.journal.path):
            order.append("journal flushed")
        real_fsync(fd)

    def write_atomic(path: Path, payload: object, **kw: object) -> os.stat_result:
        if path == db_path:
            held = db.journal.path.read_text(encoding="utf-8")
            order.append("file written" + (" after the entry was journaled" if entry.id in held else ""))
        return real_write(path, payload, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(jsonfile, "write_atomic", write_atomic)
    db.commit(entry)
    assert order[:2] == ["journal flushed", "file written after the entry was journaled"]


def test_a_journal_that_cannot_be_written_is_said_and_the_change_still_saved(
    capsys: pytest.CaptureFixture[str], db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started(capsys, db_path)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the journal's folder should be")
    monkeypatch.setenv("MEETUP_TUI_JOURNAL", str(blocker / "journal"))
    for args in (("log", "Sia Alpha", "--note", "x"), ("add", "Noor"), ("snooze", "Sia Alpha", "3d")):
        code, _out, err = run(capsys, db_path, *args)
        assert code == 0, err
        assert err.count("\n") == 1 and "Cannot write this machine's journal" in err
        assert "a sync client that puts an older copy back could undo it" in err
    assert notes(db_path) == ["x"] and names(db_path) == ["Noor", "Sia Alpha"]


def test_a_line_journaled_but_never_written_is_taken_in_though_a_summary_matches_the_file(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    """A command killed between its journal and its file: the summary of the file is still
    the file's, but the journal holds more, so the summary is not believed."""
    started(capsys, db_path)
    assert run(capsys, db_path, "log", "Sia Alpha", "--note", "written")[0] == 0
    assert run(capsys, db_path, "today")[0] == 0  # the summary is kept for these bytes
    db = Database.open(db_path, user=USER)
    sia = db.book.find_person("Sia Alpha")
    lost = db.stamp(Interaction(at="2026-12-08T10:00", people=[sia.id], note="journaled only"))
    Journal(db_path).append(db.database_id, [lost])
    code, _out, err = run(capsys, db_path, "log", "Sia Alpha", "--note", "next")  # reads the summary first
    assert code == 0 and "Gave back 1 change" in err
    assert notes(db_path) == ["journaled only", "next", "written"]


def test_a_summary_is_used_again_once_the_file_holds_the_journal(
    capsys: pytest.CaptureFixture[str], db_path: Path, request: pytest.FixtureRequest
) -> None:
    started(capsys, db_path)
    assert run(capsys, db_path, "log", "Sia Alpha", "--note", "one")[0] == 0
    assert run(capsys, db_path, "today")[0] == 0
    opened: list[Path] = request.getfixturevalue("opened")  # spied on from here
    assert run(capsys, db_path, "today")[0] == 0
    assert opened == []  # from the summary: the journal's `.seen` names this very file


def test_old_lines_the_file_holds_are_dropped_and_lines_it_lacks_never(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = Database.open(db_path, user=USER, create=True)
    held = db.stamp(Interaction(at="2026-11-01T10:00", note="in the file"))
    db.commit(held)
    lacking = db.stamp(Interaction(at="2026-11-02T10:00", note="not in the file"))
    db.journal.append(db.database_id, [lacking])  # journaled; the write never came
    later = journal._now_dt() + journal.KEEP * 2
    monkeypatch.setattr(journal, "_now_dt", lambda: later)
    opened = Database.open(db_path, user=USER)
    assert opened.pending == 0  # a Database only reads the file...
    opened.remember()  # ...until it remembers: `lacking` comes in, pending, so nothing is compacted
    assert opened.pending == 1 and len(db.journal.path.read_text().splitlines()) == 2
    opened.sync()  # now the file holds both; the next look compacts
    Database.open(db_path, user=USER).remember()
    kept = [json.loads(line)["doc"]["note"] for line in db.journal.path.read_text().splitlines()]
    assert kept == ["not in the file"]  # journaled "later": still young; the old, held one is gone
    assert notes(db_path) == ["in the file", "not in the file"]


def test_a_command_that_reads_shows_a_copy_and_one_that_writes_settles_it(
    capsys: pytest.CaptureFixture[str], db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started(capsys, db_path)
    theirs = on_another_machine(capsys, db_path, monkeypatch, "add", "Noor Copy")
    copy = db_path.with_name("meetup (Bo's conflicted copy 2026-12-08).json")
    shutil.copy2(theirs, copy)
    before = db_path.read_bytes()
    code, out, _err = run(capsys, db_path, "people", "--json")
    assert code == 0 and "Noor Copy" in {p["name"] for p in json.loads(out)}
    assert db_path.read_bytes() == before and copy.exists()  # shown, not written
    code, _out, err = run(capsys, db_path, "log", "Sia Alpha", "--note", "n")
    assert code == 0 and "Merged meetup (Bo's conflicted copy 2026-12-08).json" in err
    assert not copy.exists() and names(db_path) == ["Noor Copy", "Sia Alpha"]
    assert list((tmp_path / "meetup-conflicts").glob("* meetup (Bo's conflicted copy 2026-12-08).json"))


def test_the_value_that_lost_a_same_field_race_can_be_found(
    capsys: pytest.CaptureFixture[str], db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started(capsys, db_path)
    theirs = their_copy(db_path)  # both machines hold the same book; then apart:
    assert run(capsys, db_path, "edit", "Sia Alpha", "--cadence", "weekly")[0] == 0
    on_another_machine(capsys, db_path, monkeypatch, "edit", "Sia Alpha", "--cadence", "monthly")
    os.replace(db_path, db_path.with_name("meetup.sync-conflict-20261208-100200-ABCDEF7.json"))
    shutil.copy2(theirs, db_path)
    assert run(capsys, db_path, "doctor", "--merge")[0] == 0
    person = next(iter(tables(db_path)["people"].values()))
    assert person["cadence"] == "FREQ=MONTHLY"
    code, out, _err = run(capsys, db_path, "history", "Sia Alpha")
    assert code == 0
    line = next(line for line in out.splitlines() if "also set to" in line)
    assert "Sia Alpha, cadence: also set to weekly by alex@a" in line and "kept: monthly, by bo@b" in line
    report = json.loads(run(capsys, db_path, "doctor", "--json")[1])
    assert [(o["field"], o["value"], o["by"]) for o in report["overruled"]] == [
        ("cadence", "FREQ=WEEKLY", "alex@a")
    ]


def test_doctor_warns_when_syncthing_is_about_to_delete_copies(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    started(capsys, db_path)
    for n in range(10):
        shutil.copy2(db_path, db_path.with_name(f"meetup.sync-conflict-20261208-1000{n:02d}-ABCDEF7.json"))
    _code, out, _err = run(capsys, db_path, "doctor")
    assert "Syncthing keeps at most 10 conflicted copies" in out
    os.unlink(db_path.with_name("meetup.sync-conflict-20261208-100000-ABCDEF7.json"))
    assert "Syncthing keeps at most" not in run(capsys, db_path, "doctor")[1]


def test_an_id_held_twice_is_merged_and_said_once(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    started(capsys, db_path)
    data = tables(db_path)
    doc = data["people"]["1"]
    data["people"]["2"] = {**doc, "phones": ["555 0100"]}  # a hand edit left the record twice
    db_path.write_text(json.dumps(data), encoding="utf-8")
    code, _out, err = run(capsys, db_path, "log", "Sia Alpha", "--note", "x")
    assert (
        code == 0
        and err == f"meetup-tui: The file had the id {doc['id']} twice in people (merged into one record).\n"
    )
    assert [p["id"] for p in tables(db_path)["people"].values()] == [doc["id"]]  # written once
    assert run(capsys, db_path, "today")[2] == ""  # said once: the file holds it once now
