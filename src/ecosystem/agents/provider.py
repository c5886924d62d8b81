"""The common base of every external provider: money, units, bids, distress and failure."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

import mesa
import numpy as np

from ecosystem.names import Income, OperatorKind
from ecosystem.scenario.procurement_rules import ARREARS_MONTHS
from ecosystem.world.units import MEAN_CAPABILITY, ServiceUnit

if TYPE_CHECKING:
    from ecosystem.market.contracts import Contract
    from ecosystem.model import EcosystemModel

#: Spread of providers' quality capability around the common mean, and its bounds; the same
#: for every kind (provider neutrality [002:L234]; assumed).
CAPABILITY_SPREAD = 0.08
CAPABILITY_BOUNDS = (0.5, 1.0)
#: Months a provider counts as young (provider support goes to these; assumed).
YOUNG_MONTHS = 36
#: Share of its debt a provider repays in a good month, and most of the month's surplus it
#: puts towards it (social investment; assumed).
REPAYMENT_RATE = 0.1
REPAYMENT_SURPLUS_SHARE = 0.5
#: Weight of this month in a provider's running income mix (about a year's memory; assumed).
MIX_MEMORY = 1 / 12
#: Income streams whose mix makes a provider resilient (loans are not income).
MIX_STREAMS = (Income.CONTRACT, Income.GRANT, Income.TRADING, Income.DONATIONS)


class Provider(mesa.Agent["EcosystemModel"]):
    """An organisation that runs service units for councils.

    All kinds share the same *mean* efficiency (provider neutrality [002:L234]); they differ
    only through the explicit mechanisms their subclasses add.

    Attributes:
        home_council: index of the council it grew up with.
        reserves: cash reserves (GBP k).
        efficiency: multiplier on delivery cost (mean 1 for every kind).
        units: units it runs now.
        income: this month's income by stream (contract, grant, trading, donations, ...).
        costs: this month's costs.
        months_in_distress: consecutive months with negative reserves.
        founded, failed_at: months it started and failed (None while alive).
        capability: the quality it can deliver when fully funded (same spread for all kinds).
        scope: service types it works in (and bids for).
        debt: social investment still to repay (it grows at `funding.investment_return`).
        income_mix: running average of its monthly income by stream (about a year).
        turnover_estimate: turnover it shows for financial standing before it has a year of
            income of its own (entrants, spin-outs), else None.
    """

    kind: ClassVar[OperatorKind]

    def __init__(self, model: EcosystemModel, home_council: int) -> None:
        super().__init__(model)
        funding = model.params.funding
        self.home_council = home_council
        self.efficiency = float(np.exp(model.rng.normal(0.0, funding.efficiency_spread)))
        self.reserves = 0.0
        self.units: list[ServiceUnit] = []
        self.income = _streams()
        self.costs = 0.0
        self.months_in_distress = 0
        self.founded = int(model.time)
        self.failed_at: int | None = None
        self.cost_shock = 1.0
        self.capability = float(np.clip(model.rng.normal(MEAN_CAPABILITY, CAPABILITY_SPREAD),
                                        *CAPABILITY_BOUNDS))
        self.scope: set[str] = set()
        self.debt = 0.0
        self.income_mix = dict.fromkeys(MIX_STREAMS, 0.0)
        self.turnover_estimate: float | None = None
        self.subcontracts: list[Contract] = []  # work it does on other providers' contracts

    # ----- what differs by kind -------------------------------------------------------------

    def cost_multiplier(self) -> float:
        """Multiplier on the required cost of its units."""
        return self.efficiency * self.cost_shock

    def price_markup(self) -> float:
        """Multiplier on expected cost when it prices a contract: a surplus to reinvest."""
        return 1.0 + self.model.params.funding.surplus_margin

    def unit_cost_factor(self, unit: ServiceUnit) -> float:
        """Extra cost of running `unit` in particular (1 for local organisations)."""
        return 1.0

    def trading_factor(self) -> float:
        """How much trading income it earns relative to a typical operator."""
        return 1.0

    def charge(self, unit: ServiceUnit) -> float:
        """Providers charge what the unit's trading share allows, nothing more."""
        return 0.0

    def volunteer_effectiveness(self) -> float:
        """Share of volunteer hours that turn into delivered work."""
        return 1.0

    def grow(self) -> None:
        """What a provider does with a good month (kinds that grow override this)."""

    def look_for_key_people(self) -> None:
        """Kinds that depend on key people check on them each month (community groups)."""

    @property
    def awaiting_work(self) -> bool:
        """Still waiting for tenders that could give it its first units (spin-outs)."""
        return False

    # ----- units ----------------------------------------------------------------------------

    def take_on(self, unit: ServiceUnit, contract: Contract | None = None) -> None:
        """Start running `unit` under `contract`."""
        self.units.append(unit)
        self.scope.add(unit.service)
        unit.hand_to(self, contract)

    def release(self, unit: ServiceUnit) -> None:
        """Stop running `unit`."""
        if unit in self.units:
            self.units.remove(unit)

    # ----- bidding ----------------------------------------------------------------------------

    def enter(self, service: str, turnover: float) -> None:
        """It sets out to run `service`, showing `turnover` for financial standing."""
        self.scope.add(service)
        self.turnover_estimate = turnover

    @property
    def turnover(self) -> float:
        """Turnover for financial standing: a year of income (or its declared figure)."""
        if self.turnover_estimate is not None:
            return self.turnover_estimate
        return 12 * self.monthly_income

    def asking_price(self, units: list[ServiceUnit], risk_premium: float) -> float:
        """Monthly price it asks for running `units`: expected cost, markup, risk premium."""
        return sum(u.net_cost(self) for u in units) * self.price_markup() * risk_premium

    def will_bid(self, price: float, months: float, bid_cost: float,
                 budget: float | None, incumbent: bool = False) -> bool:
        """Whether a bid at `price` is worth making and can be carried.

        Its margin over the contract must cover the bid cost (an incumbent bids to keep its
        work whenever its reserves can carry the bid cost), the price must be within the
        council's budget, and under payment by results it must have reserves to carry the
        payments held in arrears [002:L637].
        """
        margin = price * (1 - 1 / self.price_markup())
        worth = self.reserves >= bid_cost if incumbent else margin * months >= bid_cost
        if not worth or (budget is not None and price > budget):
            return False
        pbr_share = self.model.params.funding.pbr_share
        return not (pbr_share > 0 and self.reserves < pbr_share * ARREARS_MONTHS * price)

    # ----- money ----------------------------------------------------------------------------

    def new_month(self) -> None:
        """Reset this month's books and draw a cost shock."""
        self.income = _streams()
        self.costs = 0.0
        sd = self.model.params.funding.cost_shock_sd
        self.cost_shock = float(np.exp(self.model.rng.normal(-0.5 * sd**2, sd)))

    def book(self, stream: Income, amount: float) -> None:
        """Record income from one stream."""
        self.income[stream] += amount

    def incur(self, amount: float) -> None:
        """Record a cost (delivery, bids)."""
        self.costs += amount

    def endow(self, amount: float) -> None:
        """Reserves it starts with."""
        self.reserves += amount

    def use_investment(self, fund: np.ndarray) -> None:
        """Social investment: repayable finance when in distress, repaid from surplus.

        What it owes grows each month at the investors' return [002:L643].

        Args:
            fund: what is left of each council area's social investment this year (updated).
        """
        self.debt *= 1.0 + self.model.params.funding.investment_return / 12
        balance = self.reserves + sum(self.income.values()) - self.costs
        if balance < 0 and fund[self.home_council] > 0:
            loan = min(-balance, float(fund[self.home_council]))
            fund[self.home_council] -= loan
            self.debt += loan
            self.book(Income.INVESTMENT, loan)
        elif balance > 0 and self.debt > 0:
            repay = min(REPAYMENT_RATE * self.debt, REPAYMENT_SURPLUS_SHARE * balance)
            self.debt -= repay
            self.costs += repay

    def settle(self) -> bool:
        """Close the month's books; True if the provider is now insolvent.

        A provider with a diverse income rides out distress for longer [000:L32; L42].
        """
        funding = self.model.params.funding
        self.reserves += sum(self.income.values()) - self.costs
        for stream in MIX_STREAMS:
            self.income_mix[stream] += MIX_MEMORY * (self.income[stream]
                                                     - self.income_mix[stream])
        self.months_in_distress = self.months_in_distress + 1 if self.reserves < 0 else 0
        return self.months_in_distress >= funding.insolvency_months * (
            1.0 + funding.diversity_resilience * self.diversity)

    @property
    def diversity(self) -> float:
        """1 - Herfindahl index of its recent income by stream (0: a single stream)."""
        total = sum(self.income_mix.values())
        if total <= 0:
            return 0.0
        return 1.0 - sum((v / total) ** 2 for v in self.income_mix.values())

    def fail(self) -> None:
        """It goes under this month."""
        self.failed_at = self.model.month

    @property
    def monthly_income(self) -> float:
        """All of this month's income."""
        return sum(self.income.values())

    @property
    def young(self) -> bool:
        """Under three years old (provider support goes to these)."""
        return self.model.month - self.founded < YOUNG_MONTHS

    @property
    def in_distress(self) -> bool:
        """Reserves below zero: it cuts spending to what comes in."""
        return self.reserves < 0

    @property
    def local_share(self) -> float:
        """Share of its spend that stays in the area (social value): a local organisation's."""
        return self.model.params.funding.local_share_local


def _streams() -> dict[Any, float]:
    return dict.fromkeys(Income, 0.0)
