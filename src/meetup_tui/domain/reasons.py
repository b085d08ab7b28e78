"""The plain words of a suggestion: one phrase per reason, and the talking point.

Which signals count, and for how many points, is decided in `outreach`; this module only
says them ("last talked 47 days ago, every 2 weeks", "tried 3 days ago (voicemail), ask
again", "birthday in 3 days"...), and finds the birthdays coming up that the birthday
signal looks for.  Pure functions of their arguments.
"""

from __future__ import annotations

from datetime import date, timedelta

from meetup_tui.domain.dates import relative_day
from meetup_tui.domain.records import Interaction, Person
from meetup_tui.domain.text import plural

__all__ = [
    "STAGE_REASONS",
    "attempt_words",
    "birthday_words",
    "connector_words",
    "follow_up_words",
    "influence_words",
    "introduction_words",
    "never_contacted_words",
    "overdue_step_words",
    "overdue_words",
    "stage_words",
    "talking_point",
    "upcoming_birthdays",
]

STAGE_REASONS = {
    "stranger": "a stranger to meet",
    "prospect": "a prospect to nurture",
    "lead": "a lead to nurture",
    "customer": "a customer to keep close",
    "advocate": "an advocate to keep warm",
}
_ATTEMPT_WORDS = ("voicemail", "no answer", "no reply", "engaged", "busy")


def overdue_words(days: int, cadence: str) -> str:
    """ "last talked 47 days ago, every 2 weeks" (`cadence` already in words)."""
    ago = "1 day" if days == 1 else f"{days} days"
    return f"last talked {ago} ago, {cadence}"


def never_contacted_words(cadence: str) -> str:
    return f"never talked yet, {cadence}"


def introduction_words(person: Person, introducer: Person | None, today: date) -> str:
    """ "introduced by Maya Okafor 5 days ago, not yet contacted" (no name if they are gone)."""
    added = min(date.fromisoformat(person.created_at[:10]), today)
    when = relative_day(added, today)
    if introducer is None or introducer.deleted or not introducer.name:
        return f"introduced {when}, not yet contacted"
    return f"introduced by {introducer.name} {when}, not yet contacted"


def follow_up_words(step: Interaction) -> str:
    return f"follow-up due: {step.next_step or 'as planned'}"


def overdue_step_words(step: Interaction, today: date) -> str:
    """ "follow-up 3 days overdue: send the winter price list"."""
    late = (today - date.fromisoformat((step.follow_up or "")[:10])).days
    return f"follow-up {plural(late, 'day')} overdue: {step.next_step or 'as planned'}"


def attempt_words(attempt: Interaction, today: date) -> str:
    """ "tried 3 days ago (voicemail), ask again"."""
    tried = date.fromisoformat(attempt.at[:10])
    return f"tried {relative_day(tried, today)} ({_attempt_outcome(attempt)}), ask again"


def _attempt_outcome(attempt: Interaction) -> str:
    """ "voicemail", "no answer"... from the note, else a short note, else the kind."""
    note = " ".join(attempt.note.split()).rstrip(".")
    lowered = note.casefold()
    for words in _ATTEMPT_WORDS:
        if words in lowered:
            return words
    if note and len(note) <= 24:
        return lowered
    return attempt.kind


def birthday_words(ahead: int) -> str:
    if ahead == 0:
        return "birthday today"
    return "birthday tomorrow" if ahead == 1 else f"birthday in {ahead} days"


def connector_words(segments: tuple[str, ...], days: int, talked: bool) -> str:
    """ "connector of Runners' club and Bakers, not talked to in 30+ days" (`talked`: ever had
    a real conversation; if not, "not talked to yet").  Past three segments the rest are
    counted: "connector of A, B, C and 2 more segments"."""
    names = list(segments[:3])
    if len(segments) > 3:
        names.append(f"{plural(len(segments) - 3, 'more segment')}")
    said = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    return f"connector of {said}, " + (f"not talked to in {days}+ days" if talked else "not talked to yet")


def stage_words(stage: str) -> str:
    return STAGE_REASONS.get(stage, f"stage: {stage}")


def influence_words(influence: int) -> str:
    return f"influence {influence}"


def talking_point(person: Person, learned: Interaction | None) -> str:
    """What they last told us (the log's `learned`), else their challenge, want or need."""
    if learned is not None:
        return " ".join(learned.learned.split())
    for label, text in (("Challenge", person.challenges), ("Wants", person.wants), ("Needs", person.needs)):
        if text.strip():
            return f"{label}: {' '.join(text.split())}"
    return ""


def upcoming_birthdays(today: date, days: int) -> dict[str, int]:
    """ "MM-DD" -> days until that birthday, for the next `days` days (29 Feb on the 28th)."""
    ahead: dict[str, int] = {}
    for offset in range(days + 1):
        day = today + timedelta(days=offset)
        ahead.setdefault(f"{day.month:02d}-{day.day:02d}", offset)
        if day.month == 2 and day.day == 28 and (day + timedelta(days=1)).month == 3:
            ahead.setdefault("02-29", offset)  # not a leap year
    return ahead
