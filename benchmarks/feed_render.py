"""Render time of the event feed and the unit inspector at month 120 of the baseline (seed 0).

Run with::

    uv run python benchmarks/feed_render.py

It prints, in milliseconds (median of repeated frames), the CPU time of this process (on a
shared machine the wall time is mostly other processes' waiting):

1. a frame of the feed while the run moves one month a frame (months 71 to 120), as the
   player causes: the event log brought up to date, the counts, the shown rows;
2. a frame of the feed at month 120 with nothing new (a redraw with a new `version`);
3. the work of a frame whose rows changed: counts, the newest rows and their sentences,
   without the memo that spares frames with nothing new;
4. and 5. the same two with the model's events copied to ten times their number (thousands
   of rows), to show that a frame's cost does not grow with the run's length;
6. the filing of every one of those events from scratch (a new model, or a rewound one);
7. the first render of the feed (its widgets made; the log already filed);
8. a frame of the inspector on the unit with the longest history.

Nothing is asserted: this is a measuring script, not a test.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import solara

from ecosystem import load_preset
from ecosystem.visualisation.event_log import GROUPS, EventLog
from ecosystem.visualisation.feed import EventFeed, feed_rows, group_counts, rows_html
from ecosystem.visualisation.inspector import UnitInspector, history
from ecosystem.visualisation.session import Simulation

FRAMES = 50


def _frames(component: Callable[[Simulation, int], solara.Element], sim: Simulation,
            months: int = 0) -> float:
    """Median ms of a re-render of `component` with a new version, as the player causes.

    With `months`, the run is stepped that many months before each frame (not timed).
    """
    version = solara.reactive(0)

    @solara.component
    def Frame():
        component(sim, version.value)

    _, rc = solara.render(Frame(), handle_error=False)
    times = []
    for _ in range(FRAMES):
        sim.step(months)
        start = time.process_time()
        version.set(version.value + 1)
        times.append(1000 * (time.process_time() - start))
    rc.close()
    return statistics.median(times)


def _first_render(sim: Simulation) -> float:
    start = time.process_time()
    _, rc = solara.render(EventFeed(sim, 0), handle_error=False)
    elapsed = 1000 * (time.process_time() - start)
    rc.close()
    return elapsed


def _fresh_rows(sim: Simulation) -> float:
    """Median ms of the counts, rows and sentences of every group, done afresh."""
    times = []
    for _ in range(FRAMES):
        start = time.process_time()
        group_counts(sim, -1)
        rows_html(sim, feed_rows(sim, list(GROUPS), -1), 14)
        times.append(1000 * (time.process_time() - start))
    return statistics.median(times)


def main() -> None:
    """Print the figures."""
    moving = Simulation(load_preset("baseline"), 0)
    moving.step(70)
    print(f"feed frame, one month a frame from month 70: {_frames(EventFeed, moving, 1):.1f} ms")
    sim = Simulation(load_preset("baseline"), 0)
    sim.step(120)
    print(f"baseline seed 0, month {sim.month}: {len(sim.model.events)} events")
    print(f"feed frame: {_frames(EventFeed, sim):.1f} ms")
    print(f"feed rows formatted afresh: {_fresh_rows(sim):.2f} ms")
    long = Simulation(load_preset("baseline"), 0)
    long.model = sim.model  # the same world, with its events copied tenfold in a new list
    sim.model.events = sim.model.events * 10
    print(f"feed frame with {len(sim.model.events)} events: {_frames(EventFeed, long):.1f} ms")
    print(f"feed rows formatted afresh: {_fresh_rows(long):.2f} ms")
    start = time.process_time()
    EventLog().update(sim.model.events)
    print(f"filing {len(sim.model.events)} events afresh: "
          f"{1000 * (time.process_time() - start):.1f} ms")
    print(f"feed first render with {len(sim.model.events)} events: {_first_render(long):.1f} ms")
    busiest = max(range(len(sim.model.units)), key=lambda u: len(history(sim.model, u)))

    def inspector(s: Simulation, version: int) -> solara.Element:
        return UnitInspector(s, busiest, version, lambda _: None)

    print(f"inspector frame (unit {busiest}, {len(history(sim.model, busiest))} events): "
          f"{_frames(inspector, sim):.1f} ms")


if __name__ == "__main__":
    main()
