"""What the file may hold beyond what meetup-tui writes: records a TinyDB script inserted,
fields and tables this version does not know, and values of the wrong type."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_support import people_docs, run_cli, tables
from tinydb import TinyDB

from meetup_tui.store import jsonfile, schema


def ok(folder: Path, *args: str) -> str:
    done = run_cli(folder, "--db", "m.json", *args)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_record_a_tinydb_script_inserted_is_adopted(tmp_path: Path) -> None:
    ok(tmp_path, "add", "Ana")
    db = TinyDB(tmp_path / "m.json")
    db.table("people").insert({"name": "Zed Marsh", "phones": ["555 0300"]})
    db.close()
    listed = json.loads(ok(tmp_path, "people", "--json"))
    assert [p["name"] for p in listed] == ["Ana", "Zed Marsh"]
    zed = next(p for p in listed if p["name"] == "Zed Marsh")
    assert json.loads(ok(tmp_path, "people", "--json"))[1]["id"] == zed["id"]  # the same id on every read
    ok(tmp_path, "edit", "Zed", "--org", "Marsh Cycles")
    (doc,) = [d for d in people_docs(tmp_path / "m.json") if d["name"] == "Zed Marsh"]
    assert (doc["id"], doc["org"], doc["phones"]) == (zed["id"], "Marsh Cycles", ["555 0300"])
    assert doc["created_at"] and doc["updated_by"]


def test_two_copies_adopting_one_inserted_record_agree_on_its_id(tmp_path: Path) -> None:
    ok(tmp_path, "add", "Ana")
    db = TinyDB(tmp_path / "m.json")
    db.table("people").insert({"name": "Zed Marsh"})
    db.close()
    data = tables(tmp_path / "m.json")
    ids = {
        next(
            p.id
            for p in schema.decode(tmp_path, json.loads(json.dumps(data)))[0].people.values()
            if p.name == "Zed Marsh"
        )
        for _ in range(2)
    }
    assert len(ids) == 1


def test_unknown_fields_and_tables_survive_every_write(tmp_path: Path) -> None:
    ok(tmp_path, "add", "Ana")
    path = tmp_path / "m.json"
    data = tables(path)
    next(iter(data["people"].values()))["x_custom"] = {"colour": "blue"}
    data["x_loyalty"] = {"1": {"card": "A-17", "points": 40}}
    path.write_text(json.dumps(data))
    ok(tmp_path, "edit", "Ana", "--org", "Cycle Co")
    ok(tmp_path, "add", "Bo", "--segment", "Riders")
    ok(tmp_path, "log", "Ana")
    after = tables(path)
    (ana,) = [d for d in after["people"].values() if d["name"] == "Ana"]
    assert ana["x_custom"] == {"colour": "blue"} and ana["org"] == "Cycle Co"
    assert after["x_loyalty"] == {"1": {"card": "A-17", "points": 40}}


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("name", 1, "'name' = 1, which is not text"),
        ("phones", [1, None], "'phones' holding something that is not text"),
        ("updated_at", 5, "'updated_at' = 5, which is not text"),
        ("created_at", None, "'created_at' = None"),
        ("deleted", "yes", "'deleted' that is not true or false"),
        ("_v", ["*"], "field versions ('_v') of the wrong shape"),
        ("_v", {"phones": {"555": 7}}, "field versions ('_v') of the wrong shape"),
        ("id", "", "an empty id"),
    ],
)
def test_a_value_of_the_wrong_type_is_one_sentence_and_never_written(
    tmp_path: Path, field: str, value: object, says: str
) -> None:
    ok(tmp_path, "add", "Ana")
    path = tmp_path / "m.json"
    data = tables(path)
    next(iter(data["people"].values()))[field] = value
    path.write_text(json.dumps(data))
    before = path.read_bytes()
    for command in (["today"], ["add", "Bo"], ["edit", "Ana", "--org", "X"]):
        done = run_cli(tmp_path, "--db", "m.json", *command)
        assert done.returncode == 1, (command, done.stderr)
        assert says in done.stderr and done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert path.read_bytes() == before
    with pytest.raises(jsonfile.BadFile):
        schema.decode(path, json.loads(before))
