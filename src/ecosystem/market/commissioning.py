"""Who runs each unit: opening market, contracts, failure response and community rescue.

Covers the opening market, contract pricing and renewal, the response to provider failure,
and community groups stepping in to save threatened units.

Tendering, the five-stage review and the policy levers arrive with the procurement issue;
here a council re-lets a contract to a performing incumbent who still finds it worth doing.
"""

from __future__ import annotations

import numpy as np

from ecosystem.agents import PROVIDER_KINDS, CommunityGroup
from ecosystem.market.contracts import (
    Contract,
    award,
    bring_in_house,
    can_take_back,
    end_contract,
    expected_net_cost,
    offer_contract,
)
from ecosystem.market.procurement import open_tenders
from ecosystem.market.reviews import open_review


def open_market(model) -> None:
    """Month 0: about a third of units run externally, varying between councils [002:L252]."""
    rng, councils = model.rng, model.scenario.councils
    catalogue = model.scenario.services.catalogue
    for council in model.councils:
        units = [u for u in model.units if u.council_id == council.index]
        for unit in units:
            council.take_on(unit)
        protected = {name for name, spec in catalogue.items() if rng.random() < spec.protected}
        eligible = [u for u in units if u.service not in protected]
        share = float(np.clip(rng.normal(councils.external_share, councils.external_share_spread),
                              0.0, 0.9))
        count = min(len(eligible), int(round(share * len(units))))
        if count == 0:
            continue
        weights = np.array([u.spec.outsourcing_affinity for u in eligible]) + 1e-9
        chosen = rng.choice(len(eligible), size=count, replace=False, p=weights / weights.sum())
        pools: dict[str, list] = {}
        for i in sorted(chosen):
            _let_opening_contract(model, council, eligible[i], pools)


def _let_opening_contract(model, council, unit, pools: dict[str, list]) -> None:
    rng, spec = model.rng, unit.spec
    kinds = ["private", "social_enterprise", "mutual", "community"]
    weights = np.array([1.0, 0.3 + spec.trading_share, 0.1, 1.2 * spec.volunteerable])
    kind = kinds[rng.choice(4, p=weights / weights.sum())]
    pool = pools.setdefault(kind, [])
    per_provider = {"private": 4, "social_enterprise": 3, "mutual": 6, "community": 1}[kind]
    if pool and len(pool[-1].units) < per_provider:
        provider = pool[rng.integers(len(pool))] if kind != "community" else pool[-1]
    else:
        provider = PROVIDER_KINDS[kind](model, council.index)
        pool.append(provider)
    term = int(round(model.scenario.procurement.contract_years * 12))
    start = -int(rng.integers(0, term))
    contract = offer_contract(council, provider, unit, start)
    if contract is None:
        if not provider.units:
            pool.remove(provider)
            provider.remove()
        return
    award(contract)
    unit.initial_operator_kind = kind
    provider.reserves += model.scenario.funding.opening_reserves_months * expected_net_cost(
        unit, provider)


def manage_contracts(model, council) -> None:
    """Monitor contracts, re-tender those nearing their end, and settle expired ones.

    Poor performance is detected with a chance that rises with commissioning skill
    [002:L819]; a detected failure ends the contract. Contracts are put out to tender the
    regime's duration before they end; where a tender found no bid, the incumbent may be
    re-let the contract, else the council takes the unit back or decommissions it.
    """
    month, lead = model.month, model.scenario.procurement.months()
    for contract in list(council.contracts):
        if contract.unit.months_below >= 3 and \
                model.rng.random() < 0.5 * council.commissioning_skill:
            model.contracts_terminated += 1
            bring_in_house(council, contract.unit)
            open_review(model, council, contract.unit.service, "contract_failure")
    due = [c for c in council.contracts if c.end - lead <= month and not c.retendered
           and c.unit.tender is None and c.unit.is_open]
    for contract in due:
        contract.retendered = True
    due = [c for c in due if not _renewed_as_grant(model, council, c)]
    if due:
        open_tenders(model, council, [c.unit for c in due])
    for contract in [c for c in council.contracts if c.end <= month and c.unit.tender is None]:
        _settle_expired(model, council, contract)


