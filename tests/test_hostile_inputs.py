"""Hostile input never gets a traceback: one sentence, exit 1 or 2, the file's bytes unchanged.

Through the real command line (a child process, so argv bytes that are not UTF-8 arrive
the way a shell passes them): text that is not UTF-8 in a name or in --user, dates past
the calendar, a --today far outside any plan, a file nested too deeply or holding a
5,000-digit number, a FIFO or a device given as the database, a lock file the group may
not open.  And in the app: a save that fails for any reason, a bug included, shows
NOT SAVED and the reason, never "saving…" for ever.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import sysconfig
import tempfile
from datetime import date
from pathlib import Path

import pytest
import tinydb

import meetup_tui
from cli_support import USER, cli, isolate_env, subprocess_env
from meetup_tui.domain.clock import Clock
from meetup_tui.store.database import Database
from meetup_tui.store.lock import lock_path_for
from meetup_tui.ui.app import MeetupApp
from meetup_tui.ui.widgets.score_bar import ScoreBar
from sync_support import poll_fast, wait_until

NOT_UTF8 = "\udcff"  # how Python hands over the argv byte 0xff (surrogateescape)


def run(tmp_path: Path, *args: str, timeout: float = 30, **env: str) -> subprocess.CompletedProcess[str]:
    """`meetup-tui *args` in a child process; str args and env values holding surrogates
    reach it as the raw bytes they stand for."""
    return subprocess.run(
        [sys.executable, "-m", "meetup_tui", *args],
        check=False,
        cwd=tmp_path,
        env=subprocess_env(tmp_path, **env),
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
    )


def one_sentence(done: subprocess.CompletedProcess[str], code: int) -> str:
    assert done.returncode == code, (done.returncode, done.stderr)
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("meetup-tui: "), done.stderr
    assert "Traceback" not in done.stderr and "unexpected error" not in done.stderr, done.stderr
    return lines[0]


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    path = tmp_path / "meetup.json"
    assert run(tmp_path, "--db", str(path), "add", "Ana Ruiz", "--cadence", "every 2 weeks").returncode == 0
    assert run(tmp_path, "--db", str(path), "log", "Ana", "--at", "2026-01-05").returncode == 0
    return path


# -- what a person types ---------------------------------------------------------------------

TYPED = {
    "name not UTF-8": (["add", NOT_UTF8], 2, "NAME '\\xff' is not valid UTF-8"),
    "name part not UTF-8": (["add", f"Jos{chr(0xDCE9)}"], 2, "NAME 'Jos\\xe9' is not valid UTF-8"),
    "name: a surrogate's bytes": (["add", "\udced\udca0\udc80"], 2, "not valid UTF-8"),
    "--user not UTF-8": (["--user", NOT_UTF8, "add", "Bo"], 2, "--user '\\xff' is not valid UTF-8"),
    "log names not UTF-8": (["log", f"Ana,{NOT_UTF8}"], 2, "not valid UTF-8"),
    "--note not UTF-8": (["log", "Ana", "--note", NOT_UTF8], 2, "--note '\\xff'"),
    "--tag not UTF-8": (["add", "Bo", "--tag", NOT_UTF8], 2, "--tag '\\xff'"),
    "snooze 99999999d": (["snooze", "Ana", "99999999d"], 2, "'99999999d' is too far away"),
    "snooze 9000y": (["snooze", "Ana", "9000y"], 2, "'9000y' is too far away"),
    "snooze 5,000 digits": (["snooze", "Ana", "9" * 5000 + "d"], 2, "is too far away"),
    "--follow-up 99999999w": (["log", "Ana", "--follow-up", "99999999w"], 2, "too far away"),
    "--at 99999999d": (["log", "Ana", "--at", "99999999d"], 2, "too far away"),
    "--limit 5,000 digits": (["today", "--limit", "9" * 5000], 2, "--limit: the number is out of range"),
    "--likes 5,000 digits": (["post", "x", "--likes", "9" * 5000], 2, "--likes: the number is out of range"),
}
FAR_DAYS = ("9999-12-31", "0001-01-01", "1899-12-31", "3000-01-01")
AROUND_TODAY = (["today"], ["snooze", "Ana", "2w"], ["log", "Ana"], ["instead"], ["add", "Zed"])
for _day in FAR_DAYS:
    for _command in AROUND_TODAY:
        TYPED[f"--today {_day} {_command[0]}"] = (
            ["--today", _day, *_command],
            2,
            f"--today {_day} is too far",
        )


@pytest.mark.parametrize("case", TYPED)
def test_typed_input_gets_one_sentence_and_the_file_is_untouched(
    tmp_path: Path, shop: Path, case: str
) -> None:
    args, code, says = TYPED[case]
    before = shop.read_bytes()
    sentence = one_sentence(run(tmp_path, "--db", str(shop), *args), code)
    assert says in sentence
    assert shop.read_bytes() == before


@pytest.mark.parametrize(
    ("variable", "value", "says"),
    [
        ("MEETUP_TUI_USER", NOT_UTF8, "MEETUP_TUI_USER '\\xff' is not valid UTF-8"),
        ("MEETUP_TUI_TODAY", "9999-12-31", "MEETUP_TUI_TODAY 9999-12-31 is too far"),
        ("MEETUP_TUI_TODAY", "0001-01-01", "MEETUP_TUI_TODAY 0001-01-01 is too far"),
    ],
)
def test_the_environment_is_held_to_the_options_rules(
    tmp_path: Path, shop: Path, variable: str, value: str, says: str
) -> None:
    before = shop.read_bytes()
    for command in (["add", "Bo"], ["log", "Ana"]):
        assert says in one_sentence(run(tmp_path, "--db", str(shop), *command, **{variable: value}), 2)
    assert shop.read_bytes() == before


def test_the_edges_of_today_still_work(tmp_path: Path, shop: Path) -> None:
    for day in ("1900-01-01", "2999-12-31"):
        for command in AROUND_TODAY[:4]:
            done = run(tmp_path, "--db", str(shop), "--today", day, *command)
            assert done.returncode == 0, (day, command, done.stderr)


def test_a_file_name_need_not_be_utf8(tmp_path: Path) -> None:
    """--db is a file name, which may be any bytes: only text that is stored must be UTF-8."""
    path = tmp_path / f"caf{chr(0xDCE9)}.json"
    done = run(tmp_path, "--db", str(path), "add", "Bo")
    assert done.returncode == 0, done.stderr
    assert b"caf\xe9.json" in os.listdir(os.fsencode(tmp_path))  # the bytes given, as given
    assert "Bo" in run(tmp_path, "--db", str(path), "people").stdout


def test_a_lone_surrogate_in_a_name_is_refused(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A str holding a lone surrogate (possible only in-process: argv cannot carry one)."""
    isolate_env(monkeypatch, tmp_path, USER)
    path = tmp_path / "meetup.json"
    assert cli(capsys, "--db", str(path), "add", "Ana")[0] == 0
    before = path.read_bytes()
    for args in (["add", "\ud800"], ["add", "Bo", "--org", "x\udfff"], ["--user", "\ud83d", "add", "Bo"]):
        code, out, err = cli(capsys, "--db", str(path), *args)
        assert code == 2 and out == ""
        assert len(err.splitlines()) == 1 and "is not valid UTF-8 text" in err
        assert "\\ud" in err  # shown as an escape, not as a character no terminal can print
    assert path.read_bytes() == before
    before.decode("utf-8")


