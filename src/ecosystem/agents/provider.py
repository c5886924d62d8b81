"""The common base of every external provider: money, units, distress and failure."""

from __future__ import annotations

from typing import ClassVar

import mesa
import numpy as np


class Provider(mesa.Agent):
    """An organisation that runs service units for councils.

    All kinds share the same *mean* efficiency (provider neutrality [002:L234]); they differ
    only through the explicit mechanisms their subclasses add.

    Attributes:
        home_council: index of the council it grew up with.
        reserves: cash reserves (GBP k).
        efficiency: multiplier on delivery cost (mean 1 for every kind).
        units: units it runs now.
        income: this month's income by stream (contract, grant, trading, donations).
        costs: this month's delivery costs.
        months_in_distress: consecutive months with negative reserves.
        founded, failed_at: months it started and failed (None while alive).
        capability: the quality it can deliver when fully funded (same spread for all kinds).
        scope: service types it works in (and bids for).
    """

    kind: ClassVar[str] = "provider"
    local_share_field: ClassVar[str] = "local_share_local"

    def __init__(self, model, home_council: int) -> None:
        super().__init__(model)
        funding = model.scenario.funding
        self.home_council = home_council
        self.efficiency = float(np.exp(model.rng.normal(0.0, funding.efficiency_spread)))
        self.reserves = 0.0
        self.units: list = []
        self.income = _streams()
        self.costs = 0.0
        self.months_in_distress = 0
        self.founded = int(model.time)
        self.failed_at: int | None = None
        self.cost_shock = 1.0
        self.capability = float(np.clip(model.rng.normal(0.8, 0.08), 0.5, 1.0))
        self.scope: set[str] = set()
        self.debt = 0.0

    # ----- what differs by kind -------------------------------------------------------------

    def cost_multiplier(self) -> float:
        """Multiplier on the required cost of its units."""
        return self.efficiency * self.cost_shock

    def price_markup(self) -> float:
        """Multiplier on expected cost when it prices a contract: a surplus to reinvest."""
        return 1.0 + self.model.scenario.funding.surplus_margin

    def unit_cost_factor(self, unit) -> float:
        """Extra cost of running `unit` in particular (1 for local organisations)."""
        return 1.0

    def trading_factor(self) -> float:
        """How much trading income it earns relative to a typical operator."""
        return 1.0

    # ----- the month ------------------------------------------------------------------------

    def take_on(self, unit) -> None:
        """Start running `unit`."""
        self.units.append(unit)
        self.scope.add(unit.service)
        unit.operator = self

    def release(self, unit) -> None:
        """Stop running `unit`."""
        if unit in self.units:
            self.units.remove(unit)

    def new_month(self) -> None:
        """Reset this month's books and draw a cost shock."""
        self.income = _streams()
        self.costs = 0.0
        sd = self.model.scenario.funding.cost_shock_sd
        self.cost_shock = float(np.exp(self.model.rng.normal(-0.5 * sd**2, sd)))

    def book(self, stream: str, amount: float) -> None:
        """Record income from one stream."""
        self.income[stream] += amount

    def use_investment(self, fund) -> None:
        """Social investment: repayable finance when in distress, repaid from surplus.

        Args:
            fund: what is left of each council area's social investment this year (updated).
        """
        balance = self.reserves + sum(self.income.values()) - self.costs
        if balance < 0 and fund[self.home_council] > 0:
            loan = min(-balance, float(fund[self.home_council]))
            fund[self.home_council] -= loan
            self.debt += loan
            self.book("investment", loan)
        elif balance > 0 and self.debt > 0:
            repay = min(0.1 * self.debt, 0.5 * balance)
            self.debt -= repay
            self.costs += repay

    def grow(self) -> None:
        """What a provider does with a good month (kinds that grow override this)."""

    def settle(self) -> bool:
        """Close the month's books; True if the provider is now insolvent."""
        self.reserves += sum(self.income.values()) - self.costs
        self.months_in_distress = self.months_in_distress + 1 if self.reserves < 0 else 0
        return self.months_in_distress >= self.model.scenario.funding.insolvency_months

    @property
    def monthly_income(self) -> float:
        """All of this month's income."""
        return sum(self.income.values())

    @property
    def young(self) -> bool:
        """Under three years old (provider support goes to these)."""
        return self.model.month - self.founded < 36

    @property
    def in_distress(self) -> bool:
        """Reserves below zero: it cuts spending to what comes in."""
        return self.reserves < 0

    @property
    def active(self) -> bool:
        """Not failed."""
        return self.failed_at is None

    @property
    def local_share(self) -> float:
        """Share of its spend that stays in the area (social value)."""
        return getattr(self.model.scenario.funding, self.local_share_field)


def _streams() -> dict[str, float]:
    return {"contract": 0.0, "grant": 0.0, "trading": 0.0, "donations": 0.0, "investment": 0.0}
