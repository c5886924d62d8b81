"""Tenders: lots, regimes, eligibility, bids, award and contracts.

A tender covers a lot (one unit, a service's units in a zone, or all of a service's units
in the council), takes the months its regime sets (full EU regime up to two years
[002:L311]) and costs the council and every bidder money. Financial standing (turnover
relative to the lot's value) decides who may bid, which is where small bidders are excluded
[002:L351]. Providers bid when the expected margin covers their bid cost. Commissioning
skill sets how accurately bids are judged and how fair the terms are [002:L819; L843].
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ecosystem.agents import PROVIDER_KINDS
from ecosystem.market.contracts import award, expected_net_cost, offer_contract
from ecosystem.world.units import zone_index

#: Kinds of new provider that look at tenders, with their relative odds (assumed).
ENTRANT_ODDS = {"private": 0.6, "social_enterprise": 0.3, "community": 0.1}
#: Turnover of entrants relative to the lot's annual value (median; lognormal, sd 1; assumed).
ENTRANT_TURNOVER = {"private": 8.0, "social_enterprise": 1.0, "community": 0.25}


@dataclass
class Bid:
    """One provider's bid: its monthly price, its real quality and the council's view of it."""

    provider: Any  # a Provider (a new entrant is one too, until it loses)
    price: float
    assessed: float
    score: float = 0.0

    @property
    def kind(self) -> str:
        """Kind of the bidder."""
        return self.provider.kind


@dataclass
class Tender:
    """A lot put out to tender."""

    id: int
    council: Any
    service: str
    units: list
    rural: bool
    regime: str
    opened: int
    closes: int
    annual_value: float
    budget: float | None = None  # most the council will pay a month, set when it judges bids
    bids: list[Bid] = field(default_factory=list)
    eligible: int = 0
    winner: str = ""
    status: str = "open"
    price: float = float("nan")  # winning monthly price
    capability: float = float("nan")  # winner's real quality capability

    def record(self) -> dict[str, Any]:
        """One row of tenders.parquet."""
        return {
            "tender": self.id, "council": self.council.index, "service": self.service,
            "units": len(self.units), "rural": self.rural, "regime": self.regime,
            "opened": self.opened, "closed": self.closes, "annual_value": self.annual_value,
            "eligible": self.eligible, "bids": len(self.bids), "winner": self.winner,
            "status": self.status, "price_ratio": self.price * 12 / self.annual_value
            if self.annual_value > 0 else float("nan"), "winner_capability": self.capability,
        }


def lot_key(unit, lot_size: str) -> tuple:
    """Units with the same key go into one lot."""
    if lot_size == "unit":
        return (unit.service, unit.index)
    if lot_size == "zone":
        return (unit.service, unit.zone if unit.zone >= 0 else _site_zone(unit))
    return (unit.service,)


def _site_zone(unit) -> int:
    x, y = unit.cell.coordinate
    return int(zone_index(unit.model.scenario, np.array(x), np.array(y)))


def open_tenders(model, council, units: list) -> list[Tender]:
    """Put `units` out to tender in lots; the council pays to run each tender."""
    procurement = model.scenario.procurement
    lots: dict[tuple, list] = {}
    for unit in units:
        lots.setdefault(lot_key(unit, procurement.lot_size), []).append(unit)
    tenders = []
    for lot in lots.values():
        value = 12 * sum(expected_net_cost(u, council) for u in lot)
        rural = float(np.mean([model.land.rurality[u.cell.coordinate] for u in lot]))
        cost = (10.0 + procurement.council_cost * value) * procurement.cost_scale()
        council.pay("procurement", cost)
        model.ledger.procurement += cost
        tender = Tender(len(model.tenders), council, lot[0].service, lot, rural > 0.5,
                        procurement.regime, model.month, model.month + procurement.months(),
                        value)
        for unit in lot:
            unit.tender = tender
        model.tenders.append(tender)
        tenders.append(tender)
    return tenders


def _affordable(council) -> float:
    """How much of its own cost estimate the council can pay for a discretionary lot."""
    return min(1.0, council.discretionary_factor) * 1.05


def close_tender(model, tender: Tender) -> None:
    """Collect bids, judge them, award the lot or record that no valid bid came."""
    tender.units = [u for u in tender.units if u.is_open]
    if tender.units and not tender.units[0].spec.statutory:  # what the council can pay now
        tender.budget = sum(expected_net_cost(u, tender.council) for u in tender.units) \
            * _affordable(tender.council)
    entrants = _entrants(model, tender) if tender.units else []
    tender.bids = _bids(model, tender, entrants) if tender.units else []
    winner = max(tender.bids, key=lambda b: b.score) if tender.bids else None
    for entrant in entrants:
        if winner is None or entrant is not winner.provider:
            entrant.remove()  # a prospective entrant that did not win never starts up
    _release(tender)
    if not tender.units:
        tender.status = "cancelled"
        return
    if winner is None:
        tender.status = "no_bid"
        model.tenders_without_bid += 1
        return
    tender.winner, tender.status = winner.kind, "awarded"
    tender.price, tender.capability = winner.price, winner.provider.capability
    if winner.provider in entrants:
        model.entrants += 1
    _award_lot(model, tender, winner.provider)


def _award_lot(model, tender: Tender, provider) -> None:
    """Contracts for every unit of the lot at the provider's price, on the council's terms."""
    skill = tender.council.commissioning_skill
    fairness = float(np.exp(model.rng.normal(0.0, 0.1 * (1 - skill))))  # mis-specified terms
    factor = fairness * _risk_premium(model)
    for unit in tender.units:
        contract = offer_contract(tender.council, provider, unit, model.month)
        contract.fixed *= factor
        contract.rate *= factor
        contract.pbr_share = model.scenario.funding.pbr_share
        contract.tender = tender.id
        award(contract)


def _risk_premium(model) -> float:
    """Bidders price in the risk of payment by results."""
    return 1.0 + 0.1 * model.scenario.funding.pbr_share


def _release(tender: Tender) -> None:
    for unit in tender.units:
        if getattr(unit, "tender", None) is tender:
            unit.tender = None


def _bids(model, tender: Tender, entrants: list) -> list[Bid]:
    """Every valid bid: eligible providers whose expected margin covers their bid cost."""
    procurement, funding = model.scenario.procurement, model.scenario.funding
    bid_cost = (15.0 + procurement.bid_cost * tender.annual_value) * procurement.cost_scale()
    months = procurement.contract_years * 12
    tender.eligible = 0
    bids = []
    for bidder in [p for p in model.providers if _may_bid(p, tender)] + entrants:
        if _turnover(bidder) < procurement.financial_standing_ratio * tender.annual_value:
            continue
        tender.eligible += 1
        price = sum(expected_net_cost(u, bidder) for u in tender.units) \
            * bidder.price_markup() * _risk_premium(model)
        margin = price * (1 - 1 / bidder.price_markup())
        if margin * months < bid_cost or (tender.budget is not None and price > tender.budget):
            continue
        if funding.pbr_share > 0 and bidder.reserves < funding.pbr_share * 3 * price:
            continue  # cannot carry the cash-flow risk of payment by results
        if bidder not in entrants:
            bidder.costs += bid_cost
            model.ledger.provider_costs += bid_cost
        noise = model.rng.normal(0.0, 0.3 * (1 - tender.council.commissioning_skill))
        bids.append(Bid(bidder, price, bidder.capability + noise))
    _score(model, bids)
    return bids


def _may_bid(provider, tender: Tender) -> bool:
    """Providers bid for services they work in, in councils where they work."""
    if provider.kind == "community":
        return len(tender.units) == 1 and tender.units[0].spec.volunteerable > 0 \
            and provider.home_council == tender.council.index and not provider.units
    here = provider.home_council == tender.council.index or any(
        u.council_id == tender.council.index for u in provider.units)
    return here and tender.service in provider.scope


def _entrants(model, tender: Tender) -> list:
    """New providers drawn to the tender: fewer for sparse rural lots [002:L1006].

    They are created as providers so they can price the lot; those that lose are removed.
    """
    procurement = model.scenario.procurement
    rurality = np.mean([model.land.rurality[u.cell.coordinate] for u in tender.units])
    count = model.rng.poisson(procurement.entrants_per_tender * (1.0 - 0.8 * rurality))
    kinds = list(ENTRANT_ODDS)
    odds = np.array([ENTRANT_ODDS[k] * (tender.units[0].spec.volunteerable if k == "community"
                                        else 1.0) for k in kinds])
    entrants = []
    for i in model.rng.choice(len(kinds), size=count, p=odds / odds.sum()):
        entrant = PROVIDER_KINDS[kinds[i]](model, tender.council.index)
        entrant.turnover_estimate = ENTRANT_TURNOVER[kinds[i]] * tender.annual_value \
            * float(model.rng.lognormal(0.0, 1.0))
        entrant.reserves = model.scenario.funding.opening_reserves_months \
            * tender.annual_value / 12
        entrant.scope.add(tender.service)
        entrants.append(entrant)
    return entrants


def _turnover(provider) -> float:
    """Turnover for financial standing: a year of income (or an entrant's own figure)."""
    estimate = getattr(provider, "turnover_estimate", None)
    return estimate if estimate is not None else 12 * provider.monthly_income


def _score(model, bids: list[Bid]) -> None:
    procurement = model.scenario.procurement
    if not bids:
        return
    weights = np.array([procurement.price_weight, procurement.quality_weight,
                        procurement.social_value_weight])
    weights = weights / weights.sum()
    cheapest = min(b.price for b in bids)
    for bid in bids:
        bid.score = (weights[0] * cheapest / bid.price + weights[1] * bid.assessed
                     + weights[2] * bid.provider.local_share)
