"""The bytes of each export, the same from `meetup-tui export` and from the app's palette."""

from __future__ import annotations

from datetime import date
from typing import Any

from meetup_tui.domain.book import Book
from meetup_tui.store import jsonfile, schema

EXPORT_FORMATS = ("json", "csv", "vcard", "ics")
SUFFIXES = {".json": "json", ".csv": "csv", ".vcf": "vcard", ".vcard": "vcard", ".ics": "ics"}


def export_payload(
    layout: str, book: Book, meta: dict[str, Any], today: date, owner: str | None = None
) -> bytes:
    """json: the whole database, as the file; csv: people for a spreadsheet; vcard: 4.0 cards
    of the live people by name; ics: the calendar feed (`owner`: theirs and the unowned)."""
    if layout == "json":
        return jsonfile.encode(schema.encode(book, meta)) + b"\n"
    if layout == "csv":
        from meetup_tui.contacts.people_csv import people_csv

        return people_csv(book, today).encode("utf-8")
    if layout == "vcard":
        from meetup_tui.contacts.vcard import write_vcards

        people = sorted(book.live_people(), key=lambda p: (p.name.casefold(), p.id))
        return write_vcards(people).encode("utf-8")
    if layout == "ics":
        from meetup_tui.contacts.calendar import calendar_feed

        return calendar_feed(book, today=today, owner=owner)
    raise ValueError(f"no export format {layout!r}")
