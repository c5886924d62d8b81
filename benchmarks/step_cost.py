"""Per-agent step cost of the ecosystem model, compared with Mesa's BoltzmannWealth example.

Run with::

    uv run python benchmarks/step_cost.py            # figures
    uv run python benchmarks/step_cost.py --profile  # plus a pyinstrument profile at 100k

It prints:

1. the model's cost in ns per resident-month at about 10k and about 100k residents
   (build time reported separately; 2 warm-up months, then N timed months), and the
   100k/10k ratio of per-resident cost (a linearity check);
2. Mesa's own BoltzmannWealth example (10k agents, 100 steps) in ns per agent-step;
3. the ratio Mesa cost / our cost at 100k, against the target "ours at most 1/20 of Mesa's";
4. the wall time of the default scenario's full run via ``ecosystem.run(Scenario(), seed=0)``.

Nothing is asserted: this is a measuring script, not a test. Only the public API is used:
``Scenario``, ``EcosystemModel(scenario, rng=seed)``, ``model.step()``, ``model.residents``
and ``ecosystem.run``.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass

from ecosystem import EcosystemModel, Scenario, run

#: Households represented by one Resident agent in the scaled-up scenarios.
HOUSEHOLDS_PER_AGENT = 10
#: Target of the comparison: Mesa's per-agent-step cost over ours must be at least this.
TARGET_RATIO = 20.0
#: Warm-up months before timing.
WARMUP_STEPS = 2


@dataclass(frozen=True)
class StepCost:
    """The measured cost of one model size.

    Attributes:
        households: the ``world.households`` used.
        residents: mean number of Resident agents over the timed months.
        build_s: seconds to build the model.
        steps: months timed.
        step_s: seconds for the timed months.
    """

    households: int
    residents: float
    build_s: float
    steps: int
    step_s: float

    @property
    def ns_per_resident_month(self) -> float:
        """Nanoseconds per resident per month."""
        return self.step_s * 1e9 / (self.steps * self.residents)

    @property
    def ms_per_month(self) -> float:
        """Milliseconds per month."""
        return self.step_s * 1e3 / self.steps


def scaled_scenario(households: int) -> Scenario:
    """A default scenario with more households and finer residents.

    Args:
        households: households on the whole map.

    Returns:
        The scenario.
    """
    return Scenario().with_overrides(
        {"world.households": households, "population.households_per_agent": HOUSEHOLDS_PER_AGENT}
    )


def households_for(target: int, seed: int) -> int:
    """Households giving about ``target`` residents.

    Residents are about households / K plus one per sparsely populated cell, so one
    model is built at households = target * K, the surplus is measured and taken off.

    Args:
        target: wanted number of residents.
        seed: random seed of the trial build.

    Returns:
        The number of households to use.
    """
    households = target * HOUSEHOLDS_PER_AGENT
    model = EcosystemModel(scaled_scenario(households), rng=seed)
    surplus = len(model.residents) - households // HOUSEHOLDS_PER_AGENT
    return max(households - surplus * HOUSEHOLDS_PER_AGENT, HOUSEHOLDS_PER_AGENT)


def measure(households: int, steps: int, seed: int) -> StepCost:
    """Build a model, warm it up, then time ``steps`` months.

    Args:
        households: households on the whole map.
        steps: months to time after the warm-up.
        seed: random seed.

    Returns:
        The measured cost.
    """
    scenario = scaled_scenario(households)
    start = time.perf_counter()
    model = EcosystemModel(scenario, rng=seed)
    build_s = time.perf_counter() - start
    for _ in range(WARMUP_STEPS):
        model.step()
    before = len(model.residents)
    start = time.perf_counter()
    for _ in range(steps):
        model.step()
    step_s = time.perf_counter() - start
    residents = (before + len(model.residents)) / 2
    return StepCost(households, residents, build_s, steps, step_s)


def boltzmann_cost(agents: int, steps: int, side: int, seed: int) -> tuple[float, float]:
    """Time Mesa's BoltzmannWealth example as shipped (including its data collection).

    Args:
        agents: number of MoneyAgents.
        steps: steps to time (after one warm-up step).
        side: the grid is ``side`` x ``side`` cells.
        seed: random seed.

    Returns:
        (seconds to build, ns per agent-step).
    """
    from mesa.examples import BoltzmannWealth
    from mesa.examples.basic.boltzmann_wealth_model.model import BoltzmannScenario

    start = time.perf_counter()
    model = BoltzmannWealth(BoltzmannScenario(rng=seed, n=agents, width=side, height=side))
    build_s = time.perf_counter() - start
    model.step()
    start = time.perf_counter()
    for _ in range(steps):
        model.step()
    elapsed = time.perf_counter() - start
    return build_s, elapsed * 1e9 / (steps * agents)


def profile(households: int, steps: int, seed: int) -> None:
    """Print a pyinstrument profile of ``steps`` months at the given size.

    Args:
        households: households on the whole map.
        steps: months to profile (after the warm-up, which is not profiled).
        seed: random seed.
    """
    from pyinstrument import Profiler

    model = EcosystemModel(scaled_scenario(households), rng=seed)
    for _ in range(WARMUP_STEPS):
        model.step()
    profiler = Profiler()
    profiler.start()
    for _ in range(steps):
        model.step()
    profiler.stop()
    print(f"\n== pyinstrument: {steps} months, {len(model.residents):,} residents ==")
    print(profiler.output_text(unicode=True, color=False, show_all=False))


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print the figures.

    Args:
        argv: command-line arguments (default: ``sys.argv``).
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--small", type=int, default=10_000, help="residents, small size")
    parser.add_argument("--large", type=int, default=100_000, help="residents, large size")
    parser.add_argument("--small-steps", type=int, default=24, help="months timed, small size")
    parser.add_argument("--large-steps", type=int, default=12, help="months timed, large size")
    parser.add_argument("--mesa-agents", type=int, default=10_000, help="BoltzmannWealth agents")
    parser.add_argument("--mesa-steps", type=int, default=100, help="BoltzmannWealth steps")
    parser.add_argument(
        "--mesa-side", type=int, default=100,
        help="BoltzmannWealth grid side (default 100: one agent per cell on average)",
    )
    parser.add_argument("--profile", action="store_true",
                        help="also profile 12 months at the large size with pyinstrument")
    parser.add_argument("--skip-full-run", action="store_true",
                        help="skip the default scenario's full run")
    args = parser.parse_args(argv)

    print(f"== ecosystem step cost (K = {HOUSEHOLDS_PER_AGENT} households per resident, "
          f"{WARMUP_STEPS} warm-up months, seed {args.seed}) ==")
    costs = []
    for target, steps in ((args.small, args.small_steps), (args.large, args.large_steps)):
        cost = measure(households_for(target, args.seed), steps, args.seed)
        costs.append(cost)
        print(f"~{target:>7,} residents: households {cost.households:>9,}  "
              f"residents {cost.residents:>9,.0f}  build {cost.build_s:6.2f} s  "
              f"{cost.steps} months {cost.step_s:6.2f} s ({cost.ms_per_month:7.1f} ms/month)  "
              f"{cost.ns_per_resident_month:7.0f} ns/resident-month")
    small, large = costs
    linearity = large.ns_per_resident_month / small.ns_per_resident_month
    print(f"per-resident cost ratio large/small: {linearity:.2f} (1.00 = linear)")

    print(f"\n== Mesa BoltzmannWealth ({args.mesa_agents:,} agents, {args.mesa_side}x"
          f"{args.mesa_side} grid, {args.mesa_steps} steps) ==")
    mesa_build_s, mesa_ns = boltzmann_cost(args.mesa_agents, args.mesa_steps, args.mesa_side,
                                           args.seed)
    print(f"build {mesa_build_s:.2f} s  {mesa_ns:.0f} ns/agent-step")

    ratio = mesa_ns / large.ns_per_resident_month
    verdict = "MEETS" if ratio >= TARGET_RATIO else "MISSES"
    print("\n== comparison ==")
    print(f"Mesa ns/agent-step / ours ns/resident-month at ~{args.large:,}: {ratio:.1f}x "
          f"-> {verdict} target (ours at most 1/{TARGET_RATIO:.0f} of Mesa's, i.e. ratio >= "
          f"{TARGET_RATIO:.0f})")

    if not args.skip_full_run:
        scenario = Scenario()
        start = time.perf_counter()
        result = run(scenario, seed=0)
        wall_s = time.perf_counter() - start
        print("\n== default scenario full run ==")
        print(f"ecosystem.run(Scenario(), seed=0): {scenario.months} months, "
              f"{len(result.timeseries)} rows, {wall_s:.2f} s wall (target well under 5 s)")

    if args.profile:
        profile(large.households, 12, args.seed)


if __name__ == "__main__":
    main()
