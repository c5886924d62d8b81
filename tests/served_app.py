"""Starting the web app in a test: `ecosystem app` on a free port, in its own process group."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Mapping
from typing import IO

import pytest

#: Seconds the app may take to serve its first page.
START_TIMEOUT = 90


def free_port() -> int:
    """A port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


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
                               start_new_session=True)
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
        process.wait(timeout=20)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
