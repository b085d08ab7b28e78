"""Pilot tests: press the keys a user would, then read the file on disk."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.geometry import Region
from textual.widgets import Static

from meetup_tui.domain.book import Book
from meetup_tui.domain.clock import Clock
from meetup_tui.domain.outreach import ACTION_DONE, talk_kind
from meetup_tui.domain.records import Interaction, Person, Segment
from meetup_tui.domain.settings import Settings
from meetup_tui.store.database import Database
from meetup_tui.ui.app import MeetupApp
from meetup_tui.ui.widgets.keyed_table import MORE, PAGE
from meetup_tui.ui.widgets.outreach_pane import OutreachPane

TODAY = date(2026, 11, 26)
SIZE = (100, 30)


def on_disk(path: Path) -> Book:
    """What a fresh process would read: the file, not the app's memory."""
    return Database.open(path, user="reader").book


@pytest.fixture
def shop(tmp_path: Path) -> tuple[Path, dict[str, Person]]:
    path = tmp_path / "shop.json"
    db = Database.open(path, user="alex@shop", create=True)
    people = {
        "ana": Person(name="Ana Ruiz", phones=["+1 555 0100"], influence=5, stage="advocate"),
        "bo": Person(name="Bo Lee", phones=["+1 555 0101"], influence=2, stage="lead"),
        "cy": Person(name="Cy Diaz", influence=1, org="Diaz Bakery"),
        "dee": Person(name="Dee Park", influence=0, cadence="FREQ=WEEKLY"),
    }
    talk = Interaction(at="2026-11-25T10:00", people=[people["dee"].id], kind="coffee", note="met")
    club = Segment(name="Riders", include=[people["ana"].id, people["bo"].id])
    db.apply(*people.values(), talk, club)
    db.save()
    return path, people


def make_app(path: Path) -> MeetupApp:
    return MeetupApp(Database.open(path, user="alex@shop"), Clock(TODAY))


async def settle(app: MeetupApp, pilot) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_top_of_list_is_selected_at_start(shop) -> None:
    path, people = shop
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.query_one(OutreachPane).current_key() == people["ana"].id
        assert app.selected_id == people["ana"].id


async def test_call_in_three_keys_is_on_disk(shop) -> None:
    path, people = shop
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", *"asked about winter service", "enter")
        await settle(app, pilot)
    calls = [i for i in on_disk(path).live_interactions() if i.kind == "call"]
    assert len(calls) == 1
    call = calls[0]
    assert call.people == [people["ana"].id]
    assert call.outcome == "reached"
    assert call.note == "asked about winter service"
    assert call.when.date() == TODAY
    assert call.logged_by == "alex@shop" and call.updated_by == "alex@shop"


async def test_call_without_a_note_takes_two_keys_and_leaves_the_list(shop) -> None:
    path, people = shop
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", "enter")
        await settle(app, pilot)
        listed = {s.person.id for s in app.suggestions}
        assert people["ana"].id not in listed  # reached today: never twice in a day
        assert app.query_one(OutreachPane).current_key() == people["bo"].id
    assert on_disk(path).last_contacts()[people["ana"].id] == TODAY


async def test_escape_cancels_without_writing(shop) -> None:
    path, _ = shop
    before = path.read_bytes()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", *"never mind", "escape", "z", "escape")
        await settle(app, pilot)
        assert len(app.screen_stack) == 1
    assert path.read_bytes() == before


async def test_snooze_to_next_monday(shop) -> None:
    path, people = shop
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("z", *"next monday", "enter")
        await settle(app, pilot)
        assert people["ana"].id not in {s.person.id for s in app.suggestions}
    assert on_disk(path).people[people["ana"].id].snoozed_until == "2026-11-30"


