"""A contact file's bytes as text (UTF-8 with or without BOM, UTF-16 with BOM, nothing
guessed), and its format read from the content — or a sentence saying what it looks like
instead."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from meetup_tui.contacts.card import ContactFileError
from meetup_tui.contacts.detect import FORMATS, decode, detect_format

FIXTURES = Path(__file__).parent / "fixtures" / "csv"


def raw(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


# --- decode --------------------------------------------------------------------------------


def test_utf8_without_bom() -> None:
    assert decode("Name\nZoë\n".encode(), "a.csv") == "Name\nZoë\n"


def test_utf8_with_bom_loses_the_bom() -> None:
    text = decode(raw("bom.csv"), "bom.csv")
    assert text.startswith("Name,Phone,Email\r\n")
    assert "Zoë Faure" in text


def test_utf16_outlook_export_reads_like_the_utf8_one() -> None:
    assert raw("outlook_utf16.csv").startswith(b"\xff\xfe")
    assert decode(raw("outlook_utf16.csv"), "o.csv") == decode(raw("outlook.csv"), "o.csv")


@pytest.mark.parametrize("encoding", ["utf-16-be", "utf-32-le"])
def test_other_unicode_with_a_bom(encoding: str) -> None:
    assert decode("\ufeffName\nZoë\n".encode(encoding), "a.csv") == "Name\nZoë\n"


def test_latin1_is_an_error_naming_the_file_and_the_byte() -> None:
    with pytest.raises(ContactFileError) as raised:
        decode(raw("latin1.csv"), "latin1.csv")
    # "Name,Phone\r\nZo" is 14 bytes: the ë (0xEB) is byte 14
    assert str(raised.value) == "latin1.csv is not UTF-8 text (byte 14); save it as UTF-8 and import again."


def test_windows_1252_is_not_guessed_either() -> None:
    with pytest.raises(ContactFileError, match=r"^c\.csv is not UTF-8 text \(byte 5\)"):
        decode("Name\n\u201cAna\u201d\n".encode("cp1252"), "c.csv")


def test_utf16_without_a_bom_is_an_error_not_text_with_zeros() -> None:
    with pytest.raises(ContactFileError) as raised:
        decode("Name\n".encode("utf-16-le"), "u.csv")
    assert str(raised.value) == "u.csv is not UTF-8 text (byte 1 is zero); save it as UTF-8 and import again."


def test_broken_utf16_names_its_byte() -> None:
    with pytest.raises(ContactFileError) as raised:
        decode(b"\xff\xfe" + "Na".encode("utf-16-le") + b"\x00", "b.csv")
    assert str(raised.value) == "b.csv is not UTF-16 text (byte 6); save it as UTF-8 and import again."


def test_a_zip_or_xlsx_says_so() -> None:
    with pytest.raises(ContactFileError, match=r"^Book1\.xlsx looks like a zip archive or an Excel workbook"):
        decode(b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)), "Book1.xlsx")


# --- detect_format -------------------------------------------------------------------------


def test_formats_for_the_format_option() -> None:
    assert FORMATS == ("vcard", "csv", "google", "outlook", "linkedin")


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("google_current.csv", "google"),
        ("google_old.csv", "google"),
        ("outlook.csv", "outlook"),
        ("outlook_utf16.csv", "outlook"),
        ("outlook_semicolon.csv", "outlook"),
        ("linkedin.csv", "linkedin"),
        ("generic_odd_header.csv", "csv"),
        ("needs_map.csv", "csv"),
        ("bom.csv", "csv"),
    ],
)
def test_each_fixture_is_recognised(fixture: str, expected: str) -> None:
    assert detect_format(decode(raw(fixture), fixture)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana\r\nEND:VCARD\r\n",
        "\ufeff\r\n\r\n  begin:vcard\nVERSION:2.1\nN:Ruiz;Ana\nEND:VCARD\n",
    ],
)
def test_vcard_by_its_first_line(text: str) -> None:
    assert detect_format(text) == "vcard"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        # Google's current layout when no one has an email or a phone: no numbered columns
        ("First Name,Middle Name,Last Name,Phonetic First Name,Nickname,File As,Labels", "google"),
        ("Name,Given Name,Family Name,Group Membership", "google"),
        ("First Name,Last Name,E-mail 1 - Value", "google"),
        ("First Name,Last Name,URL,Email Address,Company,Position,Connected On", "linkedin"),
        ("First Name,Last Name,E-mail Address,Business Phone", "outlook"),
        # words Outlook uses too, but nothing only Outlook writes: any CSV
        ("First Name,Last Name,Company,Job Title,Mobile Phone,Categories", "csv"),
        ("First Name,Last Name,Email Address,Labels", "csv"),
        ("Name", "csv"),
        ("email", "csv"),
        ("Nom;Téléphone", "csv"),
    ],
)
def test_layout_from_the_header(header: str, expected: str) -> None:
    assert detect_format(header + "\nx\n") == expected


@pytest.mark.parametrize(
    ("fixture", "message"),
    [
        (
            "people.json",
            (
                "people.json looks like JSON, not contacts; export your contacts as vCard (.vcf) or CSV "
                "and import that."
            ),
        ),
        (
            "database.json",
            "database.json looks like a meetup-tui database, not contacts; open it with --db instead.",
        ),
        (
            "page.html",
            (
                "page.html looks like a web page (HTML), not contacts; export your contacts as vCard (.vcf) or CSV "
                "and import that."
            ),
        ),
        ("empty.csv", "empty.csv is empty."),
        ("blank.csv", "blank.csv is empty."),
    ],
)
def test_not_contacts_says_what_it_looks_like(fixture: str, message: str) -> None:
    with pytest.raises(ContactFileError) as raised:
        detect_format(decode(raw(fixture), fixture), name=fixture)
    assert str(raised.value) == message


@pytest.mark.parametrize(
    ("text", "looks_like"),
    [
        ("{broken json", "JSON"),
        ('<?xml version="1.0"?><contacts/>', "XML"),
        ("BEGIN:VCALENDAR\nVERSION:2.0\nEND:VCALENDAR\n", "a calendar (iCalendar)"),
        ("%PDF-1.7\n%âãÏÓ\n", "a PDF"),
        ("\x01\x02\x03\x04garbage\x05\x06\x07\x08\x0e\x0f\x10", "a binary file"),
        ("Dear Ana, thanks for coming to the meetup.\nSee you soon.\n", "plain text"),
        ("Ana Ruiz called about the order\n", "plain text"),
    ],
)
def test_other_texts_say_what_they_look_like(text: str, looks_like: str) -> None:
    with pytest.raises(
        ContactFileError, match=rf"^This file looks like {re.escape(looks_like)}, not contacts\b"
    ):
        detect_format(text)


def test_a_file_of_empty_cells_is_empty() -> None:
    with pytest.raises(ContactFileError, match="^x.csv is empty"):
        detect_format(",,,\r\n,,,\r\n", name="x.csv")


def test_a_csv_starting_with_a_bracket_is_still_csv() -> None:
    assert detect_format("[Name],Phone\nAna,1\n") == "csv"
