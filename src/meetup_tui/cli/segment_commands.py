"""`segments [NAME] [--json]`: each segment with its rule, coverage and connectors; one
segment's members, people of most influence first, overdue ones marked."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from meetup_tui.cli import render, segment_edit
from meetup_tui.cli.commands import Context, find_segment, open_existing
from meetup_tui.domain.audience import Audience, audience, audience_warnings
from meetup_tui.domain.book import Book
from meetup_tui.domain.connectors import CONNECTOR_DAYS, connectors, connectors_sentence, connectors_words
from meetup_tui.domain.coverage import is_overdue, segment_coverage
from meetup_tui.domain.records import VERSIONS_KEY, Segment
from meetup_tui.domain.segment_rules import describe_rule
from meetup_tui.domain.text import one_line, plural


def add_parser(sub: Any) -> None:
    segments = sub.add_parser(
        "segments",
        help="segments: coverage and connectors, or one segment's members",
        description="Every segment with its rule, how many members are in touch within their "
        "cadence, and its connectors (the people of most influence, who introduced most "
        "others) and whether they were touched lately; with NAME, that segment's members.",
        epilog="Examples: meetup-tui segments Commuters --json; "
        "meetup-tui segments 'Fast locals' --create --tag racing --area Millbrook; "
        "meetup-tui segments 'Fast locals' --min-influence 3 --rename 'Local racers'",
    )
    segments.add_argument("name", metavar="NAME", nargs="?")
    segments.add_argument("--json", action="store_true", help="print JSON for scripts")
    segment_edit.add_arguments(segments)
    segments.set_defaults(run=run_segments)


def run_segments(args: argparse.Namespace, ctx: Context) -> int:
    if segment_edit.wants_change(args):
        return segment_edit.run_change(args, ctx)
    book, today = open_existing(ctx, writing=False).book, ctx.clock.today()
    default = ctx.settings.default_cadence
    if args.name:
        segment = find_segment(book, args.name)
        if args.json:
            doc = segment_doc(book, segment, today, default, audience(book))
            last = book.last_contacts()
            doc["people"] = [render.person_doc(p, book, last) for p in _by_influence(book, segment)]
            print(render.dump_json(doc))
        else:
            print("\n".join(segment_text(book, segment, today, default)))
        return 0
    segments = sorted(book.live_segments(), key=lambda s: (s.name.casefold(), s.id))
    broad = audience(book)
    if args.json:
        print(render.dump_json([segment_doc(book, s, today, default, broad) for s in segments]))
        return 0
    if not segments:
        print("No segments yet; add someone to one with `meetup-tui add NAME --segment S`.")
        return 0
    for segment in segments:
        covered, size = segment_coverage(book, segment, today, default)
        found = connectors(book, segment, today, days=CONNECTOR_DAYS)
        print(f"{one_line(segment.name)} — {one_line(describe_rule(segment.rule))}")
        print(f"   {covered} of {size} in touch · {connectors_words(found, CONNECTOR_DAYS)}")
    warnings = audience_warnings(book, broad)
    if warnings:
        print()
        print("\n".join(f"⚠ {one_line(said)}" for said in warnings))
    return 0


def _by_influence(book: Book, segment: Segment) -> list:
    return sorted(book.members(segment), key=lambda p: (-p.influence, p.name.casefold(), p.id))


def segment_doc(book: Book, segment: Segment, today: date, default: str, broad: Audience) -> dict[str, Any]:
    doc = segment.to_doc()
    doc.pop(VERSIONS_KEY, None)
    covered, size = segment_coverage(book, segment, today, default)
    doc.update(rule_words=describe_rule(segment.rule), members=size, in_touch=covered)
    doc["too_broad"] = segment.id in broad.too_broad
    doc["connectors"] = [
        {
            "id": c.person.id,
            "name": c.person.name,
            "influence": c.influence,
            "introduced": c.introduced,
            "appearances": c.appearances,
            "last_talk": c.last_talk.isoformat() if c.last_talk else None,
            "touched": c.touched,
        }
        for c in connectors(book, segment, today, days=CONNECTOR_DAYS)
    ]
    return doc


def segment_text(book: Book, segment: Segment, today: date, default: str) -> list[str]:
    covered, size = segment_coverage(book, segment, today, default)
    lines = [
        f"{one_line(segment.name)}: {plural(size, 'member')}, "
        f"{covered} of {size} in touch within their cadence.",
        f"Rule: {one_line(describe_rule(segment.rule))}"
        + (f"; {len(segment.include)} added by hand" if segment.include else "")
        + (f"; {len(segment.exclude)} left out" if segment.exclude else ""),
    ]
    found = connectors(book, segment, today, days=CONNECTOR_DAYS)
    lines.append(connectors_sentence(segment, found, CONNECTOR_DAYS) + ".")
    for c in found:
        mark = "touched" if c.touched else "not touched"
        lines.append(
            f"   {one_line(c.person.name)}: influence {c.influence}, introduced {c.introduced}, "
            f"in {plural(c.appearances, 'log entry', 'log entries')} — {mark} in {CONNECTOR_DAYS} days"
        )
    members = _by_influence(book, segment)
    if members:
        lines.append("")
        last = book.last_contacts()
        due = {p.id for p in members if is_overdue(book, p, last.get(p.id), today, default)}
        for row, person in zip(render.people_rows(members, last, today), members, strict=True):
            lines.append(("! due  " if person.id in due else "       ") + row)
    return lines
