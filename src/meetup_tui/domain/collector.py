"""Python's cyclic garbage collector, paused around work that makes many objects at once.

Reading a whole file into records, writing it back, ranking every person: each makes tens
of thousands of small objects that hold no cycles, and the collector, triggered by their
number alone, would run full collections over the growing heap (110-145 ms each on 5,000
people) and find nothing.  Reference counting still frees everything as usual.

A command of the command line runs with the collector paused from start to end (it lives
for a second; turning the collector back on after a read alone costs a 74 ms collection
of the new records).  The app, which lives for hours, freezes what it loaded (the
collector never scans the book again) and runs with the collector on; once its first
screen is drawn it freezes what that built too.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """The collector off inside the block, and on again after it if it was on before."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


@contextmanager
def collector_running(*, freeze: bool) -> Iterator[None]:
    """The collector on inside the block (a long-lived screen inside a paused command);
    with `freeze`, every object alive now is left out of its collections for good."""
    was_on = gc.isenabled()
    if freeze:
        gc.freeze()
    gc.enable()
    try:
        yield
    finally:
        if not was_on:
            gc.disable()


def freeze_what_lives() -> None:
    """Collect the garbage among the objects made since the last freeze (only those are
    scanned: the frozen never are), then leave every object alive now out of the
    collector's scans for good: for what is built to last (a screen's panes and what they
    were filled from, once drawn).  Reference counting still frees them."""
    gc.collect()
    gc.freeze()


def collect_after_change() -> None:
    """A full collection at a quiet moment, once a change is drawn and saved.  It scans what
    is not frozen: at 5,000 people that settles at ~90,000 objects, mostly Textual's caches
    of drawn lines (~45 ms here).  Left to itself, the collector ran the same collection
    every few changes in the middle of a frame, which then took 15-45 ms longer.  (Freezing
    after each change would make each collection tiny, but keep for good the cycles that
    die later -- evicted cache entries: ~1 MB a change.)"""
    gc.collect()
