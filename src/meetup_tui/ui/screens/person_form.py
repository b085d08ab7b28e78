"""Add or edit a person: one field a line, validated on save, returned as Person field values."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Select, Static

from meetup_tui.domain.book import Book
from meetup_tui.domain.cadence import describe_cadence, parse_cadence
from meetup_tui.domain.dates import describe_birthday, parse_birthday
from meetup_tui.domain.errors import UserError
from meetup_tui.domain.records import CHANNELS, STAGES, Person
from meetup_tui.domain.settings import starting_stage
from meetup_tui.domain.text import one_line
from meetup_tui.ui.screens.dialog import FORM_HINT, FormDialog, field_row


def split_list(text: str) -> list[str]:
    """ "a, b,, a" -> ["a", "b"]: comma-separated, stripped, blanks and repeats dropped."""
    items: list[str] = []
    for part in text.split(","):
        item = " ".join(part.split())
        if item and item not in items:
            items.append(item)
    return items


class PersonForm(FormDialog[dict | None]):
    """Dismiss with a dict of Person field values (for `Person(**d)` / `replace(p, **d)`), or None."""

    AUTO_FOCUS = "#name"

    _TEXT = (  # (field id, label, placeholder) for the plain text inputs, in screen order
        ("name", "Name", "required"),
        ("phone", "Phone", ""),
        ("email", "Email", ""),
        ("org", "Organisation", ""),
        ("role", "Role", ""),
        ("area", "Area", "neighbourhood"),
        ("tags", "Tags", "comma-separated"),
        ("segments", "Segments", "comma-separated; a new name makes one"),
        ("influence", "Influence", "0-5"),
    )
    _MORE = (
        ("birthday", "Birthday", "e.g. 14 March; the year is optional"),
        ("owner", "Owner", "who looks after them; blank: everyone"),
        ("introduced_by", "Introduced by", "a name, or blank"),
        ("notes", "Notes", ""),
        ("challenges", "Challenges", ""),
        ("wants", "Wants", ""),
        ("needs", "Needs", ""),
    )

    def __init__(
        self,
        book: Book,
        today: date,
        person: Person | None = None,
        *,
        dayfirst: bool = False,
        stages: tuple[str, ...] = STAGES,
        owner: str = "",
    ) -> None:
        super().__init__()
        self.book = book
        self.today = today
        self.dayfirst = dayfirst
        self.stages = stages  # the journey from the settings, in order
        self.person = person
        # The segment names typed when saved (None: left as shown); see `segment_names`.
        self.segment_names: list[str] | None = None
        # What each input shows at first; an input left as shown keeps the stored value exactly.
        # A new person is looked after by whoever adds them (`owner`), unless the form says.
        self._shown: dict[str, str] = self._prefill(person) if person else {"influence": "0", "owner": owner}

    def _prefill(self, person: Person) -> dict[str, str]:
        introducer = self.book.people.get(person.introduced_by or "")
        return {
            "name": one_line(person.name),
            "phone": one_line(person.phone),
            "email": one_line(person.email),
            "org": one_line(person.org),
            "role": one_line(person.role),
            "area": one_line(person.area),
            "tags": one_line(", ".join(person.tags)),
            "segments": one_line(", ".join(s.name for s in self.book.segments_of(person))),
            "influence": str(person.influence),
            "cadence": describe_cadence(person.cadence) if person.cadence else "",
            "birthday": describe_birthday(person.birthday) if person.birthday else "",
            "owner": one_line(person.owner),
            "introduced_by": one_line(introducer.name) if introducer else "",
            "notes": one_line(person.notes),
            "challenges": one_line(person.challenges),
            "wants": one_line(person.wants),
            "needs": one_line(person.needs),
        }

    def compose(self) -> ComposeResult:
        person = self.person
        if person is None:
            title = Text("Add a person")
        else:
            title = Text.assemble("Edit ", (one_line(person.name), "bold"))
        stage = person.stage if person else starting_stage(self.stages)
        stages = list(self.stages) if stage in self.stages else [*self.stages, stage]
        channel = person.channel if person else ""
        channels: list[tuple[str | Text, str]] = [("none", ""), *((c, c) for c in CHANNELS)]
        if channel and channel not in CHANNELS:
            channels.append((Text(one_line(channel)), channel))
        with Vertical(id="dialog"):
            yield Static(title, id="title", classes="title")
            with VerticalScroll(id="fields", can_focus=False):
                for key, label, hint in self._TEXT:
                    yield field_row(label, self._input(key, hint))
                yield field_row(
                    "Stage",
                    Select(
                        [(Text(one_line(s)), s) for s in stages],
                        value=stage,
                        allow_blank=False,
                        compact=True,
                        id="stage",
                    ),
                )
                yield field_row("Cadence", self._input("cadence", "e.g. monthly; blank = default"))
                yield field_row(
                    "Channel",
                    Select(
                        channels,
                        value=channel,
                        allow_blank=False,
                        compact=True,
                        id="channel",
                    ),
                )
                for key, label, hint in self._MORE:
                    yield field_row(label, self._input(key, hint))
            with Vertical(id="foot"):
                yield Static("", id="error")
                yield Static(FORM_HINT, classes="hint")

    def _input(self, key: str, placeholder: str) -> Input:
        return Input(self._shown.get(key, ""), placeholder=placeholder, id=key, compact=True)

    # -- reading the fields -----------------------------------------------------------

    def _changed(self, key: str) -> str | None:
        """The input's text when the user changed it; None when it still shows the stored value."""
        value = self.query_one(f"#{key}", Input).value
        if self.person is not None and value == self._shown.get(key):
            return None
        return value

    def _text(self, key: str) -> str:
        value = self._changed(key)
        if value is None:
            return str(getattr(self.person, key))
        return value.strip()

    def _listed(self, key: str, stored: list[str]) -> list[str]:
        """The phones / emails typed (several separated by commas or semicolons: "07700 900999,
        01632 960000"), the stored extra ones, which the field does not show, kept behind them."""
        value = self._changed(key)
        if value is None:
            return list(stored)
        typed = list(dict.fromkeys(part.strip() for part in re.split(r"[,;]", value) if part.strip()))
        return typed + [kept for kept in stored[1:] if kept not in typed]

    def collect(self) -> dict[str, Any]:
        """The validated field values; a UserError (naming the field in `self.bad_field`) if not."""
        person = self.person
        self.bad_field = "name"
        name = self._changed("name")
        if name is None:
            name = person.name if person else ""
        else:
            name = " ".join(name.split())
            if not name:
                raise UserError("The name is empty; every person needs one.")
            self._check_unique(name)
        self.bad_field = "influence"
        influence = self._influence()
        self.bad_field = "cadence"
        cadence_text = self._changed("cadence")
        if cadence_text is None:
            cadence = person.cadence if person else ""
        else:
            cadence = parse_cadence(cadence_text) if cadence_text.strip() else ""
        self.bad_field = "birthday"
        birthday_text = self._changed("birthday")
        if birthday_text is None:
            birthday = person.birthday if person else None
        else:
            birthday = parse_birthday(birthday_text, self.today, dayfirst=self.dayfirst)
        self.bad_field = "introduced_by"
        introduced_by = self._introducer()
        tags_text = self._changed("tags")
        segments_text = self._changed("segments")
        self.segment_names = None if segments_text is None else split_list(segments_text)
        stage = self.query_one("#stage", Select).value
        channel = self.query_one("#channel", Select).value
        return {
            "name": name,
            "org": self._text("org"),
            "role": self._text("role"),
            "phones": self._listed("phone", person.phones if person else []),
            "emails": self._listed("email", person.emails if person else []),
            "area": self._text("area"),
            "tags": list(person.tags) if tags_text is None and person else split_list(tags_text or ""),
            "influence": influence,
            "stage": str(stage),
            "cadence": cadence,
            "channel": str(channel),
            "birthday": birthday,
            "owner": " ".join(self._text("owner").split()),
            "introduced_by": introduced_by,
            "notes": self._text("notes"),
            "challenges": self._text("challenges"),
            "wants": self._text("wants"),
            "needs": self._text("needs"),
        }

    def _check_unique(self, name: str) -> None:
        wanted = name.casefold()
        own_id = self.person.id if self.person else None
        for other in self.book.live_people():
            if other.id != own_id and other.name.casefold() == wanted:
                raise UserError(f"{name!r} is already in the book; give a fuller name.")

    def _influence(self) -> int:
        text = self._changed("influence")
        if text is None:
            return self.person.influence if self.person else 0
        text = text.strip() or "0"
        if not text.isdigit() or not 0 <= int(text) <= 5:
            raise UserError(f"Influence must be a whole number from 0 to 5, not {text!r}.")
        return int(text)

    def _introducer(self) -> str | None:
        text = self._changed("introduced_by")
        if text is None:
            return self.person.introduced_by if self.person else None
        if not text.strip():
            return None
        found = self.book.find_person(text)
        if self.person is not None and found.id == self.person.id:
            raise UserError(f"{one_line(found.name)} cannot have introduced themselves.")
        return found.id
