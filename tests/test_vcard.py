"""vCard in and out (contacts/vcard.py): the files phones really export, cards that are
broken, text that is data, and the 4.0 export reading back unchanged."""

from __future__ import annotations

import base64
import time
from dataclasses import asdict
from pathlib import Path

import pytest
import vobject

from meetup_tui.contacts.card import BadRow, Contact, ContactFileError
from meetup_tui.contacts.vcard import parse_vcards, write_vcards
from meetup_tui.domain.records import Person

FIXTURES = Path(__file__).parent / "fixtures" / "vcard"


def read(name: str) -> str:
    """A fixture's text with its line ends as they are in the file (newline="" keeps CRLF)."""
    with open(FIXTURES / name, encoding="utf-8", newline="") as handle:
        return handle.read()


def card(*lines: str, version: str = "3.0") -> str:
    return "\r\n".join(["BEGIN:VCARD", f"VERSION:{version}", *lines, "END:VCARD"]) + "\r\n"


def only(text: str) -> Contact:
    parsed = parse_vcards(text)
    assert parsed.bad_rows == []
    assert len(parsed.contacts) == 1
    return parsed.contacts[0]


# -- the exports of real phones and services -----------------------------------------------


def test_iphone_export_groups_labels_types_and_a_folded_photo() -> None:
    text = read("iphone_3.0.vcf")
    assert "\r\n " in text and "item1.X-ABLabel" in text  # the fixture is in the iPhone's layout
    parsed = parse_vcards(text)
    assert parsed.format == "vcard"
    assert parsed.bad_rows == []
    john, soren, barn = parsed.contacts
    assert john.name == "John Q. Appleseed"
    # the typed numbers in order, then the item1./item2. grouped ones with their X-ABLabel
    assert john.phones == ["+1 (408) 555-0100", "(408) 555-0101", "+1 408 555 0199", "+1 408 555 0142"]
    assert john.emails == ["john@appleseed.example", "johnny@mail.example"]
    assert john.org == "Appleseed Orchards, Inc."  # first ORG component, \, unescaped
    assert john.role == "Head Cider Maker"
    assert john.area == "Cupertino"  # item3.ADR's locality
    assert john.birthday == "1980-02-29"
    assert (
        john.notes == "Buys our bikes for the pickers, every spring.\nAsk about the new press; he loves it."
    )
    assert john.tags == []
    assert john.line == 1
    # the photo's ~4 KB of base64 is nowhere: not in notes, not a bad row
    assert all("/9j/" not in value for value in asdict(john).values() if isinstance(value, str))
    assert (soren.name, soren.phones, soren.birthday, soren.line) == (
        "Søren Kierkegaard", ["+45 20 12 34 56"], "--05-05", 78,
    )  # fmt: skip  # Apple's year-less birthday: 1604 with X-APPLE-OMIT-YEAR=1604
    assert (barn.name, barn.org, barn.phones, barn.area, barn.line) == (
        "Bike Barn", "Bike Barn", ["+1 408 555 0170"], "San Jose", 86,
    )  # fmt: skip


def test_android_21_quoted_printable_names_with_soft_line_breaks() -> None:
    text = read("android_2.1.vcf")
    # the fixture's layout: QP names, and a UTF-8 character cut in two by a soft line break
    assert "ENCODING=QUOTED-PRINTABLE:=D0=9F" in text and "=\r\n=B2" in text
    parsed = parse_vcards(text)
    assert parsed.bad_rows == []
    ivan, laila, chidi = parsed.contacts
    assert ivan.name == "Иван Сергеевич Петров-Водкин"
    assert ivan.org == "Велосипеды Урала"
    assert ivan.role == "Директор"
    assert ivan.phones == ["+7 912 345-67-89", "+7 495 123-45-67"]
    assert ivan.emails == ["ivan.petrov@mail.example"]
    assert ivan.birthday == "1975-11-02"
    # =0D=0A inside the QP note is one line break; the comma (not escaped in 2.1) is kept
    assert ivan.notes == "Встретились на ярмарке, у стенда 4.\nХочет 10 прокатных велосипедов к маю."
    assert ivan.line == 1
    assert (laila.name, laila.phones, laila.line) == (
        "ليلى الحسن",
        ["+971 50 123 4567", "+971 4 123 4567"],
        38,
    )
    # 2.1 needs no escapes: everything after the first comma and the semicolon stays
    assert chidi.notes == "Met at the market, stall 4; wants a cargo bike, maybe two."
    assert chidi.birthday == "1990-03-14"  # 2.1's 19900314
    assert (chidi.name, chidi.emails, chidi.line) == ("Chidi Okafor", ["chidi@okafor.example"], 47)


