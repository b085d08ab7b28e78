"""Contacts from CSV: the layouts Google, Outlook and LinkedIn export, and any other CSV whose
header names its columns in words (or that `--map column=field` explains).

Every layout comes down to one thing: each column of the header is given a field (or none),
then every record of the file is read the same way.  A layout differs only in which column
means what, how one cell holds several values (Google's " ::: ", Outlook's "a;b") and how a
date is written.  Line numbers are the file's physical lines where a record starts, so a
note over three lines does not shift the rows after it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from meetup_tui.contacts.card import BadRow, Contact, ContactFileError, Parsed

LAYOUTS = ("google", "outlook", "linkedin", "csv")

# The fields `--map column=field` may name, in the order an error lists them.
MAP_FIELDS = (
    "name",
    "first_name",
    "last_name",
    "phone",
    "email",
    "org",
    "role",
    "area",
    "tags",
    "birthday",
    "notes",
    "skip",
)
# Name parts, in the order they make a full name, and what stands for a name without one.
_NAME_PARTS = ("first_name", "middle_name", "last_name", "suffix")
_NAMING = {"name", "first_name", "middle_name", "last_name", "nickname"}

_DELIMITERS = (",", ";", "\t")  # Excel and Outlook write ";" where the decimal mark is ","
_PREAMBLE_RECORDS = 30  # how far down LinkedIn's header may be looked for


def key(text: str) -> str:
    """A column name as compared: case, spaces and punctuation do not count ("E-mail 1 - Value"
    is "email1value")."""
    return re.sub(r"[\W_]+", "", text.casefold())


# --- which column means what -------------------------------------------------------------

# Any other CSV: header words people use.  Key -> field.
_GENERIC = {
    **dict.fromkeys(("name", "fullname", "displayname", "contactname", "contact"), "name"),
    **dict.fromkeys(("firstname", "givenname", "forename", "first"), "first_name"),
    **dict.fromkeys(("middlename", "additionalname"), "middle_name"),
    **dict.fromkeys(("lastname", "surname", "familyname", "last"), "last_name"),
    "nickname": "nickname",
    **dict.fromkeys(
        (
            "phone",
            "phones",
            "mobile",
            "telephone",
            "tel",
            "phonenumber",
            "mobilephone",
            "mobilenumber",
            "cell",
            "cellphone",
            "telephonenumber",
            "homephone",
            "workphone",
            "businessphone",
        ),
        "phone",
    ),
    **dict.fromkeys(("email", "emails", "emailaddress", "mail", "workemail", "homeemail"), "email"),
    **dict.fromkeys(
        ("company", "organisation", "organization", "org", "employer", "companyname", "business"), "org"
    ),
    **dict.fromkeys(("title", "jobtitle", "role", "position", "occupation"), "role"),
    **dict.fromkeys(("city", "area", "neighbourhood", "neighborhood", "town", "suburb", "location"), "area"),
    **dict.fromkeys(("tags", "tag", "labels", "label", "categories", "category", "groups"), "tags"),
    **dict.fromkeys(("birthday", "birthdate", "dateofbirth", "dob"), "birthday"),
    **dict.fromkeys(("notes", "note", "comments", "comment"), "notes"),
}

_GOOGLE = {
    # current layout
    "firstname": "first_name",
    "middlename": "middle_name",
    "lastname": "last_name",
    "namesuffix": "suffix",
    "nickname": "nickname",
    "fileas": "nickname",
    "organizationname": "org",
    "organizationtitle": "role",
    "birthday": "birthday",
    "notes": "notes",
    "labels": "tags",
    # older layout
    "name": "name",
    "givenname": "first_name",
    "additionalname": "middle_name",
    "familyname": "last_name",
    "groupmembership": "tags",
}
_GOOGLE_NUMBERED = (  # "E-mail 2 - Value", "Organization 1 - Title", "Address 1 - City"
    (re.compile(r"email\d+value"), "email"),
    (re.compile(r"phone\d+value"), "phone"),
    (re.compile(r"organization\d+name"), "org"),
    (re.compile(r"organization\d+title"), "role"),
    (re.compile(r"address\d+city"), "area"),
)
_GOOGLE_MARKS = {"groupmembership", "phoneticfirstname", "fileas", "givennameyomi", "familynameyomi"}
_GOOGLE_MARK = re.compile(
    r"(email|phone|address|website|organization|relation|event|customfield)\d+(label|type|value)"
)

# Outlook: (field, rank) — a lower rank comes first among a field's columns (the mobile
# before the home phone, the business city before the home city).
_OUTLOOK = {
    "firstname": ("first_name", 0),
    "middlename": ("middle_name", 0),
    "lastname": ("last_name", 0),
    "suffix": ("suffix", 0),
    "nickname": ("nickname", 0),
    "emailaddress": ("email", 0),
    "email2address": ("email", 0),
    "email3address": ("email", 0),
    "primaryphone": ("phone", 0),
    "mobilephone": ("phone", 1),
    "businessphone": ("phone", 2),
    "businessphone2": ("phone", 2),
    "homephone": ("phone", 3),
    "homephone2": ("phone", 3),
    "otherphone": ("phone", 4),
    "carphone": ("phone", 4),
    "company": ("org", 0),
    "jobtitle": ("role", 0),
    "businesscity": ("area", 0),
    "homecity": ("area", 1),
    "othercity": ("area", 2),
    "categories": ("tags", 0),
    "birthday": ("birthday", 0),
    "notes": ("notes", 0),
}
_OUTLOOK_MARKS = {
    "emailaddress",
    "email2address",
    "email3address",
    "businessphone",
    "businessphone2",
    "homephone2",
    "businessfax",
    "homefax",
    "businessstreet",
    "businesscity",
    "homestreet",
    "homecity",
    "givenyomi",
    "surnameyomi",
    "otherphone",
    "primaryphone",
    "carphone",
    "companymainphone",
}

_LINKEDIN = {
    "firstname": "first_name",
    "lastname": "last_name",
    "url": "url",
    "emailaddress": "email",
    "company": "org",
    "position": "role",
    "connectedon": "connected_on",
}
_LINKEDIN_HEADER = {"firstname", "lastname", "connectedon"}


def layout_of(header: list[str]) -> str:
    """Which layout a header row is: "linkedin", "google", "outlook" or "csv"."""
    keys = {key(cell) for cell in header}
    if _LINKEDIN_HEADER <= keys:
        return "linkedin"
    if keys & _GOOGLE_MARKS or any(_GOOGLE_MARK.fullmatch(k) for k in keys):
        return "google"
    if len(keys & _OUTLOOK_MARKS) >= 2:
        return "outlook"
    return "csv"


def known_column(cell: str) -> bool:
    """Whether a header cell is a column name any CSV is recognised by."""
    return key(cell) in _GENERIC


@dataclass(frozen=True)
class _Column:
    index: int
    field: str
    rank: int  # among the columns of one field, the lower first; a --map column before all


def _layout_field(layout: str, column_key: str) -> tuple[str, int] | None:
    if layout == "google":
        if column_key in _GOOGLE:
            return _GOOGLE[column_key], 0
        for pattern, field in _GOOGLE_NUMBERED:
            if pattern.fullmatch(column_key):
                return field, 0
        return None
    if layout == "outlook":
        return _OUTLOOK.get(column_key)
    if layout == "linkedin":
        field = _LINKEDIN.get(column_key)
        return (field, 0) if field else None
    field = _GENERIC.get(column_key)
    return (field, 0) if field else None


def _columns(layout: str, header: list[str], mapping: dict[str, str] | None) -> list[_Column]:
    fields: dict[int, tuple[str, int]] = {}
    for index, cell in enumerate(header):
        found = _layout_field(layout, key(cell))
        if found:
            fields[index] = found
    for column, wanted in (mapping or {}).items():
        field = key(wanted)
        field = next((f for f in MAP_FIELDS if key(f) == field), None)
        if field is None:
            raise ContactFileError(
                f"--map {column}={wanted}: there is no field {wanted.strip()!r}; "
                f"the fields are {', '.join(MAP_FIELDS)}."
            )
        matches = [i for i, cell in enumerate(header) if key(cell) == key(column)]
        if not matches:
            raise ContactFileError(
                f"--map names the column {column.strip()!r}, which is not in the header "
                f"({', '.join(cell.strip() for cell in header)})."
            )
        for index in matches:
            fields[index] = (field, -1)
    columns = [_Column(i, f, r) for i, (f, r) in fields.items() if f != "skip"]
    if not any(c.field in _NAMING for c in columns):
        found = ", ".join(repr(cell.strip()) for cell in header if cell.strip()) or "none"
        raise ContactFileError(
            f'No column gives a name (the columns are: {found}); say which one does with --map "Column=name".'
        )
    return sorted(columns, key=lambda c: (c.rank, c.index))


# --- reading the records -----------------------------------------------------------------


def _records(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(the physical line where the record starts, its cells) for each record."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    ended = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ContactFileError(f"Line {ended + 1} cannot be read as CSV ({exc}).") from None
        yield ended + 1, row
        ended = reader.line_num


def _blank(row: list[str]) -> bool:
    return not any(cell.strip() for cell in row)


def _header_in(text: str, delimiter: str) -> tuple[int, list[str]] | None:
    """The header record (its index among the records, its cells) for one delimiter: LinkedIn's
    after its "Notes:" preamble, any other the first record that is not blank."""
    first = None
    for index, (_line, row) in enumerate(_records(text, delimiter)):
        if index >= _PREAMBLE_RECORDS:
            break
        if _blank(row):
            continue
        if first is None:
            first = (index, row)
        if _LINKEDIN_HEADER <= {key(cell) for cell in row}:
            return index, row
    return first


def find_header(text: str) -> tuple[str, int, list[str]] | None:
    """(delimiter, index of the header record, header cells), or None if no record has text.

    The delimiter is the one of "," ";" tab that splits the header into the most columns
    (a comma when they tie)."""
    best = None
    for delimiter in _DELIMITERS:
        found = _header_in(text, delimiter)
        if found and (best is None or len(found[1]) > len(best[2])):
            best = (delimiter, *found)
    return best


# --- values ------------------------------------------------------------------------------

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}


def _day(year: int | None, month: int, day: int) -> str | None:
    """ "1990-03-14", or "--03-14" without a year; None if there is no such day."""
    try:
        date(2000 if year is None else year, month, day)  # 2000: 29 February is a birthday
    except ValueError:
        return None
    return f"--{month:02d}-{day:02d}" if year is None else f"{year:04d}-{month:02d}-{day:02d}"


def _iso_day(text: str) -> str | None:
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if match:
        return _day(*map(int, match.groups()))
    match = re.fullmatch(r"--(\d{2})-?(\d{2})", text)  # vCard's and Google's "no year"
    if match:
        return _day(None, *map(int, match.groups()))
    return None


def _year(text: str) -> int | None:
    """A year of four digits, or of two read as the latest such year not after this one."""
    if len(text) == 4:
        return int(text)
    if len(text) == 2:
        this = date.today().year
        year = this - this % 100 + int(text)
        return year if year <= this else year - 100
    return None


def _worded_day(text: str, *, year_needed: bool = False) -> str | None:
    """ "14 March 1990", "March 14, 1990", "14-Mar-90", "14 Mar" -> a day; None otherwise."""
    words = re.findall(r"[^\W\d_]+|\d+", text)
    months = [w for w in words if not w.isdigit()]
    numbers = [w for w in words if w.isdigit()]
    if len(months) != 1 or months[0].casefold() not in _MONTHS:
        return None
    if len(numbers) == 1 and len(numbers[0]) <= 2 and not year_needed:
        return _day(None, _MONTHS[months[0].casefold()], int(numbers[0]))
    if len(numbers) != 2:
        return None
    day, year = numbers if len(numbers[0]) <= 2 else reversed(numbers)  # "1990 March 14" too
    if len(day) > 2 or _year(year) is None:
        return None
    return _day(_year(year), _MONTHS[months[0].casefold()], int(day))


def _numeric_day(text: str, *, month_first: bool | None) -> str | None:
    """ "3/14/1990" and the like.  month_first None: only when one reading is possible."""
    match = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{2}|\d{4})", text)
    if not match:
        return None
    a, b, year_text = match.groups()
    a, b = int(a), int(b)
    year = _year(year_text)
    if a > 12 >= b:
        month_first = False
    elif b > 12 >= a:
        month_first = True
    elif month_first is None and a != b:
        return None  # "03/04/1990": March or April is a guess
    month, day = (a, b) if month_first in (True, None) else (b, a)
    return _day(year, month, day)


_NO_DAY = re.compile(r"0{1,2}[/.]0{1,2}[/.]0{2,4}|1[/.]1[/.]4501")  # Outlook's "no date"


def read_birthday(text: str, layout: str) -> tuple[str | None, bool]:
    """(the birthday, whether the text read); blank and Outlook's "0/0/00" are no birthday."""
    text = " ".join(text.split())
    text = re.sub(r"\s+\d{1,2}:\d{2}(:\d{2})?(\s*[AaPp][Mm])?$", "", text)  # "3/14/1990 0:00:00"
    if not text or _NO_DAY.fullmatch(text):
        return None, True
    found = (
        _iso_day(text)
        or _numeric_day(text, month_first=True if layout == "outlook" else None)
        or _worded_day(text)
    )
    return found, found is not None


