"""Find a person by fuzzy name, organisation or role, tag or phone, accents or not; Enter
returns their id."""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from meetup_tui.domain.records import Person
from meetup_tui.domain.text import folded, one_line
from meetup_tui.ui.screens.dialog import Dialog

SHOWN = 200
"""At most this many rows are listed: enough to scroll, few enough to build at every key."""

_PHONE_QUERY = re.compile(r"^[\d\s+\-().]*\d[\d\s+\-().]*$")
_NON_DIGITS = re.compile(r"\D")


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


def _place(term: str, text: str) -> int:
    """3 when `text` starts with `term`, 2 when a word in it does, 1 anywhere inside, else 0."""
    at = text.find(term)
    if at < 0:
        return 0
    if at == 0:
        return 3
    return 2 if not text[at - 1].isalnum() else 1


def _term_score(term: str, loose: re.Pattern[str], entry: Entry) -> int:
    """How well one word of the query fits a person: the name counts most, then tags, then org."""
    score = 10 * _place(term, entry.name_key)
    if not score and loose.search(entry.name_key):
        score = 4  # the letters in order, with gaps: "jsmth" finds "John Smith"
    if term in entry.tags:
        score = max(score, 25)
    elif any(term in tag for tag in entry.tags):
        score = max(score, 8)
    return max(score, 6 * _place(term, entry.org_key))


def rank(entries: list[Entry], query: str, limit: int = SHOWN) -> tuple[list[Entry], int]:
    """The best `limit` entries for `query` and how many matched in all; all by name when empty."""
    words = folded(query).split()
    if not words:
        return entries[:limit], len(entries)
    scored: list[tuple[int, str, int]] = []
    digits = _NON_DIGITS.sub("", query) if _PHONE_QUERY.match(query.strip()) else ""
    terms = [(w, re.compile(".*?".join(map(re.escape, w)))) for w in words]
    for index, entry in enumerate(entries):
        total = 0
        for word, pattern in terms:  # every word must fit somewhere
            score = _term_score(word, pattern, entry)
            if not score:
                total = 0
                break
            total += score
        if len(digits) >= 3 and digits in entry.digits:  # or the digits are in a phone number
            total = max(total, 30)
        if total:
            scored.append((-total, entry.name_key, index))
    best = heapq.nsmallest(limit, scored)
    return [entries[i] for _, _, i in best], len(scored)


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
    BINDINGS = [
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
