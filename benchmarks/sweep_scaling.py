"""Sweep speed, storage and memory (issue: experiments at scale). Not a test.

    uv run python benchmarks/sweep_scaling.py [--runs 40] [--big 400]

Prints, in one run:
1. speed-up of a `--runs` sweep (default scenario, 10 years) on 2 local workers against 1;
2. bytes per stored value in the consolidated Parquet tables;
3. the driver's peak memory (RSS high-water mark of this process, which only drives) for a
   sweep of `--runs` and of `--big` short runs: flat if it does not grow with the count;
4. the same sweep on a Dask LocalCluster (2 workers) against the local pool.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from ecosystem.experiments.spec import build_experiment
from ecosystem.experiments.sweep import sweep


def _experiment(runs: int, months: int):
    spec = {"name": "scaling", "replicates": runs // 2, "months": months, "root_seed": 1,
            "variants": {"baseline": {}, "cut-40": {"councils.budget_cut_total": 0.4}}}
    return build_experiment(spec, Path("."), "benchmark")


def _timed(experiment, workers: int, executor=None) -> float:
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        report = sweep(experiment, out, workers=workers, executor=executor)
        assert not report.failed, report.failed
        return time.perf_counter() - started


def _bytes_per_value(experiment) -> None:
    with tempfile.TemporaryDirectory() as out:
        sweep(experiment, out, workers=2)
        for name in ("timeseries", "summary", "units"):
            path = Path(out) / f"{name}.parquet"
            frame = pd.read_parquet(path)
            values = frame.shape[0] * frame.shape[1]
            print(f"  {name:10s} {path.stat().st_size:>10,} bytes / {values:>9,} values = "
                  f"{path.stat().st_size / values:5.1f} bytes per value")


def _driver_memory(runs: int) -> float:
    """Peak RSS (MB) of a fresh driver process sweeping `runs` short runs on 2 workers."""
    code = ("import resource, tempfile; from benchmarks.sweep_scaling import _experiment; "
            "from ecosystem.experiments.sweep import sweep; "
            f"sweep(_experiment({runs}, 6), tempfile.mkdtemp(), workers=2); "
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, cwd=Path(__file__).resolve().parents[1])
    return float(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--big", type=int, default=400)
    parser.add_argument("--skip-dask", action="store_true")
    args = parser.parse_args()
    experiment = _experiment(args.runs, 120)
    one = _timed(experiment, 1)
    two = _timed(experiment, 2)
    print(f"1. {args.runs} runs: 1 worker {one:.1f} s, 2 workers {two:.1f} s, "
          f"speed-up {one / two:.2f}x (target >= 1.85x)")
    print("2. stored size:")
    _bytes_per_value(_experiment(args.runs, 120))
    small, big = _driver_memory(args.runs), _driver_memory(args.big)
    print(f"3. driver peak memory: {args.runs} runs {small:.0f} MB, {args.big} runs {big:.0f} MB "
          f"(growth {big - small:+.0f} MB)")
    if not args.skip_dask:
        from distributed import Client, LocalCluster

        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                          host="127.0.0.1", dashboard_address=None) as cluster, \
                Client(cluster) as client:
            dask = _timed(experiment, 2, client.get_executor())
        print(f"4. Dask LocalCluster {dask:.1f} s vs local pool {two:.1f} s: overhead "
              f"{100 * (dask / two - 1):+.1f}% (target under 10%)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"   (this process: peak RSS {peak:.0f} MB)")


if __name__ == "__main__":
    main()
