"""`add NAME [...]` and `edit NAME [...] [--rename NEW]`: a person made or changed from the shell.

Both decide under the file's lock, on the book as merged with what others wrote
(`Database.commit_checked`): two racing `add Dup` give one person, and an edit changes
the person as the file has them now.  Each option given replaces that field; the
`--add-…` / `--remove-…` options change one element of a list, which merges with what
others add meanwhile (domain/versions.py).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from meetup_tui.cli.commands import (
    BadOption,
    Context,
    Refused,
    clean_name,
    open_existing,
    open_or_none,
    read_stage,
)
from meetup_tui.domain.book import Book
from meetup_tui.domain.cadence import parse_cadence
from meetup_tui.domain.dates import iso_minute, parse_birthday
from meetup_tui.domain.journey import moves_of
from meetup_tui.domain.membership import join, leave
from meetup_tui.domain.records import CHANNELS, STAGES, Person, Record, Segment
from meetup_tui.domain.text import one_line
from meetup_tui.domain.versions import fields_of
from meetup_tui.store.database import Database

Bounded = Callable[[int, int | None], Callable[[str], int]]


def add_parsers(sub: Any, bounded: Bounded) -> None:
    """The `add` and `edit` subcommands, which share the person's options."""
    add = sub.add_parser("add", help="add a person", description="Add a person to the book.")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--phone", metavar="P")
    add.add_argument("--email", metavar="E")
    _shared(add, bounded, editing=False)
    add.add_argument(
        "--segment", metavar="S", action="append", default=[],
        help="a segment to put them in (created if new); repeatable",
    )  # fmt: skip
    add.add_argument("--tag", metavar="T", action="append", default=[], help="a tag; repeatable")
    add.set_defaults(run=run_add)

    edit = sub.add_parser(
        "edit",
        help="change a person",
        description="Change a person: each option given replaces that field; the --add-… and "
        "--remove-… options change one entry of a list.  An empty text clears a field.",
        epilog="Example: meetup-tui edit Ana --add-phone '+1 555 0199' --remove-tag old --owner sam",
    )
    edit.add_argument("name", metavar="NAME")
    edit.add_argument("--rename", metavar="NEW", help="a new name")
    _shared(edit, bounded, editing=True)
    for option, what in (("phone", "phone"), ("email", "email"), ("tag", "tag"), ("segment", "segment")):
        edit.add_argument(
            f"--{option}", metavar=what[0].upper(), action="append", dest=option,
            help=f"the {what}s become these; repeatable",
        )  # fmt: skip
        edit.add_argument(f"--add-{option}", metavar=what[0].upper(), action="append", default=[])
        edit.add_argument(f"--remove-{option}", metavar=what[0].upper(), action="append", default=[])
    edit.set_defaults(run=run_edit)


def _shared(parser: argparse.ArgumentParser, bounded: Bounded, *, editing: bool) -> None:
    parser.add_argument("--org", metavar="O", help="organisation")
    parser.add_argument("--area", metavar="A", help="area or neighbourhood")
    parser.add_argument(
        "--influence", type=bounded(0, 5), default=None if editing else 0, metavar="0-5",
        help="how much their word moves others",
    )  # fmt: skip
    parser.add_argument(
        "--stage", metavar="STAGE", help=f"journey stage: {', '.join(STAGES)} (or the stages in the settings)"
    )
    parser.add_argument(
        "--cadence",
        metavar="TEXT",
        help="how often to stay in touch: 'every 2 weeks', 'monthly', 'quarterly'",
    )
    parser.add_argument("--channel", choices=CHANNELS, help="preferred channel")
    parser.add_argument("--introduced-by", metavar="NAME", help="who introduced them")
    parser.add_argument("--owner", metavar="USER", help="which user looks after them (add: you, unless given; \"\" for no one)")
    parser.add_argument("--birthday", metavar="DAY", help="'14 March', or with the year: '1990-03-14'")


def _texts(values: list[str]) -> list[str]:
    return list(dict.fromkeys(v.strip() for v in values if v.strip()))


def _read_fields(args: argparse.Namespace, ctx: Context) -> dict[str, Any]:
    """The scalar fields the options give, checked before the file is touched."""
    fields: dict[str, Any] = {}
    for name in ("org", "area"):
        if getattr(args, name) is not None:
            fields[name] = getattr(args, name).strip()
    if args.owner is not None:
        fields["owner"] = " ".join(args.owner.split())
    if args.influence is not None:
        fields["influence"] = args.influence
    if args.channel is not None:
        fields["channel"] = args.channel
    if args.cadence is not None:
        fields["cadence"] = parse_cadence(args.cadence) if args.cadence.strip() else ""
    if args.stage is not None:
        fields["stage"] = read_stage(args.stage, ctx)
    if args.birthday is not None:
        text = args.birthday.strip()
        fields["birthday"] = (
            parse_birthday(text, ctx.clock.today(), dayfirst=ctx.settings.dayfirst) if text else None
        )
    return fields


def _name_taken(book: Book, name: str, but: Person | None = None) -> None:
    same = [p for p in book.live_people() if p.name.casefold() == name.casefold() and p is not but]
    if same:
        raise Refused(
            f"{same[0].name!r} is already in the book; add a surname or initial to tell them apart."
        )


def _segment_named(book: Book, name: str, created: list[Segment]) -> Segment:
    found = book.find_segment(name) or next(
        (s for s in created if s.name.casefold() == name.casefold()), None
    )
    if found is None:
        found = Segment(name=name)
        created.append(found)
    return found


