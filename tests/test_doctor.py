"""`meetup-tui doctor`: the check, --merge, --restore and --json, on real files.

Files are broken the way they break (cut short, overwritten with garbage, a sync client's
conflicted copies beside them) and every test reads the bytes on disk afterwards.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

import cli_support
from meetup_tui.cli import doctor
from meetup_tui.cli.main import main
from meetup_tui.domain.records import Interaction, Person, Segment
from meetup_tui.store import backups, jsonfile, schema
from meetup_tui.store.conflicts import archive_folder
from meetup_tui.store.database import Database

USER = "sam@shop"


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    cli_support.isolate_env(monkeypatch, tmp_path, USER)


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    """A healthy database: three people (one deleted), a segment, two calls (one deleted).

    Written in two sessions, so the backups folder holds the file as the first one left it.
    """
    path = tmp_path / "Dropbox" / "shop" / "meetup.json"
    db = Database.open(path, user=USER, create=True)
    ana, bo, cy = Person(name="Ana Ruiz"), Person(name="Bo Lee"), Person(name="Cy Moss")
    db.commit(*(db.stamp(p) for p in (ana, bo, cy)))
    db.add(Segment(name="Runners", include=[ana.id]))
    db.add(Interaction(at="2026-11-20T10:00", people=[ana.id]))
    later = Database.open(path, user=USER)
    gone = later.add(Interaction(at="2026-11-21T10:00", people=[bo.id]))
    later.delete(gone)
    later.delete(later.book.people[cy.id])
    assert backups.list_backups(path)
    return path


def doctor_run(capsys: pytest.CaptureFixture[str], path: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(path), "doctor", *args])
    out, err = capsys.readouterr()
    return code, out, err


def doctor_json(capsys: pytest.CaptureFixture[str], path: Path, *args: str) -> tuple[int, dict[str, Any]]:
    code, out, _err = doctor_run(capsys, path, "--json", *args)
    return code, json.loads(out)


def run_cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return cli_support.run_cli(cwd, *args, MEETUP_TUI_USER=USER)


def folder_state(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes: to show that a command wrote nothing."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def a_copy_from(path: Path, name: str, user: str) -> str:
    """A conflicted copy as a sync client leaves it: the file copied, then changed elsewhere."""
    copy = path.with_name(name)
    shutil.copy2(path, copy)
    other = Database.open(copy, user=user)
    ana = next(p for p in other.book.live_people() if p.name == "Ana Ruiz")
    other.change(ana, notes=f"edited by {user}")
    return other.add(Person(name=f"New from {user}")).id


# -- the check -----------------------------------------------------------------------------


def test_a_healthy_file_reports_its_counts_and_changes_nothing(
    capsys: pytest.CaptureFixture[str], shop: Path
) -> None:
    before = folder_state(shop.parent)
    code, out, err = doctor_run(capsys, shop)
    assert code == 0 and err == ""
    assert "people 3 (1 deleted), segments 1, interactions 2 (1 deleted), posts 0" in out
    assert Database.open(shop, user="r").meta["database_id"] in out
    assert "mode 0600 (private), writable" in out
    assert "Conflicted copies: none" in out
    assert out.rstrip().endswith("Nothing to do: the file is healthy.")
    assert folder_state(shop.parent) == before  # doctor only reads


def test_json_has_the_documented_keys_and_the_facts(capsys: pytest.CaptureFixture[str], shop: Path) -> None:
    a_copy_from(shop, "meetup (1).json", "alex@laptop")
    code, report = doctor_json(capsys, shop)
    assert code == 0
    documented = doctor.EPILOG.split("--json prints one object with these keys:")[1]
    assert list(report) == re.findall(r"^  (\w+) ", documented, re.MULTILINE)
    (copy,) = report["copies"]
    for key in [*report["file"], *report["tables"], *report["tables"]["people"], *copy, *report["backups"]]:
        assert re.search(rf"\b{key}\b", documented), f"{key} is not documented in --help"
    assert set(report["backups"]) == {"folder", "count", "names", "newest", "newest_good"}

    db = Database.open(shop, user="r")
    assert report["healthy"] is True and report["problems"] == []
    assert report["file"]["database_id"] == db.meta["database_id"]
    assert report["file"]["mode"] == "0600" and report["file"]["group_shared"] is False
    assert report["file"]["schema"] == schema.SCHEMA and report["file"]["migration_pending"] is False
    assert report["tables"]["people"] == {"records": 3, "deleted": 1, "duplicate_ids": []}
    assert report["tables"]["interactions"]["deleted"] == 1
    assert copy["name"] == "meetup (1).json" and copy["service"] == "Google Drive"
    assert copy["same_database"] is True and copy["mergeable"] is True
    names = [b.name for b in backups.list_backups(shop)]
    assert report["backups"]["names"] == names and report["backups"]["count"] == len(names) > 0
    assert report["backups"]["newest_good"] == names[0]
    assert report["advice"] == [
        f"1 conflicted copy can be merged: run `meetup-tui --db {shop} doctor --merge`."
    ]


def test_a_group_shared_file_says_so(capsys: pytest.CaptureFixture[str], shop: Path) -> None:
    shop.chmod(0o660)
    code, report = doctor_json(capsys, shop)
    assert code == 0 and report["file"]["mode"] == "0660" and report["file"]["group_shared"] is True
    _code, out, _err = doctor_run(capsys, shop)
    assert "mode 0660 (group-shared with " in out


def test_an_id_used_twice_is_a_problem(capsys: pytest.CaptureFixture[str], shop: Path) -> None:
    data = json.loads(shop.read_text())
    twin = dict(next(iter(data["people"].values())), name="Someone Else")
    data["people"]["99"] = twin  # a hand edit that pasted a record and changed the name
    shop.write_text(json.dumps(data))
    before = shop.read_bytes()
    code, out, _err = doctor_run(capsys, shop)
    assert code == 1
    assert f"1 id used by more than one record in people ({twin['id']})" in out
    _code, report = doctor_json(capsys, shop)
    assert report["tables"]["people"]["duplicate_ids"] == [twin["id"]] and not report["healthy"]
    assert shop.read_bytes() == before


def test_a_pending_migration_is_reported_and_nothing_is_written(
    capsys: pytest.CaptureFixture[str], shop: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    current = schema.SCHEMA
    monkeypatch.setattr(schema, "SCHEMA", current + 1)
    monkeypatch.setitem(schema.MIGRATIONS, current, lambda tables: tables)
    before = folder_state(shop.parent)
    code, report = doctor_json(capsys, shop)
    assert code == 0 and report["file"]["schema"] == current and report["file"]["migration_pending"] is True
    _code, out, _err = doctor_run(capsys, shop)
    assert f"schema {current} (migrates to {current + 1} at the next save)" in out
    assert folder_state(shop.parent) == before  # no migration backup: doctor does not open to write


def test_a_newer_file_and_a_missing_file_are_problems(capsys: pytest.CaptureFixture[str], shop: Path) -> None:
    shop.write_text(shop.read_text().replace(f'"schema": {schema.SCHEMA}', '"schema": 99'))
    code, out, _err = doctor_run(capsys, shop)
    assert code == 1 and "written by a newer meetup-tui (schema 99" in out
    code, out, _err = doctor_run(capsys, shop.with_name("nothing-here.json"))
    assert code == 1 and "There is no database at" in out


def test_file_names_are_shown_as_text_not_terminal_codes(
    capsys: pytest.CaptureFixture[str], shop: Path
) -> None:
    a_copy_from(shop, "meetup (\x1b[31mEvil's conflicted copy 2026-11-20).json", "evil@x")
    code, out, _err = doctor_run(capsys, shop)
    assert code == 0 and "\x1b" not in out and "\\x1b[31mEvil's conflicted copy" in out


# -- conflicted copies as a new user finds them ------------------------------------------------


def test_copies_are_listed_then_merged_then_gone(tmp_path: Path, shop: Path) -> None:
    laptop = a_copy_from(shop, "meetup (Alex's conflicted copy 2026-11-20).json", "alex@laptop")
    office = a_copy_from(shop, "meetup.sync-conflict-20261121-093000-OFFICE7.json", "bo@office")
    copies = sorted(p.name for p in shop.parent.glob("meetup*.json") if p != shop)

    first = run_cli(tmp_path, "--db", str(shop), "doctor")
    assert first.returncode == 0, first.stderr
    assert "Conflicted copies: 2" in first.stdout
    assert (
        "meetup (Alex's conflicted copy 2026-11-20).json (Dropbox): a copy of this database" in first.stdout
    )
    assert "meetup.sync-conflict-20261121-093000-OFFICE7.json (Syncthing): a copy of" in first.stdout
    assert first.stdout.rstrip().endswith(
        f"2 conflicted copies can be merged: run `meetup-tui --db {shop} doctor --merge`."
    )

    merged = run_cli(tmp_path, "--db", str(shop), "doctor", "--merge")
    assert merged.returncode == 0, merged.stderr
    said = merged.stdout.splitlines()
    assert said[0].startswith(f"Merged {copies[0]} (2 changes from alex@laptop) and moved it to ")
    assert said[1].startswith(f"Merged {copies[1]} (2 changes from bo@office) and moved it to ")
    people = {doc["id"]: doc for doc in json.loads(shop.read_text())["people"].values()}
    assert people[laptop]["name"] == "New from alex@laptop" and people[office]["name"] == "New from bo@office"
    moved = {p.name.split(" ", 1)[1] for p in archive_folder(shop).iterdir() if " " in p.name}
    assert moved == set(copies)
    assert not any(shop.with_name(name).exists() for name in copies)

    again = run_cli(tmp_path, "--db", str(shop), "doctor")
    assert again.returncode == 0 and "Conflicted copies: none" in again.stdout
    # Both copies changed Ana's notes: the later stays, the earlier is noted and shown.
    assert "Values a merge set aside for newer ones: 1" in again.stdout
    assert "Ana Ruiz, notes: also set to 'edited by alex@laptop' by alex@laptop" in again.stdout
    assert "Nothing to do: the file is healthy." in again.stdout


def test_foreign_and_unreadable_copies_are_listed_and_left(
    capsys: pytest.CaptureFixture[str], shop: Path, tmp_path: Path
) -> None:
    other = Database.open(tmp_path / "other" / "meetup.json", user="x", create=True)
    other.add(Person(name="Stranger"))
    shutil.copy2(other.path, shop.with_name("meetup 2.json"))
    a_copy_from(shop, "meetup (1).json", "alex@laptop")
    broken = shop.with_name("meetup (1).json")
    broken.write_bytes(broken.read_bytes()[:200])
    before = folder_state(shop.parent)

    code, report = doctor_json(capsys, shop)
    assert code == 1
    by_name = {c["name"]: c for c in report["copies"]}
    assert by_name["meetup 2.json"]["readable"] and by_name["meetup 2.json"]["same_database"] is False
    assert not by_name["meetup (1).json"]["readable"] and not by_name["meetup (1).json"]["mergeable"]
    assert report["problems"] == [f"meetup (1).json: {by_name['meetup (1).json']['problem']}"]

    code, out, _err = doctor_run(capsys, shop, "--merge")
    assert code == 1
    assert "Left meetup (1).json alone: it cannot be read (" in out
    assert "Left meetup 2.json alone: it is not a copy of this database (its database id differs)." in out
    assert {k: v for k, v in folder_state(shop.parent).items() if "backups" not in k} == {
        k: v for k, v in before.items() if "backups" not in k
    }


# -- a broken file ----------------------------------------------------------------------------


def break_file(path: Path) -> tuple[bytes, int, int]:
    """Cut the file short, as a full disk would; return its bytes and json's error position."""
    raw = path.read_bytes()[:-40]
    path.write_bytes(raw)
    try:
        json.loads(raw)
    except json.JSONDecodeError as exc:
        return raw, exc.lineno, exc.colno
    raise AssertionError("the cut file still parses")


