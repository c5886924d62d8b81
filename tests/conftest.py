import pytest

from ecosystem import Scenario

SMALL = {
    "world.width": 30, "world.height": 20, "world.households": 30_000,
    "world.villages": 20, "world.towns": 4,
}


@pytest.fixture(scope="session")
def small_scenario() -> Scenario:
    """A quick map for unit tests (about 900 residents)."""
    return Scenario().with_overrides(SMALL)
