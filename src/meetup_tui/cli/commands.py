"""The subcommands: each validates everything first, then writes at most once.

A command that fails raises a `UserError` or `StoreError` whose message is the sentence
the user reads; `main` turns it into an exit code.  Nothing here imports Textual: the
app is imported inside `open_app`, only when the screen is really wanted.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from pathlib import Path

from meetup_tui.cli import render
from meetup_tui.domain.book import Book
from meetup_tui.domain.clock import Clock
from meetup_tui.domain.collector import collector_running, freeze_what_lives
from meetup_tui.domain.dates import happened_at, iso_minute, long_day, parse_day, snooze_day
from meetup_tui.domain.engagement import Recorded, engaged_name, post_records
from meetup_tui.domain.errors import LookupFailed, UserError
from meetup_tui.domain.outreach import best_now, rank_today
from meetup_tui.domain.records import Interaction, Post, Record, Segment
from meetup_tui.domain.settings import Settings
from meetup_tui.domain.steps import marked_done, open_steps_with, step_words
from meetup_tui.domain.team import TEAM, is_team, short_user, whose_words
from meetup_tui.domain.text import one_line, plural, visible
from meetup_tui.store import database, summaries
from meetup_tui.store.catch_up import catch_up
from meetup_tui.store.database import BadFile, Database, MissingFile
from meetup_tui.store.identity import resolve_user
from meetup_tui.store.paths import resolve_db_path
from meetup_tui.store.settings_file import load_settings

HOW_TO_START = "add someone with `meetup-tui add NAME` or try `meetup-tui demo`"


class BadOption(UserError):
    """A usage error found after parsing (exit 2)."""


class Refused(UserError):
    """A request the book cannot honour, such as a duplicate name (exit 1)."""


@dataclass(frozen=True)
class Context:
    """What every command needs: where the file is, who is working, and what day it is.

    `settings` is read from the settings file the first time a command asks for it (the
    commands that rank, and those given a date or a stage to read), then kept for the run.
    """

    db_option: str | None  # --db exactly as given (demo must not fall back to $MEETUP_TUI_DB)
    path: Path
    user: str
    clock: Clock
    global_options: tuple[str, ...] = ()  # --db/--user/--today as given, to repeat in a hint

    @cached_property
    def settings(self) -> Settings:
        """The settings file's settings (BadSettings, exit 1, if it cannot be used)."""
        return load_settings()


def parse_today(text: str, source: str) -> date:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
        raise BadOption(f"{source} {text!r} is not a date; give it as YYYY-MM-DD, e.g. 2026-12-20.")
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise BadOption(f"{source} {text!r} is not a real day of the calendar.") from None


def make_context(args: argparse.Namespace) -> Context:
    today_text = args.today if args.today is not None else os.environ.get("MEETUP_TUI_TODAY") or None
    source = "--today" if args.today is not None else "MEETUP_TUI_TODAY"
    fixed = parse_today(today_text, source) if today_text is not None else None
    given = (("--db", args.db), ("--user", args.user), ("--today", args.today))
    options = tuple(part for option, value in given if value is not None for part in (option, value))
    return Context(
        db_option=args.db,
        path=resolve_db_path(args.db),
        user=resolve_user(args.user),
        clock=Clock(fixed),
        global_options=options,
    )


def open_existing(ctx: Context, *, summary: bool = False, writing: bool = True) -> Database:
    """The database for commands that need one already there, caught up with the copies
    beside it and this machine's journal (store/catch_up.py; `writing`: the command writes,
    so it settles the copies); with `summary`, opened from the file's summary when one
    matches it (store/summaries.py), none made if not."""
    with _said_missing():
        if summary:
            db = summaries.open_database(ctx.path, user=ctx.user, keep=False)
        else:
            db = Database.open(ctx.path, user=ctx.user)
    catch_up(db, writing=writing, say=database.on_notice)
    return db


def read_existing(ctx: Context) -> Book:
    """The book, for commands that only read it and need one already there (from the
    file's summary when one matches it: store/summaries.py), caught up as `open_existing`."""
    with _said_missing():
        db = summaries.open_database(ctx.path, user=ctx.user)
    catch_up(db, writing=False, say=database.on_notice)
    return db.book


