"""Make or change a segment: its name, a rule by keyboard, a default cadence, and a live
preview of who it holds as the rule is typed."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Select, Static

from meetup_tui.domain.audience import preview, preview_words
from meetup_tui.domain.book import Book
from meetup_tui.domain.cadence import describe_cadence, parse_cadence
from meetup_tui.domain.errors import UserError
from meetup_tui.domain.records import STAGES, Segment
from meetup_tui.domain.segment_rules import make_rule, parse_least
from meetup_tui.domain.text import one_line
from meetup_tui.ui.screens.dialog import FORM_HINT, FormDialog, field_row
from meetup_tui.ui.screens.log_form import NameSuggester
from meetup_tui.ui.screens.person_form import split_list

TAG_MODES = [("any of these tags", "any"), ("all of these tags", "all")]


class SegmentForm(FormDialog[dict | None]):
    """Dismiss with a dict of Segment field values (name, description, rule, cadence), or None.

    A segment's include and exclude lists are not fields here: `a` and `r` in its view, and
    the person form's Segments field, change them; the preview counts them.
    """

    DEFAULT_CSS = """
    SegmentForm > #dialog { width: 76; }
    SegmentForm #preview { height: auto; margin-top: 1; color: $text; }
    """
    AUTO_FOCUS = "#name"

    def __init__(
        self, book: Book, segment: Segment | None = None, *, stages: tuple[str, ...] = STAGES
    ) -> None:
        super().__init__()
        self.book = book
        self.segment = segment
        self.stages = stages
        people = book.live_people()
        self._known = {
            "tags": sorted({t for p in people for t in p.tags}),
            "area": sorted({p.area for p in people if p.area}),
            "owner": sorted({p.owner for p in people if p.owner}),
        }

    def compose(self) -> ComposeResult:
        segment = self.segment
        rule = segment.rule if segment else {}
        title = (
            Text("New segment")
            if segment is None
            else Text.assemble("Edit ", (one_line(segment.name), "bold"))
        )
        stage = str(rule.get("stage") or "")
        stages = [("any stage", ""), *((Text(one_line(s)), s) for s in self.stages)]
        if stage and stage not in self.stages:
            stages.append((Text(one_line(stage)), stage))
        least = rule.get("min_influence")
        with Vertical(id="dialog"):
            yield Static(title, id="title", classes="title")
            with VerticalScroll(id="fields", can_focus=False):
                yield field_row("Name", self._input("name", segment.name if segment else "", "required"))
                yield field_row(
                    "Description", self._input("description", segment.description if segment else "", "")
                )
                yield field_row(
                    "Tags", self._input("tags", ", ".join(rule.get("tags") or []), "comma-separated")
                )
                yield field_row(
                    "Tags match",
                    Select(
                        TAG_MODES,
                        value="all" if rule.get("tags_mode") == "all" else "any",
                        allow_blank=False,
                        compact=True,
                        id="tags_mode",
                    ),
                )
                yield field_row(
                    "Stage", Select(stages, value=stage, allow_blank=False, compact=True, id="stage")
                )
                yield field_row("Area", self._input("area", str(rule.get("area") or ""), "neighbourhood"))
                yield field_row(
                    "Influence ≥", self._input("min_influence", "" if least is None else str(least), "0-5")
                )
                yield field_row("Owner", self._input("owner", str(rule.get("owner") or ""), "e.g. sam@shop"))
                cadence = describe_cadence(segment.cadence) if segment and segment.cadence else ""
                yield field_row(
                    "Cadence", self._input("cadence", cadence, "for members without their own; e.g. monthly")
                )
            with Vertical(id="foot"):
                yield Static(id="preview")
                yield Static("", id="error")
                yield Static(FORM_HINT, classes="hint")

    def _input(self, key: str, value: str, placeholder: str) -> Input:
        """A compact input; tags, area and owner suggest what the book already has."""
        known = self._known.get(key)
        suggester = NameSuggester(known) if known else None
        return Input(one_line(value), placeholder=placeholder, id=key, compact=True, suggester=suggester)

    _RULE_FIELDS = ("tags", "tags_mode", "stage", "area", "min_influence", "owner")

    def on_mount(self) -> None:
        # What each field shows at first: a field left as shown keeps the stored value exactly.
        self._shown = self._fields()
        self._show_preview()

    def _fields(self) -> dict[str, object]:
        inputs = {i.id: i.value for i in self.query(Input) if i.id}
        return inputs | {s.id: s.value for s in self.query(Select) if s.id}

    def _as_shown(self, *keys: str) -> bool:
        now = self._fields()
        return self.segment is not None and all(now[k] == self._shown[k] for k in keys)

    def on_input_changed(self, event: Input.Changed) -> None:
        self._show_preview()

    def on_select_changed(self, event: Select.Changed) -> None:
        self._show_preview()

    def _show_preview(self) -> None:
        """Who the segment holds with the rule as typed; a rule not yet readable says why."""
        try:
            rule = self._rule()
        except UserError as exc:
            self.query_one("#preview", Static).update(Text(one_line(str(exc)), style="italic"))
            return
        base = self.segment or Segment()
        found = preview(self.book, replace(base, rule=rule))
        self.query_one("#preview", Static).update(Text("Preview: " + preview_words(found)))

    # -- reading the fields -----------------------------------------------------------

    def _value(self, key: str) -> str:
        return self.query_one(f"#{key}", Input).value

    def _rule(self) -> dict[str, Any]:
        if self.segment is not None and self._as_shown(*self._RULE_FIELDS):
            return self.segment.rule
        self.bad_field = "min_influence"
        least = parse_least(self._value("min_influence"))
        return make_rule(
            tags=split_list(self._value("tags")),
            all_tags=self.query_one("#tags_mode", Select).value == "all",
            stage=str(self.query_one("#stage", Select).value or ""),
            area=self._value("area"),
            min_influence=least,
            owner=self._value("owner"),
            base=self.segment.rule if self.segment else None,
        )

    def collect(self) -> dict[str, Any]:
        segment = self.segment
        self.bad_field = "name"
        name = segment.name if segment and self._as_shown("name") else " ".join(self._value("name").split())
        if not name:
            raise UserError("The name is empty; every segment needs one.")
        own = self.segment.id if self.segment else None
        for other in self.book.live_segments():
            if other.id != own and other.name.casefold() == name.casefold():
                raise UserError(f"There is already a segment called {one_line(other.name)!r}.")
        rule = self._rule()
        self.bad_field = "cadence"
        cadence_text = self._value("cadence")
        if segment and self._as_shown("cadence"):
            cadence = segment.cadence
        else:
            cadence = parse_cadence(cadence_text) if cadence_text.strip() else ""
        described = self._value("description").strip()
        return {
            "name": name,
            "description": segment.description if segment and self._as_shown("description") else described,
            "rule": rule,
            "cadence": cadence,
        }
