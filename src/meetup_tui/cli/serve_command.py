"""`serve [--port N] [--host H]`: the app in a browser, through textual-serve (issue 12, part 5).

Each browser tab starts this same program on the same file as the same user, so a colleague
without a terminal sees and changes exactly what the terminal shows.  It listens on this
machine only (127.0.0.1) unless `--host` says otherwise, and then warns: there is no login,
so whoever can reach the address can read and change the book.

The file, the settings and the address are all checked before the server starts, so a
mistake is the usual one sentence and exit 1 here, not a blank page in the browser.
textual-serve (and its aiohttp) is imported only inside `run_serve`.
"""

from __future__ import annotations

import argparse
import errno
import hmac
import ipaddress
import os
import secrets
import shlex
import socket
import sys
from typing import Any

from meetup_tui.cli.commands import Context, Refused, open_existing
from meetup_tui.domain.collector import collector_running
from meetup_tui.domain.text import one_line, visible

DEFAULT_HOST = "127.0.0.1"  # this machine only; reach it from another one through SSH
DEFAULT_PORT = 8000  # textual-serve's own default, and free on most machines
SHUTDOWN_WAIT = 10.0  # seconds for the apps behind open browser tabs to quit on ctrl+c

SockAddr = tuple[Any, ...]


def add_parser(sub: Any) -> None:
    serve = sub.add_parser(
        "serve",
        help="the app in a browser (textual-serve), on this machine only by default",
        description="Run the app in a web browser: each browser tab gets its own app on the same "
        "file, as the same user (--user), with the same keys.  It listens on 127.0.0.1, so only "
        "this machine (or an SSH port forward) can reach it; there is no login, so any other "
        "--host lets whoever can reach that address read and change the book.  ctrl+c stops it.",
        epilog="Example: meetup-tui --db /srv/shop/meetup.json --user counter serve --port 8000, "
        "then on the counter PC: ssh -L 8000:localhost:8000 shop-pc and open http://localhost:8000.",
    )
    serve.add_argument(
        "--port", type=_port, default=DEFAULT_PORT, metavar="N", help=f"the port (default: {DEFAULT_PORT})"
    )
    serve.add_argument(
        "--host",
        default=DEFAULT_HOST,
        metavar="H",
        help=f"the address to listen on (default: {DEFAULT_HOST}, this machine only); "
        "0.0.0.0 is every network this machine is on, with a warning",
    )
    serve.set_defaults(run=run_serve)


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{value} is out of range, give a port from 1 to 65535")
    return value


def app_command(ctx: Context) -> str:
    """The shell command textual-serve runs for each browser session: this program, on this
    file, as this user, on this day."""
    argv = [sys.executable, "-m", "meetup_tui", "--db", os.path.abspath(ctx.path), "--user", ctx.user]
    if ctx.clock.fixed_day is not None:
        argv += ["--today", ctx.clock.fixed_day.isoformat()]
    return shlex.join(argv)


def run_serve(args: argparse.Namespace, ctx: Context) -> int:
    _ = ctx.settings  # a bad settings file fails here, not in every browser tab
    open_existing(ctx, writing=False)  # a missing or broken file: the usual sentence, before anything listens
    host = args.host.strip()
    addresses = listen_addresses(host, args.port)
    check_free(addresses, host, args.port)
    local = all(_is_loopback(address) for address in addresses)
    if not local:
        print(
            f"meetup-tui: warning: serving on {one_line(host)}, so anyone who can reach that "
            "address can read and change the book, with no password.",
            file=sys.stderr,
            flush=True,
        )

    server_class = _server_class()
    secret = secrets.token_urlsafe(18)  # in the printed address only: a page must know it to get in
    server = server_class(
        app_command(ctx),
        host=host,
        port=args.port,
        title="meetup-tui",
        greeting=greeting(ctx, host, args.port, local, secret),
        secret=secret,
        local=local,
    )
    try:
        with collector_running(freeze=False):  # a server lives for days: its cycles must be freed
            server.serve()
    except KeyboardInterrupt:  # ctrl+c before the server's own handler was in place
        pass
    except OSError as exc:  # the port was taken between the check and the start
        raise Refused(_bind_failure(exc, host, args.port)) from None
    print("Stopped.", flush=True)
    return 0


def greeting(ctx: Context, host: str, port: int, local: bool, secret: str) -> list[str]:
    """What is printed once the server starts: what it serves, where to open it (the address
    carries this run's secret: the page answers no one without it), how to stop."""
    lines = [f"Serving {visible(os.path.abspath(ctx.path))} as {one_line(ctx.user)}."]
    if local:
        lines.append(f"Open http://localhost:{port}/?token={secret} in a browser; ctrl+c stops.")
        lines.append(
            f"From another computer: ssh -L {port}:localhost:{port} {_this_machine()}, "
            f"then open http://localhost:{port}/?token={secret} there."
        )
    else:
        shown = _this_machine() if host in ("0.0.0.0", "::") else one_line(host)
        shown = f"[{shown}]" if ":" in shown else shown
        lines.append(f"Open http://{shown}:{port}/?token={secret} in a browser; ctrl+c stops.")
    return lines


def listen_addresses(host: str, port: int) -> list[tuple[int, SockAddr]]:
    """Every (family, address) the server will listen on, as asyncio finds them."""
    if not host:
        raise Refused("--host is empty; give an address such as 127.0.0.1, or leave --host out.")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError):
        raise Refused(
            f"{one_line(host)} is not an address or a known name of this machine; "
            "leave --host out to serve on 127.0.0.1."
        ) from None
    found: list[tuple[int, SockAddr]] = []
    for family, _type, _proto, _name, sockaddr in infos:
        if (family, sockaddr) not in found:
            found.append((family, sockaddr))
    return found


