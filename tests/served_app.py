"""Starting the web app in a test: `ecosystem app` on a free port, in its own process group.

`recording_proxy` gives a local HTTP proxy that records the requests sent to it: with its
`environment()`, every HTTP(S) call the app makes (Solara's `requests` follows the proxy
variables) is seen even without a network, and goes nowhere.

`katex_files` names the KaTeX files Solara's pages load through its CDN proxy, which the
web app ships in `SHIPPED_CDN` (visualisation/cdn/).

`serving` and `chromium` hold a server and a browser for a block: the browser tests'
fixtures (tests/conftest.py), the speed benchmark and the screenshot script use them.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import re
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, sync_playwright

from ecosystem.experiments.child_processes import die_with_parent

#: Debian's chromium, which `.ci/run` installs (Playwright never downloads a browser).
CHROMIUM = "/usr/bin/chromium"
#: Its flags on a machine with no network: nothing in the background, no sandbox (root).
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"]

#: Where browser tests save screenshots for a person to look at.
OUTPUT = Path(__file__).resolve().parents[1] / "test-output"

#: Seconds the app may take to serve its first page (minutes on a busy machine).
START_TIMEOUT = 300
#: Seconds the app may take to stop after SIGTERM: about 2 s when idle, over 20 s has been
#: seen while the other test worker kept both cores busy.
STOP_TIMEOUT = 60

#: The web app's copies of CDN files, served at /_solara/cdn/ (see visualisation/cdn/README.md).
SHIPPED_CDN = Path(__file__).resolve().parents[1] / "visualisation" / "cdn"

PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY",
                   "ALL_PROXY")


class RecordingProxy(socketserver.ThreadingTCPServer):
    """An HTTP proxy that forwards nothing: it records each request line and refuses it."""

    daemon_threads = True

    def __init__(self) -> None:
        self.requests: list[str] = []

        class Handler(socketserver.StreamRequestHandler):
            def handle(handler) -> None:
                self.requests.append(handler.rfile.readline(1000).decode("latin-1").strip())
                handler.wfile.write(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")

        super().__init__(("127.0.0.1", 0), Handler)

    def environment(self) -> dict[str, str]:
        """The test's environment with every HTTP(S) call routed here."""
        url = f"http://127.0.0.1:{self.server_address[1]}"
        env = {k: v for k, v in os.environ.items() if k.lower() != "no_proxy"}
        return env | dict.fromkeys(PROXY_VARIABLES, url)


@contextlib.contextmanager
def recording_proxy() -> Iterator[RecordingProxy]:
    """A `RecordingProxy` serving from a thread until the block ends."""
    with RecordingProxy() as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield server
        finally:
            server.shutdown()


@contextlib.contextmanager
def serving(*options: str, env: Mapping[str, str] | None = None
            ) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`ecosystem app OPTIONS` on a free port for the block: its URL and its process."""
    port = free_port()
    process = start_app(port, *options, env=env)
    try:
        yield f"http://127.0.0.1:{port}/", process
    finally:
        stop_app(process)


def require_chromium() -> None:
    """Skip when Debian's chromium is missing; in CI, where `.ci/run` installs it, fail."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            raise RuntimeError("chromium is missing: .ci/run should have installed it")
        pytest.skip("Debian's chromium is not installed")


@contextlib.contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's chromium, driven by Playwright, for the block."""
    require_chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()


def month_shown(page) -> int:
    """The month a page of the app shows (the first "Month N" of its visible text)."""
    return int(page.evaluate("() => /Month (\\d+)/.exec(document.body.innerText)[1]"))


def wait_for_month(page, month: int, timeout: float = 30.0,
                   polling: float | str = 100) -> None:
    """Wait until a page of the app shows month `month`, looking every `polling` ms (or at
    every animation frame, "raf", to time it)."""
    page.wait_for_function("m => /Month (\\d+)/.exec(document.body.innerText)?.[1] == m",
                           arg=str(month), timeout=timeout * 1000, polling=polling)


