"""Field versions under whole histories: several copies of one book, each edited by its own
person and now and then taking in another copy, as machines behind a sync client do.

Whatever the history, merging the copies in any order and grouping gives one book; every
field ends with the value of its newest edit; every set element is there exactly when its
newest edit added it; and merging in a copy from earlier in the history changes nothing.
"""

from __future__ import annotations

import dataclasses
import functools
import random
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from meetup_tui.domain.book import Book
from meetup_tui.domain.merge import merge_books
from meetup_tui.domain.records import Person, Segment
from meetup_tui.domain.versions import edit, merge_records

AUTHORS = ("ana@laptop", "bob@office", "cy@phone")
SCALARS = {"name": ["Ada", "Ada L.", "Ada Lovelace"], "notes": ["", "likes gravel", "two kids"],
           "influence": [0, 3, 5], "snoozed_until": [None, "2026-12-11"], "deleted": [False, True]}  # fmt: skip
SETS = {"phones": ["555", "777", "888"], "tags": ["runner", "vip", "coach"]}
MEMBERS = ["p1", "p2", "p3", "p4"]

# One step: ("edit", copy, field, value-or-element, add?) or ("take", copy, other copy).
STEPS = st.one_of(
    st.tuples(
        st.just("edit"), st.integers(0, 2), st.sampled_from(sorted(SCALARS)), st.integers(0, 2), st.just(True)
    ),
    st.tuples(
        st.just("edit"), st.integers(0, 2), st.sampled_from(sorted(SETS)), st.integers(0, 2), st.booleans()
    ),
    st.tuples(st.just("member"), st.integers(0, 2), st.integers(0, 3), st.booleans(), st.just(True)),
    st.tuples(st.just("take"), st.integers(0, 2), st.integers(0, 2), st.just(0), st.just(True)),
)


def stamp(n: int) -> str:
    return f"2026-11-{1 + n // 86400:02d}T{n // 3600 % 24:02d}:{n // 60 % 60:02d}:{n % 60:02d}.000000Z"


@dataclasses.dataclass
class History:
    copies: list[Book]
    snapshots: list[Book]
    newest: dict[str, tuple[str, Any]]  # field (or "set:element") -> (version, value / present)


def play(steps: list[tuple[Any, ...]]) -> History:
    person = Person(id="p", created_at=stamp(0), updated_by="ana@laptop", name="Ada", phones=["555"])
    segment = Segment(id="s", created_at=stamp(0), updated_by="ana@laptop", name="Riders")
    start = Book(people={"p": person}, segments={"s": segment})
    copies = [start, Book(people=dict(start.people), segments=dict(start.segments)), start]
    newest: dict[str, tuple[str, Any]] = {}
    snapshots = [start]
    for clock, (what, who, name, pick, add) in enumerate(steps, start=1):
        author, when = AUTHORS[who], stamp(clock)
        version = f"{when} {author}"
        book = copies[who]
        if what == "take":
            copies[who] = merge_books(book, copies[name])
        elif what == "member":
            seg = book.segments["s"]
            element = MEMBERS[name]
            wanted = [m for m in seg.include if m != element] + ([element] if pick else [])
            changed = edit(seg, {"include": wanted}, when, author)
            copies[who] = dataclasses.replace(book, segments={"s": changed})
            if changed is not seg:
                newest[f"include:{element}"] = (version, pick)
        else:
            held = book.people["p"]
            if name in SETS:
                element = SETS[name][pick]
                current = getattr(held, name)
                wanted = [e for e in current if e != element] + ([element] if add else [])
                changed = edit(held, {name: wanted}, when, author)
                key, value = f"{name}:{element}", add
            else:
                choice = SCALARS[name][pick % len(SCALARS[name])]
                changed = edit(held, {name: choice}, when, author)
                key, value = name, choice
            copies[who] = dataclasses.replace(book, people={"p": changed})
            if changed is not held:
                newest[key] = (version, value)
        snapshots.append(copies[who])
    return History(copies, snapshots, newest)


def doc(book: Book) -> dict[str, Any]:
    return {"p": book.people["p"].to_doc(), "s": book.segments["s"].to_doc()}


HISTORIES = settings(max_examples=300, deadline=None)


@HISTORIES
@given(st.lists(STEPS, max_size=25), st.randoms(use_true_random=False))
def test_any_order_and_grouping_gives_one_book(steps: list[tuple[Any, ...]], rnd: random.Random) -> None:
    history = play(steps)
    everything = [*history.copies, *history.snapshots]
    left = functools.reduce(merge_books, everything)
    shuffled = everything[:]
    rnd.shuffle(shuffled)
    right = functools.reduce(lambda a, b: merge_books(b, a), shuffled)
    # a random tree: pairs merged first
    while len(shuffled) > 1:
        i = rnd.randrange(len(shuffled) - 1)
        shuffled[i : i + 2] = [merge_books(shuffled[i], shuffled[i + 1])]
    assert doc(left) == doc(right) == doc(shuffled[0])


@HISTORIES
@given(st.lists(STEPS, max_size=25))
def test_no_fields_newest_value_is_ever_lost(steps: list[tuple[Any, ...]]) -> None:
    history = play(steps)
    merged = functools.reduce(merge_books, history.copies)
    person, segment = merged.people["p"], merged.segments["s"]
    for key, (_version, value) in history.newest.items():
        if key.startswith("include:"):
            assert (key.split(":")[1] in segment.include) == value, key
        elif ":" in key:
            name, element = key.split(":")
            assert (element in getattr(person, name)) == value, key
        elif key == "deleted":
            edits_after = [
                v
                for k, (v, _) in history.newest.items()
                if k != "deleted" and not k.startswith("include:") and v > _version
            ]
            assert person.deleted == (value and not edits_after)
        else:
            assert getattr(person, key) == value, key


@HISTORIES
@given(st.lists(STEPS, max_size=25), st.data())
def test_an_older_copy_merged_in_changes_nothing(steps: list[tuple[Any, ...]], data: st.DataObject) -> None:
    history = play(steps)
    merged = functools.reduce(merge_books, history.copies)
    older = data.draw(st.sampled_from(history.snapshots))
    assert doc(merge_books(merged, older)) == doc(merged)
    assert merge_records(merged.people["p"], older.people["p"]) is merged.people["p"]
