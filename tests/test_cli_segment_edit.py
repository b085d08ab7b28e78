"""`meetup-tui segments NAME --create | --rename | --delete | --restore` and the rule's
options: segments made and changed from the shell, checked in the file on disk."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_support import USER, cli, isolate_env, run_cli
from meetup_tui.domain.records import Person, Segment
from meetup_tui.store.database import Database


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate_env(monkeypatch, tmp_path, USER)


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    path = tmp_path / "shop.json"
    db = Database.open(path, user=USER, create=True)
    racers = [Person(name=f"Racer {n}", tags=["racing"], area="Millbrook", influence=n) for n in range(4)]
    others = [Person(name=f"Walker {n}", area="Riverside") for n in range(4)]
    kept = Segment(name="Commuters", rule={"tags": ["commuter"], "x_future": 1}, include=[others[0].id])
    db.commit(*(db.stamp(r) for r in (*racers, *others, kept)))
    return path


def segments(path: Path) -> dict[str, Segment]:
    return {s.name: s for s in Database.open(path, user="reader").book.live_segments()}


def run(capsys, path: Path, *args: str) -> tuple[int, str, str]:
    return cli(capsys, "--db", str(path), "segments", *args)


def test_create_makes_the_rule_from_the_options_and_says_who_it_holds(capsys, shop: Path) -> None:
    code, out, err = run(
        capsys, shop, "Fast locals", "--create", "--tag", "racing", "--area", "millbrook",
        "--min-influence", "2", "--cadence", "every 3 weeks", "--description", " the quick ones ",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "Made the segment 'Fast locals'.",
        "Rule: tag racing · area millbrook · influence 2+ — 2 members.",
    ]
    made = segments(shop)["Fast locals"]
    assert made.rule == {"tags": ["racing"], "area": "millbrook", "min_influence": 2}
    assert (made.cadence, made.description) == ("FREQ=WEEKLY;INTERVAL=3", "the quick ones")


def test_create_a_name_taken_is_refused_and_writes_nothing(capsys, shop: Path) -> None:
    before = shop.read_bytes()
    code, _, err = run(capsys, shop, "commuters", "--create", "--tag", "x")
    assert code == 1 and err.strip() == "meetup-tui: There is already a segment called 'Commuters'."
    assert shop.read_bytes() == before


def test_change_replaces_only_the_conditions_given_and_keeps_the_rest(capsys, shop: Path) -> None:
    code, out, _ = run(
        capsys, shop, "commut", "--all-tags", "--tag", "commuter", "--tag", "ebike", "--rename", "Riders"
    )
    assert code == 0 and out.startswith("Changed 'Commuters': rule, name.")
    riders = segments(shop)["Riders"]
    assert riders.rule == {"x_future": 1, "tags": ["commuter", "ebike"], "tags_mode": "all"}
    assert len(riders.include) == 1, "the hand-made list is kept"
    code, out, _ = run(capsys, shop, "Riders", "--tag", "", "--area", "Riverside")
    assert code == 0
    assert segments(shop)["Riders"].rule == {"x_future": 1, "area": "Riverside"}, "'' clears a condition"
    code, out, _ = run(capsys, shop, "Riders", "--area", "Riverside")
    assert code == 0 and out.startswith("Nothing to change for 'Riders'.")


def test_a_rule_of_over_half_of_everyone_is_made_with_a_warning(capsys, shop: Path) -> None:
    code, out, _ = run(capsys, shop, "Everyone", "--create", "--min-influence", "0")
    assert code == 0
    assert "⚠ It holds 8 of 8 people: an audience of everyone is no one." in out


def test_delete_leaves_a_tombstone_and_restore_brings_it_back_whole(capsys, shop: Path) -> None:
    before = segments(shop)["Commuters"]
    code, out, _ = run(capsys, shop, "Commuters", "--delete")
    assert code == 0 and "`meetup-tui segments Commuters --restore` brings it back." in out
    assert "Commuters" not in segments(shop)
    assert len(Database.open(shop, user="reader").book.live_people()) == 8, "its people stay"
    code, _, _ = run(capsys, shop, "Commuters", "--restore")
    assert code == 0
    back = segments(shop)["Commuters"]
    assert (back.id, back.rule, back.include) == (before.id, before.rule, before.include)


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (
            ["Commuters", "--min-influence", "9"],
            "Influence at least must be a whole number from 0 to 5, not '9'.",
        ),
        (["Commuters", "--delete", "--tag", "x"], "--delete and --restore take no other changes"),
        (["Commuters", "--rename", "  "], "The segment's name is empty"),
        (["Commuters", "--create", "--rename", "X"], "--create names the segment NAME already"),
        (["--create", "--tag", "x"], "Say which segment"),
        (["Commuters", "--tag", "x", "--json"], "--json shows a segment"),
    ],
)
def test_usage_errors_are_one_sentence_exit_2_and_write_nothing(capsys, shop: Path, args, said) -> None:
    before = shop.read_bytes()
    code, out, err = run(capsys, shop, *args)
    assert code == 2 and said in err and len(err.strip().splitlines()) == 1 and out == ""
    assert shop.read_bytes() == before


def test_unknown_segment_and_nothing_to_restore_are_failures(capsys, shop: Path) -> None:
    code, _, err = run(capsys, shop, "Nope", "--tag", "x")
    assert code == 1 and "There is no segment called 'Nope'" in err
    code, _, err = run(capsys, shop, "Commuters", "--restore")
    assert code == 1 and "There is no deleted segment called 'Commuters' to bring back." in err


def test_create_in_a_real_process_on_a_new_file(tmp_path: Path) -> None:
    path = tmp_path / "new.json"
    done = run_cli(tmp_path, "--db", str(path), "segments", "Bakers", "--create", "--tag", "bakery")
    assert done.returncode == 0, done.stderr
    assert segments(path)["Bakers"].rule == {"tags": ["bakery"]}
