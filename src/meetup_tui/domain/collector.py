"""Python's cyclic garbage collector, paused around work that makes many objects at once.

Reading a whole file into records, writing it back, ranking every person: each makes tens
of thousands of small objects that hold no cycles, and the collector, triggered by their
number alone, would run full collections over the growing heap (110-145 ms each on 5,000
people) and find nothing.  Reference counting still frees everything as usual.
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