def test_google_export_categories_become_tags() -> None:
    parsed = parse_vcards(read("google_3.0.vcf"))
    assert parsed.bad_rows == []
    mei, dani, shout = parsed.contacts
    assert mei.name == "林美 Mei Lin"
    assert mei.phones == ["+86 138 0013 8000", "+86 571 8888 0000"]
    assert mei.emails == ["mei@teahouse.example", "mei.lin@mail.example"]
    assert mei.org == "Teahouse Co."
    assert mei.role == "Owner, buyer"
    assert mei.area == "Hangzhou"
    assert mei.birthday == "1988-08-08"
    assert (
        mei.notes == "Supplies oolong, jasmine and pu-erh.\nAsk about the spring harvest; she ships in April."
    )
    assert mei.tags == ["Suppliers", "Tea"]  # Google's built-in "myContacts" is no tag
    assert (dani.name, dani.phones, dani.tags, dani.area) == (
        "Dani 🚴 Ortega", ["+34 600 123 456", "+34 600 654 321"], ["starred", "Bike club"], "",
    )  # fmt: skip
    assert (shout.name, shout.tags, shout.line) == ("[bold]Shout[/] Loud", [], 32)


def test_vcard_40_tel_uris_yearless_birthday_and_escapes() -> None:
    parsed = parse_vcards(read("rfc6350_4.0.vcf"))
    assert parsed.bad_rows == []
    zoe, kenji = parsed.contacts
    assert zoe.name == "Zoë Ångström-Huber"
    assert zoe.phones == ["+43-660-555-0142", "+43-1-555-0143 ext. 27"]  # tel: URIs, ;ext= kept
    assert zoe.emails == ["zoe@huber.example", "zoe.private@mail.example"]  # mailto: dropped
    assert zoe.birthday == "--03-14"  # --0314
    assert zoe.org == "Müller, Huber & Co; Fahrräder"  # \, and \; inside the first component
    assert zoe.role == "Partnerin"
    assert zoe.notes == "Prefers mornings, never Mondays; ask about the C:\\bikes folder.\nSecond line."
    assert zoe.tags == ["florist", "VIP, gold", "Wien"]
    assert zoe.area == "Wien"
    assert (kenji.name, kenji.phones, kenji.birthday, kenji.line) == (
        "Kenji Watanabe", ["+81-3-5555-0100"], None, 22,
    )  # fmt: skip  # "circa 1970" is no date


# -- broken cards, and files that are no vCard ----------------------------------------------


def test_broken_cards_are_bad_rows_and_the_others_are_still_read() -> None:
    parsed = parse_vcards(read("broken_cards.vcf"))
    assert [(c.name, c.phones, c.line) for c in parsed.contacts] == [
        ("Ana Ruiz", ["+34 600 000 001"], 1),
        ("Bo Lee", ["+34 600 000 005"], 25),  # N used when FN is missing
        ("Last One", [], 35),
    ]
    assert [row.line for row in parsed.bad_rows] == [7, 14, 21, 31, 39]
    garbled, nameless, cut, latin1, unended = (row.reason for row in parsed.bad_rows)
    assert garbled == "Line 10 cannot be read as a vCard property: 'THIS LINE HAS NO COLON AT ALL'."
    assert nameless == "The card has no name: its FN, N and ORG are all empty or missing."
    assert cut == "The card that starts here has no END:VCARD before the next BEGIN:VCARD."
    assert (
        unended
        == "The card that starts here has no END:VCARD before the end of the file (it may be cut short)."
    )
    # Latin-1 bytes under CHARSET=UTF-8
    assert latin1 == "Line 33 is quoted-printable text that is not valid UTF-8."