async def test_dayfirst_reaches_the_snooze_and_log_dialogs(shop) -> None:
    path, people = shop
    app = MeetupApp(Database.open(path, user="alex@shop"), Clock(TODAY), settings=Settings(dayfirst=True))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("z", *"04/12", "enter")
        await settle(app, pilot)
        # Log a call with the next person: tab past kind and outcome to "when", replace "now".
        await pilot.press("l", "tab", "tab", "tab", "ctrl+u", *"03/11")
        await pilot.press("tab", "tab", "tab", "tab", "tab", *"07/12", "ctrl+s")
        await settle(app, pilot)
        assert len(app.screen_stack) == 1
    book = on_disk(path)
    assert book.people[people["ana"].id].snoozed_until == "2026-12-04"
    [logged] = [i for i in book.interactions.values() if i.logged_by == "alex@shop"]
    assert (logged.at, logged.follow_up) == ("2026-11-03T00:00", "2026-12-07")


async def test_delete_then_undo(shop) -> None:
    path, people = shop
    ana = people["ana"].id
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("d")
        await settle(app, pilot)
        assert on_disk(path).people[ana].deleted is True
        assert ana not in {s.person.id for s in app.suggestions}
        await pilot.press("u")
        await settle(app, pilot)
        assert ana in {s.person.id for s in app.suggestions}
    assert on_disk(path).people[ana].deleted is False


async def test_delete_a_log_entry_from_the_log(shop) -> None:
    path, _ = shop
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        app.query_one("#log").focus()
        await pilot.press("d")
        await settle(app, pilot)
    book = on_disk(path)
    assert [i.deleted for i in book.interactions.values()] == [True]
    assert all(not p.deleted for p in book.people.values())


async def test_search_then_call_the_person_found(shop) -> None:
    path, people = shop
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"bakery", "enter")
        await settle(app, pilot)
        assert app.selected_id == people["cy"].id
        await pilot.press("c", "enter")
        await settle(app, pilot)
    (call,) = [i for i in on_disk(path).live_interactions() if i.kind == "call"]
    assert call.people == [people["cy"].id]


async def test_show_more_lists_everyone_due(shop, tmp_path) -> None:
    path, _ = shop
    db = Database.open(path, user="alex@shop")
    # Added weeks ago: more new people in one day than the daily cap are spread out (issue 4).
    db.apply(*(Person(name=f"Extra {n}", created_at="2026-10-01T09:00:00.000000Z") for n in range(6)))
    db.save()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        table = app.query_one(OutreachPane)
        assert table.row_count == 5 + 1  # the cap, and the "+ n more" row
        await pilot.press("m")
        await settle(app, pilot)
        assert table.row_count == len(app.suggestions) == 9


async def test_show_all_pages_a_long_list_and_a_person_found_is_paged_to(tmp_path) -> None:
    """m lists a page of those due, Enter on "+ N more" another; a person found below the
    page is shown all the same; m again goes back to the day's cap."""
    path = tmp_path / "shop.json"
    db = Database.open(path, user="alex@shop", create=True)
    added = "2025-01-01T09:00:00.000000Z"
    crowd = [Person(name=f"Extra {n:03d}", created_at=added) for n in range(PAGE + 20)]
    talks = [Interaction(at="2025-10-01T10:00", people=[p.id]) for p in crowd]  # all long overdue
    db.apply(*crowd, *talks)
    db.save()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        table = app.query_one(OutreachPane)
        assert len(app.suggestions) == PAGE + 20
        await pilot.press("m")
        await settle(app, pilot)
        assert table.row_count == PAGE + 1
        assert [str(c) for c in table.get_row(MORE)[1:]] == ["+ 20 more", "Enter shows 20 more"]
        await pilot.press("end", "enter")
        await settle(app, pilot)
        assert table.row_count == PAGE + 20 and table.cursor_row == PAGE  # on the first shown
        await pilot.press("m")
        await settle(app, pilot)
        assert table.row_count == Settings().daily_cap + 1
        last = app.suggestions[-1].person
        await pilot.press("slash", *last.name, "enter")
        await settle(app, pilot)
        assert table.row_count == PAGE + 20 and table.current_key() == last.id


