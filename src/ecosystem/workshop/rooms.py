"""The rooms open in this process, by join code, and the one thread that moves them on.

`open_room` opens a room under a fresh code; `find` looks one up as a participant typed its
code; `close` forgets it. On the first `open_room` a daemon ticker thread starts that calls
every open room's `tick()` every `TICK_SECONDS`, so a round ends when its time runs out even
if no page is polling; a room whose tick fails is logged and the others go on.
"""

from __future__ import annotations

import logging
import threading
import time

from ecosystem.scenario.schema import Scenario
from ecosystem.workshop.room import Room, new_code

#: Seconds between the ticker's rounds of `tick()` calls.
TICK_SECONDS = 0.5

logger = logging.getLogger(__name__)

_rooms: dict[str, Room] = {}
_lock = threading.Lock()
_ticker: threading.Thread | None = None


def open_room(scenario: Scenario, *, seed: int = 0, years: int = 3,
              round_seconds: float = 300.0) -> Room:
    """Open a room playing `scenario` under a join code no open room has.

    Raises:
        RoomError: `years` or `round_seconds` are out of range.
    """
    room = Room(scenario, seed=seed, years=years, round_seconds=round_seconds)
    with _lock:  # the model is built outside the lock; the code is made unique inside it
        while room.code in _rooms:
            room.code = new_code()
        _rooms[room.code] = room
        _start_ticker()
    return room


def find(code: str) -> Room | None:
    """The open room with join `code` (any case, spaces ignored), or None."""
    with _lock:
        return _rooms.get(code.strip().upper()) if isinstance(code, str) else None


def close(code: str) -> bool:
    """Forget the room with join `code`; whether there was one."""
    with _lock:
        return _rooms.pop(code.strip().upper(), None) is not None


def open_rooms() -> list[Room]:
    """Every open room, in the order they were opened."""
    with _lock:
        return list(_rooms.values())


def tick_all() -> int:
    """Call `tick()` on every open room (a failure is logged, not raised); years run."""
    ran = 0
    for room in open_rooms():
        try:
            ran += room.tick()
        except Exception:
            logger.exception("workshop room %s: its year failed to run", room.code)
    return ran


def _start_ticker() -> None:
    """Start the ticker thread once (call under `_lock`); it dies with the process."""
    global _ticker
    if _ticker is None or not _ticker.is_alive():
        _ticker = threading.Thread(target=_tick_forever, name="workshop-rooms-ticker",
                                   daemon=True)
        _ticker.start()


def _tick_forever() -> None:
    while True:
        time.sleep(TICK_SECONDS)
        tick_all()
