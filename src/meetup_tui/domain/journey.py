"""The buyer's journey, visible: who is at which stage, who moved, how far, and after how
many conversations.

A move is a log entry with `stage_change` (the stage moved to) and its date: the stage
board (`J`) writes one, a "noted" entry (it neither resets the cadence clock nor counts
as an attempt) whose note says the move ("prospect → lead"); a meeting logged with a
stage change is one too.  The stage moved from is the person's stage before: the one
the note names, else the stage their previous move went to, else unknown ("→ lead").

`journey(book, today, people)` works out, over `people` (a segment's members, or
everyone), per stage of the settings: how many are there now, how many moved into it in
the last 30 and 90 days, and the median number of real conversations with the person
before such a move (every move into it on record); and the moves of the last 90 days,
newest first.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from meetup_tui.domain.book import Book, log_order
from meetup_tui.domain.records import Interaction, Person

WINDOWS = (30, 90)  # days: "moved in the last 30 / 90 days"
ARROW = " → "


def move_note(before: str, after: str) -> str:
    """The note of a move made on the board: "prospect → lead"."""
    return f"{before}{ARROW}{after}"


def move_entry(person: Person, after: str, at: str, by: str) -> Interaction:
    """The log entry of `by` moving `person` to the stage `after` at `at` (unstamped)."""
    return Interaction(
        at=at,
        people=[person.id],
        kind="message",
        outcome="noted",
        note=move_note(person.stage, after),
        stage_change=after,
        logged_by=by,
    )


def moves_of(before: Person, after: Person, at: str, by: str) -> list[Interaction]:
    """The move an edit of a person makes, if it changed their stage: every stage change,
    on the board, in the form or by `edit`, is a move in the journey, with its author."""
    if after.stage == before.stage or after.deleted:
        return []
    return [move_entry(before, after.stage, at, by)]


def step(stages: Sequence[str], stage: str, by: int) -> str | None:
    """The stage `by` places along from `stage` (1: forward, -1: back); None past either
    end.  A stage the settings do not list (a file's own) moves to the first or the last."""
    if stage not in stages:
        return stages[0] if by < 0 else stages[-1]
    at = stages.index(stage) + by
    return stages[at] if 0 <= at < len(stages) else None


@dataclass(frozen=True)
class Move:
    person: Person
    before: str | None  # None: not known
    after: str
    at: str  # the entry's `at`
    talks_before: int  # real conversations with the person up to the move (its own, if a talk)


@dataclass(frozen=True)
class StageFigures:
    stage: str
    people: int  # there now
    moved: tuple[int, ...]  # into it in each of WINDOWS
    median_talks: float | None  # before a move into it, over every such move on record


@dataclass(frozen=True)
class Journey:
    stages: list[StageFigures]
    moves: list[Move]  # of the last WINDOWS[-1] days, newest first


def moves(book: Book, people: Sequence[Person]) -> list[Move]:
    """The moves of `people`, oldest first.  Moves are few beside the log: the entries with
    a stage change are found in one look at each entry, and only the people who moved have
    their talks counted."""
    book.read_whole()  # the log itself, and every person's entries in the index
    wanted = {p.id: p for p in people}
    changes = sorted(
        (i for i in book.interactions.values() if i.stage_change and not i.deleted), key=log_order
    )
    index = book.contact_index()
    last: dict[str, str] = {}
    found: list[Move] = []
    for entry in changes:
        at = log_order(entry)
        for pid in entry.people:
            if pid not in wanted:
                continue
            # (a meeting logged with a stage change is a talk the move came out of: it counts)
            talks = sum(1 for e in index.of(pid).entries if e.reached and log_order(e) <= at)
            named = entry.note.split(ARROW) if ARROW in entry.note else []
            said = len(named) == 2 and named[1].strip() == entry.stage_change
            before = named[0].strip() if said else last.get(pid)
            found.append(Move(wanted[pid], before, entry.stage_change or "", entry.at, talks))
            last[pid] = entry.stage_change or ""
    return found


def journey(book: Book, today: date, people: Sequence[Person], stages: Sequence[str]) -> Journey:
    """The journey of `people` (see the module docstring)."""
    since = [(today - timedelta(days=days - 1)).isoformat() for days in WINDOWS]
    end = (today + timedelta(days=1)).isoformat()
    every = [move for move in moves(book, people) if move.at < end]
    listed = list(stages) + sorted({p.stage for p in people} - set(stages))  # a file's own stage too
    figures = []
    for stage in listed:
        into = [m for m in every if m.after == stage]
        talks = [m.talks_before for m in into]
        figures.append(
            StageFigures(
                stage=stage,
                people=sum(1 for p in people if p.stage == stage),
                moved=tuple(sum(1 for m in into if m.at >= first) for first in since),
                median_talks=statistics.median(talks) if talks else None,
            )
        )
    recent = [m for m in every if m.at >= since[-1]]
    recent.sort(key=lambda m: (m.at, m.person.name.casefold(), m.person.id), reverse=True)
    return Journey(figures, recent)


def how_far(move: Move, stages: Sequence[str]) -> int | None:
    """Stages moved: 2 for prospect → customer, -1 for lead → prospect; None if not known."""
    if move.before is None or move.before not in stages or move.after not in stages:
        return None
    return stages.index(move.after) - stages.index(move.before)


def moved_words(figures: StageFigures) -> str:
    """ "3 moved in 30 days, 8 in 90 · 2 talks before (median)"; "none moved in 90 days"."""
    recent, longer = figures.moved
    if longer:
        said = f"{recent} moved in {WINDOWS[0]} days, {longer} in {WINDOWS[1]}"
    else:
        said = f"none moved in {WINDOWS[1]} days"
    if figures.median_talks is not None:
        said += f" · {talks_words(figures.median_talks)} before (median)"
    return said


def talks_words(count: float) -> str:
    shown = f"{count:g}"
    return f"{shown} talk" if shown == "1" else f"{shown} talks"


def move_words(move: Move) -> str:
    """ "prospect → lead, after 3 talks"; "→ lead, after no talk" when the stage before is not known."""
    before = move.before or ""
    talks = "no talk" if move.talks_before == 0 else talks_words(move.talks_before)
    arrow = ARROW if before else ARROW.lstrip()
    return f"{before}{arrow}{move.after}, after {talks}"