async def test_the_app_says_once_when_its_first_screen_is_drawn(shop) -> None:
    """The command line freezes what the first screen built when told (cli/commands.for_the_screen)."""
    path, _ = shop
    told: list[int] = []
    app = MeetupApp(Database.open(path, user="alex@shop"), Clock(TODAY), drawn=lambda: told.append(len(told)))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert told == [0] and app.query_one(OutreachPane).row_count > 0
        await pilot.press("m")
        await settle(app, pilot)
    assert told == [0]


async def test_open_a_segment_and_pick_a_member(shop) -> None:
    path, people = shop
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        app.query_one("#segments").focus()
        await pilot.press("enter")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "SegmentMembersScreen"
        await pilot.press("j", "enter")  # most influential first: Ana, then Bo
        await settle(app, pilot)
        assert app.selected_id == people["bo"].id


async def test_quit_waits_and_exits(shop) -> None:
    path, _ = shop
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c", "enter", "q")
        await pilot.pause()
    assert not app.is_running
    assert len(on_disk(path).live_interactions()) == 2


async def test_markup_and_escapes_in_names_show_literally(tmp_path) -> None:
    path = tmp_path / "odd.json"
    db = Database.open(path, user="t", create=True)
    odd = Person(name="[bold]x[/] \x1b[31mEvil", influence=3)
    db.apply(odd, Segment(name="[red]Club[/]", include=[odd.id]))
    db.save()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.export_screenshot()
        app.query_one("#segments").focus()
        await pilot.press("enter")
        await settle(app, pilot)
        segment_screen = app.export_screenshot()
    assert "[bold]x[/]" in screen
    assert "\\x1b[31mEvil" in screen
    assert "\x1b" not in screen
    assert "[red]Club[/]" in segment_screen


async def test_add_a_person_by_keyboard(shop) -> None:
    path, _ = shop
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a", *"Zoe Park", "tab", *"+1 555 0199", "ctrl+s")
        await settle(app, pilot)
        assert len(app.screen_stack) == 1
    (zoe,) = [p for p in on_disk(path).live_people() if p.name == "Zoe Park"]
    assert zoe.phones == ["+1 555 0199"]
    assert zoe.updated_by == "alex@shop"


async def test_a_birthday_and_an_owner_typed_in_the_form(shop) -> None:
    path, people = shop
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        # From the name, tab past phone ... channel (eleven fields) to the birthday, then the owner.
        await pilot.press("e", *["tab"] * 12, *"30 nov", "tab", "ctrl+u", *"sam@shop", "ctrl+s")
        await settle(app, pilot)
        assert len(app.screen_stack) == 1
        assert people["ana"].id not in {s.person.id for s in app.suggestions}, "Sam's now: off my list"
        await pilot.press("o")  # the whole team's list
        await settle(app, pilot)
        ana = next(s for s in app.suggestions if s.person.id == people["ana"].id)
        assert "birthday in 4 days" in ana.reasons
        app.jump_to_person(people["ana"].id)
        panel = str(app.query_one("#facts").render())
        assert "Birthday 30 November" in panel and "Looked after by sam@shop" in panel
        # A day and a month are needed: the form stays open and names the field.
        await pilot.press("e", *["tab"] * 12, "ctrl+u", *"november", "ctrl+s")
        await settle(app, pilot)
        assert "a day and a month" in str(app.screen.query_one("#error").render())
        await pilot.press("escape")
    ana = on_disk(path).people[people["ana"].id]
    assert (ana.birthday, ana.owner) == ("--11-30", "sam@shop")
    assert ana.name == "Ana Ruiz" and ana.influence == 5


