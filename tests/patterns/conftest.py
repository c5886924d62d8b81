"""Pattern tests (MODEL.md section 7): the default historical scenario over replicates.

Each pattern is a claim about many runs, tested with tolerance bands, never one seed. They
are slow: deselect them with `-m "not slow"`; CI runs them.
"""

import pytest

from ecosystem import EcosystemModel, Scenario

REPLICATES = 10


@pytest.fixture(scope="session")
def baseline_models():
    """Ten full ten-year runs of the historical baseline, kept as models for inspection."""
    models = []
    for seed in range(REPLICATES):
        model = EcosystemModel(Scenario(), rng=seed)
        for _ in range(120):
            model.step()
        models.append(model)
    return models