def test_a_broken_file_says_where_and_names_the_newest_good_backup(
    capsys: pytest.CaptureFixture[str], shop: Path
) -> None:
    raw, line, column = break_file(shop)
    good = backups.newest_good_backup(shop)
    assert good is not None
    before = folder_state(shop.parent)
    code, out, _err = doctor_run(capsys, shop)
    assert code == 1
    assert f"PROBLEM: {shop} is not valid JSON:" in out and f"line {line}, column {column}" in out
    assert f"{good.name}  (newest good)" in out
    assert f"run `meetup-tui --db {shop} doctor --restore {good.name}`" in out
    _code, report = doctor_json(capsys, shop)
    assert (report["file"]["line"], report["file"]["column"]) == (line, column)
    assert report["backups"]["newest_good"] == good.name and report["tables"] == {}
    assert folder_state(shop.parent) == before and shop.read_bytes() == raw


def test_merge_on_a_broken_file_merges_nothing(capsys: pytest.CaptureFixture[str], shop: Path) -> None:
    a_copy_from(shop, "meetup (1).json", "alex@laptop")
    raw, _line, _column = break_file(shop)
    code, out, _err = doctor_run(capsys, shop, "--merge")
    assert code == 1 and out.startswith(f"Merged nothing: {shop} is not valid JSON")
    assert shop.read_bytes() == raw and shop.with_name("meetup (1).json").exists()


