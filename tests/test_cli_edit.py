"""`meetup-tui edit NAME [the options of add] [--rename NEW]` (SPEC §6): each option given
replaces that field, an empty text clears it, --add-…/--remove-… change one element of a
list, and a refused edit leaves the file's bytes as they were.

Every check reads what was written: the JSON file on disk, or `people --json`."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from cli_support import USER, add, cli, isolate_env, people_docs, tables
from meetup_tui.domain.records import Segment
from meetup_tui.store.database import Database


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate_env(monkeypatch, tmp_path, USER)


# -- helpers ---------------------------------------------------------------------------------


def edit(
    capsys: pytest.CaptureFixture[str], db: Path, *args: str, user: str | None = None
) -> tuple[int, str, str]:
    who = ("--user", user) if user else ()
    return cli(capsys, "--db", str(db), *who, "edit", *args)


def edited(capsys: pytest.CaptureFixture[str], db: Path, *args: str, user: str | None = None) -> str:
    """Run an edit that must succeed; its stdout."""
    code, out, err = edit(capsys, db, *args, user=user)
    assert code == 0, err
    assert err == ""
    return out


def doc(db: Path, name: str) -> dict:
    """The person's record as stored in the file."""
    [found] = [p for p in people_docs(db) if p["name"] == name and not p["deleted"]]
    return found


def listed(capsys: pytest.CaptureFixture[str], db: Path) -> dict[str, dict]:
    """`people --json`, by name."""
    code, out, err = cli(capsys, "--db", str(db), "people", "--json")
    assert code == 0, err
    return {p["name"]: p for p in json.loads(out)}


def segment_doc(db: Path, name: str) -> dict:
    [found] = [s for s in tables(db)["segments"].values() if s["name"] == name and not s["deleted"]]
    return found


def add_segment(db: Path, segment: Segment) -> None:
    Database.open(db, user=USER).add(segment)


def refused(
    capsys: pytest.CaptureFixture[str], db: Path, code: int, *args: str
) -> str:
    """Run an edit that must fail with `code` and leave the file exactly as it was; its stderr."""
    before = db.read_bytes()
    got, out, err = edit(capsys, db, *args)
    assert got == code, (out, err)
    assert out == ""
    assert db.read_bytes() == before
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    return err


@pytest.fixture
def ana(capsys: pytest.CaptureFixture[str], db_path: Path) -> Path:
    """A book with Ana Ruiz (two phones, two tags, an org...) and Bo Lee."""
    add(
        capsys, db_path, "Ana Ruiz", "--phone", "+1 555 0100", "--email", "ana@example.com",
        "--org", "Ruiz Tyres", "--area", "North", "--influence", "2", "--cadence", "monthly",
        "--channel", "call", "--owner", "kim", "--tag", "tyres", "--tag", "winter",
    )  # fmt: skip
    add(capsys, db_path, "Bo Lee", "--phone", "+1 555 0200")
    assert edited(capsys, db_path, "Ana Ruiz", "--add-phone", "+1 555 0101")  # a second phone
    stored = doc(db_path, "Ana Ruiz")
    assert stored["phones"] == ["+1 555 0100", "+1 555 0101"]
    assert stored["tags"] == ["tyres", "winter"]
    return db_path


# -- each scalar option replaces its field ---------------------------------------------------


