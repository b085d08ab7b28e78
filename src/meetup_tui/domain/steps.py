"""Next steps: open until someone marks them done; and which steps an older file had met.

Before schema 3 a next step had no done mark: a person's step was the newest entry with a
follow-up date, and any real conversation on a later day met it.  That rule closed steps
silently (a quick call about something else "met" the winter price list), so now a step
(words, a follow-up date, or both) stays open until someone marks it done (`done`, the
day) -- wherever a conversation is logged there is one key for that.

`met_before_done_marks` is what the migration to schema 3 writes: the steps the old rule
considered met get their done mark, so nothing that was closed opens again.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import replace
from datetime import date

from meetup_tui.domain.book import Book
from meetup_tui.domain.dates import relative_day
from meetup_tui.domain.records import Interaction
from meetup_tui.domain.text import one_line


def met_before_done_marks(items: Iterable[Interaction]) -> dict[str, str]:
    """Entry id -> done day, for the open-looking steps the rule before done marks had met.

    For each person of an entry with a step:
    - a dated step was met when a newer dated step replaced it, or a real conversation on a
      later day came after it (exactly the old rule);
    - an undated step (the old rule did not follow those) was met when any newer step
      replaced it, or a real conversation on a later day came after it.
    An entry is marked done when it was met for every person in it, on the day the last of
    them met it; a step still open for anyone stays open.
    """
    live = [item for item in items if not item.deleted]
    talks: dict[str, list[str]] = {}  # person -> days of their real conversations
    steps: dict[str, list[Interaction]] = {}  # person -> their entries with a step
    for item in live:
        for pid in item.people:
            if item.reached:
                talks.setdefault(pid, []).append(item.at[:10])
            if item.has_step and not item.done:
                steps.setdefault(pid, []).append(item)
    for days in talks.values():
        days.sort()
    closed: dict[str, dict[str, str]] = {}  # entry id -> person -> the day it was met for them
    for pid, theirs in steps.items():
        theirs.sort(key=lambda i: (i.at, i.created_at, i.id))
        days = talks.get(pid, [])
        newer_dated = newer_any = None  # the day of the nearest newer step (dated / any)
        for item in reversed(theirs):  # newest first: one pass, a binary search for the talk
            day = item.at[:10]
            later = bisect.bisect_right(days, day)
            met = days[later] if later < len(days) else None
            replaced = newer_dated if item.follow_up else newer_any
            when = min((d for d in (met, replaced) if d is not None), default=None)
            if when is not None:
                closed.setdefault(item.id, {})[pid] = max(when, day)
            newer_any = day
            if item.follow_up:
                newer_dated = day
    done: dict[str, str] = {}
    for item in live:
        met = closed.get(item.id, {})
        if item.people and all(pid in met for pid in item.people):
            done[item.id] = max(met.values())
    return done


def open_steps_with(book: Book, person_ids: Iterable[str]) -> list[Interaction]:
    """The open next steps with any of these people (each entry once), due first first."""
    found: dict[str, Interaction] = {}
    for pid in person_ids:
        for step in book.open_steps(pid):
            found.setdefault(step.id, step)
    return list(found.values())


def marked_done(steps: Iterable[Interaction], day: date) -> list[Interaction]:
    """The steps with their done mark set to `day` (unstamped: the store stamps them)."""
    return [replace(step, done=day.isoformat()) for step in steps]


def step_words(step: Interaction, today: date) -> str:
    """ "send the winter price list (due in 3 days)", "coffee (due today)", "call back"."""
    said = one_line(step.next_step) or "follow up"
    if not step.follow_up:
        return said
    return f"{said} (due {relative_day(date.fromisoformat(step.follow_up[:10]), today)})"
