"""Monthly delivery: every operator runs its units, money moves, quality follows funding.

Units are few, so this is a short loop per unit. Every pound a council spends is either an
in-house delivery cost, a contract payment (provider income), a grant (provider income) or
capacity building (a recorded cost); `Ledger` keeps the month's totals so tests can check
that money balances.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

from ecosystem.agents import Council, Provider
from ecosystem.market.commissioning import community_rescue
from ecosystem.market.contracts import bring_in_house, end_contract
from ecosystem.market.operations_contracts import answer_for_operator, return_to_owner
from ecosystem.names import ClosureCause, EventKind, Income, OperatorKind, Spending
from ecosystem.world.units import ServiceUnit

if TYPE_CHECKING:
    from ecosystem.model import EcosystemModel

#: Quality at which a payment-by-results contract pays in full (assumed).
FULL_RESULTS_QUALITY = 0.9


@dataclass
class Ledger:
    """The month's money flows, all in GBP k."""

    in_house_costs: float = 0.0
    contract_payments: float = 0.0
    grants: float = 0.0
    capacity_building: float = 0.0
    provider_costs: float = 0.0
    procurement: float = 0.0
    reviews: float = 0.0
    training: float = 0.0
    partner_funding: float = 0.0
    trading: float = 0.0
    donations: float = 0.0

    def as_dict(self) -> dict[str, float]:
        """Field name to value."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


def deliver_all(model: EcosystemModel) -> None:
    """Run every open unit for one month and act on units below standard too long."""
    for unit in model.units:
        if unit.is_open and _notice_ends(model, unit):
            unit.close(ClosureCause.DECOMMISSIONED, "the savings plan's last resort, after "
                       f"{model.params.councils.closure_notice_months} months' notice")
        if unit.is_open:
            _deliver(model, unit)
            if unit.check_standard():
                _respond_to_failing_unit(model, unit)
            elif unit.threatened and unit.in_house:
                community_rescue(model, unit)  # a monthly chance while it is threatened


def _notice_ends(model: EcosystemModel, unit: ServiceUnit) -> bool:
    """Its notice of closure is up and no one has taken it on (or is tendering for it)."""
    return unit.closing_at is not None and model.month >= unit.closing_at \
        and unit.in_house and unit.tender is None


def _deliver(model: EcosystemModel, unit: ServiceUnit) -> None:
    funding = model.params.funding
    operator = unit.operator
    assert operator is not None  # open units have an operator
    required = unit.required_cost() * operator.cost_multiplier() * operator.unit_cost_factor(unit)
    volunteers = min(unit.volunteer_hours * funding.volunteer_hour_value
                     * operator.volunteer_effectiveness(), unit.spec.volunteerable * required)
    trading = unit.trading_income(operator, required)
    model.ledger.trading += trading
    if isinstance(operator, Council):
        paid, council_cost = _run_in_house(model, unit, operator, required - volunteers,
                                           trading)
    else:
        assert isinstance(operator, Provider)
        paid, council_cost = _run_under_contract(model, unit, operator, required - volunteers,
                                                 trading)
    unit.record_delivery(paid, council_cost, volunteers / required if required > 0 else 0.0)
    _pooled_contribution(model, unit)
    unit.update_quality((paid + volunteers) / max(required, 1e-9), model.rng)


def _run_in_house(model: EcosystemModel, unit: ServiceUnit, council: Council, cost: float,
                  trading: float) -> tuple[float, float]:
    """The council's team runs the unit on its allocation (need-led if statutory).

    Returns:
        What was spent on delivery, and what it cost the council net of trading.
    """
    budget = unit.allocation
    if unit.spec.statutory:  # need-led at its level: the funding follows this month's need
        budget = cost
    budget = council.rationed(unit, budget)
    paid = max(min(cost, budget + trading), 0.0)
    council.pay(Spending.IN_HOUSE, paid)
    council.earn_trading(trading)
    model.ledger.in_house_costs += paid
    return paid, paid - trading


def _run_under_contract(model: EcosystemModel, unit: ServiceUnit, provider: Provider,
                        cost: float, trading: float) -> tuple[float, float]:
    """A provider runs the unit on its contract, trading and donations.

    Returns:
        What was spent on delivery, and what it cost the council (the contract payment).
    """
    funding, ledger, contract = model.params.funding, model.ledger, unit.contract
    assert contract is not None  # a provider runs a unit under a contract
    payment = contract.council.rationed(unit, contract.pay_month(unit.served,
                                                                 results(model, unit)))
    contract.paid += payment
    contract.performance.append(unit.quality)
    model.councils[unit.council_id].pay(Spending.CONTRACTS, payment)
    kept = 1.0 - contract.subcontract_share
    if contract.subcontractor is not None:  # it does its share of the work for its share
        contract.subcontractor.book(Income.CONTRACT, (1 - kept) * payment)
        contract.subcontractor.incur((1 - kept) * cost)
    provider.book(Income.CONTRACT, kept * payment)
    provider.book(Income.TRADING, trading)
    donations = unit.volunteer_hours * funding.donations_per_volunteer_hour \
        if provider.kind == OperatorKind.COMMUNITY else 0.0
    provider.book(Income.DONATIONS, donations)
    paid = kept * cost
    if provider.in_distress:
        paid = min(paid, kept * payment + trading + donations)
    provider.incur(paid)
    paid += (1 - kept) * cost
    ledger.contract_payments += payment
    ledger.donations += donations
    ledger.provider_costs += paid
    return paid, payment


def _pooled_contribution(model: EcosystemModel, unit: ServiceUnit) -> None:
    """Partners (health; a community budget's bodies) pay part of a pooled unit's costs.

    See market/community_budget.py [002:L130; L724].
    """
    contribution = model.community_budget.contribution(model.params, unit)
    if contribution > 0:
        model.councils[unit.council_id].receive_partner_funding(contribution)
        unit.credit_partner_funding(contribution)
        model.ledger.partner_funding += contribution


def results(model: EcosystemModel, unit: ServiceUnit) -> float:
    """Results a contract pays on (0..1): quality from the standard up to full results."""
    standard = model.params.services.quality_standard
    return min(max((unit.quality - standard) / max(FULL_RESULTS_QUALITY - standard, 1e-9), 0.0),
               1.0)


def _respond_to_failing_unit(model: EcosystemModel, unit: ServiceUnit) -> None:
    """Below standard too long: replace the operator if someone can, else close."""
    council = model.councils[unit.council_id]
    if unit.in_house:
        if unit.spec.statutory:  # a statutory duty: the council must keep delivering
            unit.clear_standard()
        else:
            unit.close(ClosureCause.UNDERFUNDED, "below standard too long on its in-house funding")
        return
    answer_for_operator(council, unit)
    if unit.ownership_retained:
        return_to_owner(model, council, unit, "below standard too long under its operator, "
                        "and the council owns it")
        return
    if unit.spec.statutory or council.can_take_back():
        model.record_event(EventKind.BROUGHT_IN_HOUSE, council.index, unit.index,
                           "below standard too long under its provider", unit.operator_kind)
        bring_in_house(council, unit)
        unit.clear_standard()
        return
    cause = ClosureCause.VOLUNTEERS_LOST if unit.operator_kind == OperatorKind.COMMUNITY \
        else ClosureCause.BELOW_STANDARD
    end_contract(unit.contract)
    unit.close(cause, "below standard too long, and the council could not afford to take it back")
