"""Where the database file lives: --db, else $MEETUP_TUI_DB, else the user data folder."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "meetup-tui"
FILE_NAME = "meetup.json"


def default_db_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False) / FILE_NAME


def resolve_db_path(cli_value: str | None) -> Path:
    chosen = cli_value or os.environ.get("MEETUP_TUI_DB")
    return Path(chosen).expanduser() if chosen else default_db_path()
