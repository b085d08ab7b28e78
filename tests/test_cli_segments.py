"""`meetup-tui segments [NAME] [--json]` (SPEC §6): every segment with its rule, coverage and
connectors; one segment's members, influence first, overdue ones marked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_support import USER, cli, isolate_env
from meetup_tui.domain.records import Interaction, Person, Segment
from meetup_tui.store.database import Database

DAY = "2026-11-26"


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate_env(monkeypatch, tmp_path, USER)


@pytest.fixture
def club(tmp_path: Path) -> Path:
    """Runners' club: Maria (influence 5, introduced two, talked to last week), Kwame
    (influence 3, never talked to), Lee (no influence); Zoe is a runner left out by hand."""
    path = tmp_path / "shop.json"
    db = Database.open(path, user=USER, create=True)
    maria = Person(name="Maria Gonzalez", tags=["runner"], influence=5, stage="advocate")
    kwame = Person(name="Kwame Mensah", tags=["runner"], influence=3, introduced_by=maria.id)
    lee = Person(name="Lee Park", tags=["runner"], introduced_by=maria.id)
    zoe = Person(name="Zoe Quinn", tags=["runner"])
    runners = Segment(name="Runners' club", rule={"tags": ["runner"]}, exclude=[zoe.id])
    talk = Interaction(at="2026-11-20T10:00", people=[maria.id], kind="coffee")
    db.commit(*(db.stamp(r) for r in (maria, kwame, lee, zoe, runners, talk)))
    return path


def run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> str:
    code, out, err = cli(capsys, "--db", str(db), "--today", DAY, "segments", *args)
    assert code == 0, err
    return out


def test_the_list_says_coverage_and_connectors(capsys: pytest.CaptureFixture[str], club: Path) -> None:
    out = run(capsys, club).splitlines()
    assert out == [
        "Runners' club — tag runner",
        "   1 of 3 in touch · 1 of 2 connectors touched in 30 days",
        "",
        "⚠ 1 person in no segment.",  # Zoe, left out by hand
    ]


def test_one_segment_lists_connectors_and_members_influence_first(
    capsys: pytest.CaptureFixture[str], club: Path
) -> None:
    out = run(capsys, club, "runners").splitlines()
    assert out[0] == "Runners' club: 3 members, 1 of 3 in touch within their cadence."
    assert out[1] == "Rule: tag runner; 1 left out"
    assert out[2] == "Runners' club: 1 of 2 connectors touched in 30 days."
    assert out[3].startswith("   Maria Gonzalez: influence 5, introduced 2, in 1 log entry — touched")
    assert out[4].startswith("   Kwame Mensah: influence 3, introduced 0, in 0 log entries — not touched")
    members = [line for line in out[6:] if line]
    assert [line.split()[0 if not line.startswith("!") else 2] for line in members] == [
        "Maria",
        "Kwame",
        "Lee",
    ]
    assert members[1].startswith("! due") and members[2].startswith("! due") and members[0].startswith("   ")
    assert not any("Zoe" in line for line in out)


def test_json_has_the_numbers_and_the_members(capsys: pytest.CaptureFixture[str], club: Path) -> None:
    (listed,) = json.loads(run(capsys, club, "--json"))
    assert (listed["name"], listed["members"], listed["in_touch"]) == ("Runners' club", 3, 1)
    assert [c["name"] for c in listed["connectors"]] == ["Maria Gonzalez", "Kwame Mensah"]
    assert [c["touched"] for c in listed["connectors"]] == [True, False]
    assert listed["connectors"][0]["introduced"] == 2 and "_v" not in listed
    one = json.loads(run(capsys, club, "Runners' club", "--json"))
    assert [p["name"] for p in one["people"]] == ["Maria Gonzalez", "Kwame Mensah", "Lee Park"]


def test_an_unknown_segment_is_an_error_naming_the_segments(
    capsys: pytest.CaptureFixture[str], club: Path
) -> None:
    before = club.read_bytes()
    code, out, err = cli(capsys, "--db", str(club), "segments", "Swimmers")
    assert code == 1 and out == ""
    assert "There is no segment called 'Swimmers' (segments: Runners' club)." in err
    assert club.read_bytes() == before


def test_no_segments_yet_says_how_to_start(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "empty.json"
    Database.open(path, user=USER, create=True).save()
    assert "No segments yet" in run(capsys, path)
    assert json.loads(run(capsys, path, "--json")) == []


def test_the_list_warns_of_a_segment_of_everyone_and_of_people_in_none(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "wide.json"
    db = Database.open(path, user=USER, create=True)
    people = [Person(name=f"P{n}", tags=["local"] if n < 5 else []) for n in range(8)]
    everyone = Segment(name="Everyone local", rule={"tags": ["local"]})
    db.commit(*(db.stamp(r) for r in (*people, everyone)))
    out = run(capsys, path).splitlines()
    assert out[-2:] == [
        "⚠ Everyone local holds 5 of 8 people: an audience of everyone is no one — narrow its rule.",
        "⚠ 3 people in no segment.",
    ]
    (doc,) = json.loads(run(capsys, path, "--json"))
    assert doc["too_broad"] is True
