"""Costing a savings plan: what a council's own units cost at a service level."""

from __future__ import annotations

import numpy as np

from ecosystem.world.units import Operator, ServiceUnit

#: Bisection steps when a savings plan finds the service level its budget pays for.
LEVEL_SEARCH_STEPS = 20


def level_paid_for(council: Operator, units: list[ServiceUnit], budget: float,
                    floor: float) -> float:
    """The highest service level from `floor` to 1 at which `units` cost at most `budget`.

    A unit's net cost is a fixed share of its required cost (volunteers and trading cover
    shares of it), so the search costs the units as arrays.
    """
    if cost_at_level(council, units, 1.0) <= budget:  # as the plan summed its full cost
        return 1.0
    full = np.array([u.required_cost(level=1.0) for u in units])
    share = np.array([u.net_cost(council, 1.0) for u in units]) / np.maximum(full, 1e-300)
    fixed = np.array([u.spec.fixed_cost for u in units])
    per_user = np.array([u.spec.cost_per_user for u in units])
    demand = np.array([u.demand for u in units])
    cap = np.array([u.capacity_cap for u in units])

    def cost(level: float) -> float:
        return float((share * (level * fixed + per_user * np.minimum(demand, level * cap))).sum())

    low, high = floor, 1.0
    for _ in range(LEVEL_SEARCH_STEPS):
        mid = (low + high) / 2
        low, high = (mid, high) if cost(mid) <= budget else (low, mid)
    return low


def cost_at_level(council: Operator, units: list[ServiceUnit], level: float) -> float:
    """Monthly cost to `council` of running `units` at service level `level`."""
    return sum(unit.net_cost(council, level) for unit in units)
