"""The room: at most `--max-sessions` sessions hold models, and a closed one gives its memory back.

Solara runs `open_session` when a page's session (its virtual kernel) starts, and the cleanup
it returns when the session closes: at once when the tab is closed, or after the cull timeout
(`ecosystem.cli.room.CULL_TIMEOUT`) when the page dropped its connection. A session that
finds the room full holds no model; its page says so (`admitted` is False for it).

A model dropped by a closed session is freed by Python, but glibc keeps the freed pages in
the process unless asked to give them back (`malloc_trim`): without that the server's
memory only ever grows to the largest number of sessions it has held.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import os
import sys
import threading
from collections.abc import Callable

import solara
from solara.server import kernel_context

from ecosystem.cli.room import max_sessions_from

from .player import session_closed

ROOM_FULL = ("The room is full: this server is running as many simulations as it can hold. "
             "Try again in a minute (reload this page) when someone has closed theirs.")

#: Seconds a closing session may take to drop its widgets before memory is collected anyway.
CLOSE_WAIT_SECONDS = 60.0


class Room:
    """The sessions that hold models, at most `capacity` at once."""

    def __init__(self, capacity: int) -> None:
        """A room with no one in it yet.

        Args:
            capacity: Sessions admitted at once (1 or more).
        """
        self.capacity = capacity
        self._admitted: set[str] = set()
        self._lock = threading.Lock()

    def enter(self, session: str) -> bool:
        """Admit `session` if there is room (or it is in already); whether it is in."""
        with self._lock:
            if session not in self._admitted and len(self._admitted) >= self.capacity:
                return False
            self._admitted.add(session)
            return True

    def leave(self, session: str) -> None:
        """Free `session`'s place (nothing happens if it had none)."""
        with self._lock:
            self._admitted.discard(session)

    def admits(self, session: str) -> bool:
        """Whether `session` holds a place."""
        return session in self._admitted

    def __len__(self) -> int:
        """Sessions in the room."""
        return len(self._admitted)


#: The server's room, sized by `ecosystem app --max-sessions`.
ROOM = Room(max_sessions_from(os.environ))


def admitted(room: Room = ROOM) -> bool:
    """Whether this page's session holds a place in `room` (always, outside a server)."""
    if not kernel_context.has_current_context():
        return True
    return room.admits(solara.get_kernel_id())


def open_session(room: Room = ROOM) -> Callable[[], None]:
    """Enter `room` as a session starts; the returned cleanup runs as it closes.

    The cleanup frees the session's place and, once Solara has dropped the session's
    widgets and state (its closed event is set), returns the freed memory to the system.
    """
    session, closed = solara.get_kernel_id(), session_closed()
    room.enter(session)

    def close_session() -> None:
        room.leave(session)
        with kernel_context.without_context():  # else the thread would keep the session alive
            threading.Thread(target=release_memory, args=(closed,), daemon=True).start()

    return close_session


def release_memory(closed: threading.Event, timeout: float = CLOSE_WAIT_SECONDS) -> None:
    """When `closed` is set, collect garbage and give freed memory back (glibc only).

    Args:
        closed: The closing session's event, set when Solara has dropped all it held.
        timeout: Seconds to wait for it.
    """
    closed.wait(timeout)
    gc.collect()
    trim_malloc()


def trim_malloc() -> None:
    """Ask glibc to return the freed heap pages to the system (nothing elsewhere)."""
    if sys.platform.startswith("linux") and (libc := ctypes.util.find_library("c")):
        trim = getattr(ctypes.CDLL(libc), "malloc_trim", None)  # glibc has it, musl does not
        if trim is not None:
            trim(0)


@solara.component
def RoomFull():
    """The page shown instead of the app when the room is full."""
    solara.Title("ecosystem: room full")
    solara.Info(ROOM_FULL)
