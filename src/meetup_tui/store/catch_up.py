"""What every command does once it has opened the book: catch up with what lies beside it.

- Conflicted copies a sync client left beside the file are taken in.  A command that
  writes settles them (merged, written, moved aside: store/conflicts.py); one that only
  reads shows them merged and leaves them for the next writer.  Finding none costs one
  listing of the folder, so every command looks and copies never pile up past what a
  sync client keeps (Syncthing deletes the oldest past ten).
- What this machine's journal gave back when the book was opened (store/journal.py: an
  acknowledged change the file lacks) is written to the file at once, by a command that
  only reads too: an acknowledged change is out of the file no longer than until this
  machine's next command.

Each thing done is said in a sentence, for stderr or the screen, and so is what was settled
on reading the file (an id held twice, merged into one record).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from meetup_tui.domain.text import plural
from meetup_tui.store import conflicts, summaries
from meetup_tui.store.database import Database
from meetup_tui.store.jsonfile import StoreError


def catch_up(db: Database, *, writing: bool, say: Callable[[str], None] | None = None) -> list[str]:
    """Take in the copies beside `db`'s file and give the file back what the journal holds
    that it lacks.  Returns (and tells `say`) a sentence for each thing done.  StoreError
    when a command that writes cannot write; a command that reads goes on, and says so."""
    # Settled on reading, said once (as the app's doubles_sentences words it, so it says it once too).
    said = [f"The file had {problem}." for problem in db.book.problems]
    db.remember()  # what the journal holds that the file lacks (done already if opened by summaries)
    copies = conflicts.find_all_candidates(db)
    if copies and writing and not db.read_only:
        said += [report.sentence() for report in conflicts.merge_copies(db)]
    elif copies:
        said += _take_in(db, copies)
    if db.restored:
        gave = plural(len(db.restored), "change")
        said.append(
            f"Gave back {gave} saved on this machine that {db.path.name} lacked "
            "(it had been replaced: by a sync client, or a backup put back)."
        )
        db.restored = []
        if db.pending and not db.read_only:
            try:
                db.sync()
                summaries.keep_after_writes(db)
            except StoreError as exc:
                if writing:
                    raise
                said.append(f"{str(exc).rstrip('.')}; this machine keeps them and gives them back next time.")
    if say is not None:
        for sentence in said:
            say(sentence)
    return said


def _take_in(db: Database, copies: list[Path]) -> list[str]:
    """Read the copies into the book in memory, for a command that only reads."""
    said = []
    for copy in copies:
        found = conflicts.inspect(copy, db.database_id)
        if found.book is None or not found.mergeable:
            continue  # `doctor` says why; a command that reads has nothing to tell
        changes = db.take_in(found.book)
        if changes:
            said.append(f"Showing {plural(len(changes), 'change')} from {copy.name}, not merged yet.")
    return said
