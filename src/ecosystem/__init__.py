"""Agent-based simulator of local public service ecosystems.

>>> from ecosystem import Scenario, run
>>> result = run(Scenario(), seed=1, months=24)
>>> result.timeseries[["month", "service_survival", "coverage"]]
"""

from ecosystem.metrics import METRICS
from ecosystem.model import EcosystemModel
from ecosystem.runner import RunResult, run
from ecosystem.scenario import Scenario, ScenarioError
from ecosystem.scenario.presets import list_presets, load_preset

__version__ = "0.1.0"


def load_scenario(path: str) -> Scenario:
    """Load a scenario from a TOML file."""
    return Scenario.from_toml(path)


__all__ = [
    "METRICS",
    "EcosystemModel",
    "RunResult",
    "Scenario",
    "ScenarioError",
    "list_presets",
    "load_preset",
    "load_scenario",
    "run",
]