@contextmanager
def _said_missing() -> Iterator[None]:
    try:
        yield
    except MissingFile as exc:
        raise MissingFile(f"{str(exc).rstrip('.')}; {HOW_TO_START}.") from None


def open_or_none(ctx: Context) -> Database | None:
    """The database if the file exists; None if it does not (yet).  A broken file still fails."""
    try:
        db = Database.open(ctx.path, user=ctx.user)
    except MissingFile:
        return None
    catch_up(db, writing=True, say=database.on_notice)
    return db


def commit_new(ctx: Context, db: Database | None, *records: Record) -> Database:
    """Write validated records, creating the file first if it is missing."""
    if db is None:
        db = Database.open(ctx.path, user=ctx.user, create=True)
    db.commit(*(db.stamp(r) for r in records))
    return db


def past_moment(text: str | None, ctx: Context) -> datetime:
    """--at: words counted back from (fixed) today; never a day after today."""
    if text is None:
        return ctx.clock.now()
    return happened_at(text, ctx.clock.now(), dayfirst=ctx.settings.dayfirst)


# -- opening the app ----------------------------------------------------------------------


def open_app(db: Database, ctx: Context) -> int:
    from meetup_tui.ui.app import MeetupApp  # Textual only when the screen is really wanted

    database.on_notice = None  # on the screen the app says them (`db.notices`), never on stderr
    with for_the_screen(db) as drawn:
        app = MeetupApp(db, ctx.clock, settings=ctx.settings, drawn=drawn)
        app.run()
    summaries.keep_after_writes(db)  # the next start reads the summary, not the log
    return app.return_code or 0


@contextmanager
def for_the_screen(db: Database) -> Iterator[Callable[[], None]]:
    """The collector as a screen that lives for hours wants it: the book and its log's
    indexes (built now) frozen, never scanned again, and the collector on for the rest (a
    full collection over them stalled the screen for 35-60 ms on 5,000 people, 360 ms on
    20,000).  Yields what the app calls once its first screen is drawn: it freezes what
    that built too (rankings, memberships, the panes), and again once a book opened from
    its summary has read its log."""
    if db.book.whole_read:  # else the app reads the log once its first screen is drawn
        db.book.contact_index(), db.book.log_order()
    with collector_running(freeze=True):
        yield freeze_what_lives


def run_app(args: argparse.Namespace, ctx: Context) -> int:
    _ = ctx.settings  # a bad settings file fails here, before the database file is created
    try:
        db = summaries.open_database(ctx.path, user=ctx.user, create=True, keep=False)  # kept on closing
    except BadFile as broken:
        return open_broken(broken, ctx)
    db.told += catch_up(db, writing=True)  # on the screen, not stderr
    return open_app(db, ctx)


def open_broken(broken: BadFile, ctx: Context) -> int:
    """The file cannot be read: explain, and offer its newest good backup read-only."""
    from meetup_tui.ui.broken_file import BrokenFileApp

    backup = BrokenFileApp(str(broken), broken.backup).run()
    if backup is None:
        return 1
    db = Database.open(backup, user=ctx.user)
    db.read_only = f"showing the backup {backup.name}"
    return open_app(db, ctx)


def run_demo(args: argparse.Namespace, ctx: Context) -> int:
    path = Path(ctx.db_option).expanduser() if ctx.db_option else None
    if path is not None and (path.exists() or path.is_symlink()):
        raise Refused(
            f"{visible(str(path))} already exists and the demo never overwrites a file; "
            "give a new path to --db or leave --db out."
        )
    if not args.no_open:
        _ = ctx.settings  # a bad settings file fails before anything is written
    if path is None:
        import tempfile  # only the demo needs it

        path = Path(tempfile.mkdtemp(prefix="meetup-tui-demo-")) / "meetup.json"
    from meetup_tui.demo import write_demo

    db = write_demo(path, ctx.clock.today(), ctx.user)
    if args.no_open:
        print(visible(str(path)))
        return 0
    print(f"Sample database: {visible(str(path))}", flush=True)
    code = open_app(db, ctx)
    again = shlex.quote(visible(str(path)))
    print(f"The sample stays at {visible(str(path))}; open it again with `meetup-tui --db {again}`.")
    return code