async def test_edit_changes_only_what_was_typed(shop) -> None:
    path, people = shop
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e", "ctrl+e", *"s", "ctrl+s")  # the name field, at its end: add an "s"
        await settle(app, pilot)
    ana = on_disk(path).people[people["ana"].id]
    assert ana.name == "Ana Ruizs"
    assert ana.phones == ["+1 555 0100"] and ana.influence == 5


async def test_log_a_coffee_with_two_people_and_a_follow_up(shop) -> None:
    path, people = shop
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        # "With" starts with the selected person (Ana); add Bo, then pick the kind "coffee".
        await pilot.press("l", "end", *", Bo Lee", "tab", "enter", "down", "enter")
        # Tab past outcome, when and where to the note, then learned, next step and follow-up.
        await pilot.press("tab", "tab", "tab", "tab", *"talked kids bikes")
        await pilot.press("tab", "tab", *"price list", "tab", *"next monday", "enter")
        await settle(app, pilot)
        assert len(app.screen_stack) == 1
    (coffee,) = [i for i in on_disk(path).live_interactions() if i.logged_by == "alex@shop"]
    assert set(coffee.people) == {people["ana"].id, people["bo"].id}
    assert coffee.outcome == "reached"
    assert coffee.note == "talked kids bikes"
    assert coffee.next_step == "price list"
    assert coffee.follow_up == "2026-11-30"
    assert coffee.logged_by == "alex@shop"


async def test_every_action_is_in_the_command_palette(shop) -> None:
    path, _ = shop
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        titles = [c.title for c in app.get_system_commands(app.screen)]
        words = [t.split(" (")[0] for t in titles]
        assert len(words) == len(set(words)), titles  # "Keys" and "Quit" once each
        assert "Quit (q)" in titles and "Keys (?)" in titles and "Theme" in titles
        for binding in app.BINDINGS:
            if binding.action != "back":  # type: ignore[union-attr]
                assert any(binding.description in t for t in titles), binding  # type: ignore[union-attr]
        await pilot.press("ctrl+p", *"Snooze", "enter")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "SnoozeScreen"
        await pilot.press(*"2w", "enter")
        await settle(app, pilot)
    assert any(p.snoozed_until == "2026-12-10" for p in on_disk(path).people.values())


async def test_help_lists_every_key(shop) -> None:
    path, _ = shop
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await settle(app, pilot)
        lines = app.screen.query_one("#table").render_lines(Region(0, 0, 100, 80))
        shown = "\n".join(line.text for line in lines)
        for binding in app.BINDINGS:
            assert (binding.tooltip or binding.description) in shown  # type: ignore[union-attr]
        await pilot.press("escape")
        await settle(app, pilot)
        assert len(app.screen_stack) == 1


async def test_search_shows_a_person_due_below_the_cap(shop) -> None:
    path, _ = shop
    db = Database.open(path, user="alex@shop")
    extras = [Person(name=f"Extra {n}", created_at="2026-10-01T09:00:00.000000Z") for n in range(6)]
    db.apply(*extras)
    db.save()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"Extra 5", "enter")
        await settle(app, pilot)
        assert app.query_one(OutreachPane).current_key() == extras[5].id
        assert app.selected_id == extras[5].id


async def test_the_daily_cap_comes_from_the_settings(shop) -> None:
    path, _ = shop
    db = Database.open(path, user="alex@shop")
    db.apply(*(Person(name=f"Extra {n}", created_at="2026-10-01T09:00:00.000000Z") for n in range(4)))
    db.save()
    app = MeetupApp(Database.open(path, user="alex@shop"), Clock(TODAY), Settings(daily_cap=2))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert len(app.suggestions) > 2
        assert app.query_one(OutreachPane).row_count == 2 + 1  # the cap, and "+ n more"


