"""The file's shape: tables in TinyDB's layout, the `_meta` table, and forward migrations.

`decode` turns parsed JSON into a Book (refusing, with a sentence, anything of the wrong
shape); `encode` turns a Book back into tables.  A file written by an older version is
brought forward by pure functions in MIGRATIONS, one schema step at a time.
"""

from __future__ import annotations

import dataclasses
import json
import operator
import uuid
from collections.abc import Callable, Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from meetup_tui.domain.book import Book
from meetup_tui.domain.records import TABLES, VERSIONS_KEY, Interaction, Record, utc_now_iso
from meetup_tui.domain.segment_rules import rule_problem
from meetup_tui.domain.steps import met_before_done_marks
from meetup_tui.domain.versions import merge_records
from meetup_tui.store.jsonfile import BadFile

SCHEMA = 4
META = "_meta"

Tables = dict[str, Any]


def _field_versions(tables: Tables) -> Tables:
    """Schema 1 -> 2: field versions (domain/versions.py).  A record without "_v" has every
    field at its record stamp, which is exactly what a schema-1 record meant: nothing to
    rewrite.  The step exists so that a schema-1 meetup-tui refuses a schema-2 file instead
    of writing it back without the versions."""
    return tables


def _done_marks(tables: Tables) -> Tables:
    """Schema 2 -> 3: next steps stay open until marked done (domain/steps.py).  The steps
    the old rule (a later talk meets a step) had met get their `done` day, so nothing
    closed opens again.  The mark takes the record's own version: a copy of the file that
    knew of no later talk leaves "" there, and a merge of the two keeps the greater value,
    the day.  Documents of the wrong shape are left for `decode` to refuse."""
    documents = tables.get("interactions")
    if not isinstance(documents, dict):
        return tables
    items: list[Interaction] = []
    for doc in documents.values():
        if not isinstance(doc, dict) or type(doc.get("id")) is not str:
            continue
        fields = {name: doc.get(name) for name in _STEP_FIELDS}
        if not all(type(fields[n]) is str for n in ("at", "outcome", "next_step", "created_at")):
            continue
        people = doc.get("people")
        if not isinstance(people, list) or not all(type(p) is str for p in people):
            continue
        follow_up = fields["follow_up"] if type(fields["follow_up"]) is str else None
        items.append(
            Interaction(
                id=doc["id"], created_at=fields["created_at"], at=fields["at"], people=people,
                outcome=fields["outcome"], next_step=fields["next_step"], follow_up=follow_up,
                deleted=doc.get("deleted") is True, done=doc.get("done") or "",
            )
        )  # fmt: skip
    done = met_before_done_marks(items)
    if not done:
        return tables
    marked = {}
    for key, doc in documents.items():
        if isinstance(doc, dict) and doc.get("id") in done:
            doc = dict(doc, done=done[doc["id"]])
        marked[key] = doc
    return dict(tables, interactions=marked)


def _archives(tables: Tables) -> Tables:
    """Schema 3 -> 4: closed years of the log may live in archive files beside the file
    (`meetup-2024.json`, listed in `_meta` "archives"; store/archives.py).  Nothing to
    rewrite: the step exists so that a schema-3 meetup-tui, which reads only the main file,
    refuses a file whose old log was archived instead of showing a wrong "last talked"."""
    return tables


_STEP_FIELDS = ("at", "outcome", "next_step", "follow_up", "created_at")

# MIGRATIONS[n] turns a schema-n file's tables into schema n+1's.  Pure: no I/O, no clock.
MIGRATIONS: dict[int, Callable[[Tables], Tables]] = {1: _field_versions, 2: _done_marks, 3: _archives}

# Fields whose text must read as a date or a moment, and fields that must be lists / ints.
_MOMENTS = {"interactions": ("at",), "posts": ("at",)}
_DAYS = {"people": ("snoozed_until",), "interactions": ("follow_up", "done")}
_LISTS = {
    "people": ("phones", "emails", "tags"),
    "segments": ("include", "exclude"),
    "interactions": ("people",),
    "posts": ("engaged",),
}
_INTS = {"people": ("influence",), "posts": ("likes", "comments")}


def new_meta() -> dict[str, Any]:
    return {"schema": SCHEMA, "database_id": str(uuid.uuid4()), "created_at": utc_now_iso()}


def meta_of(path: Path, data: Tables) -> dict[str, Any]:
    meta_doc = data.get(META, {}).get("1", {})
    if not isinstance(meta_doc, dict):
        raise BadFile(f"{path}: the {META} table's document 1 is not an object.")
    return dict(meta_doc)


