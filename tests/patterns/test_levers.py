"""Levers move outcomes the way the evidence claims (src/ecosystem/claims.py), in paired runs.

Only claims marked robust are asserted; benchmarks/lever_directions.py reports them all.
"""

import numpy as np
import pytest

from ecosystem import Scenario, run
from ecosystem.experiments.claims import LEVER_CLAIMS, ROBUST

from .conftest import REPLICATES

pytestmark = pytest.mark.slow


def _value(result, metric: str) -> float:
    if metric in result.summary.columns:
        return float(result.summary[metric].iloc[0])
    return float(result.timeseries[metric].iloc[-1])


@pytest.fixture(scope="module")
def baseline():
    """The baseline's results for the paired seeds (common random numbers)."""
    return [run(Scenario(), seed=s) for s in range(REPLICATES)]


@pytest.mark.parametrize("index", ROBUST, ids=lambda i: LEVER_CLAIMS[i][1] + f"-{i}")
def test_lever_moves_its_outcome_the_claimed_way(baseline, index):
    overrides, metric, sign, claim = LEVER_CLAIMS[index]
    changed = Scenario().with_overrides(overrides)
    diffs = np.array([_value(run(changed, seed=s), metric) - _value(b, metric)
                      for s, b in enumerate(baseline)])
    assert sign * diffs.mean() > 0, claim
    assert np.mean(np.sign(diffs) == sign) >= 0.8, claim
