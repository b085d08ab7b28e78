"""Who an import adds, merges and skips (domain/import_plan.py), and when two written phone
numbers are one (domain/phones.py)."""

from __future__ import annotations

import pytest

from meetup_tui.contacts.card import Contact
from meetup_tui.domain.book import Book
from meetup_tui.domain.import_plan import plan_import
from meetup_tui.domain.phones import locale_region, phone_key, same_number
from meetup_tui.domain.records import Person, Segment


def book_of(*people: Person, segments: tuple[Segment, ...] = ()) -> Book:
    return Book(people={p.id: p for p in people}, segments={s.id: s for s in segments})


@pytest.mark.parametrize(
    ("a", "b", "region", "same"),
    [
        ("07700 900123", "+44 7700 900123", "GB", True),
        ("07700 900123", "+44 7700 900123", None, True),  # no region: the national number decides
        ("+44 7700 900123", "+1 7700 900123", None, False),  # two countries
        ("tel:+44-7700-900123", "0044 7700 900123", None, True),
        ("555 0100", "555 0101", "US", False),
    ],
)
def test_one_number_written_two_ways(a: str, b: str, region: str | None, same: bool) -> None:
    ka, kb = phone_key(a, region), phone_key(b, region)
    assert ka is not None and kb is not None
    assert same_number(ka, kb) is same


def test_text_without_digits_is_no_number() -> None:
    assert phone_key("ask at the desk", None) is None


def test_the_region_comes_from_the_locale() -> None:
    assert locale_region({"LANG": "en_GB.UTF-8"}) == "GB"
    assert locale_region({"LC_ALL": "fr_FR.UTF-8", "LANG": "en_GB.UTF-8"}) == "FR"
    assert locale_region({"LANG": "C.UTF-8"}) is None and locale_region({}) is None


def test_email_then_phone_then_name_find_the_person_in_the_book() -> None:
    ana = Person(name="Ana Ruiz", emails=["ana@x.example"], phones=["07700 900123"])
    bo = Person(name="Bo Lee")
    contacts = [
        Contact(name="A. Ruiz", emails=["ANA@X.EXAMPLE"], org="Ruiz Bakery", line=2),
        Contact(name="Someone", phones=["+44 7700 900123"], role="owner", line=3),
        Contact(name="  bo   LEE ", phones=["555 0101"], line=4),
    ]
    plan = plan_import(book_of(ana, bo), contacts, region="GB")
    by_id = {step.person.id: step for step in plan.steps}
    assert set(by_id) == {ana.id, bo.id} and plan.count("add") == 0
    merged = by_id[ana.id].person
    assert (merged.name, merged.org, merged.role, merged.emails) == (
        "Ana Ruiz",
        "Ruiz Bakery",
        "owner",
        ["ana@x.example"],
    )
    assert by_id[ana.id].lines == [2, 3] and by_id[ana.id].changed == ["org", "role"]
    assert by_id[bo.id].person.phones == ["555 0101"] and by_id[bo.id].reason.startswith(
        "same name as Bo Lee"
    )


def test_merging_fills_empty_fields_and_never_overwrites() -> None:
    ana = Person(name="Ana Ruiz", org="Old Bakery", notes="met at the fair", tags=["VIP"])
    contact = Contact(
        name="Ana Ruiz", org="New Bakery", notes="imported note", tags=["vip", "bread"], area="Old Town"
    )
    (step,) = plan_import(book_of(ana), [contact]).steps
    assert (step.person.org, step.person.notes, step.person.area) == (
        "Old Bakery",
        "met at the fair",
        "Old Town",
    )
    assert step.person.tags == ["VIP", "bread"]  # "vip" is the same tag in another case


def test_nothing_new_is_a_skip_that_writes_nothing() -> None:
    ana = Person(name="Ana Ruiz", emails=["ana@x.example"])
    plan = plan_import(book_of(ana), [Contact(name="Ana Ruiz", emails=["ana@x.example"], line=7)])
    (step,) = plan.steps
    assert step.action == "skip" and "nothing new" in step.reason and plan.records() == []


def test_duplicates_inside_the_file_are_added_once() -> None:
    contacts = [
        Contact(name="Cy Moss", emails=["cy@x.example"], line=2),
        Contact(name="Cyril Moss", emails=["CY@x.example"], phones=["555 0100"], line=3),
        Contact(name="cy moss", phones=["555 0199"], line=4),
    ]
    plan = plan_import(Book(), contacts)
    (step,) = plan.steps
    assert step.action == "add" and step.lines == [2, 3, 4]
    assert (step.person.name, step.person.phones) == ("Cy Moss", ["555 0100", "555 0199"])


def test_deleted_people_are_not_matched() -> None:
    gone = Person(name="Ana Ruiz", emails=["ana@x.example"], deleted=True)
    (step,) = plan_import(book_of(gone), [Contact(name="Ana Ruiz", emails=["ana@x.example"])]).steps
    assert step.action == "add" and step.person.id != gone.id


def test_tags_and_a_segment_for_everyone_the_file_brings() -> None:
    ana = Person(name="Ana Ruiz", emails=["ana@x.example"])
    club = Segment(name="LinkedIn")
    contacts = [Contact(name="Ana Ruiz", emails=["ana@x.example"]), Contact(name="Bo Lee")]
    plan = plan_import(book_of(ana, segments=(club,)), contacts, tags=["linkedin"], segment="linkedin")
    people = [step.person for step in plan.steps]
    assert all(p.tags == ["linkedin"] for p in people)
    (segment,) = plan.segments
    assert segment.id == club.id and set(segment.include) == {p.id for p in people}
    assert plan.records() == [*people, segment]


def test_progress_is_told_how_far_it_got() -> None:
    seen: list[int] = []
    plan_import(Book(), [Contact(name=f"P{n}") for n in range(450)], progress=seen.append)
    assert seen == [200, 400, 450]
