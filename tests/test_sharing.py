"""Sharing one database between Unix users through a setgid group folder.

The rule (README, "Sharing one file"): a new file is private (0600) unless its folder is
setgid; there it is read-write for the folder's group (0660), and so are its lock file and
its backups, whatever the creating user's umask.  The two-user test creates real users
and runs the real command line as each of them; it needs root on Linux.
"""

from __future__ import annotations

import grp
import os
import pwd
import secrets
import shutil
import stat
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

import meetup_tui
from meetup_tui.domain.records import Person
from meetup_tui.store import backups
from meetup_tui.store.database import Database
from meetup_tui.store.lock import lock_path_for, locked

TOOLS = ("useradd", "userdel", "groupadd", "groupdel", "runuser")


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def age_backups(path: Path, by: timedelta) -> None:
    """Rename each backup as if made `by` earlier: the names say when, and so when one is due."""
    for backup in backups.list_backups(path):
        stamp = backups._STAMP.search(backup.name)
        assert stamp is not None
        moment = backups._stamp_of(backup)
        assert moment is not None
        backup.rename(backup.with_name(backup.name.replace(stamp.group(1), f"{moment - by:%Y%m%dT%H%M%SZ}")))


# -- the rule, for anyone who can make a setgid folder (no root needed) ------------------------


@pytest.fixture
def setgid_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "office"
    folder.mkdir()
    os.chmod(folder, 0o2770)  # the owner may set it for a group it belongs to (its own)
    if not folder.stat().st_mode & stat.S_ISGID:
        pytest.skip("this filesystem does not keep the setgid bit on folders")
    return folder


def test_a_new_file_in_a_setgid_folder_is_shared_with_the_group(
    setgid_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = setgid_folder / "meetup.json"
    old = os.umask(0o077)  # the strictest umask must not lock the group out
    try:
        db = Database.open(path, user="ana", create=True)
        db.add(Person(name="Ana Ruiz"))
        Database.open(path, user="ana").add(Person(name="Bo Lind"))  # a new session: a backup
    finally:
        os.umask(old)
    group = setgid_folder.stat().st_gid
    backup_dir = backups.backup_folder(path)
    for made in (path, lock_path_for(path), backup_dir, *backups.list_backups(path)):
        assert made.stat().st_gid == group, made
        assert mode_of(made) & 0o060 == 0o060, f"{made.name} is {oct(mode_of(made))}"
        assert mode_of(made) & 0o007 == 0, f"{made.name} is open to others: {oct(mode_of(made))}"
    assert mode_of(path) == 0o660 and mode_of(lock_path_for(path)) == 0o660
    assert mode_of(backup_dir) & 0o070 == 0o070  # the others can add their backups


def test_a_new_file_elsewhere_stays_private_and_so_do_its_lock_and_backups(tmp_path: Path) -> None:
    path = tmp_path / "meetup.json"
    old = os.umask(0o022)
    try:
        Database.open(path, user="ana", create=True).add(Person(name="Ana Ruiz"))
        Database.open(path, user="ana").add(Person(name="Bo Lind"))
    finally:
        os.umask(old)
    assert mode_of(path) == 0o600 and mode_of(lock_path_for(path)) == 0o600
    assert mode_of(backups.backup_folder(path)) == 0o700
    assert all(mode_of(b) == 0o600 for b in backups.list_backups(path))


def test_the_lock_file_made_first_in_a_setgid_folder_is_shared_too(setgid_folder: Path) -> None:
    path = setgid_folder / "meetup.json"
    with locked(path):  # before the data file exists
        pass
    assert mode_of(lock_path_for(path)) == 0o660
    assert lock_path_for(path).stat().st_gid == setgid_folder.stat().st_gid


# -- two real users --------------------------------------------------------------------------


def _run(*command: str) -> None:
    subprocess.run(command, check=True, capture_output=True, timeout=60)


@pytest.fixture
def two_users() -> Iterator[tuple[str, str, str]]:
    """Two new users and a new group they both belong to; removed afterwards."""
    if os.geteuid() != 0 or not sys.platform.startswith("linux"):
        pytest.skip("creating Unix users needs root on Linux")
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"needs {', '.join(missing)} to create users")
    tag = secrets.token_hex(3)
    group, users = f"mtshare{tag}", [f"mtana{tag}", f"mtbo{tag}"]
    made: list[tuple[str, str]] = []
    try:
        _run("groupadd", group)
        made.append(("groupdel", group))
        for user in users:
            _run("useradd", "--no-create-home", "--no-user-group", "--groups", group, user)
            made.insert(0, ("userdel", user))
        yield users[0], users[1], group
    finally:
        for tool, name in made:
            subprocess.run([tool, name], capture_output=True, timeout=60)