def test_a_surrogate_escape_already_in_the_file_survives_a_write_as_utf8(tmp_path: Path, shop: Path) -> None:
    """A file may hold "\\ud800" as a JSON escape (valid JSON, but no UTF-8 can hold it): a
    write keeps the character and the file stays valid UTF-8 JSON."""
    data = json.loads(shop.read_bytes())
    (doc,) = data["people"].values()
    doc["org"] = "odd \ud800 org"
    shop.write_bytes(json.dumps(data, indent=1).encode("ascii"))  # ensure_ascii: escaped
    done = run(tmp_path, "--db", str(shop), "add", "Bo")
    assert done.returncode == 0, done.stderr
    raw = shop.read_bytes()
    raw.decode("utf-8")
    orgs = {d["name"]: d["org"] for d in json.loads(raw)["people"].values()}
    assert orgs == {"Ana Ruiz": "odd \ud800 org", "Bo": ""}


# -- what the file holds ---------------------------------------------------------------------


def deeply_nested(path: Path) -> None:
    path.write_text('{"people": {"1": {"x": ' + "[" * 100_000 + "]" * 100_000 + "}}}")


def long_number(path: Path) -> None:
    path.write_text('{"people": {"1": {"id": "a", "name": "Ana", "influence": ' + "9" * 5000 + "}}}")


def long_schema(path: Path) -> None:
    path.write_text('{"_meta": {"1": {"schema": ' + "7" * 5000 + "}}}")


BAD_FILES = {
    "deeply nested": (deeply_nested, "nested too deeply"),
    "a 5,000-digit number": (long_number, "a number too long to read"),
    "a 5,000-digit schema": (long_schema, "a number too long to read"),
}


