"""One contact as a file gave it, before it meets the book."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Contact:
    """What one row or card of a contact file says about a person.

    Every text is as the file had it (stripped), never markup.  `line` is where the record
    starts in the file (1-based), for reports.  `birthday` is an ISO date ("1990-03-14") or
    "--MM-DD" when the year is unknown, like Person.birthday.
    """

    name: str = ""
    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    org: str = ""
    role: str = ""
    area: str = ""
    tags: list[str] = field(default_factory=list)
    birthday: str | None = None
    notes: str = ""
    connected_on: str | None = None  # ISO date: when the source says you connected (LinkedIn)
    line: int = 0


class ContactFileError(Exception):
    """The file cannot be read as contacts; the message is one sentence for the user."""


@dataclass
class BadRow:
    """A record of the file that was skipped, and why (one sentence)."""

    line: int
    reason: str


@dataclass
class Parsed:
    """What a contact file held: the contacts, the records skipped, and the format found."""

    format: str  # "vcard", "google", "outlook", "linkedin", "csv"
    contacts: list[Contact] = field(default_factory=list)
    bad_rows: list[BadRow] = field(default_factory=list)
