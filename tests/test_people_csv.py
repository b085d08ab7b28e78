"""The people CSV (contacts/people_csv.py): one row per live person, read back with
csv.DictReader field by field; formula-looking cells get a leading quote."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date

from meetup_tui.contacts.people_csv import COLUMNS, people_csv
from meetup_tui.domain.book import Book
from meetup_tui.domain.records import Interaction, Person, Segment

MakeBook = Callable[..., Book]
TODAY = date(2026, 11, 26)


def rows(book: Book) -> list[dict[str, str]]:
    text = people_csv(book, TODAY)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    assert tuple(reader.fieldnames or ()) == COLUMNS
    return list(reader)


def test_the_header_row_comes_first_and_lines_end_in_crlf(make_book: MakeBook) -> None:
    text = people_csv(make_book(Person(name="Ana Ruiz")), TODAY)
    assert text.startswith(",".join(COLUMNS) + "\r\n")
    assert text.count("\r\n") == 2
    assert COLUMNS[0] == "name" and COLUMNS[-1] == "id"


def test_every_field_of_a_person(make_book: MakeBook) -> None:
    kofi = Person(name="Kofi Mensah")
    maya = Person(
        name="Maya Okafor",
        phones=["555 0100", "555 0101"],
        emails=["maya@example.com", "m.okafor@work.example"],
        org="Corner Café",
        role="Owner",
        area="Riverside",
        tags=["cafe", "wholesale"],
        influence=4,
        stage="lead",
        cadence="FREQ=WEEKLY;INTERVAL=2",
        channel="coffee",
        owner="sam@shop",
        birthday="1990-03-14",
        snoozed_until="2026-12-01",
        introduced_by=kofi.id,
        notes="Opens at 7.\nClosed Mondays.",
        challenges="slow winters",
        wants="a winter menu",
        needs="cheaper oat milk",
    )
    cafes = Segment(name="Cafés", rule={"area": "Riverside"})
    picked = Segment(name="Wholesale", include=[maya.id])
    other = Segment(name="Bakeries", rule={"tags": ["bakery"]})
    book = make_book(
        kofi,
        maya,
        cafes,
        picked,
        other,
        Interaction(at="2026-11-10T10:00", people=[maya.id], kind="coffee"),
        Interaction(at="2026-11-20T10:00", people=[maya.id], outcome="attempt", note="voicemail"),
    )
    row = next(r for r in rows(book) if r["name"] == "Maya Okafor")
    assert row == {
        "name": "Maya Okafor",
        "phone": "555 0100; 555 0101",
        "email": "maya@example.com; m.okafor@work.example",
        "org": "Corner Café",
        "role": "Owner",
        "area": "Riverside",
        "segments": "Cafés; Wholesale",
        "tags": "cafe; wholesale",
        "influence": "4",
        "stage": "lead",
        "cadence": "every 2 weeks",
        "channel": "coffee",
        "owner": "sam@shop",
        "birthday": "1990-03-14",
        "last_contact": "2026-11-10",  # the attempt after it is not a conversation
        "snoozed_until": "2026-12-01",
        "introduced_by": "Kofi Mensah",
        "notes": "Opens at 7.\nClosed Mondays.",
        "challenges": "slow winters",
        "wants": "a winter menu",
        "needs": "cheaper oat milk",
        "id": maya.id,
    }


def test_a_bare_person_has_empty_cells_not_none(make_book: MakeBook) -> None:
    bo = Person(name="Bo Lee")
    (row,) = rows(make_book(bo))
    assert row == {column: "" for column in COLUMNS} | {
        "name": "Bo Lee",
        "influence": "0",
        "stage": "prospect",
        "id": bo.id,
    }


def test_words_for_cadence_and_a_birthday_without_a_year(make_book: MakeBook) -> None:
    (row,) = rows(make_book(Person(name="Ana Ruiz", cadence="FREQ=MONTHLY;INTERVAL=3", birthday="--07-02")))
    assert row["cadence"] == "quarterly"
    assert row["birthday"] == "2 July"


def test_formula_looking_cells_get_a_leading_quote(make_book: MakeBook) -> None:
    evil = Person(
        name='=HYPERLINK("http://evil.example","click")',
        phones=["+1 555 0100"],
        emails=["@attacker"],
        org="-2+3",
        role="\tcmd",
        notes="fine = not at the start",
        tags=["=1+1"],
    )
    (row,) = rows(make_book(evil))
    assert row["name"] == '\'=HYPERLINK("http://evil.example","click")'
    assert row["phone"] == "'+1 555 0100"
    assert row["email"] == "'@attacker"
    assert row["org"] == "'-2+3"
    assert row["role"] == "'\tcmd"
    assert row["tags"] == "'=1+1"
    assert row["notes"] == "fine = not at the start", "only a formula's first character counts"


def test_deleted_people_are_absent_and_name_no_one(make_book: MakeBook) -> None:
    gone = Person(name="Gone Person", deleted=True)
    ana = Person(name="Ana Ruiz", introduced_by=gone.id)
    found = rows(make_book(gone, ana))
    assert [r["name"] for r in found] == ["Ana Ruiz"]
    assert found[0]["introduced_by"] == ""
    assert "Gone" not in people_csv(make_book(gone, ana), TODAY)


def test_rows_are_sorted_by_name(make_book: MakeBook) -> None:
    book = make_book(Person(name="tom Reed"), Person(name="Ana Ruiz"), Person(name="maya Okafor"))
    assert [r["name"] for r in rows(book)] == ["Ana Ruiz", "maya Okafor", "tom Reed"]


def test_markup_survives_and_control_characters_are_dropped(make_book: MakeBook) -> None:
    person = Person(name="[bold]Evil[/] \x1b[31mRed\x07", notes='say "hi",\r\nthen; leave')
    text = people_csv(make_book(person), TODAY)
    assert "\x1b" not in text and "\x07" not in text
    (row,) = rows(make_book(person))
    assert row["name"] == "[bold]Evil[/] [31mRed"
    assert row["notes"] == 'say "hi",\nthen; leave'
