"""A progress bar on stderr for long work, only where a person watches (a terminal)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

SHOWN_FROM = 300  # records: below this the work is over before a bar could be read


@contextmanager
def progress_bar(label: str, total: int) -> Iterator[Callable[[int], None]]:
    """Yields `advance_to(done)`; draws a bar on stderr when it is a terminal and the work big."""
    if total < SHOWN_FROM or not sys.stderr.isatty():
        yield lambda _done: None
        return
    from rich.console import Console
    from rich.markup import escape
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(escape(label), total=total)  # a file name is text, not markup
        yield lambda done: bar.update(task, completed=done)


@contextmanager
def working(label: str) -> Iterator[None]:
    """A spinner with `label` on stderr while something of unknown length runs (a terminal only)."""
    if not sys.stderr.isatty():
        yield
        return
    from rich.console import Console
    from rich.markup import escape

    with Console(stderr=True).status(escape(label)):
        yield
