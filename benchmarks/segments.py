"""How long a segment's connectors and a stranger's warm path take on a big book.

    python benchmarks/segments.py [--people N] [--interactions N] [--runs N]

The book is rank.py's (seeded, in memory, with tags, introductions and a log).  Printed,
best and median of several runs, next to the floor of one pass over the records:
connectors of the largest segment; the segment editor's live preview (what each keystroke
in the rule editor costs); a warm path, first call (it builds the links of who met or
introduced whom, kept until the book changes) and then per stranger.
"""

from __future__ import annotations

import random
import time

from rank import TODAY, build_book, figures, floor_pass, size_options, timed

from meetup_tui.domain.audience import preview, preview_words
from meetup_tui.domain.connectors import connectors
from meetup_tui.domain.records import Person, Segment
from meetup_tui.domain.warm_path import warm_path


def main() -> None:
    args = size_options(__doc__).parse_args()
    book = build_book(args.people, args.interactions)
    rng = random.Random(7)
    live = [p for p in book.people.values() if not p.deleted]
    for person in rng.sample(live, len(live) // 3):  # a third were introduced by someone
        introducer = rng.choice(live)
        if introducer.id != person.id:
            book.put(Person(**{**person.to_doc(), "introduced_by": introducer.id}))
    for n in range(500):  # strangers: never talked to, introduced by someone in the book
        book.put(Person(name=f"Stranger {n}", introduced_by=rng.choice(live).id))
    segment = Segment(name="Runners", rule={"tags": ["runner"]})
    book.put(segment)
    book.last_contacts()  # the log's index: built once for the whole app
    print(f"{len(live):,} people / {len(book.interactions):,} log entries")
    print(f"  floor: one pass over the records {figures(timed(lambda: floor_pass(book), args.runs))}")
    members = len(book.members(segment))
    found = timed(lambda: connectors(book, segment, TODAY), args.runs)
    print(f"  connectors of a segment of {members:,}: {figures(found)}")
    shown = timed(lambda: preview_words(preview(book, segment)), args.runs)
    print(f"  the editor's preview of that rule (each keystroke): {figures(shown)}")
    talked = book.last_contacts()
    strangers = [p for p in book.people.values() if not p.deleted and p.id not in talked][:200]

    def first_path() -> None:
        book._memo.pop("warm_path.links", None)  # as after any change to the book
        warm_path(book, strangers[0].id, TODAY)

    print(f"  a warm path, first call (builds the links): {figures(timed(first_path, args.runs))}")
    warm_path(book, strangers[0].id, TODAY)
    started = time.perf_counter()
    paths = [warm_path(book, s.id, TODAY) for s in strangers]
    each = (time.perf_counter() - started) / len(strangers) * 1000
    print(
        f"  then per stranger ({len(strangers)} strangers, {sum(p is not None for p in paths)} with a path): {each:.2f} ms"
    )


if __name__ == "__main__":
    main()
