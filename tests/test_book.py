"""The Book: last contacts, open follow-ups, finding people by name, segment membership, score."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from meetup_tui.domain.book import Book, is_member, log_order, week_start, weekly_score
from meetup_tui.domain.errors import LookupFailed
from meetup_tui.domain.records import Interaction, Person, Post, Segment

MakeBook = Callable[..., Book]


def talk(at: str, *people: Person, outcome: str = "reached", **fields: object) -> Interaction:
    return Interaction(at=at, people=[p.id for p in people], outcome=outcome, **fields)  # type: ignore[arg-type]


# -- last contacts -----------------------------------------------------------------------


def test_last_contact_is_the_newest_real_conversation(make_book: MakeBook) -> None:
    ann = Person(name="Ann Lee")
    book = make_book(
        ann,
        talk("2026-10-01T10:00", ann),
        talk("2026-11-02T10:00", ann),
        talk("2026-10-15T10:00", ann),
    )
    assert book.last_contacts() == {ann.id: date(2026, 11, 2)}


def test_an_attempt_after_a_conversation_does_not_move_it(make_book: MakeBook) -> None:
    ann = Person(name="Ann Lee")
    book = make_book(
        ann,
        talk("2026-11-02T10:00", ann),
        talk("2026-11-20T10:00", ann, outcome="attempt", note="voicemail"),
    )
    assert book.last_contacts()[ann.id] == date(2026, 11, 2)


def test_only_attempts_mean_no_contact(make_book: MakeBook) -> None:
    ann = Person(name="Ann Lee")
    book = make_book(ann, talk("2026-11-20T10:00", ann, outcome="attempt"))
    assert ann.id not in book.last_contacts()


def test_a_deleted_interaction_does_not_count(make_book: MakeBook) -> None:
    ann = Person(name="Ann Lee")
    book = make_book(
        ann,
        talk("2026-11-02T10:00", ann),
        talk("2026-11-20T10:00", ann, deleted=True),
    )
    assert book.last_contacts()[ann.id] == date(2026, 11, 2)
    assert all(not i.deleted for i in book.interactions_with(ann.id))
    assert len(book.interactions_with(ann.id)) == 1


def test_one_interaction_with_three_people_resets_all_three(make_book: MakeBook) -> None:
    people = [Person(name=n) for n in ("Ann Lee", "Bo Chen", "Cy Diaz")]
    bystander = Person(name="Di Evans")
    book = make_book(
        *people,
        bystander,
        talk("2026-09-01T10:00", *people, bystander),
        talk("2026-11-20T18:00", *people, kind="event"),
    )
    last = book.last_contacts()
    assert [last[p.id] for p in people] == [date(2026, 11, 20)] * 3
    assert last[bystander.id] == date(2026, 9, 1)


def test_meeting_log_is_newest_first(make_book: MakeBook) -> None:
    ann = Person(name="Ann Lee")
    old, new, mid = (talk(at, ann) for at in ("2026-01-01T09:00", "2026-03-01T09:00", "2026-02-01T09:00"))
    book = make_book(ann, old, new, mid)
    assert [i.id for i in book.live_interactions()] == [new.id, mid.id, old.id]


# -- follow-ups --------------------------------------------------------------------------


def test_a_next_step_is_open_until_marked_done_whatever_is_logged_after(make_book: MakeBook) -> None:
    ann = Person(name="Ann Lee")
    step = talk("2026-11-02T10:00", ann, next_step="send price list", follow_up="2026-11-20")
    book = make_book(ann, step)
    assert book.open_steps(ann.id) == [step]

    book.put(talk("2026-11-22T10:00", ann, outcome="attempt"))
    book.put(talk("2026-11-23T10:00", ann, note="about something else"))
    assert book.open_steps(ann.id) == [step], "a later conversation never closes a step"

    book.put(replace(step, done="2026-11-23"))
    assert book.open_steps(ann.id) == []
    assert book.all_open_steps() == []


def test_every_open_step_is_kept_due_first_and_deleted_steps_do_not_count(make_book: MakeBook) -> None:
    ann = Person(name="Ann Lee")
    later = talk("2026-11-01T10:00", ann, next_step="call back", follow_up="2026-11-12")
    sooner = talk("2026-11-01T15:00", ann, next_step="send quote", follow_up="2026-11-10")
    undated = talk("2026-11-02T09:00", ann, next_step="ask about the van")
    gone = talk("2026-11-01T18:00", ann, next_step="gone", follow_up="2026-11-09", deleted=True)
    book = make_book(ann, later, gone, undated, sooner)
    assert [s.next_step for s in book.open_steps(ann.id)] == ["send quote", "call back", "ask about the van"]
    assert book.contact_index().of(ann.id).dated is sooner


def test_steps_due_the_same_day_resolve_the_same_way_in_any_order(make_book: MakeBook) -> None:
    ann = Person(name="Ann Lee")
    stamp = "2026-11-01T10:00:00.000000Z"
    one = talk("2026-11-01T10:00", ann, id="a", created_at=stamp, next_step="one", follow_up="2026-11-10")
    two = talk("2026-11-01T10:00", ann, id="b", created_at=stamp, next_step="two", follow_up="2026-11-10")
    assert make_book(ann, one, two).contact_index().of(ann.id).dated is one
    assert make_book(ann, two, one).contact_index().of(ann.id).dated is one
    assert make_book(ann, two, one).open_steps(ann.id) == make_book(ann, one, two).open_steps(ann.id)


# -- finding people ----------------------------------------------------------------------


@pytest.fixture
def crowd(make_book: MakeBook) -> Book:
    return make_book(
        Person(name="Ann Lee"),
        Person(name="Anna Smith"),
        Person(name="Bob Marley"),
        Person(name="Carla Brown", deleted=True),
    )


@pytest.mark.parametrize("typed", ["Ann Lee", "ann lee", "ANN  LEE ", "  aNN lEE"])
def test_full_name_any_case(crowd: Book, typed: str) -> None:
    assert crowd.find_person(typed).name == "Ann Lee"


def test_full_name_wins_over_a_longer_name_containing_it(crowd: Book) -> None:
    crowd.put(Person(name="Ann Lee-Jones"))
    assert crowd.find_person("ann lee").name == "Ann Lee"


@pytest.mark.parametrize(
    ("part", "name"), [("marley", "Bob Marley"), ("smith", "Anna Smith"), ("Lee", "Ann Lee")]
)
def test_a_part_only_one_person_has(crowd: Book, part: str, name: str) -> None:
    assert crowd.find_person(part).name == name


def test_an_ambiguous_part_lists_the_names(crowd: Book) -> None:
    with pytest.raises(LookupFailed) as caught:
        crowd.find_person("ann")
    message = str(caught.value)
    assert "'ann'" in message
    assert "Ann Lee" in message and "Anna Smith" in message
    assert "Bob Marley" not in message


@pytest.mark.parametrize("typed", ["Zed", "Carla Brown", "carla", ""])
def test_unknown_and_deleted_people_are_not_found(crowd: Book, typed: str) -> None:
    with pytest.raises(LookupFailed) as caught:
        crowd.find_person(typed)
    assert (repr(typed) if typed else "empty") in str(caught.value)


def test_two_people_with_the_same_full_name_are_never_guessed(make_book: MakeBook) -> None:
    book = make_book(Person(name="Sam Jones", org="Bakery"), Person(name="Sam Jones", org="Gym"))
    with pytest.raises(LookupFailed) as caught:
        book.find_person("sam jones")
    assert "2 people" in str(caught.value)
    assert str(caught.value).count("Sam Jones") == 2


def test_find_people_keeps_order_and_drops_repeats(crowd: Book) -> None:
    found = crowd.find_people(["marley", "Ann Lee", "bob marley"])
    assert [p.name for p in found] == ["Bob Marley", "Ann Lee"]


def test_find_segment_by_name_any_case(make_book: MakeBook) -> None:
    runners = Segment(name="Runners' club")
    book = make_book(runners, Segment(name="Old", deleted=True))
    assert book.find_segment(" runners' CLUB ") is runners
    assert book.find_segment("old") is None


# -- segments ----------------------------------------------------------------------------


def test_include_and_exclude_beat_the_rule() -> None:
    local = Person(name="Ann", area="Old Town", tags=["runner"])
    away = Person(name="Bob", area="Harbour")
    segment = Segment(name="Old Town", rule={"area": "old town"})
    assert is_member(segment, local)
    assert not is_member(segment, away)
    segment.include.append(away.id)
    assert is_member(segment, away)
    segment.exclude.extend([local.id, away.id])
    assert not is_member(segment, local)
    assert not is_member(segment, away), "exclude wins over include"


def test_no_rule_and_no_lists_means_no_members() -> None:
    assert not is_member(Segment(name="Empty"), Person(name="Ann"))


@pytest.mark.parametrize(
    ("rule", "member"),
    [
        ({"tags": ["runner", "cyclist"]}, True),  # any one tag is enough
        ({"tags": ["runner", "cyclist"], "tags_mode": "any"}, True),
        ({"tags": ["runner", "cyclist"], "tags_mode": "all"}, False),  # every tag needed
        ({"tags": ["runner"], "tags_mode": "all"}, True),
        ({"tags": ["swimmer"]}, False),
        ({"stage": "lead"}, True),
        ({"stage": "customer"}, False),
        ({"min_influence": 4}, True),
        ({"min_influence": 5}, False),
        ({"min_influence": 0}, True),
        ({"owner": "alex"}, True),
        ({"owner": "sam"}, False),
        (
            {"tags": ["runner"], "stage": "lead", "area": "OLD TOWN", "min_influence": 3, "owner": "alex"},
            True,
        ),
        ({"tags": ["runner"], "stage": "lead", "area": "Harbour"}, False),  # every condition must hold
        ({"tags": ["runner"], "min_influence": 5}, False),
    ],
)
def test_rule_conditions_combine(rule: dict[str, object], member: bool) -> None:
    person = Person(name="Ann", area="Old Town", tags=["runner"], stage="lead", influence=4, owner="alex")
    assert is_member(Segment(name="S", rule=rule), person) is member


def test_members_and_segments_of_leave_tombstones_out(make_book: MakeBook) -> None:
    ann = Person(name="Ann", tags=["runner"])
    gone = Person(name="Gone", tags=["runner"], deleted=True)
    runners = Segment(name="Runners", rule={"tags": ["runner"]})
    old = Segment(name="Old runners", rule={"tags": ["runner"]}, deleted=True)
    book = make_book(ann, gone, runners, old)
    assert book.members(runners) == [ann]
    assert book.segments_of(ann) == [runners]


def test_segments_are_listed_by_name_then_id_whatever_the_insertion_order(make_book: MakeBook) -> None:
    a = Segment(id="b-id", name="Same")
    b = Segment(id="a-id", name="same")
    c = Segment(name="Alpha")
    assert make_book(a, b, c).live_segments() == make_book(c, b, a).live_segments() == [c, b, a]


def test_introduced_lists_live_people_brought_in_by_someone(make_book: MakeBook) -> None:
    ann = Person(name="Ann")
    bob = Person(name="Bob", introduced_by=ann.id)
    gone = Person(name="Gone", introduced_by=ann.id, deleted=True)
    assert make_book(ann, bob, gone).introduced(ann.id) == [bob]


# -- score -------------------------------------------------------------------------------


def test_week_start_is_monday() -> None:
    assert week_start(date(2026, 11, 26)) == date(2026, 11, 23)
    assert week_start(date(2026, 11, 23)) == date(2026, 11, 23)
    assert week_start(date(2026, 11, 29)) == date(2026, 11, 23)


def test_weekly_score_buckets_by_week(make_book: MakeBook) -> None:
    today = date(2026, 11, 26)  # Thursday; this week began Monday 23rd
    ann = Person(name="Ann")
    book = make_book(
        ann,
        talk("2026-11-23T08:00", ann),  # this week, Monday
        talk("2026-11-26T09:00", ann),  # this week, today
        talk("2026-11-26T09:30", ann, outcome="attempt"),  # attempts are not conversations
        talk("2026-11-25T09:30", ann, deleted=True),
        talk("2026-11-22T20:00", ann),  # last week, Sunday
        talk("2026-10-05T10:00", ann),  # 7 weeks back: the oldest bucket
        talk("2026-09-28T10:00", ann),  # 8 weeks back: outside
        talk("2026-11-28T10:00", ann),  # later this week: not yet
        Post(platform="instagram", at="2026-11-24T12:00", likes=40),
        Post(platform="instagram", at="2026-11-25T12:00", likes=2),
        Post(platform="facebook", at="2026-11-16T12:00", likes=7),
        Post(platform="facebook", at="2026-11-17T12:00", likes=9, deleted=True),
    )
    score = weekly_score(book, today)
    assert len(score) == 8
    assert score[-1] == (2, 2, 42)
    assert score[-2] == (1, 1, 7)
    assert score[0] == (1, 0, 0)
    assert sum(c for c, _, _ in score) == 4


def test_weekly_score_honours_the_number_of_weeks(make_book: MakeBook) -> None:
    ann = Person(name="Ann")
    book = make_book(ann, talk("2026-11-10T10:00", ann))
    assert weekly_score(book, date(2026, 11, 26), weeks=2) == [(0, 0, 0), (0, 0, 0)]
    assert weekly_score(book, date(2026, 11, 26), weeks=3) == [(1, 0, 0), (0, 0, 0), (0, 0, 0)]


def test_newest_interactions_are_the_log_head_and_count_only_live_entries(make_book: MakeBook) -> None:
    ana = Person(name="Ana")
    log = [Interaction(at=f"2026-11-{day:02d}T10:00", people=[ana.id], note=str(day)) for day in range(1, 21)]
    book = make_book(ana, *log, replace(log[-1], deleted=True))
    newest, total = book.newest_interactions(3)
    assert [i.note for i in newest] == ["19", "18", "17"]  # the 20th is deleted
    assert total == 19
    assert newest == book.live_interactions()[:3]


ENTRIES = st.lists(
    st.builds(
        Interaction,
        at=st.sampled_from(["2026-11-01T10:00", "2026-11-02T09:00", "2026-11-02T09:00", "2026-11-03T08:00"]),
        created_at=st.sampled_from(["2026-11-01T10:00:00Z", "2026-11-04T10:00:00Z"]),
        people=st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=3, unique=True),
        outcome=st.sampled_from(["reached", "attempt", "noted"]),
        next_step=st.sampled_from(["", "call back"]),
        follow_up=st.sampled_from([None, "2026-11-10", "2026-11-12"]),
        learned=st.sampled_from(["", "wants a quote"]),
        done=st.sampled_from(["", "", "2026-11-05"]),
        deleted=st.booleans(),
    ),
    max_size=12,
)


@given(entries=ENTRIES)
def test_the_contact_index_says_what_reading_the_whole_log_says(entries: list[Interaction]) -> None:
    """Per person: the newest contact, talk, attempt and lesson in log order, every open step
    and the one due first, whatever the order the entries come in and however they tie."""
    book = Book()
    for entry in entries:
        book.put(entry)
    index = book.contact_index()
    for pid in ("a", "b", "c"):
        theirs = [e for e in book.interactions.values() if pid in e.people and not e.deleted]

        def newest(items: list[Interaction]) -> Interaction | None:
            return max(items, key=log_order, default=None)

        log = index.of(pid)
        contacts = [e for e in theirs if e.outcome != "noted"]
        assert log.last_any == max((e.at for e in contacts), default="")
        assert log.last_talk is newest([e for e in theirs if e.outcome == "reached"])
        assert log.last_attempt is newest([e for e in theirs if e.outcome == "attempt"])
        assert log.learned is newest([e for e in theirs if e.learned])
        steps = [e for e in theirs if (e.next_step or e.follow_up) and not e.done]
        assert sorted(map(id, log.steps)) == sorted(map(id, steps))
        dated = [e for e in steps if e.follow_up]
        assert log.dated is min(dated, key=lambda e: (e.follow_up, log_order(e)), default=None)


def _log_facts(book: Book) -> dict[str, tuple[object, ...]]:
    """What the contact index says per person, by ids (to compare two indexes)."""

    def key(item: Interaction | None) -> str | None:
        return item.id if item else None

    return {
        pid: (
            log.last_any, log.last_reached, key(log.last_talk), key(log.last_attempt), key(log.dated),
            key(log.learned), sorted(map(key, log.steps)), sorted(map(key, log.entries)),
        )
        for pid, log in book.contact_index().people.items()
    }  # fmt: skip


CHANGES = st.lists(st.tuples(st.integers(0, 11), ENTRIES.map(lambda e: e[:1])), max_size=8)


@given(first=ENTRIES, changes=CHANGES)
def test_the_log_indexes_kept_up_to_date_by_changes_equal_ones_built_afresh(first, changes) -> None:
    """Edits, tombstones and new entries put into a book whose contact index and log order
    exist already update them; the result is what building them afresh gives."""
    book = Book()
    for entry in first:
        book.put(entry)
    book.contact_index(), book.log_order()  # built now: from here on kept up to date by `put`
    for pick, new in changes:
        if first and new and pick % 2:  # an edit of an entry already there (or its tombstone)
            held = list(book.interactions.values())[pick % len(book.interactions)]
            book.put(replace(new[0], id=held.id))
        elif new:
            book.put(new[0])
    afresh = Book(interactions=dict(book.interactions))
    assert _log_facts(book) == _log_facts(afresh)
    assert list(book.log_order().newest()) == list(afresh.log_order().newest()) == book.live_interactions()
    kept, built = book.log_order().talks, afresh.log_order().talks
    assert {d: n for d, n in kept.items() if n} == {d: n for d, n in built.items() if n}  # talks per day
    live = [e for e in book.interactions.values() if not e.deleted]
    newest_first = sorted(live, key=log_order, reverse=True)
    assert [e.id for e in book.live_interactions()] == [e.id for e in newest_first]
