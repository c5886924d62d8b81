"""Who runs each unit: the opening market, contract management, failure and community rescue.

Councils let the opening contracts, monitor and re-let contracts, respond when a provider
fails, and accept community groups that step in to save threatened units.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ecosystem.agents import PROVIDER_CLASSES, CommunityGroup, Council, Provider
from ecosystem.market.contracts import (
    Contract,
    award,
    bring_in_house,
    drop_subcontractor,
    end_contract,
    give_grant,
    offer_contract,
    unit_budget,
)
from ecosystem.market.joint_ventures import manage_joint_ventures
from ecosystem.market.operations_contracts import answer_for_operator, return_to_owner
from ecosystem.market.procurement import close_due_tenders, open_tenders
from ecosystem.market.reviews import advance_reviews, hold_elections, open_review, trigger_reviews
from ecosystem.market.transformation import advance_programmes
from ecosystem.names import (
    ClosureCause,
    ContractBasis,
    EventKind,
    OperatorKind,
    ReviewTrigger,
)
from ecosystem.world.units import ServiceUnit

if TYPE_CHECKING:
    from ecosystem.model import EcosystemModel

#: Largest share of a council's units run externally at month 0 (assumed).
MAX_OPENING_EXTERNAL_SHARE = 0.9
#: Relative odds of each provider kind winning an opening contract (assumed); the social
#: enterprise odds rise with the service's trading share, the community odds with how much
#: volunteers can do.
OPENING_ODDS = {OperatorKind.PRIVATE: 1.0, OperatorKind.SOCIAL_ENTERPRISE: 0.3,
                OperatorKind.MUTUAL: 0.1, OperatorKind.COMMUNITY: 1.2}
#: Most units one opening provider of each kind runs (assumed).
OPENING_UNITS_PER_PROVIDER = {OperatorKind.PRIVATE: 4, OperatorKind.SOCIAL_ENTERPRISE: 3,
                              OperatorKind.MUTUAL: 6, OperatorKind.COMMUNITY: 1}
#: Months below standard after which contract monitoring can detect poor performance, and
#: the detection chance at full commissioning skill [002:L819] (assumed).
MONITORING_MONTHS = 3
DETECTION_AT_FULL_SKILL = 0.5
#: A rescuing community group gets this many months of its contract value as a start-up
#: grant (assumed).
RESCUE_GRANT_MONTHS = 2


def commissioning_round(model: EcosystemModel) -> None:
    """The councils' monthly commissioning, in a fixed order.

    Due tenders close; then each council builds capacity, manages its contracts and moves
    its reviews on; elections come, and then joint ventures (which a change of control may
    end) are managed.
    """
    close_due_tenders(model)
    for council in model.councils:
        council.build_capacity()
        manage_contracts(model, council)
        trigger_reviews(model, council)
        advance_reviews(model, council)
        advance_programmes(model, council)
    hold_elections(model)
    manage_joint_ventures(model)


def open_market(model: EcosystemModel) -> None:
    """Month 0: about a third of units run externally, varying between councils [002:L252]."""
    rng, councils = model.rng, model.params.councils
    catalogue = model.params.services.catalogue
    for council in model.councils:
        units = [u for u in model.units if u.council_id == council.index]
        for unit in units:
            council.take_on(unit)
        protected = {name for name, spec in catalogue.items() if rng.random() < spec.protected}
        eligible = [u for u in units if u.service not in protected]
        share = float(np.clip(rng.normal(councils.external_share, councils.external_share_spread),
                              0.0, MAX_OPENING_EXTERNAL_SHARE))
        count = min(len(eligible), int(round(share * len(units))))
        if count == 0:
            continue
        weights = np.array([u.spec.outsourcing_affinity for u in eligible]) + 1e-9
        chosen = rng.choice(len(eligible), size=count, replace=False, p=weights / weights.sum())
        pools: dict[OperatorKind, list[Provider]] = {}
        for i in sorted(chosen):
            _let_opening_contract(model, council, eligible[i], pools)


def _opening_kind(model: EcosystemModel, unit: ServiceUnit) -> OperatorKind:
    spec = unit.spec
    kinds = list(OPENING_ODDS)
    weights = np.array([OPENING_ODDS[OperatorKind.PRIVATE],
                        OPENING_ODDS[OperatorKind.SOCIAL_ENTERPRISE] + spec.trading_share,
                        OPENING_ODDS[OperatorKind.MUTUAL],
                        OPENING_ODDS[OperatorKind.COMMUNITY] * spec.volunteerable])
    return kinds[model.rng.choice(len(kinds), p=weights / weights.sum())]


def _let_opening_contract(model: EcosystemModel, council: Council, unit: ServiceUnit,
                          pools: dict[OperatorKind, list[Provider]]) -> None:
    rng = model.rng
    kind = _opening_kind(model, unit)
    pool = pools.setdefault(kind, [])
    if pool and len(pool[-1].units) < OPENING_UNITS_PER_PROVIDER[kind]:
        provider = pool[rng.integers(len(pool))] if kind != OperatorKind.COMMUNITY else pool[-1]
    else:
        provider = PROVIDER_CLASSES[kind](model, council.index)
        pool.append(provider)
    term = int(round(model.params.procurement.contract_years * 12))
    start = -int(rng.integers(0, term))
    contract = offer_contract(council, provider, unit, start)
    if contract is None:
        if not provider.units:
            pool.remove(provider)
            provider.remove()
        return
    award(contract)
    provider.endow(model.params.funding.opening_reserves_months * unit.net_cost(provider))


def manage_contracts(model: EcosystemModel, council: Council) -> None:
    """Monitor contracts, re-tender those nearing their end, and settle expired ones.

    Poor performance is detected with a chance that rises with commissioning skill
    [002:L819]; a detected failure ends the contract. Contracts are put out to tender the
    regime's duration before they end; where a tender found no bid, the incumbent may be
    re-let the contract, else the council takes the unit back or decommissions it.
    """
    month, procurement = model.month, council.params.procurement
    for contract in list(council.contracts):
        if contract.unit.months_below >= MONITORING_MONTHS and \
                model.rng.random() < DETECTION_AT_FULL_SKILL * council.commissioning_skill:
            model.contracts_terminated += 1
            model.record_event(EventKind.CONTRACT_TERMINATED, council.index, contract.unit.index,
                               "poor performance detected by contract monitoring",
                               contract.provider.kind)
            bring_in_house(council, contract.unit)
            answer_for_operator(council, contract.unit)
            open_review(model, council, contract.unit.service, ReviewTrigger.CONTRACT_FAILURE)
    due = [c for c in council.contracts if not c.retendered and c.unit.tender is None
           and c.unit.is_open and c.end - procurement.months(
               procurement.regime_for(c.unit.spec.light_touch)) <= month]
    for contract in due:
        contract.retendered = True
    due = [c for c in due if not _renewed_as_grant(model, council, c)]
    if due:
        open_tenders(model, council, [c.unit for c in due])
    for contract in due:  # a lot it could not afford to tender waits for next month
        contract.retendered = contract.unit.tender is not None
    for contract in [c for c in council.contracts if c.end <= month and c.unit.tender is None]:
        _settle_expired(model, council, contract)


def _renewed_as_grant(model: EcosystemModel, council: Council, contract: Contract) -> bool:
    """Renew a community group's or social enterprise's funding as a grant, without a tender.

    Happens with chance funding.grant_share, for a performing provider within budget.
    """
    if contract.provider.kind not in (OperatorKind.COMMUNITY, OperatorKind.SOCIAL_ENTERPRISE) \
            or model.rng.random() >= model.params.funding.grant_share \
            or contract.unit.quality < model.params.procurement.renewal_quality:
        return False
    unit = contract.unit
    grant = offer_contract(council, contract.provider, unit, contract.end,
                           unit_budget(council, unit))
    if grant is None:
        return False
    grant.basis = ContractBasis.GRANT
    contract.renewal = grant  # takes over when the current one ends
    return True


def _settle_expired(model: EcosystemModel, council: Council, contract: Contract) -> None:
    """An expired contract no tender replaced: re-let to a willing incumbent, or take back."""
    unit, provider = contract.unit, contract.provider
    if contract.renewal is not None:  # renewed as a grant in good time
        award(contract.renewal)
        return
    renewal = None
    if unit.quality >= model.params.procurement.renewal_quality:
        renewal = offer_contract(council, provider, unit, model.month,
                                 unit_budget(council, unit))
    if renewal is not None:
        renewal.pbr_share = contract.pbr_share
        award(renewal)
    elif unit.ownership_retained:
        return_to_owner(model, council, unit, "its operations contract ended with no bid or "
                        "renewal, and the council owns it")
    elif unit.spec.statutory or council.can_take_back():
        model.record_event(EventKind.BROUGHT_IN_HOUSE, council.index, unit.index,
                           "its contract ended with no bid or renewal", provider.kind)
        bring_in_house(council, unit)
    else:
        end_contract(contract)
        unit.close(ClosureCause.DECOMMISSIONED,
                   "its contract ended with no bid or renewal, and the council could not "
                   "afford to take it back")


def _market_test(model: EcosystemModel, council: Council, unit: ServiceUnit,
                 budget: float | None, month: int) -> Contract | None:
    """The cheapest contract within budget from the council's other providers.

    Used when a failed provider's units are taken over without a tender.
    """
    offers = [offer_contract(council, p, unit, month, budget)
              for p in model.providers_of(council.index)
              if p is not unit.operator and p.kind != OperatorKind.COMMUNITY]
    return min((o for o in offers if o is not None), key=lambda o: o.payment(unit.served),
               default=None)


def fail_provider(model: EcosystemModel, provider: Provider) -> None:
    """A provider goes under: each council steps in or closes the unit [002:L299]."""
    provider.fail()
    model.failed_providers.append(provider)
    model.record_event(EventKind.PROVIDER_FAILURE, provider.home_council, -1,
                       f"reserves negative for {provider.months_in_distress} months, "
                       f"{len(provider.units)} unit(s) to place", provider.kind)
    step_in = model.params.councils.step_in_probability
    for contract in list(provider.subcontracts):  # the primes do that work themselves again
        drop_subcontractor(contract)
    for unit in list(provider.units):
        council = model.councils[unit.council_id]
        council.blame()
        open_review(model, council, unit.service, ReviewTrigger.PROVIDER_FAILURE)
        budget = None if unit.spec.statutory or unit.contract is None \
            else unit.contract.monthly_value
        takeover = _market_test(model, council, unit, budget, model.month)
        if takeover is not None:
            award(takeover)
            model.takeovers += 1
            model.record_event(EventKind.TAKEOVER, council.index, unit.index,
                               f"its {provider.kind} provider failed", takeover.provider.kind)
        elif unit.ownership_retained:
            return_to_owner(model, council, unit, f"its {provider.kind} operator failed, and "
                            "the council owns it")
        elif unit.spec.statutory or model.rng.random() < step_in:
            model.record_event(EventKind.BROUGHT_IN_HOUSE, council.index, unit.index,
                               f"its {provider.kind} provider failed", provider.kind)
            bring_in_house(council, unit)
        else:
            end_contract(unit.contract)
            unit.close(ClosureCause.PROVIDER_FAILURE,
                       "no other provider took it over and the council did not step in")
    provider.remove()


def community_rescue(model: EcosystemModel, unit: ServiceUnit) -> bool:
    """A community group may form to save a threatened volunteerable unit [002:L691]."""
    spec = unit.spec
    if spec.statutory or spec.volunteerable <= 0 or not unit.in_house:
        return False
    capacity = float(model.grid.community_capacity.data[unit.cell.coordinate])
    chance = model.params.capacity.community_rescue * capacity * spec.volunteerable
    if model.rng.random() >= chance:
        return False
    council = model.councils[unit.council_id]
    group = CommunityGroup(model, council.index)
    accept = 1.0 - model.params.capacity.rescue_funding_gap
    contract = offer_contract(council, group, unit, model.month, unit.allocation, accept)
    grant = RESCUE_GRANT_MONTHS * contract.fixed if contract is not None else 0.0
    if contract is None or not council.afford(grant):
        group.remove()
        return False
    award(contract)
    give_grant(council, group, grant)
    unit.clear_standard()
    model.community_takeovers += 1
    model.receipts_forgone += unit.capital_receipt()  # the building is not sold [002:L681]
    model.record_event(EventKind.COMMUNITY_RESCUE, council.index, unit.index,
                       "a community group formed to save the threatened unit",
                       OperatorKind.COMMUNITY)
    return True
