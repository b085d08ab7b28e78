"""Next steps stay open until someone marks them done (issue 10; SPEC §2, §6 `log --done`).

A later conversation never closes a step; `log … --done` does.  A file from before done
marks (schema 2) keeps closed what its rule had met: the migration writes the marks.
Every check reads the file on disk or `today --json`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cli_support import USER, add, cli, isolate_env, tables, today_json
from meetup_tui.domain.book import Book
from meetup_tui.domain.merge import merge_books
from meetup_tui.domain.records import Interaction, Person
from meetup_tui.domain.steps import met_before_done_marks
from meetup_tui.store.database import Database
from meetup_tui.store.schema import SCHEMA


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    isolate_env(monkeypatch, tmp_path, USER)


def run(capsys: pytest.CaptureFixture[str], db: Path, day: str, *args: str) -> str:
    code, out, err = cli(capsys, "--db", str(db), "--today", day, *args)
    assert code == 0, err
    return out


def entries(db: Path) -> list[dict]:
    return sorted(tables(db)["interactions"].values(), key=lambda d: d["at"])


def test_a_call_about_something_else_leaves_the_step_open_and_done_closes_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "shop.json"
    add(capsys, db, "Helen Ng")
    run(capsys, db, "2026-11-20", "log", "Helen", "--next", "bring learn-to-ride flyers", "--follow-up", "2d")
    out = run(capsys, db, "2026-11-24", "log", "Helen", "--note", "hi")
    assert "Still open: bring learn-to-ride flyers (due 2 days ago)" in out
    step = entries(db)[0]
    assert step["done"] == "" and step["next_step"] == "bring learn-to-ride flyers"
    [helen] = today_json(capsys, db, "2026-11-25")
    assert "follow-up 3 days overdue: bring learn-to-ride flyers" in helen["reasons"]

    out = run(capsys, db, "2026-11-25", "log", "Helen", "--note", "brought them", "--done")
    assert "Done: bring learn-to-ride flyers" in out
    assert entries(db)[0]["done"] == "2026-11-25"
    assert today_json(capsys, db, "2026-11-26") == []


def test_done_with_a_new_next_step_replaces_the_old_one(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "shop.json"
    add(capsys, db, "Maya Patel")
    run(capsys, db, "2026-11-20", "log", "Maya", "--next", "send the winter price list")
    run(capsys, db, "2026-11-22", "log", "Maya", "--next", "visit in January", "--done")
    old, new = entries(db)
    assert (old["next_step"], old["done"]) == ("send the winter price list", "2026-11-22")
    assert (new["next_step"], new["done"]) == ("visit in January", "")


def test_done_closes_the_step_due_first_and_says_which_and_done_all_closes_every_one(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "shop.json"
    add(capsys, db, "Maya Patel")
    run(capsys, db, "2026-11-20", "log", "Maya", "--next", "send the price list", "--follow-up", "2026-11-28")
    run(capsys, db, "2026-11-21", "log", "Maya", "--next", "book the fitting", "--follow-up", "2026-11-23")
    out = run(capsys, db, "2026-11-24", "log", "Maya", "--note", "called", "--done")
    assert "Done: book the fitting (due yesterday)." in out  # due first: made later, closed first
    assert "Still open: send the price list (due in 4 days)" in out
    done = {d["next_step"]: d["done"] for d in entries(db) if d["next_step"]}
    assert done == {"send the price list": "", "book the fitting": "2026-11-24"}
    run(capsys, db, "2026-11-21", "log", "Maya", "--next", "ring back", "--follow-up", "2026-11-30")
    out = run(capsys, db, "2026-11-25", "log", "Maya", "--note", "all sorted", "--done", "all")
    assert "Done: send the price list" in out and "Done: ring back" in out and "Still open" not in out
    assert all(d["done"] for d in entries(db) if d["next_step"])


def test_done_given_a_name_is_a_usage_error_that_says_how(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "shop.json"
    add(capsys, db, "Maya Patel")
    before = db.read_bytes()
    code, out, err = cli(capsys, "--db", str(db), "log", "--done", "Maya")  # argparse: NAME is missing
    assert (code, out) == (2, "") and err.count("\n") == 1
    code, out, err = cli(capsys, "--db", str(db), "log", "--done", "Maya", "Maya")
    assert (code, out) == (2, "") and "--done takes 'all' or nothing" in err and "log Maya --done" in err
    assert db.read_bytes() == before


def test_done_for_an_unknown_name_writes_nothing(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = tmp_path / "shop.json"
    add(capsys, db, "Maya Patel")
    before = db.read_bytes()
    code, out, err = cli(capsys, "--db", str(db), "log", "Zed", "--done")
    assert code == 1 and "Zed" in err and out == ""
    assert db.read_bytes() == before


def schema_2_file(path: Path, interactions: list[dict]) -> None:
    stamp = "2026-10-01T09:00:00.000000Z"
    base = {"created_at": stamp, "updated_at": stamp, "updated_by": "old@shop", "deleted": False}
    maya = dict(base, id="p-maya", name="Maya Patel")
    tom = dict(base, id="p-tom", name="Tom Reed")
    docs = {}
    for n, item in enumerate(interactions, start=1):
        docs[str(n)] = {**base, "kind": "call", "outcome": "reached", "note": "", "learned": "", **item}
        docs[str(n)].setdefault("next_step", "")
        docs[str(n)].setdefault("follow_up", None)
    data = {
        "_meta": {"1": {"schema": 2, "database_id": "db-1", "created_at": stamp}},
        "people": {"1": maya, "2": tom},
        "interactions": docs,
    }
    path.write_text(json.dumps(data))


def test_the_migration_keeps_met_steps_met_and_open_steps_open(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "old.json"
    schema_2_file(
        db,
        [
            # Met: a real conversation on a later day (the old rule).
            {"id": "met", "at": "2026-11-01T10:00", "people": ["p-maya"], "next_step": "send prices",
             "follow_up": "2026-11-05"},
            {"id": "talk", "at": "2026-11-03T10:00", "people": ["p-maya"]},
            # Not met: only an attempt came after, and a talk the same day.
            {"id": "open", "at": "2026-11-10T10:00", "people": ["p-tom"], "next_step": "call back",
             "follow_up": "2026-11-20"},
            {"id": "same-day", "at": "2026-11-10T15:00", "people": ["p-tom"]},
            {"id": "tried", "at": "2026-11-12T10:00", "people": ["p-tom"], "outcome": "attempt"},
            # Met for Maya by the talk above?  No: it is later.  Open for both.
            {"id": "group", "at": "2026-11-04T10:00", "people": ["p-maya", "p-tom"], "next_step": "lunch"},
        ],
    )  # fmt: skip
    run(capsys, db, "2026-11-25", "doctor")  # reads it; the next write keeps the migration
    run(capsys, db, "2026-11-25", "edit", "Tom", "--org", "Reed & Co")
    data = tables(db)
    assert data["_meta"]["1"]["schema"] == SCHEMA
    done = {d["id"]: d["done"] for d in data["interactions"].values()}
    assert done["met"] == "2026-11-03"
    assert done["open"] == "" and done["group"] == ""
    [tom] = today_json(capsys, db, "2026-11-25")
    assert tom["name"] == "Tom Reed" and "follow-up 5 days overdue: call back" in tom["reasons"]


def test_the_old_rule_marks_only_what_it_met_for_everyone_in_the_entry() -> None:
    maya, tom = Person(name="Maya"), Person(name="Tom")

    def entry(at: str, *people: Person, **fields: object) -> Interaction:
        return Interaction(at=at, people=[p.id for p in people], created_at=at + ":00Z", **fields)

    group = entry("2026-11-01T10:00", maya, tom, next_step="lunch")
    older = entry("2026-11-02T10:00", maya, next_step="call back", follow_up="2026-11-09")
    newer = entry("2026-11-03T10:00", maya, next_step="quote", follow_up="2026-11-10")
    met_for_tom = entry("2026-11-05T10:00", tom)
    done = met_before_done_marks([group, older, newer, met_for_tom])
    # The group lunch: Maya's newer steps replaced it for her, Tom talked later: met for both.
    assert done == {group.id: "2026-11-05", older.id: "2026-11-03"}


def test_copies_that_disagree_on_a_migrated_mark_merge_to_done() -> None:
    """A copy that had not seen the later talk leaves the step open at the same version as the
    copy that marked it done: the merge keeps the greater value, the done day."""
    maya = Person(name="Maya")
    step = Interaction(at="2026-11-01T10:00", people=[maya.id], next_step="send prices")
    marked = Interaction(**{**step.to_doc(), "done": "2026-11-03"})
    one, two = Book(), Book()
    for book, item in ((one, step), (two, marked)):
        book.put(maya)
        book.put(item)
    for a, b in ((one, two), (two, one)):
        merged = merge_books(a, b)
        assert merged.interactions[step.id].done == "2026-11-03"


def test_a_database_opened_on_a_schema_2_file_reads_the_marks(tmp_path: Path) -> None:
    db = tmp_path / "old.json"
    schema_2_file(
        db,
        [
            {"id": "met", "at": "2026-11-01T10:00", "people": ["p-maya"], "next_step": "x"},
            {"id": "talk", "at": "2026-11-02T10:00", "people": ["p-maya"]},
        ],
    )
    book = Database.open(db, user=USER).book
    assert book.interactions["met"].done == "2026-11-02"
    assert book.open_steps("p-maya") == []


def old_rule_by_hand(items: list[Interaction]) -> dict[str, str]:
    """The migration's rule read literally, entry by entry and person by person."""
    live = [i for i in items if not i.deleted]
    order = lambda i: (i.at, i.created_at, i.id)  # noqa: E731
    done: dict[str, str] = {}
    for item in live:
        if not item.has_step or not item.people:
            continue
        days = []
        for pid in item.people:
            talks = [i.at[:10] for i in live if pid in i.people and i.reached and i.at[:10] > item.at[:10]]
            newer = [
                i for i in live
                if pid in i.people and i.has_step and order(i) > order(item) and (i.follow_up or not item.follow_up)
            ]  # fmt: skip
            met = min(talks, default=None)
            replaced = min(newer, key=order).at[:10] if newer else None
            found = [d for d in (met, replaced) if d]
            if not found:
                break
            days.append(max(min(found), item.at[:10]))
        else:
            done[item.id] = max(days)
    return done


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(1, 9),  # day of the month
            st.sets(st.sampled_from("abc"), min_size=1),  # who
            st.booleans(),  # reached
            st.sampled_from(["", "words", "dated"]),  # the step
            st.booleans(),  # deleted
        ),
        max_size=12,
    )
)
def test_the_migration_rule_is_the_old_rule_read_literally(drawn: list) -> None:
    items = [
        Interaction(
            id=f"e{n}", created_at=f"2026-11-0{day}T00:00:00Z", at=f"2026-11-0{day}T10:00", people=sorted(who),
            outcome="reached" if reached else "attempt", next_step="x" if step else "",
            follow_up="2026-11-20" if step == "dated" else None, deleted=deleted,
        )
        for n, (day, who, reached, step, deleted) in enumerate(drawn)
    ]  # fmt: skip
    assert met_before_done_marks(items) == old_rule_by_hand(items)
