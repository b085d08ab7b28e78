"""The four kinds of record the app keeps, and how they turn into JSON documents.

Every record has a stable UUID (`id`), `created_at` / `updated_at` (UTC, ISO 8601)
and `updated_by`.  Deleting sets `deleted` so the record stays as a tombstone: a
merge of two copies of the file must not bring it back.
"""

from __future__ import annotations

import dataclasses
import functools
import threading
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any, ClassVar, Self

STAGES = ("stranger", "prospect", "lead", "customer", "advocate")
CHANNELS = ("call", "coffee", "lunch", "visit", "event", "message")
KINDS = ("call", "coffee", "lunch", "visit", "event", "chance", "message")
# reached: a real conversation (resets the cadence clock); attempt: tried, not reached (asks
# again in a couple of days); noted: a step written down, no contact made or tried (an intro
# to ask for): it neither resets the clock nor counts as an attempt, only its step counts.
OUTCOMES = ("reached", "attempt", "noted")


@functools.cache
def _field_names(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(kind))


_UNSTORED = ("versions", "extra")  # kept in the document as "_v" and as the unknown keys themselves
VERSIONS_KEY = "_v"


@functools.cache
def _doc_names(kind: type) -> tuple[str, ...]:
    return tuple(name for name in _field_names(kind) if name not in _UNSTORED)


@functools.cache
def _containers(kind: type) -> tuple[str, ...]:
    """The stored fields that hold a list or a dict (the ones a document must not share)."""
    fields = dataclasses.fields(kind)
    return tuple(f.name for f in fields if f.name not in _UNSTORED and f.default_factory in (list, dict))


@functools.cache
def _field_set(kind: type) -> frozenset[str]:
    return frozenset(_doc_names(kind))


def _copied(value: Any) -> Any:
    if isinstance(value, list):
        return list(value)
    if isinstance(value, dict):
        return dict(value)
    return value


def new_id() -> str:
    return str(uuid.uuid4())


def _wall_clock() -> datetime:
    """The system's idea of now, in UTC (the one place the clock is read; tests replace it)."""
    return datetime.now(timezone.utc)


_stamp_lock = threading.Lock()
_last_stamp: datetime | None = None  # the latest stamp this process handed out


def utc_now_iso(after: str | None = None) -> str:
    """Now as "YYYY-MM-DDTHH:MM:SS.ffffffZ", strictly later than every stamp given before.

    Within one process the stamps never repeat or go backwards, even when the wall clock
    steps back or two calls land in the same microsecond: each is at least the previous
    one plus a microsecond.  `after` (a stamp seen elsewhere, e.g. the updated_at of the
    record being edited) pushes the result past it too, so an edit always beats the version
    it replaces even when another machine's clock ran ahead.  String order is time order.
    """
    global _last_stamp
    with _stamp_lock:
        now = _wall_clock().astimezone(timezone.utc)
        floors = [_last_stamp] if _last_stamp is not None else []
        if after:
            try:
                seen = datetime.fromisoformat(after)
            except ValueError:
                pass  # not a stamp: nothing to stay ahead of
            else:
                floors.append(seen if seen.tzinfo else seen.replace(tzinfo=timezone.utc))
        for floor in floors:
            if now <= floor:
                now = floor + timedelta(microseconds=1)
        _last_stamp = now
    return now.isoformat(timespec="microseconds").replace("+00:00", "Z")