async def test_instead_of_posting_shows_the_best_person_and_logs_the_call(shop) -> None:
    path, people = shop
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "InsteadScreen"
        best = app.screen.best
        assert best.person.id == people["ana"].id  # the top of today's list
        hint = str(app.screen.query_one(".hint", Static).render())
        assert hint.startswith(f"c or Enter: {ACTION_DONE[best.action]} — log it")
        await pilot.press("c", *"instead of instagram", "enter")
        await settle(app, pilot)
    (call,) = [i for i in on_disk(path).live_interactions() if i.note == "instead of instagram"]
    assert call.people == [people["ana"].id] and call.kind == talk_kind(best.action)


async def test_an_empty_book_says_how_to_start_and_a_done_one_says_caught_up(tmp_path: Path) -> None:
    path = tmp_path / "new.json"
    app = MeetupApp(Database.open(path, user="alex@shop", create=True), Clock(TODAY))

    def first_row() -> str:
        pane = app.query_one(OutreachPane)
        return " ".join(str(cell) for cell in pane.get_row_at(0))

    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert "No one here yet" in first_row() and "press a to add someone" in first_row()
        await pilot.press("a", *"Zoe Park", "ctrl+s")
        await settle(app, pilot)
        assert "Zoe Park" in first_row()
        await pilot.press("c", "enter")
        await settle(app, pilot)
        assert "All caught up" in first_row()
    (zoe,) = on_disk(path).live_people()
    assert on_disk(path).last_contacts()[zoe.id] == TODAY


async def test_a_long_log_shows_its_newest_page_and_more_on_enter(tmp_path: Path) -> None:
    from meetup_tui.ui.widgets.log_pane import PAGE, LogPane

    path = tmp_path / "long.json"
    db = Database.open(path, user="alex@shop", create=True)
    ana = Person(name="Ana Ruiz")
    days = [date.fromordinal(TODAY.toordinal() - n) for n in range(PAGE + 5)]
    db.apply(
        ana, *(Interaction(at=f"{d.isoformat()}T10:00", people=[ana.id], note=f"talk {d}") for d in days)
    )
    db.save()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        pane = app.query_one(LogPane)
        assert pane.row_count == PAGE + 1
        assert "talk 2026-11-26" in str(pane.get_row_at(0)[4])  # newest first
        assert "+ 5 older" in str(pane.get_row_at(PAGE)[2])
        pane.focus()
        await pilot.press("end", "enter")
        await settle(app, pilot)
        assert pane.row_count == PAGE + 5
        assert f"talk {days[-1]}" in str(pane.get_row_at(PAGE + 4)[4])
        await pilot.press("c", *"one more", "enter")  # a new entry keeps the longer page
        await settle(app, pilot)
        assert pane.row_count == PAGE + 6
    assert len(on_disk(path).live_interactions()) == PAGE + 6


async def test_on_a_phone_sized_screen_the_list_and_the_person_stay(shop) -> None:
    path, people = shop
    app = make_app(path)
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(app, pilot)
        assert app.screen.has_class("-phone")
        assert app.query_one("#log-box").styles.display == "none"
        assert app.query_one("#segments-box").styles.display == "none"
        assert app.query_one("#detail-box").region.width == 60  # the person, whole width
        await pilot.press("c", *"from the phone", "enter")
        await settle(app, pilot)
        await pilot.resize_terminal(100, 30)
        await settle(app, pilot)
        assert app.query_one("#log-box").styles.display == "block"  # a wider terminal: back
    (call,) = [i for i in on_disk(path).live_interactions() if i.note == "from the phone"]
    assert call.people == [people["ana"].id]


@pytest.mark.parametrize("no_color", [True, False])
async def test_with_no_color_the_selected_row_is_reversed_not_only_shaded(
    shop, monkeypatch: pytest.MonkeyPatch, no_color: bool
) -> None:
    path, _ = shop
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    else:
        monkeypatch.delenv("NO_COLOR", raising=False)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        for table in app.query("DataTable"):
            assert bool(table.get_component_styles("datatable--cursor").text_style.reverse) is no_color


