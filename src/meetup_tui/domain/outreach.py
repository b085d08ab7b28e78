"""Who to contact today, and why: a transparent, deterministic ranking.

Each signal that counts adds to the score and becomes a reason in plain words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from meetup_tui.domain.book import Book
from meetup_tui.domain.cadence import cadence_days, describe_cadence, next_due
from meetup_tui.domain.records import Person

DEFAULT_CADENCE = "FREQ=MONTHLY"
OVERDUE_CAP = 3.0
WEIGHTS = {"overdue": 10.0, "follow_up": 8.0, "influence": 2.0, "never": 6.0}

# Symbols that carry the meaning without colour.
ACTION_SYMBOLS = {
    "call": "☎",
    "coffee": "♨",
    "lunch": "⊕",
    "invite in": "⌂",
    "visit": "⌂",
    "event": "★",
    "message": "✉",
}


@dataclass(frozen=True)
class Suggestion:
    person: Person
    action: str
    score: float
    reasons: list[str] = field(default_factory=list)
    last_contact: date | None = None
    due: date | None = None
    next_step: str = ""

    @property
    def symbol(self) -> str:
        return ACTION_SYMBOLS.get(self.action, "•")


def cadence_of(book: Book, person: Person, default: str = DEFAULT_CADENCE) -> str:
    """The person's own cadence, else their first segment's, else the default."""
    if person.cadence:
        return person.cadence
    for segment in book.segments_of(person):
        if segment.cadence:
            return segment.cadence
    return default


def suggest_action(person: Person) -> str:
    """The preferred channel, else by stage: call a prospect, coffee for a lead, and so on."""
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
    book: Book, today: date, *, default_cadence: str = DEFAULT_CADENCE, limit: int | None = None
) -> list[Suggestion]:
    """People due today, best first; snoozed people and those reached today are left out."""
    last = book.last_contacts()
    follow_ups = book.open_follow_ups()
    ranked: list[Suggestion] = []
    for person in book.live_people():
        if person.snoozed_on(today) or last.get(person.id) == today:
            continue
        reasons: list[str] = []
        score = 0.0
        rule = cadence_of(book, person, default_cadence)
        contacted = last.get(person.id)
        due = next_due(rule, contacted) if contacted else None
        if contacted is None:
            score += WEIGHTS["never"]
            reasons.append(f"never talked yet, {describe_cadence(rule)}")
        elif due is not None and due <= today:
            days = (today - contacted).days
            ratio = min(days / cadence_days(rule), OVERDUE_CAP)
            score += WEIGHTS["overdue"] * ratio
            ago = "1 day" if days == 1 else f"{days} days"
            reasons.append(f"last talked {ago} ago, {describe_cadence(rule)}")
        step = follow_ups.get(person.id)
        step_due = step is not None and step.follow_up is not None and step.follow_up <= today.isoformat()
        if step_due:
            score += WEIGHTS["follow_up"]
            reasons.append(f"follow-up due: {step.next_step or 'as planned'}")  # type: ignore[union-attr]
        if not reasons:
            continue
        if person.influence:
            score += WEIGHTS["influence"] * person.influence
            reasons.append(f"influence {person.influence}")
        ranked.append(
            Suggestion(
                person=person,
                action=suggest_action(person),
                score=round(score, 2),
                reasons=reasons,
                last_contact=contacted,
                due=due,
                next_step=step.next_step if step else "",
            )
        )
    ranked.sort(key=lambda s: (-s.score, -s.person.influence, s.person.name.casefold(), s.person.id))
    return ranked[:limit] if limit is not None else ranked