@pytest.mark.parametrize("kind", BAD_FILES)
@pytest.mark.parametrize(
    "command",
    [
        ["today"],
        ["add", "Bo"],
        ["log", "Ana"],
        ["doctor"],
    ],
)
def test_a_hostile_file_is_one_sentence_and_never_written(
    tmp_path: Path, kind: str, command: list[str]
) -> None:
    path = tmp_path / "meetup.json"
    spoil, says = BAD_FILES[kind]
    spoil(path)
    before = path.read_bytes()
    done = run(tmp_path, "--db", str(path), *command)
    if command == ["doctor"]:  # doctor writes its report to stdout, exit 1, no traceback
        assert done.returncode == 1 and "Traceback" not in done.stderr + done.stdout
        assert "unexpected error" not in done.stderr + done.stdout and says in done.stdout
    else:
        assert says in one_sentence(done, 1)
    assert path.read_bytes() == before


# -- what --db names -----------------------------------------------------------------------------


def test_a_fifo_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "meetup.json"
    os.mkfifo(fifo)
    for command in (["today"], ["add", "Bo"], ["doctor"], []):  # [] would open the app
        done = run(tmp_path, "--db", str(fifo), *command, timeout=20)  # today it hangs for ever
        assert "named pipe (FIFO), not a database file" in one_sentence(done, 1)
        assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "xdg") == ["meetup.json"]


@pytest.mark.parametrize(("where", "says"), [("/dev/null", "is a device"), (".", "is a folder")])
def test_a_device_or_a_folder_is_refused(tmp_path: Path, where: str, says: str) -> None:
    for command in (["today"], ["add", "Bo"]):
        done = run(tmp_path, "--db", where, *command, timeout=20)
        assert says in one_sentence(done, 1)