@pytest.mark.parametrize(
    ("option", "value", "field", "stored"),
    [
        ("--org", "Lee & Sons", "org", "Lee & Sons"),
        ("--area", "South", "area", "South"),
        ("--influence", "5", "influence", 5),
        ("--influence", "0", "influence", 0),
        ("--stage", "Customer", "stage", "customer"),
        ("--cadence", "every 2 weeks", "cadence", "FREQ=WEEKLY;INTERVAL=2"),
        ("--cadence", "quarterly", "cadence", "FREQ=MONTHLY;INTERVAL=3"),
        ("--channel", "coffee", "channel", "coffee"),
        ("--owner", "  sam   smith ", "owner", "sam smith"),
        ("--birthday", "14 March", "birthday", "--03-14"),
        ("--birthday", "1990-03-14", "birthday", "1990-03-14"),
    ],
)
def test_a_scalar_option_replaces_its_field_and_nothing_else(
    capsys: pytest.CaptureFixture[str], ana: Path, option: str, value: str, field: str, stored: object
) -> None:
    before, bo = doc(ana, "Ana Ruiz"), doc(ana, "Bo Lee")
    assert before[field] != stored
    out = edited(capsys, ana, "ana", option, value)
    assert out == f"Changed Ana Ruiz: {field}.\n"
    after = doc(ana, "Ana Ruiz")
    assert after[field] == stored
    assert listed(capsys, ana)["Ana Ruiz"][field] == stored
    # every other field of the person as it was
    ignore = {field, "updated_at", "updated_by", "_v"}
    assert {k: v for k, v in after.items() if k not in ignore} == {
        k: v for k, v in before.items() if k not in ignore
    }
    assert doc(ana, "Bo Lee") == bo


def test_introduced_by_names_a_person_and_is_stored_as_their_id(
    capsys: pytest.CaptureFixture[str], ana: Path
) -> None:
    assert doc(ana, "Ana Ruiz")["introduced_by"] is None
    out = edited(capsys, ana, "Ana Ruiz", "--introduced-by", "bo")
    assert out == "Changed Ana Ruiz: introduced_by.\n"
    bo_id = doc(ana, "Bo Lee")["id"]
    assert doc(ana, "Ana Ruiz")["introduced_by"] == bo_id
    assert listed(capsys, ana)["Ana Ruiz"]["introduced_by"] == bo_id


def test_introduced_by_someone_not_in_the_book_is_refused(
    capsys: pytest.CaptureFixture[str], ana: Path
) -> None:
    err = refused(capsys, ana, 1, "Ana Ruiz", "--introduced-by", "Zed")
    assert "Zed" in err


def test_a_person_cannot_have_introduced_themselves(capsys: pytest.CaptureFixture[str], ana: Path) -> None:
    refused(capsys, ana, 2, "Ana Ruiz", "--introduced-by", "ana")


