"""The meeting log filtered by a query line: `who:maya kind:coffee since:2026-10 tyres`.

Terms (all must hold; a key may be given in any case):

- `who:NAME`: entries with that person.  The full name in any case, accents folded, else a
  part of the name only one person has (as the command line finds names); a name with
  spaces goes in quotes, `who:"Maya Patel"`.  Two people with the very same name are
  taken together: they are one name to the reader, and the doubles warning says the rest.
- `segment:NAME`: entries with at least one member of the segment (found the same way).
- `kind:coffee`, `kind:call,coffee`: one of the kinds (a unique start is enough: `kind:cof`).
- `outcome:reached`, `outcome:attempt` (`outcome:att` too) or `outcome:noted` (a step
  written down, no contact made: an intro to ask for).
- `since:DATE`, `until:DATE`: a day (`2026-10-12`, `yesterday`, `3w`, `dec 12`), a month
  (`2026-10`, `oct`, `october 2026`), a year (`2026`) or `this|last week|month|year`;
  `since` takes the first day of it and `until` the last, both days included.
- Other words (or a "quoted phrase") must each appear in the note, what was learned or the
  next step, in any case, accents folded.

A term that cannot be read raises a UserError whose one sentence says why.  Parsing looks
names up once (`parse_query`); `LogQuery.filter` turns the query into a function over a list of
entries that needs no book, so it may run over a snapshot of the log in another thread.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from meetup_tui.domain.book import Book, log_order, week_start
from meetup_tui.domain.dates import parse_day
from meetup_tui.domain.errors import DateError, LookupFailed, UserError
from meetup_tui.domain.records import KINDS, OUTCOMES, Interaction, Person, Segment
from meetup_tui.domain.text import folded, one_line

TERMS = ("who", "segment", "kind", "outcome", "since", "until")
EXAMPLES = {
    "who": 'who:maya or who:"Maya Patel"',
    "segment": "segment:regulars",
    "kind": "kind:coffee",
    "outcome": "outcome:reached",
    "since": "since:2026-10",
    "until": 'until:"last week"',
}
_KEY = re.compile(r"([A-Za-z]+):")
_WORD = re.compile(r"\S*")
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")  # fmt: skip
_NAMED_MONTH = re.compile(r"([a-z]{3,})\.?(?:\s+(\d{4}))?")
# "since:last week" typed without quotes: these words join the one after them.
_JOINING = ("last", "this", "past")
_PERIODS = ("week", "month", "year")

Filter = Callable[[list[Interaction]], list[Interaction]]


@dataclass(frozen=True)
class Term:
    key: str | None  # None for a bare word
    value: str
    quoted: bool = False


@dataclass(frozen=True)
class LogQuery:
    """A query line read against a book: who and which segments by id, so a person renamed
    later still has the same history."""

    text: str = ""
    who: tuple[frozenset[str], ...] = ()  # per who: term, the ids it names (one must be there)
    segments: tuple[str, ...] = ()  # segment ids (a member of each must be there)
    kinds: frozenset[str] | None = None
    outcomes: frozenset[str] | None = None
    since: date | None = None
    until: date | None = None
    words: tuple[str, ...] = field(default=())  # folded

    @property
    def is_everything(self) -> bool:
        return self == LogQuery(text=self.text)

    def person_of(self, book: Book) -> Person | None:
        """The one person whose history this is (a single who: term and nothing else)."""
        if len(self.who) != 1 or LogQuery(text=self.text, who=self.who) != self:
            return None
        found = sorted((book.people[pid] for pid in self.who[0] if pid in book.people), key=lambda p: p.id)
        return found[0] if found else None

    def filter(self, book: Book) -> Filter | None:
        """What keeps a live entry: a function from a list of live entries to those of them
        the query matches (None when every entry does).  It needs no book to run, so it may
        run in another thread; segment members are taken from the book now.

        One comprehension per term, the narrowest first, each condition written out: a
        function called once per entry would take three times as long on a big log."""
        if self.is_everything:
            return None
        groups = list(self.who)
        for segment_id in self.segments:
            segment = book.segments.get(segment_id)
            members = book.members(segment) if segment is not None and not segment.deleted else []
            groups.append(frozenset(p.id for p in members))
        groups.sort(key=len)  # the rarest first: the later steps see fewer entries
        kinds, outcomes, words = self.kinds, self.outcomes, self.words
        low = self.since.isoformat() if self.since else None  # `at` is "YYYY-MM-DDTHH:MM"
        high = (self.until + timedelta(days=1)).isoformat() if self.until else None

        def keep(entries: list[Interaction]) -> list[Interaction]:
            for group in groups:
                if len(group) == 1:
                    (only,) = group
                    entries = [i for i in entries if only in i.people]
                else:
                    entries = [i for i in entries if not group.isdisjoint(i.people)]
            if kinds is not None:
                entries = [i for i in entries if i.kind in kinds]
            if outcomes is not None:
                entries = [i for i in entries if i.outcome in outcomes]
            if low is not None:
                entries = [i for i in entries if i.at >= low]
            if high is not None:
                entries = [i for i in entries if i.at < high]
            for word in words:
                entries = [i for i in entries if word in searchable(i)]
            return entries

        return keep


@dataclass(frozen=True)
class Found:
    """The newest `limit` matches, newest first; how many matched; how many live entries
    were looked at (the whole log)."""

    newest: list[Interaction]
    matched: int
    searched: int


def searchable(item: Interaction) -> str:
    """What bare words are looked for in: note, learned and next step, folded."""
    text = f"{item.note}\n{item.learned}\n{item.next_step}"
    return text.casefold() if text.isascii() else folded(text)  # the same, ~50x faster


def find_entries(entries: Iterable[Interaction], keep: Filter | None, limit: int) -> Found:
    """The newest `limit` live entries that `keep` keeps (all when None), newest first,
    without sorting them all; how many it kept; how many live entries there were."""
    live = [item for item in entries if not item.deleted]
    hits = live if keep is None else keep(live)
    if len(hits) <= limit:
        newest = sorted(hits, key=log_order, reverse=True)
    else:
        newest = heapq.nlargest(limit, hits, key=log_order)
    return Found(newest, len(hits), len(live))


def search_log(book: Book, text: str, today: date, limit: int) -> tuple[LogQuery, Found]:
    """Parse `text` and find its newest `limit` entries in the book (one thread only)."""
    query = parse_query(text, book, today)
    return query, find_entries(book.interactions.values(), query.filter(book), limit)


def describe(query: LogQuery, book: Book, found: Found) -> str:
    """What is shown, as a title: "History of Maya Patel — 12 entries", "Meeting log —
    kind:coffee — 3 of 250", "Meeting log — 250 entries".  Plain text (names are data)."""
    person = query.person_of(book)
    if person is not None:
        return f"History of {one_line(person.name)} — {_entries(found.matched)}"
    if query.is_everything:
        return f"Meeting log — {_entries(found.searched)}"
    return f"Meeting log — {one_line(query.text)} — {found.matched:,} of {found.searched:,}"


