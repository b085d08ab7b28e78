"""Which names beside the file are a sync service's conflicted copy, and which a person's own.

The localized Dropbox and the Nextcloud names below are forms seen in real folders; the
hand-made names are the kind a shop owner gives a copy before tidying up.  Every copy here
holds this database (its database id), so only the name decides whether it is merged and
moved away.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from meetup_tui.domain.records import Person
from meetup_tui.store import conflicts
from meetup_tui.store.conflicts import archive_folder, find_candidates, merge_copies, service_of
from meetup_tui.store.database import Database

DB = Path("meetup.json")

RECOGNISED = [
    # Dropbox, in the languages its clients write them
    ("meetup (Alex's conflicted copy 2026-11-20).json", "Dropbox"),
    ("meetup (Alex’s conflicted copy 2026-11-20 (1)).json", "Dropbox"),
    ("meetup (Alexs in Konflikt stehende Kopie 2026-11-20).json", "Dropbox"),
    ("meetup (In Konflikt stehende Kopie von Alex 2026-11-20).json", "Dropbox"),
    ("meetup (in Konflikt stehende Kopie von Anwalt 2026-08-30).json", "Dropbox"),
    ("meetup (Kopie mit Konflikt von Alex 2026-11-20).json", "Dropbox"),
    ("meetup (copie en conflit de Alex 2026-11-20).json", "Dropbox"),
    ("meetup (Copie en conflit de SEMLOG-GTH-0001 2025-11-17).json", "Dropbox"),
    ("meetup (Copia en conflicto de Eduardo Zago 2026-05-04).json", "Dropbox"),
    ("meetup (copia en conflicto de Alex 2026-11-20).json", "Dropbox"),
    ("meetup (Copia in conflitto di MBP-di-Marco.fritz.box 2026-10-08).json", "Dropbox"),
    ("meetup (Cópia em conflito de Contabilidade Cajuru 2026-08-25 1).json", "Dropbox"),
    ("meetup (Copie en conflit de Alex 2026-11-20) (1).json", "Dropbox"),
    # Nextcloud: a user's name before the date, or the date only
    ("meetup (conflicted copy alice 2026-11-20 101500).json", "Nextcloud"),
    ("meetup (conflicted copy Alice Smith 2026-11-20 101500).json", "Nextcloud"),
    ("meetup (conflicted copy 2026-11-20).json", "Nextcloud"),
    ("meetup (conflicted copy 2026-11-20 101500).json", "Nextcloud"),
    # OneDrive: the computer's name, as Windows writes it
    ("meetup-OFFICE-PC.json", "OneDrive"),
    ("meetup-DESKTOP-7QK2M1B.json", "OneDrive"),
    ("meetup-LAPTOP1.json", "OneDrive"),
]


@pytest.mark.parametrize(("name", "service"), RECOGNISED)
def test_each_service_name_is_recognised(name: str, service: str) -> None:
    assert service_of(DB, Path("/nowhere") / name) == service


NOT_COPIES = [
    "meetup-before-cleanup.json",
    "meetup-old.json",
    "meetup-2024.json",
    "meetup-2024-11-20.json",
    "meetup-Before-Cleanup.json",
    "meetup-Old.json",
    "meetup-BEFORE-THE-BIG-CLEANUP.json",  # capitals, but longer than a Windows computer name
    "meetup-OFFICE-.json",
    "meetup (conflicted copy).json",  # no date
    "meetup (Kopie mit Konflikt).json",
    "meetup (copie en conflit de Alex).json",
    "meetup (Alex's conflicted copy 20-11-2026).json",
    "meetup (notes from the conflicted copy 2026-11-20).json",
]


@pytest.mark.parametrize("name", NOT_COPIES)
def test_a_copy_a_person_named_is_never_merged_or_moved(db_path: Path, name: str) -> None:
    Database.open(db_path, user="sam@shop", create=True).add(Person(name="Ana Ruiz"))
    mine = db_path.with_name(name)
    shutil.copy2(db_path, mine)  # a whole copy of this database: its id matches
    Database.open(mine, user="sam@shop").add(Person(name="Only in my copy"))
    kept, before = mine.read_bytes(), db_path.read_bytes()

    assert service_of(db_path, mine) is None
    assert find_candidates(db_path) == []
    assert merge_copies(Database.open(db_path, user="sam@shop")) == []
    assert mine.read_bytes() == kept and db_path.read_bytes() == before
    assert not archive_folder(db_path).exists()


def _copy_changed_on(db_path: Path, name: str, user: str) -> Path:
    """A copy of the database under `name`, in which `user` added someone."""
    copy = db_path.with_name(name)
    shutil.copy2(db_path, copy)
    Database.open(copy, user=user).add(Person(name=f"Added by {user}"))
    return copy


@pytest.mark.parametrize("name", ["meetup-hilap.json", "meetup-HiLap.json", "meetup-hilap-1.json"])
def test_a_lower_case_host_is_a_onedrive_copy_when_that_computer_changed_the_copy(
    db_path: Path, name: str
) -> None:
    """OneDrive's Linux client appends the host name as it is: `meetup-hilap.json`."""
    Database.open(db_path, user="sam@shop", create=True).add(Person(name="Ana Ruiz"))
    copy = _copy_changed_on(db_path, name, "alex@hilap")
    assert service_of(db_path, copy) == "OneDrive"
    (report,) = merge_copies(Database.open(db_path, user="sam@shop"))
    assert report.moved_to is not None and report.merged == 1 and not copy.exists()
    names = {p.name for p in Database.open(db_path, user="x").book.people.values()}
    assert "Added by alex@hilap" in names


def test_a_lower_case_name_no_computer_wrote_is_not_a_copy(db_path: Path) -> None:
    Database.open(db_path, user="sam@shop", create=True).add(Person(name="Ana Ruiz"))
    copy = _copy_changed_on(db_path, "meetup-hilap.json", "alex@laptop")
    assert service_of(db_path, copy) is None and find_candidates(db_path) == []


def test_this_computers_name_is_a_onedrive_copy(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Database.open(db_path, user="sam@shop", create=True).add(Person(name="Ana Ruiz"))
    copy = _copy_changed_on(db_path, "meetup-backroom.json", "sam")  # no host in the stamps
    assert service_of(db_path, copy) is None
    monkeypatch.setattr(conflicts.socket, "gethostname", lambda: "backroom.local")
    assert service_of(db_path, copy) == "OneDrive" and find_candidates(db_path) == [copy]


def test_a_lower_case_name_is_read_once_per_change_to_tell(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Telling a host name from a word reads the file, but not again while it is unchanged."""
    Database.open(db_path, user="sam@shop", create=True).add(Person(name="Ana Ruiz"))
    notes = db_path.with_name("meetup-notes.json")
    notes.write_text('{"todo": {"1": {"text": "call the bank"}}}')
    reads: list[Path] = []
    real = conflicts._read_bytes
    monkeypatch.setattr(conflicts, "_read_bytes", lambda copy: reads.append(copy) or real(copy))
    db = Database.open(db_path, user="sam@shop")
    for _scan in range(4):
        assert find_candidates(db_path) == [] and merge_copies(db) == []
    assert reads == [notes]