def test_stage_takes_the_stages_of_the_settings(
    capsys: pytest.CaptureFixture[str], db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = tmp_path / "settings.toml"
    settings.write_text('stages = ["cold", "warm", "friend"]\n', encoding="utf-8")
    monkeypatch.setenv("MEETUP_TUI_SETTINGS", str(settings))
    add(capsys, db_path, "Ana Ruiz", "--stage", "cold")
    assert doc(db_path, "Ana Ruiz")["stage"] == "cold"

    assert edited(capsys, db_path, "Ana Ruiz", "--stage", "WARM") == "Changed Ana Ruiz: stage.\n"
    assert doc(db_path, "Ana Ruiz")["stage"] == "warm"
    # "lead" is a default stage, but not one of these settings
    err = refused(capsys, db_path, 2, "Ana Ruiz", "--stage", "lead")
    assert "cold, warm, friend" in err
    assert doc(db_path, "Ana Ruiz")["stage"] == "warm"


# -- an empty text clears ----------------------------------------------------------------------


def test_empty_texts_clear_their_fields(capsys: pytest.CaptureFixture[str], ana: Path) -> None:
    edited(capsys, ana, "Ana Ruiz", "--birthday", "14 March", "--introduced-by", "Bo Lee")
    before = doc(ana, "Ana Ruiz")
    assert (before["org"], before["cadence"], before["birthday"]) == ("Ruiz Tyres", "FREQ=MONTHLY", "--03-14")
    assert before["introduced_by"] == doc(ana, "Bo Lee")["id"]

    out = edited(
        capsys, ana, "Ana Ruiz", "--org", "", "--cadence", "", "--birthday", "", "--introduced-by", ""
    )
    assert out == "Changed Ana Ruiz: org, cadence, introduced_by, birthday.\n"
    after = doc(ana, "Ana Ruiz")
    assert (after["org"], after["cadence"], after["birthday"], after["introduced_by"]) == ("", "", None, None)
    shown = listed(capsys, ana)["Ana Ruiz"]
    assert (shown["org"], shown["cadence"], shown["birthday"], shown["introduced_by"]) == ("", "", None, None)
    # the rest stays
    assert (after["area"], after["owner"], after["phones"]) == ("North", "kim", before["phones"])


def test_a_blank_text_clears_like_an_empty_one(capsys: pytest.CaptureFixture[str], ana: Path) -> None:
    edited(capsys, ana, "Ana Ruiz", "--org", "   ", "--area", " ")
    after = doc(ana, "Ana Ruiz")
    assert (after["org"], after["area"]) == ("", "")


# -- lists: replace, or change one element -------------------------------------------------------


def test_repeated_list_options_replace_the_lists(capsys: pytest.CaptureFixture[str], ana: Path) -> None:
    out = edited(
        capsys, ana, "Ana Ruiz", "--phone", "+1 555 0300", "--phone", "+1 555 0301",
        "--email", "a@ruiz.example", "--tag", "vip",
    )  # fmt: skip
    assert out == "Changed Ana Ruiz: phones, emails, tags.\n"
    after = doc(ana, "Ana Ruiz")
    assert after["phones"] == ["+1 555 0300", "+1 555 0301"]
    assert after["emails"] == ["a@ruiz.example"]
    assert after["tags"] == ["vip"]
    assert listed(capsys, ana)["Ana Ruiz"]["phones"] == ["+1 555 0300", "+1 555 0301"]


def test_an_empty_list_option_clears_the_list(capsys: pytest.CaptureFixture[str], ana: Path) -> None:
    edited(capsys, ana, "Ana Ruiz", "--tag", "", "--email", "")
    after = doc(ana, "Ana Ruiz")
    assert (after["tags"], after["emails"]) == ([], [])
    assert after["phones"] == ["+1 555 0100", "+1 555 0101"]


def test_add_and_remove_change_one_element_and_keep_the_rest_in_order(
    capsys: pytest.CaptureFixture[str], ana: Path
) -> None:
    out = edited(
        capsys, ana, "Ana Ruiz", "--add-phone", "+1 555 0102", "--remove-phone", "+1 555 0101",
        "--add-tag", "vip", "--remove-tag", "tyres", "--add-email", "second@example.com",
    )  # fmt: skip
    assert out == "Changed Ana Ruiz: phones, emails, tags.\n"
    after = doc(ana, "Ana Ruiz")
    assert after["phones"] == ["+1 555 0100", "+1 555 0102"]  # the first phone stays first
    assert after["emails"] == ["ana@example.com", "second@example.com"]
    assert after["tags"] == ["winter", "vip"]

    edited(capsys, ana, "Ana Ruiz", "--remove-email", "ana@example.com")
    assert doc(ana, "Ana Ruiz")["emails"] == ["second@example.com"]


def test_adding_an_element_already_there_changes_nothing(
    capsys: pytest.CaptureFixture[str], ana: Path
) -> None:
    before = ana.read_bytes()
    out = edited(capsys, ana, "Ana Ruiz", "--add-phone", "+1 555 0100", "--add-tag", "winter")
    assert out.startswith("Nothing to change")
    assert ana.read_bytes() == before


# -- renaming ------------------------------------------------------------------------------------


def test_rename(capsys: pytest.CaptureFixture[str], ana: Path) -> None:
    ana_id = doc(ana, "Ana Ruiz")["id"]
    out = edited(capsys, ana, "ana", "--rename", "  Ana   Lopez ")
    assert out == "Changed Ana Lopez: name.\n"
    assert doc(ana, "Ana Lopez")["id"] == ana_id
    assert set(listed(capsys, ana)) == {"Ana Lopez", "Bo Lee"}
    # and the old name finds no one now
    refused(capsys, ana, 1, "Ana Ruiz", "--org", "X")


def test_rename_to_the_name_of_another_live_person_is_refused(
    capsys: pytest.CaptureFixture[str], ana: Path
) -> None:
    err = refused(capsys, ana, 1, "Ana Ruiz", "--rename", "bo lee", "--org", "X")
    assert "Bo Lee" in err
    assert set(listed(capsys, ana)) == {"Ana Ruiz", "Bo Lee"}


def test_rename_to_the_same_name_in_another_case_is_allowed(
    capsys: pytest.CaptureFixture[str], ana: Path
) -> None:
    ana_id = doc(ana, "Ana Ruiz")["id"]
    out = edited(capsys, ana, "Ana Ruiz", "--rename", "ANA RUIZ")
    assert out == "Changed ANA RUIZ: name.\n"
    assert doc(ana, "ANA RUIZ")["id"] == ana_id
    assert len(people_docs(ana)) == 2


def test_rename_to_the_name_of_a_deleted_person_is_allowed(
    capsys: pytest.CaptureFixture[str], ana: Path
) -> None:
    db = Database.open(ana, user=USER)
    db.delete(db.book.find_person("Bo Lee"))
    edited(capsys, ana, "Ana Ruiz", "--rename", "Bo Lee")
    assert set(listed(capsys, ana)) == {"Bo Lee"}
    assert listed(capsys, ana)["Bo Lee"]["phones"] == ["+1 555 0100", "+1 555 0101"]


# -- refusals leave the file alone ---------------------------------------------------------------


def test_an_unknown_name_is_one_sentence_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], ana: Path
) -> None:
    err = refused(capsys, ana, 1, "Zed", "--org", "X")
    assert err == "meetup-tui: No one called 'Zed' is in the book.\n"


