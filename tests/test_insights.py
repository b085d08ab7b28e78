"""What the audience told you (issue 14, part 3; domain/insights.py): what was learned in
the log and kept on each person, grouped by a pair of key words the texts share (a rule
one can follow by hand), each with who said it and when; `I` in the app, where `n` / `t`
put a line into the log form's note / next step, and `meetup-tui insights`."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from cli_support import cli
from meetup_tui.domain.book import Book
from meetup_tui.domain.insights import grouped, heard, key_words
from meetup_tui.domain.records import Interaction, Person, Segment
from meetup_tui.store.database import Database
from meetup_tui.store.jsonfile import StoreError
from meetup_tui.ui.screens import insights_screen
from meetup_tui.ui.screens.insights_screen import InsightsScreen
from meetup_tui.ui.screens.log_form import LogForm
from today_support import SIZE, TODAY, USER, make_app, on_disk, settle

MakeBook = Callable[..., Book]


def said(days_ago: int, text: str, *people: Person) -> Interaction:
    at = f"{(TODAY - timedelta(days=days_ago)).isoformat()}T10:00"
    return Interaction(at=at, people=[p.id for p in people], learned=text)


def test_key_words_leave_out_common_and_short_words_and_plurals() -> None:
    assert key_words("Wants a winter service plan!") == {"winter", "service", "plan"}
    assert key_words("Needs the bikes' brakes adjusted; wishes for boxes") == {
        "bike",
        "brake",
        "adjusted",
        "box",
    }
    assert key_words("It is what it is") == frozenset()


def test_texts_sharing_a_pair_of_key_words_are_grouped_the_rest_listed_once(make_book: MakeBook) -> None:
    ana, bo, cy, di = (Person(name=n) for n in ("Ana Ruiz", "Bo Lee", "Cy Diaz", "Di Ng"))
    book = make_book(
        ana, bo, cy, di,
        said(1, "Wants a winter service plan.", ana),
        said(3, "A winter service before the clocks change.", bo),
        said(5, "Winter tyres for the commute.", cy),  # one word shared: not grouped
        said(7, "Service plans for the whole family: a winter deal?", di),
        said(9, "Needs a cargo bike for deliveries.", cy),
        said(11, "A cargo bike to borrow.", ana, bo),
    )  # fmt: skip
    groups, single = grouped(heard(book, [ana, bo, cy, di]))
    assert [(g.words, [i.text for i in g.items]) for g in groups] == [
        (
            ("winter", "service"),
            [
                "Wants a winter service plan.",
                "A winter service before the clocks change.",
                "Service plans for the whole family: a winter deal?",
            ],
        ),
        (("cargo", "bike"), ["Needs a cargo bike for deliveries.", "A cargo bike to borrow."]),
    ]
    assert [g.people for g in groups] == [3, 3]
    assert [i.text for i in single] == ["Winter tyres for the commute."]


def test_who_said_it_when_and_a_person_saying_the_same_twice_counts_once(make_book: MakeBook) -> None:
    ana = Person(name="Ana Ruiz", wants="A winter service plan", needs="  ")
    ana.versions = {"wants": "2026-10-01T09:00:00.000000Z alex@shop"}
    bo = Person(name="Bo Lee", challenges="Finding time to ride", created_at="2026-08-01T09:00:00.000000Z")
    book = make_book(ana, bo, said(2, "Wants a winter service plan.", ana), said(4, "Loves gravel.", bo))
    items = heard(book, [ana, bo])
    assert [(i.text, i.kind, i.names, i.at[:10]) for i in items] == [
        ("Wants a winter service plan.", "want", "Ana Ruiz", "2026-11-24"),  # newer than her field
        ("Loves gravel.", "heard", "Bo Lee", "2026-11-22"),
        ("Finding time to ride", "challenge", "Bo Lee", "2026-08-01"),  # no version: the record's
    ]
    assert heard(book, [bo])[0].text == "Loves gravel."  # only what the people asked for said


def test_the_grouping_is_the_same_whatever_order_the_log_was_read(make_book: MakeBook) -> None:
    rng = random.Random(3)
    people = [Person(name=f"P{n}") for n in range(12)]
    words = ["winter", "service", "cargo", "bike", "school", "parking", "repair", "loan"]
    entries = [said(n, " ".join(rng.sample(words, 3)), rng.choice(people)) for n in range(40)]
    first = grouped(heard(make_book(*people, *entries), people))
    again = grouped(heard(make_book(*reversed(people), *reversed(entries)), people))
    assert first == again
    shown = [(item.source, item.text) for group in first[0] for item in group.items]
    shown += [(item.source, item.text) for item in first[1]]
    assert sorted(shown) == sorted((i.source, i.text) for i in heard(make_book(*people, *entries), people))


def test_insights_prints_the_groups_and_json(capsys, six_due) -> None:
    path, people = six_due
    db = Database.open(path, user=USER)
    bo = people["bo"]
    club = Segment(name="Club", include=[people["ana"].id, bo.id])
    db.commit(db.stamp(club), db.stamp(said(3, "Wants a winter service package.", bo)))
    day = ("--db", str(path), "--today", TODAY.isoformat())
    code, out, err = cli(capsys, *day, "insights", "--segment", "club")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "What Club told you: 2 things heard, grouped by the words they share.",
        "winter service — 2 times, from 2 people",
        "  Wants a winter service package. — Bo Lee, 3 days ago",
        "  wants a winter service plan — Ana Ruiz, 3 months ago",
    ]
    doc = json.loads(cli(capsys, *day, "insights", "--json")[1])
    assert doc["segment"] is None and doc["groups"][0]["words"] == ["winter", "service"]
    assert doc["groups"][0]["items"][0]["people"] == [{"id": bo.id, "name": "Bo Lee"}]
    code, out, err = cli(capsys, *day, "insights", "--segment", "nope")
    assert (code, out) == (1, "") and "no segment called 'nope'" in err


async def test_t_puts_what_was_heard_into_a_next_step_for_who_said_it(six_due) -> None:
    path, people = six_due
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("I")
        await settle(app, pilot)
        assert isinstance(app.screen, InsightsScreen)
        await pilot.press("t")  # on the first row (a group's title, or "Heard…"): its first line
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, LogForm)
        assert form.query_one("#people").value == "Ana Ruiz"
        assert form.query_one("#next_step").value == "wants a winter service plan"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, InsightsScreen)
    [entry] = [i for i in on_disk(path).live_interactions() if i.next_step]
    assert (entry.people, entry.next_step) == ([people["ana"].id], "wants a winter service plan")
    assert (entry.outcome, entry.logged_by) == ("noted", USER)  # a step noted, not a talk that never was


async def test_a_line_put_into_a_note_and_entered_records_no_conversation(six_due) -> None:
    path, people = six_due
    before = on_disk(path).last_contact(people["ana"].id)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("I")
        await settle(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        assert isinstance(app.screen, LogForm)
        assert app.screen.query_one("#note").value == "wants a winter service plan"
        await pilot.press("enter")
        await settle(app, pilot)
    book = on_disk(path)
    [entry] = [i for i in book.live_interactions() if i.note == "wants a winter service plan"]
    assert entry.outcome == "noted"
    assert book.last_contact(people["ana"].id) == before  # her clock is not reset


def test_a_missing_file_says_how_to_start(capsys, tmp_path: Path) -> None:
    code, out, err = cli(capsys, "--db", str(tmp_path / "none.json"), "insights")
    assert (code, out) == (1, "") and "meetup-tui add" in err


async def test_a_view_that_cannot_be_worked_out_says_why_and_the_app_goes_on(six_due, monkeypatch) -> None:
    path, _ = six_due

    def unreadable(*_: object) -> list:
        raise StoreError(f"Could not read {path.name}: Permission denied.")

    monkeypatch.setattr(insights_screen, "heard", unreadable)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("I")
        await settle(app, pilot)
        assert isinstance(app.screen, InsightsScreen) and app.is_running
        assert any(n.message == "Could not read shop.json: Permission denied." for n in app._notifications)
        await pilot.press("escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, InsightsScreen)


async def test_what_a_view_worked_out_after_it_closed_is_not_shown(six_due) -> None:
    """A view's worker that ends after the view was closed (Escape while it worked) shows
    nothing: its view is gone, and showing it would fail."""
    path, _ = six_due
    app = make_app(path)
    filled: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("I")
        await settle(app, pilot)
        view = app.screen
        assert isinstance(view, InsightsScreen)
        app.run_worker(lambda: view.show_from_thread(filled.append, "open"), thread=True)
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        app.run_worker(lambda: view.show_from_thread(filled.append, "closed"), thread=True)
        await settle(app, pilot)
        assert filled == ["open"] and app.is_running
