"""People there twice and ids a file held twice: found, said in a sentence, never collapsed."""

from __future__ import annotations

import json
from pathlib import Path

from meetup_tui.domain.book import Book
from meetup_tui.domain.doubles import doubles_sentences, same_names
from meetup_tui.domain.records import Person
from meetup_tui.store import schema


def test_same_names_groups_live_people_by_name_in_any_case_and_spacing() -> None:
    a, b = Person(name="Cy Moss"), Person(name="cy  moss")
    gone = Person(name="Cy Moss", deleted=True)
    other = Person(name="Cy Mossman")
    book = Book(people={p.id: p for p in (a, b, gone, other)})
    assert same_names(book) == [[a, b]]
    assert doubles_sentences(book) == [
        "2 people are named 'Cy Moss'; if they are one person, keep one and delete the other, else rename one."
    ]


def test_an_id_twice_in_the_file_is_merged_and_said(tmp_path: Path) -> None:
    stamp = "2026-11-20T10:00:00.000000Z"
    doc = {"id": "p1", "name": "Ana", "created_at": stamp, "updated_at": stamp, "updated_by": "a"}
    later = dict(doc, phones=["555"], updated_at="2026-11-21T10:00:00.000000Z", updated_by="b")
    data = {"_meta": {"1": {"schema": schema.SCHEMA}}, "people": {"1": doc, "2": later}}
    book, _meta = schema.decode(tmp_path / "m.json", json.loads(json.dumps(data)))
    assert list(book.people) == ["p1"] and book.people["p1"].phones == ["555"]
    assert doubles_sentences(book) == ["The file had the id p1 twice in people (merged into one record)."]