@pytest.mark.parametrize("ending", ["\n", "\r\n"])
def test_lf_and_crlf_files_read_alike(ending: str) -> None:
    for name in (
        "iphone_3.0.vcf",
        "android_2.1.vcf",
        "google_3.0.vcf",
        "rfc6350_4.0.vcf",
        "broken_cards.vcf",
    ):
        text = read(name)
        lf = text.replace("\r\n", "\n")
        assert parse_vcards(lf.replace("\n", ending)) == parse_vcards(text), name
    assert "\r\n" in read("iphone_3.0.vcf") and "\r\n" not in read("rfc6350_4.0.vcf")


def test_a_csv_file_is_not_a_vcard() -> None:
    with pytest.raises(ContactFileError) as raised:
        parse_vcards(read("contacts.csv"))
    assert str(raised.value) == (
        "This file is not a vCard file: it has no BEGIN:VCARD line, and it looks like CSV (a spreadsheet export)."
    )


@pytest.mark.parametrize(
    ("text", "looks"),
    [("", ", and it is empty."), ("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "calendar"), ('{"a": 1}', "JSON")],
)
def test_other_files_are_no_vcard_and_say_what_they_look_like(text: str, looks: str) -> None:
    with pytest.raises(ContactFileError, match="is not a vCard file") as raised:
        parse_vcards(text)
    assert looks in str(raised.value)


# -- what vobject does not do for us ---------------------------------------------------------


def test_lower_case_quoted_printable_and_another_charset_are_decoded() -> None:
    text = (
        card("FN;CHARSET=utf-8;encoding=quoted-printable:Jos=C3=A9 Mu=C3=B1oz", version="2.1")
        + card("FN;ENCODING=QUOTED-PRINTABLE;CHARSET=ISO-8859-1:Fran=E7oise M=FCller", version="2.1")
        + card("FN;QUOTED-PRINTABLE;CHARSET=windows-1252:=93Bud=94 O=92Neil", version="2.1")
    )
    parsed = parse_vcards(text)
    assert parsed.bad_rows == []
    assert [c.name for c in parsed.contacts] == [
        "José Muñoz",
        "Françoise Müller",
        "\u201cBud\u201d O\u2019Neil",
    ]


def test_an_unknown_or_missing_charset_is_a_bad_row() -> None:
    unknown = card("FN;ENCODING=QUOTED-PRINTABLE;CHARSET=X-NOPE:Caf=E9", version="2.1")
    missing = card("FN:Caf", "NOTE;ENCODING=QUOTED-PRINTABLE:Caf=E9", version="2.1")
    parsed = parse_vcards(unknown + missing + card("FN:Ok"))
    assert [(c.name, c.line) for c in parsed.contacts] == [("Ok", 10)]
    assert parsed.bad_rows == [
        BadRow(
            1, "Line 3 names a character set that is not known: 'FN;ENCODING=QUOTED-PRINTABLE;CHARSET=X-N…'."
        ),
        BadRow(5, "Line 8 is quoted-printable text that is not valid UTF-8 (the line names no CHARSET)."),
    ]


def test_unescaped_commas_in_text_are_kept() -> None:
    # vobject's own vCard decoding keeps only what comes before the first unescaped comma
    contact = only(
        card("FN:Doe, John", "TITLE:Owner, baker", "NOTE:one, two, three", "ORG:Smith, Jones;Sales")
    )
    assert (contact.name, contact.role, contact.notes, contact.org) == (
        "Doe, John", "Owner, baker", "one, two, three", "Smith, Jones",
    )  # fmt: skip


def test_a_corrupt_photo_costs_nothing() -> None:
    # vobject base64-decodes photos and refuses the whole card when the padding is wrong
    contact = only(
        card("FN:Ana Ruiz", "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQ", " ABAAD", "TEL:1")
    )
    assert (contact.name, contact.phones) == ("Ana Ruiz", ["1"])


def test_a_21_photo_without_indented_lines_ends_at_its_blank_line() -> None:
    photo = base64.b64encode(bytes(range(256)) * 4).decode()
    lines = [photo[i : i + 76] for i in range(0, len(photo), 76)]
    text = card(
        "FN:Old Nokia",
        "PHOTO;ENCODING=BASE64;TYPE=JPEG:" + lines[0],
        *lines[1:],
        "",
        "TEL:+358 40 1",
        version="2.1",
    )
    contact = only(text)
    assert (contact.name, contact.phones) == ("Old Nokia", ["+358 40 1"])


def test_a_huge_photo_is_skipped_quickly() -> None:
    photo = base64.b64encode(bytes(range(256)) * 12_000).decode()  # 3 MB raw, 4 MB of base64
    folded = "\r\n ".join(photo[i : i + 74] for i in range(0, len(photo), 74))
    start = time.perf_counter()
    contact = only(card("FN:Big Face", "PHOTO;ENCODING=b;TYPE=JPEG:" + folded, "TEL:+1 555 0100"))
    assert time.perf_counter() - start < 2  # vobject alone takes ~7 s to unfold it
    assert (contact.name, contact.phones) == ("Big Face", ["+1 555 0100"])


def test_markers_in_any_case_with_spaces_around_and_a_bom() -> None:
    parsed = parse_vcards("\ufeff\r\n\r\n  begin:vcard\nVERSION:2.1\nN:Ruiz;Ana\n  End:VCard \n")
    assert parsed.bad_rows == []
    assert [(c.name, c.line) for c in parsed.contacts] == [("Ana Ruiz", 3)]


def test_a_21_agent_card_inside_a_card_is_not_a_contact() -> None:
    text = card(
        "FN:Boss Person",
        "AGENT:",
        "BEGIN:VCARD",
        "VERSION:2.1",
        "FN:Assistant",
        "END:VCARD",
        "TEL:1",
        version="2.1",
    )
    parsed = parse_vcards(text + card("FN:Next"))
    assert parsed.bad_rows == []
    assert [(c.name, c.phones, c.line) for c in parsed.contacts] == [
        ("Boss Person", ["1"], 1),
        ("Next", [], 11),
    ]


def test_n_makes_the_name_when_fn_is_missing_or_empty() -> None:
    assert only(card("N:Public;John;Quincy;Dr.;Jr.")).name == "Dr. John Quincy Public Jr."
    assert only(card("FN:  ", "N:Lee;Bo;;;")).name == "Bo Lee"


@pytest.mark.parametrize(
    ("line", "birthday"),
    [
        ("BDAY:1990-03-14", "1990-03-14"),
        ("BDAY:19900314", "1990-03-14"),
        ("BDAY;VALUE=date:1990-03-14", "1990-03-14"),
        ("BDAY:1990-03-14T00:00:00Z", "1990-03-14"),
        ("BDAY:--0314", "--03-14"),
        ("BDAY:--03-14", "--03-14"),
        ("BDAY:--0229", "--02-29"),
        ("BDAY;X-APPLE-OMIT-YEAR=1604:1604-03-14", "--03-14"),
        ("BDAY:1990-02-30", None),
        ("BDAY;VALUE=text:circa 1800", None),
    ],
)
def test_birthdays(line: str, birthday: str | None) -> None:
    assert only(card("FN:A B", line)).birthday == birthday


def test_a_value_ending_in_a_lone_backslash_keeps_it() -> None:
    # vobject turns a lone final backslash into "\eof"
    assert only(card("FN:Odd One\\")).name == "Odd One\\"


# -- text is data ---------------------------------------------------------------------------


HOSTILE_NAMES = [
    "[bold]x[/] [link=http://evil]y[/link]",
    "\x1b[31mRed\x1b[0m Alert",
    "Алёна Вишневская",
    "محمد بن سلمان",
    "王小明",
    "山田 太郎",
    "Dani 🚴‍♀️ 👍🏽",
    "Line\u2028Separator and Next\x85Line",
]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_names_come_through_exactly(name: str) -> None:
    assert only(card(f"FN:  {name}\t ")).name == name  # only the ends are stripped


# -- writing ---------------------------------------------------------------------------------


def everything(name: str, **fields: object) -> Person:
    values: dict[str, object] = {
        "name": name,
        "phones": ["+1 555 0100", "(555) 010-0101 ext. 7", "+1 555,,0102"],
        "emails": ["ana@example.com", "ana.r@work.example"],
        "org": "Ruiz, Lee; Partners \\ Co",
        "role": "Owner, baker",
        "area": "Old Town",
        "tags": ["florist", "VIP, gold", "a;b"],
        "birthday": "1990-03-14",
        "notes": "Line one, with commas; and semicolons.\nLine two \\ backslash\\n literal.\n\nAfter a blank line.",
    }
    values.update(fields)
    return Person(**values)  # type: ignore[arg-type]


def contact_fields(person: Person) -> dict[str, object]:
    fields = ("name", "phones", "emails", "org", "role", "area", "tags", "birthday", "notes")
    return {field: getattr(person, field) for field in fields}


def test_write_then_parse_gives_the_same_fields() -> None:
    people = [
        everything("Ana Ruiz"),
        everything("Zoë Ångström-Huber", birthday="--03-14", tags=[], area=""),
        Person(name="Solo"),
        *(everything(name, notes=name * 30) for name in HOSTILE_NAMES),  # long: folded lines
    ]
    parsed = parse_vcards(write_vcards(people))
    assert parsed.bad_rows == []
    assert [
        {k: v for k, v in asdict(c).items() if k not in ("line", "connected_on")} for c in parsed.contacts
    ] == [contact_fields(p) for p in people]


def test_write_makes_vcard_40_with_crlf_uid_and_yearless_bday() -> None:
    person = everything("Ana María Ruiz", birthday="--03-14")
    text = write_vcards([person])
    assert text.startswith("BEGIN:VCARD\r\nVERSION:4.0\r\n")
    assert text.endswith("END:VCARD\r\n")
    assert "\n" not in text.replace("\r\n", "")
    lines = text.split("\r\n")
    assert f"UID:urn:uuid:{person.id}" in lines
    assert "BDAY:--0314" in lines
    assert "N:Ruiz;Ana María;;;" in lines  # last word is the family name
    assert "TEL;VALUE=text:+1 555 0100" in lines
    assert "ORG:Ruiz\\, Lee\\; Partners \\\\ Co" in lines
    assert "CATEGORIES:florist,VIP\\, gold,a\\;b" in lines
    assert "ADR:;;;Old Town;;;" in lines
    assert "TITLE:Owner\\, baker" in lines
    assert all(len(line.encode()) <= 75 for line in lines)  # folded
    # and vobject reads it as one valid vCard
    (component,) = vobject.readComponents(text, validate=True)
    assert component.fn.value == "Ana María Ruiz"
    assert [t.value for t in component.tel_list] == person.phones


def test_write_leaves_out_deleted_people() -> None:
    gone = Person(name="Gone Person", deleted=True)
    text = write_vcards([Person(name="Here Person"), gone])
    assert [c.name for c in parse_vcards(text).contacts] == ["Here Person"]
    assert write_vcards([]) == ""