def check_free(addresses: list[tuple[int, SockAddr]], host: str, port: int) -> None:
    """Bind each address for a moment, as the server will, so a port in use is one sentence."""
    for family, sockaddr in addresses:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as asyncio does
            if family == socket.AF_INET6:
                probe.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            try:
                probe.bind(sockaddr)
            except OSError as exc:
                raise Refused(_bind_failure(exc, host, port)) from None


def _bind_failure(exc: OSError, host: str, port: int) -> str:
    where = f"{one_line(host)} port {port}"
    if exc.errno == errno.EADDRINUSE:
        return (
            f"Port {port} is already in use on {one_line(host)} (another `meetup-tui serve`?); "
            f"stop it or give another port, e.g. --port {port + 1 if port < 65535 else 8001}."
        )
    if exc.errno == errno.EACCES:
        return f"Listening on {where} needs administrator rights; give --port 1024 or more, e.g. --port 8000."
    if exc.errno == errno.EADDRNOTAVAIL:
        return f"{one_line(host)} is not an address of this machine; leave --host out to serve on 127.0.0.1."
    return f"Cannot listen on {where}: {(exc.strerror or str(exc)).rstrip('.')}."


def _is_loopback(address: tuple[int, SockAddr]) -> bool:
    try:
        return ipaddress.ip_address(str(address[1][0]).split("%")[0]).is_loopback
    except ValueError:
        return False


def _this_machine() -> str:
    return socket.gethostname().split(".")[0] or "this-machine"


COOKIE = "meetup_tui_serve"
LOCAL_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


def let_in(request: Any, secret: str, local: bool, *, page: bool) -> str:
    """Why a request may not reach the page (`page`) or an app (the websocket), or "".

    - The secret of this run, printed in the address: in the query (`?token=`), or in the
      cookie the page sets, which a browser sends only with this site's own requests.
    - Served on this machine only, the address the browser asked for must be this machine's
      (`localhost`, `127.0.0.1`, `[::1]`, any port for an SSH forward): a foreign name that
      resolves here (DNS rebinding) is refused.
    - A websocket opened by a page must come from that very page (its `Origin` is the
      address the browser asked for): another site's page is refused, whatever it knows.
    """
    if local:
        name = request.host.rsplit(":", 1)[0] if not request.host.endswith("]") else request.host
        if name.strip("[]").lower() not in LOCAL_NAMES:
            return "This server answers only pages of this machine (localhost)."
    given = request.query.get("token") or request.cookies.get(COOKIE) or ""
    if not hmac.compare_digest(given.encode(), secret.encode()):
        return "Open the address `meetup-tui serve` printed: it carries this run's secret."
    origin = request.headers.get("Origin")
    if not page and origin is not None and origin != f"{request.scheme}://{request.host}":
        return "A page of another site may not open the app."
    return ""


def _server_class() -> type:
    """textual-serve's Server, quieter and with page addresses that follow the browser.

    Built here, not at import time, so importing the CLI never loads textual-serve or aiohttp.
    """
    import asyncio
    import logging

    from aiohttp import web
    from textual_serve.server import Server

    class BrowserServer(Server):  # type: ignore[misc]
        def __init__(
            self, command: str, *, greeting: list[str], secret: str, local: bool, **options: Any
        ) -> None:
            super().__init__(command, **options)
            self.greeting = greeting
            self.secret, self.local = secret, local
            self.sessions: dict[asyncio.Task[Any], asyncio.Event] = {}

        def refused(self, request: Any, *, page: bool) -> str:
            """Why `request` is not let in ("" when it is): see `let_in`."""
            return let_in(request, self.secret, self.local, page=page)

        async def handle_websocket(self, request: Any) -> Any:
            why = self.refused(request, page=False)
            if why:
                return web.Response(status=403, text=why)
            # One browser tab, and the app process behind it, for as long as the tab is open.
            task, ended = asyncio.current_task(), asyncio.Event()
            assert task is not None
            self.sessions[task] = ended
            try:
                return await super().handle_websocket(request)
            finally:
                del self.sessions[task]
                ended.set()

        async def on_shutdown(self, app: Any) -> None:
            # ctrl+c with tabs open: textual-serve's session handler, cancelled, tells its app
            # to quit and waits for it.  Left alone, aiohttp would wait up to a minute for the
            # tabs to close and then leave their apps running behind it.
            waits = [asyncio.ensure_future(ended.wait()) for ended in self.sessions.values()]
            for task in list(self.sessions):
                task.cancel()
            if waits:
                await asyncio.wait(waits, timeout=SHUTDOWN_WAIT)

        def initialize_logging(self) -> None:
            # Problems only, to stderr: no logo and no line per page request.
            logging.basicConfig(level=logging.WARNING, format="meetup-tui serve: %(message)s")

        async def on_startup(self, app: Any) -> None:
            print("\n".join(self.greeting), flush=True)

        async def handle_index(self, request: Any) -> Any:
            # The page names the address of its websocket and scripts.  Taken from how the
            # browser reached us, it is right through an SSH forward to any local port and
            # with --host 0.0.0.0, where textual-serve's own (http://0.0.0.0:8000) is not.
            why = self.refused(request, page=True)
            if why:
                return web.Response(status=403, text=why)
            self.public_url = f"{request.scheme}://{request.host}"
            page = await super().handle_index(request)
            # The page's websocket carries the secret back as a cookie only this site's own
            # pages send (SameSite=Strict), never in an address a page could read.
            page.set_cookie(COOKIE, self.secret, httponly=True, samesite="Strict", path="/")
            return page

    return BrowserServer
