"""Does each lever move its outcome the way the evidence says? Paired runs over seeds.

    uv run python benchmarks/lever_directions.py [--seeds 8] [--months 120]

Prints, per lever, the mean paired difference (changed minus baseline) of the metric the
evidence speaks about, with how many seeds moved the expected way. Not a test: a report
that the resolution of the procurement issue quotes. tests/patterns/test_levers.py asserts
the directions of the claims marked robust.
"""

from __future__ import annotations

import argparse
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from ecosystem import Scenario, run
from ecosystem.experiments.claims import LEVER_CLAIMS as LEVERS


def _final(args) -> float:
    overrides, metric, seed, months = args
    result = run(Scenario().with_overrides(overrides), seed=seed, months=months)
    if metric in result.summary.columns:
        return float(result.summary[metric].iloc[0])
    return float(result.timeseries[metric].iloc[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=8)
    parser.add_argument("--months", type=int, default=120)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--only", default="", help="only levers whose overrides mention this")
    args = parser.parse_args()
    seeds = range(args.seeds)
    metrics = sorted({m for o, m, _, _ in LEVERS if args.only in str(o)})
    with ProcessPoolExecutor(args.workers) as pool:
        base = {m: np.array(list(pool.map(_final, [({}, m, s, args.months) for s in seeds])))
                for m in metrics}
        for index, (overrides, metric, sign, claim) in enumerate(LEVERS):
            if args.only not in str(overrides):
                continue
            changed = np.array(list(pool.map(
                _final, [(overrides, metric, s, args.months) for s in seeds])))
            diff = changed - base[metric]
            agree = int(np.sum(np.sign(diff) == sign))
            verdict = "holds" if diff.mean() * sign > 0 and agree >= 0.7 * len(diff) else \
                ("weak" if diff.mean() * sign > 0 else "FAILS")
            print(f"{index:2d} {verdict:5s} {metric:28s} {diff.mean():+10.4f}  {agree}/{len(diff)}  "
                  f"{overrides}  ({claim})", flush=True)


if __name__ == "__main__":
    main()
