"""A segment's rule is data: each condition, its combinations, the one-sentence errors for a
rule of the wrong shape (in a file: refused with that sentence), and its words."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from meetup_tui.domain.book import is_member, member_test
from meetup_tui.domain.records import Person, Segment
from meetup_tui.domain.segment_rules import describe_rule, rule_problem
from meetup_tui.store.database import BadFile, Database


@pytest.mark.parametrize(
    ("rule", "said"),
    [
        ([], "a rule must be an object of conditions"),
        ({"tags": "runner"}, "the rule's tags must be a list of words"),
        ({"tags": ["runner", 3]}, "the rule's tags must be a list of words"),
        ({"tags_mode": "most"}, "the rule's tags_mode must be 'any' or 'all', not 'most'"),
        ({"stage": 2}, "the rule's stage must be text, not 2"),
        ({"min_influence": "3"}, "the rule's min_influence must be a whole number from 0 to 5, not '3'"),
        ({"min_influence": 9}, "the rule's min_influence must be a whole number from 0 to 5, not 9"),
        ({"min_influence": True}, "the rule's min_influence must be a whole number from 0 to 5, not True"),
    ],
)
def test_a_rule_of_the_wrong_shape_is_one_sentence(rule: object, said: str) -> None:
    assert rule_problem(rule) == said


def test_good_rules_and_unknown_keys_pass() -> None:
    assert rule_problem({}) is None
    assert rule_problem({"tags": ["a"], "tags_mode": "all", "stage": "lead", "min_influence": 0}) is None
    assert rule_problem({"x_future": {"anything": 1}}) is None, "a newer version's keys are kept"


def test_a_file_with_a_bad_rule_is_refused_with_the_sentence_and_left_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "shop.json"
    db = Database.open(path, user="alex@shop", create=True)
    db.commit(db.stamp(Segment(name="Runners", rule={"tags": ["runner"]})))
    data = json.loads(path.read_text())
    data["segments"]["1"]["rule"]["min_influence"] = "lots"
    path.write_text(json.dumps(data))
    before = path.read_bytes()
    with pytest.raises(BadFile, match="min_influence must be a whole number from 0 to 5, not 'lots'"):
        Database.open(path, user="alex@shop")
    assert path.read_bytes() == before


def test_rules_in_words() -> None:
    assert describe_rule({}) == "no rule (members are added by hand)"
    assert describe_rule({"tags": ["runner"]}) == "tag runner"
    rule = {"tags": ["runner", "cyclist"], "tags_mode": "all", "area": "Millbrook", "min_influence": 3}
    assert describe_rule(rule) == "tags runner and cyclist · area Millbrook · influence 3+"
    assert describe_rule({"tags": ["a", "b"], "stage": "lead"}) == "tags a or b · stage lead"


people = st.builds(
    Person,
    name=st.just("P"),
    tags=st.lists(st.sampled_from(["a", "b", "c"]), unique=True),
    stage=st.sampled_from(["prospect", "lead", "customer"]),
    influence=st.integers(0, 5),
    area=st.sampled_from(["", "Old Town", "old town", "Harbour"]),
    owner=st.sampled_from(["", "alex", "sam"]),
)
rules = st.fixed_dictionaries(
    {},
    optional={
        "tags": st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, unique=True),
        "tags_mode": st.sampled_from(["any", "all"]),
        "stage": st.sampled_from(["prospect", "lead"]),
        "area": st.sampled_from(["Old Town", "HARBOUR"]),
        "min_influence": st.integers(0, 5),
        "owner": st.sampled_from(["alex", "sam"]),
    },
)


@given(person=people, rule=rules, listed=st.sampled_from(["none", "include", "exclude", "both"]))
def test_membership_is_the_conditions_read_one_by_one(person: Person, rule: dict, listed: str) -> None:
    """Against a plain reading of the rule: exclude wins, then include, then every condition."""
    segment = Segment(name="S", rule=rule)
    if listed in ("include", "both"):
        segment.include.append(person.id)
    if listed in ("exclude", "both"):
        segment.exclude.append(person.id)
    tags = set(rule.get("tags", []))
    expected = (
        False
        if listed in ("exclude", "both")
        else True
        if listed == "include"
        else bool(rule)
        and (
            not tags
            or (tags <= set(person.tags) if rule.get("tags_mode") == "all" else bool(tags & set(person.tags)))
        )
        and rule.get("stage", person.stage) == person.stage
        and ("area" not in rule or rule["area"].casefold() == person.area.casefold())
        and person.influence >= rule.get("min_influence", 0)
        and rule.get("owner", person.owner) == person.owner
    )
    assert is_member(segment, person) is expected
    assert member_test(segment)(person) is expected
