"""Pilot tests of the person form and the log form: type into the fields, read back what they return."""

from __future__ import annotations

import dataclasses

import pytest
from textual.widgets import Input

from meetup_tui.domain.cadence import parse_cadence
from meetup_tui.domain.errors import UserError
from meetup_tui.domain.records import Interaction, Person
from meetup_tui.ui.screens.log_form import LogForm
from meetup_tui.ui.screens.person_form import PersonForm
from screen_support import CLOCK, SIZE, TODAY, Host, error_shown, make_book, people, type_text

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
        await pilot.press("tab")  # segments: left blank
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


async def test_person_form_offers_the_stages_of_the_settings() -> None:
    book = make_book(*people())
    stages = ("newcomer", "member", "champion")  # no "prospect": a new person starts first
    app = Host(lambda: PersonForm(book, TODAY, stages=stages))
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "Dana Reyes")
        stage = app.screen.query_one("#stage")
        assert stage.value == "newcomer"
        stage.focus()
        await pilot.press("enter", "down", "down", "enter")  # newcomer -> champion
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.results[0]["stage"] == "champion"


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


async def test_several_phones_typed_in_the_field_become_a_list() -> None:
    """"07700 900999, 01632 960000" is two numbers, not one; the stored extra stays behind them."""
    ana, bo, carla = people()
    book = make_book(ana, bo, carla)
    app = Host(lambda: PersonForm(book, TODAY, ana))
    async with app.run_test(size=SIZE) as pilot:
        await tab_to(pilot, "phone")
        await pilot.press("ctrl+u")
        await type_text(pilot, "07700 900999, 01632 960000;07700 900999")
        await pilot.press("enter")
        await pilot.pause()
    (values,) = app.results
    assert values["phones"] == ["07700 900999", "01632 960000", "+1 555 000 0002"]


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
