"""Share of step time spent keeping Mesa agents in step with the arrays, at 100k residents.

Run with ``uv run python benchmarks/agent_bookkeeping.py``. Residents' and volunteers' state
lives in arrays; the `Resident` and `Volunteer` agents read it. The only monthly bookkeeping
is enrolling a `Volunteer` agent the first month a resident cluster volunteers. This script
times that part against whole steps (24 months after 2 warm-up months) and reports the time
to build the 100k `Resident` agents against the whole model build. Nothing is asserted.
"""

from __future__ import annotations

import time

import mesa

from ecosystem import EcosystemModel, Scenario
from ecosystem.agents import Resident
from ecosystem.model import EcosystemModel as Model

HOUSEHOLDS = 1_000_000
HOUSEHOLDS_PER_AGENT = 10
MONTHS, WARMUP = 24, 2


def main() -> None:
    scenario = Scenario().with_overrides({"world.households": HOUSEHOLDS,
                                          "population.households_per_agent":
                                              HOUSEHOLDS_PER_AGENT})
    spent = {"bookkeeping": 0.0}
    enrol = Model._enrol_new_volunteers

    def timed_enrol(self: Model) -> None:
        start = time.perf_counter()
        enrol(self)
        spent["bookkeeping"] += time.perf_counter() - start

    Model._enrol_new_volunteers = timed_enrol  # type: ignore[method-assign]
    start = time.perf_counter()
    model = EcosystemModel(scenario, rng=0)
    build = time.perf_counter() - start
    residents = len(model.resident_agents)
    for _ in range(WARMUP):
        model.step()
    spent["bookkeeping"] = 0.0
    start = time.perf_counter()
    for _ in range(MONTHS):
        model.step()
    steps = time.perf_counter() - start
    bare = mesa.Model(rng=0)  # Resident agents alone, as the model builds them
    start = time.perf_counter()
    _ = [Resident(bare, i) for i in range(residents)]  # type: ignore[arg-type]
    resident_build = time.perf_counter() - start
    print(f"residents: {residents:,}; volunteer agents: {len(model.volunteer_agents):,}")
    print(f"step: {steps / MONTHS * 1e3:.1f} ms/month; agent bookkeeping "
          f"{spent['bookkeeping'] / MONTHS * 1e3:.2f} ms/month "
          f"({100 * spent['bookkeeping'] / steps:.2f}% of step time)")
    print(f"build: {build:.2f} s, of which Resident agents about {resident_build:.2f} s "
          f"({100 * resident_build / build:.0f}%)")


if __name__ == "__main__":
    main()
