"""Settings: the weights of the outreach score and the few choices a user can make.

They live in a TOML file (see `meetup_tui.store.settings_file` for where); every key is
optional and a missing file means every default.  A key this version does not know is an
error naming the key (a typo must not be silently ignored), and so is a value of the wrong
kind.  Every key, with its default:

    daily_cap = 5                  people shown on today's list before "show more" (1 or more)
    default_cadence = "monthly"    cadence for people with none of their own or from a segment
    stages = ["stranger", "prospect", "lead", "customer", "advocate"]   the journey, in order
    birthday_days = 7              a birthday within this many days (0 = only on the day) counts
    introduction_days = 30         an introduction this recent, with no contact yet, counts
    attempt_retry_days = 2         an unanswered attempt this many days old asks to try again
    engaged_days = 14              engaging with a post counts, fading, for this many days
    overdue_cap = 3.0              "overdue" stops growing at this many cadence intervals
    dayfirst = false               read "03/04" as 3 April (true) or March 4 (false)
    open_on = "main"               what `meetup-tui` opens on: "main" or "checkin"

    [weights]                      points per signal (0 or more; 0 switches a signal off)
    overdue = 10.0                 per cadence interval since the last real conversation
    follow_up = 12.0               a follow-up date that has come
    introduction = 9.0             introduced lately and not yet contacted
    never_contacted = 6.0          never talked, and their spread first-due day has come
    attempt = 4.0                  tried (voicemail, no answer), not reached since
    birthday = 4.0                 a birthday coming up
    influence = 2.0                per point of influence (0-5)
    untouched_connector = 5.0      one of a segment's top 3 connectors, no real talk in 30 days
    engaged = 8.0                  commented on, shared or messaged about a post (a like: half)

    [stage_weights]                points by journey stage; a stage not listed weighs 0
    lead = 3.0
    advocate = 2.0

Why these numbers: a promise made (a follow-up) outranks being one cadence interval
overdue, and a warm introduction going cold nearly does; how overdue someone is grows to
three intervals (10-30 points) so the long-neglected rise above the merely due; a cold
first contact (never talked) weighs less than all of those.  Someone who commented on,
shared or messaged about a post today (8) is ready for a conversation now: above a cold
first contact, below a promise or a warm introduction, and fading to nothing over
`engaged_days` (a like is worth half: the least sign of interest); talking to them, or
trying to, ends it.  A segment's connector nobody
talked to in 30 days (5) is listed too, below a cold first contact: connectors are the most
influential members, so their influence points lift them further, yet a follow-up for
someone as influential as they are always comes first.  Influence (0-10 points) and
stage only *add* to people already due: they order the list, they never put anyone on it.
Leads (interested, not yet buying) get the most stage weight and advocates (who bring
others) are kept warm; "prospect" is the stage every new person gets unless told
otherwise, so weighting it would add the same points (and a reason) to nearly everyone:
its default is 0 (set `prospect = 1.0` under [stage_weights] to nurture them too).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import Any

from meetup_tui.domain.cadence import parse_cadence
from meetup_tui.domain.errors import CadenceError, UserError
from meetup_tui.domain.records import STAGES

DEFAULT_CADENCE = "FREQ=MONTHLY"
OPEN_ON = ("main", "checkin")
DEFAULT_STAGE_WEIGHTS: Mapping[str, float] = MappingProxyType({"lead": 3.0, "advocate": 2.0})


class SettingsError(UserError):
    """A setting that cannot be used; the message names the key."""


@dataclass(frozen=True)
class Weights:
    """Points each signal of the outreach score is worth (see the module docstring)."""

    overdue: float = 10.0
    follow_up: float = 12.0
    introduction: float = 9.0
    never_contacted: float = 6.0
    attempt: float = 4.0
    birthday: float = 4.0
    influence: float = 2.0
    untouched_connector: float = 5.0
    engaged: float = 8.0


@dataclass(frozen=True)
class Settings:
    weights: Weights = field(default_factory=Weights)
    daily_cap: int = 5
    default_cadence: str = DEFAULT_CADENCE  # an RRULE; the file says it in words
    stages: tuple[str, ...] = STAGES
    stage_weights: Mapping[str, float] = field(default_factory=lambda: DEFAULT_STAGE_WEIGHTS)
    birthday_days: int = 7
    introduction_days: int = 30
    attempt_retry_days: int = 2
    engaged_days: int = 14
    overdue_cap: float = 3.0
    dayfirst: bool = False
    open_on: str = "main"

    def stage_weight(self, stage: str) -> float:
        return self.stage_weights.get(stage, 0.0)


def starting_stage(stages: tuple[str, ...]) -> str:
    """The stage a new person starts at: "prospect" when the journey has it, else its first."""
    return "prospect" if "prospect" in stages else stages[0]


DEFAULTS_TOML = """\
# meetup-tui settings.  Every key is optional: delete a line to get its default.
# A key meetup-tui does not know is an error, so a typo never goes unnoticed.

# People on today's list before "show more".
daily_cap = 5
# How often to stay in touch with people who have no cadence of their own or from a
# segment: "weekly", "every 2 weeks", "monthly", "quarterly", "every 10 days"...
default_cadence = "monthly"
# The journey stages, in order.
stages = ["stranger", "prospect", "lead", "customer", "advocate"]
# A birthday within this many days puts someone on the list (0 = only on the day).
birthday_days = 7
# Someone introduced within this many days and not contacted yet is listed.
introduction_days = 30
# An unanswered attempt (voicemail, no answer) this many days old: try again.
attempt_retry_days = 2
# Someone who engaged with a post (`P`, `meetup-tui post --engaged`) is listed for this
# many days, less each day, until someone talks to them or tries to.
engaged_days = 14
# "Overdue" stops growing at this many cadence intervals.
overdue_cap = 3.0
# Read "03/04" as 3 April (true) or as March 4 (false).
dayfirst = false
# What `meetup-tui` opens on: "main" or "checkin".
open_on = "main"

