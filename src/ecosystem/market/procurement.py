"""Tenders: lots, regimes, eligibility, bids, award and contracts.

A tender covers a lot (one unit, a service's units in a zone, or all of a service's units
in the council), takes the months its regime sets (full EU regime up to two years
[002:L311]) and costs the council and every bidder money. Financial standing (turnover
relative to the lot's value) decides who may bid, which is where small bidders are excluded
[002:L351]. Providers decide whether to bid (`Provider.will_bid`): when the expected margin
covers their bid cost. Commissioning skill sets how accurately bids are judged and how fair
the terms are [002:L819; L843].
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ecosystem.agents import PROVIDER_CLASSES, Council, Mutual, Provider, SocialEnterprise
from ecosystem.market.contracts import award, in_house_rate, offer_contract, subcontract
from ecosystem.names import EventKind, Members, OperatorKind, Spending, TenderStatus
from ecosystem.world.units import ServiceUnit, zone_index

if TYPE_CHECKING:
    from ecosystem.model import EcosystemModel

#: Kinds of new provider that look at tenders, with their relative odds (assumed).
ENTRANT_ODDS = {OperatorKind.PRIVATE: 0.6, OperatorKind.SOCIAL_ENTERPRISE: 0.3,
                OperatorKind.COMMUNITY: 0.1}
#: Turnover of entrants relative to the lot's annual value (median; lognormal, sd 1; assumed).
ENTRANT_TURNOVER = {OperatorKind.PRIVATE: 8.0, OperatorKind.SOCIAL_ENTERPRISE: 1.0,
                    OperatorKind.COMMUNITY: 0.25}
#: A lot is rural when its sites' mean rurality is above this.
RURAL_LOT = 0.5
#: Share of expected entrants a fully rural lot loses [002:L1006] (assumed).
RURAL_ENTRY_LOSS = 0.8
#: Fixed cost of running one tender, for the council and for each bidder (GBP k, before
#: the regime's cost scale; assumed) [002:L311].
COUNCIL_TENDER_FIXED_COST = 10.0
BID_FIXED_COST = 15.0
#: Fewest local community organisations that make a consortium (assumed).
CONSORTIUM_MIN_MEMBERS = 2
#: Most a council pays for a discretionary lot, relative to what it can afford for the
#: units (see `_affordable`; assumed).
BUDGET_TOLERANCE = 1.05
#: Assessment noise on quality (standard deviation at zero skill; assumed) [002:L819].
ASSESSMENT_NOISE = 0.3
#: Spread of the mis-specification of contract terms at zero skill (assumed) [002:L843].
TERMS_NOISE = 0.1
#: Price premium bidders add per unit of payment-by-results share (assumed) [002:L637].
PBR_RISK_PREMIUM = 0.1


@dataclass
class Bid:
    """One provider's bid: its monthly price, its real quality and the council's view of it."""

    provider: Provider  # a new entrant is one too, until it loses
    price: float
    assessed: float
    score: float = 0.0

    @property
    def kind(self) -> OperatorKind:
        """Kind of the bidder."""
        return self.provider.kind


@dataclass
class Tender:
    """A lot put out to tender."""

    id: int
    council: Council
    service: str
    units: list[ServiceUnit]
    rural: bool
    regime: str
    opened: int
    closes: int
    annual_value: float
    budget: float | None = None  # most the council will pay a month, set when it judges bids
    bids: list[Bid] = field(default_factory=list)
    eligible: int = 0
    winner: str = ""
    status: TenderStatus = TenderStatus.OPEN
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


def lot_key(unit: ServiceUnit, lot_size: str) -> tuple[Any, ...]:
    """Units with the same key go into one lot."""
    if lot_size == "unit":
        return (unit.service, unit.index)
    if lot_size == "zone":
        return (unit.service, unit.zone if unit.zone >= 0 else _site_zone(unit))
    return (unit.service,)


def _site_zone(unit: ServiceUnit) -> int:
    x, y = unit.cell.coordinate
    return int(zone_index(unit.model.params, np.array(x), np.array(y)))


def open_tenders(model: EcosystemModel, council: Council,
                 units: list[ServiceUnit]) -> list[Tender]:
    """Put `units` out to tender in lots; the council pays to run each tender.

    A lot the council cannot afford to tender this month (`Council.afford`) waits.
    """
    procurement = council.params.procurement
    lots: dict[tuple[Any, ...], list[ServiceUnit]] = {}
    for unit in units:
        lots.setdefault(lot_key(unit, procurement.lot_size), []).append(unit)
    tenders = []
    for lot in lots.values():
        value = 12 * sum(u.net_cost(council) for u in lot)
        rural = float(np.mean([model.land.rurality[u.cell.coordinate] for u in lot]))
        regime = procurement.regime_for(lot[0].spec.light_touch)
        cost = (COUNCIL_TENDER_FIXED_COST + procurement.council_cost * value) \
            * procurement.cost_scale(regime)
        if not council.afford(cost):
            continue
        council.pay(Spending.PROCUREMENT, cost)
        model.ledger.procurement += cost
        tender = Tender(len(model.tenders), council, lot[0].service, lot, rural > RURAL_LOT,
                        regime, model.month, model.month + procurement.months(regime), value)
        for unit in lot:
            unit.enter_tender(tender)
        model.tenders.append(tender)
        tenders.append(tender)
    return tenders


def close_due_tenders(model: EcosystemModel) -> None:
    """Tenders whose regime time is up are judged and awarded; spin-outs hear the results."""
    for tender in [t for t in model.tenders
                   if t.status == TenderStatus.OPEN and t.closes <= model.month]:
        close_tender(model, tender)
    for mutual in list(model.agents_by_type.get(Mutual, ())):
        if mutual.hear_tender_results():
            model.mutuals_formed += 1
            cooperative = mutual.members == Members.MULTI_STAKEHOLDER
            model.cooperatives_formed += cooperative
            who = "co-operative" if cooperative else "staff spin-out"
            for unit in mutual.units:
                model.record_event(EventKind.SPIN_OUT, unit.council_id, unit.index,
                                   f"{who} that won its open tender", OperatorKind.MUTUAL)


def close_tender(model: EcosystemModel, tender: Tender) -> None:
    """Collect bids, judge them, award the lot or record that no valid bid came."""
    tender.units = [u for u in tender.units if u.is_open]
    if tender.units and not tender.units[0].spec.statutory:
        tender.budget = sum(_specify(tender.council, u) for u in tender.units) \
            * BUDGET_TOLERANCE
    entrants = _entrants(model, tender) if tender.units else []
    tender.bids = _bids(model, tender, entrants) if tender.units else []
    winner = max(tender.bids, key=lambda b: b.score) if tender.bids else None
    for entrant in entrants:
        if winner is None or entrant is not winner.provider:
            entrant.remove()  # a prospective entrant that did not win never starts up
    for unit in tender.units:
        unit.leave_tender(tender)
    _record(model, tender, winner)
    if not tender.units:
        tender.status = TenderStatus.CANCELLED
        return
    if winner is None:
        tender.status = TenderStatus.NO_BID
        model.tenders_without_bid += 1
        return
    tender.winner, tender.status = winner.kind, TenderStatus.AWARDED
    tender.price, tender.capability = winner.price, winner.provider.capability
    if winner.provider in entrants:
        model.entrants += 1
    _award_lot(model, tender, winner.provider)


def _record(model: EcosystemModel, tender: Tender, winner: Bid | None) -> None:
    """One event per unit of the lot: who won, or why nobody did."""
    if winner is None:
        outcome = f"no valid bid ({tender.eligible} eligible)"
    else:
        outcome = f"awarded to a {winner.kind} ({len(tender.bids)} valid bids)"
    for unit in tender.units:
        model.record_event(EventKind.TENDER, tender.council.index, unit.index,
                           f"{tender.regime} tender of {len(tender.units)} unit(s), {outcome}",
                           winner.kind if winner else "")


def _specify(council: Council, unit: ServiceUnit) -> float:
    """Specify a discretionary unit put out to tender; return what the council can pay a month.

    The new contract is for the service level the council's savings plan funds, if that is
    lower: the plan reaches contracts when they are re-let, not mid-term ('reduced
    flexibility' is councils' commonest problem with outsourcing [002:L1005]). A unit already
    under contract is a claim the council has budgeted for: it can pay what the contract pays
    now, scaled to the new level, so a re-tender (a spin-out's first one included [002:L548])
    is a real contest. A unit its own team runs can have what the plan gives it.
    """
    level = min(unit.level, council.level_for(unit.service))
    if unit.contract is not None and unit.contract.council is council:
        budget = unit.contract.monthly_value * unit.net_cost(council, level) \
            / max(unit.net_cost(council), 1e-9)
    else:
        budget = in_house_rate(council, unit)
    unit.level = level
    return budget


def _award_lot(model: EcosystemModel, tender: Tender, provider: Provider) -> None:
    """Contracts for every unit of the lot at the provider's price, on the council's terms."""
    skill = tender.council.commissioning_skill
    fairness = float(np.exp(model.rng.normal(0.0, TERMS_NOISE * (1 - skill))))
    factor = fairness * _risk_premium(model)
    for unit in tender.units:
        contract = offer_contract(tender.council, provider, unit, model.month)
        assert contract is not None  # no budget given: always offered
        contract.fixed *= factor
        contract.rate *= factor
        contract.pbr_share = model.params.funding.pbr_share
        contract.tender = tender.id
        award(contract)
    share = model.params.procurement.local_subcontracting
    if provider.kind == OperatorKind.PRIVATE and share > 0:
        local = _local_partner(model, tender)
        for unit in tender.units:
            assert unit.contract is not None
            subcontract(unit.contract, local, share)
        model.record_event(EventKind.SUBCONTRACT, tender.council.index, tender.units[0].index,
                           f"the winning firm subcontracts {share:.0%} of the work on "
                           f"{len(tender.units)} unit(s) to a local {local.kind}", local.kind)


def _local_partner(model: EcosystemModel, tender: Tender) -> Provider:
    """The local organisation a winning firm subcontracts to [002:L321].

    The council's social enterprise or community group already in the service, else its
    largest one, else a new local social enterprise (a local SME).
    """
    kinds = (OperatorKind.SOCIAL_ENTERPRISE, OperatorKind.COMMUNITY)
    local = [p for p in model.providers if p.home_council == tender.council.index
             and p.failed_at is None and p.kind in kinds]
    if not local:
        return SocialEnterprise(model, tender.council.index)
    return max(local, key=lambda p: (tender.service in p.scope, p.turnover, p.unique_id))


def _risk_premium(model: EcosystemModel) -> float:
    """Bidders price in the risk of payment by results."""
    return 1.0 + PBR_RISK_PREMIUM * model.params.funding.pbr_share


def _bids(model: EcosystemModel, tender: Tender, entrants: list[Provider]) -> list[Bid]:
    """Every valid bid: eligible providers who decide the lot is worth bidding for."""
    procurement = tender.council.params.procurement
    bid_cost = (BID_FIXED_COST + procurement.bid_cost * tender.annual_value) \
        * procurement.cost_scale(tender.regime)
    months = procurement.contract_years * 12
    tender.eligible = 0
    bids = []
    bidders = [p for p in model.providers if _may_bid(p, tender)] + entrants
    standing = {bidder: bidder.turnover for bidder in bidders}
    standing.update(_consortium(model, tender, bidders))
    for bidder, turnover in standing.items():
        if turnover < procurement.financial_standing_ratio * tender.annual_value:
            continue
        tender.eligible += 1
        price = bidder.asking_price(tender.units, _risk_premium(model))
        incumbent = any(u.operator is bidder for u in tender.units)
        if not bidder.will_bid(price, months, bid_cost, tender.budget, incumbent):
            continue
        if bidder not in entrants:
            bidder.incur(bid_cost)
            model.ledger.provider_costs += bid_cost
        noise = model.rng.normal(0.0, ASSESSMENT_NOISE * (1 - tender.council.commissioning_skill))
        bids.append(Bid(bidder, price, bidder.capability + noise))
    _score(tender, bids)
    return bids


def _consortium(model: EcosystemModel, tender: Tender,
                bidders: list[Provider]) -> dict[Provider, float]:
    """A consortium of the council's own community organisations for a multi-unit lot.

    Returns:
        {lead: combined turnover}, or nothing when consortia are not allowed or fewer than
        two local community groups and social enterprises could join.
    """
    if not model.params.procurement.consortium_bids or len(tender.units) < 2 \
            or tender.units[0].spec.volunteerable <= 0:
        return {}
    members = [p for p in model.providers if p not in bidders and p.failed_at is None
               and p.home_council == tender.council.index
               and p.kind in (OperatorKind.COMMUNITY, OperatorKind.SOCIAL_ENTERPRISE)]
    if len(members) < CONSORTIUM_MIN_MEMBERS:
        return {}
    lead = max(members, key=lambda p: (p.turnover, p.unique_id))
    return {lead: sum(p.turnover for p in members)}


def _may_bid(provider: Provider, tender: Tender) -> bool:
    """Providers bid for services they work in, in councils where they work."""
    if provider.kind == OperatorKind.COMMUNITY:
        return len(tender.units) == 1 and tender.units[0].spec.volunteerable > 0 \
            and provider.home_council == tender.council.index and not provider.units
    here = provider.home_council == tender.council.index or any(
        u.council_id == tender.council.index for u in provider.units)
    return here and tender.service in provider.scope


def _entrants(model: EcosystemModel, tender: Tender) -> list[Provider]:
    """New providers drawn to the tender: fewer for sparse rural lots [002:L1006].

    They are created as providers so they can price the lot; those that lose are removed.
    """
    procurement = model.params.procurement
    rurality = np.mean([model.land.rurality[u.cell.coordinate] for u in tender.units])
    count = model.rng.poisson(procurement.entrants_per_tender * (1.0 - RURAL_ENTRY_LOSS
                                                                 * rurality))
    kinds = list(ENTRANT_ODDS)
    odds = np.array([ENTRANT_ODDS[k] * (tender.units[0].spec.volunteerable
                                        if k == OperatorKind.COMMUNITY else 1.0) for k in kinds])
    entrants = []
    for i in model.rng.choice(len(kinds), size=count, p=odds / odds.sum()):
        entrant = PROVIDER_CLASSES[kinds[i]](model, tender.council.index)
        turnover = ENTRANT_TURNOVER[kinds[i]] * tender.annual_value \
            * float(model.rng.lognormal(0.0, 1.0))
        reserves = model.params.funding.opening_reserves_months * tender.annual_value / 12
        entrant.enter(tender.service, turnover)
        entrant.endow(reserves)
        entrants.append(entrant)
    return entrants


def _score(tender: Tender, bids: list[Bid]) -> None:
    procurement = tender.council.params.procurement
    if not bids:
        return
    weights = np.array([procurement.price_weight, procurement.quality_weight,
                        procurement.social_value_weight])
    weights = weights / weights.sum()
    cheapest = min(b.price for b in bids)
    for bid in bids:
        bid.score = (weights[0] * cheapest / bid.price + weights[1] * bid.assessed
                     + weights[2] * bid.provider.local_share)
