"""Contracts between councils and providers: terms, payment, letting and ending them.

The bottom of the market layer: it imports nothing above the agents.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ecosystem.agents import Council, Provider
from ecosystem.names import ContractBasis, Income, Spending
from ecosystem.scenario.procurement_rules import ARREARS_MONTHS
from ecosystem.world.units import ServiceUnit

if TYPE_CHECKING:
    from ecosystem.model import EcosystemModel


@dataclass
class Contract:
    """A council's contract with a provider for one unit.

    Payment is `fixed` a month plus `rate` per need unit served: a block contract has
    rate 0, a per-user contract (default for statutory services) fixed 0.
    """

    council: Council
    provider: Provider
    unit: ServiceUnit
    fixed: float
    rate: float
    basis: ContractBasis
    start: int
    end: int
    paid: float = 0.0
    pbr_share: float = 0.0
    tender: int = -1
    exempt: bool = False
    retendered: bool = False
    renewal: Contract | None = None  # agreed in advance, takes over at the end
    subcontractor: Provider | None = None  # a local organisation doing part of the work
    subcontract_share: float = 0.0
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

    def record(self) -> dict[str, Any]:
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


def offer_contract(council: Council, provider: Provider, unit: ServiceUnit, start: int,
                   budget: float | None = None, accept_share: float = 1.0) -> Contract | None:
    """`provider`'s contract for `unit`, or None if the council's budget is too small.

    The asking price is the provider's expected net cost times its markup (a margin for
    private firms). `budget` is the most the council will pay a month (None: no limit); the
    provider takes the budget if it is at least `accept_share` of its asking price.
    """
    price = unit.net_cost(provider) * provider.price_markup()
    if budget is not None:
        if budget < accept_share * price:
            return None
        price = min(price, budget)
    years = unit.model.params.procurement.contract_years
    end = start + int(round(years * 12))
    if unit.spec.statutory:
        return Contract(council, provider, unit, 0.0, price / max(unit.served, 1.0),
                        ContractBasis.PER_USER, start, end)
    return Contract(council, provider, unit, price, 0.0, ContractBasis.BLOCK, start, end)


def end_contract(contract: Contract | None) -> None:
    """A contract ends: arrears still owed under payment by results are paid off.

    Under an emergency spending freeze they are paid at the share its rationing allows
    for contracts, and the rest is lost to the provider.
    """
    if contract is None or contract not in contract.council.contracts:
        return
    contract.council.end(contract)
    drop_subcontractor(contract)
    owed = contract.council.rationed(contract.unit, sum(contract.arrears))
    contract.arrears.clear()
    if owed > 0:
        contract.council.pay(Spending.CONTRACTS, owed)
        contract.provider.book(Income.CONTRACT, owed)
        contract.unit.model.ledger.contract_payments += owed


def subcontract(contract: Contract, subcontractor: Provider, share: float) -> None:
    """`subcontractor` does `share` of the contract's work for that share of its payment."""
    contract.subcontractor, contract.subcontract_share = subcontractor, share
    subcontractor.subcontracts.append(contract)
    subcontractor.scope.add(contract.unit.service)


def drop_subcontractor(contract: Contract) -> None:
    """The subcontract ends: the prime does all the work again."""
    if contract.subcontractor is not None:
        contract.subcontractor.subcontracts.remove(contract)
    contract.subcontractor, contract.subcontract_share = None, 0.0


def award(contract: Contract) -> None:
    """Hand the unit to the contracted provider; any contract it had is superseded."""
    unit = contract.unit
    end_contract(unit.contract)
    if unit.operator is not None:
        unit.operator.release(unit)
    contract.provider.take_on(unit, contract)
    contract.council.sign(contract)
    unit.model.contract_log.append(contract)


def bring_in_house(council: Council, unit: ServiceUnit) -> None:
    """The council's own team takes the unit on, at the service level its plan funds."""
    if unit.operator is not None:
        unit.operator.release(unit)
    end_contract(unit.contract)
    council.take_on(unit)
    if not unit.spec.statutory:
        unit.level = min(unit.level, council.level_for(unit.service))
    unit.fund(unit.net_cost(council))


def in_house_rate(council: Council, unit: ServiceUnit) -> float:
    """What the council's savings plan gives `unit` a month: its cost at the planned level."""
    return unit.net_cost(council, min(unit.level, council.level_for(unit.service)))


def unit_budget(council: Council, unit: ServiceUnit) -> float | None:
    """Most the council will pay a month to re-let `unit` (None for statutory: need-led)."""
    return None if unit.spec.statutory else in_house_rate(council, unit)


def give_grant(council: Council, provider: Provider, amount: float) -> None:
    """The council gives `provider` a grant (start-up or rescue support)."""
    council.pay(Spending.SUPPORT, amount)
    provider.book(Income.GRANT, amount)
    council.model.ledger.grants += amount


def lease_upkeep(model: EcosystemModel, group: Provider, unit: ServiceUnit) -> float:
    """The monthly share of a leased building's running cost the group pays itself."""
    return model.params.capacity.lease_upkeep * unit.level * unit.spec.fixed_cost \
        * group.cost_multiplier() / group.cost_shock
