"""`journey [--segment S] [--json]`: the stages of the settings with how many people are at
each, how many moved into each in the last 30 and 90 days and after how many talks, and
who moved lately (domain/journey.py)."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from meetup_tui.cli import render
from meetup_tui.cli.commands import Context, find_segment, open_existing
from meetup_tui.domain.dates import long_day, short_day
from meetup_tui.domain.journey import WINDOWS, Journey, how_far, journey, move_words, moved_words
from meetup_tui.domain.text import one_line, plural


def add_parser(sub: Any) -> None:
    command = sub.add_parser(
        "journey",
        help="stage moves: who moved, how far, after how many talks",
        description="The buyer's journey: how many people are at each stage, how many moved "
        f"into it in the last {WINDOWS[0]} and {WINDOWS[1]} days and after how many real "
        f"conversations (the median), and who moved in the last {WINDOWS[1]} days.",
        epilog="Moves are log entries with a stage change: the stage board (J in the app) writes them.",
    )
    command.add_argument("--segment", metavar="S", help="only the members of this segment")
    command.add_argument("--json", action="store_true", help="print JSON for scripts")
    command.set_defaults(run=run_journey)


def run_journey(args: argparse.Namespace, ctx: Context) -> int:
    book = open_existing(ctx, writing=False).book
    segment = find_segment(book, args.segment) if args.segment else None
    people = book.members(segment) if segment else book.live_people()
    today = ctx.clock.today()
    found = journey(book, today, people, ctx.settings.stages)
    if args.json:
        print(render.dump_json(journey_doc(found, segment.name if segment else None, ctx.settings.stages)))
        return 0
    whose = f"the segment {one_line(segment.name)}" if segment else "everyone"
    lines = [f"The journey of {whose} ({plural(len(people), 'person', 'people')}), {long_day(today)}"]
    width = max(len(one_line(f.stage)) for f in found.stages)
    for figures in found.stages:
        lines.append(f"  {one_line(figures.stage):<{width}}  {figures.people:>5}  {moved_words(figures)}")
    if found.moves:
        lines.append(f"Moved in the last {WINDOWS[1]} days, newest first:")
        for move in found.moves:
            when = short_day(date.fromisoformat(move.at[:10]), today)
            lines.append(f"  {when:<11} {one_line(move.person.name)}: {one_line(move_words(move))}")
    else:
        lines.append(f"No one moved in the last {WINDOWS[1]} days: the stage board (J) moves people.")
    print("\n".join(lines))
    return 0


def journey_doc(found: Journey, segment: str | None, stages: tuple[str, ...]) -> dict[str, Any]:
    return {
        "segment": segment,
        "stages": [
            {
                "stage": f.stage,
                "people": f.people,
                **{f"moved_{days}_days": count for days, count in zip(WINDOWS, f.moved, strict=True)},
                "median_talks_before": f.median_talks,
            }
            for f in found.stages
        ],
        "moves": [
            {
                "id": m.person.id,
                "name": m.person.name,
                "from": m.before,
                "to": m.after,
                "stages": how_far(m, stages),  # how far: 2 for prospect -> customer, null if not known
                "at": m.at,
                "talks_before": m.talks_before,
            }
            for m in found.moves
        ],
    }
