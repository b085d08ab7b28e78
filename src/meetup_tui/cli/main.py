"""`meetup-tui [--db FILE] [--user NAME] [--today YYYY-MM-DD] [COMMAND ...]`.

Exit codes: 0 done; 1 a failure the message explains; 2 a usage error; 130 interrupted.
Messages go to stderr as one sentence prefixed "meetup-tui: ", never a traceback.
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import sys
from collections.abc import Callable
from typing import NoReturn

from meetup_tui.cli import (
    commands,
    doctor,
    history_command,
    insights_command,
    journey_command,
    person_commands,
    segment_commands,
    serve_command,
    transfer_commands,
)
from meetup_tui.domain.collector import collector_paused
from meetup_tui.domain.dates import check_today
from meetup_tui.domain.errors import CadenceError, DateError, UserError, WordsError
from meetup_tui.domain.records import KINDS, OUTCOMES
from meetup_tui.domain.text import one_line
from meetup_tui.store import database
from meetup_tui.store.jsonfile import StoreError, sentence_for

PROG = "meetup-tui"
USAGE_ERRORS = (DateError, CadenceError, WordsError, commands.BadOption)
# Options that name files: a file name may be any bytes the system allows, so these are
# the only arguments not required to be UTF-8 text.
PATH_OPTIONS = frozenset({"db", "restore", "file", "out"})


class Parser(argparse.ArgumentParser):
    """argparse that reports a usage error as one sentence and exit code 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{PROG}: {message}; see `{self.prog} --help`.\n")


