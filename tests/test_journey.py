"""The journey (issue 14, part 2; domain/journey.py): the stage board moves people a stage
at a time and logs each move with its date; the figures per stage (there now, moved in
30 / 90 days, the median of talks before a move) and the moves of the last 90 days, by
the board (`J`, pilot tests read the file) and by `meetup-tui journey`."""

from __future__ import annotations

import gc
import json
import random
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from cli_support import cli
from meetup_tui.domain.book import Book
from meetup_tui.domain.journey import how_far, journey, move_entry, moves, step
from meetup_tui.domain.records import STAGES, Interaction, Person
from meetup_tui.store.database import Database
from meetup_tui.ui.screens.stage_board import BoardTable, StageBoard
from today_support import SIZE, TODAY, USER, make_app, on_disk, settle

MakeBook = Callable[..., Book]


def talk(days_ago: int, *people: Person, **fields: object) -> Interaction:
    at = f"{(TODAY - timedelta(days=days_ago)).isoformat()}T10:00"
    return Interaction(at=at, people=[p.id for p in people], **fields)  # type: ignore[arg-type]


def moved(days_ago: int, person: Person, after: str) -> Interaction:
    return move_entry(person, after, f"{(TODAY - timedelta(days=days_ago)).isoformat()}T12:00", "alex@shop")


def test_a_stage_at_a_time_and_nothing_past_either_end() -> None:
    assert step(STAGES, "prospect", 1) == "lead"
    assert step(STAGES, "prospect", -1) == "stranger"
    assert step(STAGES, "advocate", 1) is None and step(STAGES, "stranger", -1) is None
    assert step(STAGES, "vip", 1) == "advocate" and step(STAGES, "vip", -1) == "stranger"  # a file's own


def test_each_move_knows_where_from_and_after_how_many_talks(make_book: MakeBook) -> None:
    ana = Person(name="Ana Ruiz", stage="customer")
    book = make_book(
        ana,
        talk(50, ana),
        talk(40, ana, outcome="attempt"),  # not a talk
        moved(35, Person(id=ana.id, stage="prospect"), "lead"),  # the board: "prospect → lead"
        talk(20, ana, stage_change="customer"),  # a meeting that moved her: it counts
        talk(10, ana, deleted=True),
    )
    found = moves(book, [ana])
    assert [(m.before, m.after, m.talks_before) for m in found] == [
        ("prospect", "lead", 1),
        ("lead", "customer", 2),
    ]
    assert [how_far(m, STAGES) for m in found] == [1, 1]
    first = moves(make_book(ana, talk(5, ana, stage_change="lead")), [ana])
    assert (first[0].before, how_far(first[0], STAGES)) == (None, None)  # not known: "→ lead"


def test_the_figures_per_stage_and_the_recent_moves(make_book: MakeBook) -> None:
    rng = random.Random(7)
    people = [Person(name=f"P{n}", stage=rng.choice(STAGES)) for n in range(30)]
    records: list[object] = list(people)
    expected_30 = expected_90 = 0
    talks_before: list[int] = []
    for n, person in enumerate(people[:12]):
        talks = rng.randrange(4)
        records += [talk(200 + k, person) for k in range(talks)]
        ago = rng.choice([3, 45, 200])
        records.append(moved(ago, Person(id=person.id, stage="prospect"), "lead"))
        expected_30 += ago < 30
        expected_90 += ago < 90
        talks_before.append(talks)
    book = make_book(*records)
    found = journey(book, TODAY, people, STAGES)
    lead = next(f for f in found.stages if f.stage == "lead")
    assert lead.moved == (expected_30, expected_90)
    low, high = sorted(talks_before)[5:7]  # twelve moves: the median is the mean of the middle two
    assert lead.median_talks == (low + high) / 2
    assert [f.people for f in found.stages] == [sum(p.stage == s for p in people) for s in STAGES]
    assert len(found.moves) == expected_90
    assert [m.at for m in found.moves] == sorted((m.at for m in found.moves), reverse=True)
    assert journey(book, TODAY, people[20:], STAGES).moves == []  # only the people asked for


