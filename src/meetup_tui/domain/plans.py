"""What planning a meeting records ("coffee next monday"), the same from the main screen
and from the check-in.

Planning a coffee is not a conversation: it must not move the cadence clock, so "last
talked" stays honest.  Yet the plan must bring the person back on the day, and keep them
off the list until then.  So a plan is, together:

- an Interaction of kind "message", outcome "attempt" (an invitation, not a talk), note
  "Planned coffee for Monday 30 November 2026", next step "coffee", follow-up that day
  (a dated next step set with an attempt means no "ask again" before that day);
- the person snoozed until that day (unless the plan is for today), or the overdue signal
  would list them every morning before the coffee.

On the day the snooze has run out and "follow-up due: coffee" puts them on the list;
logging the coffee as reached then meets the follow-up and resets the clock.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from meetup_tui.domain.dates import iso_minute, long_day, short_day
from meetup_tui.domain.records import Interaction, Person


def planned(item: Interaction) -> tuple[str, date] | None:
    """(kind, day) when the entry is a plan `plan_records` made, else None: a plan is shown
    as what it is ("→ coffee planned for Tue 1 Dec"), not as a failed attempt."""
    if item.outcome != "attempt" or item.kind != "message" or not item.follow_up or not item.next_step:
        return None
    try:
        day = date.fromisoformat(item.follow_up[:10])
    except ValueError:
        return None
    return (item.next_step, day) if item.note == f"Planned {item.next_step} for {long_day(day)}" else None


def plan_words(item: Interaction, today: date) -> str | None:
    """ "→ coffee planned for Tue 1 Dec", or None when the entry is not a plan."""
    plan = planned(item)
    return f"→ {plan[0]} planned for {short_day(plan[1], today)}" if plan else None


def plan_records(
    person: Person, kind: str, day: date, now: datetime, user: str
) -> list[Interaction | Person]:
    """The invitation, and the person snoozed until `day` when it is after today."""
    invitation = Interaction(
        at=iso_minute(now),
        people=[person.id],
        kind="message",
        outcome="attempt",
        note=f"Planned {kind} for {long_day(day)}",
        next_step=kind,
        follow_up=day.isoformat(),
        logged_by=user,
    )
    if day <= now.date():
        return [invitation]
    return [invitation, replace(person, snoozed_until=day.isoformat())]
