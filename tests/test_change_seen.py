"""A change on disk is never missed: a file edited in place by another program, to the same
size, with its modification time set back, is still seen (its change time moved), and the
next save keeps that edit instead of writing the old value again."""

from __future__ import annotations

import json
import os
from pathlib import Path

from meetup_tui.domain.records import Person
from meetup_tui.store.database import Database


def test_an_edit_in_place_with_the_time_put_back_is_seen_and_kept(db_path: Path) -> None:
    db = Database.open(db_path, user="alex@shop", create=True)
    db.add(Person(name="Ana Ruiz"))
    bo = db.add(Person(name="Bo Lee"))
    assert not db.changed_on_disk()  # our own write, renamed in: not a change
    info = db_path.stat()
    text = db_path.read_text(encoding="utf-8")
    with open(db_path, "r+", encoding="utf-8") as handle:  # in place: the same inode
        handle.write(text.replace('"Ana Ruiz"', '"Ann Ruiz"'))
    os.utime(db_path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert (db_path.stat().st_size, db_path.stat().st_mtime_ns) == (info.st_size, info.st_mtime_ns)
    assert db.changed_on_disk()
    db.change(bo, area="harbour")  # the next save merges the file first
    names = {doc["name"] for doc in json.loads(db_path.read_text(encoding="utf-8"))["people"].values()}
    assert names == {"Ann Ruiz", "Bo Lee"}
