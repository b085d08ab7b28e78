"""`insights [--segment S] [--json]`: the challenges, wants and needs heard from a segment
(or everyone), grouped by the words they share, each with who said it and when
(domain/insights.py)."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from meetup_tui.cli import render
from meetup_tui.cli.commands import Context, find_segment, open_existing
from meetup_tui.domain.dates import relative_day
from meetup_tui.domain.insights import Heard, group_title, grouped, heard
from meetup_tui.domain.text import one_line, plural


def add_parser(sub: Any) -> None:
    command = sub.add_parser(
        "insights",
        help="challenges / wants / needs learned, grouped",
        description="What your audience told you: the challenges, wants and needs learned in "
        "conversations (and kept on each person), newest first, grouped when they repeat by "
        "the words they share, each with who said it and when.",
        epilog="Example: meetup-tui insights --segment Commuters",
    )
    command.add_argument("--segment", metavar="S", help="only what this segment's members said")
    command.add_argument("--json", action="store_true", help="print JSON for scripts")
    command.set_defaults(run=run_insights)


def run_insights(args: argparse.Namespace, ctx: Context) -> int:
    book = open_existing(ctx, writing=False).book
    segment = find_segment(book, args.segment) if args.segment else None
    people = book.members(segment) if segment else book.live_people()
    items = heard(book, people)
    groups, single = grouped(items)
    if args.json:
        doc = {
            "segment": segment.name if segment else None,
            "groups": [{"words": list(g.words), "items": [heard_doc(i) for i in g.items]} for g in groups],
            "single": [heard_doc(i) for i in single],
        }
        print(render.dump_json(doc))
        return 0
    whose = one_line(segment.name) if segment else "your people"
    if not items:
        print(f"Nothing learned from {whose} yet: log what they tell you (`log --learned`, or Learned).")
        return 0
    today = ctx.clock.today()
    lines = [f"What {whose} told you: {plural(len(items), 'thing')} heard, grouped by the words they share."]
    for group in groups:
        lines.append(group_title(group))
        lines.extend(f"  {heard_line(item, today)}" for item in group.items)
    if single:
        lines.append("Heard once:" if groups else "Heard, newest first:")
        lines.extend(f"  {heard_line(item, today)}" for item in single)
    print("\n".join(lines))
    return 0


def heard_line(item: Heard, today: date) -> str:
    """ "Wants a winter service plan — Maya Okafor, 3 days ago"."""
    return f"{item.text} — {item.names}, {relative_day(date.fromisoformat(item.at[:10]), today)}"


def heard_doc(item: Heard) -> dict[str, Any]:
    return {
        "text": item.text,
        "kind": item.kind,
        "people": [{"id": p.id, "name": p.name} for p in item.people],
        "at": item.at,
    }
