"""Playing a run: a background thread steps the simulation while the page shows each frame."""

from __future__ import annotations

import threading

import solara
from solara.server import kernel_context

from .session import Simulation

#: Seconds the player rests between frames, so the server's other threads (sending the
#: frame, answering a click on Pause) get their turn. The browser draws a frame while the
#: next one is made, and ten frames a second leave 100 ms for each: no room for a long rest.
FRAME_SECONDS = 0.01


def session_closed() -> threading.Event:
    """Set when this page's session closes; outside a server, an event never set."""
    if kernel_context.has_current_context():
        return solara.kernel_closed_event()
    return threading.Event()


def use_player(sim: Simulation, playing, speed, tick) -> None:
    """Step `sim` in a background thread while `playing` is true.

    Each frame steps `speed` months and bumps `tick`, which redraws what shows the run. The
    thread stops when paused, when the page builds another simulation and when the page's
    session closes. (A plain thread, not `solara.lab.use_task`: Solara 1.58.2 keeps every
    such task's first function, and with it a model, for as long as the server runs.)
    """
    closed = session_closed()

    def start():
        if not playing.value:
            return None
        stopped = threading.Event()

        def play():
            while (playing.value and not sim.finished
                   and not (stopped.is_set() or closed.is_set())):
                sim.step(speed.value)
                tick.set(tick.value + 1)
                stopped.wait(FRAME_SECONDS)
            if not (stopped.is_set() or closed.is_set()):
                playing.set(False)

        threading.Thread(target=play, daemon=True).start()
        return stopped.set

    solara.use_effect(start, dependencies=[playing.value, sim])
