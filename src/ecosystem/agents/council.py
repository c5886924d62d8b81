"""Councils: budgets, an in-house team, contracts, and the duty to respond to failure."""

from __future__ import annotations

import mesa

from ecosystem.market.contracts import budget_factor


class Council(mesa.Agent):
    """A local council: commissioner of every unit in its territory and operator of some.

    Attributes:
        index: its number (territory id on the map).
        seat: the cell of its seat.
        base_budget: opening annual budget (GBP k/year); `budget` is this year's.
        reserves: usable reserves (GBP k).
        commissioning_skill, risk_appetite, ideology: dispositions (see the scenario).
        reputation: 0..1; falls when providers in its area fail [002:L299].
        units: units its own team runs (in-house).
        contracts: live contracts with providers.
        spend: this month's spend by purpose (in-house, contracts, support).
        discretionary_factor: share of required cost its discretionary in-house units get.
        statutory_factor: the same for statutory in-house units (cut less).
    """

    kind = "council"

    def __init__(self, model, index: int, seat: tuple[int, int]) -> None:
        super().__init__(model)
        councils = model.scenario.councils
        self.index = index
        self.seat = seat
        self.base_budget = 0.0
        self.budget = 0.0
        self.reserves = 0.0
        self.commissioning_skill = councils.commissioning_skill
        self.risk_appetite = councils.risk_appetite
        self.ideology = councils.ideology
        self.reputation = 1.0
        self.units: list = []
        self.contracts: list = []
        self.spend = _purposes()
        self.trading_income = 0.0
        self.partner_income = 0.0
        self.year_spend = 0.0
        self.discretionary_factor = 1.0
        self.statutory_factor = 1.0
        self.failures_seen = 0
        self.capability = 0.8  # the common mean quality a team delivers when fully funded
        self.saving: dict[str, float] = {}  # cost saving on a service (redesign, sharing)
        self.shares_with: dict[str, int] = {}  # service -> partner council index
        self.reviews: list = []
        self.staff_enthusiasm: dict[str, float] = {}

    # ----- operator interface (the in-house team) ------------------------------------------

    def take_on(self, unit) -> None:
        """Run `unit` in-house."""
        self.units.append(unit)
        unit.operator = self
        unit.contract = None

    def release(self, unit) -> None:
        """Stop running `unit` in-house."""
        if unit in self.units:
            self.units.remove(unit)

    def cost_multiplier(self) -> float:
        """In-house teams have the common mean efficiency."""
        return 1.0

    def unit_cost_factor(self, unit) -> float:
        """Savings from redesign or sharing on this unit's service."""
        return 1.0 - self.saving.get(unit.service, 0.0)

    def trading_factor(self) -> float:
        """Councils earn the typical trading income of a service."""
        return 1.0

    @property
    def local_share(self) -> float:
        """Share of its spend that stays in the area."""
        return self.model.scenario.funding.local_share_local

    # ----- the year and the month ----------------------------------------------------------

    def set_budget(self, year: int) -> None:
        """Set this year's budget from the budget path."""
        self.budget = self.base_budget * budget_factor(self.model.scenario.councils, year)
        self.year_spend = 0.0

    def new_month(self) -> None:
        """Reset this month's spend and income."""
        self.spend = _purposes()
        self.trading_income = 0.0
        self.partner_income = 0.0

    def pay(self, purpose: str, amount: float) -> None:
        """Record spending for a purpose (in_house, contracts, support, procurement, ...)."""
        self.spend[purpose] += amount

    def close_month(self) -> None:
        """Move the month's under- or overspend into reserves (after trading, partner income)."""
        total = sum(self.spend.values())
        self.year_spend += total
        self.reserves += self.budget / 12.0 - total + self.trading_income + self.partner_income

    @property
    def monthly_spend(self) -> float:
        """Total spent this month."""
        return sum(self.spend.values())

    def blame(self, failures: int = 1) -> None:
        """Provider failure in its area damages the council too [002:L299]."""
        loss = self.model.scenario.councils.reputation_loss_per_failure
        self.reputation = max(0.0, self.reputation - loss * failures)
        self.failures_seen += failures


def _purposes() -> dict[str, float]:
    return {"in_house": 0.0, "contracts": 0.0, "support": 0.0, "procurement": 0.0,
            "reviews": 0.0, "training": 0.0}
