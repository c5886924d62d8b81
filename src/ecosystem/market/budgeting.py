"""Each council's year: a budget from the path, and funding rates for its in-house units."""

from __future__ import annotations

from ecosystem.market.contracts import expected_net_cost


def opening_budget(model, council) -> float:
    """Opening annual budget: the cost of everything it commissions, times the headroom."""
    scenario = model.scenario
    in_house = sum(expected_net_cost(u, council) for u in council.units)
    contracts = sum(c.monthly_value for c in council.contracts)
    annual = 12 * (in_house + contracts) + scenario.capacity.community_support
    return scenario.councils.budget_headroom * annual


def plan_year(model, council, year: int) -> None:
    """Set the budget and the funding rates of the council's in-house units for the year.

    Live contracts and capacity support are fixed claims. Reserves above the target level
    are spent down over the year and a deficit is repaid. The gap is shared as one cut
    rate x: discretionary in-house units get (1 - x) of their cost, statutory ones
    (1 - x * (1 - statutory_protection)), since councils also tighten statutory spending.
    """
    scenario = model.scenario
    councils = scenario.councils
    council.set_budget(year)
    growth = 1 + scenario.population.care_demand_growth
    in_house = [u for u in council.units if u.is_open]
    statutory = 12 * growth * sum(expected_net_cost(u, council) for u in in_house
                                  if u.spec.statutory)
    discretionary = 12 * sum(expected_net_cost(u, council) for u in in_house
                             if not u.spec.statutory)
    contracts = 12 * growth * sum(c.monthly_value for c in council.contracts)
    reserves_gap = council.reserves - councils.reserves_share * council.budget
    available = council.budget + reserves_gap - contracts - scenario.capacity.community_support
    spared = 1.0 - councils.statutory_protection
    cut = (statutory + discretionary - available) / max(statutory * spared + discretionary, 1e-9)
    cut = min(max(cut, 0.0), 1.0)
    council.discretionary_factor = 1.0 - cut
    council.statutory_factor = 1.0 - cut * spared
    for unit in in_house:
        unit.allocation = expected_net_cost(unit, council) * (
            council.statutory_factor if unit.spec.statutory else council.discretionary_factor)
