"""What planning a meeting records (domain/plans.py), whichever key planned it."""

from __future__ import annotations

from datetime import date, datetime

from meetup_tui.domain.book import Book
from meetup_tui.domain.outreach import rank_today
from meetup_tui.domain.plans import plan_records, plan_words, planned
from meetup_tui.domain.records import Interaction, Person

NOW = datetime(2026, 11, 26, 9, 30)


def test_a_plan_for_a_later_day_invites_and_snoozes_until_then() -> None:
    ana = Person(name="Ana", snoozed_until=None)
    invitation, snoozed = plan_records(ana, "lunch", date(2026, 12, 4), NOW, "alex@shop")
    assert isinstance(invitation, Interaction) and isinstance(snoozed, Person)
    assert (invitation.at, invitation.people, invitation.logged_by) == (
        "2026-11-26T09:30",
        [ana.id],
        "alex@shop",
    )
    assert (invitation.kind, invitation.outcome) == ("message", "attempt")
    assert (invitation.next_step, invitation.follow_up) == ("lunch", "2026-12-04")
    assert invitation.note == "Planned lunch for Friday 4 December 2026"
    assert snoozed.id == ana.id and snoozed.snoozed_until == "2026-12-04" and snoozed.name == "Ana"


def test_a_plan_for_today_snoozes_nobody_and_leaves_the_clock_alone() -> None:
    ana = Person(name="Ana", cadence="FREQ=WEEKLY")
    talk = Interaction(at="2026-11-01T10:00", people=[ana.id])
    (invitation,) = plan_records(ana, "coffee", NOW.date(), NOW, "alex@shop")
    book = Book()
    for record in (ana, talk, invitation):
        book.put(record)
    assert book.last_contacts()[ana.id] == date(2026, 11, 1)
    tomorrow = {s.person.id: s for s in rank_today(book, date(2026, 11, 27))}
    assert "follow-up 1 day overdue: coffee" in tomorrow[ana.id].reasons
    assert not [r for r in tomorrow[ana.id].reasons if "ask again" in r]


def test_a_plan_reads_as_a_plan_not_an_attempt() -> None:
    ana = Person(name="Ana")
    invitation, _ = plan_records(ana, "coffee", date(2026, 12, 1), NOW, "alex@shop")
    assert planned(invitation) == ("coffee", date(2026, 12, 1))
    assert plan_words(invitation, NOW.date()) == "→ coffee planned for Tue 1 Dec"
    assert plan_words(invitation, date(2025, 6, 1)) == "→ coffee planned for Tue 1 Dec 2026"
    # A message someone typed is not a plan, even with a step and a date.
    typed = Interaction(
        kind="message", outcome="attempt", note="left a note", next_step="coffee", follow_up="2026-12-01"
    )
    assert planned(typed) is None and plan_words(typed, NOW.date()) is None