async def test_the_board_moves_a_prospect_to_lead_and_logs_it(six_due) -> None:
    path, people = six_due
    db = Database.open(path, user=USER)
    fay = people["fay"]
    db.commit(db.stamp(db.book.people[fay.id], stage="prospect"))
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("J")
        await settle(app, pilot)
        assert isinstance(app.screen, StageBoard)
        await pilot.press("l", "right_square_bracket")  # the prospect column, its first: Fay
        await settle(app, pilot)
        board = app.screen.query_one(BoardTable)
        heads = [column.label.plain.splitlines()[0] for column in board.columns.values()]
        assert heads == ["Stranger 0", "Prospect 0", "Lead 1", "Customer 5", "Advocate 0"]
        assert (
            board.current_id() == fay.id and board.cursor_coordinate.column == 2
        )  # the cursor went with her
    book = on_disk(path)
    assert book.people[fay.id].stage == "lead"
    [entry] = [i for i in book.live_interactions() if i.stage_change]
    assert (entry.people, entry.outcome, entry.note, entry.at[:10], entry.logged_by) == (
        [fay.id],
        "noted",
        "prospect → lead",
        TODAY.isoformat(),
        USER,  # every move has its author
    )
    assert book.last_contact(fay.id) == date(2026, 9, 1)  # a move is no talk: her clock stays


async def test_back_a_stage_and_past_the_first_stage_nothing_changes(six_due) -> None:
    path, people = six_due
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("J", "l", "l", "l", "left_square_bracket")  # the customers: Ana first
        await settle(app, pilot)
        await pilot.press("h", "h", "h", "left_square_bracket")  # the strangers: nobody there
        await settle(app, pilot)
    book = on_disk(path)
    assert book.people[people["ana"].id].stage == "lead"
    assert [i.note for i in book.live_interactions() if i.stage_change] == ["customer → lead"]


def test_journey_prints_the_stages_and_the_moves(capsys, six_due) -> None:
    path, people = six_due
    db = Database.open(path, user=USER)
    ana = people["ana"]
    db.commit(db.stamp(moved(2, ana, "advocate")), db.stamp(db.book.people[ana.id], stage="advocate"))
    day = ("--db", str(path), "--today", TODAY.isoformat())
    code, out, err = cli(capsys, *day, "journey")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "The journey of everyone (6 people), Thursday 26 November 2026"
    assert lines[4] == "  customer      5  none moved in 90 days"
    assert lines[5] == "  advocate      1  1 moved in 30 days, 1 in 90 · 1 talk before (median)"
    assert lines[-1] == "  Tue 24 Nov  Ana Ruiz: customer → advocate, after 1 talk"
    code, out, _ = cli(capsys, *day, "journey", "--json")
    doc = json.loads(out)
    assert doc["moves"] == [
        {
            "id": ana.id,
            "name": "Ana Ruiz",
            "from": "customer",
            "to": "advocate",
            "stages": 1,
            "at": "2026-11-24T12:00",
            "talks_before": 1,
        }
    ]
    assert {s["stage"]: s["moved_30_days"] for s in doc["stages"]}["advocate"] == 1
    code, out, err = cli(capsys, *day, "journey", "--segment", "nope")
    assert (code, out) == (1, "") and "There is no segment called 'nope'" in err


def test_a_stage_changed_by_edit_is_a_move_with_its_author(capsys, six_due) -> None:
    path, people = six_due
    day = ("--db", str(path), "--today", TODAY.isoformat(), "--user", "sam@shop")
    assert cli(capsys, *day, "edit", "Bo Lee", "--stage", "advocate")[0] == 0
    assert cli(capsys, *day, "edit", "Bo Lee", "--area", "harbour")[0] == 0  # no stage change: no move
    code, out, _err = cli(capsys, *day, "journey", "--json")
    assert code == 0
    [move] = json.loads(out)["moves"]
    assert (move["name"], move["from"], move["to"], move["at"][:10]) == (
        "Bo Lee",
        "customer",
        "advocate",
        "2026-11-26",
    )
    [entry] = [i for i in on_disk(path).live_interactions() if i.stage_change]
    assert (entry.logged_by, entry.outcome) == ("sam@shop", "noted")
    assert on_disk(path).last_contact(people["bo"].id) == date(2026, 9, 1)  # a move is no talk


def test_journey_on_a_missing_file_says_how_to_start(capsys, tmp_path: Path) -> None:
    code, out, err = cli(capsys, "--db", str(tmp_path / "none.json"), "journey")
    assert (code, out) == (1, "") and "meetup-tui add" in err


async def test_closing_the_board_frees_it_and_leaves_what_lives_out_of_later_collections(six_due) -> None:
    """Each view opened left Textual's drawn lines behind for every later full collection to
    scan (at 5,000 people a logged call then stalled 80 ms): closing one collects it, then
    freezes what still lives."""
    path, _ = six_due
    app = make_app(path)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            await pilot.press("J")
            await settle(app, pilot)
            before = gc.get_freeze_count()
            await pilot.press("escape")
            await settle(app, pilot)
            await pilot.pause(0.05)
            assert gc.get_freeze_count() > before
            assert not [o for o in gc.get_objects() if isinstance(o, StageBoard)]  # freed, not frozen
    finally:
        gc.unfreeze()
