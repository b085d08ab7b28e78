"""Who is making changes: --user, else $MEETUP_TUI_USER, else user@host."""

from __future__ import annotations

import getpass
import os
import socket


def resolve_user(cli_value: str | None) -> str:
    chosen = cli_value or os.environ.get("MEETUP_TUI_USER")
    if chosen:
        return chosen
    try:
        login = getpass.getuser()
    except Exception:  # no passwd entry (containers) and no $USER
        login = "someone"
    return f"{login}@{socket.gethostname().split('.')[0] or 'localhost'}"
