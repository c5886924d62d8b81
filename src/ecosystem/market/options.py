"""Carrying out a review's chosen option.

Tender, redesign, decommission, share, spin out a mutual, transfer to a community group, or
set up a social enterprise.
"""

from __future__ import annotations

from ecosystem.agents import CommunityGroup, Mutual, SocialEnterprise
from ecosystem.market.contracts import award, expected_net_cost, offer_contract
from ecosystem.market.procurement import open_tenders


def carry_out(model, council, review) -> None:
    """Transition: put the chosen option into effect for the service's in-house units."""
    units = [u for u in council.units if u.service == review.service and u.is_open
             and getattr(u, "tender", None) is None]
    if not units:
        return
    {
        "no_change": lambda: None,
        "in_house_redesign": lambda: _redesign(model, council, review.service),
        "decommission": lambda: [u.close("decommissioned") for u in units],
        "outsource": lambda: open_tenders(model, council, units),
        "share": lambda: start_sharing(model, council, review.service),
        "mutual": lambda: spin_out_mutual(model, council, units),
        "community_transfer": lambda: transfer_to_community(model, council, units),
        "social_enterprise": lambda: set_up_social_enterprise(model, council, units),
    }[review.option]()


def _redesign(model, council, service: str) -> None:
    saving = model.scenario.councils.redesign_saving
    council.saving[service] = max(council.saving.get(service, 0.0), saving)


def start_sharing(model, council, service: str) -> None:
    """Share the service with the nearest other council: no tender needed [002:L424]."""
    others = [c for c in model.councils if c is not council and service not in c.shares_with]
    if not others:
        return
    partner = min(others, key=lambda c: (c.seat[0] - council.seat[0]) ** 2
                  + (c.seat[1] - council.seat[1]) ** 2)
    saving = model.scenario.councils.sharing_saving
    for a, b in ((council, partner), (partner, council)):
        a.shares_with[service] = b.index
        a.saving[service] = max(a.saving.get(service, 0.0), saving)


def end_sharing(model, council, service: str) -> None:
    """A partnership breaks: both councils lose the saving."""
    partner = model.councils[council.shares_with.pop(service)]
    partner.shares_with.pop(service, None)
    for c in (council, partner):
        c.saving.pop(service, None)


def spin_out_mutual(model, council, units: list) -> None:
    """Staff spin out a mutual with upfront support [002:L540].

    With an exemption it holds its first contract without competition [002:L552]; otherwise
    it must win an open tender.

    Without enough staff enthusiasm it is a top-down attempt, which mostly fails [002:L542].
    """
    councils = model.scenario.councils
    if council.staff_enthusiasm.get(units[0].service, 0.0) < councils.mutual_threshold \
            and model.rng.random() < councils.top_down_failure:
        return
    mutual = Mutual(model, council.index)
    _grant(model, council, mutual, model.scenario.councils.mutual_upfront_cost)
    mutual.scope.add(units[0].service)
    # the team brings its budget with it (TUPE): that is its turnover for financial standing
    mutual.turnover_estimate = 12 * sum(expected_net_cost(u, council) for u in units)
    years = model.scenario.procurement.mutual_exemption_years
    if years > 0:
        for unit in units:
            contract = offer_contract(council, mutual, unit, model.month)
            contract.end = model.month + int(round(years * 12))
            contract.exempt = True
            award(contract)
        model.mutuals_formed += 1
    else:
        mutual.awaiting_tenders = open_tenders(model, council, units)


def transfer_to_community(model, council, units: list) -> None:
    """Asset transfer: a community group takes the units on, with set-up support [002:L679]."""
    for unit in units:
        group = CommunityGroup(model, council.index)
        _grant(model, council, group, 3 * expected_net_cost(unit, council))
        _direct_award(model, council, group, unit, as_grant=True)
        model.asset_transfers += 1


def set_up_social_enterprise(model, council, units: list) -> None:
    """A social enterprise: funded by grant (no tender) or through an open tender."""
    if model.rng.random() < model.scenario.funding.grant_share:
        enterprise = SocialEnterprise(model, council.index)
        _grant(model, council, enterprise, 2 * sum(expected_net_cost(u, council) for u in units))
        for unit in units:
            _direct_award(model, council, enterprise, unit, as_grant=True)
    else:
        open_tenders(model, council, units)


def _direct_award(model, council, provider, unit, as_grant: bool) -> None:
    contract = offer_contract(council, provider, unit, model.month)
    if as_grant:
        contract.basis = "grant"
    award(contract)


def _grant(model, council, provider, amount: float) -> None:
    council.pay("support", amount)
    provider.book("grant", amount)
    model.ledger.grants += amount
