"""The picture (issue 14, part 4; domain/report.py): conversations against likes per week,
stage moves per month, each segment's coverage week by week; the report screen (`R`)
plots each with its numbers beside it as text."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from meetup_tui.domain.book import Book
from meetup_tui.domain.journey import move_entry
from meetup_tui.domain.records import Interaction, Person, Post, Segment
from meetup_tui.domain.report import coverage_over_time, month_labels, moves_per_month, weeks
from meetup_tui.store.database import Database
from meetup_tui.ui.screens.report_screen import Plot, ReportScreen
from today_support import SIZE, TODAY, USER, make_app, settle

MakeBook = Callable[..., Book]
WEEKLY = "FREQ=WEEKLY"


def talk(day: date, *people: Person, outcome: str = "reached") -> Interaction:
    return Interaction(at=f"{day.isoformat()}T10:00", people=[p.id for p in people], outcome=outcome)


def test_weeks_count_talks_posts_and_likes_this_week_last(make_book: MakeBook) -> None:
    ana = Person(name="Ana Ruiz")
    book = make_book(
        ana,
        talk(TODAY, ana),  # Thursday: this week
        talk(TODAY - timedelta(days=4), ana),  # Sunday: last week
        talk(TODAY - timedelta(days=4), ana, outcome="attempt"),  # not a talk
        Post(platform="x", at="2026-11-24T18:00", likes=40),
        Post(platform="x", at="2026-09-01T18:00", likes=99),  # before the 12 weeks
    )
    found = weeks(book, TODAY)
    assert found.starts[0] == date(2026, 9, 7) and found.starts[-1] == date(2026, 11, 23)
    assert (found.talks[-2:], found.posts[-1], found.likes[-1], sum(found.likes)) == ([1, 1], 1, 40, 40)


def test_moves_per_month_this_month_last(make_book: MakeBook) -> None:
    ana, bo = Person(name="Ana Ruiz", stage="lead"), Person(name="Bo Lee", stage="lead")
    book = make_book(
        ana,
        bo,
        move_entry(ana, "lead", "2026-11-02T10:00", "alex@shop"),
        move_entry(bo, "lead", "2026-11-20T10:00", "alex@shop"),
        move_entry(bo, "prospect", "2025-12-31T10:00", "alex@shop"),
        move_entry(bo, "lead", "2025-11-30T10:00", "alex@shop"),  # 12 months back from November: not shown
    )
    assert [name for _, name in month_labels(TODAY)][::11] == ["Dec", "Nov"]
    assert moves_per_month(book, TODAY, [ana, bo]) == [1] + [0] * 10 + [2]
    assert moves_per_month(book, TODAY, [ana]) == [0] * 11 + [1]


def test_coverage_week_by_week_is_of_the_last_talk_by_each_weeks_end(make_book: MakeBook) -> None:
    ana, bo = (
        Person(name="Ana Ruiz", tags=["club"], cadence=WEEKLY),
        Person(name="Bo Lee", tags=["club"], cadence=WEEKLY),
    )
    club = Segment(name="Club", rule={"tags": ["club"]})
    book = make_book(ana, bo, club, talk(date(2026, 11, 10), ana), talk(date(2026, 11, 24), ana, bo))
    [found] = coverage_over_time(book, [club], TODAY, count=4)
    # Weeks ending 8, 15, 22 Nov and today (26): weekly, so in touch for 7 days after a talk.
    assert (found.members, found.shares) == (2, [0, 50, 0, 100])


async def test_the_report_plots_each_series_with_its_numbers(six_due) -> None:
    path, people = six_due
    db = Database.open(path, user=USER)
    db.commit(db.stamp(Post(platform="instagram", at="2026-11-24T18:00", likes=40)))
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("R")
        await settle(app, pilot)
        assert isinstance(app.screen, ReportScreen)
        plots = {plot.label: plot for plot in app.screen.query(Plot)}
        assert plots["Likes"].values[-1] == 40
        assert str(plots["Likes"].query_one(".said").render()).endswith("40 · 40 in 12 weeks")
        assert plots["Conversations"].values == [0] * 12
        app.screen.dismiss()
        await settle(app, pilot)
        await pilot.press("c", "enter")  # a call with Ana, logged: this week's count
        await settle(app, pilot)
        await pilot.press("R")
        await settle(app, pilot)
        plots = {plot.label: plot for plot in app.screen.query(Plot)}
        assert plots["Conversations"].values[-1] == 1
        assert "1 in 12 weeks" in str(plots["Conversations"].query_one(".said").render())
