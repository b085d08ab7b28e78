"""The command palette finds people by name, accents or not: choosing one selects them and
moves today's list to them, as `/` search does."""

from __future__ import annotations

import heapq
from collections import Counter
from dataclasses import dataclass
from functools import partial
from typing import Protocol, cast

from rich.text import Text
from textual.command import Hit, Hits, Provider
from textual.fuzzy import Matcher

from meetup_tui.domain.book import Book
from meetup_tui.domain.records import Person
from meetup_tui.domain.text import folded, one_line
from meetup_tui.ui.screens.search import name_fit, word_matchers

HITS = 20
"""At most this many people are offered: the palette lists commands, not the whole book."""


class _Database(Protocol):
    book: Book


class PeopleHost(Protocol):
    """What the provider needs of the app: its people, and a way to go to one of them."""

    db: _Database

    def jump_to_person(self, person_id: str) -> None: ...


@dataclass(frozen=True, slots=True)
class _Someone:
    id: str
    name: str  # one line, as shown
    key: str  # folded, as matched
    org: str
    contact: str  # a phone or an email, to tell apart two people shown alike


def _someone(person: Person) -> _Someone:
    name = one_line(person.name) or "(no name)"
    org = one_line(person.org) or one_line(person.role)
    return _Someone(person.id, name, folded(name), org, one_line(person.phone or person.email))


def _highlighted(name: str, key: str, matchers: list[Matcher]) -> Text:
    """`name` as literal text (never markup), the letters each word matched underlined."""
    text = Text(name, style="bold")
    at: list[int] = []  # for each letter of the folded key, the letter of `name` it came from
    for index, letter in enumerate(name):
        at.extend([index] * len(folded(letter)))
    if len(at) != len(key):  # folding letter by letter differs from the whole: leave it plain
        return text
    for matcher in matchers:
        _, offsets = matcher.fuzzy_search.match(matcher.query, key)
        for offset in offsets:
            text.stylize("underline", at[offset], at[offset] + 1)
    return text


class PeopleCommands(Provider):
    """One hit per live person whose name fits what is typed, best first."""

    async def startup(self) -> None:
        """Fold every name once per palette opening, so each key only compares strings."""
        book = cast(PeopleHost, self.app).db.book
        self.people = sorted(
            (_someone(p) for p in book.live_people()),
            key=lambda s: (s.key, s.id),
        )

    async def search(self, query: str) -> Hits:
        matchers = word_matchers(query)
        if not matchers:
            return
        # At equal scores the match nearer the start of the name, then the name, comes first:
        # negated, the earlier is the larger (the palette keeps that order among equal scores).
        scored: list[tuple[float, int, int]] = []
        for index, someone in enumerate(self.people):
            score, start = name_fit(matchers, someone.key)
            if score:
                scored.append((score, -start, -index))
        best = [(score, self.people[-neg]) for score, _, neg in heapq.nlargest(HITS, scored)]
        shown = Counter((s.name, s.org) for _, s in best)
        jump = cast(PeopleHost, self.app).jump_to_person
        for score, someone in best:
            display = _highlighted(someone.name, someone.key, matchers)
            if someone.org:
                display.append(f" — {someone.org}", style="dim")
            if shown[someone.name, someone.org] > 1 and someone.contact:
                display.append(f" · {someone.contact}", style="dim")
            yield Hit(score, display, partial(jump, someone.id), text=display.plain)
