"""Helpers for pilot tests of the app and the file changing underneath it.

Imported by name (`from sync_support import ...`), like cli_support.
"""

from __future__ import annotations

import pytest

from meetup_tui.ui.widgets import file_sync


def poll_fast(monkeypatch: pytest.MonkeyPatch) -> None:
    """The app checks the file every 0.1 s, retries a failed save after 0.2 s, and looks for
    conflicted copies every second poll: what takes seconds for a user takes a blink here."""
    monkeypatch.setattr(file_sync, "POLL_SECONDS", 0.1)
    monkeypatch.setattr(file_sync, "RETRY_SECONDS", 0.2)
    monkeypatch.setattr(file_sync, "COPIES_EVERY", 2)


async def wait_until(pilot, condition, seconds: float = 20.0) -> None:
    """Let the app run until `condition()` holds (failing the test after `seconds`)."""
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    assert condition()
