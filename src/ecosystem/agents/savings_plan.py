"""A council's yearly savings plan: the cut, tighter care, priorities, thinner services.

`SavingsPlan` decides (`plan_year`, `fund_by_priority`, `thin_services`); the functions cost
its options (`cost_at_level`, `level_paid_for`, `service_budgets`) without changing anything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

import numpy as np

from ecosystem.names import EventKind, OperatorKind
from ecosystem.scenario.councils import budget_factor
from ecosystem.world.units import Operator, ServiceUnit

if TYPE_CHECKING:
    from ecosystem.market.contracts import Contract
    from ecosystem.model import EcosystemModel
    from ecosystem.scenario.schema import Scenario

#: Lowest level statutory care is tightened to, so it always serves someone.
MIN_LEVEL = 0.05
#: A change of service level at least this large is recorded as an event.
LEVEL_EVENT_STEP = 0.05

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
                    strength: float, cuts: dict[str, float] | None = None,
                    ) -> dict[str, tuple[list[ServiceUnit], float]]:
    """Share a monthly `budget` for `units` between their services by priority.

    A service's priority is its value, the need it serves per pound at full hours, against
    the mean over all the services (their total need served per pound). Each service keeps
    (1 - x * weight) of its full cost, where weight = (mean value / its value)^`strength`
    and x is the cut that makes the shares add up to `budget`: services of least value are
    cut most, to nothing if need be. A service its team protects or cuts first has its
    weight multiplied by `cuts[service]` (`scenario.decisions.PRIORITY_CUT`).

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
    if cuts:
        weight = weight * np.array([cuts.get(s, 1.0) for s in by_service])

    def shares(cut: float) -> np.ndarray:
        return full * np.clip(1.0 - cut * weight, 0.0, 1.0)

    low, high = 0.0, 1.0 / weight.min()
    for _ in range(SHARE_SEARCH_STEPS):
        mid = (low + high) / 2
        low, high = (mid, high) if shares(mid).sum() > budget else (low, mid)
    return {s: (us, b) for (s, us), b in zip(by_service.items(), shares(high))}


class Planner(Operator, Protocol):
    """What the savings plan reads and sets on the council it is part of (`Council`)."""

    model: EcosystemModel
    index: int
    contracts: list[Contract]
    base_budget: float
    budget: float
    reserves: float
    year_spend: float
    efficiency: float
    charging: float
    discretionary_factor: float
    statutory_factor: float
    service_levels: dict[str, float]
    priorities: dict[str, str]

    @property
    def service_level(self) -> float:
        """`SavingsPlan.service_level`."""

    @property
    def params(self) -> Scenario:
        """`OwnDecisions.params`."""

    def priority_cut(self, service: str) -> float:
        """`OwnDecisions.priority_cut`."""

    def _growth(self) -> float: ...

    def _statutory_units(self) -> list[ServiceUnit]: ...

    def _care_cost(self, statutory: list[ServiceUnit]) -> float: ...

    def fund_by_priority(self, units: list[ServiceUnit], budget: float) -> None:
        """`SavingsPlan.fund_by_priority`."""

    def thin_services(self, units: list[ServiceUnit], budget: float) -> float:
        """`SavingsPlan.thin_services`."""


