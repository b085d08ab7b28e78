"""`meetup-tui history NAME [--json]`: every entry with a person, newest first, whole."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_support import add, cli


def run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    return cli(capsys, "--db", str(db), "--today", "2026-11-27", *args)


@pytest.fixture
def book(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Path:
    db = tmp_path / "shop.json"
    add(capsys, db, "Ana Ruiz")
    add(capsys, db, "Bo Lee")
    add(capsys, db, "[bold]Cy[/] Moss")
    for args in (
        ["Ana Ruiz", "--at", "2026-11-02 09:00", "--kind", "coffee", "--where", "Café Nero", "--note", "first"],
        ["Ana Ruiz,Bo Lee", "--at", "2026-11-20 14:30", "--kind", "visit", "--learned", "wants a rack",
         "--next", "send the price list", "--follow-up", "2026-12-01"],
        ["Ana Ruiz", "--at", "2026-11-25 10:00", "--outcome", "attempt", "--note", "voicemail"],
        ["Bo Lee", "--at", "2026-11-26 10:00", "--note", "only Bo"],
    ):  # fmt: skip
        code, _out, err = run(capsys, db, "log", *args)
        assert code == 0, err
    return db


def test_history_lists_every_entry_with_the_person_newest_first(
    capsys: pytest.CaptureFixture[str], book: Path
) -> None:
    code, out, _err = run(capsys, book, "history", "ana")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Ana Ruiz: 3 entries, 2 conversations."
    heads = [line for line in lines if line and not line.startswith((" ", "Ana"))]
    assert heads == [
        "Wednesday 25 November 2026 10:00 (2 days ago)  ✗ attempt: call",
        "Friday 20 November 2026 14:30 (7 days ago)  ✓ visit with Bo Lee",
        "Monday 2 November 2026 09:00 (3 weeks ago)  ✓ coffee · Café Nero",
    ]
    assert "   note: voicemail" in lines and "   learned: wants a rack" in lines
    assert "   next step: send the price list (by Tuesday 1 December 2026) — open" in lines
    assert "only Bo" not in out


def test_history_json_is_the_entries_with_names(capsys: pytest.CaptureFixture[str], book: Path) -> None:
    code, out, _err = run(capsys, book, "history", "Bo Lee", "--json")
    assert code == 0
    docs = json.loads(out)
    assert [d["note"] for d in docs] == ["only Bo", ""]
    assert docs[1]["names"] == ["Ana Ruiz", "Bo Lee"] and docs[1]["next_step"] == "send the price list"
    assert all("_v" not in d for d in docs)


def test_history_of_someone_never_logged_and_of_no_one(
    capsys: pytest.CaptureFixture[str], book: Path
) -> None:
    code, out, _err = run(capsys, book, "history", "Moss")
    assert code == 0 and out.startswith("[bold]Cy[/] Moss: 0 entries.") and "Nothing logged yet" in out
    code, out, err = run(capsys, book, "history", "Nobody")
    assert (code, out) == (1, "") and "No one called 'Nobody'" in err
