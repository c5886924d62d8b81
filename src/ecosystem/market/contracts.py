"""Budgets, budget paths and contracts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ecosystem.scenario.levers import Councils


def cut_done(councils: Councils, years: int) -> float:
    """Share of the total cut made after `years` years of cuts (front-loaded)."""
    k = min(max(years, 0), councils.cut_years)
    if councils.cut_years <= 2:
        return k / councils.cut_years
    if k <= 2:
        return councils.front_loading * k / 2
    rest = (k - 2) / (councils.cut_years - 2)
    return councils.front_loading + (1 - councils.front_loading) * rest


def budget_factor(councils: Councils, year: int) -> float:
    """Budget in simulated year `year` (0-based) relative to the opening budget.

    The cut starts in year 0: by default 28% over five years, 60% of it in the first two
    ("the majority of the cuts coming in the first couple of years" [002:L182]), then flat.
    """
    return 1.0 - councils.budget_cut_total * cut_done(councils, year + 1)


#: Months the at-risk part of a payment-by-results contract is paid in arrears (assumed).
ARREARS_MONTHS = 3


@dataclass
class Contract:
    """A council's contract with a provider for one unit.

    Payment is `fixed` a month plus `rate` per need unit served: a block contract has
    rate 0, a per-user contract (default for statutory services) fixed 0.
    """

    council: Any
    provider: Any
    unit: Any
    fixed: float
    rate: float
    basis: str
    start: int
    end: int
    paid: float = 0.0
    pbr_share: float = 0.0
    tender: int = -1
    exempt: bool = False
    retendered: bool = False
    renewal: Contract | None = None  # agreed in advance, takes over at the end
    arrears: list[float] = field(default_factory=list)  # at-risk payments not yet due
    performance: list[float] = field(default_factory=list)

    def payment(self, served: float, results: float = 1.0) -> float:
        """This month's payment for `served` need units.

        `results` (0..1) scales the share at risk under payment by results [002:L637].
        """
        full = self.fixed + self.rate * served
        return full * (1.0 - self.pbr_share * (1.0 - results))

    def pay_month(self, served: float, results: float) -> float:
        """What the council pays this month.

        The share at risk on results is paid a quarter in arrears: the cash-flow strain
        payment by results puts on providers [002:L637].
        """
        if self.pbr_share <= 0:
            return self.payment(served)
        full = self.fixed + self.rate * served
        self.arrears.append(full * self.pbr_share * results)
        due = self.arrears.pop(0) if len(self.arrears) > ARREARS_MONTHS else 0.0
        return full * (1.0 - self.pbr_share) + due

    @property
    def monthly_value(self) -> float:
        """Payment at the unit's current demand, with full results."""
        return self.payment(self.unit.served)

    def record(self) -> dict:
        """One row of contracts.parquet."""
        quality = self.performance
        return {
            "council": self.council.index, "provider_kind": self.provider.kind,
            "provider": self.provider.unique_id, "unit": self.unit.index,
            "service": self.unit.service, "basis": self.basis, "pbr_share": self.pbr_share,
            "start": self.start, "end": self.end, "fixed": self.fixed, "rate": self.rate,
            "paid": self.paid, "tender": self.tender, "exempt": self.exempt,
            "mean_quality": float(sum(quality) / len(quality)) if quality else float("nan"),
        }


def expected_net_cost(unit, operator) -> float:
    """Monthly cost `operator` expects for `unit`, net of volunteers and trading income."""
    spec, funding = unit.spec, unit.model.scenario.funding
    required = unit.required_cost() * operator.unit_cost_factor(unit) \
        * operator.cost_multiplier() / getattr(operator, "cost_shock", 1.0)
    volunteers = spec.volunteerable * funding.expected_volunteer_cover * required \
        if operator.kind == "community" else 0.0
    trading = trading_income(unit, operator, required) if funding.trading_allowed else 0.0
    return max(required - volunteers - trading, 0.05 * required)


def trading_income(unit, operator, required: float) -> float:
    """Trading income (fees, sales) a unit earns this month at its current use."""
    if not unit.model.scenario.funding.trading_allowed:
        return 0.0
    use = unit.served / unit.demand if unit.demand > 0 else 1.0
    return unit.spec.trading_share * required * operator.trading_factor() * min(use, 1.0)


def offer_contract(council, provider, unit, start: int, budget: float | None = None,
                   accept_share: float = 1.0):
    """`provider`'s contract for `unit`, or None if the council's budget is too small.

    The asking price is the provider's expected net cost times its markup (a margin for
    private firms). `budget` is the most the council will pay a month (None: no limit); the
    provider takes the budget if it is at least `accept_share` of its asking price.
    """
    price = expected_net_cost(unit, provider) * provider.price_markup()
    if budget is not None:
        if budget < accept_share * price:
            return None
        price = min(price, budget)
    years = unit.model.scenario.procurement.contract_years
    end = start + int(round(years * 12))
    if unit.spec.statutory:
        return Contract(council, provider, unit, 0.0, price / max(unit.served, 1.0),
                        "per_user", start, end)
    return Contract(council, provider, unit, price, 0.0, "block", start, end)


def end_contract(contract: Contract | None) -> None:
    """A contract ends: arrears still owed under payment by results are paid off."""
    if contract is None or contract not in contract.council.contracts:
        return
    contract.council.contracts.remove(contract)
    owed = sum(contract.arrears)
    contract.arrears.clear()
    if owed > 0:
        contract.council.pay("contracts", owed)
        contract.provider.book("contract", owed)
        contract.unit.model.ledger.contract_payments += owed


def award(contract: Contract) -> None:
    """Hand the unit to the contracted provider; any contract it had is superseded."""
    unit = contract.unit
    end_contract(unit.contract)
    if unit.operator is not None:
        unit.operator.release(unit)
    contract.provider.take_on(unit)
    unit.contract = contract
    contract.council.contracts.append(contract)
    unit.model.contract_log.append(contract)


def bring_in_house(council, unit) -> None:
    """The council's own team takes the unit on, funded at its current level."""
    if unit.operator is not None:
        unit.operator.release(unit)
    end_contract(unit.contract)
    council.take_on(unit)
    unit.allocation = expected_net_cost(unit, council) * council.discretionary_factor


def can_take_back(council) -> bool:
    """Whether the council can afford to run a returning unit in-house."""
    threshold = council.model.scenario.councils.take_back_threshold
    return council.discretionary_factor >= threshold
