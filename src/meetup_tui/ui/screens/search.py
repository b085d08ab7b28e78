"""Find a person by fuzzy name, organisation or role, tag or phone, accents or not; Enter
returns their id."""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.fuzzy import Matcher
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from meetup_tui.domain.records import Person
from meetup_tui.domain.text import folded, one_line
from meetup_tui.ui.screens.dialog import Dialog

SHOWN = 200
"""At most this many rows are listed: enough to scroll, few enough to build at every key."""

_PHONE_QUERY = re.compile(r"^[\d\s+\-().]*\d[\d\s+\-().]*$")
_NON_DIGITS = re.compile(r"\D")

# How much a word found in each place counts, times Textual's fuzzy score for it there: so a
# name that starts with the word comes before an exact tag, then a word of the organisation or
# role, then the word inside a name, then its letters scattered in a name.
_NAME, _TAG, _ORG = 1.0, 0.7, 0.9
_ELSEWHERE = 10_000
"""Where a word found in a tag, the organisation or a phone "starts" in the name: after all."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One person, folded once so each key press only compares strings."""

    id: str
    name: str
    name_key: str
    org_key: str
    tags: tuple[str, ...]
    digits: str
    label: Text


def make_entry(person: Person) -> Entry:
    name = one_line(person.name) or "(no name)"
    label = Text(name, style="bold")
    if person.org:
        label.append(f"  {one_line(person.org)}")
    if person.phone:
        label.append(f"  {one_line(person.phone)}", style="dim")
    return Entry(
        id=person.id,
        name=name,
        name_key=folded(name),
        org_key=folded(f"{one_line(person.org)} {one_line(person.role)}".strip()),
        tags=tuple(folded(t) for t in person.tags),
        digits=" ".join(_NON_DIGITS.sub("", p) for p in person.phones),
        label=label,
    )


def word_matchers(query: str) -> list[Matcher]:
    """One of Textual's fuzzy matchers (the command palette's) per word of `query`, folded."""
    return [Matcher(word) for word in folded(query).split()]


def _in_name(matcher: Matcher, name_key: str) -> tuple[float, int]:
    """The matcher's score for a folded name (letters in order, gaps allowed: "jsmth" finds
    "john smith") and where its first letter fell, so that at equal scores "ma" lists
    Maya Okafor before Helen Marsh."""
    score, offsets = matcher.fuzzy_search.match(matcher.query, name_key)  # = matcher.match
    return score, (offsets[0] if score else _ELSEWHERE)


def name_fit(matchers: list[Matcher], name_key: str) -> tuple[float, int]:
    """How well every word fits a folded name, and where the earliest one starts; (0, …)
    when one does not fit."""
    total, start = 0.0, _ELSEWHERE
    for matcher in matchers:
        score, at = _in_name(matcher, name_key)
        if not score:
            return 0.0, _ELSEWHERE
        total, start = total + score, min(start, at)
    return total, start


def _word_fit(matcher: Matcher, entry: Entry) -> tuple[float, int]:
    """The best place for one word: the name (fuzzy), a tag or the organisation and role
    (which must contain the word whole, so that long texts do not match nearly anything)."""
    word = matcher.query
    score, start = _in_name(matcher, entry.name_key)
    score *= _NAME
    for tag in entry.tags:
        if word in tag and (there := _TAG * matcher.match(tag)) > score:
            score, start = there, _ELSEWHERE
    if word in entry.org_key and (there := _ORG * matcher.match(entry.org_key)) > score:
        score, start = there, _ELSEWHERE
    return score, start


def rank(entries: list[Entry], query: str, limit: int = SHOWN) -> tuple[list[Entry], int]:
    """The best `limit` entries for `query` and how many matched in all; all by name when empty.

    Best is the highest sum of each word's score (every word must fit somewhere), then the
    match nearest the start of the name, then the name."""
    matchers = word_matchers(query)
    if not matchers:
        return entries[:limit], len(entries)
    digits = _NON_DIGITS.sub("", query) if _PHONE_QUERY.match(query.strip()) else ""
    phone = Matcher(digits) if len(digits) >= 3 else None
    scored: list[tuple[float, int, str, int]] = []
    for index, entry in enumerate(entries):
        total, start = 0.0, _ELSEWHERE
        for matcher in matchers:
            score, at = _word_fit(matcher, entry)
            if not score:
                total = 0.0
                break
            total, start = total + score, min(start, at)
        if phone is not None and digits in entry.digits:  # or the digits are in a phone number
            total = max(total, phone.match(entry.digits))
        if total:
            scored.append((-total, start, entry.name_key, index))
    best = heapq.nsmallest(limit, scored)
    return [entries[best_index] for *_, best_index in best], len(scored)


class SearchScreen(Dialog[str | None]):
    """Dismiss with the chosen person's id, or None on Escape."""

    DEFAULT_CSS = """
    SearchScreen > #dialog { height: 100%; max-height: 30; }
    SearchScreen #matches {
        height: 1fr; border: none; padding: 0; text-wrap: nowrap; text-overflow: ellipsis;
    }
    SearchScreen #count { color: $text-muted; }
    """

    AUTO_FOCUS = "#query"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,ctrl+j", "move(1)", "Next", id="search.down", priority=True, show=False),
        Binding("up,ctrl+k", "move(-1)", "Previous", id="search.up", priority=True, show=False),
        Binding("pagedown", "page(1)", "Page down", id="search.page_down", priority=True, show=False),
        Binding("pageup", "page(-1)", "Page up", id="search.page_up", priority=True, show=False),
    ]

    def __init__(self, people: list[Person]) -> None:
        super().__init__()
        live = [p for p in people if not p.deleted]
        self.entries = sorted((make_entry(p) for p in live), key=lambda e: (e.name_key, e.id))

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text("Find a person"), classes="title")
            yield Input(placeholder="name, organisation, tag or phone", id="query")
            yield OptionList(id="matches")
            yield Static("", id="count")
            yield Static("↑↓ move · Enter open · Esc cancel", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#matches", OptionList).can_focus = False
        self.show_matches("")

    def show_matches(self, query: str) -> None:
        found, total = rank(self.entries, query)
        matches = self.query_one("#matches", OptionList)
        matches.set_options(Option(entry.label, id=entry.id) for entry in found)
        matches.highlighted = 0 if found else None
        if not total:
            count = "No one matches."
        elif total > len(found):
            count = f"Showing the best {len(found)} of {total:,}; type more to narrow."
        else:
            count = f"{total:,} {'person' if total == 1 else 'people'}."
        self.query_one("#count", Static).update(count)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.show_matches(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        option = self.query_one("#matches", OptionList).highlighted_option
        if option is not None and option.id is not None:
            self.dismiss(option.id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.dismiss(event.option.id)

    def action_move(self, step: int) -> None:
        matches = self.query_one("#matches", OptionList)
        if step > 0:
            matches.action_cursor_down()
        else:
            matches.action_cursor_up()

    def action_page(self, step: int) -> None:
        matches = self.query_one("#matches", OptionList)
        if step > 0:
            matches.action_page_down()
        else:
            matches.action_page_up()