@pytest.mark.parametrize("how", ["name", "path"])
def test_restore_backs_up_the_bad_file_then_puts_the_backup_back(
    capsys: pytest.CaptureFixture[str], shop: Path, how: str
) -> None:
    good = backups.newest_good_backup(shop)
    assert good is not None
    expected = Database.open(good, user="r").book
    bad = b'{"people": {"1": {"name": "half a rec'
    shop.write_bytes(bad)
    earlier = set(backups.list_backups(shop))

    code, out, err = doctor_run(capsys, shop, "--restore", good.name if how == "name" else str(good))
    assert code == 0, err
    (saved,) = set(backups.list_backups(shop)) - earlier
    assert gzip.decompress(saved.read_bytes()) == bad  # the broken bytes are kept, not lost
    assert f"Backed up the current file to {saved}." in out
    assert f"Restored {shop} from {good}" in out
    assert good.name.endswith(".json.gz")  # a compressed backup is put back as plain JSON
    assert shop.read_bytes() == gzip.decompress(good.read_bytes()) and shop.read_bytes().startswith(b"{")
    restored = Database.open(shop, user="r").book
    assert restored.people == expected.people and restored.interactions == expected.interactions
    assert "Nothing to do: the file is healthy." in out


def test_restore_refuses_a_backup_that_does_not_parse(capsys: pytest.CaptureFixture[str], shop: Path) -> None:
    raw, _line, _column = break_file(shop)
    corrupt = backups.backup_folder(shop) / "meetup.20261101T000000Z.old-pc.abcdef.json"
    corrupt.write_bytes(b'{"people": {"1": ')
    before = folder_state(shop.parent)
    code, out, err = doctor_run(capsys, shop, "--restore", corrupt.name)
    assert code == 1 and out == ""
    assert err.startswith(f"meetup-tui: Refused to restore: {corrupt} is not valid JSON")
    assert err.rstrip().endswith("nothing was written.")
    assert shop.read_bytes() == raw and folder_state(shop.parent) == before