def _entries(count: int) -> str:
    return f"{count:,} {'entry' if count == 1 else 'entries'}"


# -- reading the line ---------------------------------------------------------------------


def terms(text: str) -> list[Term]:
    """The line cut into terms: `key:value`, `key:"a value"`, words and "quoted phrases".

    A quote left open runs to the end of the line (the person is still typing)."""
    found: list[Term] = []
    at, end = 0, len(text)
    while at < end:
        if text[at].isspace():
            at += 1
            continue
        key = None
        if named := _KEY.match(text, at):
            key, at = named.group(1).casefold(), named.end()
        if at < end and text[at] == '"':
            close = text.find('"', at + 1)
            close = end if close < 0 else close
            found.append(Term(key, text[at + 1 : close], quoted=True))
            at = close + 1
        else:
            word = _WORD.match(text, at)
            assert word is not None  # \S* always matches
            found.append(Term(key, word.group()))
            at = word.end()
    return _joined(found)


def _joined(found: list[Term]) -> list[Term]:
    """`since:last week` read as `since:"last week"`."""
    out: list[Term] = []
    for term in found:
        last = out[-1] if out else None
        if (
            last is not None
            and last.key in ("since", "until")
            and not last.quoted
            and last.value.casefold() in _JOINING
            and term.key is None
            and not term.quoted
            and term.value.casefold() in _PERIODS
        ):
            out[-1] = Term(last.key, f"{last.value} {term.value}", quoted=True)
        else:
            out.append(term)
    return out


def parse_query(text: str, book: Book, today: date) -> LogQuery:
    """Read the query line against the book; a UserError with one sentence if it cannot be."""
    who: list[frozenset[str]] = []
    segments: list[str] = []
    kinds: frozenset[str] | None = None
    outcomes: frozenset[str] | None = None
    since: tuple[date, str] | None = None
    until: tuple[date, str] | None = None
    words: list[str] = []
    for term in terms(text):
        key, value = term.key, " ".join(term.value.split())
        if key is None:
            if value:
                words.append(folded(value))
            continue
        if key not in TERMS:
            raise UserError(
                f"{key}: is not a term; use {', '.join(t + ':' for t in TERMS[:-1])} or {TERMS[-1]}:"
                " (put other words with a colon in quotes)."
            )
        if not value:
            raise UserError(f"{key}: needs a value, like {EXAMPLES[key]}.")
        if key == "who":
            who.append(frozenset(p.id for p in named_people(book, value)))
        elif key == "segment":
            segments.append(named_segment(book, value).id)
        elif key == "kind":
            chosen = frozenset(_one_of("kind", part, KINDS) for part in value.split(",") if part.strip())
            if not chosen:
                raise UserError(f"kind: needs a value, like {EXAMPLES['kind']}.")
            kinds = chosen if kinds is None else kinds & chosen
        elif key == "outcome":
            chosen = frozenset([_one_of("outcome", value, OUTCOMES)])
            outcomes = chosen if outcomes is None else outcomes & chosen
        else:
            first, last = period(key, value, today)
            if key == "since" and (since is None or first > since[0]):
                since = (first, value)
            elif key == "until" and (until is None or last < until[0]):
                until = (last, value)
    if since and until and since[0] > until[0]:
        raise UserError(
            f"since:{since[1]} starts after until:{until[1]} ends, so no entry can be in between."
        )
    return LogQuery(
        text=" ".join(text.split()),
        who=tuple(who),
        segments=tuple(segments),
        kinds=kinds,
        outcomes=outcomes,
        since=since[0] if since else None,
        until=until[0] if until else None,
        words=tuple(words),
    )