def open_room(console: Page, url: str, timeout_ms: float, **settings: int) -> str:
    """Open a workshop room from the trainer's console at `url`; its join code.

    `settings` fill the console's fields of those names: years, seconds, councils, seed.
    """
    console.goto(url + "room")
    console.locator(".room-open").wait_for(timeout=timeout_ms)
    for field, value in settings.items():
        console.locator(f".room-{field} input").fill(str(value))
    console.locator(".room-open").click()
    code = console.locator(".room-join-code")
    code.wait_for(timeout=timeout_ms)
    return code.inner_text().strip()


def join_room(browser: Browser, url: str, code: str, name: str, viewport: ViewportSize,
              timeout_ms: float) -> Page:
    """A phone of its own (a new browser context) joining room `code` as `name`; its page,
    once seated."""
    phone = browser.new_context(viewport=viewport).new_page()
    phone.goto(f"{url}join?code={code}")
    phone.locator(".room-name-input input").fill(name)
    phone.locator(".room-join").click()
    phone.locator(".room-seat-council").wait_for(timeout=timeout_ms)
    return phone


def free_port() -> int:
    """A port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def katex_files() -> list[str]:
    """The KaTeX files Solara's Markdown loads from its CDN, e.g. `katex@0.16.9/dist/katex.min.js`.

    Read from the installed Solara's source, so a Solara upgrade that moves to another KaTeX
    is noticed.
    """
    solara = importlib.util.find_spec("solara")
    assert solara is not None and solara.submodule_search_locations
    markdown = Path(solara.submodule_search_locations[0]) / "components" / "markdown.py"
    return sorted(set(re.findall(r"katex@[\d.]+/[\w./-]+", markdown.read_text())))


def start_app(port: int, *options: str, env: Mapping[str, str] | None = None,
              output: IO[bytes] | None = None) -> subprocess.Popen[bytes]:
    """`ecosystem app` on `port`, returned once it serves its page.

    Args:
        port: The port to serve on.
        options: Further options of `ecosystem app`, e.g. "--allow-host", "name".
        env: The app's environment (the test's when None).
        output: Where its stdout and stderr go (nowhere when None).
    """
    process = subprocess.Popen([sys.executable, "-m", "ecosystem.cli", "app", "--port",
                                str(port), *options], env=env,
                               stdout=output or subprocess.DEVNULL, stderr=subprocess.STDOUT,
                               start_new_session=True,  # stop_app ends its whole group
                               preexec_fn=die_with_parent)  # and it ends if we are killed
    url, deadline = f"http://127.0.0.1:{port}/", time.time() + START_TIMEOUT
    while time.time() < deadline and process.poll() is None:
        try:
            if urllib.request.urlopen(url, timeout=2).status == 200:
                return process
        except OSError:
            time.sleep(0.5)
    code = process.poll()
    stop_app(process)
    if code is not None:
        pytest.fail(f"the app exited with code {code} before serving {url}")
    pytest.fail(f"the app did not serve {url} within {START_TIMEOUT} s")


def stop_app(process: subprocess.Popen[bytes]) -> None:
    """Stop `ecosystem app` and whatever is left of its process group."""
    process.terminate()
    try:
        process.wait(timeout=STOP_TIMEOUT)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def server_pid(process: subprocess.Popen[bytes]) -> int:
    """The id of the server process `ecosystem app` started (in its process group)."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and entry.name != str(process.pid):
            with contextlib.suppress(OSError):
                if (os.getpgid(int(entry.name)) == process.pid
                        and b"ecosystem.visualisation.server" in (entry / "cmdline").read_bytes()):
                    return int(entry.name)
    raise LookupError(f"no server process in process group {process.pid}")


def resident_mb(pid: int) -> float:
    """The resident memory of process `pid` in MB (VmRSS in /proc/PID/status, Linux only)."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024
