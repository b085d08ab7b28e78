"""Settings: the documented defaults, every bad value naming its key, and the TOML file."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import tomllib
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest

from meetup_tui.domain import settings as settings_module
from meetup_tui.domain.errors import UserError
from meetup_tui.domain.records import STAGES
from meetup_tui.domain.settings import DEFAULTS_TOML, Settings, SettingsError, Weights, settings_from_dict
from meetup_tui.store.jsonfile import StoreError
from meetup_tui.store.settings_file import BadSettings, load_settings, settings_path

# -- the defaults ------------------------------------------------------------------------------


def test_the_defaults() -> None:
    found = Settings()
    assert found.daily_cap == 5
    assert found.default_cadence == "FREQ=MONTHLY"
    assert found.stages == STAGES
    assert dict(found.stage_weights) == {"lead": 3.0, "advocate": 2.0}
    assert (found.birthday_days, found.introduction_days, found.attempt_retry_days) == (7, 30, 2)
    assert (found.overdue_cap, found.dayfirst, found.open_on) == (3.0, False, "main")
    assert found.weights == Weights(
        overdue=10.0,
        follow_up=12.0,
        introduction=9.0,
        never_contacted=6.0,
        attempt=4.0,
        birthday=4.0,
        influence=2.0,
        untouched_connector=5.0,
    )
    assert settings_from_dict({}) == found


def test_the_example_file_is_the_defaults_and_documents_every_key() -> None:
    assert settings_from_dict(tomllib.loads(DEFAULTS_TOML)) == Settings()
    doc = settings_module.__doc__ or ""
    keys = [f.name for f in fields(Settings) if f.name not in ("weights", "stage_weights")]
    for key in keys + [f.name for f in fields(Weights)]:
        assert f"\n{key} = " in DEFAULTS_TOML, key
        assert f"{key} = " in doc, key
    assert "[weights]" in DEFAULTS_TOML and "[stage_weights]" in DEFAULTS_TOML and "[weights]" in doc


def test_values_are_read() -> None:
    found = settings_from_dict(
        {
            "daily_cap": 8,
            "default_cadence": "every 2 weeks",
            "stages": ["cold", "warm", "friend"],
            "stage_weights": {"warm": 2, "friend": 0.5},
            "weights": {"influence": 3, "birthday": 0},
            "birthday_days": 0,
            "introduction_days": 14,
            "attempt_retry_days": 3,
            "overdue_cap": 2,
            "dayfirst": True,
            "open_on": "checkin",
        }
    )
    assert found.daily_cap == 8 and found.default_cadence == "FREQ=WEEKLY;INTERVAL=2"
    assert found.stages == ("cold", "warm", "friend")
    assert dict(found.stage_weights) == {"warm": 2.0, "friend": 0.5}
    assert found.weights == Weights(influence=3.0, birthday=0.0), "keys not given keep their defaults"
    assert (found.birthday_days, found.introduction_days, found.attempt_retry_days) == (0, 14, 3)
    assert (found.overdue_cap, found.dayfirst, found.open_on) == (2.0, True, "checkin")


def test_new_stages_keep_the_default_weights_of_the_stages_still_there() -> None:
    assert dict(settings_from_dict({"stages": ["prospect", "lead", "fan"]}).stage_weights) == {"lead": 3.0}


# -- bad values name their key -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"weights": {"influence": "lots"}}, "Setting weights.influence must be a number, not 'lots'."),
        ({"weights": {"overdue": -1}}, "Setting weights.overdue must be a number of 0 or more, not -1."),
        ({"weights": {"birthday": True}}, "Setting weights.birthday must be a number, not true."),
        ({"weights": {"attempt": float("nan")}}, "Setting weights.attempt must be a number of 0 or more"),
        ({"weights": 3}, "Setting weights must be a table ([weights]), not 3."),
        ({"daily_cap": 0}, "Setting daily_cap must be a whole number of 1 or more, not 0."),
        ({"daily_cap": 2.5}, "Setting daily_cap must be a whole number, not 2.5."),
        ({"daily_cap": "5"}, "Setting daily_cap must be a whole number, not '5'."),
        ({"birthday_days": -1}, "Setting birthday_days must be a whole number from 0 to 365, not -1."),
        ({"introduction_days": []}, "Setting introduction_days must be a whole number, not a list."),
        ({"attempt_retry_days": 400}, "Setting attempt_retry_days must be a whole number from 0 to 365"),
        ({"overdue_cap": 0.5}, "Setting overdue_cap must be a number of 1 or more, not 0.5."),
        ({"default_cadence": "sometimes"}, "Setting default_cadence must be a cadence such as"),
        ({"default_cadence": 30}, "Setting default_cadence must be words like"),
        ({"stages": "lead"}, "Setting stages must be a list of stage names, not 'lead'."),
        ({"stages": []}, "Setting stages must be a list of stage names"),
        ({"stages": ["lead", 3]}, "Setting stages must list names, and 3 is not one."),
        ({"stages": ["lead", "Lead"]}, "Setting stages names 'Lead' twice."),
        (
            {"stage_weights": {"leed": 1}},
            "Setting stage_weights.leed names no stage; the stages are stranger,",
        ),
        ({"stage_weights": {"lead": "high"}}, "Setting stage_weights.lead must be a number, not 'high'."),
        ({"stage_weights": ["lead"]}, "Setting stage_weights must be a table ([stage_weights]), not a list."),
        ({"dayfirst": "yes"}, "Setting dayfirst must be true or false, not 'yes'."),
        ({"open_on": "today"}, 'Setting open_on must be "main" or "checkin", not \'today\'.'),
    ],
)
def test_each_bad_value_names_its_key(data: dict[str, Any], message: str) -> None:
    with pytest.raises(SettingsError) as caught:
        settings_from_dict(data)
    assert str(caught.value).startswith(message)
    assert isinstance(caught.value, UserError)


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"daly_cap": 5}, "daly_cap"),
        ({"weights": {"influance": 2}}, "weights.influance"),
        ({"Weights": {}}, "Weights"),
    ],
)
def test_an_unknown_key_is_an_error_naming_it(data: dict[str, Any], key: str) -> None:
    with pytest.raises(SettingsError, match=rf"^Unknown setting {key}; the known ones are "):
        settings_from_dict(data)


# -- the file ----------------------------------------------------------------------------------


@pytest.fixture
def settings_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "conf" / "settings.toml"
    monkeypatch.setenv("MEETUP_TUI_SETTINGS", str(path))
    return path


def test_no_file_means_the_defaults(settings_file: Path) -> None:
    assert not settings_file.exists()
    assert settings_path() == settings_file
    assert load_settings() == Settings()


def test_the_environment_variable_names_the_file(settings_file: Path) -> None:
    settings_file.parent.mkdir()
    settings_file.write_text("daily_cap = 3\n[weights]\nbirthday = 0\n", encoding="utf-8")
    found = load_settings()
    assert found.daily_cap == 3 and found.weights.birthday == 0.0
    assert load_settings(settings_file) == found


def test_without_the_variable_the_file_is_in_the_user_config_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MEETUP_TUI_SETTINGS", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    if sys.platform.startswith("linux"):
        assert settings_path() == tmp_path / "xdg" / "meetup-tui" / "settings.toml"
    assert settings_path().parts[-2:] == ("meetup-tui", "settings.toml")
    assert load_settings() == Settings()


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('daily_cap = 5\nstages = ["a",\n  "b" "c"]\n', "at line 3, column 7."),
        ("daily_cap = \n", "at line 1, column 13."),
        ("[weights]\noverdue = 1\noverdue = 2", "at line 3, column 12."),
    ],
)
def test_a_toml_syntax_error_says_the_file_line_and_column(
    settings_file: Path, text: str, where: str
) -> None:
    settings_file.parent.mkdir()
    settings_file.write_text(text, encoding="utf-8")
    with pytest.raises(BadSettings) as caught:
        load_settings()
    message = str(caught.value)
    assert message.startswith(f"The settings file {settings_file} is not valid TOML: ")
    assert message.endswith(where)
    assert isinstance(caught.value, StoreError) and "\n" not in message


def test_a_bad_value_in_the_file_names_the_key_and_the_file(settings_file: Path) -> None:
    settings_file.parent.mkdir()
    settings_file.write_text('[weights]\ninfluence = "lots"\n', encoding="utf-8")
    with pytest.raises(BadSettings) as caught:
        load_settings()
    assert (
        str(caught.value) == f"Setting weights.influence must be a number, not 'lots' (in {settings_file})."
    )


def test_a_file_that_is_not_text_or_not_a_file(settings_file: Path) -> None:
    settings_file.parent.mkdir()
    settings_file.write_bytes(b"daily_cap = 5\n\xff\xfe")
    with pytest.raises(BadSettings, match="is not UTF-8 text"):
        load_settings()
    settings_file.unlink()
    settings_file.mkdir()
    with pytest.raises(BadSettings, match="is a folder, not a file"):
        load_settings()


def test_nothing_is_read_at_import_time(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text("daily_cap = 2\n", encoding="utf-8")
    code = textwrap.dedent(
        """
        import sys
        opened = []
        sys.addaudithook(lambda event, args: event == "open" and opened.append(str(args[0])))
        import meetup_tui.store.settings_file as settings_file
        import meetup_tui.domain.outreach, meetup_tui.domain.settings, meetup_tui.cli.main
        wanted = sys.argv[1]
        at_import = [p for p in opened if p == wanted]
        loaded = settings_file.load_settings()
        print(len(at_import), len([p for p in opened if p == wanted]), loaded.daily_cap)
        """
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEETUP_TUI_")}
    env["MEETUP_TUI_SETTINGS"] = str(path)
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["0", "1", "2"]
