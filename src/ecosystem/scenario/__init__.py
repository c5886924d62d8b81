"""The scenario layer: every parameter of a run, validated and frozen, and the shipped presets.

`Scenario` (schema.py) is built from groups (groups.py: the place; councils.py: the
councils' budgets and dispositions; procurement_rules.py, funding.py and capacity.py: the
other policy levers; catalogue.py: the service types), each field declared with `param`
(parameters.py).
Presets are TOML files shipped inside this package (presets/).
"""

from ecosystem.scenario.presets import PRESET_DIR, list_presets, load_preset
from ecosystem.scenario.schema import (
    FIXED_AT_START,
    MUTABLE_GROUPS,
    Scenario,
    ScenarioError,
    field_specs,
    read_toml,
    validation_problems,
)

__all__ = [
    "FIXED_AT_START",
    "MUTABLE_GROUPS",
    "PRESET_DIR",
    "Scenario",
    "ScenarioError",
    "field_specs",
    "list_presets",
    "load_preset",
    "read_toml",
    "validation_problems",
]
