"""What the audience told you: the challenges, wants and needs heard, grouped when they
repeat, each with who said it and when.

What was heard is every log entry's "learned" (dated by the entry, said by its people)
and each person's challenges, wants and needs (dated by the field's last change).  What
one person said in the same key words ("Wants a winter service", "A winter service") is
listed once, the newest time.

The grouping is meant to be read, not trusted blindly: each text's *key words* are its
words in lower case, less the common ones (STOP_WORDS) and words of one or two letters,
a plural's "s" or "es" dropped ("plans" -> "plan", "wishes" -> "wish").  Every pair of
key words two or more texts share is a candidate; the pair shared by the most texts
(then the pair first in alphabetical order) makes the first group, of every text with
both words; the next pair groups what is left; and so on while a pair still joins two
texts.  A group is named by its pair ("winter service"), and what no pair joins is
listed once, as heard.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations

from meetup_tui.domain.book import Book
from meetup_tui.domain.records import Person
from meetup_tui.domain.text import one_line, plural

STOP_WORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each even ever every
    few for from further get gets getting got had has have having he her here hers him his how i
    if in into is it its just keep kind lot lots like may me more most much must my no nor not
    now of off on once one only or other our out over own really same she should so some still
    such than that the their them then there these they this those through thing things to too
    under until up us very was way we were what when where which while who whom why will with
    would you your want wanted need needed challenge wish hope asked ask say said told
    think maybe new old
    """.split()
)
FIELDS = (("challenges", "challenge"), ("wants", "want"), ("needs", "need"))
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")


@dataclass(frozen=True)
class Heard:
    text: str  # on one line
    kind: str  # "challenge", "want", "need", or "heard" (a log entry's learned)
    people: tuple[Person, ...]
    at: str  # ISO day or moment
    source: str  # the log entry's id, or the person's id for their own fields

    @property
    def names(self) -> str:
        return ", ".join(one_line(p.name) for p in self.people)


@dataclass(frozen=True)
class Group:
    words: tuple[str, ...]  # the pair of key words its texts share, as the newest says them
    items: list[Heard]  # newest first

    @property
    def people(self) -> int:
        return len({p.id for item in self.items for p in item.people})


def group_title(group: Group) -> str:
    """ "winter service — 6 times, from 5 people"."""
    people = plural(group.people, "person", "people")
    return f"{' '.join(group.words)} — {len(group.items)} times, from {people}"


def key_words(text: str) -> frozenset[str]:
    """The words that can group a text: see the module docstring."""
    found = set()
    for word in _WORD.findall(text.casefold()):
        word = word.split("'")[0]
        if len(word) > 4 and word.endswith(("ches", "shes", "xes", "sses")):
            word = word[:-2]  # "wishes" -> "wish", "boxes" -> "box"
        elif len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]  # "plans" -> "plan"
        if len(word) > 2 and word not in STOP_WORDS:
            found.add(word)
    return frozenset(found)


def heard(book: Book, people: Sequence[Person]) -> list[Heard]:
    """Everything heard from `people`, newest first (see the module docstring)."""
    wanted = {p.id: p for p in people}
    found: dict[tuple[str, frozenset[str] | str], Heard] = {}  # (person id, key words) -> the newest

    def add(item: Heard) -> None:
        key = (item.people[0].id, key_words(item.text) or item.text.casefold())
        held = found.get(key)
        if held is None or (item.at, item.source) > (held.at, held.source):
            found[key] = item

    for entry in book.interactions.values():  # (in no order: sorted at the end)
        if entry.deleted or not entry.learned or entry.learned.isspace():
            continue
        who = tuple(wanted[pid] for pid in entry.people if pid in wanted)
        if who:
            text = one_line(" ".join(entry.learned.split()))
            add(Heard(text, _kind_of(text), who, entry.at, entry.id))
    for person in people:
        for field, kind in FIELDS:
            text = one_line(" ".join(getattr(person, field).split()))
            if text:
                add(Heard(text, kind, (person,), _changed_on(person, field), person.id))
    return sorted(found.values(), key=lambda h: (h.at, h.source), reverse=True)


def _kind_of(text: str) -> str:
    first = text.split(maxsplit=1)[0].casefold() if text.strip() else ""
    return {"wants": "want", "needs": "need", "challenge:": "challenge"}.get(first, "heard")


def _changed_on(person: Person, field: str) -> str:
    """The day the field last changed: its version's stamp, else the record's."""
    version = person.versions.get(field) or person.versions.get("*")
    stamp = version.split(" ", 1)[0] if isinstance(version, str) else person.updated_at
    return stamp[:10]


def grouped(items: Iterable[Heard]) -> tuple[list[Group], list[Heard]]:
    """The groups (largest first, then the newest) and what no pair joins, newest first;
    `items` newest first."""
    items = list(items)
    words = [key_words(item.text) for item in items]
    holders: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, found in enumerate(words):
        for pair in combinations(sorted(found), 2):
            holders[pair].append(index)
    taken: set[int] = set()
    groups: list[Group] = []
    for pair, indices in sorted(holders.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        if len(indices) < 2:
            break
        free = [i for i in indices if i not in taken]
        if len(free) < 2:
            continue
        taken.update(free)
        groups.append(Group(_said_order(pair, items[free[0]].text), [items[i] for i in free]))
    groups.sort(key=lambda g: (g.items[0].at, g.items[0].source), reverse=True)  # the newest first,
    groups.sort(key=lambda g: len(g.items), reverse=True)  # then (stable) the largest first
    return groups, [item for i, item in enumerate(items) if i not in taken]


def _said_order(pair: tuple[str, str], text: str) -> tuple[str, ...]:
    """The pair in the order the text says them ("winter service", not "service winter")."""
    folded = text.casefold()
    return tuple(sorted(pair, key=lambda word: (folded.find(word) if word in folded else len(folded), word)))