def test_an_old_plain_backup_is_listed_good_and_restored(
    capsys: pytest.CaptureFixture[str], shop: Path
) -> None:
    """A backup an older meetup-tui wrote, uncompressed, is as good as a new one."""
    (compressed,) = backups.list_backups(shop)
    plain = backups.backup_folder(shop) / "meetup.20261101T000000Z.old-pc.abcdef.json"
    plain.write_bytes(gzip.decompress(compressed.read_bytes()))
    compressed.unlink()
    assert backups.newest_good_backup(shop) == plain
    break_file(shop)
    code, out, _err = doctor_run(capsys, shop)
    assert code == 1 and f"{plain.name}  (newest good)" in out
    code, out, err = doctor_run(capsys, shop, "--restore", plain.name)
    assert code == 0, err
    assert shop.read_bytes() == plain.read_bytes()
    people = sorted(p.name for p in Database.open(shop, user="r").book.live_people())
    assert people == ["Ana Ruiz", "Bo Lee", "Cy Moss"]  # as the first session left it
    # ...and this machine gives back what it saved since: Cy Moss was deleted after that backup.
    opened = Database.open(shop, user="r")
    opened.remember()
    assert sorted(p.name for p in opened.book.live_people()) == ["Ana Ruiz", "Bo Lee"]