def run_add(args: argparse.Namespace, ctx: Context) -> int:
    name = clean_name(args.name)
    fields = _read_fields(args, ctx)
    fields.setdefault("stage", "prospect")
    fields.setdefault("owner", ctx.user)  # whoever adds them looks after them; --owner "" for no one
    segment_names = _texts([" ".join(s.split()) for s in args.segment])
    new_segments: list[Segment] = []

    def decide(book: Book) -> list[Record]:
        new_segments.clear()
        _name_taken(book, name)
        introducer = book.find_person(args.introduced_by).id if args.introduced_by else None
        person = Person(
            name=name,
            phones=_texts([args.phone or ""]),
            emails=_texts([args.email or ""]),
            tags=_texts(args.tag),
            introduced_by=introducer,
            **fields,
        )
        segments = [_segment_named(book, s, new_segments) for s in segment_names]
        return [person, *(join(s, person) for s in segments)]

    db = open_or_none(ctx)
    if db is None:
        decide(Book())  # what fails on an empty book fails before a file is made
        db = Database.open(ctx.path, user=ctx.user, create=True)
    db.commit_checked(decide)
    print(f"Added {one_line(name)}.")
    for segment in new_segments:
        print(f"Created the segment {one_line(segment.name)!r}.")
    return 0


def _list_edit(
    current: list[str], given: list[str] | None, added: list[str], removed: list[str]
) -> list[str]:
    result = _texts(given) if given is not None else list(current)
    result += [e for e in _texts(added) if e not in result]
    gone = set(_texts(removed))
    return [e for e in result if e not in gone]


def _no_contradiction(args: argparse.Namespace) -> None:
    """An element both kept (--tag, --add-tag) and removed (--remove-tag) in one edit is refused."""
    for name in ("phone", "email", "tag", "segment"):
        kept = {
            " ".join(t.split()).casefold()
            for t in [*(getattr(args, name) or []), *getattr(args, f"add_{name}")]
        }
        for text in getattr(args, f"remove_{name}"):
            if " ".join(text.split()).casefold() in kept:
                raise BadOption(
                    f"--remove-{name} {text.strip()!r} takes back what the same edit gives; choose one."
                )


def run_edit(args: argparse.Namespace, ctx: Context) -> int:
    fields = _read_fields(args, ctx)
    new_name = clean_name(args.rename) if args.rename is not None else None
    wanted_segments = (
        _texts([" ".join(s.split()) for s in args.segment]) if args.segment is not None else None
    )
    joins = _texts([" ".join(s.split()) for s in args.add_segment])
    leaves = _texts([" ".join(s.split()) for s in args.remove_segment])
    _no_contradiction(args)
    said: list[str] = []
    new_segments: list[Segment] = []

    def decide(book: Book) -> list[Record]:
        person = book.find_person(args.name)
        said.clear()
        new_segments.clear()
        changes = dict(fields)
        if new_name is not None and new_name != person.name:
            _name_taken(book, new_name, but=person)
            changes["name"] = new_name
        if args.introduced_by is not None:
            text = args.introduced_by.strip()
            changes["introduced_by"] = book.find_person(text).id if text else None
            if changes["introduced_by"] == person.id:
                raise BadOption(f"{person.name} cannot have introduced themselves.")
        for name in ("phone", "email", "tag"):
            plural = f"{name}s"
            changes[plural] = _list_edit(
                getattr(person, plural), getattr(args, name),
                getattr(args, f"add_{name}"), getattr(args, f"remove_{name}"),
            )  # fmt: skip
        edited = replace(person, **changes)
        records: list[Record] = [edited] if edited != person else []
        records += moves_of(person, edited, iso_minute(ctx.clock.now()), ctx.user)  # a stage change is a move
        said.extend(n for n in fields_of(person) if n in changes and getattr(person, n) != changes[n])
        records += _memberships(book, person, wanted_segments, joins, leaves, new_segments, said)
        return records

    db = open_existing(ctx)
    written = db.commit_checked(decide)
    who = one_line(new_name or db.book.find_person(args.name).name)
    if not written:
        print(f"Nothing to change for {who}.")
        return 0
    print(f"Changed {who}: {', '.join(said)}.")
    for segment in new_segments:
        print(f"Created the segment {one_line(segment.name)!r}.")
    return 0


def _memberships(
    book: Book,
    person: Person,
    wanted: list[str] | None,
    joins: list[str],
    leaves: list[str],
    created: list[Segment],
    said: list[str],
) -> list[Segment]:
    """The segments whose manual lists change for `person`; what changed goes into `said`."""
    changed: list[Segment] = []
    current = {s.name.casefold() for s in book.segments_of(person)}
    targets: dict[str, bool] = {}  # casefolded segment name -> member?
    if wanted is not None:
        wanted_folded = {w.casefold() for w in wanted}
        targets.update({name: name in wanted_folded for name in current})
        targets.update({w.casefold(): True for w in wanted})
    targets.update({j.casefold(): True for j in joins})
    targets.update({r.casefold(): False for r in leaves})
    names = {n.casefold(): n for n in [*(wanted or []), *joins, *leaves]}
    for folded, member in targets.items():
        if member == (folded in current):
            continue
        if not member and book.find_segment(folded) is None:
            continue
        segment = _segment_named(book, names.get(folded, folded), created)
        changed.append(join(segment, person) if member else leave(segment, person))
        said.append(f"{'joined' if member else 'left'} {segment.name}")
    return changed
