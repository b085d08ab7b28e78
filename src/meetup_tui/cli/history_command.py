"""`history NAME [--json]`: every log entry with a person, newest first, whole."""

from __future__ import annotations

import argparse
from datetime import date, datetime
from typing import Any

from meetup_tui.cli import render
from meetup_tui.cli.commands import Context, open_existing
from meetup_tui.domain.book import Book
from meetup_tui.domain.dates import long_day, relative_day
from meetup_tui.domain.plans import plan_words, planned
from meetup_tui.domain.records import VERSIONS_KEY, Interaction, Person
from meetup_tui.domain.text import one_line, plural, visible
from meetup_tui.store import set_aside


def add_parser(sub: Any) -> None:
    history = sub.add_parser(
        "history",
        help="every log entry with a person, newest first",
        description="Every call, meeting, attempt and step noted with a person, newest first, "
        "with what was noted and learned, the next step and who logged it.",
        epilog='Example: meetup-tui history "Maya Okafor" --json',
    )
    history.add_argument("name", metavar="NAME")
    history.add_argument("--json", action="store_true", help="print JSON for scripts")
    history.set_defaults(run=run_history)


def run_history(args: argparse.Namespace, ctx: Context) -> int:
    db = open_existing(ctx, writing=False)
    book = db.book
    person = book.find_person(args.name)
    entries = book.interactions_with(person.id)
    if args.json:
        print(render.dump_json([entry_doc(book, item) for item in entries]))
        return 0
    lines = history_text(book, person, entries, ctx.clock.today())
    ids = {person.id, *(entry.id for entry in entries)}
    dropped = [item for item in set_aside.read_all(db.path) if item.record in ids]
    if dropped:  # two machines changed one field apart: the value that lost, still to be found
        lines += ["", "Set aside by a merge, for a newer value:"]
        lines += [f"  {visible(one_line(item.sentence()))}" for item in dropped]
    print("\n".join(lines))
    return 0


def entry_doc(book: Book, item: Interaction) -> dict[str, Any]:
    """The entry's fields (the store's bookkeeping left out) and the names of who was there."""
    doc = item.to_doc()
    doc.pop(VERSIONS_KEY, None)
    doc["names"] = [book.people[pid].name for pid in item.people if pid in book.people]
    return doc


def history_text(book: Book, person: Person, entries: list[Interaction], today: date) -> list[str]:
    talks = sum(1 for item in entries if item.reached)
    head = f"{one_line(person.name)}: {plural(len(entries), 'entry', 'entries')}"
    if entries:
        head += f", {plural(talks, 'conversation')}"
    lines = [head + "."]
    if not entries:
        lines.append(f'Nothing logged yet; log one with `meetup-tui log "{visible(person.name)}"`.')
    for item in entries:
        lines.append("")
        lines.append(_entry_head(book, person, item, today))
        for label, value in (("note", item.note), ("learned", item.learned)):
            if value.strip():
                lines.append(f"   {label}: {one_line(value)}")
        if item.has_step and planned(item) is None:
            step = one_line(item.next_step) or "follow up"
            when = f" (by {long_day(date.fromisoformat(item.follow_up))})" if item.follow_up else ""
            state = f"done {long_day(date.fromisoformat(item.done[:10]))}" if item.done else "open"
            lines.append(f"   next step: {step}{when} — {state}")
        if item.logged_by:
            lines.append(f"   logged by {one_line(item.logged_by)}")
    return lines


def _entry_head(book: Book, person: Person, item: Interaction, today: date) -> str:
    moment = datetime.fromisoformat(item.at)
    plan = plan_words(item, today)
    noted = item.outcome == "noted"  # a step written down, no contact: its kind says nothing
    mark = plan or ("✓" if item.reached else "• noted" if noted else "✗ attempt:")
    others = [book.people[p].name for p in item.people if p != person.id and p in book.people]
    with_whom = f" with {render.join_names(others)}" if others else ""
    where = f" · {one_line(item.where)}" if item.where.strip() else ""
    when = f"{long_day(moment.date())} {moment:%H:%M} ({relative_day(moment.date(), today)})"
    what = mark if plan or noted else f"{mark} {item.kind}"
    return f"{when}  {what}{with_whom}{where}"