def read_connected_on(text: str) -> str | None:
    """LinkedIn's "12 Nov 2023" as "2023-11-12"; None if it does not read."""
    text = " ".join(text.split())
    found = _iso_day(text) or _worded_day(text, year_needed=True)
    return found if found and not found.startswith("--") else None


_SPLITS = {  # how one cell holds several values, by layout and field
    "google": {"email": r":::", "phone": r":::", "tags": r":::"},
    "outlook": {"email": r";", "tags": r";"},
    "linkedin": {},
    "csv": {"email": r":::|[;,\n]", "phone": r":::|[;\n]", "tags": r":::|[;,\n]"},
}


def _values(cell: str, layout: str, field: str) -> list[str]:
    """The values of one cell, each stripped; a line break inside becomes LF whatever the file used."""
    cell = cell.replace("\r\n", "\n").replace("\r", "\n")
    split = _SPLITS[layout].get(field)
    parts = re.split(split, cell) if split else [cell]
    return [part.strip() for part in parts if part.strip()]


def _tag(value: str, layout: str) -> str | None:
    if layout == "google" and value.startswith("*"):
        # "* myContacts", "* starred", "* other": Google's own; "* Friends" is a label.
        name = value[1:].strip()
        return None if key(name) in {"mycontacts", "starred", "other"} else (name or None)
    return value