def test_restore_refuses_a_damaged_compressed_backup(capsys: pytest.CaptureFixture[str], shop: Path) -> None:
    raw, _line, _column = break_file(shop)
    (good,) = backups.list_backups(shop)
    cut = backups.backup_folder(shop) / "meetup.20261101T000000Z.old-pc.abcdef.json.gz"
    cut.write_bytes(good.read_bytes()[:-20])  # cut short, as a full disk or a killed copy leaves it
    before = folder_state(shop.parent)
    code, out, err = doctor_run(capsys, shop, "--restore", cut.name)
    assert code == 1 and out == ""
    assert err == (
        f"meetup-tui: Refused to restore: {cut} is not a whole gzip file: cut short or damaged; "
        "nothing was written.\n"
    )
    assert shop.read_bytes() == raw and folder_state(shop.parent) == before


def test_restore_of_a_backup_that_does_not_exist(capsys: pytest.CaptureFixture[str], shop: Path) -> None:
    before = folder_state(shop.parent)
    code, _out, err = doctor_run(capsys, shop, "--restore", "no-such-backup.json")
    assert code == 1 and err.startswith("meetup-tui: There is no backup 'no-such-backup.json'")
    assert folder_state(shop.parent) == before


def test_restore_refuses_a_backup_of_another_database(
    capsys: pytest.CaptureFixture[str], shop: Path, tmp_path: Path
) -> None:
    other = Database.open(tmp_path / "elsewhere.json", user="x", create=True)
    before = folder_state(shop.parent)
    code, _out, err = doctor_run(capsys, shop, "--restore", str(other.path))
    assert code == 1 and "is a backup of another database" in err
    assert folder_state(shop.parent) == before


def test_restore_round_trip_through_a_real_process(tmp_path: Path, shop: Path) -> None:
    good = backups.newest_good_backup(shop)
    assert good is not None
    expected = sorted(p.name for p in Database.open(good, user="r").book.live_people())
    shop.write_bytes(b"\xff\xfegarbage")
    broken = run_cli(tmp_path, "--db", str(shop), "doctor")
    assert broken.returncode == 1 and "not UTF-8" in broken.stdout and good.name in broken.stdout
    done = run_cli(tmp_path, "--db", str(shop), "doctor", "--restore", good.name)
    assert done.returncode == 0, done.stderr
    assert any(jsonfile.read_bytes(b) == b"\xff\xfegarbage" for b in backups.list_backups(shop))
    people = run_cli(tmp_path, "--db", str(shop), "people", "--json")
    assert (
        sorted(p["name"] for p in json.loads(people.stdout)) == expected == ["Ana Ruiz", "Bo Lee", "Cy Moss"]
    )


# -- layers ---------------------------------------------------------------------------------


def test_doctor_never_imports_textual(tmp_path: Path, shop: Path) -> None:
    a_copy_from(shop, "meetup (1).json", "alex@laptop")
    code = textwrap.dedent(
        """
        import json, sys
        from meetup_tui.cli.main import main
        db = sys.argv[1]
        codes = [main(["--db", db, "doctor"]), main(["--db", db, "doctor", "--json"]),
                 main(["--db", db, "doctor", "--merge"]), main(["doctor", "--help"])]
        open(db, "w").write("{")
        codes.append(main(["--db", db, "doctor"]))
        textual = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
        print(json.dumps({"codes": codes, "textual": textual}))
        """
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEETUP_TUI_")}
    env.update(MEETUP_TUI_USER=USER)
    done = subprocess.run(
        [sys.executable, "-c", code, str(shop)], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.splitlines()[-1])
    assert result == {"codes": [0, 0, 0, 0, 1], "textual": []}


def test_two_people_with_one_name_are_reported_not_collapsed(
    capsys: pytest.CaptureFixture[str], shop: Path
) -> None:
    """What two offline machines adding the same person leave: both kept, and said."""
    data = json.loads(shop.read_text())
    first = next(d for d in data["people"].values() if not d["deleted"])
    data["people"]["99"] = dict(first, id="another-id", name=first["name"].upper())
    shop.write_text(json.dumps(data))
    before = shop.read_bytes()
    code, out, _err = doctor_run(capsys, shop)
    names = sorted([first["name"], first["name"].upper()])
    assert code == 1 and f"2 people are named {names[0]!r}." in out
    assert "keep one and delete the other" in out
    _code, report = doctor_json(capsys, shop)
    assert report["file"]["same_names"] == [names]
    assert shop.read_bytes() == before
