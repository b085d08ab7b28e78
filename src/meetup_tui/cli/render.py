"""What the headless commands print: plain text for people, JSON for scripts.

Text that came from the file goes through `one_line` / `visible`, so a name holding
terminal escapes or Rich markup prints literally.  JSON is written with
`ensure_ascii=False`; `json` escapes control characters itself.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Sequence
from datetime import date
from typing import Any

from meetup_tui.domain.book import Book, weekly_score
from meetup_tui.domain.dates import long_day, relative_day
from meetup_tui.domain.outreach import Suggestion
from meetup_tui.domain.records import KINDS, Person
from meetup_tui.domain.text import one_line

ARTICLES = {"event": "an event", "chance": "a chance meeting"}


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else many or word + 's'}"


def join_names(names: Sequence[str]) -> str:
    """ "Ana", "Ana and Bo", "Ana, Bo and Cy"."""
    shown = [one_line(n) for n in names]
    if len(shown) <= 1:
        return "".join(shown)
    return f"{', '.join(shown[:-1])} and {shown[-1]}"


def with_kind(kind: str) -> str:
    """ "a call", "an event", "a chance meeting"."""
    return ARTICLES.get(kind, f"a {kind}")


def last_talked(day: date | None, today: date) -> str:
    return "never talked yet" if day is None else f"last talked {relative_day(day, today)}"


def dump_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


# -- today --------------------------------------------------------------------------------


def score_line(book: Book, today: date) -> str:
    """ "This week: 3 conversations · 1 post, 12 likes"."""
    talks, posts, likes = weekly_score(book, today, weeks=1)[-1]
    return f"This week: {plural(talks, 'conversation')} · {plural(posts, 'post')}, {plural(likes, 'like')}"


def today_text(book: Book, today: date, shown: list[Suggestion], total: int) -> list[str]:
    lines: list[str] = []
    if not shown:
        if book.live_people():
            lines.append(
                f"{long_day(today)} — nobody is due today. "
                "Everyone is within their cadence: a fine day to deepen a conversation you already have."
            )
        else:
            lines.append(
                f"{long_day(today)} — no one is in the book yet; "
                "add someone with `meetup-tui add NAME` or try `meetup-tui demo`."
            )
    else:
        people = "person" if total == 1 else "people"
        lines.append(f"{long_day(today)} — {len(shown)} of {total} {people} to contact")
        for number, item in enumerate(shown, start=1):
            head = f"{number}. {item.symbol} {item.action}  {one_line(item.person.name)}"
            if item.person.phone:
                head += f"  {one_line(item.person.phone)}"
            lines.append(head)
            reasons = list(item.reasons)
            if not any(r.startswith(("last talked", "never talked")) for r in reasons):
                reasons.append(last_talked(item.last_contact, today))
            lines.append("   " + one_line(" · ".join(reasons)))
        if total > len(shown):
            lines.append(f"{total - len(shown)} more: meetup-tui today --limit {total}")
    lines.append(score_line(book, today))
    return lines


def suggestion_doc(item: Suggestion) -> dict[str, Any]:
    person = item.person
    return {
        "id": person.id,
        "name": person.name,
        "phone": person.phone,
        "action": item.action,
        "score": item.score,
        "reasons": list(item.reasons),
        "last_contact": item.last_contact.isoformat() if item.last_contact else None,
        "next_step": item.next_step,
        "due": item.due.isoformat() if item.due else None,
        "influence": person.influence,
        "stage": person.stage,
        "talking_point": item.talking_point,
    }


def instead_text(item: Suggestion | None, db_option: str | None) -> list[str]:
    """The person to call instead of posting, their number, why, and how to log it."""
    if item is None:
        return ["Nobody is due right now: a fine moment to deepen a conversation you already have."]
    person = item.person
    lines = [f"Instead of posting, {item.action}: {one_line(person.name)}"]
    if person.phone:
        lines.append(f"  {item.symbol} {one_line(person.phone)}")
    lines.append("  why: " + " · ".join(one_line(r) for r in item.reasons))
    if item.talking_point:
        lines.append(f"  talk about: {one_line(item.talking_point)}")
    db = f" --db {shlex.quote(db_option)}" if db_option else ""
    kind = {"invite in": "visit"}.get(item.action, item.action)
    kind_option = f" --kind {kind}" if kind in KINDS and kind != "call" else ""
    name = shlex.quote(one_line(person.name))
    lines.append(f"Log it: meetup-tui{db} log {name}{kind_option} --note '...'")
    return lines


# -- people -------------------------------------------------------------------------------


def people_rows(people: list[Person], last: dict[str, date], today: date) -> list[str]:
    """One aligned line per person: name, phone, org, stage, influence, last talked."""
    table = [
        [
            one_line(p.name),
            one_line(p.phone) or "-",
            one_line(p.org) or "-",
            one_line(p.stage),
            f"influence {p.influence}",
            last_talked(last.get(p.id), today),
        ]
        for p in people
    ]
    if not table:
        return []
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]) - 1)]
    return [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False)) + "  " + row[-1]
        for row in table
    ]


def person_doc(person: Person, book: Book, last: dict[str, date]) -> dict[str, Any]:
    doc = person.to_doc()
    contacted = last.get(person.id)
    doc["last_contact"] = contacted.isoformat() if contacted else None
    doc["segments"] = [s.name for s in book.segments_of(person)]
    return doc
