"""Where the database file lives: --db, else $MEETUP_TUI_DB, else the user data folder."""

from __future__ import annotations

import os
from pathlib import Path

from meetup_tui.store.jsonfile import database_file

APP_NAME = "meetup-tui"
FILE_NAME = "meetup.json"


def default_db_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False) / FILE_NAME


def resolve_db_path(cli_value: str | None) -> Path:
    """The real database file: a symbolic link is followed here, once, so its lock, backups
    and conflicted copies are those beside the file it points at.  A link to nothing, a loop
    of links, or a FIFO or device is a StoreError at once (nothing is created or read)."""
    chosen = cli_value or os.environ.get("MEETUP_TUI_DB")
    return database_file(Path(chosen).expanduser() if chosen else default_db_path())
