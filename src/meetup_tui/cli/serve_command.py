"""`meetup-tui serve`: the app in a browser (issue 12, part 5).  To be built."""

from __future__ import annotations

from typing import Any


def add_parser(sub: Any) -> None:
    """Registers `serve` (not yet)."""
