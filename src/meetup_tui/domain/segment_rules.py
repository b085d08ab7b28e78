"""A segment's rule: which people belong without being named one by one.

A rule is data, a JSON object of conditions that must all hold:

    {"tags": ["runner", "cyclist"], "tags_mode": "any",   one of these tags ("all": every one)
     "stage": "customer", "area": "Millbrook",            exactly (area in any case)
     "min_influence": 3, "owner": "sam@shop"}             influence at least 3; looked after by

An empty rule matches no one (the segment is its manual include list).  Keys this version
does not know (a newer version's) are kept and ignored.  `rule_problem` says, in one
sentence, what is wrong with a rule of the wrong shape; matching is `book.member_test`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from meetup_tui.domain.errors import UserError

TAG_MODES = ("any", "all")


def rule_problem(rule: object) -> str | None:
    """Why `rule` cannot be used, or None when it can."""
    if not isinstance(rule, dict):
        return "a rule must be an object of conditions"
    tags = rule.get("tags")
    if tags is not None and (not isinstance(tags, list) or not all(type(t) is str for t in tags)):
        return "the rule's tags must be a list of words"
    if rule.get("tags_mode", "any") not in TAG_MODES:
        return f"the rule's tags_mode must be 'any' or 'all', not {rule['tags_mode']!r}"
    for key in ("stage", "area", "owner"):
        if rule.get(key) is not None and type(rule[key]) is not str:
            return f"the rule's {key} must be text, not {rule[key]!r}"
    least = rule.get("min_influence")
    if least is not None and (type(least) is not int or not 0 <= least <= 5):
        return f"the rule's min_influence must be a whole number from 0 to 5, not {least!r}"
    return None


def describe_rule(rule: dict[str, Any]) -> str:
    """ "tag runner or cyclist · stage customer · area Millbrook · influence 3+ · owner sam"."""
    parts = []
    tags = rule.get("tags") or []
    if tags:
        joiner = " and " if rule.get("tags_mode") == "all" else " or "
        parts.append(("tags " if len(tags) > 1 else "tag ") + joiner.join(tags))
    for key in ("stage", "area", "owner"):
        if rule.get(key):
            parts.append(f"{key} {rule[key]}")
    if rule.get("min_influence") is not None:
        parts.append(f"influence {rule['min_influence']}+")
    return " · ".join(parts) if parts else "no rule (members are added by hand)"


RULE_KEYS = ("tags", "tags_mode", "stage", "area", "min_influence", "owner")
"""The conditions this version reads and writes; others (a newer version's) are kept."""


def make_rule(
    *,
    tags: Sequence[str] = (),
    all_tags: bool = False,
    stage: str = "",
    area: str = "",
    min_influence: int | None = None,
    owner: str = "",
    base: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The rule these conditions make (blank ones left out), keeping the keys of `base`
    this version does not know, so editing a newer version's segment loses nothing."""
    rule = {k: v for k, v in (base or {}).items() if k not in RULE_KEYS}
    words = [" ".join(t.split()) for t in tags]
    words = list(dict.fromkeys(t for t in words if t))
    if words:
        rule["tags"] = words
        if all_tags:
            rule["tags_mode"] = "all"
    for key, value in (("stage", stage), ("area", area), ("owner", owner)):
        if value.strip():
            rule[key] = " ".join(value.split())
    if min_influence is not None:
        rule["min_influence"] = min_influence
    return rule


def parse_least(text: str) -> int | None:
    """ "3" -> 3 and "" -> None (any influence); anything else is one sentence (UserError)."""
    words = text.strip().rstrip("+").strip()
    if not words:
        return None
    if not words.isdigit() or not 0 <= int(words) <= 5:
        raise UserError(f"Influence at least must be a whole number from 0 to 5, not {text.strip()!r}.")
    return int(words)
