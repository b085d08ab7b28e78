"""How long importing 10,000 contacts takes, from a Google CSV and from a phone's vCard.

    python benchmarks/import_contacts.py [--contacts N] [--runs N]

Printed, each next to the floor of the same work done naively: the whole `meetup-tui
import` of the file into an empty database (read, parse, match, one commit), against
reading the same file with the `csv` module (CSV) or splitting it into cards (vCard).
Then the same import into the book it already went into (all skipped: nothing written).
"""

from __future__ import annotations

import argparse
import csv
import io
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def google_csv(count: int) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["First Name", "Last Name", "E-mail 1 - Value", "Phone 1 - Value", "Organization Name",
                     "Labels", "Notes"])  # fmt: skip
    for n in range(count):
        writer.writerow([f"First{n}", f"Last{n}", f"p{n}@example.org", f"+44 7700 {n:06d}", f"Org {n % 300}",
                         "* myContacts ::: Customers", "met at the market\nlikes gravel"])  # fmt: skip
    return out.getvalue()


def vcards(count: int) -> str:
    cards = []
    for n in range(count):
        cards.append(
            "BEGIN:VCARD\r\nVERSION:3.0\r\n"
            f"FN:First{n} Last{n}\r\nN:Last{n};First{n};;;\r\n"
            f"TEL;TYPE=CELL:+44 7700 {n:06d}\r\nEMAIL;TYPE=HOME:p{n}@example.org\r\n"
            f"ORG:Org {n % 300}\r\nNOTE:met at the market\\, likes gravel\r\nEND:VCARD\r\n"
        )
    return "".join(cards)


def timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(done.stderr)
    return time.perf_counter() - start


def seconds(times: list[float]) -> str:
    return f"best {min(times):.2f} s, median {statistics.median(times):.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="meetup-import-bench-"))
    files = {
        "Google CSV": ("contacts.csv", google_csv(args.contacts)),
        "vCard": ("contacts.vcf", vcards(args.contacts)),
    }
    print(f"{args.contacts:,} contacts")
    for label, (name, text) in files.items():
        (folder / name).write_text(text, encoding="utf-8")
        if name.endswith(".csv"):
            floor = [timed([sys.executable, "-c", f"import csv; list(csv.reader(open({name!r})))"], folder)]
        else:
            floor = [timed([sys.executable, "-c", f"open({name!r}).read().split('END:VCARD')"], folder)]
        fresh, again = [], []
        for run in range(args.runs):
            db = f"{name}.{run}.json"
            command = [sys.executable, "-m", "meetup_tui", "--db", db, "import", name]
            fresh.append(timed(command, folder))
            again.append(timed(command, folder))
        print(f"  {label}: imported in {seconds(fresh)}; again (nothing new) {seconds(again)}")
        print(f"    floor: reading the file alone in a fresh Python {seconds(floor)}")


if __name__ == "__main__":
    main()
