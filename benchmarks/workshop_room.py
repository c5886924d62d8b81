"""A workshop room under load, in-process: 30 participants' action latency and memory.

Run from the repository's root::

    uv run python -m benchmarks.workshop_room
    uv run python -m benchmarks.workshop_room --years 5 --round-seconds 30

One room on the baseline preset, 30 participants as threads. Each joins (and
reconnects with its token), then polls its team's dashboard about once a second and now and
then submits a plan, while a projector thread polls the projector view and the registry's
ticker runs each year when every team has submitted or the round's time is up. Every call is
timed, waiting for the room's lock included. Memory is this process's resident set: the
room's share of what the web app's server holds. `benchmarks/workshop_browsers.py` measures
the same room through the web app, with 30 phones in chromium.

Nothing is asserted: this is a measuring script, not a test.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import threading
import time
from collections import defaultdict

from ecosystem.scenario.presets import load_preset
from ecosystem.workshop import rooms
from ecosystem.workshop.room import Phase, Room, RoomError
from tests.served_app import resident_mb

#: Participants in the room.
PARTICIPANTS = 30
#: Seconds between a participant's polls of its dashboard.
POLL_SECONDS = 1.0


class Timings:
    """Latencies by action, thread-safe."""

    def __init__(self) -> None:
        self.seconds: dict[str, list[float]] = defaultdict(list)
        self._lock = threading.Lock()

    def record(self, action: str, seconds: float) -> None:
        """Note that one `action` took `seconds`."""
        with self._lock:
            self.seconds[action].append(seconds)

    def timed(self, action: str, call, *args):
        """Call `call(*args)`, recording how long it took under `action`."""
        start = time.perf_counter()
        try:
            return call(*args)
        finally:
            self.record(action, time.perf_counter() - start)

    def table(self) -> str:
        """p50, p95 and max per action, in milliseconds."""
        width = max([16, *(len(action) + 2 for action in self.seconds)])
        lines = [f"{'action':<{width}}{'calls':>7}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}"]
        for action, values in sorted(self.seconds.items()):
            ordered = sorted(values)
            p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
            lines.append(f"{action:<{width}}{len(values):>7}"
                         f"{1000 * statistics.median(values):>9.1f}"
                         f"{1000 * p95:>9.1f}{1000 * ordered[-1]:>9.1f}")
        return "\n".join(lines)


def participant(room: Room, number: int, timings: Timings, rng: random.Random) -> None:
    """Join, then each round poll the dashboard and submit a plan, until the game ends."""
    seat = timings.timed("join", room.join, f"participant {number}")
    timings.timed("reconnect", room.join, "", seat.token)
    while room.phase != Phase.FINISHED:
        view = timings.timed("team_view", room.team_view, seat.council)
        round_ = view["round"]
        if view["phase"] == Phase.DECIDING and not view["submitted"] and rng.random() < 0.3:
            plan = {"levers": {"capacity.community_support": rng.choice([0.0, 50.0, 150.0])},
                    "priorities": {"libraries": rng.choice(["protect", "cut_first"])},
                    "reviews": {}}
            try:
                timings.timed("submit", room.submit, seat.token, round_, plan)
            except RoomError:
                timings.timed("submit_refused", lambda: None)  # late: the year ran meanwhile
        time.sleep(POLL_SECONDS * rng.uniform(0.5, 1.5))


def projector(room: Room, timings: Timings) -> None:
    """Poll the projector view every second until the game ends."""
    while room.phase != Phase.FINISHED:
        timings.timed("projector_view", room.projector_view)
        time.sleep(POLL_SECONDS)


def in_process(years: int, round_seconds: float) -> None:
    """The room itself under 30 participants (see the module docstring)."""
    before = resident_mb(os.getpid())
    start = time.perf_counter()
    room = rooms.open_room(load_preset("baseline"), seed=1, years=years,
                           round_seconds=round_seconds)
    opened = time.perf_counter() - start
    timings = Timings()
    threads = [threading.Thread(target=participant, daemon=True,
                                args=(room, n, timings, random.Random(n)))
               for n in range(PARTICIPANTS)]
    threads.append(threading.Thread(target=projector, args=(room, timings), daemon=True))
    for thread in threads:
        thread.start()
    time.sleep(2 * POLL_SECONDS)
    room.start()
    peak = resident_mb(os.getpid())
    while room.phase != Phase.FINISHED:
        time.sleep(0.2)
        peak = max(peak, resident_mb(os.getpid()))
    for thread in threads:
        thread.join()
    rooms.close(room.code)
    print(f"In-process: {PARTICIPANTS} participants, {years} years of {round_seconds:.0f} s "
          f"rounds on the baseline preset; room opened in {opened:.2f} s")
    print(timings.table())
    print(f"memory: {before:.0f} MB before the room, {peak:.0f} MB at peak")


def main() -> None:
    """Parse the command line and measure."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--round-seconds", type=float, default=20.0)
    args = parser.parse_args()
    in_process(args.years, args.round_seconds)


if __name__ == "__main__":
    main()
