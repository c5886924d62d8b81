"""Child processes that never outlive the process that started them.

Used by the sweep's local worker pool, the case and debrief pools (`worker_pool`) and by
`ecosystem app`'s Solara server.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
from concurrent.futures import ProcessPoolExecutor

#: prctl option: the signal a process gets when its parent dies (Linux).
PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """In a child process: ask Linux to send it SIGTERM when its parent dies.

    Elsewhere this does nothing (the parent's own shutdown stops its children there).
    If the parent died before the request took effect, the child exits at once.
    """
    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid()
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:
        os._exit(1)


def start_worker() -> None:
    """Initialise a sweep's pool worker: it dies with its driver and leaves Ctrl+C to it.

    Ctrl+C at a terminal reaches every process of the foreground group; the driver stops
    the workers itself, so a worker ignores SIGINT rather than print a traceback.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent()


def worker_pool(workers: int | None = None) -> ProcessPoolExecutor:
    """A pool of `workers` processes (default: one per core) that die with their parent.

    Workers start from a fork server, not by forking the caller, which may be running
    threads (a test session, a web server).
    """
    context = multiprocessing.get_context("forkserver")
    return ProcessPoolExecutor(workers or os.cpu_count() or 1, mp_context=context,
                               initializer=start_worker)
