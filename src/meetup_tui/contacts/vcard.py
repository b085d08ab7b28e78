"""vCard files in and out: the 2.1, 3.0 and 4.0 cards phones export, and 4.0 for export.

Reading: vobject does the vCard syntax — unfolding, quoted-printable soft line breaks and
CHARSET decoding, parameters, `item1.` groups (`getLogicalLines`, `textLineToContentLine`),
and backslash escapes (`stringToTextValues`).  What this module does itself is only:

- cut the file into cards on BEGIN:VCARD / END:VCARD lines, so one broken card becomes a
  BadRow with its line number and the cards after it are still read;
- blank out binary properties (PHOTO, LOGO, SOUND, KEY, anything base64) before vobject sees
  them: their value is never kept, and vobject's unfolding is quadratic in a value's length
  (a 3 MB photo took 7 s);
- read values from vobject's content lines rather than from `readComponents`' vCard behaviour,
  whose text decoding keeps only what comes before the first unescaped comma (`FN:Doe, John`
  in a 2.1 card became "Doe", a 2.1 NOTE lost everything after its first comma) and which
  base64-decodes photos, refusing the whole card when a photo's padding is wrong.

Writing builds vobject components (vCard 4.0, CRLF) that read back to the same Contact.
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from urllib.parse import unquote

import vobject
from vobject.base import ContentLine, VObjectError, getLogicalLines, textLineToContentLine
from vobject.icalendar import stringToTextValues
from vobject.vcard import Address, Name

from meetup_tui.contacts.card import BadRow, Contact, ContactFileError, Parsed
from meetup_tui.domain.records import Person

_BEGIN = "BEGIN:VCARD"
_END = "END:VCARD"
# 2.1 nests a card as the value of AGENT: "AGENT:" then BEGIN:VCARD ... END:VCARD.
_AGENT = re.compile(r"(?i)^(?:[\w-]+\.)?AGENT(?:;[^:]*)?:\s*$")
# A property whose value is binary: never kept, so never handed to vobject.
_BINARY = re.compile(
    r"(?i)^(?:[\w-]+\.)?(?:PHOTO|LOGO|SOUND|KEY)[;:]"  # by name (4.0 puts data: URIs in them)
    r"|^[^:]*;(?:ENCODING=)?B(?:ASE64)?[;:]"  # ENCODING=b (3.0), ENCODING=BASE64 or BASE64 (2.1)
)
# 2.1 base64 lines may come unindented until a blank line; a property line always has a colon.
_BASE64_LINE = re.compile(r"^[A-Za-z0-9+/=]+$")
_FULL_DATE = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})(?:T.*)?$")
_NO_YEAR = re.compile(r"^--(\d{2})-?(\d{2})$")
# Google's vCard export puts every contact in its built-in "My Contacts" group.
_NOT_TAGS = {"mycontacts"}


@dataclass
class _Card:
    """One card's physical lines (binary values blanked, so numbering stays the file's)."""

    line: int  # where BEGIN:VCARD is, 1-based
    lines: list[str]
    closed: bool = False
    cut_by_next: bool = False  # left open by the next BEGIN:VCARD rather than by the file's end


# ---------------------------------------------------------------------------- reading


def parse_vcards(text: str) -> Parsed:
    """Every card of a vCard file (2.1, 3.0 or 4.0) as a Contact; broken cards as BadRows.

    Raises ContactFileError when the text has no BEGIN:VCARD line at all.
    """
    text = text.removeprefix("\ufeff")
    lines = _physical_lines(text)
    if not any(line.strip().upper() == _BEGIN for line in lines):
        raise ContactFileError(
            f"This file is not a vCard file: it has no BEGIN:VCARD line{_looks_like(text)}."
        )
    parsed = Parsed(format="vcard")
    for card in _cards(lines):
        if not card.closed:
            before = (
                "the next BEGIN:VCARD" if card.cut_by_next else "the end of the file (it may be cut short)"
            )
            parsed.bad_rows.append(
                BadRow(card.line, f"The card that starts here has no END:VCARD before {before}.")
            )
            continue
        read = _read_card(card)
        if isinstance(read, Contact):
            parsed.contacts.append(read)
        else:
            parsed.bad_rows.append(read)
    return parsed


def _physical_lines(text: str) -> list[str]:
    """The file's lines without their ends (LF, CRLF, or CR alone from old Macs).

    Only these break lines: a name may hold U+2028 or U+0085, which str.splitlines would cut.
    """
    if "\n" not in text and "\r" in text:
        return text.split("\r")
    return [line.removesuffix("\r") for line in text.split("\n")]


def _cards(lines: list[str]) -> Iterator[_Card]:
    """The cards of the file in order, a card left open by the next BEGIN:VCARD or the end."""
    card: _Card | None = None
    nested = 0  # depth inside a 2.1 AGENT's card
    in_binary = False
    previous = ""
    for number, raw in enumerate(lines, start=1):
        marker = raw.strip().upper()
        if card is None:
            if marker == _BEGIN:
                card, previous, in_binary = _Card(number, [_BEGIN]), _BEGIN, False
            continue
        if nested:
            nested += (marker == _BEGIN) - (marker == _END)
            card.lines.append("")
            continue
        if in_binary:
            if raw[:1] in (" ", "\t") or not raw.strip() or _BASE64_LINE.match(raw.strip()):
                card.lines.append("")
                continue
            in_binary = False
        if marker == _BEGIN:
            if _AGENT.match(previous.strip()):
                nested = 1
                card.lines.append("")
                continue
            card.cut_by_next = True
            yield card
            card, previous = _Card(number, [_BEGIN]), _BEGIN
            continue
        if marker == _END:
            card.lines.append(_END)  # as written: "  end:vcard " is the same marker
            card.closed = True
            yield card
            card = None
            continue
        # A line ending in "=" may be a quoted-printable soft break: what follows is its value.
        if raw[:1] not in (" ", "\t") and not previous.endswith("=") and _BINARY.match(raw):
            in_binary = True
            card.lines.append("")
            continue
        card.lines.append(raw)
        if raw.strip():
            previous = raw
    if card is not None:
        yield card


def _read_card(card: _Card) -> Contact | BadRow:
    """The contact one card holds, or why it cannot be read."""
    props: list[ContentLine] = []
    stream = io.StringIO("\n".join(card.lines))
    for logical, n in getLogicalLines(stream, allowQP=True):
        at = card.line + max(n, 1) - 1
        try:
            prop = textLineToContentLine(logical, n)
            _decode_quoted_printable(prop)
        except UnicodeDecodeError as exc:
            named = "" if "CHARSET" in logical.split(":", 1)[0].upper() else " (the line names no CHARSET)"
            return BadRow(
                card.line,
                f"Line {at} is quoted-printable text that is not valid {exc.encoding.upper()}{named}.",
            )
        except LookupError:
            return BadRow(
                card.line, f"Line {at} names a character set that is not known: {_excerpt(logical)}."
            )
        except (VObjectError, ValueError):
            return BadRow(card.line, f"Line {at} cannot be read as a vCard property: {_excerpt(logical)}.")
        if prop.name not in ("BEGIN", "END", "VERSION"):
            props.append(prop)
    contact = _contact(props, card.line)
    if not contact.name:
        return BadRow(card.line, "The card has no name: its FN, N and ORG are all empty or missing.")
    return contact


def _decode_quoted_printable(prop: ContentLine) -> None:
    """Decode what vobject left quoted-printable: it only knows ENCODING=QUOTED-PRINTABLE in capitals.

    vobject decodes `ENCODING=QUOTED-PRINTABLE` and the 2.1 bare `QUOTED-PRINTABLE` itself, per
    the CHARSET parameter, while it builds the content line; `encoding=quoted-printable`
    (lower case) stays encoded and is decoded here the same way.
    """
    encodings = prop.params.get("ENCODING", [])
    if not any(e.upper() == "QUOTED-PRINTABLE" for e in encodings):
        return
    charset = (prop.params.get("CHARSET") or ["utf-8"])[0]
    prop.value = codecs.decode(prop.value.encode("utf-8"), "quoted-printable").decode(charset)
    prop.params["ENCODING"] = [e for e in encodings if e.upper() != "QUOTED-PRINTABLE"]


def _contact(props: list[ContentLine], line: int) -> Contact:
    contact = Contact(line=line)
    fn = structured = org_name = ""
    notes: list[str] = []
    for prop in props:
        name, raw = prop.name, prop.value
        if name == "FN" and not fn:
            fn = _text(raw).strip()
        elif name == "N" and not structured:
            structured = _name_from_n(raw)
        elif name == "TEL":
            _add(contact.phones, _phone(raw, prop.params))
        elif name == "EMAIL":
            _add(contact.emails, _email(raw))
        elif name == "ORG" and not contact.org:
            contact.org = org_name = (_components(raw) or [""])[0].strip()
        elif name == "TITLE" and not contact.role:
            contact.role = _text(raw).strip()
        elif name == "CATEGORIES":
            for tag in _text_list(raw):
                if tag.strip() and tag.strip().casefold() not in _NOT_TAGS:
                    _add(contact.tags, tag.strip())
        elif name == "BDAY" and contact.birthday is None:
            contact.birthday = _birthday(_text(raw), prop.params)
        elif name == "NOTE":
            note = _text(raw).replace("\r\n", "\n").strip()
            if note:
                notes.append(note)
        elif name == "ADR" and not contact.area:
            parts = _components(raw)
            contact.area = parts[3].strip() if len(parts) > 3 else ""
    contact.name = fn or structured or org_name
    contact.notes = "\n".join(notes)
    return contact


def _text(raw: str) -> str:
    """A text value with its backslash escapes undone and its commas kept."""
    text: str = stringToTextValues(raw, listSeparator=None)[0]
    return _without_eof(raw, text)


def _text_list(raw: str) -> list[str]:
    """A comma-separated list (CATEGORIES), "\\," kept inside an item."""
    return [_without_eof(raw, item) for item in stringToTextValues(raw)]


def _components(raw: str) -> list[str]:
    """The ;-separated components of N, ADR or ORG, each as text (unescaped commas kept)."""
    return [_text(part) for part in stringToTextValues(raw, listSeparator=";", charList=";")]


def _without_eof(raw: str, text: str) -> str:
    # vobject's unescaping appends the word "eof" after a lone backslash at the very end.
    if raw.endswith("\\") and text.endswith("\\eof"):
        return text[:-3]
    return text


def _name_from_n(raw: str) -> str:
    parts = [p.strip() for p in _components(raw)] + [""] * 5
    family, given, additional, prefix, suffix = parts[:5]
    return " ".join(p for p in (prefix, given, additional, family, suffix) if p)


def _phone(raw: str, params: dict[str, list[str]]) -> str:
    """The number as written; a tel: URI (4.0) becomes its number, with " ext. N" if it has one."""
    value = _text(raw).strip()
    as_text = any(v.lower() == "text" for v in params.get("VALUE", []))  # what write_vcards says
    if value[:4].lower() == "tel:" and not as_text:
        number, *params = value[4:].split(";")
        ext = next((p[4:] for p in params if p[:4].lower() == "ext="), "")
        value = unquote(number) + (f" ext. {unquote(ext)}" if ext else "")
    return value.strip()


def _email(raw: str) -> str:
    value = _text(raw).strip()
    return value[7:].strip() if value[:7].lower() == "mailto:" else value


def _birthday(value: str, params: dict[str, list[str]]) -> str | None:
    """ISO "1990-03-14", or "--03-14" when the card gives no year; None when it is no date.

    Takes 1990-03-14, 19900314 (2.1), 1990-03-14T00:00:00Z, --0314 and --03-14 (4.0), and
    Apple's year-less form, 1604-03-14 with X-APPLE-OMIT-YEAR=1604.
    """
    value = value.strip()
    year: str | None
    if found := _NO_YEAR.match(value):
        year, (month, day) = None, found.groups()
    elif found := _FULL_DATE.match(value):
        year, month, day = found.groups()
        if year in params.get("X-APPLE-OMIT-YEAR", []):
            year = None
    else:
        return None
    try:
        date(int(year) if year else 2000, int(month), int(day))  # 2000: Feb 29 is a birthday
    except ValueError:
        return None
    return f"{year}-{month}-{day}" if year else f"--{month}-{day}"


def _add(items: list[str], value: str) -> None:
    if value and value not in items:
        items.append(value)


def _excerpt(line: str) -> str:
    """The start of a line, quoted with escapes shown, so a report never carries control codes."""
    return repr(line if len(line) <= 40 else line[:40] + "…")


def _looks_like(text: str) -> str:
    """What the text seems to be instead, as the end of a sentence (", and it looks like CSV"), or ""."""
    start = text.lstrip()
    first = start.split("\n", 1)[0]
    lowered = start[:64].lower()
    if not start:
        return ", and it is empty"
    if lowered.startswith("begin:vcalendar"):
        return ", and it looks like a calendar (iCalendar)"
    if start[0] in "{[":
        return ", and it looks like JSON"
    if start[0] == "<":
        return ", and it looks like HTML or XML"
    if any(ord(c) < 32 and c not in "\t\r\n" for c in start[:1024]):
        return ", and it looks like a binary file"
    if any(sep in first for sep in ",;\t"):
        return ", and it looks like CSV (a spreadsheet export)"
    return ""


# ---------------------------------------------------------------------------- writing


def write_vcards(people: list[Person]) -> str:
    """The people as vCard 4.0 (CRLF line ends), one card each, deleted ones left out.

    Every field a Contact holds reads back unchanged through parse_vcards.
    """
    return "".join(_card(person).serialize() for person in people if not person.deleted)


def _card(person: Person) -> vobject.base.Component:
    card = vobject.vCard()
    card.add("version").value = "4.0"
    card.add("uid").value = f"urn:uuid:{person.id}"
    card.add("fn").value = person.name
    words = person.name.split()
    card.add("n").value = Name(family=words[-1] if words else "", given=" ".join(words[:-1]))
    for number in person.phones:
        tel = card.add("tel")
        tel.value = number
        tel.params["VALUE"] = ["text"]  # as typed, spaces and all: not a tel: URI
    for address in person.emails:
        card.add("email").value = address
    if person.org:
        card.add("org").value = [person.org]
    if person.role:
        card.add("title").value = person.role
    if person.area:
        card.add("adr").value = Address(city=person.area)
    if person.tags:
        card.add("categories").value = list(person.tags)
    if person.birthday:
        year_less = person.birthday.startswith("--")  # "--03-14" is written the 4.0 way, --0314
        card.add("bday").value = "--" + person.birthday[2:].replace("-", "") if year_less else person.birthday
    if person.notes:
        card.add("note").value = person.notes
    return card
