"""`ecosystem app`: serve the web app, to this machine or to a room.

The server runs as a child process (`ecosystem.visualisation.server`, which is `solara run` behind
a `HostGuard`). It answers only to the loopback names, the address it listens on (unless
that is every interface, 0.0.0.0) and the names given with `--allow-host`. It holds at most
`--max-sessions` sessions, each with its own models (a page beyond that is told the room is
full), and releases a session whose page dropped its connection after `CULL_TIMEOUT`. Starting
it calls nothing on the network: Solara's version check and telemetry are switched off. Nor
does showing a page: the server itself serves every asset a page loads (Solara's, and the
KaTeX files the web app ships, see `ecosystem.visualisation.server`).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
import webbrowser
from collections.abc import Callable, Mapping
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console

from ecosystem.cli.hosts import (
    ALLOWED_HOSTS_ENV,
    EVERY_INTERFACE,
    allow_host_problems,
    allowed_hosts,
    host_name,
)
from ecosystem.cli.room import (
    CULL_TIMEOUT,
    CULL_TIMEOUT_ENV,
    DEFAULT_MAX_SESSIONS,
    MAX_SESSIONS_ENV,
)
from ecosystem.experiments.child_processes import die_with_parent
from ecosystem.scenario import ScenarioError

#: The web app's module, as `solara run` imports it (the wheel and the checkout both provide it).
APP_MODULE = "ecosystem.visualisation.app"

#: The server process's module: `solara run` with the web app behind a host guard.
SERVER_MODULE = "ecosystem.visualisation.server"

#: The workshop room's console, the page `ecosystem app --room` opens.
ROOM_PAGE = "/room"

#: Seconds `--room` waits for the server to answer before it gives up opening the browser.
BROWSER_WAIT_SECONDS = 300

#: Solara settings for the server: no usage reports sent to Solara's telemetry service.
NO_TELEMETRY = {"SOLARA_TELEMETRY_MIXPANEL_ENABLE": "false"}

#: Solara settings for the server: pages load their assets from it, never from a CDN (Solara
#: would otherwise point pages at cdn.jsdelivr.net when it thinks it runs inside VS Code).
ASSETS_FROM_SERVER = {"SOLARA_ASSETS_PROXY": "true"}


def server_command(host: str, port: int) -> list[str]:
    """The server's command line: `solara run`'s arguments, with no version check.

    `--no-check-version` stops Solara asking PyPI for its newest version at start-up (and
    telling users to install a version this project does not pin).
    """
    return [sys.executable, "-m", SERVER_MODULE, "run", APP_MODULE, "--host", host,
            "--port", str(port), "--production", "--no-open", "--no-check-version"]


def server_environment(allowed: tuple[str, ...], environ: Mapping[str, str] = os.environ,
                       max_sessions: int = DEFAULT_MAX_SESSIONS) -> dict[str, str]:
    """The server's environment: `environ`, the app, the allowed hosts, the session cap.

    Solara's cull timeout is `CULL_TIMEOUT` unless `environ` sets it.
    """
    return {CULL_TIMEOUT_ENV: CULL_TIMEOUT, **environ, "SOLARA_APP": APP_MODULE,
            ALLOWED_HOSTS_ENV: ",".join(allowed), MAX_SESSIONS_ENV: str(max_sessions),
            **NO_TELEMETRY, **ASSETS_FROM_SERVER}


def register(app: typer.Typer, console: Console, fail: Callable[[ScenarioError], NoReturn]) -> None:
    """Add `ecosystem app` to `app`.

    Args:
        app: The main `ecosystem` app.
        console: Where the address served is printed.
        fail: Reports a usage error (exit code 2).
    """

    @app.command("app")
    def app_command(
        port: Annotated[int, typer.Option(min=1, max=65535, help="Port to serve on.")] = 8765,
        host: Annotated[str, typer.Option(help="Address to listen on (0.0.0.0: the room).")]
        = "127.0.0.1",
        allow_host: Annotated[list[str] | None, typer.Option(metavar="NAME", help=(
            "A name browsers use to reach this machine, e.g. its LAN address or host name; "
            "repeat for more. Loopback names and --host are always allowed."))] = None,
        max_sessions: Annotated[int, typer.Option(min=1, envvar=MAX_SESSIONS_ENV, help=(
            "Sessions (open pages) served at once, each with its own models; a page beyond "
            "them is told the room is full."))] = DEFAULT_MAX_SESSIONS,
        room: Annotated[bool, typer.Option("--room", help=(
            "Run a workshop room: open the browser on the trainer's console (/room), where "
            "the trainer opens a room and participants join at /join."))] = False,
    ) -> None:
        """Serve the web app (live run, compare, projector mode, workshop room) at http://HOST:PORT."""
        extra = allow_host or []
        problems = host_problems(host, extra)
        if problems:
            fail(ScenarioError(problems, "command line"))
        allowed = allowed_hosts(host, extra)
        console.print(f"serving the ecosystem app at http://{host}:{port} (Ctrl+C to stop); "
                      f"it answers to {', '.join(allowed)}")
        if host_name(host) in EVERY_INTERFACE and not extra:
            console.print("browsers in the room need a name for this machine: give its "
                          "address or host name with --allow-host")
        if room:
            console_url = page_address(host, port, ROOM_PAGE)
            console.print(f"the workshop room's console: {console_url}")
            open_when_served(console_url)
        raise typer.Exit(serve(server_command(host, port),
                               server_environment(allowed, max_sessions=max_sessions)))


def page_address(host: str, port: int, path: str) -> str:
    """The address of a page of the app on this machine (loopback when serving every interface)."""
    name = host_name(host) or host
    if name in EVERY_INTERFACE:
        name = "127.0.0.1"
    elif ":" in name:  # an IPv6 address
        name = f"[{name}]"
    return f"http://{name}:{port}{path}"


def open_when_served(url: str, wait: float = BROWSER_WAIT_SECONDS) -> threading.Thread:
    """Open `url` in the browser once the server answers it (a daemon thread waits for it)."""

    def open_page() -> None:
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url, timeout=2):
                    webbrowser.open(url)
                    return
            except OSError:
                time.sleep(0.5)

    thread = threading.Thread(target=open_page, daemon=True, name="open-browser")
    thread.start()
    return thread


def host_problems(host: str, allow_host: list[str]) -> list[tuple[str, str]]:
    """An (option, message) problem for a `--host` and every `--allow-host` that is unusable."""
    problems = allow_host_problems(allow_host)
    if host_name(host) is None:
        problems.insert(0, ("--host", f"{host!r} is not a host name or IP address"))
    return problems


def serve(command: list[str], env: Mapping[str, str] | None = None) -> int:
    """Run a server as a child process that stops when this one does.

    SIGTERM and SIGINT are passed on to it, and on Linux it is also sent SIGTERM if this
    process dies (`PR_SET_PDEATHSIG`), so no server is left holding the port.

    Args:
        command: The server's command line.
        env: Its environment (this process's when None).

    Returns:
        Its exit code; 128 + the signal's number if a signal stopped it or this process
        (130 after Ctrl+C).
    """
    child = subprocess.Popen(command, env=env, preexec_fn=die_with_parent)

    received: list[int] = []

    def forward(signum: int, _frame: Any) -> None:
        received.append(signum)
        child.send_signal(signal.SIGTERM)

    previous = {s: signal.signal(s, forward) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        code = child.wait()
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        if child.poll() is None:
            child.terminate()
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
    if received:  # stopped by us: report the signal we got, as a shell would
        return 128 + received[0]
    return 128 - code if code < 0 else code
