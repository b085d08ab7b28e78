"""Segments made and changed by keyboard: the rule from fields, the live preview, and the
app's keys (s new, e edit and rename, d delete and u undo, the people in no segment put
into one) — each pilot test presses keys and then reads the file on disk."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from meetup_tui.domain.audience import preview, preview_words
from meetup_tui.domain.book import Book
from meetup_tui.domain.errors import UserError
from meetup_tui.domain.records import Person, Segment
from meetup_tui.domain.segment_rules import make_rule, parse_least, rule_problem
from meetup_tui.store.database import Database
from meetup_tui.ui.widgets.segments_pane import LOOSE, SegmentsPane
from test_app import SIZE, make_app, on_disk, settle, shop  # noqa: F401  (shop: the fixture)

# -- the rule from the editor's fields ---------------------------------------------------


def test_blank_fields_are_left_out_and_the_rest_is_a_good_rule() -> None:
    assert make_rule() == {}
    rule = make_rule(tags=[" gravel ", "racing", "gravel", ""], all_tags=True, stage="lead", min_influence=0)
    assert rule == {"tags": ["gravel", "racing"], "tags_mode": "all", "stage": "lead", "min_influence": 0}
    assert rule_problem(rule) is None
    assert make_rule(tags=["a"], area="  Old   Town ", owner=" sam@shop ") == {
        "tags": ["a"],
        "area": "Old Town",
        "owner": "sam@shop",
    }


def test_a_newer_versions_conditions_are_kept_and_ours_are_replaced() -> None:
    base = {"x_future": {"radius_km": 3}, "stage": "lead", "tags": ["old"]}
    assert make_rule(area="Millbrook", base=base) == {"x_future": {"radius_km": 3}, "area": "Millbrook"}


@pytest.mark.parametrize(("text", "least"), [("", None), ("  ", None), ("0", 0), ("3", 3), ("4+", 4), (" 5 ", 5)])
def test_influence_at_least_reads_a_number_or_blank(text: str, least: int | None) -> None:
    assert parse_least(text) == least


@pytest.mark.parametrize("text", ["6", "-1", "lots", "2.5"])
def test_influence_at_least_out_of_range_is_one_sentence(text: str) -> None:
    with pytest.raises(UserError, match="Influence at least must be a whole number from 0 to 5"):
        parse_least(text)


# -- the preview -------------------------------------------------------------------------


def _book(*records) -> Book:
    book = Book()
    for record in records:
        book.put(record)
    return book


def test_the_preview_counts_the_rule_the_hand_made_ins_and_outs() -> None:
    racers = [Person(name=f"Racer {n}", tags=["racing"], influence=n) for n in range(4)]
    walker, gone = Person(name="Walker"), Person(name="Gone", tags=["racing"], deleted=True)
    segment = Segment(rule={"tags": ["racing"]}, include=[walker.id], exclude=[racers[0].id])
    found = preview(_book(*racers, walker, gone), segment)
    assert [p.name for p in found.members] == ["Racer 3", "Racer 2", "Racer 1", "Walker"]
    assert (found.by_hand, found.taken_out, found.people, found.too_broad) == (1, 1, 5, False)
    assert preview_words(found) == (
        "4 people: Racer 3, Racer 2, Racer 1 and 1 more · 1 in by hand · 1 taken out by hand"
    )


def test_the_preview_warns_of_a_rule_that_holds_over_half_of_everyone() -> None:
    people = [Person(name=f"P{n}", area="Millbrook" if n < 4 else "") for n in range(7)]
    found = preview(_book(*people), Segment(rule={"area": "millbrook"}))
    assert found.too_broad
    assert "⚠ 4 of 7 people: an audience of everyone is no one" in preview_words(found)
    hand_made = preview(_book(*people), Segment(include=[p.id for p in people[:4]]))
    assert not hand_made.too_broad, "a list made by hand is a choice, not a rule too wide"
    assert preview_words(preview(_book(*people), Segment(rule={"area": "nowhere"}))) == "No one matches yet."


# -- by keyboard in the app ----------------------------------------------------------------


def _preview(app) -> str:
    return str(app.screen.query_one("#preview", Static).render())


async def _tab_to(app, pilot, field: str) -> None:
    for _ in range(12):
        if app.focused is not None and app.focused.id == field:
            return
        await pilot.press("tab")
    raise AssertionError(f"no field {field}")


async def test_s_makes_a_segment_from_a_rule_with_a_live_preview(shop) -> None:
    path, people = shop
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("s")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "SegmentForm"
        await pilot.press(*"Big voices", "tab", *"the people others follow")
        await _tab_to(app, pilot, "min_influence")
        await pilot.press("2")
        await pilot.pause()
        assert _preview(app) == "Preview: 2 people: Ana Ruiz, Bo Lee", "influence 5 and 2 match, 1 and 0 not"
        await _tab_to(app, pilot, "stage")
        await pilot.press("enter", *["down"] * 5, "enter")  # any, stranger, ... customer, advocate
        await pilot.pause()
        assert _preview(app) == "Preview: 1 person: Ana Ruiz"
        await _tab_to(app, pilot, "cadence")
        await pilot.press(*"every 3 weeks", "enter")
        await settle(app, pilot)
        assert type(app.screen).__name__ != "SegmentForm"
    (made,) = [s for s in on_disk(path).live_segments() if s.name == "Big voices"]
    assert made.description == "the people others follow"
    assert made.rule == {"stage": "advocate", "min_influence": 2}
    assert made.cadence == "FREQ=WEEKLY;INTERVAL=3"
    assert (made.include, made.exclude) == ([], [])


async def test_a_bad_influence_or_a_name_taken_stays_in_the_form_and_writes_nothing(shop) -> None:
    path, _ = shop
    before = path.read_bytes()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("s", *"riders")  # "Riders" is there already, in any case
        await _tab_to(app, pilot, "min_influence")
        await pilot.press("9")
        await pilot.pause()
        assert "Influence at least must be a whole number from 0 to 5, not '9'" in _preview(app)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "There is already a segment called 'Riders'." in str(app.screen.query_one("#error").render())
        assert app.focused is not None and app.focused.id == "name"
        await pilot.press(*" at night", "ctrl+s")
        await settle(app, pilot)
        assert "not '9'" in str(app.screen.query_one("#error").render())
        assert app.focused is not None and app.focused.id == "min_influence"
        await pilot.press("escape")
        await settle(app, pilot)
    assert path.read_bytes() == before


async def _focus_segments(app, pilot) -> SegmentsPane:
    pane = app.query_one(SegmentsPane)
    for _ in range(6):
        if app.focused is pane:
            return pane
        await pilot.press("tab")
    raise AssertionError("tab never reached the segments pane")


async def test_e_on_the_segments_pane_renames_and_keeps_the_members_and_unknown_conditions(shop) -> None:
    path, people = shop
    db = Database.open(path, user="alex@shop")
    riders = next(s for s in db.book.live_segments() if s.name == "Riders")
    db.commit(db.stamp(riders, rule={"x_future": [1], "min_influence": 5}))
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await _focus_segments(app, pilot)
        await pilot.press("e")
        await settle(app, pilot)
        assert app.screen.query_one("#name").value == "Riders"
        assert app.screen.query_one("#min_influence").value == "5"
        await pilot.press("ctrl+a", "ctrl+k", *"Night riders", "ctrl+s")  # rename only
        await settle(app, pilot)
        await _focus_segments(app, pilot)
        await pilot.press("e")
        await settle(app, pilot)
        await _tab_to(app, pilot, "min_influence")
        await pilot.press("backspace", "4", "ctrl+s")
        await settle(app, pilot)
    book = on_disk(path)
    (renamed,) = book.live_segments()
    assert (renamed.id, renamed.name) == (riders.id, "Night riders")
    assert set(renamed.include) == {people["ana"].id, people["bo"].id}, "the hand-made list is kept"
    assert renamed.rule == {"x_future": [1], "min_influence": 4}, "a newer version's condition is kept"


async def test_saving_the_editor_as_shown_changes_nothing(shop) -> None:
    path, _ = shop
    db = Database.open(path, user="alex@shop")
    riders = next(s for s in db.book.live_segments() if s.name == "Riders")
    db.commit(db.stamp(riders, description="line one\nline two", cadence="FREQ=MONTHLY;BYMONTHDAY=1"))
    before = path.read_bytes()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await _focus_segments(app, pilot)
        await pilot.press("e")
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert type(app.screen).__name__ != "SegmentForm"
    assert path.read_bytes() == before, "fields left as shown keep what is stored exactly"


async def test_d_deletes_the_segment_under_the_cursor_and_u_brings_it_back_whole(shop) -> None:
    path, people = shop
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await _focus_segments(app, pilot)
        await pilot.press("d")
        await settle(app, pilot)
        book = on_disk(path)
        assert book.live_segments() == [] and len(book.live_people()) == 4, "its people stay"
        await pilot.press("u")
        await settle(app, pilot)
    (back,) = on_disk(path).live_segments()
    assert back.name == "Riders" and set(back.include) == {people["ana"].id, people["bo"].id}


async def test_the_people_in_no_segment_are_put_into_one_by_keys(shop) -> None:
    path, people = shop
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        pane = await _focus_segments(app, pilot)
        assert pane.move_to_key(LOOSE) or pane.get_row_index(LOOSE) >= 0
        await pilot.press("end", "enter")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "UnsegmentedScreen"
        table = app.screen.query_one("#loose")
        assert table.row_count == 2  # Cy (influence 1) first, then Dee
        assert table.current_key() == people["cy"].id
        await pilot.press("a", *"rid", "right", "enter")  # the suggestion completes "Riders"
        await settle(app, pilot)
        assert table.row_count == 1, "Cy has left the list"
        await pilot.press("a", *"Bakers", "enter")  # a new name makes the segment
        await settle(app, pilot)
        assert table.row_count == 0
    segments = {s.name: s for s in on_disk(path).live_segments()}
    assert people["cy"].id in segments["Riders"].include
    assert segments["Bakers"].include == [people["dee"].id]