def _interpreter_for(user: str, env: dict[str, str]) -> list[str]:
    """A Python the user may run that imports this meetup_tui, or skip saying why."""
    candidates = [sys.executable, f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}"]
    for python in dict.fromkeys(candidates):
        probe = ["runuser", "-u", user, "--", python, "-c", "import meetup_tui.cli.main"]
        if subprocess.run(probe, env=env, capture_output=True, timeout=60).returncode == 0:
            return [python]
    pytest.skip(
        f"no Python that {user} may run can import meetup_tui (the venv's interpreter "
        f"{os.path.realpath(sys.executable)} is not readable by other users)"
    )


def test_two_users_with_umask_022_and_077_share_a_setgid_folder(two_users: tuple[str, str, str]) -> None:
    ana, bo, group = two_users
    gid = grp.getgrnam(group).gr_gid
    base = Path(tempfile.mkdtemp(prefix="meetup-share-"))  # tmp_path is private to root
    try:
        os.chmod(base, 0o755)
        office = base / "office"
        office.mkdir()
        os.chown(office, 0, gid)
        os.chmod(office, 0o2770)
        path = office / "meetup.json"
        source = Path(meetup_tui.__file__).resolve().parents[1]
        env = {
            "PATH": "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin",
            "PYTHONPATH": os.pathsep.join([str(source), sysconfig.get_paths()["purelib"]]),
            "PYTHONDONTWRITEBYTECODE": "1",
            "HOME": str(base),
            "LANG": "C.UTF-8",
        }
        python = _interpreter_for(ana, env)

        def as_user(user: str, umask: str, *args: str) -> None:
            command = ["runuser", "-u", user, "--", "sh", "-c", f'umask {umask} && exec "$@"', "sh"]
            command += [*python, "-m", "meetup_tui", "--db", str(path), "--user", user, *args]
            own = base / f"data-of-{user}"  # each user's data folder is their own, as a home is
            own.mkdir(exist_ok=True)
            shutil.chown(own, user)
            mine = {**env, "MEETUP_TUI_JOURNAL": str(own / "journal")}
            done = subprocess.run(command, env=mine, capture_output=True, text=True, timeout=60)
            assert done.returncode == 0, f"{user} (umask {umask}) {args}: {done.stderr}"
            assert "ermission" not in done.stderr
            for shared in (path, lock_path_for(path)):
                info = shared.stat()
                assert info.st_gid == gid, f"{shared.name} left the group after {user} wrote"
                assert stat.S_IMODE(info.st_mode) & 0o060 == 0o060, f"{shared.name}: {oct(info.st_mode)}"
                assert stat.S_IMODE(info.st_mode) & 0o007 == 0, f"{shared.name} is open to others"

        as_user(ana, "022", "add", "Cleo Diaz")  # creates the file
        as_user(bo, "077", "add", "Dev Patel")
        notes = []
        for round_ in range(3):
            for user, umask in ((ana, "022"), (bo, "077")):
                age_backups(path, timedelta(minutes=11))  # so that each session backs up
                note = f"{user} round {round_}"
                as_user(user, umask, "log", "Cleo", "--note", note)
                notes.append(note)
        book = Database.open(path, user="checker").book
        assert {p.name for p in book.live_people()} == {"Cleo Diaz", "Dev Patel"}
        assert sorted(i.note for i in book.interactions.values()) == sorted(notes)
        assert {i.updated_by for i in book.interactions.values()} == {ana, bo}
        made = backups.list_backups(path)
        assert len(made) == 1 + len(notes), "each session backed up; both users could write there"
        assert {pwd.getpwuid(b.stat().st_uid).pw_name for b in made} == {ana, bo}
    finally:
        shutil.rmtree(base, ignore_errors=True)
