"""What the web app's timeline costs: snapshot size and time, going back, memory per session.

Run with::

    uv run python benchmarks/timeline.py [--preset baseline] [--seed 0]

It prints, for a session of the preset stepped to month 120 (its horizon for the baseline):

1. the snapshots kept, their total size (the memory the timeline holds per session) and
   the stated bound (`MAX_SNAPSHOTS` x the largest snapshot);
2. the size of one model pickled, then compressed, and the time to freeze and thaw one;
3. the time to step 120 months with snapshots, against plain `model.step()`;
4. the time to go back from month 120 to months 5, 60 and 119.

Nothing is asserted: this is a measuring script, not a test.
"""

from __future__ import annotations

import argparse
import pickle
import time

from ecosystem import EcosystemModel, load_preset
from ecosystem.visualisation.session import Simulation
from ecosystem.visualisation.snapshots import MAX_SNAPSHOTS, freeze, thaw

HORIZON = 120
TARGETS = (5, 60, 119)


def _timed(action, *args):
    start = time.perf_counter()
    result = action(*args)
    return result, time.perf_counter() - start


def _stepped(preset: str, seed: int) -> tuple[Simulation, float]:
    sim = Simulation(load_preset(preset), seed)
    _, seconds = _timed(sim.step, HORIZON)
    return sim, seconds


def _plain_steps(preset: str, seed: int) -> float:
    model = EcosystemModel(load_preset(preset), rng=seed)
    start = time.perf_counter()
    for _ in range(HORIZON):
        model.step()
    return time.perf_counter() - start


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--preset", default="baseline")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    sim, with_snapshots = _stepped(args.preset, args.seed)
    kept = sim.snapshots.months
    largest = max(len(sim.snapshots._kept[m]) for m in kept)
    print(f"snapshots at months {kept}: {sim.snapshots.nbytes / 1e6:.1f} MB "
          f"(bound {MAX_SNAPSHOTS} x {largest / 1e6:.2f} MB = "
          f"{MAX_SNAPSHOTS * largest / 1e6:.1f} MB)")
    raw = len(pickle.dumps(sim.model, protocol=pickle.HIGHEST_PROTOCOL))
    blob, freezing = _timed(freeze, sim.model)
    _, thawing = _timed(thaw, blob)
    print(f"one model at month {sim.month}: {raw / 1e6:.2f} MB pickled, "
          f"{len(blob) / 1e6:.2f} MB compressed; freeze {freezing:.3f} s, thaw {thawing:.3f} s")
    plain = _plain_steps(args.preset, args.seed)
    print(f"{HORIZON} months: {with_snapshots:.2f} s with snapshots, {plain:.2f} s without")
    for target in TARGETS:
        _, seconds = _timed(sim.rewind, target)
        print(f"going back from month {HORIZON} to month {target}: {seconds:.3f} s")
        sim.step(HORIZON - sim.month)


if __name__ == "__main__":
    main()