def schema_of(path: Path, data: Tables) -> int:
    schema = meta_of(path, data).get("schema", SCHEMA)
    if not isinstance(schema, int) or isinstance(schema, bool) or schema < 1:
        raise BadFile(f"{path}: the schema version {schema!r} is not a positive whole number.")
    if schema > SCHEMA:
        raise BadFile(
            f"{path} was written by a newer meetup-tui (schema {schema}, this one knows {SCHEMA}); "
            "upgrade meetup-tui to open it."
        )
    return schema


def migrate(path: Path, data: Tables) -> tuple[Tables, int]:
    """The tables at the current schema, and the schema they were at."""
    found = schema_of(path, data)
    for version in range(found, SCHEMA):
        data = MIGRATIONS[version](data)
        data.setdefault(META, {}).setdefault("1", {})["schema"] = version + 1
    return data, found


def _dated(table: str) -> tuple[tuple[str, Callable[[str], object]], ...]:
    """The fields of `table` that hold a moment or a day, each with what reads it."""
    moments = ((n, datetime.fromisoformat) for n in _MOMENTS.get(table, ()))
    days = ((n, date.fromisoformat) for n in _DAYS.get(table, ()))
    return (*moments, *days)


_DATED = {table: _dated(table) for table in TABLES}


# Fields that hold text: (name, may it be null?), per table.
_TEXTS = {
    table: tuple(
        (f.name, f.type == "str | None")
        for f in dataclasses.fields(kind)
        if f.type in ("str", "str | None") and f.name != "id"
    )
    for table, kind in TABLES.items()
}


def _quick_check(table: str) -> Callable[[dict[str, Any]], bool]:
    """A test that passes a document of `table` as this version writes it (every field
    there, of the right type) in a fraction of `_check`'s time; anything else, good or bad,
    fails it and goes through `_check`, which says what is wrong."""
    strict = operator.itemgetter("id", *(n for n, nullable in _TEXTS[table] if not nullable))
    loose = tuple(n for n, nullable in _TEXTS[table] if nullable)
    lists, ints = _LISTS.get(table, ()), _INTS.get(table, ())
    dated = _DATED[table]
    text, text_or_none = {str}, {str, type(None)}

    def passes(doc: dict[str, Any]) -> bool:
        try:
            if set(map(type, strict(doc))) != text or not doc["id"]:
                return False
            if loose and not {type(doc[n]) for n in loose} <= text_or_none:
                return False
            for name in lists:
                value = doc[name]
                if type(value) is not list or (value and set(map(type, value)) != text):
                    return False
            for name in ints:
                if type(doc[name]) is not int:
                    return False
            for name, parse in dated:
                if doc[name]:
                    parse(doc[name])
        except (KeyError, TypeError, ValueError):
            return False
        versions_ok = VERSIONS_KEY not in doc or _versions_ok(doc[VERSIONS_KEY])
        return type(doc.get("deleted")) is bool and versions_ok

    return passes


_QUICK = {table: _quick_check(table) for table in TABLES if table != "segments"}  # a rule: `_check`


def _check(path: Path, table: str, key: str, doc: dict[str, Any]) -> None:
    def where() -> str:  # made only for an error: this runs for every record of the file
        return f"{path}: record {key} in table {table!r}"

    if type(doc["id"]) is not str:
        raise BadFile(f"{where()} has an id that is not text.")
    if not doc["id"]:
        raise BadFile(f"{where()} has an empty id.")
    for name, nullable in _TEXTS[table]:
        if name not in doc:
            continue
        value = doc[name]
        if type(value) is not str and not (nullable and value is None):
            raise BadFile(f"{where()} has {name!r} = {_shown(value)}, which is not text.")
    for name in _LISTS.get(table, ()):
        if name in doc:
            value = doc[name]
            if not isinstance(value, list):
                raise BadFile(f"{where()} has {name!r} that is not a list.")
            if not all(type(item) is str for item in value):
                raise BadFile(f"{where()} has {name!r} holding something that is not text.")
    if table == "segments" and "rule" in doc and (problem := rule_problem(doc["rule"])):
        raise BadFile(f"{where()} has a rule that cannot be used: {problem}.")
    if "deleted" in doc and type(doc["deleted"]) is not bool:
        raise BadFile(f"{where()} has 'deleted' that is not true or false.")
    if VERSIONS_KEY in doc and not _versions_ok(doc[VERSIONS_KEY]):
        raise BadFile(f"{where()} has field versions ({VERSIONS_KEY!r}) of the wrong shape.")
    for name in _INTS.get(table, ()):
        if name in doc and (not isinstance(doc[name], int) or isinstance(doc[name], bool)):
            raise BadFile(f"{where()} has {name!r} that is not a whole number.")
    for name, parse in _DATED.get(table, ()):
        value = doc.get(name)
        if value is None or value == "":  # no date ("" is an open step's done mark)
            continue
        try:
            parse(value)
        except (TypeError, ValueError):
            raise BadFile(f"{where()} has {name!r} = {value!r}, which is not a date.") from None