# -- reading ------------------------------------------------------------------------------


def run_today(args: argparse.Namespace, ctx: Context) -> int:
    """--limit N shows the best N, 0 everyone due; without it, the settings' daily_cap."""
    settings = ctx.settings
    book, today = read_existing(ctx), ctx.clock.today()
    whose = TEAM if args.all else owner_named(book, args.owner) if args.owner else ctx.user
    ranked = rank_today(book, today, settings=settings, mine=whose)
    limit = settings.daily_cap if args.limit is None else args.limit
    shown = ranked[:limit] if limit else ranked
    if args.json:
        print(render.dump_json([render.suggestion_doc(s, book) for s in shown]))
        return 0
    scope = ""
    if is_team(book, ctx.user) or whose != ctx.user:  # say whose list, and what the rest have due
        scope = whose_words(whose, ctx.user)
        if whose is not TEAM:
            others = len(rank_today(book, today, settings=settings)) - len(ranked)
            scope += f"; {others} more due for the rest of the team: --all" if others else ""
    text = render.today_text(book, today, shown, len(ranked), scope, engaged_days=settings.engaged_days)
    print("\n".join(text))
    return 0


def owner_named(book: Book, name: str) -> str:
    """The owner `name` means: as written in the book (any case, or the login without the
    host); an owner no one in the book has is refused with those there are."""
    wanted = " ".join(name.split()).casefold()
    for owner in book.owners():
        if owner.casefold() == wanted or short_user(owner).casefold() == wanted:
            return owner
    known = ", ".join(book.owners()) or "nobody has an owner yet"
    raise LookupFailed(f"No one in the book is looked after by {name.strip()!r} (owners: {known}).")


def run_instead(args: argparse.Namespace, ctx: Context) -> int:
    settings = ctx.settings
    book = read_existing(ctx)
    best = best_now(book, ctx.clock.now(), settings, mine=ctx.user)
    if args.json:
        print(render.dump_json(render.suggestion_doc(best, book) if best else None))
    else:
        print("\n".join(render.instead_text(best, ctx.clock.today(), ctx.global_options)))
    return 0


def find_segment(book: Book, name: str) -> Segment:
    segment = book.find_segment(name)
    if segment is None:
        known = ", ".join(s.name for s in book.live_segments()[:8]) or "none yet"
        raise LookupFailed(f"There is no segment called {name!r} (segments: {known}).")
    return segment


def run_people(args: argparse.Namespace, ctx: Context) -> int:
    book = read_existing(ctx)
    people = book.members(find_segment(book, args.segment)) if args.segment else book.live_people()
    people.sort(key=lambda p: (p.name.casefold(), p.id))
    last = book.last_contacts()
    if args.json:
        print(render.dump_json([render.person_doc(p, book, last) for p in people]))
        return 0
    if not people:
        where = f"in the segment {one_line(args.segment)!r}" if args.segment else "in the book"
        print(f"No one is {where} yet; add someone with `meetup-tui add NAME`.")
        return 0
    print("\n".join(render.people_rows(people, last, ctx.clock.today())))
    return 0


# -- writing ------------------------------------------------------------------------------


def clean_name(text: str) -> str:
    name = " ".join(text.split())
    if not name:
        raise BadOption('The name is empty; give the person\'s name, e.g. meetup-tui add "Ana Ruiz".')
    return name


def read_stage(text: str, ctx: Context) -> str:
    """--stage: one of the settings' stages, in any case."""
    stages = ctx.settings.stages
    for stage in stages:
        if stage.casefold() == text.strip().casefold():
            return stage
    raise BadOption(f"--stage {text!r} is not a stage; the stages are {', '.join(stages)}.")