def test_a_name_matching_several_people_is_refused_listing_them(
    capsys: pytest.CaptureFixture[str], ana: Path
) -> None:
    add(capsys, ana, "Ana Lee")
    err = refused(capsys, ana, 1, "ana", "--org", "X")
    assert "Ana Lee" in err and "Ana Ruiz" in err


@pytest.mark.parametrize(
    ("option", "value", "says"),
    [
        ("--cadence", "whenever", "cadence"),
        ("--birthday", "31 February", "birthday"),
        ("--birthday", "someday", "birthday"),
        ("--stage", "friend", "stage"),
    ],
)
def test_a_bad_value_is_a_usage_error_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], ana: Path, option: str, value: str, says: str
) -> None:
    err = refused(capsys, ana, 2, "Ana Ruiz", option, value, "--org", "Changed Org")
    assert says in err
    assert doc(ana, "Ana Ruiz")["org"] == "Ruiz Tyres"


def test_editing_a_deleted_person_is_not_possible(capsys: pytest.CaptureFixture[str], ana: Path) -> None:
    db = Database.open(ana, user=USER)
    db.delete(db.book.find_person("Bo Lee"))
    err = refused(capsys, ana, 1, "Bo Lee", "--org", "Ghosts Inc")
    assert "Bo Lee" in err
    [tomb] = [p for p in people_docs(ana) if p["name"] == "Bo Lee"]
    assert tomb["deleted"] is True and tomb["org"] == ""


def test_editing_a_missing_file_creates_nothing(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    code, out, err = edit(capsys, db_path, "Ana Ruiz", "--org", "X")
    assert code == 1 and out == ""
    assert not db_path.exists()


# -- nothing to change ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        (),
        ("--org", "Ruiz Tyres", "--area", "North", "--cadence", "every month"),
        ("--rename", "Ana Ruiz"),
        ("--remove-tag", "not-a-tag"),
    ],
)
def test_nothing_to_change_does_not_rewrite_the_file(
    capsys: pytest.CaptureFixture[str], ana: Path, args: tuple[str, ...]
) -> None:
    old = 1_700_000_000_000_000_000
    os.utime(ana, ns=(old, old))
    before = ana.read_bytes()
    out = edited(capsys, ana, "Ana Ruiz", *args)
    assert out.startswith("Nothing to change")
    assert out.count("\n") == 1
    assert ana.read_bytes() == before
    assert ana.stat().st_mtime_ns == old