def _renewed_as_grant(model, council, contract: Contract) -> bool:
    """Renew a community group's or social enterprise's funding as a grant, without a tender.

    Happens with chance funding.grant_share, for a performing provider within budget.
    """
    if contract.provider.kind not in ("community", "social_enterprise") or \
            model.rng.random() >= model.scenario.funding.grant_share or \
            contract.unit.quality < model.scenario.procurement.renewal_quality:
        return False
    unit = contract.unit
    budget = None if unit.spec.statutory else \
        expected_net_cost(unit, council) * min(1.0, council.discretionary_factor)
    grant = offer_contract(council, contract.provider, unit, contract.end, budget)
    if grant is None:
        return False
    grant.basis = "grant"
    contract.renewal = grant  # takes over when the current one ends
    return True


def _settle_expired(model, council, contract: Contract) -> None:
    """An expired contract no tender replaced: re-let to a willing incumbent, or take back."""
    unit, provider = contract.unit, contract.provider
    if contract.renewal is not None:  # renewed as a grant in good time
        award(contract.renewal)
        return
    renewal = None
    if unit.quality >= model.scenario.procurement.renewal_quality:
        budget = None if unit.spec.statutory else \
            expected_net_cost(unit, council) * min(1.0, council.discretionary_factor)
        renewal = offer_contract(council, provider, unit, model.month, budget)
    if renewal is not None:
        renewal.pbr_share = contract.pbr_share
        award(renewal)
    elif unit.spec.statutory or can_take_back(council):
        bring_in_house(council, unit)
    else:
        end_contract(contract)
        unit.close("decommissioned")


def _market_test(model, council, unit, budget: float | None, month: int):
    """The cheapest contract within budget from the council's other providers.

    Used when a failed provider's units are taken over without a tender.
    """
    offers = [offer_contract(council, p, unit, month, budget)
              for p in model.providers_of(council.index)
              if p is not unit.operator and p.kind != "community"]
    offers = [o for o in offers if o is not None]
    return min(offers, key=lambda o: o.payment(unit.served), default=None)


def fail_provider(model, provider) -> None:
    """A provider goes under: each council steps in or closes the unit [002:L299]."""
    provider.failed_at = model.month
    model.failed_providers.append(provider)
    provider.units_at_failure = [(u.service, u.volunteer_share, u.required_cost())
                                 for u in provider.units]
    step_in = model.scenario.councils.step_in_probability
    for unit in list(provider.units):
        council = model.councils[unit.council_id]
        council.blame()
        open_review(model, council, unit.service, "provider_failure")
        budget = None if unit.spec.statutory else unit.contract.monthly_value
        takeover = _market_test(model, council, unit, budget, model.month)
        if takeover is not None:
            award(takeover)
            model.takeovers += 1
        elif unit.spec.statutory or model.rng.random() < step_in:
            bring_in_house(council, unit)
        else:
            end_contract(unit.contract)
            unit.close("provider_failure")
    provider.remove()


def community_rescue(model, unit) -> bool:
    """A community group may form to save a threatened volunteerable unit [002:L691]."""
    spec = unit.spec
    if spec.statutory or spec.volunteerable <= 0 or unit.operator is None \
            or unit.operator.kind != "council":
        return False
    capacity = float(model.grid.community_capacity.data[unit.cell.coordinate])
    chance = model.scenario.capacity.community_rescue * capacity * spec.volunteerable
    if model.rng.random() >= chance:
        return False
    council = model.councils[unit.council_id]
    group = CommunityGroup(model, council.index)
    accept = 1.0 - model.scenario.capacity.rescue_funding_gap
    contract = offer_contract(council, group, unit, model.month, unit.allocation, accept)
    if contract is None:
        group.remove()
        return False
    award(contract)
    council.pay("support", 2 * contract.fixed)
    group.book("grant", 2 * contract.fixed)
    model.ledger.grants += 2 * contract.fixed
    unit.months_below = 0
    model.community_takeovers += 1
    return True
