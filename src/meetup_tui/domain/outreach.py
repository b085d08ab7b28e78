"""Who to contact today, and why: a transparent, deterministic ranking.

The score is a weighted sum of signals (weights in `Settings.weights`); each signal that
counts becomes a reason in plain words.  Someone is listed only when a *due* signal fires:

- overdue: days since the last real conversation / the cadence interval in days, counted
  once the cadence says they are due, capped at `overdue_cap` intervals
  ("last talked 47 days ago, every 2 weeks");
- follow-up: an open next step's date has come ("follow-up due: send the winter price
  list"), or has passed ("next step overdue (due 3 days ago): ..."): a step is open until
  someone marks it done, whatever was logged after it;
- introduction: introduced by someone, added within `introduction_days`, and nothing logged
  with them yet ("introduced by Maya Okafor 5 days ago, not yet contacted");
- never contacted: never reached, and their *spread* first-due day has come
  ("never talked yet, monthly"; an introduction that counts says it instead);
- attempt: the newest voicemail / no answer is `attempt_retry_days` old or more and no real
  conversation came after it ("tried 3 days ago (voicemail), ask again") -- unless it, or a
  later entry, set an open next step with a date: that date says when to try again (a
  check-in "plan" is such an attempt).  Attempts never move the cadence clock: only real
  conversations do;
- birthday within `birthday_days` ("birthday in 3 days"; 29 February is kept on the
  28th in other years);
- engaged: commented on, shared, messaged about or liked a post in the last
  `engaged_days` days, and nobody talked to or tried them since ("commented on your
  Instagram post 2 days ago — invite them in"); worth less each day (domain/engagement.py);
- untouched connector: one of a live segment's connectors (its top 3, see `connectors`)
  with no real conversation in `CONNECTOR_DAYS` days ("connector of Runners' club and
  Bakers, not talked to in 30+ days"): one reason and one weight however many segments.

Influence ("influence 5") and journey stage ("a lead to nurture", "an advocate to keep
warm") then add to the score of people already due, never list anyone on their own.  A
signal whose weight is 0 is off: no points, no reason, lists no one.

Left out: deleted people, people snoozed until after today, anyone with a talk or an
attempt dated today or later (a step only noted today keeps them on the list), and, when
`mine` is given, people owned by someone else (people without an owner are everyone's).

Ranked by score, then influence, then name (any case), then id: the same book and day
always give the same list, whatever order the records were loaded in.

The first-due day of people never talked to is in `spread`; the words of each reason and
the talking point are in `reasons`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, datetime, timedelta
from operator import itemgetter
from typing import NamedTuple

from meetup_tui.domain import reasons
from meetup_tui.domain.book import Book, PersonLog, member_test
from meetup_tui.domain.cadence import cadence_days, describe_cadence, next_due
from meetup_tui.domain.collector import collector_paused
from meetup_tui.domain.connectors import CONNECTOR_DAYS, untouched_connectors
from meetup_tui.domain.engagement import Engagement, engaged_words, recent_engagement
from meetup_tui.domain.records import KINDS, Interaction, Person, Segment
from meetup_tui.domain.settings import DEFAULT_CADENCE, Settings
from meetup_tui.domain.spread import Batches, Spread

__all__ = [
    "ACTION_DONE",
    "ACTION_SYMBOLS",
    "DEFAULT_CADENCE",
    "DEFAULT_SETTINGS",
    "Suggestion",
    "best_now",
    "cadence_of",
    "rank_today",
    "suggest_action",
    "talk_kind",
]

DEFAULT_SETTINGS = Settings()

# One terminal cell each, and none is an emoji (no colour glyph, no width surprises):
# the shape carries the meaning without colour, next to the word.
ACTION_SYMBOLS = {
    "call": "✆",
    "coffee": "⊔",
    "lunch": "◒",
    "invite in": "⌂",
    "visit": "⌂",
    "event": "✦",
    "message": "✎",
}

Segments = list[tuple[Callable[[Person], bool], str]]


class _Due(NamedTuple):
    """What the scan found for one person; the words are made from it when first read."""

    rule: str
    reached: str | None  # `at` of the last real conversation
    overdue: float  # cadence intervals since the last real conversation, capped (0: not due)
    first: str  # "introduction", "never_contacted" or ""
    step: Interaction | None  # an open step whose follow-up day has come
    attempt: Interaction | None  # an attempt to try again
    birthday: int | None  # days until it
    open_step: Interaction | None  # the open step with the earliest follow-up day, due or not
    learned: Interaction | None  # the newest entry saying what they told us
    connector: tuple[str, ...] | None  # the segments they are an untouched connector of
    engaged: Engagement | None  # their engagement with a recent post, not followed up


class _Words(NamedTuple):
    action: str
    reasons: list[str]
    points: dict[str, float]
    last_contact: date | None
    due: date | None
    next_step: str
    talking_point: str


class Suggestion(tuple):  # type: ignore[type-arg]
    """Someone to contact today.  Read it by attribute: `person`, `score`, `action`,
    `reasons`, `points` (signal -> points, as in `reasons`), `last_contact` (the last real
    conversation), `due` (by cadence, or the spread first-due day), `next_step` (the open
    one, due or not), `talking_point` (what they last told us) and `symbol`.

    Underneath it is the tuple its ranking sorts by (score, influence, name, id), built in
    one C-level allocation; the words are made when first read.  Ranking thousands of
    people therefore costs little more than their scores.
    """

    __slots__ = ()

    person: Person = property(itemgetter(4))  # type: ignore[assignment]
    score: float = property(lambda self: -self[0])  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Suggestion({self.person.name!r}, {self.action!r}, {self.score}, {self.reasons!r})"

    @property
    def words(self) -> _Words:
        day: _Day = self[5]
        found = day.said.get(self[3])
        if found is None:
            found = day.said[self[3]] = day.words(self[4], _Due(*self[6:]))
        return found

    action = property(lambda self: self.words.action)
    reasons = property(lambda self: list(self.words.reasons))
    points = property(lambda self: dict(self.words.points))
    last_contact = property(lambda self: self.words.last_contact)
    due = property(lambda self: self.words.due)
    next_step = property(lambda self: self.words.next_step)
    talking_point = property(lambda self: self.words.talking_point)

    @property
    def symbol(self) -> str:
        return ACTION_SYMBOLS.get(self.action, "◦")


def cadence_of(book: Book, person: Person, default: str = DEFAULT_CADENCE) -> str:
    """The person's own cadence, else their first segment's (by name), else the default."""
    return _cadence(person, _cadence_segments(book), default)


def _cadence_segments(book: Book) -> Segments:
    """The segments that set a cadence, in name order, each with its membership test (kept
    while the segments stay as they are)."""

    def build(book: Book) -> Segments:
        return [(member_test(s), s.cadence) for s in book.live_segments() if s.cadence]

    return book.memo("outreach.cadence_segments", book.changes(Segment), build)


def _cadence(person: Person, segments: Segments, default: str) -> str:
    if person.cadence:
        return person.cadence
    for member, cadence in segments:
        if member(person):
            return cadence
    return default


# What doing each suggested action is, in words ("c: you invited them in — log it").
ACTION_DONE = {
    "call": "you called",
    "coffee": "you had coffee",
    "lunch": "you had lunch",
    "invite in": "you invited them in",
    "visit": "they came in",
    "message": "you messaged them",
    "event": "you met at an event",
}


def talk_kind(action: str) -> str:
    """The kind of log entry doing `action` makes: the action itself when it is a kind of
    talk; "invite in" is the call that invites them."""
    return action if action in KINDS else "call"


def suggest_action(person: Person) -> str:
    """The preferred channel, else by stage and place: lunch with an influential advocate,
    invite a local customer in, coffee for a lead, call everyone else (a prospect...)."""
    if person.channel:
        return person.channel
    if person.stage == "advocate" and person.influence >= 4:
        return "lunch"
    if person.stage == "customer" and person.area:
        return "invite in"
    if person.stage == "lead":
        return "coffee"
    return "call"


def rank_today(
    book: Book,
    today: date,
    *,
    settings: Settings = DEFAULT_SETTINGS,
    mine: str | None = None,
    limit: int | None = None,
) -> list[Suggestion]:
    """People to contact on `today`, best first, each with the reasons for it."""
    with collector_paused():  # the scan allocates thousands of small tuples
        ranked = _Day(book, today, settings).scan(mine)
    return ranked[:limit] if limit is not None else ranked


def best_now(
    book: Book, now: datetime, settings: Settings = DEFAULT_SETTINGS, *, mine: str | None = None
) -> Suggestion | None:
    """Who to contact right now instead of posting: the top of today's list, skipping
    anyone whose suggested call has no phone number to dial (unless no one else is due)."""
    ranked = rank_today(book, now.date(), settings=settings, mine=mine)
    for suggestion in ranked:
        if suggestion.action != "call" or suggestion.person.phone:
            return suggestion
    return ranked[0] if ranked else None


# -- the day's judgement -------------------------------------------------------------------


@functools.lru_cache(maxsize=256)
def _rule_facts(rule: str) -> tuple[int, str]:
    return cadence_days(rule), describe_cadence(rule)


next_due_cached = functools.lru_cache(maxsize=16384)(next_due)


def _ordinal_reader(ordinals: dict[str, int]) -> Callable[[str], int]:
    """ "YYYY-MM-DD" -> its ordinal, kept in `ordinals`.  A function of the dict, not a method
    of `_Day`: the Spread holds it, and a bound method would make `_Day` a cycle that only
    the collector frees (a command ending would pay a 175 ms collection for its book)."""

    def ordinal_of(day: str) -> int:
        found = ordinals.get(day)
        if found is None:
            found = ordinals[day] = date.fromisoformat(day).toordinal()
        return found

    return ordinal_of


class _Day:
    """One ranking: the log's index and the day's limits worked out once, then one pass
    over the people that decides with string and ordinal comparisons who is due."""

    def __init__(self, book: Book, today: date, settings: Settings) -> None:
        self.book, self.today, self.settings = book, today, settings
        self.iso, self.ordinal = today.isoformat(), today.toordinal()
        self.log = book.contact_index()
        # Who was added on which day changes only when someone new is put (tombstones stay).
        batches = book.memo("outreach.batches", len(book.people), Batches)
        # Each person's cadence from their segments, kept while the segments stay as they are.
        self.by_segment = book.memo("outreach.segment_cadence", book.changes(Segment), lambda _: {})
        self.ordinals: dict[str, int] = {}  # "YYYY-MM-DD" -> ordinal
        self.ordinal_of = _ordinal_reader(self.ordinals)  # not a bound method: see there
        self.said: dict[str, _Words] = {}  # person id -> their suggestion in words
        self.spread = Spread(batches, self.ordinal, settings.daily_cap, self.ordinal_of)

    def scan(self, mine: str | None) -> list[Suggestion]:
        """Everyone due today, best first."""
        settings, iso, today, ordinal = self.settings, self.iso, self.today, self.ordinal
        weights, cap, default = settings.weights, settings.overdue_cap, settings.default_cadence
        w_overdue, w_never, w_intro = weights.overdue, weights.never_contacted, weights.introduction
        w_follow, w_attempt, w_birthday = weights.follow_up, weights.attempt, weights.birthday
        w_influence, stage_weights = weights.influence, dict(settings.stage_weights)
        w_connector, w_engaged = weights.untouched_connector, weights.engaged
        engaged = recent_engagement(self.book, today, settings.engaged_days) if w_engaged > 0 else {}
        # Person id -> segment names; one pass over every segment, kept per version of the book.
        connected = untouched_connectors(self.book, today, days=CONNECTOR_DAYS) if w_connector > 0 else {}
        intro_since = (today - timedelta(days=settings.introduction_days)).isoformat()
        retry_by = (today - timedelta(days=settings.attempt_retry_days - 1)).isoformat()
        birthdays = reasons.upcoming_birthdays(today, settings.birthday_days) if w_birthday > 0 else {}
        segments, by_segment = _cadence_segments(self.book), self.by_segment
        due_before: dict[str, tuple[str, int]] = {}  # rule -> (talks before this are due, days)
        ordinals, ordinal_of, first_due = self.ordinals, self.ordinal_of, self.spread.first_due
        logs, nothing = self.log.people.get, PersonLog()
        found: list[Suggestion] = []
        new = tuple.__new__
        for person in self.book.people.values():
            if person.deleted or (person.snoozed_until and person.snoozed_until > iso):
                continue
            if mine is not None and person.owner and person.owner != mine:
                continue
            pid = person.id
            log = logs(pid) or nothing
            if log.last_any >= iso:
                continue  # already contacted today (or later): "2026-11-26T09:00" >= "2026-11-26"
            rule = person.cadence
            if not rule:
                kept = by_segment.get(pid)  # (the person as they were, their segments' cadence)
                if kept is None or kept[0] is not person:
                    kept = by_segment[pid] = (person, _cadence(person, segments, ""))
                rule = kept[1] or default
            reached = log.last_reached
            score = overdue = 0.0
            first = ""
            if reached is not None:
                facts = due_before.get(rule)
                if facts is None:
                    facts = due_before[rule] = (_due_before(rule, today), _rule_facts(rule)[0])
                if reached < facts[0] and w_overdue > 0:
                    day = ordinals.get(reached[:10]) or ordinal_of(reached[:10])
                    overdue = (ordinal - day) / facts[1]
                    overdue = overdue if overdue < cap else cap
                    score = w_overdue * overdue
            elif (
                not log.last_any and person.introduced_by and w_intro > 0 and person.created_at >= intro_since
            ):
                first, score = "introduction", w_intro
            elif w_never > 0 and first_due(person, _rule_facts(rule)[0]) <= ordinal:
                first, score = "never_contacted", w_never
            step = open_step = log.dated  # the open step due first (open until marked done)
            if step is not None:
                if w_follow > 0 and step.follow_up <= iso:  # type: ignore[operator]
                    score += w_follow
                else:
                    step = None
            attempt = log.last_attempt
            if attempt is not None:
                if (
                    w_attempt > 0
                    and attempt.at < retry_by
                    and (reached is None or reached < attempt.at)
                    and (open_step is None or open_step.at < attempt.at)  # a dated next step says when
                ):
                    score += w_attempt
                else:
                    attempt = None
            ahead = birthdays.get(person.birthday[-5:]) if person.birthday and birthdays else None
            if ahead is not None:
                score += w_birthday
            linked = connected.get(pid) if connected else None
            if linked is not None:
                score += w_connector
            engagement = engaged.get(pid) if engaged else None
            if engagement is not None:
                score += w_engaged * engagement.worth
            if score <= 0:
                continue
            score += stage_weights.get(person.stage, 0.0)
            if person.influence > 0:
                score += w_influence * person.influence
            score = int(score * 100 + 0.5) / 100  # _cents, inline: this line runs for everyone due
            # The sort key, the person, this day, then a _Due's fields: one tuple, one allocation.
            found.append(
                new(
                    Suggestion,
                    (
                        -score, -person.influence, person.name.casefold(), pid, person, self,
                        rule, reached, overdue, first, step, attempt, ahead, open_step, log.learned, linked,
                        engagement,
                    ),
                )
            )  # fmt: skip
        found.sort()  # by score, then influence, then name in any case, then id: ids are unique
        return found

    def words(self, person: Person, due: _Due) -> _Words:
        """Put in words what `scan` found (the points add up to the score)."""
        weights, today = self.settings.weights, self.today
        interval, cadence = _rule_facts(due.rule)
        parts: list[tuple[str, float, str]] = []
        reached = due.reached
        last = date.fromordinal(self.ordinal_of(reached[:10])) if reached else None
        if last is not None:
            when = next_due_cached(due.rule, last)
            if due.overdue:
                said = reasons.overdue_words(self.ordinal - last.toordinal(), cadence)
                parts.append(("overdue", weights.overdue * due.overdue, said))
        else:
            when = date.fromordinal(self.spread.first_due(person, interval))
            if due.first == "introduction":
                introducer = self.book.people.get(person.introduced_by or "")
                said = reasons.introduction_words(person, introducer, today)
                parts.append(("introduction", weights.introduction, said))
            elif due.first:
                parts.append(
                    ("never_contacted", weights.never_contacted, reasons.never_contacted_words(cadence))
                )
        if due.step is not None:
            if due.step.follow_up and due.step.follow_up < self.iso:
                said = reasons.overdue_step_words(due.step, today)
                parts.append(("overdue_step", weights.follow_up, said))
            else:
                parts.append(("follow_up", weights.follow_up, reasons.follow_up_words(due.step)))
        if due.attempt is not None:
            parts.append(("attempt", weights.attempt, reasons.attempt_words(due.attempt, today)))
        if due.birthday is not None:
            parts.append(("birthday", weights.birthday, reasons.birthday_words(due.birthday)))
        if due.connector is not None:
            said = reasons.connector_words(due.connector, CONNECTOR_DAYS, talked=reached is not None)
            parts.append(("untouched_connector", weights.untouched_connector, said))
        if due.engaged is not None:
            said = engaged_words(due.engaged, today)
            parts.append(("engaged", weights.engaged * due.engaged.worth, said))
        stage_points = self.settings.stage_weights.get(person.stage, 0.0)
        if stage_points > 0:
            parts.append(("stage", stage_points, reasons.stage_words(person.stage)))
        if person.influence > 0 and weights.influence > 0:
            parts.append(
                ("influence", weights.influence * person.influence, reasons.influence_words(person.influence))
            )
        return _Words(
            action=suggest_action(person),
            reasons=[reason for _, _, reason in parts],
            points={name: _cents(points) for name, points, _ in parts},
            last_contact=last,
            due=when,
            next_step=_step_words(self.log.of(person.id).open_steps()),
            talking_point=reasons.talking_point(person, due.learned),
        )


def _step_words(steps: list[Interaction]) -> str:
    """The open next steps in a few words, the one due first first ("coffee; send the quote")."""
    return "; ".join(step.next_step or "follow up" for step in steps)


def _due_before(rule: str, today: date) -> str:
    """A bound such that a last talk at `at` is due by today exactly when `at < bound`.

    next_due never moves back as the last talk moves later, so a binary search over how
    many days ago finds the latest due day in a dozen calls; each person then costs one
    string comparison ("2026-10-27T10:00" < "2026-10-28").
    """
    low, high = 0, 2 * cadence_days(rule) + 62  # due if last talked `high` days ago, not at 0
    if next_due_cached(rule, today - timedelta(days=high)) > today:
        return ""
    while high - low > 1:
        middle = (low + high) // 2
        if next_due_cached(rule, today - timedelta(days=middle)) <= today:
            high = middle
        else:
            low = middle
    return (today - timedelta(days=high - 1)).isoformat()


def _cents(points: float) -> float:
    """Points to two decimals (half up: points are never negative), for the score and its parts."""
    return int(points * 100 + 0.5) / 100
