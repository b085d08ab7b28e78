"""The command line runs with the garbage collector off (domain/collector.py): what a
command builds must be freed by reference counting alone, or a command's end would pay a
full collection of its whole book.  These fail if a reference cycle through the book
comes back (as the ranking's bound method once made one)."""

from __future__ import annotations

import gc
import weakref
from datetime import date, datetime
from pathlib import Path

from meetup_tui.cli import render
from meetup_tui.domain.book import Book
from meetup_tui.domain.collector import collector_paused
from meetup_tui.domain.outreach import best_now, rank_today
from meetup_tui.domain.records import Interaction, Person, Segment
from meetup_tui.store.database import Database

TODAY = date(2026, 11, 26)


def _book() -> Book:
    book = Book()
    ana = Person(name="Ana Ruiz", phones=["0770"], influence=4, created_at="2026-01-01T10:00:00Z")
    tom = Person(name="Tom Brennan", introduced_by=ana.id, created_at="2026-11-20T10:00:00Z")
    for record in (
        ana,
        tom,
        Segment(name="Riders", include=[ana.id, tom.id]),
        Interaction(
            at="2026-08-01T10:00", people=[ana.id], next_step="send the quote", follow_up="2026-11-20"
        ),
    ):
        book.put(record)
    return book


def test_a_ranked_book_is_freed_without_the_collector() -> None:
    book = _book()
    with collector_paused():
        ranked = rank_today(book, TODAY)
        best_now(book, datetime(2026, 11, 26, 10))
        docs = [render.suggestion_doc(s, book) for s in ranked]
        assert {d["name"] for d in docs} == {"Ana Ruiz", "Tom Brennan"}
        gone = weakref.ref(book)
        del book, ranked, docs
        assert gone() is None, "something still holds the book: a reference cycle"


def test_a_database_read_and_ranked_is_freed_without_the_collector(tmp_path: Path) -> None:
    path = tmp_path / "shop.json"
    db = Database.open(path, user="sam", create=True)
    db.commit(*(db.stamp(r) for r in _book().records()))
    with collector_paused():
        was = len(gc.get_objects())
        db = Database.open(path, user="sam")
        rank_today(db.book, TODAY)
        gone = weakref.ref(db.book)
        del db
        assert gone() is None, "something still holds the book: a reference cycle"
        assert len(gc.get_objects()) - was < 50  # no records left for a collector to find
