"""Each case's documented outcomes, checked against the model over replicates.

For every outcome of a case (`ecosystem.scenario.cases.Outcome`) the case runs with seeds
1 to `REPLICATES`; an outcome compared with another scenario (`versus`) runs that one with
the same seeds (common random numbers). `docs/case-results.json` stores what came out, so
`docs/cases.md` can show the model's figure beside the documents' without rerunning, and the
case tests check the store against fresh runs.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from concurrent.futures import Executor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy import stats

from ecosystem.runner import is_summary_column, run
from ecosystem.scenario import Scenario, ScenarioError
from ecosystem.scenario.cases import Case, Outcome

#: Seeds each case runs with (and its `versus` twins, paired by seed).
REPLICATES = 6
SEEDS: tuple[int, ...] = tuple(range(1, REPLICATES + 1))
#: Confidence level of the interval a `versus` outcome's paired difference must clear.
LEVEL = 0.95


@dataclass(frozen=True)
class OutcomeResult:
    """What the model gave for one documented outcome of one case."""

    case: str
    outcome: int
    metric: str
    direction: str
    mean: float
    reference: float
    low: float
    high: float
    holds: bool
    figure: float | None


def summary_of(scenario: Scenario, seed: int) -> dict[str, float]:
    """One run's summary row as a dict (the unit of work a pool runs)."""
    row = run(scenario, seed=seed).summary.iloc[0]
    return {key: float(value) for key, value in row.items()}


def metric_problems(case: Case) -> list[tuple[str, str]]:
    """Outcomes whose metric is not a column of a run's summary (with its field path)."""
    services = {f"coverage_{name}" for name in case.scenario.services.catalogue}
    return [(f"case.outcomes.{i}.metric", f"{o.metric!r} is not a column of a run's summary")
            for i, o in enumerate(case.info.outcomes)
            if not is_summary_column(o.metric) and o.metric not in services]


def evaluate(case: Case, executor: Executor | None = None,
             seeds: Iterable[int] = SEEDS) -> list[OutcomeResult]:
    """Run `case` (and its `versus` twins) over `seeds` and judge each outcome.

    Args:
        case: the case.
        executor: where runs go (a process pool runs them in parallel); default in-process.
        seeds: the replicates' seeds.

    Raises:
        ScenarioError: if an outcome's metric is not a column of a run's summary.
    """
    problems = metric_problems(case)
    if problems:
        raise ScenarioError(problems, case.name)
    seeds = tuple(seeds)
    scenarios = [case.scenario] + [case.versus(o) for o in case.info.outcomes
                                   if o.versus is not None]
    mapper: Callable[..., Iterable[dict[str, float]]] = executor.map if executor else map
    jobs = [(s, seed) for s in scenarios for seed in seeds]
    rows = list(mapper(summary_of, [s for s, _ in jobs], [seed for _, seed in jobs]))
    arms = [rows[i * len(seeds):(i + 1) * len(seeds)] for i in range(len(scenarios))]
    results, twin = [], 1
    for i, outcome in enumerate(case.info.outcomes):
        own = np.array([r[outcome.metric] for r in arms[0]])
        if outcome.versus is None:
            results.append(_against_number(case.name, i, outcome, own))
        else:
            other = np.array([r[outcome.metric] for r in arms[twin]])
            results.append(_against_twin(case.name, i, outcome, own, other))
            twin += 1
    return results


def t_interval(values: np.ndarray) -> tuple[float, float]:
    """The t interval of the mean of `values` at `LEVEL` (the mean twice if they agree)."""
    mean = float(values.mean())
    spread = float(values.std(ddof=1)) if values.size > 1 else 0.0
    if spread == 0.0 or not math.isfinite(spread):
        return mean, mean
    half = float(stats.t.ppf(0.5 + LEVEL / 2, values.size - 1)) * spread / math.sqrt(values.size)
    return mean - half, mean + half


def _against_number(case: str, index: int, outcome: Outcome,
                    own: np.ndarray) -> OutcomeResult:
    """The mean must lie on the documented side of the number."""
    assert outcome.than is not None
    mean = float(own.mean())
    low, high = t_interval(own)
    holds = mean > outcome.than if outcome.direction == "above" else mean < outcome.than
    return OutcomeResult(case, index, outcome.metric, outcome.direction, mean,
                         outcome.than, low, high, holds, outcome.figure)


def _against_twin(case: str, index: int, outcome: Outcome, own: np.ndarray,
                  other: np.ndarray) -> OutcomeResult:
    """The paired differences' interval must exclude zero on the documented side."""
    low, high = t_interval(own - other)
    holds = low > 0 if outcome.direction == "above" else high < 0
    return OutcomeResult(case, index, outcome.metric, outcome.direction, float(own.mean()),
                         float(other.mean()), low, high, holds, outcome.figure)


def write_results(results: list[OutcomeResult], path: Path) -> None:
    """Store results as JSON (sorted, rounded to 6 significant figures, so diffs stay small)."""
    rows = [as_stored(r) for r in results]
    rows.sort(key=lambda r: (r["case"], r["outcome"]))
    path.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")


def read_results(path: Path) -> dict[tuple[str, int], dict[str, Any]]:
    """Stored results by (case, outcome index); empty if there is no store yet."""
    if not path.exists():
        return {}
    rows = json.loads(path.read_text(encoding="utf-8"))
    return {(r["case"], r["outcome"]): r for r in rows}


def as_stored(result: OutcomeResult) -> dict[str, Any]:
    """A result as `write_results` stores it."""
    return {k: _rounded(v) for k, v in asdict(result).items()}


def _rounded(value: Any) -> Any:
    if isinstance(value, float) and math.isfinite(value):
        return float(f"{value:.6g}")
    return value
