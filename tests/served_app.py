"""Starting the web app in a test: `ecosystem app` on a free port, in its own process group."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request

import pytest

#: Seconds the app may take to serve its first page.
START_TIMEOUT = 90


def free_port() -> int:
    """A port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_app(port: int) -> subprocess.Popen[bytes]:
    """`ecosystem app` on `port`, returned once it serves its page."""
    process = subprocess.Popen([sys.executable, "-m", "ecosystem.cli", "app", "--port",
                                str(port)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    url, deadline = f"http://127.0.0.1:{port}/", time.time() + START_TIMEOUT
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(url, timeout=2).status == 200:
                return process
        except OSError:
            time.sleep(0.5)
    process.kill()
    pytest.fail(f"the app did not serve {url} within {START_TIMEOUT} s")
