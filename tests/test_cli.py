"""The headless command line (SPEC §6): exit codes, output, and the file on disk."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import types
from datetime import date
from pathlib import Path

import pytest

from meetup_tui.cli.main import main
from meetup_tui.domain.outreach import ACTION_SYMBOLS
from meetup_tui.domain.records import Person
from meetup_tui.store.database import Database

USER = "tester@test"


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for var in ("MEETUP_TUI_DB", "MEETUP_TUI_USER", "MEETUP_TUI_TODAY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("MEETUP_TUI_USER", USER)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "book.json"


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def subprocess_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEETUP_TUI_")}
    env.update(MEETUP_TUI_USER=USER, XDG_DATA_HOME=str(tmp_path / "xdg"), **extra)
    return env


def run_cli(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "meetup_tui", *args],
        cwd=tmp_path,
        env=subprocess_env(tmp_path, **env),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )


def tables(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def people_docs(path: Path) -> list[dict]:
    return list(tables(path)["people"].values())


def today_json(capsys: pytest.CaptureFixture[str], db: Path, day: str) -> list[dict]:
    code, out, err = cli(capsys, "--db", str(db), "--today", day, "today", "--json")
    assert code == 0, err
    return json.loads(out)


def add(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> None:
    code, out, err = cli(capsys, "--db", str(db), "add", *args)
    assert code == 0, err


# -- the acceptance scenario --------------------------------------------------------


def test_acceptance_scenario_through_a_real_process(tmp_path: Path) -> None:
    added = run_cli(
        tmp_path, "--db", "x.json", "add", "Ana Ruiz", "--phone", "+1 555 0100",
        "--cadence", "every 2 weeks", "--influence", "4",
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == "Added Ana Ruiz."
    stored = people_docs(tmp_path / "x.json")
    assert [(p["name"], p["phones"], p["cadence"], p["influence"], p["updated_by"]) for p in stored] == [
        ("Ana Ruiz", ["+1 555 0100"], "FREQ=WEEKLY;INTERVAL=2", 4, USER)
    ]

    listed = run_cli(tmp_path, "--db", "x.json", "--today", "2026-12-20", "today", "--json")
    assert listed.returncode == 0, listed.stderr
    [item] = json.loads(listed.stdout)
    assert item["id"] == stored[0]["id"]
    assert (item["name"], item["phone"], item["last_contact"]) == ("Ana Ruiz", "+1 555 0100", None)
    assert item["action"] == "call" and item["score"] > 0
    assert any(r.startswith("never talked yet") for r in item["reasons"])
    assert "influence 4" in item["reasons"]
    assert {"next_step", "due"} <= item.keys()


def test_log_with_words_counts_from_today_and_changes_the_reasons(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    add(capsys, db_path, "Ana Ruiz", "--cadence", "every 2 weeks")
    [before] = today_json(capsys, db_path, "2026-12-20")
    code, out, err = cli(
        capsys, "--db", str(db_path), "--today", "2026-12-20", "log", "ana", "--at", "yesterday 3pm",
        "--where", "the shop", "--learned", "wants winter tyres",
    )  # fmt: skip
    assert code == 0, err
    assert out.startswith("Logged a call with Ana Ruiz on Saturday 19 December 2026 (reached).")
    [entry] = tables(db_path)["interactions"].values()
    assert entry["at"] == "2026-12-19T15:00"
    assert (entry["kind"], entry["outcome"], entry["logged_by"]) == ("call", "reached", USER)
    assert (entry["where"], entry["learned"]) == ("the shop", "wants winter tyres")
    assert entry["people"] == [before["id"]]

    assert today_json(capsys, db_path, "2026-12-20") == []  # talked yesterday, every 2 weeks
    [after] = today_json(capsys, db_path, "2027-01-10")
    assert after["last_contact"] == "2026-12-19"
    assert after["reasons"] != before["reasons"]
    assert "last talked 22 days ago, every 2 weeks" in after["reasons"]


def test_log_without_at_is_dated_on_the_fixed_today(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    add(capsys, db_path, "Ana Ruiz")
    code, out, err = cli(capsys, "--db", str(db_path), "--today", "2026-12-20", "log", "Ana Ruiz")
    assert code == 0, err
    assert out == "Logged a call with Ana Ruiz (reached).\n"
    [entry] = tables(db_path)["interactions"].values()
    assert entry["at"].startswith("2026-12-20T")


def test_log_several_people_and_an_attempt_does_not_reset_the_clock(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    add(capsys, db_path, "Ana Ruiz")
    add(capsys, db_path, "Bo Lee")
    args = ("--db", str(db_path), "--today", "2026-12-20", "log")
    code, out, err = cli(capsys, *args, "Ana Ruiz, bo", "--kind", "event", "--at", "2d")
    assert code == 0, err
    assert out.startswith("Logged an event with Ana Ruiz and Bo Lee on Friday 18 December 2026 (reached).")
    [entry] = tables(db_path)["interactions"].values()
    assert len(entry["people"]) == 2 and entry["kind"] == "event"

    add(capsys, db_path, "Cy Moss")
    code, out, err = cli(capsys, *args, "Cy", "--outcome", "attempt")
    assert code == 0 and out.endswith("(attempt).\n")
    [cy] = [i for i in today_json(capsys, db_path, "2026-12-21") if i["name"] == "Cy Moss"]
    assert cy["last_contact"] is None


def test_follow_up_due_appears_as_a_reason(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    add(capsys, db_path, "Ana Ruiz", "--cadence", "monthly")
    code, out, err = cli(
        capsys, "--db", str(db_path), "--today", "2026-12-20", "log", "Ana Ruiz",
        "--next", "send the winter price list", "--follow-up", "dec 28",
    )  # fmt: skip
    assert code == 0, err
    assert "Follow up on Monday 28 December 2026." in out
    [entry] = tables(db_path)["interactions"].values()
    assert (entry["follow_up"], entry["next_step"]) == ("2026-12-28", "send the winter price list")
    assert today_json(capsys, db_path, "2026-12-27") == []
    [item] = today_json(capsys, db_path, "2026-12-28")
    assert "follow-up due: send the winter price list" in item["reasons"]
    assert item["next_step"] == "send the winter price list"


def test_snooze_hides_until_the_day(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    add(capsys, db_path, "Ana Ruiz")
    assert [i["name"] for i in today_json(capsys, db_path, "2026-12-20")] == ["Ana Ruiz"]
    code, out, err = cli(
        capsys, "--db", str(db_path), "--today", "2026-12-20", "snooze", "ana ruiz", "next monday"
    )
    assert code == 0, err
    assert out == "Snoozed Ana Ruiz until Monday 21 December 2026.\n"
    assert people_docs(db_path)[0]["snoozed_until"] == "2026-12-21"
    assert today_json(capsys, db_path, "2026-12-20") == []
    assert [i["name"] for i in today_json(capsys, db_path, "2026-12-21")] == ["Ana Ruiz"]


def test_dayfirst_in_the_settings_reads_slashed_dates_day_first(
    capsys: pytest.CaptureFixture[str], db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = tmp_path / "settings.toml"
    settings.write_text("dayfirst = true\n", encoding="utf-8")
    monkeypatch.setenv("MEETUP_TUI_SETTINGS", str(settings))
    add(capsys, db_path, "Ana Ruiz")
    day = ("--db", str(db_path), "--today", "2026-11-26")
    assert cli(capsys, *day, "log", "Ana", "--at", "03/11", "--follow-up", "04/12")[0] == 0
    assert cli(capsys, *day, "snooze", "Ana", "02/12")[0] == 0
    assert cli(capsys, *day, "post", "Instagram", "--at", "01/11")[0] == 0
    [entry] = tables(db_path)["interactions"].values()
    assert (entry["at"], entry["follow_up"]) == ("2026-11-03T00:00", "2026-12-04")
    assert people_docs(db_path)[0]["snoozed_until"] == "2026-12-02"
    [post] = tables(db_path)["posts"].values()
    assert post["at"].startswith("2026-11-01")
    settings.write_text("dayfirst = false\n", encoding="utf-8")
    code, out, _ = cli(capsys, *day, "snooze", "Ana", "12/03")
    assert (code, out) == (0, "Snoozed Ana Ruiz until Thursday 3 December 2026.\n")


def test_add_with_a_birthday_lists_them_a_few_days_before(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    add(capsys, db_path, "Ana Ruiz", "--birthday", "30 November", "--owner", "sam@shop")
    add(capsys, db_path, "Bo Lee", "--birthday", "1990-12-24")
    people = {p["name"]: p for p in people_docs(db_path)}
    assert people["Ana Ruiz"]["birthday"] == "--11-30" and people["Ana Ruiz"]["owner"] == "sam@shop"
    assert people["Bo Lee"]["birthday"] == "1990-12-24"
    cli(capsys, "--db", str(db_path), "--today", "2026-11-20", "log", "Ana,Bo")  # met: not due by cadence
    [item] = today_json(capsys, db_path, "2026-11-26")
    assert item["name"] == "Ana Ruiz" and "birthday in 4 days" in item["reasons"]


# -- failures: exit code, one sentence, and the file's bytes unchanged ---------------------


@pytest.fixture
def two_anas(capsys: pytest.CaptureFixture[str], db_path: Path) -> Path:
    add(capsys, db_path, "Ana Ruiz", "--segment", "Runners")
    add(capsys, db_path, "Ana Lee")
    return db_path


FAILURES = [
    (["log", "Ana"], 1, ["Ana Lee", "Ana Ruiz"]),
    (["log", "Zed"], 1, ["'Zed'"]),
    (["snooze", "Zed", "3d"], 1, ["'Zed'"]),
    (["snooze", "Ana Ruiz", "yesterday"], 2, ["a snooze needs a day after today"]),
    (["snooze", "Ana Ruiz", "someday"], 2, ["'someday'"]),
    (["log", "Ana Ruiz", "--at", "someday soon"], 2, ["'someday soon'"]),
    (["log", "Ana Ruiz", "--at", "tomorrow"], 2, ["after today"]),
    (["log", "Ana Ruiz", "--follow-up", "13/45"], 2, ["'13/45'"]),
    (["log", "Ana Ruiz", "--kind", "walk"], 2, ["--kind"]),
    (["add", "Bo", "--cadence", "every blue moon"], 2, ["'every blue moon'"]),
    (["add", "ana  RUIZ"], 1, ["'Ana Ruiz' is already in the book"]),
    (["add", "Bo", "--influence", "6"], 2, ["--influence"]),
    (["add", "Bo", "--stage", "friend"], 2, ["--stage"]),
    (["add", "Bo", "--channel", "fax"], 2, ["--channel"]),
    (["add", "Bo", "--introduced-by", "Ana"], 1, ["Ana Lee", "Ana Ruiz"]),
    (["add", "   "], 2, ["name is empty"]),
    (["add", "Bo", "--birthday", "March"], 2, ["'March'", "a day and a month"]),
    (["add", "Bo", "--birthday", "3 may 2030"], 2, ["after today"]),
    (["--today", "2026-02-30", "today"], 2, ["2026-02-30"]),
    (["--today", "next week", "today"], 2, ["YYYY-MM-DD"]),
    (["today", "--limit", "-1"], 2, ["--limit", "0 or more"]),
    (["today", "--limit", "two"], 2, ["--limit", "'two'"]),
    (["people", "--segment", "Nope"], 1, ["'Nope'", "Runners"]),
    (["post", "Instagram", "--likes", "-1"], 2, ["--likes"]),
    (["post", "Instagram", "--at", "in 2 days"], 2, ["after today"]),
    (["frobnicate"], 2, ["frobnicate"]),
    (["demo", "--no-open"], 1, ["already exists"]),
]


@pytest.mark.parametrize(("args", "code", "words"), FAILURES, ids=lambda v: str(v))
def test_failures_explain_and_leave_the_file_alone(
    capsys: pytest.CaptureFixture[str], two_anas: Path, args: list[str], code: int, words: list[str]
) -> None:
    before = two_anas.read_bytes()
    got, out, err = cli(capsys, "--db", str(two_anas), "--today", "2026-12-20", *args)
    assert got == code
    assert err.startswith("meetup-tui: ") and err.count("\n") == 1, err
    assert "Traceback" not in err and out == ""
    for word in words:
        assert word in err
    assert two_anas.read_bytes() == before


def test_bad_today_from_the_environment_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], two_anas: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MEETUP_TUI_TODAY", "tomorrow")
    code, out, err = cli(capsys, "--db", str(two_anas), "today")
    assert code == 2 and "MEETUP_TUI_TODAY" in err
    monkeypatch.setenv("MEETUP_TUI_TODAY", "2026-12-20")
    code, out, err = cli(capsys, "--db", str(two_anas), "today")
    assert code == 0 and out.startswith("Sunday 20 December 2026")


@pytest.mark.parametrize(
    "args", [["today"], ["people"], ["log", "Ana"], ["snooze", "Ana", "3d"], ["today", "--json"]]
)
def test_missing_file_says_how_to_start(
    capsys: pytest.CaptureFixture[str], db_path: Path, args: list[str]
) -> None:
    code, out, err = cli(capsys, "--db", str(db_path), *args)
    assert code == 1 and out == ""
    assert str(db_path) in err
    assert "meetup-tui add NAME" in err and "meetup-tui demo" in err
    assert not db_path.exists()


@pytest.mark.parametrize(
    "args",
    [
        ["add", "Bo", "--cadence", "whenever"],
        ["add", "Bo", "--introduced-by", "Nobody"],
        ["post", "Instagram", "--at", "gibberish"],
    ],
)
def test_failed_add_or_post_does_not_create_the_file(
    capsys: pytest.CaptureFixture[str], db_path: Path, args: list[str]
) -> None:
    code, _out, _err = cli(capsys, "--db", str(db_path), *args)
    assert code in (1, 2)
    assert not db_path.exists()


@pytest.mark.parametrize(
    "args", [["today"], ["people", "--json"], ["add", "Bo"], ["log", "Ana"], ["post", "X"]]
)
def test_broken_file_is_refused_with_line_and_column(
    capsys: pytest.CaptureFixture[str], db_path: Path, args: list[str]
) -> None:
    db_path.write_bytes(b'{"people": {\n  "1": {"name": "Ana",,}\n}')
    before = db_path.read_bytes()
    code, out, err = cli(capsys, "--db", str(db_path), *args)
    assert code == 1 and out == ""
    assert "line 2" in err and "column" in err and str(db_path) in err
    assert db_path.read_bytes() == before


def test_broken_file_through_a_real_process(tmp_path: Path) -> None:
    (tmp_path / "x.json").write_text("[1, 2", encoding="utf-8")
    done = run_cli(tmp_path, "--db", "x.json", "people")
    assert done.returncode == 1
    assert done.stderr.startswith("meetup-tui: ") and "line 1" in done.stderr
    assert "Traceback" not in done.stderr
    assert (tmp_path / "x.json").read_text(encoding="utf-8") == "[1, 2"


# -- text from the file is data --------------------------------------------------------------


def test_markup_and_escape_codes_print_literally(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    add(capsys, db_path, "[bold]x[/]", "--phone", "[red]1[/]")
    add(capsys, db_path, "\x1b[31mEvil", "--org", "Acme\x07")
    for command in (["people"], ["--today", "2026-12-20", "today"]):
        code, out, err = cli(capsys, "--db", str(db_path), *command)
        assert code == 0, err
        assert "[bold]x[/]" in out and "[red]1[/]" in out
        assert "\\x1b[31mEvil" in out
        assert "\x1b" not in out and "\x07" not in out
    code, out, _err = cli(capsys, "--db", str(db_path), "people", "--json")
    assert "\x1b" not in out
    assert {p["name"] for p in json.loads(out)} == {"[bold]x[/]", "\x1b[31mEvil"}


# -- output shapes ---------------------------------------------------------------------------


def test_people_json_has_every_field_sorted_by_name(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    add(capsys, db_path, "zoe Park", "--segment", "Runners")
    add(capsys, db_path, "Ana Ruiz", "--phone", "+1 555 0100", "--email", "ana@example.org",
        "--org", "Cycle Co", "--area", "Northside", "--segment", "runners", "--segment", "VIP",
        "--tag", "racer", "--tag", "racer", "--tag", "coach", "--influence", "5", "--stage", "lead",
        "--cadence", "quarterly", "--channel", "coffee", "--introduced-by", "zoe",
        "--owner", "alex")  # fmt: skip
    add(capsys, db_path, "Bo Lee")
    cli(capsys, "--db", str(db_path), "--today", "2026-12-20", "log", "Ana Ruiz", "--at", "dec 3")
    code, out, err = cli(capsys, "--db", str(db_path), "people", "--json")
    assert code == 0, err
    docs = json.loads(out)
    assert [d["name"] for d in docs] == ["Ana Ruiz", "Bo Lee", "zoe Park"]
    fields = {f.name for f in dataclasses.fields(Person)}
    assert all(fields | {"last_contact", "segments"} == d.keys() for d in docs)
    ana, bo, zoe = docs
    assert ana["phones"] == ["+1 555 0100"] and ana["emails"] == ["ana@example.org"]
    assert (ana["org"], ana["area"], ana["stage"], ana["channel"]) == (
        "Cycle Co",
        "Northside",
        "lead",
        "coffee",
    )
    assert (ana["influence"], ana["cadence"], ana["owner"]) == (5, "FREQ=MONTHLY;INTERVAL=3", "alex")
    assert ana["tags"] == ["racer", "coach"]
    assert ana["introduced_by"] == zoe["id"]
    assert ana["last_contact"] == "2026-12-03" and bo["last_contact"] is None
    assert sorted(ana["segments"]) == ["Runners", "VIP"] and bo["segments"] == []

    code, out, _ = cli(capsys, "--db", str(db_path), "people", "--segment", "RUNNERS", "--json")
    assert [d["name"] for d in json.loads(out)] == ["Ana Ruiz", "zoe Park"]


def test_people_plain_lines(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    add(capsys, db_path, "Bo Lee", "--org", "Bakery", "--stage", "customer", "--influence", "2")
    add(capsys, db_path, "ana Ruiz", "--phone", "+1 555 0100")
    cli(capsys, "--db", str(db_path), "--today", "2026-12-20", "log", "Bo", "--at", "3d")
    code, out, err = cli(capsys, "--db", str(db_path), "--today", "2026-12-20", "people")
    assert code == 0, err
    first, second = out.splitlines()
    assert first.split() == "ana Ruiz +1 555 0100 - prospect influence 0 never talked yet".split()
    assert second.split() == "Bo Lee - Bakery customer influence 2 last talked 3 days ago".split()


def test_add_to_segments_in_one_commit(
    capsys: pytest.CaptureFixture[str], db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add(capsys, db_path, "Zoe Park", "--segment", "Runners")
    saves: list[int] = []
    real_sync = Database.sync
    monkeypatch.setattr(Database, "sync", lambda self, **kw: (saves.append(1), real_sync(self, **kw))[1])
    code, out, err = cli(
        capsys, "--db", str(db_path), "--user", "alice", "add", "Ana Ruiz",
        "--segment", "runners", "--segment", "Coffee club",
    )  # fmt: skip
    assert code == 0, err
    assert out == "Added Ana Ruiz.\nCreated the segment 'Coffee club'.\n"
    assert len(saves) == 1
    data = tables(db_path)
    ana = next(p for p in data["people"].values() if p["name"] == "Ana Ruiz")
    segments = {s["name"]: s for s in data["segments"].values()}
    assert set(segments) == {"Runners", "Coffee club"}
    assert ana["id"] in segments["Runners"]["include"] and len(segments["Runners"]["include"]) == 2
    assert segments["Coffee club"]["include"] == [ana["id"]]
    assert segments["Runners"]["updated_by"] == ana["updated_by"] == "alice"


def test_today_plain_text(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    add(capsys, db_path, "Ana Ruiz", "--phone", "+1 555 0100", "--influence", "5")
    add(capsys, db_path, "Bo Lee", "--channel", "coffee", "--influence", "3")
    add(capsys, db_path, "Cy Moss")
    common = ("--db", str(db_path), "--today", "2026-12-20")
    cli(capsys, *common, "log", "Cy", "--at", "dec 1")
    cli(capsys, *common, "log", "Cy", "--at", "dec 15")
    cli(capsys, *common, "post", "Instagram", "--likes", "12")
    code, out, err = cli(capsys, *common, "today", "--limit", "2")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "Sunday 20 December 2026 — 2 of 2 people to contact"
    assert lines[1] == f"1. {ACTION_SYMBOLS['call']} call  Ana Ruiz  +1 555 0100"
    assert lines[2] == "   never talked yet, monthly · influence 5"
    assert lines[3] == f"2. {ACTION_SYMBOLS['coffee']} coffee  Bo Lee"
    assert lines[-1] == "This week: 1 conversation vs 1 post (12 likes)"

    code, out, _ = cli(capsys, *common, "today", "--limit", "1")
    assert out.splitlines()[0] == "Sunday 20 December 2026 — 1 of 2 people to contact"
    assert "1 more: meetup-tui today --limit 0" in out
    code, out, _ = cli(capsys, *common, "today", "--limit", "0")
    assert out.splitlines()[0] == "Sunday 20 December 2026 — 2 of 2 people to contact"


def test_nobody_due_is_a_friendly_sentence(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    add(capsys, db_path, "Ana Ruiz")
    cli(capsys, "--db", str(db_path), "--today", "2026-12-20", "log", "Ana Ruiz")
    code, out, err = cli(capsys, "--db", str(db_path), "--today", "2026-12-20", "today")
    assert code == 0 and err == ""
    assert out.startswith("Sunday 20 December 2026 — nobody is due today.")
    assert out.splitlines()[-1] == "This week: 1 conversation vs 0 posts (0 likes)"


def test_post_creates_the_file_and_is_counted(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    code, out, err = cli(
        capsys, "--db", str(db_path), "--today", "2026-12-20", "post", "Instagram", "--likes", "12",
        "--at", "yesterday 9am",
    )  # fmt: skip
    assert code == 0, err
    assert out.splitlines() == [
        "Recorded a post on Instagram with 12 likes.",
        "This week: 0 conversations vs 1 post (12 likes)",
    ]
    [post] = tables(db_path)["posts"].values()
    assert (post["platform"], post["likes"], post["at"], post["updated_by"]) == (
        "Instagram", 12, "2026-12-19T09:00", USER
    )  # fmt: skip


# -- where the file is, who is working -------------------------------------------------------


def test_db_and_user_come_from_the_environment(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "shared" / "team.json"
    monkeypatch.setenv("MEETUP_TUI_DB", str(target))
    monkeypatch.setenv("MEETUP_TUI_USER", "sam")
    code, _out, err = cli(capsys, "add", "Ana Ruiz")
    assert code == 0, err
    assert people_docs(target)[0]["updated_by"] == "sam"
    code, _out, err = cli(capsys, "--user", "kim", "snooze", "Ana", "2026-12-31")
    assert code == 0, err
    assert people_docs(target)[0]["updated_by"] == "kim"


def test_default_file_is_in_the_user_data_folder(tmp_path: Path) -> None:
    done = run_cli(tmp_path, "add", "Ana Ruiz")
    assert done.returncode == 0, done.stderr
    assert people_docs(tmp_path / "xdg" / "meetup-tui" / "meetup.json")[0]["name"] == "Ana Ruiz"


# -- the app and the demo (Textual stand-ins: the headless path is what is tested) -----------


class FakeApp:
    opened: list[tuple[Database, object]] = []
    settings: list[object] = []  # what each opening was given
    return_code = 0  # as Textual's App after a normal quit

    def __init__(self, db: Database, clock: object, settings: object = None) -> None:
        self.db, self.clock, self.given = db, clock, settings

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


# -- help, interrupts, pipes -----------------------------------------------------------------


@pytest.mark.parametrize(
    "command", [[], ["demo"], ["today"], ["add"], ["log"], ["snooze"], ["post"], ["people"]]
)
def test_every_command_has_help(capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    code, out, err = cli(capsys, *command, "--help")
    assert code == 0 and err == ""
    assert out.startswith(f"usage: {' '.join(['meetup-tui', *command])}")


def test_interrupt_and_broken_pipe_are_quiet(
    capsys: pytest.CaptureFixture[str], two_anas: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from meetup_tui.cli import commands

    def interrupted(*_args: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(commands, "run_people", interrupted)
    code, _out, err = cli(capsys, "--db", str(two_anas), "people")
    assert code == 130 and err == "meetup-tui: interrupted.\n"


def test_output_into_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    db = Database.open(path, user=USER, create=True)
    db.commit(*(Person(name=f"Person {n:05d}", phones=["+1 555 0100"]) for n in range(4000)))
    proc = subprocess.Popen(
        [sys.executable, "-m", "meetup_tui", "--db", str(path), "people"],
        cwd=tmp_path,
        env=subprocess_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.readline().startswith(b"Person 00000")
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.wait(timeout=60)
    assert err == ""
    assert proc.returncode == 141


def test_the_settings_file_sets_the_daily_cap_and_a_bad_one_is_refused(
    capsys: pytest.CaptureFixture[str], db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("Ana Ruiz", "Bo Lee", "Cy Diaz", "Dee Park"):
        add(capsys, db_path, name)
    settings = tmp_path / "settings.toml"
    monkeypatch.setenv("MEETUP_TUI_SETTINGS", str(settings))
    settings.write_text("daily_cap = 2\n")
    code, out, _ = cli(capsys, "--db", str(db_path), "--today", "2026-12-20", "today", "--json")
    assert code == 0 and len(json.loads(out)) == 2
    args = ("--db", str(db_path), "--today", "2026-12-20", "today", "--limit", "3", "--json")
    code, out, _ = cli(capsys, *args)
    assert code == 0 and len(json.loads(out)) == 3
    before = db_path.read_bytes()
    settings.write_text("daily_cap = 2\ndaily_capp = 3\n")
    code, _, err = cli(capsys, "--db", str(db_path), "today")
    assert code == 1 and "daily_capp" in err and err.count("\n") == 1
    settings.write_text("daily_cap = [\n")
    code, _, err = cli(capsys, "--db", str(db_path), "today")
    assert code == 1 and "line" in err and str(settings) in err
    assert db_path.read_bytes() == before


def test_instead_names_the_top_of_todays_list_and_how_to_log_it(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    add(capsys, db_path, "Ana Ruiz", "--phone", "+1 555 0100", "--influence", "5")
    add(capsys, db_path, "Bo Lee", "--phone", "+1 555 0101", "--stage", "lead")
    day = ("--db", str(db_path), "--today", "2026-12-20")
    _, today_out, _ = cli(capsys, *day, "today", "--json")
    code, out, err = cli(capsys, *day, "instead", "--json")
    assert code == 0, err
    assert json.loads(out) == json.loads(today_out)[0]
    code, out, _ = cli(capsys, *day, "instead")
    first = json.loads(today_out)[0]
    assert code == 0 and first["name"] in out and first["phone"] in out
    assert f"Log it: meetup-tui --db {db_path} --today 2026-12-20 log '{first['name']}' --note" in out
    for name in ("Ana Ruiz", "Bo Lee"):
        cli(capsys, *day, "log", name)
    code, out, _ = cli(capsys, *day, "instead", "--json")
    assert code == 0 and json.loads(out) is None  # everyone reached today
