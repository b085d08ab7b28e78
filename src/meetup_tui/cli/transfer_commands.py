"""`import FILE` and `export`: contacts in from a phone, Google, Outlook or LinkedIn; the book
out as JSON, a spreadsheet, vCards or a calendar feed.

An import is planned on the book as merged with the file, under the commit lock, and
written in one commit: all of it or nothing (domain/import_plan.py decides who is new,
who is merged and who is skipped).  `--dry-run` shows the same plan and writes nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from meetup_tui.cli import render
from meetup_tui.cli.commands import BadOption, Context, open_or_none
from meetup_tui.cli.progress import progress_bar, working
from meetup_tui.contacts.card import ContactFileError
from meetup_tui.contacts.exporting import EXPORT_FORMATS, SUFFIXES, export_payload
from meetup_tui.contacts.reading import read_contacts
from meetup_tui.domain.book import Book
from meetup_tui.domain.errors import UserError
from meetup_tui.domain.import_plan import ImportPlan, plan_import
from meetup_tui.domain.phones import locale_region
from meetup_tui.domain.records import Record
from meetup_tui.domain.text import one_line, plural, visible
from meetup_tui.store import jsonfile
from meetup_tui.store.database import Database

IMPORT_FORMATS = ("vcard", "csv", "google", "outlook", "linkedin")
MAP_FIELDS = (
    *("name", "first_name", "last_name", "phone", "email", "org", "role", "area", "tags", "birthday"),
    *("notes", "skip"),
)


class NotContacts(UserError):
    """The file cannot be imported (exit 1)."""


def add_parsers(sub: Any) -> None:
    imp = sub.add_parser(
        "import",
        help="bring in contacts: vCard, Google, Outlook or LinkedIn CSV",
        description="Bring in contacts from a file: a phone's vCard export, a Google or Outlook "
        "CSV, LinkedIn's Connections.csv, or any CSV with recognisable headers.  The same email, "
        "phone or full name, in the file or already in the book, is one person: merged (empty "
        "fields filled, new numbers kept), never added twice.  All of it is written, or nothing.",
        epilog="Examples:\n  meetup-tui import contacts.vcf --dry-run\n"
        "  meetup-tui import Connections.csv --tag linkedin --segment LinkedIn\n"
        '  meetup-tui import members.csv --map "Member=name" --map "Mobile no=phone"',
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--format", choices=IMPORT_FORMATS, help="the file's layout (default: read from it)")
    imp.add_argument("--dry-run", action="store_true", help="show what would be added, merged, skipped")
    imp.add_argument(
        "--map", metavar="COLUMN=FIELD", action="append", default=[],
        help=f"read a CSV column as a field ({', '.join(MAP_FIELDS)}); repeatable",
    )  # fmt: skip
    imp.add_argument("--tag", metavar="T", action="append", default=[], help="tag everyone the file brings")
    imp.add_argument("--segment", metavar="S", help="put everyone the file brings in this segment")
    imp.add_argument("--json", action="store_true", help="print the report as JSON")
    imp.set_defaults(run=run_import)

    exp = sub.add_parser(
        "export",
        help="the book as JSON, CSV, vCard or a calendar feed",
        description="Write the book out: json (the whole database, as the file), csv (people, "
        "one row each, for a spreadsheet), vcard (4.0, for a phone; `import` reads it back), ics "
        "(follow-ups, planned meetings and birthdays, for a calendar to subscribe to).",
        epilog="Examples:\n  meetup-tui export --format csv --out people.csv\n"
        "  meetup-tui export --out ~/Dropbox/shop/plans.ics    # the format from the name",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    exp.add_argument("--format", choices=EXPORT_FORMATS, help="default: from --out's name, else json")
    exp.add_argument("--out", metavar="FILE", help="write to FILE (replaced whole) instead of the screen")
    exp.add_argument("--owner", metavar="USER", help="ics: only the people USER looks after, and unowned")
    exp.set_defaults(run=run_export)


# -- import -------------------------------------------------------------------------------------


def _mapping(pairs: list[str]) -> dict[str, str]:
    mapping = {}
    for pair in pairs:
        column, sep, name = pair.partition("=")
        if not sep or not column.strip() or not name.strip():
            raise BadOption(f'--map {pair!r} is not COLUMN=FIELD; e.g. --map "Mobile no=phone".')
        if name.strip().lower() not in MAP_FIELDS:
            raise BadOption(
                f"--map {pair!r}: {name.strip()!r} is not a field; the fields are {', '.join(MAP_FIELDS)}."
            )
        mapping[column.strip()] = name.strip().lower()
    return mapping


def run_import(args: argparse.Namespace, ctx: Context) -> int:
    path = Path(args.file).expanduser()
    mapping = _mapping(args.map)
    tags = list(dict.fromkeys(t.strip() for t in args.tag if t.strip()))
    segment = " ".join(args.segment.split()) if args.segment else None
    with working(f"Reading {path.name}…"):
        try:
            parsed = read_contacts(path, args.format, mapping)
        except ContactFileError as exc:
            raise NotContacts(str(exc)) from None
    if mapping and parsed.format == "vcard":
        raise BadOption("--map is for CSV files; a vCard says what each field is.")
    region = locale_region()

    def make_plan(book: Book) -> ImportPlan:
        with progress_bar(f"Matching {path.name}", len(parsed.contacts)) as advance:
            plan = plan_import(
                book, parsed.contacts, region=region, tags=tags, segment=segment, progress=advance
            )
        plan.bad_rows = parsed.bad_rows
        return plan

    db = open_or_none(ctx)
    if args.dry_run:
        plan = make_plan(db.book if db is not None else Book())
        _report(plan, parsed.format, path, dry_run=True, as_json=args.json)
        return 0
    if not parsed.contacts:
        raise NotContacts(f"{visible(str(path))} holds no contact that could be read; nothing was imported.")
    planned: list[ImportPlan] = []

    def decide(book: Book) -> list[Record]:
        planned[:] = [make_plan(book)]
        return planned[0].records()

    if db is None:
        db = Database.open(ctx.path, user=ctx.user, create=True)
    db.commit_checked(decide)
    _report(planned[0], parsed.format, path, dry_run=False, as_json=args.json)
    return 0


_NAMES = {
    "vcard": "vCard",
    "csv": "CSV",
    "google": "Google CSV",
    "outlook": "Outlook CSV",
    "linkedin": "LinkedIn CSV",
}


def _report(plan: ImportPlan, layout: str, path: Path, *, dry_run: bool, as_json: bool) -> None:
    added, merged, skipped, bad = (
        plan.count("add"),
        plan.count("merge"),
        plan.count("skip"),
        len(plan.bad_rows),
    )
    if as_json:
        print(render.dump_json({
            "file": str(path), "format": layout, "dry_run": dry_run,
            "added": added, "merged": merged, "skipped": skipped, "bad": bad,
            "rows": [
                {"action": s.action, "name": s.person.name, "id": s.person.id, "lines": s.lines,
                 "reason": s.reason, "changed": s.changed}
                for s in plan.steps
            ],
            "bad_rows": [{"line": b.line, "reason": b.reason} for b in plan.bad_rows],
            "segments": [s.name for s in plan.segments],
        }))  # fmt: skip
        return
    verb = ("Would add", "merge", "skip") if dry_run else ("Added", "merged", "skipped")
    head = f"{one_line(path.name)} ({_NAMES.get(layout, layout)}): {verb[0]} {added}, {verb[1]} {merged}, {verb[2]} {skipped}"
    unread = f"; {plural(bad, 'record')} could not be read" if bad else ""
    print(f"{head}{unread}.")
    shown = plan.steps if dry_run else [s for s in plan.steps if s.action == "merge"]
    rows = [(s.action, one_line(s.person.name), _lines(s.lines), _why(s)) for s in shown] + [
        ("bad", "", f"line {b.line}", one_line(b.reason)) for b in plan.bad_rows
    ]
    if rows:
        width = max(len(r[1]) for r in rows)
        for action, name, where, why in rows:
            print(f"  {action:<5}  {name.ljust(min(width, 28))}  {where:<11}  {why}")
    if plan.segments and not dry_run:
        print(f"Everyone the file brought is in the segment {one_line(plan.segments[0].name)!r}.")
    if dry_run:
        print("Nothing was written; run it again without --dry-run to import.")


def _lines(lines: list[int]) -> str:
    if len(lines) == 1:
        return f"line {lines[0]}"
    return "lines " + ", ".join(str(n) for n in lines[:3]) + ("…" if len(lines) > 3 else "")


def _why(step: Any) -> str:
    if step.action == "merge":
        return f"{one_line(step.reason)}: adds {', '.join(step.changed)}"
    return one_line(step.reason)


# -- export -------------------------------------------------------------------------------------


def _format_of(args: argparse.Namespace) -> str:
    if args.format:
        return args.format
    suffix = Path(args.out).suffix.lower() if args.out else ""
    if args.out and suffix not in SUFFIXES:
        raise BadOption(
            f"Cannot tell the format from {args.out!r}; give --format ({', '.join(EXPORT_FORMATS)})."
        )
    return SUFFIXES.get(suffix, "json")


def run_export(args: argparse.Namespace, ctx: Context) -> int:
    from meetup_tui.cli.commands import open_existing, owner_named

    layout = _format_of(args)
    db = open_existing(ctx, writing=False)
    owner = owner_named(db.book, args.owner) if args.owner is not None else None  # as `today --owner`
    payload = export_payload(layout, db.book, db.meta, ctx.clock.today(), owner=owner)
    if args.out is None:
        sys.stdout.buffer.write(payload)
        sys.stdout.flush()
        return 0
    out = Path(args.out).expanduser()
    if out.resolve() == db.path.resolve():
        raise BadOption("--out names the database itself; give another file.")
    jsonfile.write_atomic(jsonfile.real_path(out), payload)
    print(f"Wrote {visible(str(out))} ({layout}).", file=sys.stderr)
    return 0
