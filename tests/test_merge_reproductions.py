"""The four ways issue 8 lost acknowledged edits, tried again from the outside: the real CLI
in separate processes, a pilot app, a sync client's rename, a conflicted copy, a symlink.
Every acknowledged edit (exit 0) must be in the file at the end.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cli_support import USER, people_docs, run_cli, subprocess_env, tables
from meetup_tui.domain.clock import Clock
from meetup_tui.store import backups, jsonfile
from meetup_tui.store.conflicts import archive_folder
from meetup_tui.store.database import Database
from meetup_tui.store.schema import SCHEMA
from meetup_tui.ui.app import MeetupApp
from sync_support import poll_fast, wait_until


def mt(folder: Path, *args: str, user: str = USER) -> subprocess.CompletedProcess[str]:
    done = run_cli(folder, "--db", "m.json", *args, MEETUP_TUI_USER=user)
    return done


def ok(folder: Path, *args: str, user: str = USER) -> str:
    done = mt(folder, *args, user=user)
    assert done.returncode == 0, done.stderr
    return done.stdout


def person(path: Path, name: str) -> dict:
    (doc,) = [d for d in people_docs(path) if d["name"] == name and not d["deleted"]]
    return doc


@pytest.fixture(autouse=True)
def fast_polls(monkeypatch: pytest.MonkeyPatch) -> None:
    poll_fast(monkeypatch)


# 1. An older copy put back (a sync client's stale file winning) while the app runs.


async def test_an_older_copy_renamed_in_under_the_app_undoes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    ok(tmp_path, "add", "Ana")
    old = tmp_path / "old.json"
    shutil.copy2(path, old)
    app = MeetupApp(Database.open(path, user="alex@shop"), Clock())
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        ok(tmp_path, "snooze", "Ana", "2w", user="sam@office")
        snoozed = person(path, "Ana")["snoozed_until"]
        assert snoozed
        await wait_until(pilot, lambda: any("came in" in n.message for n in app._notifications))
        assert app.db.book.find_person("Ana").snoozed_until == snoozed
        seen = len(app._notifications)
        aside = tmp_path / ".n"
        shutil.copy2(old, aside)
        os.replace(aside, path)  # what the sync client does
        await wait_until(pilot, lambda: person(path, "Ana")["snoozed_until"] == snoozed)  # written back
        await wait_until(pilot, lambda: not app.db.pending)
        await pilot.pause(0.5)  # time for any message about the old copy to arrive
        assert app.db.book.find_person("Ana").snoozed_until == snoozed
        assert not [n for n in list(app._notifications)[seen:] if "came in" in n.message]


def test_another_machines_copy_with_new_records_keeps_our_edit(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    ok(tmp_path, "add", "Ana")
    elsewhere = tmp_path / "laptop"
    elsewhere.mkdir()
    shutil.copy2(path, elsewhere / "m.json")
    ok(elsewhere, "add", "Zed", user="bob@laptop")  # new there, old Ana there
    ok(tmp_path, "snooze", "Ana", "2w")
    snoozed = person(path, "Ana")["snoozed_until"]
    ok(elsewhere, "edit", "Ana", "--org", "Cycle Co", user="bob@laptop")  # later, on the old Ana
    conflicted = tmp_path / "m (Bob's conflicted copy 2026-11-20).json"
    shutil.copy2(elsewhere / "m.json", conflicted)
    ok(tmp_path, "doctor", "--merge")
    ana = person(path, "Ana")
    assert (ana["snoozed_until"], ana["org"]) == (snoozed, "Cycle Co")
    assert person(path, "Zed")


# 2. Eight processes adding to one segment at once.


def test_racing_adds_to_one_segment_keep_every_membership(tmp_path: Path) -> None:
    ok(tmp_path, "add", "A", "--segment", "S")
    acknowledged = ["A"]
    for round_ in range(3):
        names = [f"N{round_}{i}" for i in range(8)]
        env = subprocess_env(tmp_path)
        procs = [
            subprocess.Popen(
                [sys.executable, "-m", "meetup_tui", "--db", "m.json", "add", name, "--segment", "S"],
                cwd=tmp_path,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            for name in names
        ]
        for name, proc in zip(names, procs, strict=True):
            proc.wait(timeout=60)
            if proc.returncode == 0:
                acknowledged.append(name)
    assert len(acknowledged) == 25  # none refused
    members = [line.split("  ")[0].strip() for line in ok(tmp_path, "people", "--segment", "S").splitlines()]
    assert sorted(members) == sorted(acknowledged)
    segments = [s for s in tables(tmp_path / "m.json")["segments"].values() if not s["deleted"]]
    assert [s["name"] for s in segments] == ["S"]  # one segment, not one per racer


def test_racing_adds_of_one_name_give_one_person(tmp_path: Path) -> None:
    env = subprocess_env(tmp_path)
    ok(tmp_path, "add", "First")
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "meetup_tui", "--db", "m.json", "add", "Dup"],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(6)
    ]
    results = [(proc.wait(timeout=60), proc.stderr.read()) for proc in procs]
    assert sorted(code for code, _ in results) == [0, 1, 1, 1, 1, 1]
    assert all("already in the book" in err for code, err in results if code == 1)
    assert [d["name"] for d in people_docs(tmp_path / "m.json")].count("Dup") == 1


# 3. A conflicted copy's edit to another field.


def test_a_conflicted_copys_edit_to_another_field_is_merged(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    ok(tmp_path, "add", "Ana", "--phone", "555 0100")
    bob = tmp_path / "bob"
    bob.mkdir()
    shutil.copy2(path, bob / "m.json")
    ok(bob, "edit", "Ana", "--phone", "555 0199", user="bob@laptop")  # offline on B
    ok(tmp_path, "snooze", "Ana", "2w")  # then A snoozes
    shutil.copy2(bob / "m.json", tmp_path / "m (Bob's conflicted copy 2026-11-20).json")
    out = ok(tmp_path, "doctor", "--merge")
    assert "nothing new" not in out
    ana = person(path, "Ana")
    assert ana["phones"] == ["555 0199"] and ana["snoozed_until"]
    assert len(list(archive_folder(path).iterdir())) == 1


def test_two_machines_adding_tags_and_phones_keep_both(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    ok(tmp_path, "add", "Ana", "--phone", "555 0100", "--tag", "old")
    bob = tmp_path / "bob"
    bob.mkdir()
    shutil.copy2(path, bob / "m.json")
    ok(bob, "edit", "Ana", "--add-tag", "coach", "--add-phone", "555 0199", user="bob@laptop")
    ok(tmp_path, "edit", "Ana", "--add-tag", "vip", "--remove-tag", "old")
    shutil.copy2(bob / "m.json", tmp_path / "m.sync-conflict-20261120-101500-ABCDEF7.json")
    ok(tmp_path, "doctor", "--merge")
    ana = person(path, "Ana")
    assert sorted(ana["tags"]) == ["coach", "vip"]
    assert ana["phones"] == ["555 0100", "555 0199"]


# 4. A symlinked database.


def test_a_symlinked_db_is_written_through(tmp_path: Path) -> None:
    real = tmp_path / "Dropbox" / "real.json"
    real.parent.mkdir()
    done = run_cli(tmp_path, "--db", str(real), "add", "Ana")
    assert done.returncode == 0, done.stderr
    link = tmp_path / "link.json"
    link.symlink_to(real)
    done = run_cli(tmp_path, "--db", str(link), "add", "Bo")
    assert done.returncode == 0, done.stderr
    assert link.is_symlink()
    assert {d["name"] for d in people_docs(real)} == {"Ana", "Bo"}
    dangling = tmp_path / "dangling.json"
    dangling.symlink_to(tmp_path / "gone.json")
    done = run_cli(tmp_path, "--db", str(dangling), "add", "Cy")
    assert done.returncode == 1 and "does not exist" in done.stderr
    assert dangling.is_symlink() and not (tmp_path / "gone.json").exists()


# Schema 1 files still open, and their first write keeps every field.


def test_a_schema_1_file_opens_and_its_fields_merge_by_its_stamps(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    ok(tmp_path, "add", "Ana", "--phone", "555 0100")
    data = tables(path)
    data["_meta"]["1"]["schema"] = 1
    path.write_text(json.dumps(data))
    ok(tmp_path, "edit", "Ana", "--org", "Cycle Co")
    after = tables(path)
    assert after["_meta"]["1"]["schema"] == SCHEMA
    ana = person(path, "Ana")
    assert (ana["org"], ana["phones"]) == ("Cycle Co", ["555 0100"])
    assert list(ana["_v"]) == ["*", "org"]
    kept = [json.loads(jsonfile.read_bytes(b)) for b in backups.list_backups(path)]
    assert any(k["_meta"]["1"]["schema"] == 1 for k in kept)  # the schema-1 bytes were kept first
