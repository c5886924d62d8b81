"""What one frame of the live map costs: Python build time and bytes sent to the browser.

Run with::

    uv run python benchmarks/map_frames.py [--months 120] [--text-px 14]

For each preset it steps a run month by month and, at every month, builds the map's moving
layers (`unit_series`, `unmet_series`) as MapView does. It prints:

1. the build time of a frame (median and 95th percentile, ms) and of the static layers;
2. the JSON bytes a frame sends over the websocket. The widget sends a value only when it
   differs from the last one sent, so a frame carries the unmet tint when it changed and
   the unit markers only when a unit changed status or operator; the script counts the
   bytes of the changed values (the same JSON ipywidgets writes, less its small envelope);
3. for comparison, the bytes per frame if the whole chart (static layers included) were
   resent each frame, as `solara.FigureEcharts` does (the live map draws with map_canvas.vue).

Nothing is asserted: this is a measuring script, not a test.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from ecosystem import load_preset
from ecosystem.visualisation import map_frame
from ecosystem.visualisation.session import Simulation


def _size(value) -> int:
    return len(json.dumps(value, separators=(",", ":")))


def measure(preset: str, months: int, text_px: int) -> dict[str, float]:
    """Build times (ms) and bytes per frame over `months` months of `preset`, seed 0."""
    sim = Simulation(load_preset(preset), 0)
    start = time.perf_counter()
    base = map_frame.base_option(sim.model, text_px)
    static_ms = 1e3 * (time.perf_counter() - start)
    last: tuple = (None, None)
    times, sent, whole = [], [], []
    for _ in range(months):
        sim.step()
        start = time.perf_counter()
        units = map_frame.unit_series(sim.model, None, text_px)
        unmet = map_frame.unmet_series(sim.model)
        times.append(1e3 * (time.perf_counter() - start))
        sent.append(sum(_size(v) for v, old in zip((units, unmet), last) if v != old))
        whole.append(_size(base) + _size(units) + _size(unmet))
        last = (units, unmet)
    times.sort()
    return {"static_ms": static_ms, "static_bytes": _size(base),
            "frame_ms_median": statistics.median(times),
            "frame_ms_p95": times[int(0.95 * (len(times) - 1))],
            "bytes_mean": statistics.mean(sent[1:]), "bytes_max": max(sent[1:]),
            "units_changed_share": sum(s > _size(unmet) + 50 for s in sent[1:]) / (months - 1),
            "whole_chart_bytes": statistics.mean(whole)}


def main() -> None:
    """Print the figures for each preset."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--months", type=int, default=120)
    parser.add_argument("--text-px", type=int, default=14)
    args = parser.parse_args()
    for preset in ("baseline", "rural-county", "urban-city"):
        r = measure(preset, args.months, args.text_px)
        print(f"{preset}: static layers {r['static_bytes'] / 1e3:.1f} kB in "
              f"{r['static_ms']:.1f} ms (once per model); frame built in "
              f"{r['frame_ms_median']:.1f} ms (p95 {r['frame_ms_p95']:.1f}); sent per frame "
              f"{r['bytes_mean'] / 1e3:.1f} kB mean, {r['bytes_max'] / 1e3:.1f} kB max "
              f"(markers resent in {r['units_changed_share']:.0%} of frames); whole chart "
              f"each frame would be {r['whole_chart_bytes'] / 1e3:.1f} kB")


if __name__ == "__main__":
    main()
