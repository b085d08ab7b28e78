"""`meetup-tui today` and `meetup-tui instead` against a book built only through the CLI.

The expectations come from the rules documented in `domain/outreach.py`, `domain/spread.py`
and `domain/settings.py` (the default weights), not from running the engine.

Every command runs with `--today` fixed to a day before the real one, so everyone
counts as added on that day (the spread rule); with fewer people than the daily cap, all
of those never talked to are due at once.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from cli_support import cli, isolate_env
from meetup_tui.cli import commands
from meetup_tui.cli.main import main
from meetup_tui.domain.settings import Settings

USER = "tester@test"
DAY = "2026-06-18"  # a Thursday: this week runs from Monday 15 June
WEIGHTS = Settings().weights
STAGE = Settings().stage_weights
SCENARIO_SETTINGS = "daily_cap = 10\n"  # more than the 9 people: no one's first contact waits


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    isolate_env(monkeypatch, tmp_path, USER)
    settings = tmp_path / "settings.toml"
    settings.write_text(SCENARIO_SETTINGS, encoding="utf-8")
    monkeypatch.setenv("MEETUP_TUI_SETTINGS", str(settings))
    return settings


class Shop:
    """Runs commands on one database file with --today fixed."""

    def __init__(self, capsys: pytest.CaptureFixture[str], path: Path) -> None:
        self.capsys, self.path = capsys, path

    def run(self, *args: str, day: str = DAY) -> str:
        code, out, err = cli(self.capsys, "--db", str(self.path), "--today", day, *args)
        assert code == 0, err
        return out

    def call(self, *args: str) -> tuple[int, str, str]:
        return cli(self.capsys, "--db", str(self.path), "--today", DAY, *args)

    def today(self, *args: str) -> list[dict]:
        return json.loads(self.run("today", "--json", *args))


@pytest.fixture
def book(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Shop:
    """Nine people; on 18 June 2026 five are due, for five different reasons."""
    shop = Shop(capsys, tmp_path / "shop.json")
    run = shop.run
    run("add", "Ana Ruiz", "--phone", "+1 555 0100", "--influence", "5", "--cadence", "monthly")
    run("add", "Bo Lee", "--phone", "+1 555 0101", "--stage", "lead", "--influence", "2",
        "--cadence", "every 2 weeks")  # fmt: skip
    run("add", "Cy Moss", "--phone", "+1 555 0102", "--cadence", "monthly")
    run("add", "Dee Park", "--introduced-by", "Ana Ruiz", "--influence", "1")
    run("add", "Eve Stone", "--phone", "+1 555 0104", "--influence", "5")
    run("add", "Finn Hale", "--cadence", "weekly", "--influence", "4")
    run("add", "Gus Ortiz", "--stage", "customer", "--area", "Northside")
    run("add", "Hana Ito", "--cadence", "weekly")
    run("add", "Ivy Chen", "--cadence", "monthly")
    # Two weeks earlier: a coffee with Ana, and a promise to follow up on Monday 15 June.
    run("log", "Ana Ruiz", "--kind", "coffee", "--at", "today",
        "--learned", "worried about the new supermarket",
        "--next", "send the summer price list", "--follow-up", "jun 15", day="2026-06-04")  # fmt: skip
    run("log", "Bo Lee", "--at", "may 30")  # 19 days ago, every 2 weeks: due since 13 June
    run("log", "Cy Moss", "--at", "jun 1")  # monthly: not due until 1 July...
    run("log", "Cy Moss", "--outcome", "attempt", "--at", "3d", "--note", "Voicemail.")  # ...but tried
    run("snooze", "Eve Stone", "next monday")  # never talked to, but snoozed
    run("log", "Finn Hale", "--at", "may 1")  # long overdue...
    run("log", "Finn Hale")  # ...and reached today
    run("log", "Hana Ito", "--at", "monday")  # weekly, talked on Monday: due next Monday
    run("log", "Ivy Chen", "--at", "jun 8")  # monthly, not due...
    run("log", "Ivy Chen", "--outcome", "attempt", "--at", "yesterday")  # an attempt 1 day old waits
    run("post", "Instagram", "--likes", "40", "--at", "tuesday")
    run("post", "Facebook", "--likes", "7", "--at", "jun 12")  # last week: not counted
    return shop


EXPECTED = [  # name, action, reasons, last contact, score by the default weights
    ("Ana Ruiz", "call", ["follow-up 3 days overdue: send the summer price list", "influence 5"],
     "2026-06-04", WEIGHTS.follow_up + 5 * WEIGHTS.influence),
    ("Bo Lee", "coffee", ["last talked 19 days ago, every 2 weeks", "a lead to nurture", "influence 2"],
     "2026-05-30", WEIGHTS.overdue * 19 / 14 + STAGE["lead"] + 2 * WEIGHTS.influence),
    ("Dee Park", "call", ["introduced by Ana Ruiz today, not yet contacted", "influence 1"],
     None, WEIGHTS.introduction + WEIGHTS.influence),
    ("Gus Ortiz", "invite in", ["never talked yet, monthly"], None, WEIGHTS.never_contacted),
    ("Cy Moss", "call", ["tried 3 days ago (voicemail), ask again"], "2026-06-01", WEIGHTS.attempt),
]  # fmt: skip


def test_today_json_order_reasons_and_scores_follow_the_rules(book: Shop) -> None:
    listed = book.today()
    got = [(i["name"], i["action"], i["reasons"], i["last_contact"]) for i in listed]
    assert got == [(name, action, reasons, last) for name, action, reasons, last, _ in EXPECTED]
    for item, (*_, score) in zip(listed, EXPECTED, strict=True):
        assert item["score"] == pytest.approx(score, abs=0.005)
    ana = listed[0]
    assert ana["talking_point"] == "worried about the new supermarket"
    assert ana["next_step"] == "send the summer price list"
    assert ana["phone"] == "+1 555 0100"
    assert {i["talking_point"] for i in listed[1:]} == {""}
    people = {p["name"]: p["id"] for p in json.loads(book.run("people", "--json"))}
    assert [i["id"] for i in listed] == [people[i["name"]] for i in listed]
    # Snoozed (Eve), reached today (Finn), within their cadence (Hana), tried only yesterday (Ivy).
    assert {"Eve Stone", "Finn Hale", "Hana Ito", "Ivy Chen"} & {i["name"] for i in listed} == set()


def test_the_next_days_bring_back_the_snoozed_and_the_tried(book: Shop) -> None:
    friday = {i["name"]: i for i in json.loads(book.run("today", "--json", day="2026-06-19"))}
    ivy = friday["Ivy Chen"]  # the attempt (no note: its kind) is now 2 days old
    assert ivy["reasons"] == ["tried 2 days ago (call), ask again"]
    assert ivy["last_contact"] == "2026-06-08"  # an attempt never resets the clock
    assert "Eve Stone" not in friday and "Hana Ito" not in friday
    monday = [i["name"] for i in json.loads(book.run("today", "--json", day="2026-06-22"))]
    assert "Eve Stone" in monday  # snoozed until today
    assert "Hana Ito" in monday  # weekly, a week after last Monday


def test_limit_and_the_daily_cap(book: Shop, isolated_env: Path) -> None:
    everyone = book.today("--limit", "0")
    assert [i["name"] for i in everyone] == [e[0] for e in EXPECTED]
    assert book.today() == everyone  # daily_cap = 10 in the settings
    assert book.today("--limit", "2") == everyone[:2]
    text = book.run("today", "--limit", "2").splitlines()
    assert text[0] == "Thursday 18 June 2026 — 2 of 5 people to contact"
    assert "3 more: meetup-tui today --limit 0" in text

    isolated_env.write_text("daily_cap = 2\n", encoding="utf-8")
    assert [i["name"] for i in book.today()] == ["Ana Ruiz", "Bo Lee"]
    assert book.run("today").splitlines()[0].startswith("Thursday 18 June 2026 — 2 of ")
    assert len(book.today("--limit", "3")) == 3  # --limit wins over the settings


def test_today_text_shows_reasons_talking_point_and_the_weekly_score(book: Shop) -> None:
    lines = book.run("today").splitlines()
    assert lines[0] == "Thursday 18 June 2026 — 5 of 5 people to contact"
    assert lines[1].endswith("call  Ana Ruiz  +1 555 0100")
    assert lines[2] == (
        "   follow-up 3 days overdue: send the summer price list · influence 5 · last talked 2 weeks ago"
    )
    assert lines[3] == "   talk about: worried about the new supermarket"
    assert lines[4].endswith("coffee  Bo Lee  +1 555 0101")
    assert lines[5] == "   last talked 19 days ago, every 2 weeks · a lead to nurture · influence 2"
    assert lines[6].endswith("call  Dee Park")  # no "talk about" line when there is nothing to say
    assert lines[7] == "   introduced by Ana Ruiz today, not yet contacted · influence 1"
    # Monday to today: Hana (Monday) and Finn (today) reached; Cy's and Ivy's attempts do
    # not count, nor does last week's post.
    assert lines[-1] == "This week: 2 conversations vs 1 post (40 likes)"


def test_post_ends_with_the_same_score_line_as_today(book: Shop) -> None:
    posted = book.run("post", "LinkedIn", "--likes", "1", "--at", "wednesday").splitlines()
    assert posted == [
        "Recorded a post on LinkedIn with 1 like.",
        "This week: 2 conversations vs 2 posts (41 likes)",
    ]
    assert book.run("today").splitlines()[-1] == posted[-1]
    book.run("log", "Ana Ruiz, Bo Lee", "--kind", "lunch", "--at", "9am")  # one meeting with two people
    assert book.run("today").splitlines()[-1] == "This week: 3 conversations vs 2 posts (41 likes)"


def test_instead_is_the_top_of_today_and_its_log_command_works(book: Shop) -> None:
    first = book.today()[0]
    assert json.loads(book.run("instead", "--json")) == first
    out = book.run("instead")
    lines = out.splitlines()
    assert lines[0].endswith("call: Ana Ruiz")
    assert "  phone: +1 555 0100" in lines
    why = "  why: follow-up 3 days overdue: send the summer price list · influence 5 · last talked 2 weeks ago"
    assert why in lines
    assert "  talk about: worried about the new supermarket" in lines
    command = lines[-1].removeprefix("Log it: ")
    assert command == f"meetup-tui --db {book.path} --today {DAY} log 'Ana Ruiz' --note '...'"

    words = shlex.split(command)
    assert words[0] == "meetup-tui"
    code = main(words[1:])
    book.capsys.readouterr()
    assert code == 0
    entries = json.loads(book.path.read_text(encoding="utf-8"))["interactions"].values()
    logged = [e for e in entries if e["people"] == [first["id"]] and e["at"].startswith(DAY)]
    assert [(e["kind"], e["outcome"], e["note"]) for e in logged] == [("call", "reached", "...")]
    assert json.loads(book.run("instead", "--json"))["name"] == "Bo Lee"


def test_instead_quotes_any_name_and_skips_a_call_with_no_number(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    shop = Shop(capsys, tmp_path / "it's here.json")
    shop.run("add", "Zoë O'Neil; rm -rf ~", "--phone", "+44 20 7946 0000")
    shop.run("add", "Al No-Phone", "--influence", "5")  # ranks first, but has no number to call
    assert shop.today()[0]["name"] == "Al No-Phone"
    out = shop.run("instead").splitlines()
    assert out[0].endswith(": Zoë O'Neil; rm -rf ~")
    words = shlex.split(out[-1].removeprefix("Log it: "))
    assert words[:6] == ["meetup-tui", "--db", str(shop.path), "--today", DAY, "log"]
    assert words[6] == "Zoë O'Neil; rm -rf ~"
    assert main(words[1:]) == 0
    capsys.readouterr()
    assert json.loads(shop.run("instead", "--json"))["name"] == "Al No-Phone"  # the only one left


def test_nobody_due_is_kind_and_null_in_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    shop = Shop(capsys, tmp_path / "quiet.json")
    shop.run("add", "Ana Ruiz")
    shop.run("log", "Ana Ruiz")
    assert shop.run("instead") == (
        "Nobody is due right now: a fine moment to deepen a conversation you already have.\n"
    )
    assert json.loads(shop.run("instead", "--json")) is None
    assert shop.today() == []


def test_text_from_the_file_prints_literally(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    shop = Shop(capsys, tmp_path / "odd.json")
    shop.run("add", "[bold]Ana\x1b[2J", "--phone", "\x1b]0;x\x07555", "--influence", "3")
    shop.run("log", "Ana", "--at", "jun 1", "--learned", "needs [red]vans[/]\x1b[31m now")
    shop.run("log", "Ana", "--outcome", "attempt", "--at", "2d")
    for command in (("today",), ("instead",)):
        out = shop.run(*command)
        assert "\x1b" not in out and "\x07" not in out
        assert "[bold]Ana\\x1b[2J" in out and "needs [red]vans[/]\\x1b[31m now" in out
    assert json.loads(shop.run("instead", "--json"))["talking_point"] == "needs [red]vans[/]\x1b[31m now"


# -- the settings file ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("daily_cap = 3\nopen_on = main\n", ["not valid TOML", "invalid value at line 2, column 11"]),
        ("daily_cap = 3\ndaily_capp = 2\n", ["Unknown setting daily_capp"]),
        ("[weights]\nfollow_up = -1\n", ["weights.follow_up"]),
        ("daily_cap = 0\n", ["daily_cap"]),
    ],
)
@pytest.mark.parametrize("command", [["today"], ["today", "--json"], ["instead"], ["instead", "--json"]])
def test_a_bad_settings_file_is_one_sentence_and_nothing_is_written(
    book: Shop, isolated_env: Path, text: str, words: list[str], command: list[str]
) -> None:
    isolated_env.write_text(text, encoding="utf-8")
    folder = book.path.parent
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    code, out, err = book.call(*command)
    assert (code, out) == (1, "")
    assert err.startswith("meetup-tui: ") and err.count("\n") == 1 and "Traceback" not in err
    assert str(isolated_env) in err
    for word in words:
        assert word in err
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before


def test_settings_are_read_once_and_only_by_commands_that_rank_or_read_a_date(
    book: Shop, isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[int] = []
    real = commands.load_settings
    monkeypatch.setattr(commands, "load_settings", lambda: (reads.append(1), real())[1])
    book.run("today")
    book.run("instead")
    book.run("add", "Kim Bell")
    book.run("log", "Kim Bell", "--at", "yesterday", "--follow-up", "3d")  # dayfirst, read once
    assert len(reads) == 3
    isolated_env.write_text("not = [toml\n", encoding="utf-8")
    book.run("add", "Lou Bell")
    book.run("log", "Lou Bell")
    book.run("people")
    book.run("post", "Instagram")
    assert len(reads) == 3
    before = book.path.read_bytes()
    for command in (("today",), ("snooze", "Lou Bell", "3d"), ("log", "Lou Bell", "--at", "yesterday")):
        code, _, err = book.call(*command)
        assert code == 1 and "settings" in err and len(err.strip().splitlines()) == 1
    assert book.path.read_bytes() == before


def test_today_and_instead_never_import_textual(book: Shop, tmp_path: Path) -> None:
    script = textwrap.dedent(
        """
        import json, sys
        from meetup_tui.cli.main import main
        db, day = sys.argv[1], sys.argv[2]
        codes = [main(["--db", db, "--today", day, *c.split()])
                 for c in ("today", "today --json", "today --limit 0", "instead", "instead --json")]
        textual = sorted(m for m in sys.modules if m.split(".")[0] == "textual")
        print(json.dumps({"codes": codes, "textual": textual}))
        """
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEETUP_TUI_")}
    env.update(MEETUP_TUI_USER=USER, MEETUP_TUI_SETTINGS=str(tmp_path / "settings.toml"))
    done = subprocess.run(
        [sys.executable, "-c", script, str(book.path), DAY],
        cwd=tmp_path, env=env, capture_output=True, text=True, encoding="utf-8", timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.splitlines()[-1])
    assert result == {"codes": [0, 0, 0, 0, 0], "textual": []}
    assert "Ana Ruiz" in done.stdout  # the commands really ran on the book


def test_today_names_a_segments_untouched_connector(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    shop = Shop(capsys, tmp_path / "club.json")
    run = shop.run
    run("segments", "Runners' club", "--create", "--tag", "runner")
    # Quarterly, last talked in May and June: neither is due by cadence on 18 June.
    run("add", "Ana Ruiz", "--tag", "runner", "--influence", "4", "--cadence", "quarterly")
    run("add", "Bo Lee", "--tag", "runner", "--influence", "1", "--cadence", "quarterly")
    run("log", "Ana Ruiz", "--at", "may 1")  # 48 days ago: an untouched connector
    run("log", "Bo Lee", "--at", "jun 10")  # 8 days ago: touched
    listed = shop.today()
    assert [(i["name"], i["reasons"]) for i in listed] == [
        ("Ana Ruiz", ["connector of Runners' club, not talked to in 30+ days", "influence 4"])
    ]
    assert listed[0]["score"] == pytest.approx(WEIGHTS.untouched_connector + 4 * WEIGHTS.influence)
    assert "1 of 2 connectors touched in 30 days" in run("segments")  # the segment view agrees