# -- field versions ------------------------------------------------------------------------------


def test_an_edit_versions_the_fields_it_changed_with_its_user(
    capsys: pytest.CaptureFixture[str], ana: Path
) -> None:
    base = doc(ana, "Ana Ruiz")["_v"]
    assert "org" not in base and "area" not in base

    edited(capsys, ana, "Ana Ruiz", "--org", "X", user="sam@shop")
    after = doc(ana, "Ana Ruiz")
    assert after["org"] == "X" and after["updated_by"] == "sam@shop"
    stamp, user = after["_v"]["org"].split(" ")
    assert user == "sam@shop"
    assert stamp == after["updated_at"]
    assert "area" not in after["_v"]  # untouched fields keep the version they had
    assert after["_v"]["*"] == base["*"]

    edited(capsys, ana, "Ana Ruiz", "--area", "East", "--add-tag", "vip", user="kim@shop")
    later = doc(ana, "Ana Ruiz")
    assert later["_v"]["org"] == after["_v"]["org"]  # sam's version of org kept
    assert later["_v"]["area"].split(" ") == [later["updated_at"], "kim@shop"]
    assert later["_v"]["area"] > after["_v"]["org"]
    assert later["_v"]["tags"]["vip"].endswith(" kim@shop")  # a list element has its own version
    assert (later["org"], later["area"], later["updated_by"]) == ("X", "East", "kim@shop")


# -- segments ------------------------------------------------------------------------------------


def test_add_segment_creates_a_new_segment_and_says_so(capsys: pytest.CaptureFixture[str], ana: Path) -> None:
    out = edited(capsys, ana, "Ana Ruiz", "--add-segment", "Winter club")
    assert out == "Changed Ana Ruiz: joined Winter club.\nCreated the segment 'Winter club'.\n"
    segment = segment_doc(ana, "Winter club")
    assert segment["include"] == [doc(ana, "Ana Ruiz")["id"]]
    assert listed(capsys, ana)["Ana Ruiz"]["segments"] == ["Winter club"]

    # an existing segment (any case) is joined, not made again
    out = edited(capsys, ana, "Bo Lee", "--add-segment", "WINTER CLUB")
    assert out == "Changed Bo Lee: joined Winter club.\n"
    assert len(tables(ana)["segments"]) == 1
    both = [doc(ana, "Ana Ruiz")["id"], doc(ana, "Bo Lee")["id"]]
    assert segment_doc(ana, "Winter club")["include"] == both


def test_remove_segment_of_a_manual_member_takes_them_off_include(
    capsys: pytest.CaptureFixture[str], ana: Path
) -> None:
    edited(capsys, ana, "Ana Ruiz", "--add-segment", "club")
    edited(capsys, ana, "Bo Lee", "--add-segment", "club")
    out = edited(capsys, ana, "Ana Ruiz", "--remove-segment", "Club")
    assert out == "Changed Ana Ruiz: left club.\n"
    segment = segment_doc(ana, "club")
    assert segment["include"] == [doc(ana, "Bo Lee")["id"]]
    assert segment["exclude"] == []  # no rule: nothing to exclude from
    shown = listed(capsys, ana)
    assert (shown["Ana Ruiz"]["segments"], shown["Bo Lee"]["segments"]) == ([], ["club"])


