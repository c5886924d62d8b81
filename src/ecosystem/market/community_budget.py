"""Community budgets: councils and other public bodies pool money for shared services.

Each partner body pools a share of what it spends on the pooled services, which grows with
trust between the partners ('new levels of trust' [002:L130]) and is held back by its silo
('preciousness over finances' [002:L130]) and by central government's strings [002:L728]:

    p_i = (1 - strings) * (1 - silo_i) * trust(t)

The pooled share in force is the larger of `funding.pooled_budget_share` (pooling with health
alone, the model's older lever) and the partners' mean. It slows the growth of care demand
(prevention; population/residents.py), brings partners' money in, and saves duplicated cost
on pooled services [002:L206; L724]. With `strategy.community_budget` off, only
`funding.pooled_budget_share` acts, exactly as before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ecosystem.scenario.schema import Scenario

if TYPE_CHECKING:
    from ecosystem.world.units import ServiceUnit

#: Share of the pooled part of a pooled service's cost that partners pay (assumed)
#: [002:L130; L724].
PARTNER_SHARE_OF_POOLED_COST = 0.1
#: Beta shape `a` of partners' silo index; `b` sets the mean to `strategy.partner_silo`.
SILO_SHAPE = 2.0


class CommunityBudget:
    """The partner bodies of a community budget and the share they pool.

    Args:
        scenario: the scenario at month 0.
        rng: the model's generator; the partners' silos are drawn from a stream spawned from
            it when the budget first starts, so switching it on shifts no other draw.
    """

    def __init__(self, scenario: Scenario, rng: np.random.Generator) -> None:
        self._rng = rng
        self.silo = np.zeros(0)
        self.months = 0
        self.share = scenario.funding.pooled_budget_share

    def advance(self, scenario: Scenario) -> None:
        """One month: trust between partners grows while the budget runs; the share follows."""
        strategy = scenario.strategy
        self.months = self.months + 1 if strategy.community_budget else 0
        self.share = self.pooled_share(scenario)

    def pooled_share(self, scenario: Scenario) -> float:
        """Share of pooled services commissioned from the pooled budget this month."""
        strategy, base = scenario.strategy, scenario.funding.pooled_budget_share
        if not strategy.community_budget:
            return base
        self._draw_partners(scenario)
        trust = 1 - (1 - strategy.partner_trust_start) \
            * np.exp(-self.months / (12 * strategy.partner_trust_years))
        pools = (1 - strategy.central_strings) * (1 - self.silo) * trust
        return max(base, float(pools.mean()))

    def _draw_partners(self, scenario: Scenario) -> None:
        strategy = scenario.strategy
        if len(self.silo) == strategy.community_budget_partners:
            return
        stream = self._rng.spawn(1)[0]
        mean = strategy.partner_silo
        b = SILO_SHAPE * (1 - mean) / max(mean, 1e-6)
        self.silo = stream.beta(SILO_SHAPE, b, strategy.community_budget_partners) if mean > 0 \
            else np.zeros(strategy.community_budget_partners)

    def pools(self, scenario: Scenario, unit: ServiceUnit) -> bool:
        """Whether `unit`'s service is paid for partly from the pool."""
        strategy = scenario.strategy
        return unit.spec.pooled_with_health or (
            strategy.community_budget and unit.service in strategy.community_budget_services)

    def cost_factor(self, scenario: Scenario, unit: ServiceUnit) -> float:
        """Share of its cost a pooled unit keeps once duplication is removed (1 if off)."""
        strategy = scenario.strategy
        if not strategy.community_budget or not self.pools(scenario, unit):
            return 1.0
        return 1.0 - strategy.duplication_saving * self.share

    def contribution(self, scenario: Scenario, unit: ServiceUnit) -> float:
        """What the partners pay this month towards a pooled unit's cost to its council."""
        if not self.pools(scenario, unit):
            return 0.0
        return PARTNER_SHARE_OF_POOLED_COST * self.share * unit.council_cost
