"""Contacts from CSV files in the layouts people really have (tests/fixtures/csv): Google's
current and older exports, Outlook's, LinkedIn's Connections.csv, and any other CSV by its
header words or by --map.  Field by field, with the line each record starts on."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from meetup_tui.contacts.card import BadRow, Contact, ContactFileError
from meetup_tui.contacts.csv_formats import parse_csv, read_birthday, read_connected_on
from meetup_tui.contacts.detect import decode

FIXTURES = Path(__file__).parent / "fixtures" / "csv"


def text_of(name: str) -> str:
    return decode((FIXTURES / name).read_bytes(), name)


def by_name(contacts: list[Contact]) -> dict[str, Contact]:
    return {c.name: c for c in contacts}


# --- Google --------------------------------------------------------------------------------


def test_google_current_layout_field_by_field() -> None:
    parsed = parse_csv(text_of("google_current.csv"))
    assert parsed.format == "google"
    ana = parsed.contacts[0]
    assert ana == Contact(
        name="Ana María Ruiz",  # the prefix "Dr." is not part of the name
        phones=["+1 555 0100", "+1 555 0101", "+1 555 0102"],  # " ::: " split, then Phone 2
        emails=["ana@ruizbakery.example", "ana.ruiz@mail.example"],
        org="Ruiz Bakery",
        role="Owner",
        area="Oakland",
        tags=["Bakers"],  # "* myContacts" and "* starred" are Google's own
        birthday="1990-03-14",
        notes='Met at the market.\nLikes sourdough, rye and "proper" crusts.\nCall before 9',
        line=2,
    )


def test_google_line_numbers_count_the_lines_inside_quoted_cells() -> None:
    parsed = parse_csv(text_of("google_current.csv"))
    # Ana's record spans lines 2-5 (a three-line note, a two-line address): Bo starts on 6.
    assert [(c.name, c.line) for c in parsed.contacts] == [
        ("Ana María Ruiz", 2),
        ("Bo Lee Jr.", 6),
        ("Big Sam", 8),
        ("[bold]Eve[/bold] \x1b[31mRed", 9),
        ("李 小龍", 10),
    ]
    assert parsed.bad_rows == [BadRow(7, "no name")]  # a phone and nothing to call them by


def test_google_labels_birthday_without_year_and_suffix() -> None:
    bo = by_name(parse_csv(text_of("google_current.csv")).contacts)["Bo Lee Jr."]
    assert bo.tags == ["Runners", "Coffee Club"]
    assert bo.birthday == "--07-04"
    assert bo.phones == ["07700 900123"]
    assert bo.emails == []


def test_google_nickname_stands_for_a_missing_name() -> None:
    sam = by_name(parse_csv(text_of("google_current.csv")).contacts)["Big Sam"]
    assert sam.line == 8 and sam.tags == []


def test_google_markup_escapes_and_non_latin_text_pass_through() -> None:
    contacts = by_name(parse_csv(text_of("google_current.csv")).contacts)
    eve = contacts["[bold]Eve[/bold] \x1b[31mRed"]  # surrounding spaces stripped, nothing else
    assert eve.notes.startswith("[link=https://x.example]click[/link]")
    lee = contacts["李 小龍"]
    assert lee.tags == ["功夫"]
    assert lee.emails == ["lee@example.cn"]


def test_a_birthday_that_does_not_read_is_kept_in_the_notes_not_the_birthday() -> None:
    eve = parse_csv(text_of("google_current.csv")).contacts[3]
    assert eve.birthday is None
    assert eve.notes == "[link=https://x.example]click[/link]\nBirthday (not understood): 31/02"


def test_google_older_layout_field_by_field() -> None:
    parsed = parse_csv(text_of("google_old.csv"))
    assert parsed.format == "google"
    assert parsed.contacts[0] == Contact(
        name="Carlos Díaz",
        phones=["+34 600 000 001", "+34 900 000 002"],
        emails=["carlos@diaz.example", "c.diaz@work.example"],  # CARLOS@… is the same address
        org="Díaz Plumbing",
        role="Plumber",
        area="Valencia",  # Address 1 - City, not the "Location" column
        tags=["Clients", "Friends"],  # "* My Contacts" dropped, "* Friends" is a group of theirs
        birthday="1985-11-02",
        notes="Fixed the shop's pipes.\n\nOwes us a quote.",
        line=2,
    )
    dana, only_email = parsed.contacts[1:]
    assert (dana.name, dana.birthday, dana.tags, dana.line) == ("Dana J. Ng", "--12-25", [], 5)
    assert (only_email.name, only_email.emails, only_email.tags, only_email.line) == (
        "only.email@example.org",
        ["only.email@example.org"],
        ["Newsletter"],
        6,
    )
    assert parsed.bad_rows == []


def test_google_map_overrides_a_column_and_skips_one() -> None:
    parsed = parse_csv(
        text_of("google_current.csv"), "google", {"address 1 - city": "skip", "Nickname": "role"}
    )
    ana, _bo, sam = parsed.contacts[:3]
    assert ana.area == "" and ana.role == "Owner"
    # the Nickname column is the role now, so File As is what names Sam
    assert (sam.role, sam.name) == ("Big Sam", "Sam's Kiosk")


# --- Outlook -------------------------------------------------------------------------------


GRACE = Contact(
    name="Grace B. Hopper",  # "Title" is Outlook's prefix, not part of the name
    # the mobile first; "Company Main Phone" and "Assistant's Phone" are not hers
    phones=["+1 202 555 0002", "+1 202 555 0003", "+1 202 555 0001"],
    emails=["grace@navy.example", "ghopper@home.example"],
    org="US Navy",
    role="Computer scientist",
    area="Arlington",  # Business City before Home City
    tags=["Speakers", "VIP"],
    birthday="1906-12-09",  # month first: 12/9/1906
    notes="Speaks at the meetup.\nBring the nanosecond wire.",  # CRLF inside the cell is a line break
    line=2,
)


@pytest.mark.parametrize("fixture", ["outlook.csv", "outlook_utf16.csv", "outlook_semicolon.csv"])
def test_outlook_field_by_field(fixture: str) -> None:
    parsed = parse_csv(text_of(fixture))
    assert parsed.format == "outlook"
    assert parsed.contacts[0] == GRACE
    ota, lin = parsed.contacts[1:]
    assert ota == Contact(name="Ōta Kenji", phones=["06-0000-0000"], area="Osaka", tags=["Suppliers"], line=4)
    assert ota.birthday is None  # "0/0/00" is Outlook's "no birthday"
    assert (lin.name, lin.emails, lin.birthday, lin.line) == ("Lin", ["lin@example.org"], "1990-03-14", 6)
    assert parsed.bad_rows == [BadRow(5, "no name")]  # a company and a phone, no person


# --- LinkedIn ------------------------------------------------------------------------------


def test_linkedin_after_its_notes_preamble() -> None:
    parsed = parse_csv(text_of("linkedin.csv"))
    assert parsed.format == "linkedin"
    assert parsed.contacts == [
        Contact(
            name="Priya Shah",
            emails=[],  # LinkedIn leaves most emails out
            org="Shah & Co",
            role="Founder, CEO",
            notes="LinkedIn: https://www.linkedin.com/in/priyashah",
            connected_on="2023-11-12",
            line=5,
        ),
        Contact(
            name="Tom O'Neil",
            emails=["tom@oneil.example"],
            notes="LinkedIn: https://www.linkedin.com/in/tomoneil",
            connected_on="2019-01-03",
            line=6,
        ),
        Contact(
            name="Зоя Иванова",
            org="Пекарня",
            role="Пекарь",
            notes="LinkedIn: https://www.linkedin.com/in/zoya",
            connected_on="2022-09-05",
            line=8,
        ),
    ]
    assert parsed.bad_rows == [BadRow(7, "no name")]  # a closed account: no name, no email


def test_linkedin_forced_on_another_file_says_so() -> None:
    with pytest.raises(ContactFileError, match="not LinkedIn's Connections.csv"):
        parse_csv(text_of("outlook.csv"), "linkedin")


# --- any other CSV -------------------------------------------------------------------------


def test_generic_header_words_in_any_case_and_spacing() -> None:
    parsed = parse_csv(text_of("generic_odd_header.csv"))
    assert parsed.format == "csv"
    assert parsed.contacts[0] == Contact(
        name="Mia Wong",
        phones=["555-0100", "555-0101"],
        emails=["mia@wong.example"],
        org="Wong Tea",
        role="Owner",
        area="Chinatown",
        tags=["tea", "vip"],
        birthday="--03-14",  # "14 March"
        notes="Loves oolong",
        line=2,
    )


def test_generic_rows_with_the_wrong_number_of_cells_are_read() -> None:
    contacts = parse_csv(text_of("generic_odd_header.csv")).contacts
    max_, noor, ola = contacts[1:]
    # two cells of ten; the name's escape codes and markup are data, only the spaces around go
    assert max_.name == "[red]Max[/red] \x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\"
    assert (max_.emails, max_.line) == (["max@example.org"], 3)
    assert (noor.name, noor.phones, noor.line) == ("Noor Haddad", ["555-0300"], 4)  # twelve cells
    assert noor.birthday is None  # 3 April or 4 March: not guessed
    assert noor.notes == "Birthday (not understood): 03/04/1990"
    assert (ola.name, ola.tags, ola.birthday, ola.line) == ("Ola Berg", [], "1988-02-29", 6)


def test_generic_blank_rows_are_passed_over_and_a_nameless_one_is_reported() -> None:
    parsed = parse_csv(text_of("generic_odd_header.csv"))
    assert len(parsed.contacts) == 4
    assert parsed.bad_rows == [BadRow(5, "no name")]


def test_generic_map_skip_wins_over_a_recognised_column() -> None:
    mia = parse_csv(
        text_of("generic_odd_header.csv"), mapping={" tags ": "skip", "Website": "notes"}
    ).contacts[0]
    assert mia.tags == []
    assert mia.notes == "https://wong.example\nLoves oolong"  # a --map column comes first


def test_a_csv_whose_header_gives_no_name_asks_for_map() -> None:
    with pytest.raises(ContactFileError) as raised:
        parse_csv(text_of("needs_map.csv"))
    assert str(raised.value) == (
        "No column gives a name (the columns are: 'Nom', 'Téléphone', 'Courriel', 'Société', 'Ville'); "
        'say which one does with --map "Column=name".'
    )


def test_map_names_the_columns() -> None:
    mapping = {"nom": "name", "TÉLÉPHONE": "phone", "Courriel": "email", "Société": "org", "  ville ": "area"}
    parsed = parse_csv(text_of("needs_map.csv"), "csv", mapping)
    assert parsed.contacts == [
        Contact(
            name="Jeanne Roux",
            phones=["06 00 00 00 01"],
            emails=["jeanne@roux.example"],
            org="Boulangerie Roux",
            area="Lyon",
            line=2,
        ),
        Contact(name="Luc Petit", phones=["06 00 00 00 02"], area="Paris", line=3),
    ]


def test_map_to_a_field_that_does_not_exist_lists_the_fields() -> None:
    with pytest.raises(ContactFileError) as raised:
        parse_csv(text_of("needs_map.csv"), "csv", {"Nom": "name", "Ville": "city"})
    assert str(raised.value) == (
        "--map Ville=city: there is no field 'city'; the fields are name, first_name, last_name, phone, "
        "email, org, role, area, tags, birthday, notes, skip."
    )


def test_map_naming_a_column_not_in_the_header_lists_the_header() -> None:
    with pytest.raises(ContactFileError) as raised:
        parse_csv(text_of("needs_map.csv"), "csv", {"Name": "name"})
    assert str(raised.value) == (
        "--map names the column 'Name', which is not in the header (Nom, Téléphone, Courriel, Société, Ville)."
    )


def test_map_first_and_last_name() -> None:
    text = "Prénom,Nom de famille,Mobile\nJeanne,Roux,0600\n"
    parsed = parse_csv(text, mapping={"prénom": "first_name", "nom de famille": "last_name"})
    assert [(c.name, c.phones) for c in parsed.contacts] == [("Jeanne Roux", ["0600"])]


def test_utf8_bom_does_not_hide_the_first_column() -> None:
    parsed = parse_csv(text_of("bom.csv"))
    assert parsed.contacts == [
        Contact(name="Zoë Faure", phones=["+33 6 00 00 00 03"], emails=["zoe@faure.example"], line=2)
    ]
    # and a text that still carries the BOM (not through decode) reads the same
    raw = (FIXTURES / "bom.csv").read_bytes().decode("utf-8")
    assert raw.startswith("\ufeff")
    assert parse_csv(raw).contacts == parsed.contacts


def test_email_stands_for_a_missing_name() -> None:
    parsed = parse_csv("Name,Email\n,ana@example.org\n")
    assert [(c.name, c.emails, c.line) for c in parsed.contacts] == [
        ("ana@example.org", ["ana@example.org"], 2)
    ]


def test_a_row_of_only_unread_columns_is_a_bad_row_not_silence() -> None:
    parsed = parse_csv("Name,Website\n,https://x.example\n")
    assert parsed.contacts == [] and parsed.bad_rows == [BadRow(2, "no name")]


def test_a_vcard_given_as_csv_is_refused() -> None:
    with pytest.raises(ContactFileError, match="vCard"):
        parse_csv("BEGIN:VCARD\nVERSION:3.0\nFN:Ana\nEND:VCARD\n")


def test_an_unknown_layout_is_refused() -> None:
    with pytest.raises(ContactFileError, match="no CSV layout 'excel'"):
        parse_csv("Name\nAna\n", "excel")


def test_a_cell_csv_cannot_hold_is_one_sentence_with_its_line() -> None:
    text = f'Name,Notes\nAna,ok\nBo,"{"x" * 200_000}"\n'
    with pytest.raises(ContactFileError, match=r"^Line 3 cannot be read as CSV \(field larger"):
        parse_csv(text)


def test_ten_thousand_rows_with_their_lines() -> None:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(["First Name", "Last Name", "Labels", "Phone 1 - Value", "Notes"])
    for i in range(10_000):
        writer.writerow(
            [f"P{i}", "Test", "* myContacts ::: Shop", f"+1 555 {i:04d}", "two\nlines" if i % 2 else ""]
        )
    parsed = parse_csv(out.getvalue())
    assert parsed.format == "google" and len(parsed.contacts) == 10_000
    last = parsed.contacts[-1]
    # 5,000 of the records take two lines: the 10,000th starts on line 1 + 9,999 + 5,000 + 1
    assert (last.name, last.phones, last.tags, last.notes, last.line) == (
        "P9999 Test",
        ["+1 555 9999"],
        ["Shop"],
        "two\nlines",
        15_000,
    )


# --- dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "layout", "expected"),
    [
        ("1990-03-14", "google", ("1990-03-14", True)),
        ("--03-14", "google", ("--03-14", True)),
        ("--0314", "google", ("--03-14", True)),
        ("--02-29", "google", ("--02-29", True)),
        ("1990-02-29", "google", (None, False)),
        ("3/14/1990", "outlook", ("1990-03-14", True)),
        ("3/4/1990", "outlook", ("1990-03-04", True)),  # Outlook writes the month first
        ("14/3/1990", "outlook", ("1990-03-14", True)),  # …unless the first number cannot be one
        ("3/14/1990 0:00:00", "outlook", ("1990-03-14", True)),
        ("0/0/00", "outlook", (None, True)),
        ("1/1/4501", "outlook", (None, True)),  # Outlook's "no date" as well
        ("", "csv", (None, True)),
        ("3/4/1990", "csv", (None, False)),  # any other CSV: 3 April or 4 March is not guessed
        ("3/3/1990", "csv", ("1990-03-03", True)),
        ("25.12.1980", "csv", ("1980-12-25", True)),
        ("14 March 1990", "csv", ("1990-03-14", True)),
        ("March 14, 1990", "csv", ("1990-03-14", True)),
        ("14 mar", "csv", ("--03-14", True)),
        ("March", "csv", (None, False)),
        ("31/02", "csv", (None, False)),
        ("next monday", "csv", (None, False)),
    ],
)
def test_birthdays(text: str, layout: str, expected: tuple[str | None, bool]) -> None:
    assert read_birthday(text, layout) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12 Nov 2023", "2023-11-12"),
        ("5 Sept 2022", "2022-09-05"),
        ("03 January 2019", "2019-01-03"),
        ("2021-06-30", "2021-06-30"),
        ("12 Nov", None),  # a connection has a year
        ("", None),
        ("soon", None),
    ],
)
def test_connected_on(text: str, expected: str | None) -> None:
    assert read_connected_on(text) == expected
