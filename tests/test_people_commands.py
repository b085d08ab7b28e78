"""Pilot tests of the command palette's people: ctrl+p, a name typed without its accents,
Enter, and the app is asked to go to that person; names are shown as typed, never as markup."""

from __future__ import annotations

from types import SimpleNamespace

from textual.app import App
from textual.command import CommandList, CommandPalette, Hit

from meetup_tui.domain.records import Person
from meetup_tui.ui.people_commands import HITS, PeopleCommands
from screen_support import SIZE, make_book, type_text


class PaletteHost(App[None]):
    """Textual's own commands plus the people; records whom it was asked to jump to."""

    COMMANDS = App.COMMANDS | {PeopleCommands}

    def __init__(self, *persons: Person) -> None:
        super().__init__()
        self.db = SimpleNamespace(book=make_book(*persons))
        self.jumped: list[str] = []
        self.animation_level = "none"

    def jump_to_person(self, person_id: str) -> None:
        self.jumped.append(person_id)


async def shown_after_typing(app: PaletteHost, pilot, query: str, wanted: str) -> list[str]:
    """Open the palette, type `query` and wait until a row containing `wanted` is listed."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    assert CommandPalette.is_open(app)
    await type_text(pilot, query)
    rows: list[str] = []
    for _ in range(100):  # the palette gathers hits in a worker and lists them in batches
        await pilot.pause(0.02)
        commands = app.screen.query_one(CommandList)
        rows = [commands.get_option_at_index(i).prompt.plain for i in range(commands.option_count)]
        if any(wanted in row for row in rows):
            break
    return rows


async def test_typing_unal_and_enter_jumps_to_deniz_unal() -> None:
    unal = Person(name="Deniz Ünal", org="Harbour Rowing")
    others = [Person(name="Ana Silva"), Person(name="Una Lind"), Person(name="Gone Ünal", deleted=True)]
    app = PaletteHost(unal, *others)
    async with app.run_test(size=SIZE) as pilot:
        rows = await shown_after_typing(app, pilot, "unal", "Deniz Ünal")
        assert rows[0] == "Deniz Ünal — Harbour Rowing"
        assert not any("Gone" in row for row in rows)  # deleted people are not offered
        await pilot.press("enter")
        await pilot.pause()
        assert not CommandPalette.is_open(app)
        assert app.jumped == [unal.id]


async def test_a_name_with_markup_in_it_is_shown_literally() -> None:
    tricky = Person(name="[red]Mal[/red] [b]Ünal", org="[link=http://x]Club[/link]")
    app = PaletteHost(tricky)
    async with app.run_test(size=SIZE) as pilot:
        rows = await shown_after_typing(app, pilot, "mal", "Mal")
        assert rows == ["[red]Mal[/red] [b]Ünal — [link=http://x]Club[/link]"]
        await pilot.press("enter")
        await pilot.pause()
        assert app.jumped == [tricky.id]


async def test_two_people_shown_alike_are_told_apart_by_phone() -> None:
    first = Person(name="Maya Patel", org="Library", phones=["020 7946 0001"])
    second = Person(name="Maya Patel", org="Library", phones=["020 7946 0002"])
    app = PaletteHost(first, second, Person(name="Maya Okafor", org="Wheelers"))
    async with app.run_test(size=SIZE) as pilot:
        rows = await shown_after_typing(app, pilot, "maya patel", "0002")
        people = [row for row in rows if row.startswith("Maya")]
        assert sorted(people) == [
            "Maya Patel — Library · 020 7946 0001",
            "Maya Patel — Library · 020 7946 0002",
        ]


async def test_a_big_book_offers_at_most_HITS_people_best_first() -> None:
    crowd = [Person(name=f"Person {n:04d}") for n in range(5_000)]
    exact = Person(name="Personne Exacte")
    app = PaletteHost(*crowd, exact)
    async with app.run_test(size=SIZE):
        provider = PeopleCommands(app.screen)
        await provider.startup()
        hits = [hit async for hit in provider.search("personne")]
        assert [hit.text for hit in hits] == ["Personne Exacte"]
        hits = [hit async for hit in provider.search("pers")]
        assert len(hits) == HITS
        assert all(isinstance(hit, Hit) for hit in hits)
        assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)
        assert [hit async for hit in provider.search("   ")] == []
