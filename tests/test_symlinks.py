"""A symlinked database is written through, through the real command line.

`ln -s real.json link.json; meetup-tui --db link.json add Bo` must change real.json (the
file a sync client watches) and leave the link a link; the lock, the temporary file and
the backups belong beside the real file, so writers through either name exclude each
other.  A link to nothing, or a loop of links, is refused in one sentence and nothing is
created through or over it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cli_support import run_cli, tables
from meetup_tui.store.jsonfile import StoreError
from meetup_tui.store.lock import lock_path_for, locked


def names_in(path: Path) -> set[str]:
    return {doc["name"] for doc in tables(path)["people"].values()}


def one_sentence(stderr: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("meetup-tui: ")
    assert "Traceback" not in stderr and "unexpected error" not in stderr
    return lines[0]


@pytest.fixture
def linked(tmp_path: Path) -> tuple[Path, Path]:
    """sync/real.json holding Ana, and home/link.json -> ../sync/real.json (a relative link
    from another folder, as one makes to a file in a Dropbox folder)."""
    real = tmp_path / "sync" / "real.json"
    real.parent.mkdir()
    assert run_cli(tmp_path, "--db", str(real), "add", "Ana").returncode == 0
    link = tmp_path / "home" / "link.json"
    link.parent.mkdir()
    link.symlink_to(Path("..") / "sync" / "real.json")
    return real, link


def test_a_write_through_a_link_changes_the_real_file_and_keeps_the_link(
    tmp_path: Path, linked: tuple[Path, Path]
) -> None:
    real, link = linked
    real_inode = real.stat().st_ino
    done = run_cli(tmp_path, "--db", str(link), "add", "Bo")
    assert done.returncode == 0, done.stderr
    assert link.is_symlink() and os.readlink(link) == os.path.join("..", "sync", "real.json")
    assert names_in(real) == {"Ana", "Bo"}
    assert real.stat().st_ino != real_inode  # replaced by rename, atomically, as always
    # Nothing was made beside the link: the lock, the temporary file and the backups are
    # the real file's, beside it.
    assert sorted(p.name for p in link.parent.iterdir()) == ["link.json"]
    assert lock_path_for(real).exists()
    assert (real.parent / "real-backups").is_dir()
    assert not [p for p in real.parent.iterdir() if p.name.endswith(".tmp")]
    # and reading through the link sees the same book
    listed = run_cli(tmp_path, "--db", str(link), "people")
    assert listed.returncode == 0 and "Bo" in listed.stdout and "Ana" in listed.stdout


def test_a_chain_of_links_reaches_the_real_file(tmp_path: Path, linked: tuple[Path, Path]) -> None:
    real, link = linked
    again = tmp_path / "again.json"
    again.symlink_to(link)
    done = run_cli(tmp_path, "--db", str(again), "log", "Ana", "--note", "through two links")
    assert done.returncode == 0, done.stderr
    assert again.is_symlink() and link.is_symlink()
    (entry,) = tables(real)["interactions"].values()
    assert entry["note"] == "through two links"


def test_the_real_name_and_the_link_share_one_lock(linked: tuple[Path, Path]) -> None:
    real, link = linked
    for holder, other in ((real, link), (link, real)):
        with (
            locked(holder),
            pytest.raises(StoreError, match="locked by another writer"),
            locked(other, timeout=0.2),
        ):
            pass


def test_a_dangling_link_is_refused_and_nothing_is_created(tmp_path: Path) -> None:
    folder = tmp_path / "here"
    folder.mkdir()
    link = folder / "meetup.json"
    link.symlink_to("gone.json")
    for command in (["add", "Bo"], ["today"], ["post", "instagram"], ["doctor"]):
        done = run_cli(tmp_path, "--db", str(link), *command)
        assert done.returncode == 1, (command, done.stderr)
        sentence = one_sentence(done.stderr)
        assert str(link) in sentence and "does not exist" in sentence, sentence
        assert sorted(p.name for p in folder.iterdir()) == ["meetup.json"], command
        assert link.is_symlink() and not link.exists()


def test_a_dangling_link_in_the_environment_is_refused_too(tmp_path: Path) -> None:
    link = tmp_path / "meetup.json"
    link.symlink_to(tmp_path / "missing" / "meetup.json")
    done = run_cli(tmp_path, "add", "Bo", MEETUP_TUI_DB=str(link))
    assert done.returncode == 1
    assert "does not exist" in one_sentence(done.stderr)
    assert not (tmp_path / "missing").exists()


def test_a_loop_of_links_is_one_sentence(tmp_path: Path) -> None:
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    first.symlink_to(second.name)
    second.symlink_to(first.name)
    for command in (["add", "Bo"], ["today"]):
        done = run_cli(tmp_path, "--db", str(first), *command)
        assert done.returncode == 1, done.stderr
        assert "loop of symbolic links" in one_sentence(done.stderr)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "xdg") == ["a.json", "b.json"]
