"""Helpers for the fault tests (no tests here): run the real CLI or a script in a child process."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from meetup_tui.store import backups

CHILD_TIMEOUT = 60


def temp_debris(path: Path) -> list[Path]:
    """Temporary files of `path` (as write_atomic names them) and of its backups."""
    found = list(path.parent.glob(f".~{path.name}.*.tmp"))
    return found + list(backups.backup_folder(path).glob(".~*.tmp"))


def cli(db: Path, *args: str, user: str = "tester@shop", **kw: object) -> subprocess.CompletedProcess[str]:
    """Run the real command line on `db`."""
    command = [sys.executable, "-m", "meetup_tui", "--db", str(db), "--user", user, *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=CHILD_TIMEOUT, **kw)  # type: ignore[call-overload]


def child(script: str, *args: str, **kwargs: object) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script), *args],
        text=True,
        **kwargs,  # type: ignore[call-overload]
    )
