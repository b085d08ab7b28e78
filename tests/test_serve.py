"""`meetup-tui serve`: a real server process answers a browser's request on localhost, a tab's
session runs the app on the same file, and every mistake is one sentence before it listens.

Nothing here is timed: each wait polls for what it expects, generously, and gives up only
after a minute (a slow, busy CI machine is fine).  Each server runs in its own process group
and the group is killed in a `finally`, so a failing test leaves no server or app behind.
"""

from __future__ import annotations

import asyncio
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest

from cli_support import USER, run_cli, subprocess_env, tables
from meetup_tui.cli.commands import Context
from meetup_tui.cli.serve_command import app_command
from meetup_tui.demo import write_demo
from meetup_tui.domain.clock import Clock

PATIENCE = 60.0  # seconds: the most any wait here allows before it calls it a failure
WARNING = "anyone who can reach that address can read and change the book"

pytestmark = pytest.mark.skipif(not hasattr(os, "killpg"), reason="process groups are POSIX")


@pytest.fixture
def demo_file(tmp_path: Path) -> Path:
    path = tmp_path / "shop book.json"  # a space: the command for each tab must be quoted
    write_demo(path, date(2026, 12, 20))
    return path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(what: str, ready: Callable[[], bool], proc: subprocess.Popen[bytes] | None = None) -> None:
    """Poll `ready` until it is true; fail if `proc` ends first or after PATIENCE seconds."""
    deadline = time.monotonic() + PATIENCE
    while not ready():
        if proc is not None and proc.poll() is not None:
            pytest.fail(f"the server ended (exit {proc.returncode}) before {what}")
        if time.monotonic() > deadline:
            pytest.fail(f"still no {what} after {PATIENCE:.0f} s")
        time.sleep(0.1)


class Served:
    def __init__(self, proc: subprocess.Popen[bytes], port: int, out: Path, err: Path) -> None:
        self.proc, self.port, self.out_file, self.err_file = proc, port, out, err

    @property
    def out(self) -> str:
        return self.out_file.read_text(encoding="utf-8")

    @property
    def err(self) -> str:
        return self.err_file.read_text(encoding="utf-8")

    @property
    def token(self) -> str:
        """This run's secret, from the address the server printed."""
        found = re.search(r"\?token=([\w-]+)", self.out)
        return found.group(1) if found else ""

    def get(self, path: str = "/", host: str | None = None, token: str | None = None) -> tuple[int, str, str]:
        token = self.token if token is None else token
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}?token={token}")
        if host is not None:  # as a browser at the far end of an SSH forward would say
            request.add_header("Host", host)
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, answer.headers.get("Content-Type", ""), answer.read().decode("utf-8")

    def answers(self) -> bool:
        try:
            self.get()
        except OSError:  # refused (not listening yet), reset, or a timeout
            return False
        return True

    def stop(self) -> int:
        """SIGTERM, as a service manager or ctrl+c (SIGINT, handled the same) would stop it."""
        self.proc.terminate()
        return self.proc.wait(timeout=PATIENCE)


@contextmanager
def serving(tmp_path: Path, db: Path, *options: str, wait: bool = True) -> Iterator[Served]:
    port = free_port()
    out, err = tmp_path / "serve.out", tmp_path / "serve.err"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        proc = subprocess.Popen(
            [sys.executable, "-m", "meetup_tui", "--db", str(db), "serve", "--port", str(port), *options],
            cwd=tmp_path,
            env=subprocess_env(tmp_path),
            stdout=stdout,
            stderr=stderr,
            start_new_session=True,  # its own group: the finally below takes its apps down too
        )
    served = Served(proc, port, out, err)
    try:
        if wait:
            wait_for("answer on localhost", served.answers, proc)
        yield served
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=PATIENCE)