def test_remove_segment_whose_rule_still_matches_puts_them_on_exclude(
    capsys: pytest.CaptureFixture[str], ana: Path
) -> None:
    add_segment(ana, Segment(name="Winter", rule={"tags": ["winter"]}))
    add(capsys, ana, "Cy Moss", "--tag", "winter")
    assert listed(capsys, ana)["Ana Ruiz"]["segments"] == ["Winter"]  # by the rule

    out = edited(capsys, ana, "Ana Ruiz", "--remove-segment", "winter")
    assert out == "Changed Ana Ruiz: left Winter.\n"
    segment = segment_doc(ana, "Winter")
    assert segment["exclude"] == [doc(ana, "Ana Ruiz")["id"]]
    assert segment["rule"] == {"tags": ["winter"]}
    shown = listed(capsys, ana)
    assert shown["Ana Ruiz"]["segments"] == []  # really left
    assert "winter" in shown["Ana Ruiz"]["tags"]
    assert shown["Cy Moss"]["segments"] == ["Winter"]  # the rule still works for others
    code, out, err = cli(capsys, "--db", str(ana), "people", "--segment", "Winter", "--json")
    assert code == 0, err
    assert [p["name"] for p in json.loads(out)] == ["Cy Moss"]

    # and joining again takes them off exclude
    assert edited(capsys, ana, "Ana Ruiz", "--add-segment", "Winter") == "Changed Ana Ruiz: joined Winter.\n"
    assert segment_doc(ana, "Winter")["exclude"] == []
    assert listed(capsys, ana)["Ana Ruiz"]["segments"] == ["Winter"]


def test_segment_repeated_makes_the_memberships_exactly_those(
    capsys: pytest.CaptureFixture[str], ana: Path
) -> None:
    add_segment(ana, Segment(name="Tyres", rule={"tags": ["tyres"]}))
    edited(capsys, ana, "Ana Ruiz", "--add-segment", "A", "--add-segment", "Old")
    assert listed(capsys, ana)["Ana Ruiz"]["segments"] == ["A", "Old", "Tyres"]

    out = edited(capsys, ana, "Ana Ruiz", "--segment", "A", "--segment", "B")
    assert out.splitlines()[-1] == "Created the segment 'B'."
    assert out.startswith("Changed Ana Ruiz: ")
    assert set(out.splitlines()[0].removeprefix("Changed Ana Ruiz: ").rstrip(".").split(", ")) == {
        "left Old", "left Tyres", "joined B",
    }  # fmt: skip
    assert listed(capsys, ana)["Ana Ruiz"]["segments"] == ["A", "B"]
    ana_id = doc(ana, "Ana Ruiz")["id"]
    assert ana_id in segment_doc(ana, "Tyres")["exclude"]  # the rule matches, so excluded
    assert ana_id not in segment_doc(ana, "Old")["include"]


def test_adding_and_removing_the_same_segment_in_one_edit_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], ana: Path
) -> None:
    edited(capsys, ana, "Ana Ruiz", "--add-segment", "club")
    refused(capsys, ana, 2, "Ana Ruiz", "--add-segment", "Club", "--remove-segment", "club", "--org", "X")
    refused(capsys, ana, 2, "Ana Ruiz", "--add-segment", "New one", "--remove-segment", "NEW ONE")
    assert listed(capsys, ana)["Ana Ruiz"]["segments"] == ["club"]


def test_segment_and_remove_segment_of_the_same_segment_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], ana: Path
) -> None:
    edited(capsys, ana, "Ana Ruiz", "--add-segment", "club")
    refused(capsys, ana, 2, "Ana Ruiz", "--segment", "club", "--remove-segment", "club")
    refused(capsys, ana, 2, "Ana Ruiz", "--add-tag", "x", "--remove-tag", "X")
    refused(capsys, ana, 2, "Ana Ruiz", "--phone", "555", "--remove-phone", "555")


def test_the_output_names_every_kind_of_change(capsys: pytest.CaptureFixture[str], ana: Path) -> None:
    out = edited(
        capsys, ana, "Ana Ruiz", "--rename", "Ana R", "--org", "New", "--add-tag", "x",
        "--add-segment", "club",
    )  # fmt: skip
    assert out == "Changed Ana R: name, org, tags, joined club.\nCreated the segment 'club'.\n"
    after = doc(ana, "Ana R")
    assert (after["org"], after["tags"][-1]) == ("New", "x")
    assert listed(capsys, ana)["Ana R"]["segments"] == ["club"]
