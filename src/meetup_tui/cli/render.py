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

import orjson

from meetup_tui.domain.book import Book, score_words, weekly_score
from meetup_tui.domain.dates import long_day, relative_day
from meetup_tui.domain.engagement import from_posts_this_week
from meetup_tui.domain.outreach import DEFAULT_SETTINGS, Suggestion
from meetup_tui.domain.records import VERSIONS_KEY, Person
from meetup_tui.domain.text import one_line

ARTICLES = {"event": "an event", "chance": "a chance meeting"}


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
    """`--json` output, indented by two spaces: orjson's (a tenth of the time for 5,000
    people), else json's for what orjson refuses (a lone surrogate from a file)."""
    try:
        return orjson.dumps(value, option=orjson.OPT_INDENT_2).decode("utf-8")
    except orjson.JSONEncodeError:
        return json.dumps(value, ensure_ascii=False, indent=2)


# -- today --------------------------------------------------------------------------------


def score_line(book: Book, today: date, engaged_days: int = DEFAULT_SETTINGS.engaged_days) -> str:
    """The app header's line: "This week: 3 conversations (1 from a post) vs 1 post (12 likes)".

    Conversations are this week's (Monday to today) logged calls and meetings that reached
    someone, one per log entry; attempts do not count.  "From a post": the people among
    them who engaged with a post in the `engaged_days` before.  Posts and likes are this
    week's posts.
    """
    week = weekly_score(book, today, weeks=1)[-1]
    return "".join(score_words(week, from_posts=from_posts_this_week(book, today, engaged_days)))


def reasons_line(item: Suggestion, today: date) -> str:
    """The reasons, and when they were last talked to if no reason says so."""
    reasons = list(item.reasons)
    if not any(r.startswith(("last talked", "never talked")) or "not yet contacted" in r for r in reasons):
        reasons.append(last_talked(item.last_contact, today))
    return " · ".join(one_line(r) for r in reasons)


def today_text(
    book: Book, today: date, shown: list[Suggestion], total: int, scope: str = "", *, engaged_days: int
) -> list[str]:
    """The list in words; `scope` says whose list it is ("mine + unowned; 3 more due for
    the rest of the team: --all") when the book has owners."""
    lines: list[str] = []
    if not shown:
        if book.live_people():
            lines.append(
                f"{long_day(today)} — nobody is due today" + (f" ({scope})" if scope else "") + ". "
                "Everyone is within their cadence: a fine day to deepen a conversation you already have."
            )
        else:
            lines.append(
                f"{long_day(today)} — no one is in the book yet; "
                "add someone with `meetup-tui add NAME` or try `meetup-tui demo`."
            )
    else:
        people = "person" if total == 1 else "people"
        lines.append(
            f"{long_day(today)} — {len(shown)} of {total} {people} to contact"
            + (f" ({scope})" if scope else "")
        )
        for number, item in enumerate(shown, start=1):
            head = f"{number}. {item.symbol} {one_line(item.action)}  {one_line(item.person.name)}"
            if item.person.phone:
                head += f"  {one_line(item.person.phone)}"
            lines.append(head)
            lines.append("   " + reasons_line(item, today))
            if item.talking_point:
                lines.append(f"   talk about: {one_line(item.talking_point)}")
        if total > len(shown):
            lines.append(f"{total - len(shown)} more: meetup-tui today --limit 0")
    lines.append(score_line(book, today, engaged_days))
    return lines


def suggestion_doc(item: Suggestion, book: Book) -> dict[str, Any]:
    """One person of today's list for scripts, with who last talked to them."""
    person = item.person
    talk = book.last_talk(person.id)
    return {
        "id": person.id,
        "name": person.name,
        "phone": person.phone,
        "action": item.action,
        "score": item.score,
        "reasons": list(item.reasons),
        "last_contact": item.last_contact.isoformat() if item.last_contact else None,
        "last_contact_by": talk.logged_by if talk is not None else None,
        "owner": person.owner,
        "next_step": item.next_step,
        "due": item.due.isoformat() if item.due else None,
        "influence": person.influence,
        "stage": person.stage,
        "talking_point": item.talking_point,
    }


def log_command(item: Suggestion, global_options: Sequence[str] = ()) -> str:
    """The command that logs contacting `item` now, every word quoted for a POSIX shell.

    It repeats --db, --user and --today as given, so it logs into the same file on the same
    day.  A message is logged as one; everything else starts with a call (a coffee or a
    visit is arranged by phone), as the app's instead screen logs it.
    """
    words = ["meetup-tui", *global_options, "log", item.person.name]
    if item.action == "message":
        words += ["--kind", "message"]
    return " ".join(shlex.quote(one_line(word)) for word in words) + " --note '...'"


def instead_text(item: Suggestion | None, today: date, global_options: Sequence[str] = ()) -> list[str]:
    """The person to contact instead of posting: their number, why, what to talk about, and
    the command that logs it."""
    if item is None:
        return ["Nobody is due right now: a fine moment to deepen a conversation you already have."]
    person = item.person
    lines = [f"Instead of posting, {item.symbol} {one_line(item.action)}: {one_line(person.name)}"]
    if person.phone:
        lines.append(f"  phone: {one_line(person.phone)}")
    else:
        lines.append("  no phone number in the book")
    lines.append(f"  why: {reasons_line(item, today)}")
    if item.talking_point:
        lines.append(f"  talk about: {one_line(item.talking_point)}")
    lines.append(f"Log it: {log_command(item, global_options)}")
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
    doc.pop(VERSIONS_KEY, None)  # the store's bookkeeping, not the person's
    contacted = last.get(person.id)
    doc["last_contact"] = contacted.isoformat() if contacted else None
    doc["segments"] = [s.name for s in book.segments_of(person)]
    return doc
