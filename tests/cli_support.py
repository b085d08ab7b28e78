"""Helpers for the CLI test files: an isolated environment, and ways to run `meetup-tui`.

Imported by name (`from cli_support import ...`): pytest's default import mode puts this
folder on sys.path, as tests/ has no __init__.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from meetup_tui.cli.main import main

USER = "tester@test"
CLEARED = ("MEETUP_TUI_DB", "MEETUP_TUI_USER", "MEETUP_TUI_TODAY")


def isolate_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, user: str) -> None:
    """No database, user or day from whoever runs the tests: `user` works, data under tmp_path."""
    for var in CLEARED:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("MEETUP_TUI_USER", user)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run `meetup-tui *args` in this process: exit code, stdout, stderr."""
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def subprocess_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment for a child process: no MEETUP_TUI_* of ours, then USER and `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEETUP_TUI_")}
    env.update(MEETUP_TUI_USER=USER, XDG_DATA_HOME=str(tmp_path / "xdg"))
    env.update(extra)
    return env


def run_cli(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run `python -m meetup_tui *args` in a real process, in `tmp_path`."""
    return subprocess.run(
        [sys.executable, "-m", "meetup_tui", *args],
        cwd=tmp_path,
        env=subprocess_env(tmp_path, **env),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )


def tables(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def people_docs(path: Path) -> list[dict]:
    return list(tables(path)["people"].values())


def today_json(capsys: pytest.CaptureFixture[str], db: Path, day: str) -> list[dict]:
    code, out, err = cli(capsys, "--db", str(db), "--today", day, "today", "--json")
    assert code == 0, err
    return json.loads(out)


def add(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> None:
    code, out, err = cli(capsys, "--db", str(db), "add", *args)
    assert code == 0, err
