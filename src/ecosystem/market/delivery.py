"""Monthly delivery: every operator runs its units, money moves, quality follows funding.

Units are few, so this is a short loop per unit. Every pound a council spends is either an
in-house delivery cost, a contract payment (provider income), a grant (provider income) or
capacity building (a recorded cost); `Ledger` keeps the month's totals so tests can check
that money balances.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from ecosystem.market.commissioning import community_rescue
from ecosystem.market.contracts import (
    bring_in_house,
    can_take_back,
    end_contract,
    trading_income,
)


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


def deliver_all(model) -> None:
    """Run every open unit for one month and act on units below standard too long."""
    for unit in model.units:
        if unit.is_open:
            _deliver(model, unit)
            if unit.check_standard():
                _respond_to_failing_unit(model, unit)
            elif unit.status == "degraded" and unit.operator.kind == "council":
                community_rescue(model, unit)  # a monthly chance while it is threatened


def _deliver(model, unit) -> None:
    funding, ledger = model.scenario.funding, model.ledger
    operator = unit.operator
    required = unit.required_cost() * operator.cost_multiplier() * operator.unit_cost_factor(unit)
    effectiveness = getattr(operator, "volunteer_effectiveness", lambda: 1.0)()
    volunteers = min(unit.volunteer_hours * funding.volunteer_hour_value * effectiveness,
                     unit.spec.volunteerable * required)
    trading = trading_income(unit, operator, required)
    ledger.trading += trading
    if operator.kind == "council":
        budget = unit.allocation
        if unit.spec.statutory:  # need-led: the funding rate follows this month's need
            budget = (required - volunteers) * operator.statutory_factor
        paid = max(min(required - volunteers, budget + trading), 0.0)
        operator.pay("in_house", paid)
        unit.council_cost = paid - trading
        operator.trading_income += trading
        ledger.in_house_costs += paid
    else:
        payment = unit.contract.pay_month(unit.served, results(model, unit))
        unit.contract.paid += payment
        unit.contract.performance.append(unit.quality)
        model.councils[unit.council_id].pay("contracts", payment)
        unit.council_cost = payment
        operator.book("contract", payment)
        operator.book("trading", trading)
        donations = unit.volunteer_hours * funding.donations_per_volunteer_hour \
            if operator.kind == "community" else 0.0
        operator.book("donations", donations)
        paid = required - volunteers
        if operator.in_distress:
            paid = min(paid, payment + trading + donations)
        operator.costs += paid
        ledger.contract_payments += payment
        ledger.donations += donations
        ledger.provider_costs += paid
    if unit.service == "adult_social_care":
        _pooled_contribution(model, unit)
    unit.spent = paid
    unit.volunteer_share = volunteers / required if required > 0 else 0.0
    unit.update_quality((paid + volunteers) / max(required, 1e-9), model.rng)


def _pooled_contribution(model, unit) -> None:
    """Health pays a tenth of the pooled share of adult social care costs [002:L130; L724]."""
    contribution = 0.1 * model.scenario.funding.pooled_budget_share * unit.council_cost
    if contribution > 0:
        council = model.councils[unit.council_id]
        council.partner_income += contribution
        unit.council_cost -= contribution
        model.ledger.partner_funding += contribution


def results(model, unit) -> float:
    """Results a contract pays on (0..1): quality from the standard up to 0.9 (assumed)."""
    standard = model.scenario.services.quality_standard
    return min(max((unit.quality - standard) / max(0.9 - standard, 1e-9), 0.0), 1.0)


def _respond_to_failing_unit(model, unit) -> None:
    """Below standard too long: replace the operator if someone can, else close."""
    council = model.councils[unit.council_id]
    if unit.operator.kind == "council":
        if unit.spec.statutory:  # a statutory duty: the council must keep delivering
            unit.months_below = 0
        else:
            unit.close("underfunded")
        return
    if unit.spec.statutory or can_take_back(council):
        bring_in_house(council, unit)
        unit.months_below = 0
        return
    cause = "volunteers_lost" if unit.operator.kind == "community" else "below_standard"
    end_contract(unit.contract)
    unit.close(cause)


def support_communities(model, council) -> None:
    """Capacity-building spend: a share as grants to the council's community groups."""
    cap = model.scenario.capacity
    amount = cap.community_support / 12.0
    groups = [p for p in model.providers_of(council.index) if p.kind == "community"]
    grants = cap.support_grant_share * amount if groups else 0.0
    for group in groups:
        group.book("grant", grants / len(groups))
    council.pay("support", amount)
    model.ledger.grants += grants
    model.ledger.capacity_building += amount - grants
