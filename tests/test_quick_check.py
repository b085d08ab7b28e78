"""Reading a file checks each document by a quick test first (store/schema.py); whatever it
passes must be exactly what the full check passes, and a record built by the fast path
must equal the one `__init__` builds, and be written as `to_doc` says."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from meetup_tui.domain.records import TABLES, Interaction, Person, Post
from meetup_tui.store import schema
from meetup_tui.store.jsonfile import BadFile

GOOD = {
    "people": Person(name="Ana", phones=["0770"], tags=["riders"], influence=3, snoozed_until="2026-12-01"),
    "interactions": Interaction(at="2026-11-20T10:00", people=["p1"], follow_up="2026-12-01", done=""),
    "posts": Post(platform="instagram", at="2026-11-20T09:00", likes=12),
}
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12)
    | st.sampled_from(["", "2026-11-20", "2026-11-20T10:00", "2026-13-01", "--12-01"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=6,
)


def full_check_passes(table: str, doc: dict) -> bool:
    try:
        schema._check(Path("x.json"), table, "1", doc)
    except BadFile:
        return False
    return True


@settings(max_examples=400)
@given(table=st.sampled_from(sorted(GOOD)), data=st.data(), value=JSON, drop=st.booleans())
def test_the_quick_check_passes_only_what_the_full_check_passes(table, data, value, drop) -> None:
    doc = GOOD[table].to_doc()
    name = data.draw(st.sampled_from(sorted(doc) + ["_v"]))
    if drop:
        doc.pop(name, None)
    else:
        doc[name] = value
    if schema._QUICK[table](doc):
        assert full_check_passes(table, doc), doc


def test_the_quick_check_passes_the_documents_this_version_writes() -> None:
    for table, record in GOOD.items():
        doc = record.to_doc()
        assert schema._QUICK[table](doc) and full_check_passes(table, doc)


@given(versions=st.dictionaries(st.sampled_from(["name", "tags", "stage"]), st.just("2026-11-20T10:00:00Z")))
def test_a_record_built_by_the_fast_path_equals_one_built_by_init(versions) -> None:
    for kind in TABLES.values():
        record = kind() if kind is not Person else Person(name="Ana", tags=["a"], versions=versions)
        doc = record.to_doc()
        built = kind.from_doc(doc)
        assert built == record and built.versions == record.versions and built.extra == {}
        assert built.stored() == record.stored() == doc  # what the writer writes: the same
        doc["x_custom"] = {"kept": [1]}  # a field of a newer version: kept as it is
        assert kind.from_doc(doc).stored() == kind.from_doc(doc).to_doc() == doc
        del doc["x_custom"]
        doc["updated_at"] = ""  # as __post_init__: the record's stamp stands in
        assert kind.from_doc(doc).updated_at == record.created_at
