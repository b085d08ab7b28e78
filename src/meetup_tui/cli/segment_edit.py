"""`segments NAME --create | --rename | --delete | --restore` and the rule's options: a
segment made and changed from the shell, decided under the lock on the file as it is
(`Database.commit_checked`), as `add` and `edit` are."""

from __future__ import annotations

import argparse
import shlex
from dataclasses import replace
from typing import Any

from meetup_tui.cli.commands import BadOption, Context, Refused, find_segment, open_existing, open_or_none
from meetup_tui.domain.audience import preview
from meetup_tui.domain.book import Book
from meetup_tui.domain.cadence import parse_cadence
from meetup_tui.domain.errors import UserError
from meetup_tui.domain.records import Record, Segment
from meetup_tui.domain.segment_rules import describe_rule, make_rule, parse_least
from meetup_tui.domain.text import one_line, plural
from meetup_tui.store.database import Database

RULE_OPTIONS = ("tag", "all_tags", "any_tag", "stage", "area", "min_influence", "owner")
FIELD_OPTIONS = ("description", "cadence")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    change = parser.add_argument_group(
        "making and changing a segment", "each condition given replaces the one stored; '' clears it"
    )
    what = change.add_mutually_exclusive_group()
    what.add_argument("--create", action="store_true", help="make the segment NAME")
    what.add_argument("--delete", action="store_true", help="delete it (its people stay)")
    what.add_argument("--restore", action="store_true", help="bring back a deleted segment")
    change.add_argument("--rename", metavar="NEW", help="give it a new name")
    change.add_argument("--tag", action="append", metavar="T", help="a tag of the rule (repeat for more)")
    mode = change.add_mutually_exclusive_group()
    mode.add_argument("--all-tags", action="store_true", help="members have every tag (default: any)")
    mode.add_argument("--any-tag", action="store_true", help="members have one of the tags")
    change.add_argument("--stage", metavar="S", help="members at this journey stage")
    change.add_argument("--area", metavar="A", help="members in this area (any case)")
    change.add_argument("--min-influence", metavar="N", help="members of influence N (0-5) or more")
    change.add_argument("--owner", metavar="USER", help="members this user looks after")
    change.add_argument("--cadence", metavar="TEXT", help="for members without their own: 'monthly'…")
    change.add_argument("--description", metavar="TEXT", help="what the segment is")


def wants_change(args: argparse.Namespace) -> bool:
    given = [getattr(args, k) for k in ("rename", *RULE_OPTIONS, *FIELD_OPTIONS)]
    return args.create or args.delete or args.restore or any(v not in (None, False) for v in given)


def _rule(args: argparse.Namespace, rule: dict[str, Any]) -> dict[str, Any]:
    """The rule with the conditions the options give in place of the stored ones."""
    tags = (rule.get("tags") or []) if args.tag is None else args.tag
    all_tags = rule.get("tags_mode") == "all" if not (args.all_tags or args.any_tag) else args.all_tags
    try:
        least = rule.get("min_influence") if args.min_influence is None else parse_least(args.min_influence)
    except UserError as exc:
        raise BadOption(str(exc)) from None
    return make_rule(
        tags=tags,
        all_tags=all_tags,
        stage=str(rule.get("stage") or "") if args.stage is None else args.stage,
        area=str(rule.get("area") or "") if args.area is None else args.area,
        min_influence=least,
        owner=str(rule.get("owner") or "") if args.owner is None else args.owner,
        base=rule,
    )


def _fields(args: argparse.Namespace, segment: Segment) -> dict[str, Any]:
    fields: dict[str, Any] = {"rule": _rule(args, segment.rule)}
    if args.description is not None:
        fields["description"] = args.description.strip()
    if args.cadence is not None:
        fields["cadence"] = parse_cadence(args.cadence) if args.cadence.strip() else ""
    return fields


def _name(text: str) -> str:
    name = " ".join(text.split())
    if not name:
        raise BadOption("The segment's name is empty; give it one, e.g. --rename 'Racing club'.")
    return name


def _taken(book: Book, name: str, but: Segment | None = None) -> None:
    for other in book.live_segments():
        if other.name.casefold() == name.casefold() and (but is None or other.id != but.id):
            raise Refused(f"There is already a segment called {one_line(other.name)!r}.")


def run_change(args: argparse.Namespace, ctx: Context) -> int:
    if not args.name:
        raise BadOption("Say which segment: meetup-tui segments NAME --create/--rename/--delete/...")
    if args.json:
        raise BadOption("--json shows a segment; it cannot be given with a change.")
    if (args.delete or args.restore) and wants_change(replace_flags(args)):
        raise BadOption("--delete and --restore take no other changes; make them separately.")
    if args.create and args.rename is not None:
        raise BadOption("--create names the segment NAME already; --rename changes one that exists.")
    said: list[str] = []
    result: list[Segment] = []

    def decide(book: Book) -> list[Record]:
        said.clear()
        result.clear()
        if args.create:
            segment = Segment(name=_name(args.name))
            _taken(book, segment.name)
            segment = replace(segment, **_fields(args, segment))
            said.append(f"Made the segment {one_line(segment.name)!r}")
        elif args.restore:
            segment = _deleted(book, args.name)
            _taken(book, segment.name)
            segment = replace(segment, deleted=False)
            said.append(f"Brought back the segment {one_line(segment.name)!r}")
        else:
            found = find_segment(book, args.name)
            if args.delete:
                segment = replace(found, deleted=True)
                count = plural(len(book.members(found)), "member")
                said.append(f"Deleted the segment {one_line(found.name)!r} ({count}, who stay in the book)")
            else:
                changes = _fields(args, found)
                if args.rename is not None:
                    changes["name"] = _name(args.rename)
                    _taken(book, changes["name"], but=found)
                changed = [k for k, v in changes.items() if getattr(found, k) != v]
                if not changed:
                    said.append(f"Nothing to change for {one_line(found.name)!r}")
                    result.append(found)
                    return []
                segment = replace(found, **changes)
                said.append(f"Changed {one_line(found.name)!r}: {', '.join(changed)}")
        result.append(segment)
        return [segment]

    if args.create:
        db = open_or_none(ctx)
        if db is None:
            decide(Book())  # what fails on an empty book fails before a file is made
            db = Database.open(ctx.path, user=ctx.user, create=True)
    else:
        db = open_existing(ctx)
    db.commit_checked(decide)
    segment = result[0]
    print(f"{said[0]}.")
    if not segment.deleted:
        found = preview(db.book, db.book.segments.get(segment.id, segment))
        print(f"Rule: {one_line(describe_rule(segment.rule))} — {plural(len(found.members), 'member')}.")
        if found.too_broad:
            print(
                f"⚠ It holds {len(found.members)} of {found.people} people: "
                "an audience of everyone is no one."
            )
    else:
        print(f"`meetup-tui segments {shlex.quote(one_line(segment.name))} --restore` brings it back.")
    return 0


def replace_flags(args: argparse.Namespace) -> argparse.Namespace:
    """The options without --delete and --restore: what else the command asks to change."""
    return argparse.Namespace(**(vars(args) | {"delete": False, "restore": False, "create": False}))


def _deleted(book: Book, name: str) -> Segment:
    """The most recently deleted segment of that name (any case)."""
    wanted = " ".join(name.split()).casefold()
    gone = [s for s in book.segments.values() if s.deleted and s.name.casefold() == wanted]
    if not gone:
        raise Refused(f"There is no deleted segment called {name.strip()!r} to bring back.")
    return max(gone, key=lambda s: (s.updated_at, s.id))
