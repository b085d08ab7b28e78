"""The layers keep their promises: no Textual in headless code, no TinyDB in the domain,
and nothing happens at import time.  Each check runs in a fresh interpreter."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from meetup_tui.domain.records import Person
from meetup_tui.store.database import Database

LOADED = """
import json, sys
def loaded(name):
    return sorted(m for m in sys.modules if m == name or m.startswith(name + "."))
"""


def run_fresh(code: str, tmp_path: Path, *args: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEETUP_TUI_")}
    env.update(MEETUP_TUI_USER="tester@test", XDG_DATA_HOME=str(tmp_path / "xdg"), HOME=str(tmp_path))
    done = subprocess.run(
        [sys.executable, "-c", LOADED + textwrap.dedent(code), *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


@pytest.fixture
def small_file(tmp_path: Path) -> Path:
    path = tmp_path / "small.json"
    db = Database.open(path, user="tester@test", create=True)
    db.commit(Person(name="Ana Ruiz", phones=["+1 555 0100"]), Person(name="Bo Lee"))
    return path


def test_headless_commands_never_import_textual(tmp_path: Path, small_file: Path) -> None:
    result = run_fresh(
        """
        from meetup_tui.cli.main import main
        after_import = loaded("textual")
        db = sys.argv[1]
        open("card.vcf", "w").write("BEGIN:VCARD\\nVERSION:3.0\\nFN:Dee Ray\\nEND:VCARD\\n")
        open("sheet.csv", "w").write("Name,Phone\\nEd Moss,555 0100\\n")
        codes = [
            main(["--db", db, "--today", "2026-12-20", "today"]),
            main(["--db", db, "--today", "2026-12-20", "today", "--json"]),
            main(["--db", db, "--today", "2026-12-20", "instead"]),
            main(["--db", db, "people", "--json"]),
            main(["--db", db, "add", "Cy Moss", "--segment", "Runners"]),
            main(["--db", db, "--today", "2026-12-20", "log", "Ana Ruiz", "--at", "yesterday"]),
            main(["--db", db, "--today", "2026-12-20", "snooze", "Bo", "3d"]),
            main(["--db", db, "--today", "2026-12-20", "post", "Instagram", "--likes", "3"]),
            main(["--db", db, "log", "Nobody"]),
            main(["today", "--help"]),
            main(["--db", db, "edit", "Bo", "--org", "Lee Cycles", "--add-tag", "x"]),
            main(["--db", db, "import", "card.vcf"]),
            main(["--db", db, "import", "sheet.csv", "--dry-run", "--json"]),
            *(main(["--db", db, "export", "--format", f]) for f in ("json", "csv", "vcard", "ics")),
            main(["--db", db, "doctor"]),
            main(["--db", db, "--today", "2026-12-20", "post", "Instagram", "--engaged", "Bo:share"]),
            main(["--db", db, "--today", "2026-12-20", "journey", "--json"]),
            main(["--db", db, "--today", "2026-12-20", "insights"]),
        ]
        print(json.dumps({"after_import": after_import, "codes": codes, "textual": loaded("textual")}))
        """,
        tmp_path,
        str(small_file),
    )
    assert result["codes"] == [0] * 8 + [1] + [0] * 12  # they really ran
    assert result["after_import"] == []
    assert result["textual"] == []


def test_serve_loads_the_web_server_only_to_serve(tmp_path: Path) -> None:
    """`serve --help` and a `serve` refused before it listens load neither Textual nor
    textual-serve and its aiohttp: those come in only when a server really starts."""
    result = run_fresh(
        """
        from meetup_tui.cli.main import main
        codes = [main(["serve", "--help"]), main(["--db", "missing.json", "serve"])]
        print(json.dumps({"codes": codes, "loaded": [
            *loaded("textual"), *loaded("textual_serve"), *loaded("aiohttp")]}))
        """,
        tmp_path,
    )
    assert result["codes"] == [0, 1]
    assert result["loaded"] == []


def test_every_headless_module_imports_without_textual_and_does_nothing(tmp_path: Path) -> None:
    result = run_fresh(
        """
        import importlib, os, pkgutil
        import meetup_tui.cli, meetup_tui.contacts, meetup_tui.domain, meetup_tui.store
        names = []
        for package in (meetup_tui.domain, meetup_tui.store, meetup_tui.contacts, meetup_tui.cli):
            for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
                importlib.import_module(info.name)
                names.append(info.name)
        print(json.dumps({"names": names, "textual": loaded("textual"), "files": os.listdir(".")}))
        """,
        tmp_path,
    )
    assert "meetup_tui.domain.outreach" in result["names"]
    assert "meetup_tui.store.database" in result["names"]
    assert "meetup_tui.cli.commands" in result["names"]
    assert "meetup_tui.contacts.vcard" in result["names"]
    assert result["textual"] == []
    assert result["files"] == []  # no folder made, no file written at import time


def test_domain_imports_neither_textual_nor_tinydb(tmp_path: Path) -> None:
    result = run_fresh(
        """
        import importlib, pkgutil
        import meetup_tui.domain
        names = [info.name for info in pkgutil.walk_packages(
            meetup_tui.domain.__path__, "meetup_tui.domain.")]
        for name in names:
            importlib.import_module(name)
        print(json.dumps({
            "names": names,
            "textual": loaded("textual"),
            "tinydb": loaded("tinydb"),
            "store": loaded("meetup_tui.store"),
        }))
        """,
        tmp_path,
    )
    assert "meetup_tui.domain.book" in result["names"]
    assert result["textual"] == [] and result["tinydb"] == [] and result["store"] == []
