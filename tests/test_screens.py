"""Pilot tests of the small modal screens: quick call, snooze, search and help; real keys, real results."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from rich.console import Console
from textual.widgets import Input, OptionList, Static

from meetup_tui.domain.dates import parse_day
from meetup_tui.domain.errors import UserError
from meetup_tui.domain.records import Interaction, Person
from meetup_tui.ui.screens.help import HelpScreen, key_table
from meetup_tui.ui.screens.plan import PlanScreen
from meetup_tui.ui.screens.quick_call import AttemptScreen, QuickCallScreen, Talk
from meetup_tui.ui.screens.search import SHOWN, SearchScreen, make_entry, rank
from meetup_tui.ui.screens.snooze import SnoozeScreen
from screen_support import SIZE, TODAY, Host, error_shown, people, plain, type_text

# -- quick call ------------------------------------------------------------------------


async def test_quick_call_returns_the_note_stripped() -> None:
    app = Host(lambda: QuickCallScreen("Ana Silva"))
    async with app.run_test(size=SIZE) as pilot:
        assert app.focused is not None and app.focused.id == "note"
        await type_text(pilot, "  tyres ")
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == [Talk("tyres", "call", ())]
        assert not isinstance(app.screen, QuickCallScreen)


async def test_quick_call_without_a_note_returns_empty_text() -> None:
    app = Host(lambda: QuickCallScreen("Ana Silva"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == [Talk("", "call", ())]


async def test_quick_call_ctrl_k_changes_the_kind_and_ctrl_d_marks_the_open_step_done() -> None:
    step = Interaction(at="2026-11-20T10:00", next_step="send the winter price list", follow_up="2026-11-30")
    app = Host(lambda: QuickCallScreen("Ana Silva", [step], TODAY, kind="coffee"))
    async with app.run_test(size=SIZE) as pilot:
        assert plain(app.screen.query_one("#title", Static)) == "Log a coffee with Ana Silva — reached"
        steps = plain(app.screen.query_one("#steps", Static))
        assert steps == "Open step: send the winter price list (due in 4 days) — ctrl+d: mark done"
        await pilot.press("ctrl+k")
        assert plain(app.screen.query_one("#title", Static)).startswith("Log a lunch with")
        await type_text(pilot, "sent it")
        await pilot.press("ctrl+d")
        assert plain(app.screen.query_one("#steps", Static)).startswith("✓ Done with this talk: send")
        assert app.screen.query_one(Input).value == "sent it", "ctrl+d is not the input's delete"
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == [Talk("sent it", "lunch", (step,))]


async def test_quick_call_leaves_the_step_open_unless_asked() -> None:
    step = Interaction(at="2026-11-20T10:00", next_step="send the winter price list")
    app = Host(lambda: QuickCallScreen("Ana Silva", [step], TODAY))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+d", "ctrl+d", "enter")  # on, then off again
        await pilot.pause()
        assert app.results == [Talk("", "call", ())]


@pytest.mark.parametrize(("keys", "note"), [("v", "voicemail"), ("n", "no answer"), ("m", "message left"),
                                            ("enter", ""), ("t h i enter", "hi")])  # fmt: skip
async def test_an_attempt_takes_one_key_for_what_happened(keys: str, note: str) -> None:
    app = Host(lambda: AttemptScreen("Ana Silva", [], TODAY))
    async with app.run_test(size=SIZE) as pilot:
        assert plain(app.screen.query_one("#title", Static)) == "Could not reach Ana Silva (call)"
        await pilot.press(*keys.split())
        await pilot.pause()
        assert app.results == [Talk(note, "call", ())]


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


# -- plan a meeting ----------------------------------------------------------------------


async def test_plan_waits_for_the_day_after_a_kind_then_previews_and_returns_it() -> None:
    app = Host(lambda: PlanScreen("Ana Silva", "coffee", TODAY))
    async with app.run_test(size=SIZE) as pilot:
        assert "coffee if not said" in plain(app.screen.query_one("#preview", Static))
        await type_text(pilot, "lunch")
        assert not app.screen.query_one("#error", Static).display  # the day comes next
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == [] and "Say which day too" in error_shown(app)
        await type_text(pilot, " fri")
        assert not app.screen.query_one("#error", Static).display
        preview = plain(app.screen.query_one("#preview", Static))
        assert preview == "lunch on Friday 27 November 2026 (tomorrow)"
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == [("lunch", date(2026, 11, 27))]


async def test_plan_refuses_a_day_gone_by() -> None:
    app = Host(lambda: PlanScreen("Ana Silva", "coffee", TODAY))
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "visit yesterday")
        assert "plan for today or a later day" in error_shown(app)
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == []


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


async def test_search_folds_accents_and_finds_a_role() -> None:
    """ "unal" finds "Ünal", "Søren" finds "Soren", "smiths" finds the role; typed with accents too."""
    unal = Person(name="Deniz Ünal")
    soren = Person(name="Soren Dahl")
    smith = Person(name="Kit Bram", role="Farrier and smith")
    for query, wanted in (("unal", unal), ("ÜNAL", unal), ("søren", soren), ("farrier", smith)):
        app = Host(lambda: SearchScreen([unal, soren, smith]))
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


def names_found(query: str, *persons: Person) -> list[str]:
    """Whom `rank` lists for `query`, best first (the screen's entries, in its order by name)."""
    entries = sorted((make_entry(p) for p in persons), key=lambda e: (e.name_key, e.id))
    return [entry.name for entry in rank(entries, query)[0]]


def test_search_folds_accents_both_ways() -> None:
    deniz, ayse = Person(name="Deniz Ünal"), Person(name="Ayşe Unal")
    for query in ("unal", "ÜNAL", "Ünal", "ünal"):
        assert sorted(names_found(query, deniz, ayse)) == ["Ayşe Unal", "Deniz Ünal"], query
    assert names_found("ayse", deniz, ayse) == ["Ayşe Unal"]


def test_search_matches_role_and_organisation_by_whole_words_and_names_with_gaps() -> None:
    kit = Person(name="Kit Bram", org="Harbour Rowing", role="Farrier and smith")
    john = Person(name="John Smith")
    assert names_found("farrier", kit, john) == ["Kit Bram"]
    assert names_found("rowing", kit, john) == ["Kit Bram"]
    assert names_found("harb row", kit, john) == ["Kit Bram"]  # every word, in any field
    assert names_found("smith", kit, john) == ["John Smith", "Kit Bram"]  # the name first
    assert names_found("jsmth", kit, john) == ["John Smith"]  # letters with gaps: names only
    assert names_found("frrr", kit, john) == []


def test_search_digits_find_any_phone_of_three_digits_or_more() -> None:
    ana, bo, carla = people()
    assert names_found("555 000-0002", ana, bo, carla) == ["Ana Silva"]  # her second phone
    assert names_found("(020) 7946", ana, bo, carla) == ["Bo Novak"]
    assert names_found("55", ana, bo, carla) == []


def test_search_ranks_a_name_start_then_an_exact_tag_then_the_organisation() -> None:
    by_name = Person(name="Clubb Jones")
    by_tag = Person(name="Ines Roy", tags=["club"])
    by_org = Person(name="Tom Reed", org="Bike Club")
    assert names_found("club", by_org, by_tag, by_name) == ["Clubb Jones", "Ines Roy", "Tom Reed"]


async def test_search_of_5000_people_lists_at_most_SHOWN_rows() -> None:
    crowd = [Person(name=f"Person {n:04d}", org="Library", phones=[f"+1 555 {n:04d}"]) for n in range(5_000)]
    assert len(names_found("libr", *crowd)) == SHOWN
    app = Host(lambda: SearchScreen(crowd))
    async with app.run_test(size=SIZE) as pilot:
        await type_text(pilot, "pers")
        matches = app.screen.query_one("#matches", OptionList)
        assert matches.option_count == SHOWN
        assert "best 200 of 5,000" in plain(app.screen.query_one("#count", Static))
        app.screen.query_one("#query", Input).clear()
        await type_text(pilot, "555 4999")
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