class SavingsPlan:
    """A council's yearly savings plan: the methods `Council` takes from it."""

    @property
    def service_level(self: Planner) -> float:
        """The mean service level its plan runs its discretionary services at."""
        levels = self.service_levels.values()
        return float(np.mean(list(levels))) if levels else 1.0

    def level_for(self: Planner, service: str) -> float:
        """The service level its plan runs `service` at (its mean level if none)."""
        return self.service_levels.get(service, self.service_level)

    def plan_year(self: Planner, year: int) -> None:
        """Set the budget and close the year's gap with a savings plan across its services.

        Contracts for discretionary services and capacity support are fixed claims until re-let.
        Reserves above the target level are spent down over the year and a deficit is repaid.
        The plan, in order: efficiency savings on its own services (`efficiency_saving`, up to
        `efficiency_limit`); then charges, if the lever allows; then one cut rate x on what is
        left: statutory services, in-house and contracted, are funded at 1 - x * (1 -
        statutory_protection) of their need-led cost (tighter eligibility), and its
        discretionary services get a budget of (1 - x) of their full cost, shared between them
        by priority and met by thinning their service levels and, as the last resort, closing
        units (`fund_by_priority`).
        """
        params, model = self.params, self.model
        councils = params.councils
        self.budget = self.base_budget * budget_factor(councils, year)
        self.year_spend = 0.0
        in_house = [u for u in self.units if u.is_open]
        statutory = [u for u in in_house if u.spec.statutory]
        discretionary = [u for u in in_house if not u.spec.statutory and u.closing_at is None]
        contracts = 12 * self._growth() * sum(c.monthly_value for c in self.contracts
                                                if not c.unit.spec.statutory)
        reserves_gap = self.reserves - councils.reserves_share * self.budget
        available = self.budget + reserves_gap - contracts - params.capacity.community_support
        need, full = self._care_cost(statutory), 12 * cost_at_level(self, discretionary, 1.0)
        if need + full > available:  # efficiency first [002:L778]
            self.efficiency = max(self.efficiency, min(
                self.efficiency + councils.efficiency_saving, councils.efficiency_limit))
            need = self._care_cost(statutory)
            full = 12 * cost_at_level(self, discretionary, 1.0)
        if need + full > available and self.charging < councils.charging \
                and params.funding.trading_allowed:  # then income: charges [002:L573]
            self.charging = councils.charging
            model.record_event(EventKind.CHARGES, self.index, -1,
                               f"the savings plan adds charges of {self.charging:.0%} of cost "
                               "to its chargeable discretionary services")
            full = 12 * cost_at_level(self, discretionary, 1.0)
        spared = 1.0 - councils.statutory_protection
        cut = (need + full - available) / max(need * spared + full, 1e-9)
        cut = min(max(cut, 0.0), 1.0)
        self.discretionary_factor = 1.0 - cut
        self.statutory_factor = 1.0 - cut * spared
        for unit in self._statutory_units():
            unit.level = max(self.statutory_factor, MIN_LEVEL)  # tighter eligibility
        for unit in statutory:
            unit.fund(unit.net_cost(self))
        self.fund_by_priority(discretionary, self.discretionary_factor * full / 12)

    def _growth(self: Planner) -> float:
        return 1 + self.model.params.population.care_demand_growth

    def _statutory_units(self: Planner) -> list[ServiceUnit]:
        """Its open statutory units, whoever runs them."""
        return [u for u in self.model.units if u.council_id == self.index and u.is_open
                and u.spec.statutory]

    def _care_cost(self: Planner, statutory: list[ServiceUnit]) -> float:
        """Yearly need-led cost of statutory services: its `statutory` units and contracts."""
        monthly = sum(u.net_cost(self, 1.0) for u in statutory) + sum(
            c.monthly_value / max(c.unit.level, MIN_LEVEL) for c in self.contracts
            if c.unit.spec.statutory)
        return 12 * self._growth() * monthly

    def fund_by_priority(self: Planner, units: list[ServiceUnit], budget: float) -> None:
        """Share a monthly `budget` between its discretionary services, then thin each.

        Services that serve least need per pound are cut most (`councils.priority_strength`,
        `service_budgets`); each service's units are then fitted to its share
        (`thin_services`), and the level it runs each at is kept in `service_levels`.
        """
        strength = self.model.params.councils.priority_strength
        cuts = {service: self.priority_cut(service) for service in self.priorities}
        shares = service_budgets(self, units, budget, strength, cuts)
        self.service_levels = {service: self.thin_services(service_units, share)
                                  for service, (service_units, share) in shares.items()}

    def thin_services(self: Planner, units: list[ServiceUnit], budget: float) -> float:
        """Fit discretionary `units` to a monthly `budget`: fewer hours before closures.

        All run at one service level, the highest the budget pays for. Where even
        `councils.min_service_level` costs too much, the units that cost most per need served
        are given notice of closure, the politically costly last resort; they run at the lowest
        level until they close.

        Returns:
            The level the remaining units run at (the floor if every unit was given notice).
        """
        model = self.model
        councils = model.params.councils
        floor, month = councils.min_service_level, model.month
        units = list(units)
        while units and cost_at_level(self, units, floor) > budget:
            unit = max(units, key=lambda u: (u.net_cost(self, floor) / max(u.served, 1.0),
                                             u.index))
            units.remove(unit)
            unit.closing_at = month + councils.closure_notice_months
            unit.level = min(unit.level, floor)
            unit.fund(unit.net_cost(self))
            model.record_event(EventKind.CLOSURE_NOTICE, self.index, unit.index,
                               f"the savings plan cannot fund it even at {floor:.0%} of full "
                               f"hours; it closes in month {unit.closing_at} unless someone takes "
                               "it on", OperatorKind.COUNCIL)
        if not units:
            return floor
        level = level_paid_for(self, units, budget, floor)
        for unit in units:
            if abs(level - unit.level) >= LEVEL_EVENT_STEP:
                model.record_event(EventKind.SERVICE_LEVEL, self.index, unit.index,
                                   f"the savings plan runs it at {level:.0%} of full hours "
                                   f"(was {unit.level:.0%})", OperatorKind.COUNCIL)
            unit.level = level
            unit.fund(unit.net_cost(self))
        return level