def _unique(values: list[str], fold: bool = False) -> list[str]:
    seen: set[str] = set()
    kept = []
    for value in values:
        mark = value.casefold() if fold else value
        if mark not in seen:
            seen.add(mark)
            kept.append(value)
    return kept


# --- a record ----------------------------------------------------------------------------


def _contact(line: int, row: list[str], columns: list[_Column], layout: str) -> Contact | BadRow | None:
    said: dict[str, list[str]] = {}
    for column in columns:
        cell = row[column.index] if column.index < len(row) else ""
        values = _values(cell, layout, column.field)
        if values:
            said.setdefault(column.field, []).extend(values)

    def first(field: str) -> str:
        return said.get(field, [""])[0]

    if _blank(row):
        return None  # a row with nothing in it, as spreadsheets leave at the end
    emails = _unique(said.get("email", []), fold=True)
    name = first("name") or " ".join(first(part) for part in _NAME_PARTS if first(part))
    name = name or first("nickname") or (emails[0] if emails else "")
    if not name:
        return BadRow(line, "no name")
    notes = "\n".join(said.get("notes", []))
    if said.get("url"):
        notes = "\n".join(filter(None, [notes, f"LinkedIn: {first('url')}"]))
    birthday, understood = read_birthday(first("birthday"), layout)
    if not understood:  # keep what the file said where a person will see it
        notes = "\n".join(filter(None, [notes, f"Birthday (not understood): {first('birthday')}"]))
    tags = [tag for value in said.get("tags", []) if (tag := _tag(value, layout))]
    return Contact(
        name=name,
        phones=_unique(said.get("phone", [])),
        emails=emails,
        org=first("org"),
        role=first("role"),
        area=first("area"),
        tags=_unique(tags),
        birthday=birthday,
        notes=notes,
        connected_on=read_connected_on(first("connected_on")) if said.get("connected_on") else None,
        line=line,
    )