def _versions_ok(versions: object) -> bool:
    if not isinstance(versions, dict):
        return False
    for entry in versions.values():
        if type(entry) is str:
            continue
        if not isinstance(entry, dict) or not all(type(v) is str for v in entry.values()):
            return False
    return True


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _adopted(table: str, key: str, doc: dict[str, Any], database_id: str) -> dict[str, Any]:
    """A document another program inserted through TinyDB (no id, no stamps), made a record.

    The id is derived from the database, the table, the key and the content, so every
    process that reads the file before the next write gives it the same id (two copies
    merge into one record, not two); the stamps are now, by "tinydb"."""
    content = json.dumps(doc, sort_keys=True, ensure_ascii=False, default=str)
    rid = str(uuid.uuid5(uuid.NAMESPACE_URL, f"meetup-tui:{database_id}/{table}/{key}/{content}"))
    stamp = utc_now_iso()
    adopted = dict(doc, id=rid)
    for name, value in (("created_at", stamp), ("updated_at", stamp), ("updated_by", "tinydb")):
        if adopted.get(name) is None:
            adopted[name] = value
    return adopted


def decode(path: Path, data: Tables) -> tuple[Book, dict[str, Any]]:
    """A Book and the meta document from tables at the current schema.

    An id that appears twice in a table is merged into one record (nothing is dropped) and
    said in `book.problems`; tables this version does not know are kept in `book.extra_tables`.
    """
    meta = meta_of(path, data)
    meta.setdefault("schema", SCHEMA)
    meta.setdefault("database_id", str(uuid.uuid4()))
    book = Book()
    for table, kind in TABLES.items():
        documents = data.get(table, {})
        held = book.table(kind)  # filled here directly: the loop runs for every record
        quick = _QUICK.get(table)
        for key, doc in documents.items():
            if not isinstance(doc, dict):
                raise BadFile(f"{path}: record {key} in table {table!r} is not an object.")
            if "id" not in doc:
                doc = _adopted(table, key, doc, str(meta["database_id"]))
                book.adopted.append(doc["id"])
            if quick is None or not quick(doc):
                _check(path, table, key, doc)
            try:
                record = kind.from_doc(doc)
            except (TypeError, ValueError) as exc:
                raise BadFile(f"{path}: record {key} in table {table!r} is malformed ({exc}).") from None
            seen = held.get(record.id)
            if seen is not None:
                book.problems.append(f"the id {record.id} twice in {table} (merged into one record)")
                record = merge_records(seen, record)
            held[record.id] = record
    book.extra_tables = {name: docs for name, docs in data.items() if name != META and name not in TABLES}
    return book, meta


def encode(book: Book, meta: dict[str, Any], *, interactions: Iterable[Record] | None = None) -> Tables:
    """The tables of `book`; with `interactions`, those stand for the book's log (the main
    file of a database whose closed years live in archive files)."""
    return {
        name: {str(n): r.stored() for n, r in enumerate(value, start=1)} if isinstance(value, list) else value
        for name, value in tables_of(book, meta, interactions=interactions).items()
    }


def tables_of(book: Book, meta: dict[str, Any], *, interactions: Iterable[Record] | None = None) -> Tables:
    """`encode`'s tables with each record table as its list of records, in order (the
    document of the n-th has the key "n"): for `jsonfile.Encoder`, which dumps only the
    records it has not dumped before."""
    tables: Tables = {META: {"1": dict(meta, schema=SCHEMA)}}
    for table, kind in TABLES.items():
        own = interactions is None or table != "interactions"
        tables[table] = list(book.table(kind).values() if own else interactions)  # type: ignore[arg-type]
    for name, docs in book.extra_tables.items():
        tables.setdefault(name, docs)
    return tables