async def test_the_panel_says_whom_they_introduced_and_how_many_became_customers(tmp_path: Path) -> None:
    path = tmp_path / "intro.json"
    db = Database.open(path, user="alex@shop", create=True)
    ana = Person(name="Ana Ruiz", influence=5, stage="advocate")
    bo = Person(name="Bo Lee", introduced_by=ana.id, stage="lead")
    cy = Person(name="Cy Diaz", introduced_by=ana.id, stage="customer")
    db.apply(ana, bo, cy)
    db.save()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.select_person(ana.id)
        await settle(app, pilot)
        facts = str(app.query_one("#facts", Static).render())
        assert "Introduced: Bo Lee, Cy Diaz (1 became a customer or advocate)" in facts
        app.select_person(bo.id)
        await settle(app, pilot)
        assert "Introduced by: Ana Ruiz" in str(app.query_one("#facts", Static).render())


async def test_the_panel_shows_a_warm_path_to_someone_never_talked_to(tmp_path: Path) -> None:
    path = tmp_path / "warm.json"
    db = Database.open(path, user="alex@shop", create=True)
    maria = Person(name="Maria Gonzalez", influence=4)
    kwame = Person(name="Kwame Mensah", introduced_by=maria.id)
    stranger = Person(name="Sam Stone")
    talk = Interaction(at="2026-11-20T10:00", people=[maria.id], kind="coffee")
    event = Interaction(
        at="2026-11-01T18:00", people=[kwame.id, stranger.id], kind="event", outcome="attempt"
    )
    db.apply(maria, kwame, stranger, talk, event)
    db.save()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.select_person(stranger.id)
        await settle(app, pilot)
        assert "Warm path: via Maria Gonzalez → Kwame Mensah" in str(app.query_one("#facts", Static).render())
        app.select_person(maria.id)
        await settle(app, pilot)
        assert "Warm path" not in str(app.query_one("#facts", Static).render()), "known: no path shown"


async def test_in_a_segment_r_takes_a_member_out_and_a_puts_the_selected_person_in(shop) -> None:
    path, people = shop
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.selected_id == people["ana"].id
        app.query_one("#segments").focus()
        await pilot.press("enter")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "SegmentMembersScreen"
        table = app.screen.query_one("#members")
        assert table.row_count == 2 and table.current_key() == people["ana"].id  # influence first
        await pilot.press("r")
        await settle(app, pilot)
        riders = next(s for s in on_disk(path).live_segments() if s.name == "Riders")
        assert riders.include == [people["bo"].id]
        assert table.row_count == 1, "the view shows the change"
        await pilot.press("a")  # Ana is still the person selected on the main screen
        await settle(app, pilot)
        riders = next(s for s in on_disk(path).live_segments() if s.name == "Riders")
        assert set(riders.include) == {people["ana"].id, people["bo"].id}
        assert table.row_count == 2


async def test_the_person_form_puts_people_in_segments_and_makes_new_ones(shop) -> None:
    path, people = shop
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("a", *"Eve Stone")
        for _ in range(6):  # name, phone, email, org, role, area, tags -> segments
            await pilot.press("tab")
        await pilot.press("tab")
        assert app.focused is not None and app.focused.id == "segments"
        await pilot.press(*"Riders, Night owls", "enter")
        await settle(app, pilot)
        book = on_disk(path)
        (eve,) = [p for p in book.live_people() if p.name == "Eve Stone"]
        segments = {s.name: s for s in book.live_segments()}
        assert eve.id in segments["Riders"].include and people["ana"].id in segments["Riders"].include
        assert segments["Night owls"].include == [eve.id]
        app.select_person(eve.id)
        await pilot.press("e")
        await settle(app, pilot)
        segments_field = app.screen.query_one("#segments")
        assert segments_field.value in ("Riders, Night owls", "Night owls, Riders")
        segments_field.value = "Night owls"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    segments = {s.name: s for s in on_disk(path).live_segments()}
    assert eve.id not in segments["Riders"].include and segments["Night owls"].include == [eve.id]