def _one_of(key: str, value: str, choices: tuple[str, ...]) -> str:
    wanted = value.strip().casefold()
    if wanted in choices:
        return wanted
    starting = [c for c in choices if c.startswith(wanted)] if wanted else []
    if len(starting) == 1:
        return starting[0]
    if len(starting) > 1:
        raise UserError(
            f"{key}:{value} could be {', '.join(starting[:-1])} or {starting[-1]}; type more of it."
        )
    said = f"{', '.join(choices[:-1])} or {choices[-1]}"
    if len(choices) > 2:
        raise UserError(f"{key} must be one of {said} (not {value!r}).")
    raise UserError(f"{key} must be {said} (not {value!r}).")


def _folded_names(book: Book) -> list[tuple[str, Person]]:
    """Live people with their names folded (kept until a person changes)."""

    def build(book: Book) -> list[tuple[str, Person]]:
        return [(folded(" ".join(p.name.split())), p) for p in book.live_people()]

    return book.memo("log_query.names", book.changes(Person), build)


def named_people(book: Book, name: str) -> list[Person]:
    """Who `name` is: everyone with exactly that full name, else the one person (or the one
    name) that has it as a part.  LookupFailed saying why not."""
    wanted = folded(" ".join(name.split()))
    names = _folded_names(book)
    exact = [p for key, p in names if key == wanted]
    if exact:
        return exact
    parts = [(key, p) for key, p in names if wanted in key]
    if not parts:
        raise LookupFailed(f"No one is called {name!r}.")
    if len({key for key, _ in parts}) > 1:
        shown = ", ".join(sorted(one_line(p.name) for _, p in parts)[:5])
        more = ", …" if len(parts) > 5 else ""
        raise LookupFailed(
            f"{name!r} matches {len(parts)} people ({shown}{more}); give more of the name, "
            f'like who:"{one_line(parts[0][1].name)}".'
        )
    return [p for _, p in parts]


def named_segment(book: Book, name: str) -> Segment:
    """The segment of that name (any case, accents folded), else the one with it as a part."""
    wanted = folded(name)
    segments = [(folded(" ".join(s.name.split())), s) for s in book.live_segments()]
    exact = [s for key, s in segments if key == wanted]
    matches = exact or [s for key, s in segments if wanted in key]
    if not matches:
        raise LookupFailed(f"No segment is called {name!r}.")
    if len(matches) > 1:
        shown = ", ".join(one_line(s.name) for s in matches[:5])
        raise LookupFailed(f"{name!r} matches {len(matches)} segments ({shown}); give more of the name.")
    return matches[0]


def period(key: str, value: str, today: date) -> tuple[date, date]:
    """The first and last day `value` names: a day, a month, a year, or this/last week,
    month or year.  A UserError if it names none."""
    words = " ".join(value.casefold().split())
    try:
        return _period(words, today)
    except (DateError, ValueError, OverflowError):
        raise UserError(
            f"Could not read {value!r} as a date for {key}:; try {key}:2026-10-12, {key}:2026-10, "
            f'{key}:"last week" or {key}:3w.'
        ) from None


def _period(words: str, today: date) -> tuple[date, date]:
    which, _, unit = words.partition(" ")
    if which in _JOINING and unit in _PERIODS:
        back = which != "this"
        if unit == "week":
            first = week_start(today) - timedelta(days=7 if back else 0)
            return first, first + timedelta(days=6)
        if unit == "month":
            month = today.year * 12 + today.month - 1 - (1 if back else 0)
            return _month(month // 12, month % 12 + 1)
        year = today.year - (1 if back else 0)
        return date(year, 1, 1), date(year, 12, 31)
    if numbered := re.fullmatch(r"(\d{4})-(\d{1,2})", words):
        return _month(int(numbered.group(1)), int(numbered.group(2)))
    if re.fullmatch(r"\d{4}", words):
        year = int(words)
        return date(year, 1, 1), date(year, 12, 31)
    named = _NAMED_MONTH.fullmatch(words)
    if named and (month := _month_number(named.group(1))):
        if named.group(2):
            return _month(int(named.group(2)), month)
        year = today.year if month <= today.month else today.year - 1  # the latest one begun
        return _month(year, month)
    day = parse_day(words, today, future=False)
    return day, day


def _month_number(word: str) -> int | None:
    """1-12 for "oct", "october", "sept"; None for any other word ("mon" is a day)."""
    return next((n + 1 for n, name in enumerate(_MONTHS) if name.startswith(word)), None)


def _month(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    return first, following - timedelta(days=1)
