"""Issue 11, part 5: one key (w) turns the warm path to a stranger into a follow-up with the
one you know well -- a log entry whose outcome is "noted": a step, no contact made, so it
neither resets their cadence clock nor counts as an attempt.  Pilot tests press the keys and
read the file on disk."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from textual.widgets import Static

from meetup_tui.demo import write_demo
from meetup_tui.domain.book import Book
from meetup_tui.domain.clock import Clock
from meetup_tui.domain.outreach import rank_today
from meetup_tui.domain.records import Interaction, Person
from meetup_tui.domain.warm_path import intro_note, intro_step, noted_intro, warm_path
from meetup_tui.store.database import Database
from meetup_tui.ui.app import MeetupApp
from meetup_tui.ui.widgets.detail_panel import DetailPanel
from meetup_tui.ui.widgets.log_pane import LogPane, kind_cell

TODAY = date(2026, 11, 26)  # a Thursday
SIZE = (100, 30)
USER = "alex@shop"
ASK = "ask Maria Gonzalez for an intro to Kwame Mensah"


def on_disk(path: Path) -> Book:
    return Database.open(path, user="reader").book


def trio() -> tuple[Person, Person, Person]:
    """Maria (talked 10 days ago, monthly: not due for weeks), Kwame whom she introduced,
    and Lena whom Kwame introduced: the warm path to Lena is Maria → Kwame."""
    maria = Person(name="Maria Gonzalez", cadence="FREQ=MONTHLY", stage="customer", influence=3)
    kwame = Person(name="Kwame Mensah", introduced_by=maria.id, created_at="2026-01-05T09:00:00.000000Z")
    lena = Person(name="Lena Ortiz", introduced_by=kwame.id, created_at="2026-01-05T09:00:00.000000Z")
    return maria, kwame, lena


def met_maria(maria: Person) -> Interaction:
    return Interaction(
        at=(TODAY - timedelta(days=10)).isoformat() + "T10:00", people=[maria.id], kind="coffee"
    )


@pytest.fixture
def shop(tmp_path: Path) -> tuple[Path, Person, Person, Person]:
    path = tmp_path / "shop.json"
    db = Database.open(path, user=USER, create=True)
    maria, kwame, lena = trio()
    db.apply(*(db.stamp(r) for r in (maria, kwame, lena, met_maria(maria))))
    db.save()
    return path, maria, kwame, lena


def make_app(path: Path) -> MeetupApp:
    return MeetupApp(Database.open(path, user=USER), Clock(TODAY))


async def settle(app: MeetupApp, pilot) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def find(app: MeetupApp, pilot, name: str) -> None:
    """Select someone the way a user does: / and their name."""
    await pilot.press("slash", *name, "enter")
    await settle(app, pilot)


def panel_text(app: MeetupApp) -> str:
    return str(app.query_one(DetailPanel).query_one("#facts", Static).render())


def reasons_of(book: Book, day: date, person: Person) -> list[str]:
    return next((s.reasons for s in rank_today(book, day) if s.person.id == person.id), [])


# -- the domain: "noted" is no contact ------------------------------------------------------


def test_a_noted_step_neither_resets_the_clock_nor_counts_as_an_attempt(make_book) -> None:
    maria, kwame, lena = trio()
    path = [maria, kwame, lena]
    before = make_book(maria, kwame, lena, met_maria(maria))
    assert reasons_of(before, TODAY, maria) == [], "talked 10 days ago, monthly: not due"
    # A step noted 5 days ago, already done: nothing left of it but the entry.
    noted = intro_step(path, ASK, TODAY - timedelta(days=5), _at(TODAY - timedelta(days=5)), USER)
    noted.done = (TODAY - timedelta(days=4)).isoformat()
    book = make_book(maria, kwame, lena, met_maria(maria), noted)
    assert book.last_contacts()[maria.id] == TODAY - timedelta(days=10), "the clock did not move"
    assert book.contact_index().of(maria.id).last_attempt is None
    # An attempt in its place would ask again ("tried 5 days ago ..."); the noted step does not.
    tried = Interaction(at=noted.at, people=[maria.id], kind="call", outcome="attempt", note="no answer")
    assert any("tried" in r for r in reasons_of(make_book(maria, met_maria(maria), tried), TODAY, maria))
    assert reasons_of(book, TODAY, maria) == []
    # Lena is still a stranger: the step was with Maria, and only a talk with Lena ends that.
    assert warm_path(book, lena.id, TODAY) is not None


def test_a_step_noted_today_for_today_lists_the_person_today(make_book) -> None:
    """Anyone with an entry dated today is left off today's list (never twice a day); a step
    noted today is no contact, so its own follow-up today still lists them."""
    maria, kwame, lena = trio()
    step = intro_step([maria, kwame, lena], ASK, TODAY, _at(TODAY, "09:30"), USER)
    book = make_book(maria, kwame, lena, met_maria(maria), step)
    assert f"follow-up due: {ASK}" in reasons_of(book, TODAY, maria)
    assert noted_intro(book, [maria, kwame, lena]) is step
    assert kind_cell(step).plain == "• noted"


def _at(day: date, clock: str = "10:00") -> datetime:
    return datetime.fromisoformat(f"{day.isoformat()}T{clock}")


# -- w in the app ---------------------------------------------------------------------------


async def test_w_on_a_stranger_notes_the_intro_step_with_the_one_known_well(shop) -> None:
    path, maria, kwame, lena = shop
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await find(app, pilot, "Lena Ortiz")
        assert app.selected_id == lena.id
        assert "via Maria Gonzalez → Kwame Mensah (w: ask for the intro)" in panel_text(app)
        await pilot.press("w")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "IntroStepScreen"
        await pilot.press("enter")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "Screen"
        assert "intro step noted, follow up today" in panel_text(app)
    book = on_disk(path)
    (step,) = [i for i in book.live_interactions() if i.outcome != "reached"]
    assert (step.people, step.outcome, step.next_step, step.follow_up, step.done) == (
        [maria.id], "noted", ASK, TODAY.isoformat(), "",
    )  # fmt: skip
    assert (
        step.note
        == intro_note([maria, kwame, lena])
        == ("Warm path to Lena Ortiz: via Maria Gonzalez → Kwame Mensah")
    )
    assert step.logged_by == USER
    assert book.last_contacts()[maria.id] == TODAY - timedelta(days=10), "her clock did not move"
    assert f"follow-up due: {ASK}" in reasons_of(book, TODAY, maria)


async def test_w_takes_other_words_and_a_later_day_and_x_marks_the_step_done(shop) -> None:
    path, maria, kwame, lena = shop
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await find(app, pilot, "Lena Ortiz")
        await pilot.press("w", "ctrl+u", *"ask Maria about Kwame at the fair", "tab", "ctrl+u", *"yesterday")
        await pilot.press("enter")
        await settle(app, pilot)
        assert "follow up today or a later day" in str(app.screen.query_one("#error", Static).render())
        await pilot.press("ctrl+u", *"mon", "enter")
        await settle(app, pilot)
        (step,) = [i for i in on_disk(path).live_interactions() if i.outcome == "noted"]
        assert (step.next_step, step.follow_up) == ("ask Maria about Kwame at the fair", "2026-11-30")
        book = on_disk(path)
        assert not any("follow-up" in r for r in reasons_of(book, TODAY, maria)), "not before Monday"
        assert "follow-up due: ask Maria about Kwame at the fair" in reasons_of(
            book, date(2026, 11, 30), maria
        )
        # The open step shows with Maria, and x marks it done like any step.
        await find(app, pilot, "Maria Gonzalez")
        assert "Next step: ask Maria about Kwame at the fair (due in 4 days)" in panel_text(app)
        await pilot.press("x")
        await settle(app, pilot)
    assert on_disk(path).interactions[step.id].done == TODAY.isoformat()


async def test_w_without_a_warm_path_says_why_and_writes_nothing(shop) -> None:
    path, maria, kwame, lena = shop
    hermit = Person(name="Hal Hermit")
    db = Database.open(path, user=USER)
    db.apply(db.stamp(hermit))
    db.save()
    before = path.read_bytes()
    app = make_app(path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        await find(app, pilot, "Hal Hermit")
        await pilot.press("w")
        await settle(app, pilot)
        await find(app, pilot, "Maria Gonzalez")
        await pilot.press("w")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "Screen", "no dialog opened"
        said = [n.message for n in app._notifications if n.severity == "warning"]
    assert said == [
        "No warm path to Hal Hermit: no one you talked to in 90 days links to them.",
        "No warm path needed: you talked to Maria Gonzalez 10 days ago; call them.",
    ]
    assert path.read_bytes() == before


async def test_w_twice_does_not_note_the_same_intro_twice(shop) -> None:
    path, maria, kwame, lena = shop
    app = make_app(path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        await find(app, pilot, "Lena Ortiz")
        await pilot.press("w", "enter")
        await settle(app, pilot)
        await pilot.press("w")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "Screen"
        assert any(n.message.startswith("Already noted with Maria Gonzalez") for n in app._notifications)
    assert len([i for i in on_disk(path).live_interactions() if i.outcome == "noted"]) == 1


async def test_escape_cancels_the_intro_step(shop) -> None:
    path, maria, kwame, lena = shop
    before = path.read_bytes()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await find(app, pilot, "Lena Ortiz")
        await pilot.press("w", "escape")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "Screen"
    assert path.read_bytes() == before


async def test_correcting_a_noted_entry_in_the_log_form_keeps_it_noted(shop) -> None:
    path, maria, kwame, lena = shop
    db = Database.open(path, user=USER)
    step = db.stamp(intro_step([maria, kwame, lena], ASK, TODAY, _at(TODAY, "09:00"), USER))
    db.apply(step)
    db.save()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        log = app.query_one(LogPane)
        log.focus()
        await pilot.press("home")
        assert log.current_key() == step.id
        await pilot.press("e")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "LogForm"
        await pilot.press("tab", "tab", "tab", "tab", "tab")  # people, kind, outcome, when, where -> note
        await pilot.press("end", *" (met at the fair)", "ctrl+s")
        await settle(app, pilot)
    fixed = on_disk(path).interactions[step.id]
    assert fixed.note.endswith("(met at the fair)")
    assert fixed.outcome == "noted"
    assert on_disk(path).last_contacts()[maria.id] == TODAY - timedelta(days=10)


# -- how it looks ----------------------------------------------------------------------------


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_intro_step_dialog_on_the_demo(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    """w on Noah Fielding (never talked to; Tom Brennan introduced him): the step and the day."""
    path = tmp_path / "demo.json"
    write_demo(path, TODAY)
    app = MeetupApp(Database.open(path, user="alex@spoke-and-chain"), Clock(TODAY))
    assert snap_compare(app, press=["slash", *"Noah Fielding", "enter", "w"], terminal_size=size)