# Points per signal (0 or more; 0 switches a signal off).
[weights]
overdue = 10.0          # per cadence interval since the last real conversation
follow_up = 12.0        # a follow-up date that has come
introduction = 9.0      # introduced lately, not yet contacted
never_contacted = 6.0   # never talked, and their first-due day has come
attempt = 4.0           # tried (voicemail, no answer), not reached since
birthday = 4.0          # a birthday coming up
influence = 2.0         # per point of influence (0-5)
untouched_connector = 5.0   # a segment's connector (top 3) not talked to in 30 days
engaged = 8.0           # commented on, shared or messaged about a post (a like: half), fading

# Points by journey stage; a stage not listed weighs 0.
[stage_weights]
# prospect = 1.0        # uncomment to nurture prospects too
lead = 3.0
advocate = 2.0
"""

_TOP_KEYS = tuple(f.name for f in fields(Settings))
_WEIGHT_KEYS = tuple(f.name for f in fields(Weights))


def settings_from_dict(data: Mapping[str, Any]) -> Settings:
    """Settings from a parsed TOML document; SettingsError names the first bad key."""
    if not isinstance(data, Mapping):
        raise SettingsError(f"The settings must be a table of keys, not {_show(data)}.")
    _no_unknown(data, _TOP_KEYS, "")
    found: dict[str, Any] = {}
    if "weights" in data:
        table = _table(data["weights"], "weights")
        _no_unknown(table, _WEIGHT_KEYS, "weights.")
        found["weights"] = Weights(**{k: _number(v, f"weights.{k}") for k, v in table.items()})
    for key in ("daily_cap",):
        if key in data:
            found[key] = _whole(data[key], key, low=1)
    days = {"birthday_days": 365, "introduction_days": 3650, "attempt_retry_days": 365, "engaged_days": 365}
    for key, high in days.items():
        if key in data:
            found[key] = _whole(data[key], key, low=0, high=high)
    if "overdue_cap" in data:
        found["overdue_cap"] = _number(data["overdue_cap"], "overdue_cap", low=1.0)
    if "default_cadence" in data:
        found["default_cadence"] = _cadence(data["default_cadence"])
    if "stages" in data:
        found["stages"] = _stages(data["stages"])
    stages = found.get("stages", STAGES)
    if "stage_weights" in data:
        table = _table(data["stage_weights"], "stage_weights")
        weights: dict[str, float] = {}
        for stage, value in table.items():
            if stage not in stages:
                raise SettingsError(
                    f"Setting stage_weights.{stage} names no stage; the stages are {', '.join(stages)}."
                )
            weights[stage] = _number(value, f"stage_weights.{stage}")
        found["stage_weights"] = MappingProxyType(weights)
    elif "stages" in data:  # the default weights, for those of the default stages still there
        kept = {k: v for k, v in DEFAULT_STAGE_WEIGHTS.items() if k in stages}
        found["stage_weights"] = MappingProxyType(kept)
    if "dayfirst" in data:
        if not isinstance(data["dayfirst"], bool):
            raise SettingsError(f"Setting dayfirst must be true or false, not {_show(data['dayfirst'])}.")
        found["dayfirst"] = data["dayfirst"]
    if "open_on" in data:
        if data["open_on"] not in OPEN_ON:
            raise SettingsError(f'Setting open_on must be "main" or "checkin", not {_show(data["open_on"])}.')
        found["open_on"] = data["open_on"]
    return Settings(**found)


# -- checks -------------------------------------------------------------------------------


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _no_unknown(table: Mapping[str, Any], known: tuple[str, ...], prefix: str) -> None:
    for key in table:
        if key not in known:
            names = ", ".join(f"{prefix}{k}" for k in known)
            raise SettingsError(f"Unknown setting {prefix}{key}; the known ones are {names}.")


def _table(value: Any, key: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise SettingsError(f"Setting {key} must be a table ([{key}]), not {_show(value)}.")
    return value


def _number(value: Any, key: str, low: float = 0.0) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SettingsError(f"Setting {key} must be a number, not {_show(value)}.")
    if not math.isfinite(value) or value < low:
        raise SettingsError(f"Setting {key} must be a number of {low:g} or more, not {_show(value)}.")
    return float(value)


def _whole(value: Any, key: str, *, low: int, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise SettingsError(f"Setting {key} must be a whole number, not {_show(value)}.")
    if value < low or (high is not None and value > high):
        span = f"from {low} to {high}" if high is not None else f"of {low} or more"
        raise SettingsError(f"Setting {key} must be a whole number {span}, not {_show(value)}.")
    return value


def _cadence(value: Any) -> str:
    if not isinstance(value, str):
        raise SettingsError(f'Setting default_cadence must be words like "monthly", not {_show(value)}.')
    try:
        return parse_cadence(value)
    except CadenceError:
        raise SettingsError(
            f'Setting default_cadence must be a cadence such as "monthly" or "every 2 weeks", '
            f"not {_show(value)}."
        ) from None


def _stages(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise SettingsError(f"Setting stages must be a list of stage names, not {_show(value)}.")
    stages: list[str] = []
    for item in value:
        if not isinstance(item, str) or not item.strip():
            raise SettingsError(f"Setting stages must list names, and {_show(item)} is not one.")
        name = item.strip()
        if name.casefold() in (s.casefold() for s in stages):
            raise SettingsError(f"Setting stages names {name!r} twice.")
        stages.append(name)
    return tuple(stages)
