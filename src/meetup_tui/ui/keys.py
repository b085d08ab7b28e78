"""Every key of the main screen: ids so users can remap them, tooltips for `?` and ctrl+p."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from textual.app import SystemCommand
from textual.binding import Binding, BindingType

MAIN_KEYS: list[BindingType] = [
    Binding("t", "checkin", "Check-in", id="checkin", tooltip="Today's list one by one: a key for each"),
    Binding("c", "call", "Call", id="call", tooltip="Log a reached call with the selected person"),
    Binding("l", "log", "Log", id="log", tooltip="Log a meeting, call or attempt"),
    Binding(
        "b",
        "plan",
        "Plan",
        id="plan",
        show=False,
        tooltip="Plan a coffee, lunch or visit on a day",
    ),
    Binding("a", "add_person", "Add", id="add", show=False, tooltip="Add a person"),
    Binding(
        "i",
        "import_contacts",
        "Import",
        id="import",
        show=False,
        tooltip="Import contacts from a vCard or CSV file",
    ),
    Binding(
        "z", "snooze", "Snooze", id="snooze", show=False, tooltip="Snooze the selected person until a day"
    ),
    Binding(
        "h",
        "history",
        "History",
        id="history",
        show=False,
        tooltip="The whole log with the selected person",
    ),
    Binding(
        "f",
        "filter_log",
        "Filter log",
        id="filter_log",
        show=False,
        tooltip="The whole log, filtered: who:maya kind:coffee",
    ),
    Binding(
        "x",
        "step_done",
        "Done",
        id="step_done",
        show=False,
        tooltip="Mark a next step done, or open again",
    ),
    Binding(
        "w",
        "ask_intro",
        "Ask for intro",
        id="ask_intro",
        show=False,
        tooltip="Warm path to a stranger: a step to ask for the intro",
    ),
    Binding(
        "s",
        "new_segment",
        "New segment",
        id="new_segment",
        show=False,
        tooltip="Make a segment from a rule, with a live preview",
    ),
    Binding(
        "e", "edit", "Edit", id="edit", show=False, tooltip="Edit the selected person, log entry or segment"
    ),
    Binding(
        "d",
        "delete",
        "Delete",
        id="delete",
        show=False,
        tooltip="Delete the selected person, log entry or segment",
    ),
    Binding("u", "undo", "Undo", id="undo", show=False, tooltip="Undo the last delete"),
    Binding("m", "more", "More", id="more", show=False, tooltip="Show all of today's list, or fewer"),
    Binding(
        "o",
        "whose",
        "Whose list",
        id="whose",
        show=False,
        tooltip="Mine + unowned, the whole team, a colleague's",
    ),
    Binding(
        "O", "give_to", "Give to", id="give_to", show=False, tooltip="Give the selected person to a colleague"
    ),
    Binding("p", "instead", "Instead", id="instead", tooltip="About to post? Whom to call instead"),
    Binding(
        "P",
        "posts",
        "Posts",
        id="posts",
        show=False,
        tooltip="Posts you made anyway: record, correct, delete",
    ),
    Binding(
        "J",
        "board",
        "Journey",
        id="board",
        show=False,
        tooltip="The stage board: move people along the journey",
    ),
    Binding(
        "I",
        "insights",
        "Insights",
        id="insights",
        show=False,
        tooltip="What your audience told you: wants, needs, grouped",
    ),
    Binding(
        "R",
        "report",
        "Report",
        id="report",
        show=False,
        tooltip="The picture: conversations against likes, over weeks",
    ),
    Binding("slash", "search", "Search", id="search", key_display="/", tooltip="Find a person"),
    Binding("question_mark", "help", "Keys", id="help", key_display="?", tooltip="All the keys"),
    Binding("escape", "back", "Back", id="back", show=False, tooltip="Back to today's list"),
    Binding("q", "quit", "Quit", id="quit", tooltip="Quit (waits for saving to finish)"),
]

OTHER_KEYS = [
    ("↑ ↓ / j k", "Move in a list"),
    ("home end", "First / last row of a list"),
    ("tab", "Next pane"),
    ("enter", "Open a segment or a log entry · show all of today's list"),
    ("ctrl+p", "Command palette: every action by name"),
]


def key_help(*key_sets: tuple[str, list[BindingType]]) -> list[tuple[str, str]]:
    """(key, what it does) for `?`: each set's keys, prefixed by the key that opens it
    ("t r": in the check-in, r), then the keys that are not bindings."""
    keys: list[tuple[str, str]] = []
    for prefix, bindings in key_sets:
        for binding in bindings:
            assert isinstance(binding, Binding)
            if prefix and binding.show is False:
                continue
            shown = binding.key_display or binding.key.replace(",", "/").replace("escape", "esc")
            keys.append((f"{prefix} {shown}".strip(), binding.tooltip or binding.description))
    return keys + OTHER_KEYS


def palette_commands(bindings: list[BindingType], run: Callable[[str], Any]) -> Iterator[SystemCommand]:
    """One command-palette entry per key ("Snooze (z)"), but Escape's "back"."""
    for binding in bindings:
        assert isinstance(binding, Binding)
        if binding.action == "back":
            continue
        yield SystemCommand(
            f"{binding.description} ({binding.key_display or binding.key})",
            binding.tooltip or binding.description,
            lambda action=binding.action: run(action),  # type: ignore[misc]
        )
