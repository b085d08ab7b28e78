"""The people of the book as CSV, one row each, for a spreadsheet."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

from meetup_tui.domain.book import Book, member_test
from meetup_tui.domain.cadence import describe_cadence
from meetup_tui.domain.dates import describe_birthday
from meetup_tui.domain.records import Person

COLUMNS = (
    "name", "phone", "email", "org", "role", "area", "segments", "tags", "influence",
    "stage", "cadence", "channel", "owner", "birthday", "last_contact", "snoozed_until",
    "introduced_by", "notes", "challenges", "wants", "needs", "id",
)  # fmt: skip
JOIN = "; "  # between the values of a list (phones, emails, segments, tags)

# What a spreadsheet reads as the start of a formula (a tab too, as OWASP advises; a CR
# never starts a cell here, line ends become "\n").
_FORMULA_START = ("=", "+", "-", "@", "\t")
# C0 controls but tab and newline, DEL and the C1 controls: terminal escapes, never data.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def people_csv(book: Book, today: date) -> str:
    """Every live person as CSV text: a header row of `COLUMNS`, then one row per person,
    sorted by name (then id); the csv module's quoting and CRLF line ends.

    - Lists (phones, emails, segments, tags) are joined with "; ".
    - `cadence` is the person's own cadence in words ("every 2 weeks"), empty when they
      follow their segment's or the default; `birthday` is "1990-03-14", or "14 March"
      when the year is not known; `last_contact` is the day of the last real conversation
      (attempts do not count); `introduced_by` is the introducer's name (empty when the
      introducer was deleted).
    - Formula injection: a cell that starts with `=`, `+`, `-` or `@` (or a tab)
      would be run as a formula by a spreadsheet, so it gets a single quote `'` in front:
      "=HYPERLINK(...)" is written "'=HYPERLINK(...)", and "+1 555 0100" "'+1 555 0100".
    - Control characters (terminal escapes) are dropped; newlines in notes are kept
      (quoted, as CSV allows).  Deleted people are left out.

    `today` is accepted for the shape of the export functions; nothing here depends on it.
    """
    del today  # every column is a fact of the book, not of the day
    segments = [(member_test(s), s.name) for s in book.live_segments()]
    last = book.last_contacts()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for person in sorted(book.live_people(), key=lambda p: (p.name.casefold(), p.name, p.id)):
        introducer = book.people.get(person.introduced_by or "")
        contacted = last.get(person.id)
        row = {
            "name": person.name,
            "phone": JOIN.join(person.phones),
            "email": JOIN.join(person.emails),
            "org": person.org,
            "role": person.role,
            "area": person.area,
            "segments": JOIN.join(name for member, name in segments if member(person)),
            "tags": JOIN.join(person.tags),
            "influence": str(person.influence),
            "stage": person.stage,
            "cadence": _cadence(person),
            "channel": person.channel,
            "owner": person.owner,
            "birthday": _birthday(person.birthday),
            "last_contact": contacted.isoformat() if contacted else "",
            "snoozed_until": person.snoozed_until or "",
            "introduced_by": introducer.name if introducer and not introducer.deleted else "",
            "notes": person.notes,
            "challenges": person.challenges,
            "wants": person.wants,
            "needs": person.needs,
            "id": person.id,
        }
        writer.writerow([safe_cell(row[column]) for column in COLUMNS])
    return out.getvalue()


def safe_cell(value: object) -> str:
    """A cell as text a spreadsheet shows and never runs: control characters dropped, line
    ends made "\\n", and a leading `'` on anything that starts like a formula."""
    text = _CONTROL.sub("", str(value).replace("\r\n", "\n").replace("\r", "\n"))
    return "'" + text if text.startswith(_FORMULA_START) else text


def _cadence(person: Person) -> str:
    if not person.cadence:
        return ""
    try:
        return describe_cadence(person.cadence)
    except ValueError:  # a rule from a hand-edited file this version cannot read: as it is
        return person.cadence


def _birthday(value: str | None) -> str:
    if not value:
        return ""
    return describe_birthday(value) if value.startswith("--") else value