def run_log(args: argparse.Namespace, ctx: Context) -> int:
    names = [n for n in (part.strip() for part in args.names.split(",")) if n]
    if not names:
        raise BadOption('Give at least one name, e.g. meetup-tui log "Ana Ruiz".')
    moment = past_moment(args.at, ctx)
    follow_up = None
    if args.follow_up:
        follow_up = parse_day(args.follow_up, ctx.clock.today(), dayfirst=ctx.settings.dayfirst)
    if args.outcome == "noted" and not (args.next or "").strip() and follow_up is None:
        raise BadOption("--outcome noted writes down a next step; give it with --next or --follow-up.")
    if args.done not in (None, "first", "all"):
        raise BadOption(
            f"--done takes 'all' or nothing, not {args.done!r}; put the names first: "
            f"meetup-tui log {shlex.quote(args.done)} --done."
        )
    db = open_existing(ctx, summary=True)
    found: dict[str, list] = {}

    def decide(book: Book) -> list[Record]:
        """The entry, and the done marks, decided on the book as the file has it now."""
        people = found["people"] = book.find_people(names)
        steps = found["steps"] = open_steps_with(book, [p.id for p in people])
        entry = Interaction(
            at=iso_minute(moment),
            people=[p.id for p in people],
            kind=args.kind,
            outcome=args.outcome,
            where=(args.where or "").strip(),
            note=args.note or "",
            learned=args.learned or "",
            next_step=(args.next or "").strip(),
            follow_up=follow_up.isoformat() if follow_up else None,
            logged_by=ctx.user,
        )
        closing = found["closing"] = steps if args.done == "all" else steps[:1] if args.done else []
        return [entry, *marked_done(closing, ctx.clock.today())]

    if args.done:
        db.commit_checked(decide)
    else:  # one new entry: added to the file's bytes when the summary says where its log ends
        summaries.log_entry(db, decide)
    people, steps, today = found["people"], found["steps"], ctx.clock.today()
    when = "" if moment.date() == today else f" on {long_day(moment.date())}"
    who = render.join_names([p.name for p in people])
    if args.outcome == "noted":
        print(f"Noted a step for {who}{when} (no contact made).")
    else:
        print(f"Logged {render.with_kind(args.kind)} with {who}{when} ({args.outcome}).")
    closing = found["closing"]
    for step in steps:  # due first first: the one --done closes, then what stays open
        said = step_words(step, today)
        print(f"Done: {said}." if step in closing else f"Still open: {said} — --done marks it done.")
    if args.done and not steps:
        print("There was no open next step to mark done.")
    if follow_up:
        print(f"Follow up on {long_day(follow_up)}.")
    return 0


def run_snooze(args: argparse.Namespace, ctx: Context) -> int:
    today = ctx.clock.today()
    until = snooze_day(args.until, today, dayfirst=ctx.settings.dayfirst)
    db = open_existing(ctx)
    person = db.book.find_person(args.name)
    db.change(person, snoozed_until=until.isoformat())
    print(f"Snoozed {one_line(person.name)} until {long_day(until)}.")
    return 0


def run_post(args: argparse.Namespace, ctx: Context) -> int:
    platform = " ".join(args.platform.split())
    if not platform:
        raise BadOption("The platform is empty; say where you posted, e.g. meetup-tui post Instagram.")
    moment = past_moment(args.at, ctx)
    engaged = [engaged_name(text) for text in args.engaged or []]
    db = open_or_none(ctx) or Database.open(ctx.path, user=ctx.user, create=True)
    post = Post(platform=platform, at=iso_minute(moment), likes=args.likes)
    recorded: list[Recorded] = []

    def decide(book: Book) -> list[Record]:
        """The post and the people it made, found by name on the book as the file has it."""
        if not engaged:
            return [post]
        recorded[:] = [post_records(book, post, engaged, ctx.settings.stages, owner=ctx.user)]
        return [*recorded[0].made, recorded[0].post]

    db.commit_checked(decide)
    print(f"Recorded a post on {one_line(platform)} with {plural(args.likes, 'like')}.")
    for done in recorded:
        said = [f"{one_line(person.name)} ({how})" for person, how in done.engaged]
        print(f"Engaged: {render.join_names(said)}.")
        for person in done.made:
            print(f"Added {one_line(person.name)} as a new {person.stage}, tagged {', '.join(person.tags)}.")
    # The settings are read only when they count: a broken file stops no post that needs none.
    engaged_days = ctx.settings.engaged_days if any(p.engaged for p in db.book.live_posts()) else 0
    print(render.score_line(db.book, ctx.clock.today(), engaged_days))
    return 0
