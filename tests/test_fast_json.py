"""The file is read and written through orjson (issue 13): what it writes reads back the
same with the standard json module and with TinyDB, and whatever orjson does not take
(a lone surrogate escape, a number beyond 64 bits, NaN, deep nesting) goes through json
exactly as before — nothing a file holds is refused or changed because of the fast path."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tinydb import TinyDB

from meetup_tui.cli import render
from meetup_tui.domain.records import Interaction, Person, Segment
from meetup_tui.store import jsonfile
from meetup_tui.store.database import BadFile, Database

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)  # any text UTF-8 can hold


@settings(max_examples=60, deadline=None)
@given(names=st.lists(TEXT, min_size=1, max_size=5), note=TEXT, influence=st.integers(0, 5))
def test_what_is_written_reads_back_the_same_with_json_and_the_book(names, note, influence) -> None:
    people = [Person(name=n, influence=influence, tags=[n]) for n in names]
    data = {
        "people": {str(i): p.to_doc() for i, p in enumerate(people, 1)},
        "interactions": {"1": Interaction(at="2026-11-26T10:00", people=[people[0].id], note=note).to_doc()},
    }
    raw = jsonfile.encode(data)
    assert json.loads(raw.decode("utf-8")) == data
    assert jsonfile.parse(Path("x.json"), raw) == data


def test_tinydb_opens_the_file_and_reads_every_record(tmp_path: Path) -> None:
    path = tmp_path / "shop.json"
    db = Database.open(path, user="alex@shop", create=True)
    ana = Person(name="Ana Ruiz — café ☕", tags=["ünïcode"])
    db.commit(db.stamp(ana), db.stamp(Segment(name="Riders", include=[ana.id])))
    assert path.read_bytes().startswith(b"{\n  "), "indented: a person can read it"
    tiny = TinyDB(path)
    (doc,) = tiny.table("people").all()
    assert (doc["name"], doc["tags"]) == ("Ana Ruiz — café ☕", ["ünïcode"])
    assert tiny.table("segments").all()[0]["include"] == [ana.id]


@pytest.mark.parametrize(
    "value",
    ["\ud800 lone", 2**70, -(2**65)],
    ids=["lone surrogate", "int beyond 64 bits", "negative beyond 64 bits"],
)
def test_what_orjson_cannot_write_is_written_by_json_and_kept(value) -> None:
    data = {"people": {"1": {"id": "a", "name": "x", "odd": value}}}
    raw = jsonfile.encode(data)
    assert json.loads(raw) == data
    assert jsonfile.parse(Path("x.json"), raw) == data


@pytest.mark.parametrize(
    "text",
    [
        '{"people": {"1": {"n": "\\ud800"}}}',
        '{"people": {"1": {"n": 123456789012345678901234567890}}}',
        '{"people": {"1": {"n": [1, -123456789012345678901]}}}',
        '{"people": {"1": {"n":\n\t[123456789012345678901]}}}',
    ],
    ids=["lone surrogate escape", "huge number", "huge negative in a list", "after a newline and a tab"],
)
def test_what_orjson_cannot_read_is_read_by_json(text: str) -> None:
    assert jsonfile.parse(Path("x.json"), text.encode()) == json.loads(text)


def test_a_broken_file_is_still_said_exactly_with_its_line_and_column() -> None:
    with pytest.raises(
        BadFile, match=r"x.json is not valid JSON: Expecting ',' delimiter at line 2, column 3"
    ):
        jsonfile.parse(Path("x.json"), b'{"people": {}\n  "x": 1}')
    with pytest.raises(BadFile, match="is not UTF-8 text"):
        jsonfile.parse(Path("x.json"), b'{"people": {"1": {"n": "\xff"}}}')


def test_digits_inside_text_keep_the_fast_path_and_read_the_same(monkeypatch) -> None:
    """A hex id or a note with 20 digits in a row is text, not a number: orjson reads it."""
    text = '{"people": {"1": {"id": "ab12345678901234567890cd", "note": "x12345678901234567890123"}}}'

    def refuse(*_args):
        raise AssertionError("the slow path was taken")

    monkeypatch.setattr(jsonfile, "_slow_parse", refuse)
    assert jsonfile.parse(Path("x.json"), text.encode()) == json.loads(text)


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=12,
)


@given(value=JSON_VALUES)
def test_json_output_reads_back_as_what_was_given(value) -> None:
    """`--json` output (orjson's, json's for a lone surrogate) is the value, indented by two."""
    shown = render.dump_json({"v": value})
    assert json.loads(shown) == {"v": value}
    assert shown.startswith('{\n  "v": ')


def test_json_output_of_a_lone_surrogate_is_json_s() -> None:
    assert render.dump_json({"n": "\ud800 x"}) == json.dumps({"n": "\ud800 x"}, ensure_ascii=False, indent=2)


TABLES = st.dictionaries(
    st.text(max_size=8),
    st.dictionaries(st.text(max_size=4), JSON_VALUES, max_size=9) | JSON_VALUES,
    max_size=4,
)


@given(tables=TABLES, chunk=st.integers(1, 4))
def test_the_file_made_a_chunk_at_a_time_is_orjsons_byte_for_byte(tables, chunk) -> None:
    """The writer dumps a few documents a call (so a save in a thread lets the screen run):
    the bytes are exactly those of one call over the whole."""
    kept = jsonfile.CHUNK
    jsonfile.CHUNK = chunk
    try:
        assert jsonfile.encode(tables) == orjson.dumps(tables, option=orjson.OPT_INDENT_2)
    finally:
        jsonfile.CHUNK = kept


CHANGES = st.lists(
    st.tuples(st.sampled_from(["edit", "add", "drop", "surrogate", "segment"]), st.integers(0, 30), TEXT),
    min_size=1,
    max_size=12,
)


@settings(max_examples=60, deadline=None)
@given(changes=CHANGES)
def test_a_save_that_dumps_only_changed_records_writes_the_whole_files_bytes(changes) -> None:
    """The database's encoder keeps each record's lines and dumps only records it has not
    written before (`jsonfile.Encoder`): after any run of edits, additions, entries that
    leave the main file (an archived year) and text only json can write, each save's
    bytes are exactly those of encoding the whole book from nothing."""
    from meetup_tui.domain.book import Book
    from meetup_tui.store import schema

    people = [Person(name=f"P{n}") for n in range(4)]
    log = [Interaction(at=f"2026-01-0{n}T10:00", people=[people[n % 4].id], note=str(n)) for n in range(1, 7)]
    book = Book({p.id: p for p in people}, {}, {r.id: r for r in log}, {})
    book.extra_tables = {"scripts": {"1": {"any": "thing"}}}
    meta = schema.new_meta()
    encoder = jsonfile.Encoder()
    main_log = list(book.interactions.values())
    for kind, at, text in changes:
        if kind == "edit" and main_log:
            old = main_log[at % len(main_log)]
            new = dataclasses.replace(old, note=old.note + text)
            book.interactions[old.id] = new
            main_log[main_log.index(old)] = new
        elif kind == "add":
            entry = Interaction(at="2025-12-31T10:00", people=[people[at % 4].id], note=text)
            book.interactions[entry.id] = entry
            main_log.append(entry)
        elif kind == "drop" and main_log:
            main_log.pop(at % len(main_log))
        elif kind == "surrogate":
            person = people[at % 4]
            book.people[person.id] = dataclasses.replace(book.people[person.id], notes="\ud800" + text)
        elif kind == "segment":
            segment = Segment(name=text or "s")
            book.segments[segment.id] = segment
        wanted = jsonfile.encode(schema.encode(book, meta, interactions=main_log))
        assert encoder.encode(schema.tables_of(book, meta, interactions=main_log)) == wanted
