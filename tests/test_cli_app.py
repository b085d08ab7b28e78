"""Opening the app and the demo from the CLI (Textual stand-ins), and every command's --help."""

from __future__ import annotations

import json
import sys
import types
from datetime import date
from pathlib import Path

import pytest

from cli_support import USER, cli, isolate_env, run_cli
from meetup_tui.domain.records import Person
from meetup_tui.store.database import Database


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate_env(monkeypatch, tmp_path, USER)


# -- the app and the demo (Textual stand-ins: the headless path is what is tested) -----------


class FakeApp:
    opened: list[tuple[Database, object]] = []
    settings: list[object] = []  # what each opening was given
    return_code = 0  # as Textual's App after a normal quit

    def __init__(self, db: Database, clock: object, settings: object = None, *, drawn: object = None) -> None:
        self.db, self.clock, self.given = db, clock, settings
        assert callable(drawn)  # told when its first screen is drawn: it freezes what that built

    def run(self) -> None:
        FakeApp.opened.append((self.db, self.clock))
        FakeApp.settings.append(self.given)


@pytest.fixture
def fake_app(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Database, object]]:
    FakeApp.opened, FakeApp.settings = [], []
    module = types.ModuleType("meetup_tui.ui.app")
    module.MeetupApp = FakeApp  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "meetup_tui.ui", types.ModuleType("meetup_tui.ui"))
    monkeypatch.setitem(sys.modules, "meetup_tui.ui.app", module)
    return FakeApp.opened


def test_no_command_opens_the_app_on_the_file(
    capsys: pytest.CaptureFixture[str], db_path: Path, fake_app: list
) -> None:
    code, _out, err = cli(capsys, "--db", str(db_path), "--user", "kim", "--today", "2026-12-20")
    assert code == 0, err
    [(db, clock)] = fake_app
    assert db.path == db_path and db.user == "kim" and db_path.exists()
    assert clock.today() == date(2026, 12, 20)


def test_the_app_gets_the_settings_file_and_a_bad_one_creates_nothing(
    capsys: pytest.CaptureFixture[str], db_path: Path, fake_app: list, fake_demo: list,
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    settings = tmp_path / "settings.toml"
    monkeypatch.setenv("MEETUP_TUI_SETTINGS", str(settings))
    settings.write_text("daily_cap = 3\nwieghts = 1\n")
    for args in ([], ["demo"]):
        code, out, err = cli(capsys, "--db", str(db_path), *args)
        assert (code, out) == (1, "") and "Unknown setting wieghts" in err and err.count("\n") == 1
        assert not db_path.exists() and fake_app == [] and fake_demo == []
    settings.write_text("daily_cap = 3\n")
    code, _out, err = cli(capsys, "--db", str(db_path))
    assert code == 0, err
    [given] = FakeApp.settings
    assert given.daily_cap == 3  # type: ignore[attr-defined]


@pytest.fixture
def fake_demo(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Path, date, str]]:
    calls: list[tuple[Path, date, str]] = []

    def write_demo(path: Path, today: date, user: str) -> Database:
        calls.append((path, today, user))
        db = Database.open(path, user=user, create=True)
        db.add(Person(name="Demo Person"))
        return db

    module = types.ModuleType("meetup_tui.demo")
    module.write_demo = write_demo  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "meetup_tui.demo", module)
    return calls


def test_demo_no_open_prints_only_a_fresh_path(
    capsys: pytest.CaptureFixture[str], fake_demo: list, fake_app: list, monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:  # fmt: skip
    monkeypatch.setenv("MEETUP_TUI_DB", str(tmp_path / "real.json"))  # never the user's own file
    code, out, err = cli(capsys, "--today", "2026-12-20", "demo", "--no-open")
    assert code == 0, err
    path = Path(out.strip())
    assert out.count("\n") == 1 and path.exists() and not (tmp_path / "real.json").exists()
    shown = [p for p in path.parent.iterdir() if not p.name.startswith(".")]  # not the lock file
    assert shown == [path]  # a folder of its own
    assert fake_demo == [(path, date(2026, 12, 20), USER)]
    assert fake_app == []


def test_demo_into_a_new_db_opens_the_app(
    capsys: pytest.CaptureFixture[str], fake_demo: list, fake_app: list, db_path: Path
) -> None:
    code, out, err = cli(capsys, "--db", str(db_path), "demo")
    assert code == 0, err
    assert str(db_path) in out
    [(db, _clock)] = fake_app
    assert db.path == db_path and [p.name for p in db.book.live_people()] == ["Demo Person"]


def test_real_demo_writes_a_database_the_commands_read(tmp_path: Path) -> None:
    demo = pytest.importorskip("meetup_tui.demo")
    if not hasattr(demo, "write_demo"):
        pytest.skip("meetup_tui.demo.write_demo is not written yet")
    done = run_cli(tmp_path, "--today", "2026-12-20", "demo", "--no-open")
    assert done.returncode == 0, done.stderr
    path = done.stdout.strip()
    listed = run_cli(tmp_path, "--db", path, "--today", "2026-12-20", "today", "--json")
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout), "the demo should have someone to contact"


# -- help -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "command", [[], ["demo"], ["today"], ["add"], ["log"], ["snooze"], ["post"], ["people"]]
)
def test_every_command_has_help(capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    code, out, err = cli(capsys, *command, "--help")
    assert code == 0 and err == ""
    assert out.startswith(f"usage: {' '.join(['meetup-tui', *command])}")