def apps_on(db: Path) -> list[int]:
    """The pids of processes whose command line names `db` (the apps behind browser tabs)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if str(db).encode() in argv and b"serve" not in argv:
            found.append(int(entry.name))
    return found


def test_serve_answers_a_browser_on_localhost_and_stops_cleanly(tmp_path: Path, demo_file: Path) -> None:
    with serving(tmp_path, demo_file) as served:
        status, kind, page = served.get()
        assert status == 200
        assert kind.startswith("text/html")
        assert "<html" in page.lower() and "textual.js" in page
        # The page's websocket is where this browser found the server, not textual-serve's guess.
        assert f'data-session-websocket-url="ws://127.0.0.1:{served.port}/ws"' in page
        # Through `ssh -L 9000:localhost:8000` the browser asks localhost:9000: so must the page.
        assert 'data-session-websocket-url="ws://localhost:9000/ws"' in served.get(host="localhost:9000")[2]
        address = f"http://localhost:{served.port}/?token={served.token}"
        assert len(served.token) >= 20 and f"Open {address} in a browser; ctrl+c stops." in served.out
        assert f"ssh -L {served.port}:localhost:{served.port} " in served.out
        assert served.err == ""
        assert served.stop() == 0
        assert served.out.rstrip().endswith("Stopped.")
        assert "Traceback" not in served.out + served.err
    with pytest.raises(OSError):  # nothing listens any more
        socket.create_connection(("127.0.0.1", served.port), timeout=5).close()


class Tab:
    """A browser tab, without a browser: a thread holds the session's websocket open, reads the
    screen the app draws, and answers until the server closes it."""

    def __init__(self, port: int, until: Callable[[str], bool], token: str) -> None:
        self.port, self.until, self.token = port, until, token
        self.screen, self.close_code = "", None
        self.drawn, self.closed = threading.Event(), threading.Event()
        self.thread = threading.Thread(target=lambda: asyncio.run(self._run()), daemon=True)
        self.thread.start()

    async def _run(self) -> None:
        import aiohttp  # textual-serve's own web library

        raw = b""
        url = f"http://127.0.0.1:{self.port}/ws?width=120&height=40&token={self.token}"
        try:
            async with aiohttp.ClientSession() as session, session.ws_connect(url) as ws:
                async for message in ws:
                    if message.type == aiohttp.WSMsgType.BINARY:
                        raw += message.data
                        self.screen = re.sub(r"\x1b\[[0-9;?<>=]*[A-Za-z]", "", raw.decode("utf-8", "replace"))
                        if self.until(self.screen):
                            self.drawn.set()
                self.close_code = ws.close_code
        finally:
            self.closed.set()


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="reads /proc to find the app")
def test_a_tab_runs_the_app_on_the_same_file_and_stopping_ends_it(tmp_path: Path, demo_file: Path) -> None:
    segments = [doc["name"] for doc in tables(demo_file)["segments"].values()]
    with serving(tmp_path, demo_file, "--today", "2026-12-20") as served:
        tab = Tab(served.port, lambda text: sum(name in text for name in segments) >= 3, served.token)
        wait_for("screen with the demo's segments", lambda: tab.drawn.is_set() or tab.closed.is_set())
        assert tab.drawn.is_set(), tab.screen[-2000:]  # the app drew the demo file's own segments
        assert len(apps_on(demo_file)) == 1, "no app process runs on the demo file"
        assert served.stop() == 0  # with the tab still open
        assert "Traceback" not in served.out + served.err
        wait_for("end of the tab's app", lambda: not apps_on(demo_file))
        wait_for("tab closed by the server", tab.closed.is_set)
        assert tab.close_code == 1000


def status_of(served: Served, path: str, headers: dict[str, str], token: str | None = None) -> int:
    """The status of a GET of `path` (a query given whole) with `headers`, as a page would send it."""
    request = urllib.request.Request(f"http://127.0.0.1:{served.port}{path}", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status
    except urllib.error.HTTPError as refused:
        return refused.code


def test_only_its_own_page_gets_in(tmp_path: Path, demo_file: Path) -> None:
    """No page without this run's secret; no foreign name (DNS rebinding); no websocket from a
    page of another site, even one that knows the secret."""
    with serving(tmp_path, demo_file) as served:
        token, port = served.token, served.port
        upgrade = {"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
                   "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}  # fmt: skip
        assert status_of(served, "/", {}) == 403
        assert status_of(served, "/?token=guess", {}) == 403
        assert status_of(served, f"/?token={token}", {"Host": "evil.example"}) == 403
        assert status_of(served, f"/?token={token}", {"Host": f"evil.example:{port}"}) == 403
        assert status_of(served, f"/?token={token}", {"Host": f"localhost:{port}"}) == 200
        # The page sets the secret as a cookie for its websocket, sent by this site's pages only.
        request = urllib.request.Request(f"http://127.0.0.1:{port}/?token={token}")
        with urllib.request.urlopen(request, timeout=10) as answer:
            cookie = answer.headers.get("Set-Cookie", "")
        assert f"meetup_tui_serve={token}" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie
        ws = "/ws?width=80&height=24"
        assert status_of(served, ws, upgrade) == 403  # no secret
        foreign = {**upgrade, "Origin": "http://evil.example", "Cookie": f"meetup_tui_serve={token}"}
        assert status_of(served, ws, foreign) == 403
        rebound = {**upgrade, "Origin": f"http://evil.example:{port}", "Host": f"evil.example:{port}"}
        assert status_of(served, f"{ws}&token={token}", rebound) == 403
        assert not apps_on(demo_file)  # none of these started an app
        assert served.stop() == 0


def test_each_tab_runs_this_program_on_the_same_file_user_and_day(tmp_path: Path) -> None:
    odd = tmp_path / 'it\'s a "shop" $HOME.json'
    ctx = Context(db_option=None, path=odd, user="sam o'neil", clock=Clock(date(2026, 12, 20)))
    assert shlex.split(app_command(ctx)) == [
        sys.executable,
        "-m",
        "meetup_tui",
        "--db",
        str(odd),
        "--user",
        "sam o'neil",
        "--today",
        "2026-12-20",
    ]
    ctx = Context(db_option=None, path=odd, user=USER, clock=Clock(None))
    assert "--today" not in shlex.split(app_command(ctx))


def test_a_missing_database_fails_before_anything_listens(tmp_path: Path) -> None:
    port = free_port()
    done = run_cli(tmp_path, "--db", str(tmp_path / "nope.json"), "serve", "--port", str(port))
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.startswith("meetup-tui: There is no database at ")
    assert len(done.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "nope.json").exists()


def test_a_broken_database_fails_before_anything_listens(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{ not json", encoding="utf-8")
    done = run_cli(tmp_path, "--db", str(broken), "serve", "--port", str(free_port()))
    assert done.returncode == 1
    assert done.stdout == ""
    assert "is not valid JSON" in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_another_host_warns_then_serves(tmp_path: Path, demo_file: Path) -> None:
    with serving(tmp_path, demo_file, "--host", "0.0.0.0", wait=False) as served:
        wait_for("warning", lambda: WARNING in served.err, served.proc)
        assert served.err.startswith("meetup-tui: warning: serving on 0.0.0.0, so anyone who can reach")
        assert len(served.err.strip().splitlines()) == 1
        wait_for("answer", served.answers, served.proc)  # 0.0.0.0 includes this machine
        assert "ssh -L" not in served.out  # no forward needed: it is reachable directly
        assert served.stop() == 0


def test_localhost_by_name_is_local_no_warning(tmp_path: Path, demo_file: Path) -> None:
    with serving(tmp_path, demo_file, "--host", "127.0.0.1") as served:
        assert served.err == ""
        assert served.stop() == 0


def test_a_port_in_use_is_one_sentence(tmp_path: Path, demo_file: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = run_cli(tmp_path, "--db", str(demo_file), "serve", "--port", str(port))
    assert done.returncode == 1
    assert done.stderr == (
        f"meetup-tui: Port {port} is already in use on 127.0.0.1 (another `meetup-tui serve`?); "
        f"stop it or give another port, e.g. --port {port + 1}.\n"
    )
    assert "Open http" not in done.stdout


@pytest.mark.parametrize("port", ["0", "65536", "eighty"])
def test_a_port_out_of_range_is_a_usage_error(tmp_path: Path, demo_file: Path, port: str) -> None:
    done = run_cli(tmp_path, "--db", str(demo_file), "serve", "--port", port)
    assert done.returncode == 2
    assert done.stderr.startswith("meetup-tui: argument --port: ")
    assert len(done.stderr.strip().splitlines()) == 1
