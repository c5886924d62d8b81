"""What one frame of the live charts costs: time to build the options, and their size.

Run with::

    uv run python benchmarks/chart_frame.py

For the baseline preset at month 120 (seed 0) it prints, for one run (the live page) and
for two runs (the compare page), with every chart and with the projector's key charts:

1. the median time to build the ECharts options of a frame (`chart_options`), in ms;
2. the median time to redraw the `Charts` component for a new version (`solara.render`,
   building the options and updating the widgets), in ms;
3. the bytes of the options as JSON, what the browser is sent each frame.

The page aims at 10 frames a second, 100 ms a frame for model, map, charts and the rest.
Nothing is asserted: this is a measuring script, not a test.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable

import solara

from ecosystem import load_preset
from ecosystem.visualisation.chart_options import chart_options
from ecosystem.visualisation.charts import CHART_NAMES, KEY_CHARTS, Charts
from ecosystem.visualisation.session import Simulation
from ecosystem.visualisation.style import TEXT_PX

MONTH = 120
REPEATS = 50


def median_ms(action: Callable[[], object], repeats: int = REPEATS) -> float:
    """Median wall time of `action` in milliseconds, after one warm-up call."""
    action()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def redraw_ms(runs: dict[str, Simulation], names: tuple[str, ...]) -> float:
    """Median time to render `Charts` again for a new version."""
    _, rc = solara.render(Charts(runs, 0, names), handle_error=False)
    version = iter(range(1, 10**6))
    try:
        return median_ms(lambda: rc.render(Charts(runs, next(version), names)))
    finally:
        rc.close()


def main() -> None:
    """Print build time, redraw time and bytes a frame at month 120."""
    run = Simulation(load_preset("baseline"), seed=0)
    run.step(MONTH)
    other = Simulation(load_preset("baseline"), seed=0)
    other.step(MONTH)
    print(f"baseline, month {run.month}, text {TEXT_PX} px")
    for label, runs in (("one run", {"run": run}), ("two runs", {"A": run, "B": other})):
        for names_label, names in (("all charts", CHART_NAMES), ("key charts", KEY_CHARTS)):
            options = chart_options(runs, names, TEXT_PX)
            size = sum(len(json.dumps(option)) for option in options)
            build = median_ms(lambda runs=runs, names=names: chart_options(runs, names, TEXT_PX))
            print(f"{label:9} {names_label:10}: {len(options)} charts, build {build:5.1f} ms, "
                  f"redraw {redraw_ms(runs, names):5.1f} ms, {size / 1000:5.1f} kB a frame")


if __name__ == "__main__":
    main()
