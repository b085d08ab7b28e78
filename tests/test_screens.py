"""Pilot tests of the modal screens: press the real keys, read back what each dialog returns."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from rich.console import Console
from textual.app import App
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static

from meetup_tui.domain.book import Book
from meetup_tui.domain.cadence import parse_cadence
from meetup_tui.domain.clock import Clock
from meetup_tui.domain.dates import parse_day
from meetup_tui.domain.errors import UserError
from meetup_tui.domain.records import Interaction, Person
from meetup_tui.ui.screens.help import HelpScreen, key_table
from meetup_tui.ui.screens.log_form import LogForm
from meetup_tui.ui.screens.person_form import PersonForm
from meetup_tui.ui.screens.quick_call import QuickCallScreen
from meetup_tui.ui.screens.search import SearchScreen
from meetup_tui.ui.screens.snooze import SnoozeScreen

SIZE = (80, 24)
TODAY = date(2026, 11, 26)  # a Thursday
CLOCK = Clock(fixed_day=TODAY)


class Host(App[None]):
    """Pushes one screen on mount and keeps whatever it is dismissed with."""

    def __init__(self, make: Callable[[], Screen]) -> None:
        super().__init__()
        self.make = make
        self.results: list[object] = []
        self.animation_level = "none"

    def on_mount(self) -> None:
        self.push_screen(self.make(), self.results.append)


def people() -> tuple[Person, Person, Person]:
    ana = Person(
        name="Ana Silva",
        org="Bike Club",
        phones=["+1 555 123 4567", "+1 555 000 0002"],
        emails=["ana@bike.example"],
        tags=["runner"],
        influence=4,
        cadence="FREQ=WEEKLY;INTERVAL=2;BYDAY=MO",
    )
    bo = Person(name="Bo Novak", org="Café Sol", phones=["020 7946 0018"], tags=["cafe"])
    carla = Person(name="Carla Anand", org="Library", introduced_by=ana.id)
    return ana, bo, carla


def make_book(*persons: Person) -> Book:
    book = Book()
    for person in persons:
        book.put(person)
    return book


def plain(widget: Static) -> str:
    """What a Static shows, as text (markup already applied, if any was)."""
    return widget.render().plain  # type: ignore[union-attr]


def error_shown(app: App) -> str:
    error = app.screen.query_one("#error", Static)
    assert error.display and error.styles.display == "block"
    return plain(error)


async def type_text(pilot, text: str) -> None:
    await pilot.press(*text)


# -- quick call ------------------------------------------------------------------------


async def test_quick_call_returns_the_note_stripped() -> None:
    app = Host(lambda: QuickCallScreen("Ana Silva"))
    async with app.run_test(size=SIZE) as pilot:
        assert app.focused is not None and app.focused.id == "note"
        await type_text(pilot, "  tyres ")
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == ["tyres"]
        assert not isinstance(app.screen, QuickCallScreen)


async def test_quick_call_without_a_note_returns_empty_text() -> None:
    app = Host(lambda: QuickCallScreen("Ana Silva"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == [""]


async def test_quick_call_escape_cancels() -> None:
    app = Host(lambda: QuickCallScreen("Ana Silva"))
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "half a note")
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]


async def test_quick_call_shows_markup_and_escapes_in_names_literally() -> None:
    app = Host(lambda: QuickCallScreen("[bold]x[/] \x1b[31mEvil"))
    async with app.run_test(size=SIZE):
        title = app.screen.query_one("#title", Static)
        assert plain(title) == "Log a call with [bold]x[/] \\x1b[31mEvil — reached"


# -- snooze ----------------------------------------------------------------------------


async def test_snooze_3d_previews_and_returns_the_day() -> None:
    app = Host(lambda: SnoozeScreen("Ana Silva", TODAY))
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "3d")
        preview = plain(app.screen.query_one("#preview", Static))
        assert preview == "until Sunday 29 November 2026 (in 3 days)"
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == [TODAY + timedelta(days=3)]


async def test_snooze_bad_words_keep_the_dialog_open_until_corrected() -> None:
    with pytest.raises(UserError) as expected:
        parse_day("xyz", TODAY, future=True)
    app = Host(lambda: SnoozeScreen("Ana Silva", TODAY))
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "xyz")
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == []
        assert isinstance(app.screen, SnoozeScreen)
        assert error_shown(app) == str(expected.value)
        await pilot.press("backspace", "backspace", "backspace")
        await type_text(pilot, "next monday")
        assert not app.screen.query_one("#error", Static).display
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == [date(2026, 11, 30)]


async def test_snooze_refuses_a_day_that_is_not_after_today() -> None:
    app = Host(lambda: SnoozeScreen("Ana Silva", TODAY))
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "today")
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == []
        assert "after today" in error_shown(app)


async def test_snooze_escape_cancels() -> None:
    app = Host(lambda: SnoozeScreen("Ana Silva", TODAY))
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "3d")
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]


# -- person form -----------------------------------------------------------------------


async def tab_to(pilot, field: str) -> None:
    """Tab forward until the field has focus (fails rather than loop forever)."""
    for _ in range(20):
        if pilot.app.focused is not None and pilot.app.focused.id == field:
            return
        await pilot.press("tab")
    raise AssertionError(f"never reached {field!r}")


async def test_person_form_add_returns_validated_fields() -> None:
    ana, bo, carla = people()
    book = make_book(ana, bo, carla)
    app = Host(lambda: PersonForm(book, TODAY))
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "  Dana   Reyes ")
        await pilot.press("tab")
        await type_text(pilot, "555 7771")
        await pilot.press("tab")
        await type_text(pilot, "d@re.es")
        await pilot.press("tab")
        await type_text(pilot, "Bakery")
        await tab_to(pilot, "tags")
        await type_text(pilot, "bake, vip,, bake")
        await pilot.press("tab")
        await pilot.press("backspace")
        await type_text(pilot, "3")
        await pilot.press("tab")
        assert app.focused is not None and app.focused.id == "stage"
        await pilot.press("enter", "down", "enter")  # prospect -> lead
        await pilot.press("tab")
        await type_text(pilot, "every 2 weeks")
        await pilot.press("tab")
        await pilot.press("enter", "down", "enter")  # none -> call
        await pilot.press("tab")
        await type_text(pilot, "1 Feb")
        await pilot.press("tab")
        await type_text(pilot, " sam@shop ")
        await pilot.press("tab")
        await type_text(pilot, "silva")  # "ana" alone would also match Carla Anand
        await tab_to(pilot, "wants")
        await type_text(pilot, "a stall")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.results == [
            {
                "name": "Dana Reyes",
                "org": "Bakery",
                "role": "",
                "phones": ["555 7771"],
                "emails": ["d@re.es"],
                "area": "",
                "tags": ["bake", "vip"],
                "influence": 3,
                "stage": "lead",
                "cadence": "FREQ=WEEKLY;INTERVAL=2",
                "channel": "call",
                "birthday": "--02-01",
                "owner": "sam@shop",
                "introduced_by": ana.id,
                "notes": "",
                "challenges": "",
                "wants": "a stall",
                "needs": "",
            }
        ]
        assert Person(**app.results[0]).name == "Dana Reyes"


async def test_person_form_bad_cadence_shows_the_error_and_stays_open() -> None:
    with pytest.raises(UserError) as expected:
        parse_cadence("sometimes")
    book = make_book(*people())
    app = Host(lambda: PersonForm(book, TODAY))
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "Dana Reyes")
        await tab_to(pilot, "cadence")
        await type_text(pilot, "sometimes")
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == []
        assert isinstance(app.screen, PersonForm)
        assert error_shown(app) == str(expected.value)
        assert app.focused is not None and app.focused.id == "cadence"
        await pilot.press("ctrl+u")
        await type_text(pilot, "monthly")
        await pilot.press("enter")
        await pilot.pause()
        assert len(app.results) == 1
        assert app.results[0]["cadence"] == "FREQ=MONTHLY"


async def test_person_form_add_refuses_a_name_already_in_the_book() -> None:
    book = make_book(*people())
    app = Host(lambda: PersonForm(book, TODAY))
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "ana silva")
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == []
        assert "already in the book" in error_shown(app)


async def test_person_form_rejects_influence_out_of_range() -> None:
    book = make_book(*people())
    app = Host(lambda: PersonForm(book, TODAY))
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "Dana Reyes")
        await tab_to(pilot, "influence")
        await pilot.press("backspace")
        await type_text(pilot, "9")
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == []
        assert "0 to 5" in error_shown(app)


async def test_person_form_edit_keeps_untouched_values_and_extra_phones() -> None:
    ana, bo, carla = people()
    book = make_book(ana, bo, carla)
    app = Host(lambda: PersonForm(book, TODAY, carla))
    async with app.run_test(size=SIZE) as pilot:
        assert app.screen.query_one("#introduced_by", Input).value == "Ana Silva"
        assert app.screen.query_one("#name", Input).value == "Carla Anand"
        await tab_to(pilot, "org")
        await pilot.press("ctrl+u")
        await type_text(pilot, "City Library")
        await pilot.press("ctrl+s")
        await pilot.pause()
    (values,) = app.results
    assert "id" not in values
    edited = dataclasses.replace(carla, **values)
    assert edited.id == carla.id
    assert edited.org == "City Library"
    assert edited.name == "Carla Anand"
    assert edited.introduced_by == ana.id
    assert edited.stage == carla.stage


async def test_person_form_edit_of_phone_keeps_the_second_number_and_exact_cadence() -> None:
    ana, bo, carla = people()
    book = make_book(ana, bo, carla)
    app = Host(lambda: PersonForm(book, TODAY, ana))
    async with app.run_test(size=SIZE) as pilot:
        assert app.screen.query_one("#cadence", Input).value == "every 2 weeks"
        await tab_to(pilot, "phone")
        await pilot.press("ctrl+u")
        await type_text(pilot, "07700 900123")
        await pilot.press("enter")
        await pilot.pause()
    (values,) = app.results
    assert values["phones"] == ["07700 900123", "+1 555 000 0002"]
    assert values["emails"] == ["ana@bike.example"]
    assert values["cadence"] == ana.cadence  # untouched: the stored RRULE, BYDAY and all
    assert values["tags"] == ["runner"] and values["influence"] == 4


async def test_person_form_escape_cancels() -> None:
    ana, bo, carla = people()
    app = Host(lambda: PersonForm(make_book(ana, bo, carla), TODAY, ana))
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "zzz")
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]


# -- log form --------------------------------------------------------------------------


async def test_log_form_two_people_coffee_with_a_follow_up() -> None:
    ana, bo, carla = people()
    book = make_book(ana, bo, carla)
    app = Host(lambda: LogForm(book, CLOCK, [ana]))
    async with app.run_test(size=SIZE) as pilot:
        names = app.screen.query_one("#people", Input)
        assert names.value == "Ana Silva"
        await pilot.press("end")
        await type_text(pilot, ", Bo N")
        await pilot.pause()
        await pilot.press("right")  # take the suggested completion
        assert names.value == "Ana Silva, Bo Novak"
        await pilot.press("tab")
        assert app.focused is not None and app.focused.id == "kind"
        await pilot.press("enter", "down", "enter")  # call -> coffee
        await tab_to(pilot, "where")
        await type_text(pilot, "Café Sol")
        await pilot.press("tab")
        await type_text(pilot, "route")
        await tab_to(pilot, "next_step")
        await type_text(pilot, "send map")
        await pilot.press("tab")
        await type_text(pilot, "next monday")
        await pilot.press("enter")
        await pilot.pause()
    (logged,) = app.results
    assert isinstance(logged, Interaction)
    assert logged.people == [ana.id, bo.id]
    assert logged.kind == "coffee"
    assert logged.outcome == "reached"
    assert logged.where == "Café Sol"
    assert logged.note == "route"
    assert logged.next_step == "send map"
    assert logged.follow_up == "2026-11-30"
    assert logged.at.startswith("2026-11-26T") and len(logged.at) == len("2026-11-26T10:00")
    assert logged.logged_by == ""


async def test_log_form_attempt_yesterday() -> None:
    ana, bo, carla = people()
    app = Host(lambda: LogForm(make_book(ana, bo, carla), CLOCK, [bo]))
    async with app.run_test(size=SIZE) as pilot:
        await tab_to(pilot, "outcome")
        await pilot.press("enter", "down", "enter")  # reached -> attempt
        await pilot.press("tab")
        await pilot.press("ctrl+u")
        await type_text(pilot, "yesterday 3pm")
        await pilot.press("ctrl+s")
        await pilot.pause()
    (logged,) = app.results
    assert logged.people == [bo.id]
    assert logged.outcome == "attempt"
    assert logged.at == "2026-11-25T15:00"
    assert logged.follow_up is None


async def test_log_form_ambiguous_name_is_an_error_listing_the_people() -> None:
    ana, bo, carla = people()
    lima = Person(name="Ana Lima")
    book = make_book(ana, bo, carla, lima)
    app = Host(lambda: LogForm(book, CLOCK, []))
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "ana")
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == []
        assert isinstance(app.screen, LogForm)
        message = error_shown(app)
        assert "'ana'" in message and "Ana Lima" in message and "Ana Silva" in message
        await type_text(pilot, " lima")
        await pilot.press("enter")
        await pilot.pause()
        assert [i.people for i in app.results] == [[lima.id]]  # type: ignore[attr-defined]


async def test_log_form_bad_follow_up_stays_open() -> None:
    ana, bo, carla = people()
    app = Host(lambda: LogForm(make_book(ana, bo, carla), CLOCK, [ana]))
    async with app.run_test(size=SIZE) as pilot:
        await tab_to(pilot, "follow_up")
        await type_text(pilot, "someday")
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == []
        assert "someday" in error_shown(app)


async def test_log_form_escape_cancels() -> None:
    ana, bo, carla = people()
    app = Host(lambda: LogForm(make_book(ana, bo, carla), CLOCK, [ana]))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]


# -- search ----------------------------------------------------------------------------


async def test_search_ana_enter_returns_her_id() -> None:
    ana, bo, carla = people()
    app = Host(lambda: SearchScreen([bo, carla, ana]))
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "ana")
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == [ana.id]


async def test_search_moves_the_highlight_while_typing_stays_in_the_input() -> None:
    ana, bo, carla = people()
    app = Host(lambda: SearchScreen([bo, carla, ana]))
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "ana")
        matches = app.screen.query_one("#matches", OptionList)
        assert [o.id for o in matches.options] == [ana.id, carla.id]  # name start first
        await pilot.press("down")
        assert app.focused is not None and app.focused.id == "query"
        await pilot.press("ctrl+k", "ctrl+j")
        assert app.screen.query_one("#query", Input).value == "ana"
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == [carla.id]


async def test_search_by_phone_digits_org_and_tag() -> None:
    ana, bo, carla = people()
    for query, wanted in (("79460018", bo), ("library", carla), ("runner", ana)):
        app = Host(lambda: SearchScreen([ana, bo, carla]))
        async with app.run_test(size=SIZE) as pilot:
            await type_text(pilot, query)
            await pilot.press("enter")
            await pilot.pause()
            assert app.results == [wanted.id], query


async def test_search_empty_query_lists_everyone_by_name_and_caps_big_books() -> None:
    ana, bo, carla = people()
    crowd = [Person(name=f"Person {n:05d}") for n in range(10_000)]
    app = Host(lambda: SearchScreen([carla, bo, ana]))
    async with app.run_test(size=SIZE):
        matches = app.screen.query_one("#matches", OptionList)
        assert [o.id for o in matches.options] == [ana.id, bo.id, carla.id]
    big = Host(lambda: SearchScreen(crowd))
    async with big.run_test(size=SIZE) as pilot:
        matches = big.screen.query_one("#matches", OptionList)
        assert 0 < matches.option_count <= 200
        assert "10,000" in plain(big.screen.query_one("#count", Static))
        await type_text(pilot, "09999")
        assert [o.id for o in matches.options] == [crowd[-1].id]


async def test_search_escape_cancels() -> None:
    app = Host(lambda: SearchScreen(list(people())))
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "an")
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]


# -- help ------------------------------------------------------------------------------


def test_help_table_aligns_descriptions_in_one_column() -> None:
    keys = [("l", "log a call"), ("ctrl+p", "command palette"), ("[b]", "not markup")]
    console = Console(width=60, record=True, color_system=None)
    console.print(key_table(keys))
    lines = [line for line in console.export_text().splitlines() if line.strip()]
    starts = {line.index(description) for line, (_, description) in zip(lines, keys, strict=True)}
    assert len(starts) == 1
    assert lines[2].startswith("[b]")


@pytest.mark.parametrize("key", ["escape", "q", "question_mark"])
async def test_help_closes_with_escape_q_or_question_mark(key: str) -> None:
    app = Host(lambda: HelpScreen([("l", "log a call"), ("/", "search")]))
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, HelpScreen)
        await pilot.press(key)
        await pilot.pause()
        assert app.results == [None]
        assert not isinstance(app.screen, HelpScreen)