def parse_csv(text: str, layout: str | None = None, mapping: dict[str, str] | None = None) -> Parsed:
    """The contacts of a CSV file's text.

    layout: "google", "outlook", "linkedin" or "csv" (None: read from the header).  mapping:
    `--map` — a header column (case and spacing do not count) to one of MAP_FIELDS; it wins
    over what the layout says that column is, and "skip" leaves a column out.  A record with
    no name (nor an email to stand for one) is a BadRow; a blank one is passed over.
    Raises ContactFileError when the file as a whole cannot be read as contacts.
    """
    if layout is None:
        from meetup_tui.contacts.detect import detect_format

        layout = detect_format(text)
        if layout == "vcard":
            raise ContactFileError("This file is a vCard file, not CSV; import it as vCard.")
    if layout not in LAYOUTS:
        raise ContactFileError(f"There is no CSV layout {layout!r}; the layouts are {', '.join(LAYOUTS)}.")
    text = text.removeprefix("\ufeff")
    found = find_header(text)
    if found is None:
        raise ContactFileError("The file has no header row (it has no text at all).")
    delimiter, header_at, header = found
    if layout == "linkedin" and not _LINKEDIN_HEADER <= {key(cell) for cell in header}:
        raise ContactFileError(
            "This is not LinkedIn's Connections.csv: no header has First Name, Last Name and Connected On."
        )
    columns = _columns(layout, header, mapping)
    parsed = Parsed(format=layout)
    for index, (line, row) in enumerate(_records(text, delimiter)):
        if index <= header_at:
            continue
        got = _contact(line, row, columns, layout)
        if isinstance(got, Contact):
            parsed.contacts.append(got)
        elif isinstance(got, BadRow):
            parsed.bad_rows.append(got)
    return parsed