def test_a_link_to_a_fifo_is_refused_too(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "meetup.json"
    link.symlink_to(fifo.name)
    done = run(tmp_path, "--db", str(link), "add", "Bo", timeout=20)
    assert "named pipe" in one_sentence(done, 1)
    assert link.is_symlink() and stat.S_ISFIFO(os.stat(link).st_mode)


# -- a lock file the group may not open --------------------------------------------------------

NOBODY = 65534


def test_a_lock_file_the_group_cannot_open_says_how_to_fix_it() -> None:
    """Alex (root here) made the lock 0600 in a shared setgid folder; nobody, in the folder's
    group, is told the one command that fixes it, and after it is run nobody can write."""
    if os.geteuid() != 0 or not sys.platform.startswith("linux"):
        pytest.skip("running as another user needs root on Linux")
    base = Path(tempfile.mkdtemp(prefix="meetup-lock-"))  # tmp_path is private to root
    try:
        os.chmod(base, 0o755)
        office = base / "office"
        office.mkdir()
        os.chown(office, 0, NOBODY)
        os.chmod(office, 0o2770)
        path = office / "meetup.json"
        source = Path(meetup_tui.__file__).resolve().parents[1]
        env = {
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "PYTHONPATH": os.pathsep.join([str(source), sysconfig.get_paths()["purelib"]]),
            "PYTHONDONTWRITEBYTECODE": "1",
            "HOME": str(base),
            "LANG": "C.UTF-8",
            "MEETUP_TUI_SETTINGS": str(base / "no-settings.toml"),
            "MEETUP_TUI_USER": "nobody@shop",
            "MEETUP_TUI_JOURNAL": str(base / "data-of-nobody" / "journal"),  # nobody's own, as a home is
        }
        (base / "data-of-nobody").mkdir()
        os.chown(base / "data-of-nobody", NOBODY, NOBODY)

        def runs_for_nobody(python: str) -> bool:
            probe = [python, "-c", "import meetup_tui.cli.main"]
            try:
                done = subprocess.run(
                    probe, check=False, env=env, user=NOBODY, group=NOBODY, capture_output=True, timeout=60
                )
            except OSError:  # not even executable for nobody (a venv under /root)
                return False
            return done.returncode == 0

        candidates = [sys.executable, f"/usr/bin/python3.{sys.version_info.minor}"]
        python = next((p for p in dict.fromkeys(candidates) if runs_for_nobody(p)), None)
        if python is None:
            pytest.skip("no Python that the user nobody may run can import meetup_tui")

        def as_nobody(*args: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run(
                [python, "-m", "meetup_tui", "--db", str(path), *args],
                check=False,
                env=env,
                user=NOBODY,
                group=NOBODY,
                cwd=base,
                capture_output=True,
                text=True,
                timeout=60,
            )

        made = subprocess.run(
            [sys.executable, "-m", "meetup_tui", "--db", str(path), "add", "Ana"],
            check=False,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert made.returncode == 0, made.stderr
        lock = lock_path_for(path)
        os.chmod(lock, 0o600)  # made with the wrong mode for the group
        before = path.read_bytes()
        done = as_nobody("add", "Bo")
        sentence = one_sentence(done, 1)
        assert sentence == (
            f"meetup-tui: Cannot open the lock file {lock}: permission denied; "
            f"ask its owner to run: chmod g+rw {lock}"
        )
        assert path.read_bytes() == before
        subprocess.run(["chmod", "g+rw", str(lock)], check=True)  # what the sentence says to do
        again = as_nobody("add", "Bo")
        assert again.returncode == 0, again.stderr
    finally:
        shutil.rmtree(base, ignore_errors=True)


# -- the app: a save that cannot succeed never leaves "saving…" up -----------------------------

TODAY = date(2026, 11, 26)
SIZE = (100, 30)


@pytest.fixture
def fast_polls(monkeypatch: pytest.MonkeyPatch) -> None:
    poll_fast(monkeypatch)


def saved_state(app: MeetupApp) -> str:
    return str(app.query_one(ScoreBar).saved)


@pytest.fixture
def app_file(tmp_path: Path) -> Path:
    path = tmp_path / "shop.json"
    assert (
        run(tmp_path, "--db", str(path), "add", "Ana Ruiz", "--influence", "5", "--owner", "").returncode == 0
    )
    return path


async def test_a_file_gone_bad_under_the_app_shows_not_saved_and_why(
    app_file: Path, fast_polls: None
) -> None:
    app = MeetupApp(Database.open(app_file, user="alex@shop"), Clock(TODAY))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        deeply_nested(app_file)  # another program wrote something that is no database
        spoiled = app_file.read_bytes()
        await pilot.press("c", *"kept here", "enter")
        await wait_until(pilot, lambda: saved_state(app) == "NOT SAVED")
        assert app.db.pending
        assert any("nested too deeply" in n.message for n in app._notifications)
        await pilot.pause(0.5)  # retries keep failing, and keep saying so
        assert saved_state(app) == "NOT SAVED"
        assert app_file.read_bytes() == spoiled


async def test_a_bug_in_a_save_shows_not_saved_not_saving_for_ever(
    app_file: Path, fast_polls: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Any exception from the save worker reaches the screen, not only a StoreError."""
    app = MeetupApp(Database.open(app_file, user="alex@shop"), Clock(TODAY))

    def broken_sync(*_args: object, **_kw: object) -> list[object]:
        raise RuntimeError("a bug in the merge")

    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        monkeypatch.setattr(app.db, "sync", broken_sync)
        await pilot.press("c", *"kept here", "enter")
        await wait_until(pilot, lambda: saved_state(app) == "NOT SAVED")
        (shown,) = [n.message for n in app._notifications if "a bug in the merge" in n.message]
        assert shown == "unexpected error (RuntimeError: a bug in the merge); please report it."
        monkeypatch.undo()  # the bug is fixed: the retry saves it
        await wait_until(pilot, lambda: saved_state(app) == "saved ✓")
    notes = [d["note"] for d in json.loads(app_file.read_bytes())["interactions"].values()]
    assert notes == ["kept here"]


def test_what_is_no_file_of_contacts_is_one_sentence_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Nested past any reader, a folder, a device: each refused in one sentence, exit 1."""
    db = tmp_path / "m.json"
    assert cli(capsys, "--db", str(db), "add", "Ana")[0] == 0
    before = db.read_bytes()
    nested = tmp_path / "nested.json"
    nested.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    folder = tmp_path / "folder"
    folder.mkdir()
    for given, said in (
        (nested, "nested.json looks like JSON nested too deep to read, not contacts"),
        (folder, "folder is a folder, not a file of contacts to import."),
        (Path("/dev/null"), "/dev/null is a device, not a file of contacts to import."),
    ):
        code, out, err = cli(capsys, "--db", str(db), "import", str(given))
        assert (code, out) == (1, "") and said in err and err.count("\n") == 1, err
        assert "unexpected" not in err
    assert db.read_bytes() == before


def test_doctor_on_a_file_tinydb_wrote_says_it_has_no_id_yet(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "t.json"
    with tinydb.TinyDB(path) as tiny:
        tiny.table("people").insert({"name": "X"})
    code, out, _err = cli(capsys, "--db", str(path), "doctor")
    assert code == 0 and "database id None" not in out  # a file TinyDB wrote is healthy
    assert "no database id yet (another program wrote the file; the next save gives it one)" in out