@dataclass
class Record:
    """Fields every record shares."""

    TABLE: ClassVar[str] = ""

    id: str = field(default_factory=new_id)
    created_at: str = field(default_factory=utc_now_iso)
    updated_at: str = ""
    updated_by: str = ""
    deleted: bool = False
    created_by: str = ""  # who made the record ("" in files from before it was kept)
    # The version of each field (see domain/versions.py); stored as "_v", left out when empty.
    versions: dict[str, Any] = field(default_factory=dict, repr=False)
    # Fields this version does not know (a newer version's, a hand-added "x_custom"): kept as
    # they are and written back, so no write drops them.
    extra: dict[str, Any] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if not self.updated_at:
            self.updated_at = self.created_at

    def to_doc(self) -> dict[str, Any]:
        """The JSON document: every field, lists and dicts copied (asdict is ~10x slower)."""
        fields = self.__dict__  # every field is there (`__init__` and `_from_fields` set them all)
        doc = {name: fields[name] for name in _doc_names(type(self))}
        for name in _containers(type(self)):
            doc[name] = _copied(doc[name])
        if self.extra:
            for name, value in self.extra.items():
                doc.setdefault(name, value)
        if self.versions:
            doc[VERSIONS_KEY] = {name: _copied(value) for name, value in self.versions.items()}
        return doc

    def stored(self) -> dict[str, Any]:
        """The document `to_doc` makes, sharing the record's lists instead of copying them: for
        writing the file only (a seventh of `to_doc`'s time over a whole book)."""
        doc = self.__dict__.copy()  # the fields, in their order (a record holds nothing else)
        versions, extra = doc.pop("versions"), doc.pop("extra")
        for name, value in extra.items():
            doc.setdefault(name, value)
        if versions:
            doc[VERSIONS_KEY] = versions
        return doc

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Self:
        """Build a record from a stored document; keys this version does not know go to `extra`."""
        names = _field_set(cls)
        if len(doc) == len(names) and names.issuperset(doc):  # the file as this version writes it
            return cls._from_fields(dict(doc), {})
        if len(doc) == len(names) + 1 and VERSIONS_KEY in doc:  # the same, with field versions
            fields = dict(doc)
            versions = fields.pop(VERSIONS_KEY)
            if names.issuperset(fields):
                return cls._from_fields(fields, versions)
        if names.issuperset(doc):  # some fields left out: their defaults
            return cls(**doc)
        known: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        for key, value in doc.items():
            if key in names:
                known[key] = value
            elif key == VERSIONS_KEY:
                known["versions"] = value
            else:
                extra[key] = value
        return cls(**known, extra=extra)

    @classmethod
    def _from_fields(cls, fields: dict[str, Any], versions: dict[str, Any]) -> Self:
        """A record from a value for every field: what `__init__` would make, in a third of
        its time (reading a file builds tens of thousands of them)."""
        record = object.__new__(cls)
        fields["versions"], fields["extra"] = versions, {}
        if not fields["updated_at"]:
            fields["updated_at"] = fields["created_at"]  # as __post_init__ does
        record.__dict__ = fields
        return record


@dataclass
class Person(Record):
    TABLE: ClassVar[str] = "people"

    name: str = ""
    org: str = ""
    role: str = ""
    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    area: str = ""
    tags: list[str] = field(default_factory=list)
    influence: int = 0
    stage: str = "prospect"
    cadence: str = ""  # an RRULE such as "FREQ=WEEKLY;INTERVAL=2"; "" = the default
    channel: str = ""  # preferred channel, one of CHANNELS, or ""
    introduced_by: str | None = None  # a Person id
    owner: str = ""
    notes: str = ""
    challenges: str = ""
    wants: str = ""
    needs: str = ""
    snoozed_until: str | None = None  # ISO date
    birthday: str | None = None  # ISO date, or "--MM-DD" when the year is unknown

    @property
    def phone(self) -> str:
        return self.phones[0] if self.phones else ""

    @property
    def email(self) -> str:
        return self.emails[0] if self.emails else ""

    def snoozed_on(self, day: date) -> bool:
        return bool(self.snoozed_until) and date.fromisoformat(self.snoozed_until) > day


@dataclass
class Segment(Record):
    TABLE: ClassVar[str] = "segments"

    name: str = ""
    description: str = ""
    rule: dict[str, Any] = field(default_factory=dict)  # tags, stage, area, min_influence, owner
    include: list[str] = field(default_factory=list)  # Person ids
    exclude: list[str] = field(default_factory=list)  # Person ids
    cadence: str = ""  # default RRULE for members without their own


@dataclass
class Interaction(Record):
    TABLE: ClassVar[str] = "interactions"

    at: str = ""  # local wall-clock time, ISO "YYYY-MM-DDTHH:MM"
    people: list[str] = field(default_factory=list)  # Person ids
    kind: str = "call"
    outcome: str = "reached"
    where: str = ""
    note: str = ""
    learned: str = ""
    next_step: str = ""
    follow_up: str | None = None  # ISO date
    stage_change: str | None = None
    logged_by: str = ""
    # The day (ISO) someone marked the next step done; "" while it is open.  A later talk
    # never closes a step by itself: only this mark does.  ("" rather than null: when two
    # copies disagree at one version, a merge keeps the greater value, so "done" wins.)
    done: str = ""

    @property
    def when(self) -> datetime:
        return datetime.fromisoformat(self.at)

    @property
    def has_step(self) -> bool:
        """Whether the entry set a next step (words, a follow-up date, or both)."""
        return bool(self.next_step or self.follow_up)

    @property
    def step_open(self) -> bool:
        return self.has_step and not self.done and not self.deleted

    @property
    def reached(self) -> bool:
        return self.outcome == "reached"


@dataclass
class Post(Record):
    TABLE: ClassVar[str] = "posts"

    platform: str = ""
    at: str = ""  # local wall-clock time, ISO
    likes: int = 0
    comments: int = 0
    engaged: list[str] = field(default_factory=list)  # "PERSON_ID:how" (domain/engagement.py)


RECORD_TYPES: tuple[type[Record], ...] = (Person, Segment, Interaction, Post)
TABLES: dict[str, type[Record]] = {t.TABLE: t for t in RECORD_TYPES}
