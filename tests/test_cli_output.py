"""What the CLI prints: people and today as text and JSON, posts, instead, the daily cap setting."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from cli_support import USER, add, cli, isolate_env, tables
from meetup_tui.domain.outreach import ACTION_SYMBOLS
from meetup_tui.domain.records import Person
from meetup_tui.store.database import Database


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate_env(monkeypatch, tmp_path, USER)


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
    fields = {f.name for f in dataclasses.fields(Person)} - {"versions", "extra"}
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


# -- settings and instead ---------------------------------------------------------------------


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
