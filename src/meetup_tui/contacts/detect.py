"""What a contact file is: its bytes as text, and its format read from the content.

`decode` takes UTF-8 (with or without a BOM) and UTF-16/32 with a BOM, as Outlook writes,
and nothing else: a file in another encoding is an error that says where, never a guess.
`detect_format` names the format from what the text starts with, and says what a file
that is not contacts looks like instead (JSON, a meetup-tui database, HTML, a calendar…).
"""

from __future__ import annotations

import codecs
import json
import re

from meetup_tui.contacts.card import ContactFileError
from meetup_tui.contacts.csv_formats import find_header, known_column, layout_of

# The values of `import --format`.
FORMATS = ("vcard", "csv", "google", "outlook", "linkedin")

_BOMS = (  # longest first: UTF-32-LE's BOM begins with UTF-16-LE's
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_SAVE = "save it as UTF-8 and import again"
_EXPORT = "export your contacts as vCard (.vcf) or CSV and import that"


def decode(raw: bytes, name: str) -> str:
    """The text of a contact file's bytes, without the byte-order mark.

    UTF-8 with or without a BOM, UTF-16 or UTF-32 with one.  Anything else raises
    ContactFileError naming `name` and the first byte that is not text in that encoding.
    """
    if raw.startswith(b"PK\x03\x04"):
        raise ContactFileError(
            f"{name} looks like a zip archive or an Excel workbook, not a contact file; "
            "unzip it, or save the sheet as CSV, and import again."
        )
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise ContactFileError(
            f"{name} looks like an old Excel or Word file, not a contact file; save it as CSV and import again."
        )
    encoding, start = "utf-8", 0
    for bom, bom_encoding in _BOMS:
        if raw.startswith(bom):
            encoding, start = bom_encoding, len(bom)
            break
    try:
        text = raw[start:].decode(encoding)
    except UnicodeDecodeError as exc:
        said = "UTF-8" if encoding == "utf-8" else encoding[:6].upper()
        raise ContactFileError(f"{name} is not {said} text (byte {start + exc.start}); {_SAVE}.") from None
    if "\x00" in text:  # UTF-16 without a BOM, or a binary file: never text in a contact file
        at = start + len(text[: text.index("\x00")].encode(encoding))
        raise ContactFileError(f"{name} is not UTF-8 text (byte {at} is zero); {_SAVE}.")
    return text


def looks_like_vcard(text: str) -> bool:
    """Whether the text's first line with anything on it is BEGIN:VCARD."""
    for line in text.removeprefix("\ufeff").splitlines():
        if line.strip():
            return line.strip().upper() == "BEGIN:VCARD"
    return False


def _not_contacts(text: str) -> str | None:
    """What a text that is no contact file looks like ("JSON"), or None."""
    start = text.lstrip()[:4096]
    lowered = start.lower()
    if start.startswith(("{", "[")):
        try:
            data = json.loads(text)
        except ValueError:
            data = None
        except RecursionError:  # nested deeper than any reader goes
            return "JSON nested too deep to read"
        if isinstance(data, dict) and "_meta" in data:
            return "a meetup-tui database"
        if data is not None or start.startswith("{"):
            return "JSON"
    if lowered.startswith(("<!doctype html", "<html")) or re.match(r"<(head|body|meta|div|table)\b", lowered):
        return "a web page (HTML)"
    if lowered.startswith("<"):
        return "XML"
    if lowered.startswith("begin:vcalendar"):
        return "a calendar (iCalendar)"
    if start.startswith("%PDF-"):
        return "a PDF"
    controls = sum(1 for c in start if ord(c) < 32 and c not in "\t\n\r\f\v")
    if controls > len(start) // 20:
        return "a binary file"
    return None


def _prose(header: list[str]) -> bool:
    """Whether a first row that names no known column reads as sentences, not column names."""
    cells = [cell.strip() for cell in header if cell.strip()]
    if any(known_column(cell) for cell in cells):
        return False
    return len(cells) < 2 or cells[-1].endswith((".", "!", "?")) or any(len(c.split()) > 6 for c in cells)


def detect_format(text: str, *, name: str = "This file") -> str:
    """ "vcard", "google", "outlook", "linkedin" or "csv", read from the text.

    A text that is none of them raises ContactFileError saying what it looks like instead
    (`name` says which file, for that sentence).
    """
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise ContactFileError(f"{name} is empty.")
    if looks_like_vcard(text):
        return "vcard"
    other = _not_contacts(text)
    if other == "a meetup-tui database":
        raise ContactFileError(
            f"{name} looks like a meetup-tui database, not contacts; open it with --db instead."
        )
    if other:
        raise ContactFileError(f"{name} looks like {other}, not contacts; {_EXPORT}.")
    found = find_header(text)
    if found is None or not re.search(r"[^\s,;\"']", text):  # nothing but empty cells
        raise ContactFileError(f"{name} is empty.")
    _delimiter, _at, header = found
    layout = layout_of(header)
    if layout == "csv" and _prose(header):
        raise ContactFileError(
            f"{name} looks like plain text, not contacts (a CSV file starts with a row of column names); "
            f"{_EXPORT}."
        )
    return layout
