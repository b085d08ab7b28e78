"""Make the README's screenshots from the demo data, on a fixed day and terminal size.

    python scripts/screenshots.py          # writes screenshots/*.svg
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from datetime import date
from pathlib import Path

from meetup_tui.demo import write_demo
from meetup_tui.domain.clock import Clock
from meetup_tui.ui.app import MeetupApp

DAY = date(2026, 11, 26)
OUT = Path(__file__).resolve().parent.parent / "screenshots"

# (file name, terminal size, keys pressed before the shot)
SHOTS = [
    ("main-120x40.svg", (120, 40), []),
    ("main-80x24.svg", (80, 24), []),
    ("main-60x20.svg", (60, 20), []),
    ("log-120x40.svg", (120, 40), ["l"]),
    ("call-80x24.svg", (80, 24), ["c"]),
    ("checkin-80x24.svg", (80, 24), ["t"]),
    ("instead-80x24.svg", (80, 24), ["p"]),
    ("import-80x24.svg", (80, 24), ["i", *"contacts.vcf", "enter"]),
    ("history-80x24.svg", (80, 24), ["h"]),
    ("posts-80x24.svg", (80, 24), ["P"]),
    ("segment-editor-80x24.svg", (80, 24), ["s", *"Fast locals", "tab", "tab", *"racing", *["tab"] * 3, *"Millbrook"]),
    ("segment-80x24.svg", (80, 24), ["tab", "tab", "tab", *["down"] * 4, "enter"]),  # Partners & suppliers
    ("engaged-80x24.svg", (80, 24), ["P", "n", *"38", "tab", "tab", *"Maya Okafor, Kim Park:share"]),
    ("board-120x40.svg", (120, 40), ["J"]),
    ("insights-120x40.svg", (120, 40), ["I", "s"]),  # Commuters
    ("report-80x24.svg", (80, 24), ["R"]),
]

# A phone's export for the import shot: one person already in the demo, two new, one card
# without a name.
CONTACTS = """\
BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Maya Okafor\r\nTEL;TYPE=CELL:+44 7700 900431\r\n\
EMAIL:maya@millbrookwheelers.example\r\nEND:VCARD\r\n\
BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Rosa Lind\r\nTEL;TYPE=CELL:07700 900812\r\n\
ORG:Lind Bakery\r\nCATEGORIES:neighbour\r\nEND:VCARD\r\n\
BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Tomás Ferreira\r\nEMAIL:tomas@ferreira.example\r\nEND:VCARD\r\n\
BEGIN:VCARD\r\nVERSION:3.0\r\nTEL:07700 900999\r\nEND:VCARD\r\n\
"""


async def shoot(db_path: Path, name: str, size: tuple[int, int], keys: list[str]) -> None:
    from meetup_tui.store.database import Database

    app = MeetupApp(Database.open(db_path, user="alex@spoke-and-chain"), Clock(DAY))
    async with app.run_test(size=size) as pilot:
        app.animation_level = "none"
        for key in keys:
            await pilot.press(key)
        await app.workers.wait_for_complete()  # a dialog that reads a file in a worker
        await pilot.pause()
        app.save_screenshot(str(OUT / name))
        app.exit()


def main() -> int:
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "demo.json"
        write_demo(db_path, DAY)
        (Path(folder) / "contacts.vcf").write_text(CONTACTS, encoding="utf-8", newline="")
        os.chdir(folder)  # the import dialog shows the path as typed: contacts.vcf
        for name, size, keys in SHOTS:
            asyncio.run(shoot(db_path, name, size, keys))
            print(OUT / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
