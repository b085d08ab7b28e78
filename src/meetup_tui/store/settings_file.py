"""The settings file: TOML in the user config folder, or wherever $MEETUP_TUI_SETTINGS says.

`meetup-tui/settings.toml` under platformdirs' user config dir (~/.config on Linux).  A
missing file means the defaults; a file that is not TOML, or holds a bad value, is a
StoreError sentence naming the file (and the line and column, or the key).  Nothing is
read until `load_settings` is called.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

from meetup_tui.domain.settings import Settings, SettingsError, settings_from_dict
from meetup_tui.store.jsonfile import StoreError
from meetup_tui.store.paths import APP_NAME

FILE_NAME = "settings.toml"
ENV_VAR = "MEETUP_TUI_SETTINGS"
_WHERE = re.compile(r"^(?P<msg>.*?)\s*\(at (?:line (?P<line>\d+), column (?P<col>\d+)|end of document)\)$")


class BadSettings(StoreError):
    """The settings file cannot be used; the message names the file and what is wrong."""


def settings_path() -> Path:
    """$MEETUP_TUI_SETTINGS, else settings.toml in the user config folder."""
    chosen = os.environ.get(ENV_VAR)
    if chosen:
        return Path(chosen).expanduser()
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False) / FILE_NAME


def load_settings(path: Path | None = None) -> Settings:
    """The settings in `path` (default: `settings_path()`); the defaults if there is no file."""
    path = settings_path() if path is None else path
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Settings()
    except IsADirectoryError:
        raise BadSettings(f"The settings file {path} is a folder, not a file.") from None
    except PermissionError:
        raise BadSettings(f"Permission denied reading the settings file {path}.") from None
    except OSError as exc:
        raise BadSettings(f"Cannot read the settings file {path}: {exc.strerror}.") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadSettings(f"The settings file {path} is not UTF-8 text (byte {exc.start}).") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise BadSettings(_syntax_error(path, str(exc), text)) from None
    try:
        return settings_from_dict(data)
    except SettingsError as exc:
        raise BadSettings(f"{str(exc).rstrip('.')} (in {path}).") from None


def _syntax_error(path: Path, message: str, text: str) -> str:
    """ "... is not valid TOML: invalid value at line 3, column 12." (tomllib's message, reworded)."""
    where = _WHERE.match(message)
    if where is None:
        return f"The settings file {path} is not valid TOML: {message}."
    what = where["msg"][:1].lower() + where["msg"][1:]
    if where["line"]:
        line, column = int(where["line"]), int(where["col"])
    else:  # "at end of document": the position just after the last character
        lines = text.split("\n")
        line, column = len(lines), len(lines[-1]) + 1
    return f"The settings file {path} is not valid TOML: {what} at line {line}, column {column}."
