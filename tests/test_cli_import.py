"""`meetup-tui import` and `export` through the real command line: a phone's vCard, a Google
CSV and a LinkedIn export into one book with no duplicates, dry runs that write nothing,
re-imports that change nothing, and the book back out in four formats."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from cli_support import cli, people_docs, tables
from icalendar import Calendar

from meetup_tui.store import jsonfile

PHONE_VCF = """\
BEGIN:VCARD
VERSION:3.0
FN:Ana Ruiz
N:Ruiz;Ana;;;
TEL;TYPE=CELL:07700 900123
EMAIL:ana@ruiz.example
CATEGORIES:bakery
END:VCARD
BEGIN:VCARD
VERSION:2.1
N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=D0=98=D0=B2=D0=B0=D0=BD=D0=BE=D0=B2=D0=B0;=D0=97=D0=BE=D1=8F;;;
TEL;CELL:+44 7700 900555
END:VCARD
BEGIN:VCARD
VERSION:3.0
FN:[bold]Eve[/] \x1b[31mRed
EMAIL:eve@example.org
END:VCARD
"""

GOOGLE_CSV = (
    "First Name,Last Name,E-mail 1 - Value,Phone 1 - Value,Organization Name,Labels,Notes\r\n"
    "Ana,Ruiz,ANA@ruiz.example,+44 7700 900123,Ruiz Bakery,* myContacts ::: Friends,\r\n"
    'Bo,Lee,bo@lee.example,555 0101,,,"two lines\r\nof notes"\r\n'
    ",,,,,* myContacts ::: Friends,\r\n"
    "Zoya,Ivanova,,07700 900555,Bakery Co,,\r\n"
)

LINKEDIN_CSV = (
    "Notes:\n"
    '"When exporting your connection data, you may notice that some of the email addresses are missing."\n'
    "\n"
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    "Bo,Lee,https://www.linkedin.com/in/bolee,,Lee Cycles,Owner,12 Nov 2023\n"
    "Cy,Moss,https://www.linkedin.com/in/cymoss,,Moss Ltd,Director,3 Jan 2024\n"
    ",,https://www.linkedin.com/in/closed,,,,5 Feb 2024\n"
)


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LANG", "en_GB.UTF-8")  # numbers without a country code are British
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_CTYPE", raising=False)
    (tmp_path / "phone.vcf").write_text(PHONE_VCF, encoding="utf-8", newline="")
    (tmp_path / "google.csv").write_text(GOOGLE_CSV, encoding="utf-8-sig", newline="")
    (tmp_path / "Connections.csv").write_text(LINKEDIN_CSV, encoding="utf-8", newline="")
    return tmp_path


def mt(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    return cli(capsys, "--db", str(db), "--user", "alex@shop", *args)


def ok(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> str:
    code, out, err = mt(capsys, db, *args)
    assert code == 0, err
    return out


def by_name(db: Path) -> dict[str, dict]:
    return {d["name"]: d for d in people_docs(db) if not d["deleted"]}


def test_three_sources_make_one_book_without_duplicates(
    capsys: pytest.CaptureFixture[str], files: Path
) -> None:
    db = files / "shop.json"
    out = ok(capsys, db, "import", str(files / "phone.vcf"))
    assert out.startswith("phone.vcf (vCard): Added 3, merged 0, skipped 0.")
    out = ok(capsys, db, "import", str(files / "google.csv"))
    assert out.startswith(
        "google.csv (Google CSV): Added 1, merged 2, skipped 0; 1 record could not be read."
    )
    assert "  bad " in out and "line 5" in out and "no name" in out  # Bo's note takes two lines
    out = ok(
        capsys, db, "import", str(files / "Connections.csv"), "--tag", "linkedin", "--segment", "LinkedIn"
    )
    assert out.startswith("Connections.csv (LinkedIn CSV): Added 1, merged 1, skipped 0; 1 record")
    people = by_name(db)
    assert sorted(people) == sorted(
        ["Ana Ruiz", "Зоя Иванова", "[bold]Eve[/] \x1b[31mRed", "Bo Lee", "Cy Moss"]
    )
    ana = people["Ana Ruiz"]
    # The same email in another case and the same number written with +44: one person.
    assert ana["phones"] == ["07700 900123"] and ana["emails"] == ["ana@ruiz.example"]
    assert ana["org"] == "Ruiz Bakery" and ana["tags"] == ["bakery", "Friends"]
    zoya = people["Зоя Иванова"]  # matched by phone across files: the vCard's +44, the CSV's 0
    assert zoya["org"] == "Bakery Co" and zoya["phones"] == ["+44 7700 900555"]
    bo = people["Bo Lee"]  # matched by name from LinkedIn, which has no email
    assert (bo["org"], bo["role"], bo["notes"].startswith("two lines\nof notes")) == (
        "Lee Cycles",
        "Owner",
        True,
    )
    assert bo["tags"] == ["linkedin"] and people["Cy Moss"]["tags"] == ["linkedin"]
    assert people["Cy Moss"]["notes"].endswith("Connected on Wednesday 3 January 2024.")  # LinkedIn's date
    assert all(p["created_by"] == "alex@shop" for p in people.values())
    (segment,) = [s for s in tables(db)["segments"].values() if not s["deleted"]]
    assert segment["name"] == "LinkedIn" and set(segment["include"]) == {bo["id"], people["Cy Moss"]["id"]}


def test_a_re_import_changes_nothing(capsys: pytest.CaptureFixture[str], files: Path) -> None:
    db = files / "shop.json"
    for name in ("phone.vcf", "google.csv", "Connections.csv"):
        ok(capsys, db, "import", str(files / name), "--tag", "imported", "--segment", "Everyone")
    before = db.read_bytes()
    for name in ("phone.vcf", "google.csv", "Connections.csv"):
        out = ok(capsys, db, "import", str(files / name), "--tag", "imported", "--segment", "Everyone")
        assert "Added 0, merged 0" in out
    assert db.read_bytes() == before


def test_a_dry_run_writes_nothing_and_shows_the_plan(capsys: pytest.CaptureFixture[str], files: Path) -> None:
    db = files / "shop.json"
    out = ok(capsys, db, "import", str(files / "google.csv"), "--dry-run")
    assert not db.exists()  # not even an empty database
    assert "Would add 3, merge 0, skip 0; 1 record could not be read." in out
    assert "Nothing was written" in out
    ok(capsys, db, "import", str(files / "phone.vcf"))
    before = db.read_bytes()
    code, out, _err = mt(capsys, db, "import", str(files / "google.csv"), "--dry-run", "--json")
    assert code == 0 and db.read_bytes() == before
    report = json.loads(out)
    assert (report["dry_run"], report["format"], report["added"], report["merged"], report["bad"]) == (
        True, "google", 1, 2, 1,
    )  # fmt: skip
    ana = next(r for r in report["rows"] if r["name"] == "Ana Ruiz")
    assert ana["action"] == "merge" and ana["lines"] == [2] and set(ana["changed"]) == {"org", "tags"}
    assert "same email" in ana["reason"]
    assert report["bad_rows"] == [{"line": 5, "reason": "no name"}]


def test_duplicates_inside_one_file_are_one_person(capsys: pytest.CaptureFixture[str], files: Path) -> None:
    twice = files / "twice.csv"
    twice.write_text(
        "Name,Email,Phone\nAna Ruiz,ana@x.example,555 0100\nANA RUIZ,,555 0199\n", encoding="utf-8"
    )
    db = files / "shop.json"
    out = ok(capsys, db, "import", str(twice))
    assert "Added 1, merged 0, skipped 0" in out
    (ana,) = by_name(db).values()
    assert ana["phones"] == ["555 0100", "555 0199"]


def test_an_import_is_one_write(
    capsys: pytest.CaptureFixture[str], files: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = files / "shop.json"
    ok(capsys, db, "add", "Someone")
    many = files / "many.csv"
    many.write_text(
        "Name,Email\n" + "".join(f"Person {n},p{n}@x.example\n" for n in range(500)), encoding="utf-8"
    )
    writes: list[Path] = []
    real = jsonfile.write_atomic

    def counted(path: Path, payload: bytes, **kw: object) -> object:
        writes.append(path)
        return real(path, payload, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(jsonfile, "write_atomic", counted)
    ok(capsys, db, "import", str(many))
    assert [w for w in writes if w == db] == [db] and len(by_name(db)) == 501  # (and a backup first)


@pytest.mark.parametrize(
    ("content", "args", "code", "says"),
    [
        ('{"people": []}', [], 1, "looks like JSON"),
        ("", [], 1, "is empty"),
        ("Nom,Téléphone\nAna,555\n", [], 1, '--map "Column=name"'),
        ("Nom,Téléphone\nAna,555\n", ["--map", "Nom=nom"], 2, "is not a field"),
        ("Nom,Téléphone\nAna,555\n", ["--map", "Nom"], 2, "is not COLUMN=FIELD"),
        (PHONE_VCF, ["--map", "FN=name"], 2, "--map is for CSV files"),
        ("Name\n\n", [], 1, "holds no contact"),
    ],
)
def test_what_cannot_be_imported_is_one_sentence_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], files: Path, content: str, args: list[str], code: int, says: str
) -> None:
    db = files / "shop.json"
    ok(capsys, db, "add", "Someone")
    before = db.read_bytes()
    source = files / "input.txt"
    source.write_text(content, encoding="utf-8")
    got, out, err = mt(capsys, db, "import", str(source), *args)
    assert (got, out) == (code, "")
    assert says in err and err.count("\n") == 1 and "Traceback" not in err
    assert db.read_bytes() == before


def test_a_missing_file_and_a_latin1_file(capsys: pytest.CaptureFixture[str], files: Path) -> None:
    db = files / "shop.json"
    code, _out, err = mt(capsys, db, "import", str(files / "nothing.vcf"))
    assert code == 1 and "There is no file at" in err and not db.exists()
    latin = files / "latin.csv"
    latin.write_bytes("Name\nJosé\n".encode("latin-1"))
    code, _out, err = mt(capsys, db, "import", str(latin))
    assert code == 1 and "is not UTF-8 text" in err and not db.exists()


# -- export ---------------------------------------------------------------------------------------


@pytest.fixture
def book(capsys: pytest.CaptureFixture[str], files: Path) -> Path:
    db = files / "shop.json"
    ok(capsys, db, "import", str(files / "phone.vcf"))
    ok(capsys, db, "import", str(files / "google.csv"))
    ok(
        capsys,
        db,
        "--today",
        "2026-11-27",
        "log",
        "Ana Ruiz",
        "--next",
        "send the price list",
        "--follow-up",
        "dec 3",
    )
    ok(capsys, db, "edit", "Bo Lee", "--birthday", "14 March")
    return db


def test_export_json_is_the_file(capsys: pytest.CaptureFixture[str], book: Path) -> None:
    assert json.loads(ok(capsys, book, "export")) == tables(book)


def test_export_csv_has_a_row_per_person(capsys: pytest.CaptureFixture[str], book: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(ok(capsys, book, "export", "--format", "csv"))))
    # A spreadsheet gets no terminal escape codes: they are dropped, the rest of the name kept.
    assert sorted(r["name"] for r in rows) == sorted(n.replace("\x1b", "") for n in by_name(book))
    ana = next(r for r in rows if r["name"] == "Ana Ruiz")
    assert (ana["email"], ana["org"], ana["tags"]) == ("ana@ruiz.example", "Ruiz Bakery", "bakery; Friends")


def test_vcards_exported_import_back_unchanged(
    capsys: pytest.CaptureFixture[str], book: Path, files: Path
) -> None:
    out = files / "out.vcf"
    ok(capsys, book, "export", "--out", str(out))
    again = files / "again.json"
    assert f"Added {len(by_name(book))}, merged 0" in ok(capsys, again, "import", str(out))
    fields = ("name", "phones", "emails", "org", "role", "tags", "birthday", "notes")
    assert {n: {f: p[f] for f in fields} for n, p in by_name(again).items()} == {
        n: {f: p[f] for f in fields} for n, p in by_name(book).items()
    }
    assert "Added 0, merged 0" in ok(capsys, book, "import", str(out))  # into the book it came from


def test_the_calendar_feed_is_stable_and_has_the_follow_up(
    capsys: pytest.CaptureFixture[str], book: Path, files: Path
) -> None:
    feed = files / "plans.ics"
    ok(capsys, book, "--today", "2026-11-27", "export", "--out", str(feed))
    first = feed.read_bytes()
    ok(capsys, book, "--today", "2026-11-27", "export", "--out", str(feed))
    assert feed.read_bytes() == first  # a calendar subscribed to it sees no change
    events = Calendar.from_ical(first).walk("VEVENT")
    follow = next(e for e in events if "price list" in str(e["SUMMARY"]))
    assert follow.decoded("DTSTART").isoformat() == "2026-12-03" and "Ana Ruiz" in str(follow["SUMMARY"])
    assert any("Bo Lee" in str(e["SUMMARY"]) and e.get("RRULE") for e in events)  # the birthday


def test_export_refuses_what_it_cannot_do(
    capsys: pytest.CaptureFixture[str], book: Path, files: Path
) -> None:
    code, _out, err = mt(capsys, book, "export", "--out", str(files / "x.txt"))
    assert code == 2 and "Cannot tell the format" in err
    code, _out, err = mt(capsys, book, "export", "--out", str(book), "--format", "json")
    assert code == 2 and "the database itself" in err
    code, _out, err = mt(capsys, files / "none.json", "export")
    assert code == 1 and "There is no database" in err


def test_a_big_import_shows_a_progress_bar_on_a_terminal_only(files: Path) -> None:
    """On a terminal (a pty here) the matching of 1,000 contacts draws a bar on stderr; in a
    pipe (cron mail, a script) nothing but the report is printed."""
    import os
    import subprocess
    import sys

    from cli_support import subprocess_env

    many = files / "many.csv"
    many.write_text(
        "Name,Email\n" + "".join(f"Person {n},p{n}@x.example\n" for n in range(1000)), encoding="utf-8"
    )
    command = [sys.executable, "-m", "meetup_tui", "--db", "shop.json", "import", "many.csv", "--dry-run"]
    env = subprocess_env(files, TERM="xterm-256color", COLUMNS="100")
    main, sub = os.openpty()
    done = subprocess.run(command, cwd=files, env=env, stdout=subprocess.PIPE, stderr=sub, timeout=60)
    os.close(sub)
    drawn = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:
            break
        if not chunk:
            break
        drawn += chunk
    os.close(main)
    assert done.returncode == 0 and b"Would add 1000" in done.stdout
    assert b"Matching many.csv" in drawn and b"1000/1000" in drawn
    piped = subprocess.run(command, cwd=files, env=env, capture_output=True, timeout=60)
    assert piped.returncode == 0 and piped.stderr == b""
