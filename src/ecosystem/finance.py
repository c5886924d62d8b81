"""Budgets, budget paths and contracts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ecosystem.levers import Councils


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
