"""People who are there twice: what a race or two offline machines can leave, said, never
silently collapsed.  Only a person can tell whether two "Dup"s are one customer or two."""

from __future__ import annotations

from collections import defaultdict

from meetup_tui.domain.book import Book
from meetup_tui.domain.records import Person
from meetup_tui.domain.text import one_line


def same_names(book: Book) -> list[list[Person]]:
    """Groups of two or more live people with one name (any case), by name."""
    groups: dict[str, list[Person]] = defaultdict(list)
    for person in book.live_people():
        groups[" ".join(person.name.split()).casefold()].append(person)
    return [
        sorted(group, key=lambda p: (p.name, p.created_at, p.id))
        for _name, group in sorted(groups.items())
        if len(group) > 1
    ]


def doubles_sentences(book: Book) -> list[str]:
    """One sentence per problem: ids the file held twice (merged), names two people share."""
    sentences = [f"The file had {problem}." for problem in book.problems]
    for group in same_names(book):
        sentences.append(
            f"{len(group)} people are named {one_line(group[0].name)!r}; if they are one person, "
            "keep one and delete the other, else rename one."
        )
    return sentences
