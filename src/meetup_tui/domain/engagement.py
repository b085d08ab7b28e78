"""From likes to conversations: the people who engaged with a post, as people to talk to.

A post keeps who engaged with it and how, as "PERSON_ID:how" in `Post.engaged` (a set: two
people adding engagements to one post at once keep both).  How is one of `HOWS`.

- `engaged_names` reads "Ana Ruiz:comment, Bo Lee" (the command line and the post form);
  a name without a how commented.
- `post_records` turns a post and its engaged names into the records to write: the people
  found by name, the ones no one is called made as new prospects tagged with the platform
  ("found on Instagram" in their notes), and the post holding them all.
- `recent_engagement` is what ranking reads: each person's engagement worth most today,
  among posts of the last `engaged_days` days that nobody followed up yet (no talk and no
  attempt with them since the post).  It fades: worth the full `engaged` weight on the day,
  nothing `engaged_days` days later; a like is worth half, being the least sign of interest.
- `from_posts_this_week` counts the people reached this week after engaging with a post
  in the days before: the likes that turned into conversations.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date, timedelta
from typing import NamedTuple

from meetup_tui.domain.book import Book, PersonLog, week_start
from meetup_tui.domain.dates import relative_day
from meetup_tui.domain.errors import NoSuchPerson, UserError, WordsError
from meetup_tui.domain.records import Person, Post
from meetup_tui.domain.settings import starting_stage

HOWS = ("comment", "share", "message", "like")
DEFAULT_HOW = "comment"
LIKE_WORTH = 0.5  # a like against a comment, a share or a message

_VERBS = {
    "comment": "commented on your {platform} post",
    "share": "shared your {platform} post",
    "message": "messaged you after your {platform} post",
    "like": "liked your {platform} post",
}


class Engagement(NamedTuple):
    post: Post
    how: str
    worth: float  # 0..1 of the `engaged` weight, today


def engaged_names(text: str) -> list[tuple[str, str]]:
    """ "Ana Ruiz:comment, Bo Lee" -> [("Ana Ruiz", "comment"), ("Bo Lee", "comment")].  A how
    that is not one of HOWS is an error naming them; blank parts are skipped."""
    return [engaged_name(part) for part in text.split(",") if part.strip()]


def engaged_name(text: str) -> tuple[str, str]:
    """ "Ana Ruiz:share" -> ("Ana Ruiz", "share"); "Ana Ruiz" -> ("Ana Ruiz", "comment")."""
    name, colon, how = text.rpartition(":")
    if not colon:
        name, how = text, DEFAULT_HOW
    name, how = " ".join(name.split()), how.strip().casefold()
    if how not in HOWS:
        ways = ", ".join(HOWS)
        raise WordsError(f"{how!r} is not a way to engage; put one of {ways} after the name, e.g. Ana:share.")
    if not name:
        raise WordsError(f"A name is missing before {text.strip()!r}.")
    return name, how


def engaged_on(post: Post) -> list[tuple[str, str]]:
    """(person id, how) for each engagement the post holds, in its order."""
    pairs = []
    for item in post.engaged:
        pid, colon, how = item.rpartition(":")
        pairs.append((pid, how) if colon else (item, DEFAULT_HOW))
    return pairs


def platform_tag(platform: str) -> str:
    """The tag a person found through a post gets: the platform in lower case ("instagram")."""
    return "-".join(platform.casefold().split())


class Recorded(NamedTuple):
    post: Post  # holding every engagement
    made: list[Person]  # the people no one was called: new, to write before the post
    engaged: list[tuple[Person, str]]  # who engaged, and how, as given


def post_records(
    book: Book, post: Post, engaged: Iterable[tuple[str, str]], stages: tuple[str, ...], owner: str = ""
) -> Recorded:
    """`post` holding the people who engaged (each found by name: a name several people
    match is an error, never a guess), and the people made for names no one has (new
    prospects, tagged with the platform, looked after by `owner`: whoever adds someone
    looks after them).  A name given twice is engaged once, the last how it was given with."""
    found: dict[str, str] = {}
    people: dict[str, Person] = {}
    made: dict[str, Person] = {}
    day = post.at[:10]
    for name, how in engaged:
        try:
            person = book.find_person(name)
        except NoSuchPerson:
            key, tag = name.casefold(), platform_tag(post.platform)
            if key not in made:
                made[key] = Person(
                    name=name,
                    stage=starting_stage(stages),
                    tags=[tag] if tag else [],
                    notes=f"Found on {post.platform}: engaged with a post on {day}.",
                    owner=owner,
                )
            person = made[key]
        found.pop(person.id, None)
        found[person.id], people[person.id] = how, person
    kept = [item for item in post.engaged if item.rpartition(":")[0] not in found]
    with_them = replace(post, engaged=[*kept, *(f"{pid}:{how}" for pid, how in found.items())])
    return Recorded(with_them, list(made.values()), [(people[pid], how) for pid, how in found.items()])


def engaged_words(engagement: Engagement, today: date) -> str:
    """ "commented on your Instagram post 2 days ago — invite them in"."""
    post = engagement.post
    verb = _VERBS.get(engagement.how, "engaged with your {platform} post").format(platform=post.platform)
    when = relative_day(date.fromisoformat(post.at[:10]), today)
    return f"{verb} {when} — invite them in"


def recent_engagement(book: Book, today: date, days: int) -> dict[str, Engagement]:
    """Person id -> their engagement worth most today (see the module docstring); only
    people engaged in the last `days` days, whom nobody talked to or tried since."""
    if days <= 0:
        return {}
    key = (book.changes(Post), today, days)
    by_person = book.memo("engagement.recent", key, lambda b: _recent(b, today, days))
    log, nothing = book.contact_index().people, PersonLog()
    return {pid: e for pid, e in by_person.items() if log.get(pid, nothing).last_any < e.post.at}


def _recent(book: Book, today: date, days: int) -> dict[str, Engagement]:
    since = (today - timedelta(days=days - 1)).isoformat()
    end = (today + timedelta(days=1)).isoformat()
    best: dict[str, Engagement] = {}
    for post in book.posts.values():
        if post.deleted or not post.engaged or not (since <= post.at < end):
            continue
        age = (today - date.fromisoformat(post.at[:10])).days
        fade = 1 - age / days
        for pid, how in engaged_on(post):
            worth = fade * (LIKE_WORTH if how == "like" else 1.0)
            held = best.get(pid)
            if held is None or (worth, post.at) > (held.worth, held.post.at):
                best[pid] = Engagement(post, how, worth)
    return best


def from_posts_this_week(book: Book, today: date, days: int) -> int:
    """The people reached this week (Monday to today) whose last real conversation came
    after they engaged with a post, within `days` days of it: likes turned into talks."""
    start = week_start(today)
    since = (start - timedelta(days=days)).isoformat()
    end = (today + timedelta(days=1)).isoformat()
    log = book.contact_index().people
    counted: set[str] = set()
    for post in book.posts.values():
        if post.deleted or not post.engaged or not (since <= post.at < end):
            continue
        until = (date.fromisoformat(post.at[:10]) + timedelta(days=days)).isoformat()
        for pid, _ in engaged_on(post):
            found = log.get(pid)
            reached = found.last_reached if found else None
            if reached and reached >= start.isoformat() and post.at <= reached < until and reached < end:
                counted.add(pid)
    return len(counted)


__all__ = [
    "DEFAULT_HOW",
    "HOWS",
    "Engagement",
    "Recorded",
    "engaged_name",
    "engaged_names",
    "engaged_on",
    "engaged_words",
    "from_posts_this_week",
    "platform_tag",
    "post_records",
    "recent_engagement",
]
