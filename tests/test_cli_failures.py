"""CLI failures: exit code, one sentence, the file's bytes unchanged; broken files, interrupts, pipes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from cli_support import USER, add, cli, isolate_env, run_cli, subprocess_env
from meetup_tui.domain.records import Person
from meetup_tui.store.database import Database


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate_env(monkeypatch, tmp_path, USER)


# -- failures: exit code, one sentence, and the file's bytes unchanged ---------------------


@pytest.fixture
def two_anas(capsys: pytest.CaptureFixture[str], db_path: Path) -> Path:
    add(capsys, db_path, "Ana Ruiz", "--segment", "Runners")
    add(capsys, db_path, "Ana Lee")
    return db_path


FAILURES = [
    (["log", "Ana"], 1, ["Ana Lee", "Ana Ruiz"]),
    (["log", "Zed"], 1, ["'Zed'"]),
    (["snooze", "Zed", "3d"], 1, ["'Zed'"]),
    (["snooze", "Ana Ruiz", "yesterday"], 2, ["a snooze needs a day after today"]),
    (["snooze", "Ana Ruiz", "someday"], 2, ["'someday'"]),
    (["log", "Ana Ruiz", "--at", "someday soon"], 2, ["'someday soon'"]),
    (["log", "Ana Ruiz", "--at", "tomorrow"], 2, ["after today"]),
    (["log", "Ana Ruiz", "--follow-up", "13/45"], 2, ["'13/45'"]),
    (["log", "Ana Ruiz", "--kind", "walk"], 2, ["--kind"]),
    (["add", "Bo", "--cadence", "every blue moon"], 2, ["'every blue moon'"]),
    (["add", "ana  RUIZ"], 1, ["'Ana Ruiz' is already in the book"]),
    (["add", "Bo", "--influence", "6"], 2, ["--influence"]),
    (["add", "Bo", "--stage", "friend"], 2, ["--stage"]),
    (["add", "Bo", "--channel", "fax"], 2, ["--channel"]),
    (["add", "Bo", "--introduced-by", "Ana"], 1, ["Ana Lee", "Ana Ruiz"]),
    (["add", "   "], 2, ["name is empty"]),
    (["add", "Bo", "--birthday", "March"], 2, ["'March'", "a day and a month"]),
    (["add", "Bo", "--birthday", "3 may 2030"], 2, ["after today"]),
    (["--today", "2026-02-30", "today"], 2, ["2026-02-30"]),
    (["--today", "next week", "today"], 2, ["YYYY-MM-DD"]),
    (["today", "--limit", "-1"], 2, ["--limit", "0 or more"]),
    (["today", "--limit", "two"], 2, ["--limit", "'two'"]),
    (["people", "--segment", "Nope"], 1, ["'Nope'", "Runners"]),
    (["post", "Instagram", "--likes", "-1"], 2, ["--likes"]),
    (["post", "Instagram", "--at", "in 2 days"], 2, ["after today"]),
    (["frobnicate"], 2, ["frobnicate"]),
    (["demo", "--no-open"], 1, ["already exists"]),
]


@pytest.mark.parametrize(("args", "code", "words"), FAILURES, ids=lambda v: str(v))
def test_failures_explain_and_leave_the_file_alone(
    capsys: pytest.CaptureFixture[str], two_anas: Path, args: list[str], code: int, words: list[str]
) -> None:
    before = two_anas.read_bytes()
    got, out, err = cli(capsys, "--db", str(two_anas), "--today", "2026-12-20", *args)
    assert got == code
    assert err.startswith("meetup-tui: ") and err.count("\n") == 1, err
    assert "Traceback" not in err and out == ""
    for word in words:
        assert word in err
    assert two_anas.read_bytes() == before


def test_bad_today_from_the_environment_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], two_anas: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MEETUP_TUI_TODAY", "tomorrow")
    code, out, err = cli(capsys, "--db", str(two_anas), "today")
    assert code == 2 and "MEETUP_TUI_TODAY" in err
    monkeypatch.setenv("MEETUP_TUI_TODAY", "2026-12-20")
    code, out, err = cli(capsys, "--db", str(two_anas), "today")
    assert code == 0 and out.startswith("Sunday 20 December 2026")


@pytest.mark.parametrize(
    "args", [["today"], ["people"], ["log", "Ana"], ["snooze", "Ana", "3d"], ["today", "--json"]]
)
def test_missing_file_says_how_to_start(
    capsys: pytest.CaptureFixture[str], db_path: Path, args: list[str]
) -> None:
    code, out, err = cli(capsys, "--db", str(db_path), *args)
    assert code == 1 and out == ""
    assert str(db_path) in err
    assert "meetup-tui add NAME" in err and "meetup-tui demo" in err
    assert not db_path.exists()


@pytest.mark.parametrize(
    "args",
    [
        ["add", "Bo", "--cadence", "whenever"],
        ["add", "Bo", "--introduced-by", "Nobody"],
        ["post", "Instagram", "--at", "gibberish"],
    ],
)
def test_failed_add_or_post_does_not_create_the_file(
    capsys: pytest.CaptureFixture[str], db_path: Path, args: list[str]
) -> None:
    code, _out, _err = cli(capsys, "--db", str(db_path), *args)
    assert code in (1, 2)
    assert not db_path.exists()


@pytest.mark.parametrize(
    "args", [["today"], ["people", "--json"], ["add", "Bo"], ["log", "Ana"], ["post", "X"]]
)
def test_broken_file_is_refused_with_line_and_column(
    capsys: pytest.CaptureFixture[str], db_path: Path, args: list[str]
) -> None:
    db_path.write_bytes(b'{"people": {\n  "1": {"name": "Ana",,}\n}')
    before = db_path.read_bytes()
    code, out, err = cli(capsys, "--db", str(db_path), *args)
    assert code == 1 and out == ""
    assert "line 2" in err and "column" in err and str(db_path) in err
    assert db_path.read_bytes() == before


def test_broken_file_through_a_real_process(tmp_path: Path) -> None:
    (tmp_path / "x.json").write_text("[1, 2", encoding="utf-8")
    done = run_cli(tmp_path, "--db", "x.json", "people")
    assert done.returncode == 1
    assert done.stderr.startswith("meetup-tui: ") and "line 1" in done.stderr
    assert "Traceback" not in done.stderr
    assert (tmp_path / "x.json").read_text(encoding="utf-8") == "[1, 2"


# -- interrupts, pipes ------------------------------------------------------------------------


def test_interrupt_and_broken_pipe_are_quiet(
    capsys: pytest.CaptureFixture[str], two_anas: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from meetup_tui.cli import commands

    def interrupted(*_args: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(commands, "run_people", interrupted)
    code, _out, err = cli(capsys, "--db", str(two_anas), "people")
    assert code == 130 and err == "meetup-tui: interrupted.\n"


def test_output_into_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    db = Database.open(path, user=USER, create=True)
    db.commit(*(Person(name=f"Person {n:05d}", phones=["+1 555 0100"]) for n in range(4000)))
    proc = subprocess.Popen(
        [sys.executable, "-m", "meetup_tui", "--db", str(path), "people"],
        cwd=tmp_path,
        env=subprocess_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.readline().startswith(b"Person 00000")
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.wait(timeout=60)
    assert err == ""
    assert proc.returncode == 141
