"""What keeping Mesa agents beside the arrays costs, at 100k residents.

Run with ``uv run python benchmarks/agent_bookkeeping.py``. Residents' and volunteers' state
lives in arrays; the `Resident` and `Volunteer` agents read it. The monthly step does no agent
bookkeeping at all: a `Volunteer` agent is enrolled when first asked for. This script reports
the step time (24 months after 2 warm-up months), the cost of asking for every active
volunteer once at the end (enrolling them all) and again (nothing left to enrol), and the
time to build the 100k `Resident` agents against the whole model build. Nothing is asserted.
"""

from __future__ import annotations

import time

import mesa

from ecosystem import EcosystemModel, Scenario
from ecosystem.agents import Resident

HOUSEHOLDS = 1_000_000
HOUSEHOLDS_PER_AGENT = 10
MONTHS, WARMUP = 24, 2


def _seconds(action) -> float:  # noqa: ANN001
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> None:
    scenario = Scenario().with_overrides({"world.households": HOUSEHOLDS,
                                          "population.households_per_agent":
                                              HOUSEHOLDS_PER_AGENT})
    start = time.perf_counter()
    model = EcosystemModel(scenario, rng=0)
    build = time.perf_counter() - start
    residents = len(model.resident_agents)
    for _ in range(WARMUP):
        model.step()
    steps = _seconds(lambda: [model.step() for _ in range(MONTHS)])
    first = _seconds(model.active_volunteers)
    again = _seconds(model.active_volunteers)
    active = len(model.active_volunteers())
    bare = mesa.Model(rng=0)  # Resident agents alone, as the model builds them
    resident_build = _seconds(lambda: [Resident(bare, i) for i in range(residents)])
    print(f"residents: {residents:,}; active volunteer clusters: {active:,}")
    print(f"step: {steps / MONTHS * 1e3:.1f} ms/month, with no agent bookkeeping in it")
    print(f"asking for every active volunteer: first time {first * 1e3:.0f} ms (enrols "
          f"{active:,} agents), again {again * 1e3:.1f} ms")
    print(f"build: {build:.2f} s, of which Resident agents about {resident_build:.2f} s "
          f"({100 * resident_build / build:.0f}%)")


if __name__ == "__main__":
    main()
