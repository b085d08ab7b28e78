"""The demo book: deterministic, believable, consistent, and a sensible morning's outreach."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import tinydb

from meetup_tui.demo import DEMO_USER, build_demo, write_demo
from meetup_tui.domain.book import Book, weekly_score
from meetup_tui.domain.cadence import cadence_days
from meetup_tui.domain.outreach import rank_today
from meetup_tui.domain.records import CHANNELS, KINDS, OUTCOMES, STAGES, TABLES
from meetup_tui.store.database import Database

TODAY = date(2026, 11, 26)
# A Thursday, a Monday, the last day of a leap February, and New Year's Day.
TODAYS = [TODAY, date(2026, 11, 30), date(2028, 2, 29), date(2027, 1, 1)]


@pytest.fixture(scope="module")
def book() -> Book:
    return build_demo(TODAY)


def docs(book: Book) -> list[dict[str, object]]:
    return [record.to_doc() for record in book.records()]


def shifted(value: str | None, days: int) -> str | None:
    """An ISO date or date-time string moved by `days` (the time of day kept)."""
    if value is None or value.startswith("--"):
        return value
    if "T" not in value:
        return (date.fromisoformat(value) + timedelta(days=days)).isoformat()
    head, _, tail = value.partition("T")
    return f"{(date.fromisoformat(head) + timedelta(days=days)).isoformat()}T{tail}"


# -- determinism ------------------------------------------------------------------------------


def test_same_today_and_seed_give_identical_docs() -> None:
    assert docs(build_demo(TODAY)) == docs(build_demo(TODAY))


def test_another_seed_gives_another_book() -> None:
    assert set(build_demo(TODAY, seed=8).people) != set(build_demo(TODAY).people)


def test_a_week_later_every_date_moves_by_a_week() -> None:
    before, after = build_demo(TODAY), build_demo(TODAY + timedelta(days=7))
    assert set(before.interactions) == set(after.interactions)
    for rid, item in before.interactions.items():
        moved = after.interactions[rid]
        assert moved.at == shifted(item.at, 7)
        assert moved.follow_up == shifted(item.follow_up, 7)
        assert moved.created_at == shifted(item.created_at, 7)
    for pid, person in before.people.items():
        assert after.people[pid].snoozed_until == shifted(person.snoozed_until, 7)
        assert after.people[pid].created_at == shifted(person.created_at, 7)
    assert [p.at for p in after.posts.values()] == [shifted(p.at, 7) for p in before.posts.values()]


def test_timestamps_come_from_today_not_the_clock() -> None:
    long_ago = date(2001, 5, 5)
    old = build_demo(long_ago)
    for record in old.records():
        assert record.created_at.endswith("Z")
        stamp = datetime.fromisoformat(record.created_at.replace("Z", "+00:00"))
        assert stamp.date() <= long_ago
        assert record.updated_at == record.created_at
        assert record.id == str(record.id).lower() and len(record.id) == 36


# -- content ----------------------------------------------------------------------------------


def test_counts_are_in_the_expected_ranges(book: Book) -> None:
    assert 50 <= len(book.people) <= 70
    assert 5 <= len(book.segments) <= 7
    assert 200 <= len(book.interactions) <= 300
    assert len(book.posts) >= 5


def test_every_stage_is_represented_and_fields_are_valid(book: Book) -> None:
    people = book.live_people()
    assert {p.stage for p in people} == set(STAGES)
    assert all(0 <= p.influence <= 5 for p in people)
    assert 3 <= sum(p.influence >= 4 for p in people) <= 10
    assert all(p.channel in CHANNELS or p.channel == "" for p in people)
    assert {p.owner for p in people} == {DEMO_USER, "sam@spoke-and-chain", "jo@spoke-and-chain"}
    cadences = {p.cadence for p in people}
    assert "" in cadences and len(cadences - {""}) >= 4
    assert all(cadence_days(rule) >= 7 for rule in cadences - {""})
    assert any(p.birthday for p in people)
    assert sum(bool(p.challenges or p.wants or p.needs) for p in people) >= len(people) // 2


def test_phones_share_one_local_format_and_differ(book: Book) -> None:
    phones = [phone for p in book.live_people() for phone in p.phones]
    assert len(phones) == len(set(phones)) == len(book.people)
    assert all(re.fullmatch(r"07700 900\d{3}", phone) for phone in phones)


def test_names_and_text_are_plain(book: Book) -> None:
    for record in book.records():
        for value in record.to_doc().values():
            if isinstance(value, str):
                assert not re.search(r"[\x00-\x1f\x7f-\x9f]", value)
                assert "[" not in value and "]" not in value


def test_interactions_are_a_year_of_believable_log(book: Book) -> None:
    log = book.live_interactions()
    assert {i.kind for i in log} <= set(KINDS)
    assert {"reached", "attempt"} <= {i.outcome for i in log} <= set(OUTCOMES)
    attempts = sum(not i.reached for i in log) / len(log)
    assert 0.08 <= attempts <= 0.25
    assert sum(len(i.people) > 1 for i in log) >= 5
    assert all(i.note for i in log)
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d", i.at) for i in log)
    assert all(7 <= i.when.hour <= 20 for i in log)
    assert min(i.when.date() for i in log) >= TODAY - timedelta(days=366)
    assert {i.logged_by for i in log} == {DEMO_USER, "sam@spoke-and-chain", "jo@spoke-and-chain"}


def test_references_point_at_people_in_the_book(book: Book) -> None:
    ids = set(book.people)
    for item in book.interactions.values():
        assert item.people and set(item.people) <= ids
    introduced = [p for p in book.people.values() if p.introduced_by]
    assert len(introduced) >= 10
    assert {p.introduced_by for p in introduced} <= ids
    assert max(len(book.introduced(pid)) for pid in ids) >= 4  # a real connector
    for segment in book.segments.values():
        assert set(segment.include) | set(segment.exclude) <= ids


def test_nothing_happens_after_today(book: Book) -> None:
    assert all(i.when.date() <= TODAY for i in book.interactions.values())
    assert all(datetime.fromisoformat(p.at).date() <= TODAY for p in book.posts.values())


def test_every_segment_has_members(book: Book) -> None:
    segments = book.live_segments()
    assert all(s.description for s in segments)
    assert any(s.rule.get("owner") for s in segments) and any(s.include for s in segments)
    for segment in segments:
        assert book.members(segment), segment.name


def test_someone_is_snoozed_until_after_today(book: Book) -> None:
    snoozed = [p for p in book.live_people() if p.snoozed_on(TODAY)]
    assert 1 <= len(snoozed) <= 3
    ranked = {s.person.id for s in rank_today(book, TODAY)}
    assert not ranked & {p.id for p in snoozed}


def test_a_user_running_the_demo_takes_alexs_place() -> None:
    mine = build_demo(TODAY, user="bob@office")
    owners = {p.owner for p in mine.live_people()}
    assert "bob@office" in owners and DEMO_USER not in owners


# -- the morning ------------------------------------------------------------------------------


@pytest.mark.parametrize("today", TODAYS, ids=str)
def test_rank_today_gives_a_sensible_morning(today: date) -> None:
    book = build_demo(today)
    ranked = rank_today(book, today)
    reasons = [reason for s in ranked for reason in s.reasons]
    assert len(ranked) >= 8
    assert any(r.startswith("follow-up ") for r in reasons)  # "due: ..." or "3 days overdue: ..."
    assert any(r.startswith("last talked ") for r in reasons)
    assert 1 <= sum(r.startswith("never talked") for r in reasons) <= 4
    assert len(book.people) - len(ranked) >= len(book.people) // 2  # most were talked to lately
    top = ranked[:5]
    assert all(s.person.influence >= 1 for s in top)
    assert not any(r.startswith("never talked") for s in top for r in s.reasons)


@pytest.mark.parametrize("today", TODAYS, ids=str)
def test_weekly_score_has_conversations_most_weeks(today: date) -> None:
    weeks = weekly_score(build_demo(today), today)
    assert sum(talks > 0 for talks, _posts, _likes in weeks) >= 6
    assert sum(posts for _talks, posts, _likes in weeks) >= 5
    assert all(likes > 0 for _talks, posts, likes in weeks if posts)


# -- the file ---------------------------------------------------------------------------------


def test_write_demo_writes_a_file_that_reads_back(tmp_path: Path) -> None:
    path = tmp_path / "demo" / "meetup.json"
    written = write_demo(path, TODAY)
    book = build_demo(TODAY)
    reopened = Database.open(path, user=DEMO_USER)
    for table, kind in TABLES.items():
        expected = set(book.table(kind))
        assert set(written.book.table(kind)) == expected, table
        assert set(reopened.book.table(kind)) == expected, table
    assert docs(reopened.book) == docs(book)
    raw = tinydb.TinyDB(path)
    try:
        names = {doc["name"] for doc in raw.table("people").all()}
    finally:
        raw.close()
    assert names == {p.name for p in book.people.values()}


def test_importing_the_demo_does_not_import_textual() -> None:
    code = "import sys, meetup_tui.demo; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
