"""The log's query line (domain/log_query.py): who, segment, kind, outcome, since, until and
words, read against real Books; the newest window of the matches, counted; one sentence for
every line that cannot be read."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from meetup_tui.domain.book import Book
from meetup_tui.domain.errors import UserError
from meetup_tui.domain.log_query import (
    LogQuery,
    describe,
    find_entries,
    parse_query,
    period,
    search_log,
    terms,
)
from meetup_tui.domain.records import KINDS, Interaction, Person, Segment

TODAY = date(2026, 11, 26)  # a Thursday


def entry(at: str, *people: Person, **fields: object) -> Interaction:
    return Interaction(at=at, people=[p.id for p in people], **fields)  # type: ignore[arg-type]


@pytest.fixture
def shop() -> tuple[Book, dict[str, Person], dict[str, Interaction]]:
    people = {
        "maya": Person(name="Maya Patel"),
        "mayo": Person(name="Mayo Brandt"),
        "unal": Person(name="Ünal Demir"),
        "soren": Person(name="Søren Lind"),
        "bo": Person(name="Bo Lee"),
    }
    p = people
    log = {
        "coffee_oct": entry("2026-10-03T10:00", p["maya"], kind="coffee", note="Talked tyres at Café Sol"),
        "call_oct": entry("2026-10-20T09:00", p["maya"], p["bo"], outcome="attempt", note="No answer"),
        "visit_nov": entry("2026-11-02T14:00", p["unal"], kind="visit", learned="Wants a CARGO bike"),
        "call_lastweek": entry("2026-11-18T11:00", p["soren"], next_step="Send the price list"),
        "coffee_today": entry("2026-11-26T08:30", p["maya"], p["soren"], kind="coffee", note="Crème brûlée"),
        "lunch_2025": entry("2025-12-30T12:00", p["bo"], kind="lunch", note="Year-end lunch"),
    }
    gone = entry("2026-11-25T10:00", p["maya"], note="deleted one")
    gone.deleted = True
    book = Book()
    for record in [*people.values(), *log.values(), gone]:
        book.put(record)
    book.put(Segment(name="Racing club", include=[p["bo"].id, p["unal"].id]))
    book.put(Segment(name="Regulars", rule={"tags": ["regular"]}))
    return book, people, log


def found(book: Book, text: str, limit: int = 50) -> list[str]:
    """The ids of what `text` finds, newest first."""
    return [item.id for item in search_log(book, text, TODAY, limit)[1].newest]


def ids(log: dict[str, Interaction], *names: str) -> list[str]:
    return [log[name].id for name in names]


def error_of(book: Book, text: str) -> str:
    with pytest.raises(UserError) as raised:
        parse_query(text, book, TODAY)
    return str(raised.value)


# -- who ---------------------------------------------------------------------------------


def test_who_by_full_name_in_any_case_quoted_newest_first(shop) -> None:
    book, _, log = shop
    assert found(book, 'who:"maya PATEL"') == ids(log, "coffee_today", "call_oct", "coffee_oct")


def test_who_by_a_part_only_one_person_has(shop) -> None:
    book, _, log = shop
    assert found(book, "who:patel") == found(book, 'who:"Maya Patel"')
    assert found(book, "WHO:lee") == ids(log, "call_oct", "lunch_2025")


def test_who_folds_accents_either_way(shop) -> None:
    book, _, log = shop
    assert found(book, "who:unal") == ids(log, "visit_nov")
    assert found(book, "who:soren") == found(book, "who:Søren") == ids(log, "coffee_today", "call_lastweek")


def test_who_a_part_many_people_have_names_them(shop) -> None:
    book, _, _ = shop
    assert error_of(book, "who:may") == (
        "'may' matches 2 people (Maya Patel, Mayo Brandt); give more of the name, like who:\"Maya Patel\"."
    )


def test_who_nobody(shop) -> None:
    book, _, _ = shop
    assert error_of(book, "who:zed") == "No one is called 'zed'."


def test_two_who_terms_want_both_people_there(shop) -> None:
    book, _, log = shop
    assert found(book, "who:maya who:soren") == ids(log, "coffee_today")


def test_two_people_with_the_very_same_name_are_one_history(shop) -> None:
    book, _, log = shop
    twin = Person(name="Maya Patel")
    book.put(twin)
    book.put(extra := entry("2026-11-20T10:00", twin, note="the other Maya"))
    assert found(book, 'who:"Maya Patel"') == [
        log["coffee_today"].id,
        extra.id,
        *ids(log, "call_oct", "coffee_oct"),
    ]


def test_who_keeps_its_people_when_they_are_renamed(shop) -> None:
    """The screen refills with the query it read: a rename must not lose the history."""
    book, people, log = shop
    query = parse_query("who:maya", book, TODAY)
    book.put(Person(id=people["maya"].id, name="Maya Okafor"))
    assert [i.id for i in find_entries(book.interactions.values(), query.filter(book), 9).newest] == ids(
        log, "coffee_today", "call_oct", "coffee_oct"
    )


# -- segment, kind, outcome ---------------------------------------------------------------


def test_segment_finds_entries_with_any_member(shop) -> None:
    book, _, log = shop
    assert found(book, 'segment:"racing club"') == ids(log, "visit_nov", "call_oct", "lunch_2025")
    assert found(book, "segment:racing") == found(book, 'segment:"Racing club"')
    assert found(book, "segment:regulars") == []  # a rule nobody meets: no members, no entries


def test_segment_unknown_or_ambiguous(shop) -> None:
    book, _, _ = shop
    assert error_of(book, "segment:knitting") == "No segment is called 'knitting'."
    assert (
        error_of(book, "segment:r")
        == "'r' matches 2 segments (Racing club, Regulars); give more of the name."
    )


def test_kind_one_or_several_or_a_unique_start(shop) -> None:
    book, _, log = shop
    assert found(book, "kind:coffee") == ids(log, "coffee_today", "coffee_oct")
    assert found(book, "kind:cof") == found(book, "kind:COFFEE")
    assert found(book, "kind:lunch,visit") == ids(log, "visit_nov", "lunch_2025")


def test_kind_not_a_kind_says_which_are(shop) -> None:
    book, _, _ = shop
    assert error_of(book, "kind:tea") == (
        "kind must be one of call, coffee, lunch, visit, event, chance or message (not 'tea')."
    )
    assert error_of(book, "kind:c") == "kind:c could be call, coffee or chance; type more of it."


def test_outcome(shop) -> None:
    book, _, log = shop
    assert found(book, "outcome:attempt") == ids(log, "call_oct")
    assert found(book, "outcome:att who:maya") == ids(log, "call_oct")
    assert len(found(book, "outcome:reached")) == 5
    assert found(book, "outcome:noted") == []
    assert error_of(book, "outcome:maybe") == "outcome must be one of reached, attempt or noted (not 'maybe')."


# -- since and until ----------------------------------------------------------------------


def test_a_month_since_and_until(shop) -> None:
    book, _, log = shop
    assert found(book, "since:2026-11") == ids(log, "coffee_today", "call_lastweek", "visit_nov")
    assert found(book, "until:2026-10") == ids(log, "call_oct", "coffee_oct", "lunch_2025")
    assert found(book, "since:2026-10 until:2026-10") == ids(log, "call_oct", "coffee_oct")


@pytest.mark.parametrize(
    ("words", "first", "last"),
    [
        ("2026-10-20", date(2026, 10, 20), date(2026, 10, 20)),
        ("yesterday", date(2026, 11, 25), date(2026, 11, 25)),
        ("3w", date(2026, 11, 5), date(2026, 11, 5)),
        ("dec 12", date(2025, 12, 12), date(2025, 12, 12)),  # words count back: logs are the past
        ("2026-02", date(2026, 2, 1), date(2026, 2, 28)),
        ("oct", date(2026, 10, 1), date(2026, 10, 31)),
        ("December", date(2025, 12, 1), date(2025, 12, 31)),  # the latest December begun
        ("sept 2024", date(2024, 9, 1), date(2024, 9, 30)),
        ("2025", date(2025, 1, 1), date(2025, 12, 31)),
        ("this week", date(2026, 11, 23), date(2026, 11, 29)),
        ("last week", date(2026, 11, 16), date(2026, 11, 22)),
        ("last month", date(2026, 10, 1), date(2026, 10, 31)),
        ("this year", date(2026, 1, 1), date(2026, 12, 31)),
    ],
)
def test_a_date_is_a_period_since_takes_its_first_day_and_until_its_last(
    words: str, first: date, last: date
) -> None:
    assert period("since", words, TODAY) == (first, last)


def test_last_week_with_or_without_quotes(shop) -> None:
    book, _, log = shop
    assert found(book, 'since:"last week" until:"last week"') == ids(log, "call_lastweek")
    assert found(book, "since:last week until:last week") == ids(log, "call_lastweek")
    assert terms("since:last week tyres") == terms('since:"last week" tyres')


def test_a_date_that_cannot_be_read(shop) -> None:
    book, _, _ = shop
    assert error_of(book, "since:soonish") == (
        "Could not read 'soonish' as a date for since:; try since:2026-10-12, since:2026-10, "
        'since:"last week" or since:3w.'
    )
    assert "as a date for until:" in error_of(book, "until:2026-13")


def test_since_after_until_says_nothing_can_match(shop) -> None:
    book, _, _ = shop
    assert error_of(book, "since:2026-11 until:2026-10") == (
        "since:2026-11 starts after until:2026-10 ends, so no entry can be in between."
    )


# -- words and the line itself --------------------------------------------------------------


def test_bare_words_are_looked_for_in_note_learned_and_next_step_accents_folded(shop) -> None:
    book, _, log = shop
    assert found(book, "cargo") == ids(log, "visit_nov")  # learned, any case
    assert found(book, "PRICE list") == ids(log, "call_lastweek")  # next step, every word
    assert found(book, "cafe") == ids(log, "coffee_oct")  # "Café"
    assert found(book, "creme brulee") == ids(log, "coffee_today")
    assert found(book, '"list price"') == []  # a phrase is one word
    assert found(book, "who:maya tyres kind:coffee") == ids(log, "coffee_oct")


def test_a_term_it_does_not_know_or_without_a_value(shop) -> None:
    book, _, _ = shop
    assert error_of(book, "place:cafe") == (
        "place: is not a term; use who:, segment:, kind:, outcome:, since: or until: "
        "(put other words with a colon in quotes)."
    )
    assert error_of(book, "who:") == 'who: needs a value, like who:maya or who:"Maya Patel".'
    assert error_of(book, "kind:,") == "kind: needs a value, like kind:coffee."
    assert found(book, '"re: tyres"') == []  # quoted, a colon is only a word


def test_a_quote_left_open_runs_to_the_end_of_the_line(shop) -> None:
    book, _, _ = shop
    assert found(book, 'who:"maya pat') == found(book, 'who:"Maya Patel"')
    assert terms('kind:call "no ans') == terms('kind:call "no ans"')


def test_an_empty_line_is_the_whole_log_without_tombstones(shop) -> None:
    book, _, log = shop
    query, window = search_log(book, "  ", TODAY, 50)
    assert query.is_everything and query.filter(book) is None
    assert [i.id for i in window.newest] == ids(
        log, "coffee_today", "call_lastweek", "visit_nov", "call_oct", "coffee_oct", "lunch_2025"
    )
    assert (window.matched, window.searched) == (6, 6)


def test_the_window_is_the_newest_few_and_counts_them_all(shop) -> None:
    book, _, log = shop
    _, window = search_log(book, "", TODAY, 2)
    assert [i.id for i in window.newest] == ids(log, "coffee_today", "call_lastweek")
    assert (window.matched, window.searched) == (6, 6)
    _, window = search_log(book, "kind:call", TODAY, 1)
    assert [i.id for i in window.newest] == ids(log, "call_lastweek") and window.matched == 2


def test_titles_say_what_is_shown(shop) -> None:
    book, _, _ = shop
    for text, title in [
        ('who:"Maya Patel"', "History of Maya Patel — 3 entries"),
        ("who:unal", "History of Ünal Demir — 1 entry"),
        ("who:maya  kind:coffee", "Meeting log — who:maya kind:coffee — 2 of 6"),
        ("", "Meeting log — 6 entries"),
    ]:
        query, window = search_log(book, text, TODAY, 50)
        assert describe(query, book, window) == title


def test_a_name_with_markup_or_escapes_is_only_text_in_the_title() -> None:
    book = Book()
    book.put(odd := Person(name="[bold]Ed[/] \x1b[31mMoss"))
    book.put(entry("2026-11-01T10:00", odd))
    query, window = search_log(book, "who:moss", TODAY, 5)
    assert describe(query, book, window) == "History of [bold]Ed[/] \\x1b[31mMoss — 1 entry"


def test_the_domain_query_never_loads_textual() -> None:
    code = "import sys, meetup_tui.domain.log_query; print(any(m.startswith('textual') for m in sys.modules))"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.stdout.strip() == "False", done.stderr


# -- properties ---------------------------------------------------------------------------

NAMES = ["Ana Ruiz", "Ana Ruiz", "Bo Lee", "Cy Öz", "Dee Park"]
WORDS = ["tyres", "cargo", "café", "lights", ""]


@st.composite
def logs(draw: st.DrawFn) -> tuple[Book, list[Person]]:
    """A small book whose entries tie often: the same minute, the same stamp."""
    people = [Person(id=f"p{n}", name=name) for n, name in enumerate(NAMES)]
    book = Book()
    for person in people:
        book.put(person)
    for n in range(draw(st.integers(0, 30))):
        day = date(2026, 11, 26) - timedelta(days=draw(st.integers(0, 90)))
        book.put(
            Interaction(
                id=f"e{n:02d}",
                created_at=f"2026-11-26T08:00:0{draw(st.integers(0, 2))}.000000Z",
                at=f"{day.isoformat()}T{draw(st.sampled_from(['09:00', '10:00']))}",
                people=[p.id for p in draw(st.lists(st.sampled_from(people), min_size=1, max_size=3))],
                kind=draw(st.sampled_from(KINDS[:3])),
                outcome=draw(st.sampled_from(["reached", "attempt"])),
                note=draw(st.sampled_from(WORDS)).upper(),
                learned=draw(st.sampled_from(WORDS)),
                deleted=draw(st.booleans()),
            )
        )
    return book, people


LINES = st.lists(
    st.sampled_from(
        ['who:"Ana Ruiz"', "who:bo", "who:oz", "kind:call", "kind:coffee,lunch", "outcome:attempt",
         "since:2026-10", "until:2026-10-15", "since:last month", "tyres", "cafe", "segment:club"]
    ),
    max_size=4,
).map(" ".join)  # fmt: skip


def by_hand(book: Book, line: str) -> list[Interaction]:
    """What the line should find, worked out entry by entry, and sorted whole."""
    wanted = []
    for item in book.interactions.values():
        names = {book.people[p].name for p in item.people}
        text = f"{item.note} {item.learned}".lower().replace("é", "e")
        checks = {
            'who:"Ana Ruiz"': "Ana Ruiz" in names,
            "who:bo": "Bo Lee" in names,
            "who:oz": "Cy Öz" in names,
            "kind:call": item.kind == "call",
            "kind:coffee,lunch": item.kind in ("coffee", "lunch"),
            "outcome:attempt": item.outcome == "attempt",
            "since:2026-10": item.at >= "2026-10-01",
            "until:2026-10-15": item.at < "2026-10-16",
            "since:last month": item.at >= "2026-10-01",
            "tyres": "tyres" in text,
            "cafe": "cafe" in text,
            "segment:club": bool({"Bo Lee", "Dee Park"} & names),
        }
        terms_in = [t for t in checks if t in line]
        if not item.deleted and all(checks[t] for t in terms_in):
            wanted.append(item)
    return sorted(wanted, key=lambda i: (i.at, i.created_at, i.id), reverse=True)


@settings(max_examples=150, deadline=None)
@given(logs(), LINES, st.integers(1, 8))
def test_the_window_is_the_top_of_the_whole_sorted_match(drawn, line: str, limit: int) -> None:
    book, _ = drawn
    book.put(Segment(id="club", name="Club", include=["p2", "p4"]))
    try:
        query, window = search_log(book, line, TODAY, limit)
    except UserError as exc:  # only "since:... starts after until:..." may refuse
        assert "starts after" in str(exc)
        return
    expected = by_hand(book, line)
    assert [i.id for i in window.newest] == [i.id for i in expected[:limit]]
    assert window.matched == len(expected)
    assert window.searched == sum(1 for i in book.interactions.values() if not i.deleted)
    assert isinstance(query, LogQuery)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from('who:kindsegmtcfuralp"- 0123456789,é\x1b[]'), max_size=40))
def test_any_line_is_read_or_refused_with_a_sentence(line: str) -> None:
    book = Book()
    book.put(Person(name="Ana Ruiz"))
    book.put(Segment(name="Club"))
    try:
        query = parse_query(line, book, TODAY)
    except UserError as exc:
        sentence = str(exc)
        assert sentence.endswith((".", "it.")) and "\n" not in sentence
    else:
        find_entries(book.interactions.values(), query.filter(book), 5)
