"""Costing a savings plan: what a council's own units cost at a service level."""

from __future__ import annotations

import numpy as np

from ecosystem.world.units import Operator, ServiceUnit

#: Bisection steps when a savings plan finds the service level its budget pays for.
LEVEL_SEARCH_STEPS = 20
#: Bisection steps when it finds the cut that shares its budget between services.
SHARE_SEARCH_STEPS = 50


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


def service_budgets(council: Operator, units: list[ServiceUnit], budget: float,
                    strength: float) -> dict[str, tuple[list[ServiceUnit], float]]:
    """Share a monthly `budget` for `units` between their services by priority.

    A service's priority is its value, the need it serves per pound at full hours, against
    the mean over all the services (their total need served per pound). Each service keeps
    (1 - x * weight) of its full cost, where weight = (mean value / its value)^`strength`
    and x is the cut that makes the shares add up to `budget`: services of least value are
    cut most, to nothing if need be.

    Returns:
        service -> (its units, its monthly budget).
    """
    by_service: dict[str, list[ServiceUnit]] = {}
    for unit in units:
        by_service.setdefault(unit.service, []).append(unit)
    full = np.array([cost_at_level(council, us, 1.0) for us in by_service.values()])
    served = np.array([sum(u.served for u in us) for us in by_service.values()])
    if full.sum() <= budget:
        return {s: (us, f) for (s, us), f in zip(by_service.items(), full)}
    weight = np.ones_like(full)
    if served.sum() > 0 and strength > 0:
        value = served / np.maximum(full, 1e-12)
        weight = (served.sum() / full.sum() / np.maximum(value, 1e-12)) ** strength

    def shares(cut: float) -> np.ndarray:
        return full * np.clip(1.0 - cut * weight, 0.0, 1.0)

    low, high = 0.0, 1.0 / weight.min()
    for _ in range(SHARE_SEARCH_STEPS):
        mid = (low + high) / 2
        low, high = (mid, high) if shares(mid).sum() > budget else (low, mid)
    return {s: (us, b) for (s, us), b in zip(by_service.items(), shares(high))}
