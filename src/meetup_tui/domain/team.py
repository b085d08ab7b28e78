"""A team on one file: whose list today's outreach shows, in words.

People with an owner are that user's to look after; people without one are everyone's.
"Mine" is the people the user owns and the unowned; the whole team is everyone; a
colleague's list is theirs and the unowned.  A book where nobody has an owner is one
list, whoever looks at it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from meetup_tui.domain.text import one_line

if TYPE_CHECKING:
    from meetup_tui.domain.book import Book

TEAM = None  # whose list: the whole team's (rank_today's mine=None)


def is_team(book: Book, user: str) -> bool:
    """Whether anyone but `user` looks after someone: only then is "mine" not everyone."""
    return any(owner != user for owner in book.owners())


def short_user(user: str) -> str:
    """ "sam@shop-pc" -> "sam": the login part, as the header and the log show who."""
    return one_line(user.split("@", 1)[0] or user)


def whose_words(whose: str | None, user: str) -> str:
    """ "mine + unowned", "whole team", "sam's + unowned"."""
    if whose is TEAM:
        return "whole team"
    if whose == user:
        return "mine + unowned"
    return f"{short_user(whose)}'s + unowned"


def next_whose(whose: str | None, user: str, owners: list[str]) -> str | None:
    """The list after `whose` in the cycle: mine, the whole team, then each colleague."""
    cycle: list[str | None] = [user, TEAM, *(o for o in owners if o != user)]
    try:
        return cycle[(cycle.index(whose) + 1) % len(cycle)]
    except ValueError:
        return user
