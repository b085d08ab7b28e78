"""The headless command line (SPEC §6): the acceptance scenario, add, log, snooze, where the file is."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_support import USER, add, cli, isolate_env, people_docs, run_cli, tables, today_json


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate_env(monkeypatch, tmp_path, USER)


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


def test_log_outcome_noted_writes_a_step_and_no_contact(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    add(capsys, db_path, "Ana Ruiz", "--cadence", "monthly")
    args = ("--db", str(db_path), "--today", "2026-12-20", "log", "Ana")
    code, out, err = cli(capsys, *args, "--outcome", "noted")
    assert code == 2 and "--outcome noted writes down a next step" in err
    assert "interactions" not in tables(db_path) or not tables(db_path)["interactions"]
    code, out, err = cli(
        capsys, *args, "--outcome", "noted", "--next", "ask for an intro to Bo", "--follow-up", "dec 22"
    )
    assert code == 0, err
    assert out.startswith("Noted a step for Ana Ruiz (no contact made).")
    [entry] = tables(db_path)["interactions"].values()
    assert (entry["outcome"], entry["next_step"]) == ("noted", "ask for an intro to Bo")
    [item] = today_json(capsys, db_path, "2026-12-22")
    assert item["last_contact"] is None, "a noted step is no contact"
    assert "follow-up due: ask for an intro to Bo" in item["reasons"]


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


def test_add_takes_the_stages_of_the_settings(
    capsys: pytest.CaptureFixture[str], db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = tmp_path / "settings.toml"
    settings.write_text('stages = ["stranger", "prospect", "member", "champion"]\n', encoding="utf-8")
    monkeypatch.setenv("MEETUP_TUI_SETTINGS", str(settings))
    add(capsys, db_path, "Ana Ruiz", "--stage", "Champion")
    add(capsys, db_path, "Bo Lee")
    before = db_path.read_bytes()
    code, _, err = cli(capsys, "--db", str(db_path), "add", "Cy Diaz", "--stage", "lead")
    assert code == 2 and "the stages are stranger, prospect, member, champion" in err
    assert db_path.read_bytes() == before
    assert {p["name"]: p["stage"] for p in people_docs(db_path)} == {
        "Ana Ruiz": "champion",
        "Bo Lee": "prospect",
    }


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
    code, out, _ = cli(capsys, "--db", str(db_path), "--today", "2026-11-26", "today", "--json", "--all")
    [item] = json.loads(out)  # Ana is Sam's: on the whole team's list
    assert item["name"] == "Ana Ruiz" and "birthday in 4 days" in item["reasons"]


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


def test_global_options_may_come_after_the_command(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """`meetup-tui add Ana --db shop.json` is what people type; a later --db wins over an earlier."""
    shop, other = tmp_path / "shop.json", tmp_path / "other.json"
    code, _out, err = cli(capsys, "add", "Ana Ruiz", "--db", str(shop), "--user", "sam@shop")
    assert code == 0, err
    assert [(d["name"], d["updated_by"]) for d in people_docs(shop)] == [("Ana Ruiz", "sam@shop")]
    later = ("--db", str(other), "today", "--db", str(shop), "--today", "2026-12-20", "--user", "sam@shop")
    code, out, err = cli(capsys, *later)  # Sam added Ana: she is Sam's to look after
    assert code == 0 and "Ana Ruiz" in out and not other.exists()
    code, out, _err = cli(capsys, "--version")
    assert code == 0 and out.startswith("meetup-tui ")