def _bounded(low: int, high: int | None) -> Callable[[str], int]:
    span = f"from {low} to {high}" if high is not None else f"{low} or more"

    def convert(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            if re.fullmatch(r"\s*[+-]?\d+\s*", text):  # more digits than Python reads
                raise argparse.ArgumentTypeError(
                    f"the number is out of range, give a number {span}"
                ) from None
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < low or (high is not None and value > high):
            raise argparse.ArgumentTypeError(f"{value} is out of range, give a number {span}")
        return value

    return convert


def _iso_day(text: str) -> str:
    try:
        commands.parse_today(text, "the day")
    except commands.BadOption as exc:
        raise argparse.ArgumentTypeError(str(exc).rstrip(".")) from None
    return text


def build_parser() -> Parser:
    parser = Parser(
        prog=PROG,
        description="Connections over likes: who to call or meet today.  Without a command, opens the app.",
        epilog="The file is --db, else $MEETUP_TUI_DB, else the user data folder.",
    )
    _global_options(parser, default=None)
    parser.add_argument("--version", action=_Version, nargs=0, help="show the version and exit")
    parser.set_defaults(run=commands.run_app)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    demo = sub.add_parser(
        "demo",
        help="open the app on a fresh sample database",
        description="Write a sample business into a new temporary folder (or "
        "into --db FILE, which must not exist yet) and open the app on it.",
    )
    demo.add_argument("--no-open", action="store_true", help="only print the path of the sample file")
    demo.set_defaults(run=commands.run_demo)

    today = sub.add_parser(
        "today",
        help="who to contact today, best first, with reasons",
        description="Who to contact today, best first, with the reasons.",
    )
    today.add_argument(
        "--limit",
        type=_bounded(0, None),
        default=None,
        metavar="N",
        help="how many people to show; 0 shows everyone due (default: daily_cap in the settings, 5)",
    )
    today.add_argument("--json", action="store_true", help="print JSON for scripts")
    whose = today.add_mutually_exclusive_group()
    whose.add_argument("--all", action="store_true", help="the whole team's list, not only mine + unowned")
    whose.add_argument(
        "--owner", metavar="USER", help="USER's list: the people USER looks after, and unowned"
    )
    today.set_defaults(run=commands.run_today)

    person_commands.add_parsers(sub, _bounded)
    transfer_commands.add_parsers(sub)
    history_command.add_parser(sub)
    segment_commands.add_parser(sub)
    journey_command.add_parser(sub)
    insights_command.add_parser(sub)
    serve_command.add_parser(sub)

    log = sub.add_parser(
        "log",
        help="record a conversation or an attempt",
        description="Record a call, meeting or attempt with one or more people.",
        epilog="WHEN: 'yesterday 3pm', '2d', 'monday', 'dec 12', '2026-12-01 10:00'.",
    )
    log.add_argument("names", metavar="NAME[,NAME...]", help="one name, or several joined by commas")
    log.add_argument("--kind", choices=KINDS, default="call")
    log.add_argument(
        "--outcome",
        choices=OUTCOMES,
        default="reached",
        help="a real conversation, only an attempt (no answer, voicemail), "
        "or noted: a next step written down, no contact made",
    )
    log.add_argument("--at", metavar="WHEN", help="when it happened (default: now)")
    log.add_argument("--where", metavar="PLACE")
    log.add_argument("--note", metavar="TEXT")
    log.add_argument("--learned", metavar="TEXT", help="their challenges, wants, needs")
    log.add_argument("--next", metavar="TEXT", help="the next step")
    log.add_argument("--follow-up", metavar="WHEN", help="when to follow up: '3d', 'next monday'")
    log.add_argument(
        "--done",
        nargs="?",
        const="first",
        metavar="all",
        help="the open next step due first with these people is done, and said; --done all: every one",
    )
    log.set_defaults(run=commands.run_log)

    snooze = sub.add_parser(
        "snooze",
        help="leave someone off the list until a day",
        description="Leave a person off today's list until UNTIL.",
    )
    snooze.add_argument("name", metavar="NAME")
    snooze.add_argument("until", metavar="UNTIL", help="'3d', '2w', 'next monday', 'dec 12', a date")
    snooze.set_defaults(run=commands.run_snooze)

    instead = sub.add_parser(
        "instead",
        help="the best person to call right now, instead of posting",
        description="The best person to contact right now instead of posting: number, reason, "
        "talking point, and the command that logs the call.",
    )
    instead.add_argument("--json", action="store_true", help="print JSON for scripts (null if nobody)")
    instead.set_defaults(run=commands.run_instead)

    post = sub.add_parser(
        "post",
        help="record a social media post",
        description="Record a post, to compare likes with conversations.",
    )
    post.add_argument("platform", metavar="PLATFORM")
    post.add_argument("--likes", type=_bounded(0, None), default=0, metavar="N")
    post.add_argument("--at", metavar="WHEN", help="when it was posted (default: now)")
    post.add_argument(
        "--engaged",
        action="append",
        metavar="NAME[:HOW]",
        help="someone who engaged with it: HOW is comment (the default), share, message or like; "
        "found by name, or added as a new prospect; give it once per person",
    )
    post.set_defaults(run=commands.run_post)

    people = sub.add_parser(
        "people", help="list people", description="List people by name, optionally of one segment."
    )
    people.add_argument("--segment", metavar="S")
    people.add_argument("--json", action="store_true", help="every field, as JSON")
    people.set_defaults(run=commands.run_people)

    check = sub.add_parser(
        "doctor",
        help="check the file; merge conflicted copies; restore a backup",
        description=doctor.DESCRIPTION,
        epilog=doctor.EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    check.add_argument("--merge", action="store_true", help="merge the conflicted copies beside the file now")
    check.add_argument(
        "--restore",
        metavar="BACKUP",
        help="put a backup back (a path, or a file name in the backups folder); backs up the file first",
    )
    check.add_argument("--json", action="store_true", help="print JSON for scripts (keys below)")
    check.set_defaults(run=doctor.run_doctor)
    for command in sub.choices.values():  # `meetup-tui import x.vcf --db shop.json` works too
        _global_options(command, default=argparse.SUPPRESS)
    return parser


def _global_options(parser: argparse.ArgumentParser, default: object) -> None:
    """--db, --user and --today: before the command, or after it (`default` SUPPRESS there, so
    one given before the command is not undone by the command's parser)."""
    group = parser.add_argument_group("global options") if default is argparse.SUPPRESS else parser
    group.add_argument(
        "--db", metavar="FILE", default=default, help="the database file (default: $MEETUP_TUI_DB)"
    )
    group.add_argument(
        "--user", metavar="NAME", default=default, help="who is making changes (default: user@host)"
    )
    group.add_argument(
        "--today", metavar="YYYY-MM-DD", type=_iso_day, default=default, help="pretend today is this day"
    )


class _Version(argparse.Action):
    """--version, looked up only when asked (reading the package's metadata costs every
    other command 14 ms)."""

    def __call__(self, parser: argparse.ArgumentParser, *_args: object) -> None:
        print(f"{parser.prog} {_version()}")
        parser.exit(0)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("meetup-tui")
    except PackageNotFoundError:
        return "(not installed)"


def _fail(message: str, code: int) -> int:
    try:
        print(f"{PROG}: {one_line(message)}", file=sys.stderr)
    except (OSError, ValueError):
        pass  # no stderr to tell: the exit code still says it failed
    return code


def _shown(text: str) -> str:
    """`text` with what is not UTF-8 shown as escapes: the bytes `\\xff`, a lone `\\ud800`."""
    try:
        raw = text.encode("utf-8", "surrogateescape")  # argv bytes that were not UTF-8
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return raw.decode("utf-8", "backslashreplace")


def _require_utf8(label: str, text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise commands.BadOption(
            f"{label} '{_shown(text)}' is not valid UTF-8 text; the file keeps only UTF-8, so retype it."
        ) from None


def _labels(parser: argparse.ArgumentParser) -> dict[str, str]:
    """Each argument's name as the user typed it ("--user", "NAME"), by its dest."""
    labels: dict[str, str] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                labels.update(_labels(sub))
        elif action.option_strings:
            labels[action.dest] = action.option_strings[-1]
        else:
            labels[action.dest] = str(action.metavar or action.dest.upper()).split("[")[0]
    return labels


def check_text(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Every text argument is UTF-8 (argv bytes that are not arrive as lone surrogates, and
    could never be written to the file); file names are exempt."""
    labels = _labels(parser)
    for dest, value in vars(args).items():
        if dest in PATH_OPTIONS:
            continue
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str):
                _require_utf8(labels.get(dest, dest), text)


def check_context(args: argparse.Namespace, ctx: commands.Context) -> None:
    """What came from the environment is held to the options' rules: UTF-8 user, sane today."""
    if args.user is None:
        _require_utf8("MEETUP_TUI_USER" if os.environ.get("MEETUP_TUI_USER") else "The login name", ctx.user)
    if ctx.clock.fixed_day is not None:
        check_today(ctx.clock.fixed_day, "--today" if args.today is not None else "MEETUP_TUI_TODAY")


def _notice(sentence: str) -> None:
    """Something the user must know that is not a failure: one line on stderr."""
    try:
        print(f"{PROG}: {one_line(sentence)}", file=sys.stderr)
    except (OSError, ValueError):
        pass


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so the exit flush does not complain."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _tolerate_plain_terminals() -> None:
    """On an ASCII-only stdout, print symbols as escapes instead of failing."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            pass


def run() -> NoReturn:
    """The program (`meetup-tui`, `python -m meetup_tui`): `main` in a process that ends
    with it, so the collector stays off to the end (turning it on again would cost a last
    collection of everything the command made: 117 ms on 5,000 people)."""
    gc.disable()
    raise SystemExit(main())


def main(argv: list[str] | None = None) -> int:
    _tolerate_plain_terminals()
    try:
        parser = build_parser()
        try:
            args = parser.parse_args(argv)
        except SystemExit as exc:  # --help (0) or a usage error (2), already printed
            return exc.code if isinstance(exc.code, int) else 2
        check_text(parser, args)
        ctx = commands.make_context(args)
        check_context(args, ctx)
        database.on_notice = _notice  # an archive not there yet: one sentence on stderr
        try:
            with collector_paused():  # a command's objects are freed by reference counting
                code = int(args.run(args, ctx))
        finally:
            database.on_notice = None
        sys.stdout.flush()
        return code
    except USAGE_ERRORS as exc:
        return _fail(str(exc), 2)
    except (UserError, StoreError) as exc:
        return _fail(str(exc), 1)
    except KeyboardInterrupt:
        return _fail("interrupted.", 130)
    except BrokenPipeError:
        _silence_stdout()
        return 141
    except Exception as exc:  # a bug must still not show users a traceback
        return _fail(sentence_for(exc), 1)


if __name__ == "__main__":
    raise SystemExit(main())
