"""Carrying out a review's chosen option.

Tender, redesign, decommission, share, spin out a mutual or a co-operative, transfer to a
community group, set up a social enterprise or a trading company, form a joint venture,
contract out operations, or devolve to parish and town councils.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ecosystem.agents import CommunityGroup, Council, Mutual, Provider, SocialEnterprise
from ecosystem.market.contracts import Contract, award, give_grant, lease_upkeep, offer_contract
from ecosystem.market.joint_ventures import form_joint_venture
from ecosystem.market.operations_contracts import contract_out_operations
from ecosystem.market.parish_devolution import devolve_to_parishes
from ecosystem.market.procurement import open_tenders
from ecosystem.market.shared_services import propose, seat_distance
from ecosystem.market.trading_company import set_up_trading_company
from ecosystem.market.transformation import start_programme
from ecosystem.names import (
    ClosureCause,
    ContractBasis,
    EventKind,
    Members,
    OperatorKind,
    ReviewOption,
)
from ecosystem.world.units import ServiceUnit

if TYPE_CHECKING:
    from ecosystem.model import EcosystemModel

#: Set-up grant for a community group taking on a unit, in months of its net cost (assumed)
#: [002:L679].
TRANSFER_GRANT_MONTHS = 3
#: Start-up grant for a social enterprise set up by grant, in months of its units' net cost
#: (assumed).
ENTERPRISE_GRANT_MONTHS = 2


def carry_out(model: EcosystemModel, council: Council, service: str,
              option: ReviewOption, trigger: str = "") -> bool:
    """Transition: put the chosen option into effect for the service's in-house units.

    Returns:
        False if the council cannot afford the option's start-up costs this month (the
        transition then waits), else True.
    """
    units = [u for u in council.units if u.service == service and u.is_open
             and u.tender is None]
    if not units:
        return True
    if option == ReviewOption.OUTSOURCE:
        return bool(open_tenders(model, council, units))
    if option == ReviewOption.OPERATIONS_CONTRACT:
        return contract_out_operations(model, council, units)
    if option == ReviewOption.JOINT_VENTURE:
        return form_joint_venture(model, council, units)
    if option == ReviewOption.MUTUAL:
        return spin_out_mutual(model, council, units)
    if option == ReviewOption.COOPERATIVE:
        return form_cooperative(model, council, units)
    if option == ReviewOption.COMMUNITY_TRANSFER:
        return transfer_to_community(model, council, units)
    if option == ReviewOption.IN_HOUSE_REDESIGN \
            and model.params.councils.redesign_model == "programme":
        return start_programme(model, council, service, units)
    if option == ReviewOption.PARISH_DEVOLUTION:
        return devolve_to_parishes(model, council, units)
    if option == ReviewOption.IN_HOUSE_REDESIGN:
        council.adopt_saving(service, model.params.councils.redesign_saving)
    elif option == ReviewOption.DECOMMISSION:
        for unit in units:
            unit.close(ClosureCause.DECOMMISSIONED, f"a review ({trigger}) chose to close it")
    elif option == ReviewOption.SHARE and model.params.councils.sharing_model == "arrangement":
        propose(model, council, service)
    elif option == ReviewOption.SHARE:
        start_sharing(model, council, service)
    elif option == ReviewOption.SOCIAL_ENTERPRISE:
        set_up_social_enterprise(model, council, units)
    elif option == ReviewOption.TRADING_COMPANY:
        set_up_trading_company(model, council, service)
    return True


def start_sharing(model: EcosystemModel, council: Council, service: str) -> None:
    """Share the service with the nearest other council: no tender needed [002:L424].

    In a two-tier area districts share with districts; the county has no partner of its tier.
    """
    county = model.params.world.councils  # the county's index, where there is one
    others = [c for c in model.councils if c is not council and service not in c.shares_with
              and (c.index >= county) == (council.index >= county)]
    if not others:
        return
    partner = min(others, key=lambda c: seat_distance(c, council))
    saving = model.params.councils.sharing_saving
    council.share_service(service, partner, saving)
    partner.share_service(service, council, saving)


def spin_out_mutual(model: EcosystemModel, council: Council, units: list[ServiceUnit]) -> bool:
    """Staff spin out a mutual with upfront support [002:L540].

    With an exemption it holds its first contract without competition [002:L552]; otherwise
    it must win an open tender.

    Without enough staff enthusiasm it is a top-down attempt, which mostly fails [002:L542].

    Returns:
        False if the council cannot afford the upfront support this month.
    """
    councils = model.params.councils
    if council.staff_enthusiasm.get(units[0].service, 0.0) < councils.mutual_threshold \
            and model.rng.random() < councils.top_down_failure:
        return True
    return _launch_mutual(model, council, units, Members.STAFF)


def form_cooperative(model: EcosystemModel, council: Council, units: list[ServiceUnit]) -> bool:
    """Staff, users and residents form a multi-stakeholder co-operative [002:L534; L484].

    It needs members: where community capacity near the units is below
    `councils.cooperative_min_capacity` few residents join, and it is a top-down attempt
    that mostly fails, as a staff spin-out without enthusiasm does [002:L542]. Otherwise it
    is launched as a mutual is (upfront support, an exemption or an open tender).

    Returns:
        False if the council cannot afford the upfront support this month.
    """
    councils = model.params.councils
    if members_nearby(model, units) < councils.cooperative_min_capacity \
            and model.rng.random() < councils.top_down_failure:
        return True
    return _launch_mutual(model, council, units, Members.MULTI_STAKEHOLDER)


def members_nearby(model: EcosystemModel, units: list[ServiceUnit]) -> float:
    """Mean community capacity at the units: residents able to join as members."""
    layer = model.grid.community_capacity.data
    return float(sum(layer[u.cell.coordinate] for u in units) / max(len(units), 1))


def _launch_mutual(model: EcosystemModel, council: Council, units: list[ServiceUnit],
                   members: Members) -> bool:
    """Upfront support, then an exempt first contract or the open tenders of its units."""
    councils = model.params.councils
    if not council.afford(councils.mutual_upfront_cost):
        return False
    mutual = Mutual(model, council.index, members)
    give_grant(council, mutual, councils.mutual_upfront_cost)
    # the team brings its budget with it (TUPE): that is its turnover for financial standing
    mutual.enter(units[0].service, 12 * sum(u.net_cost(council) for u in units))
    years = model.params.procurement.mutual_exemption_years
    if years > 0:
        for unit in units:
            contract = offer_contract(council, mutual, unit, model.month)
            assert contract is not None  # no budget given: always offered
            contract.end = model.month + int(round(years * 12))
            contract.exempt = True
            award(contract)
            who = "staff spin-out" if members == Members.STAFF else "co-operative"
            model.record_event(EventKind.SPIN_OUT, council.index, unit.index,
                               f"{who} with a {years:g}-year exemption", OperatorKind.MUTUAL)
        model.mutuals_formed += 1
        model.cooperatives_formed += members == Members.MULTI_STAKEHOLDER
    else:
        mutual.await_tenders(open_tenders(model, council, units))
    return True


def transfer_to_community(model: EcosystemModel, council: Council,
                          units: list[ServiceUnit]) -> bool:
    """Asset transfer: a community group takes the units on, with set-up support [002:L679].

    A building goes on a long lease [002:L681]: the council keeps the freehold and forgoes
    the capital receipt a sale would bring, and the group takes on `capacity.lease_upkeep`
    of the building's running cost, which the council's grant no longer covers.

    Returns:
        False if the council cannot afford the set-up grants this month.
    """
    if not council.afford(sum(TRANSFER_GRANT_MONTHS * u.net_cost(council) for u in units)):
        return False
    for unit in units:
        group = CommunityGroup(model, council.index)
        give_grant(council, group, TRANSFER_GRANT_MONTHS * unit.net_cost(council))
        contract = _fund_by_grant(model, council, group, unit)
        how = "community asset transfer"
        if unit.spec.building:
            contract.fixed = max(contract.fixed - lease_upkeep(model, group, unit), 0.0)
            model.receipts_forgone += unit.capital_receipt()
            how += f" on a long lease ({model.params.capacity.lease_upkeep:.0%} of upkeep)"
        model.asset_transfers += 1
        model.record_event(EventKind.ASSET_TRANSFER, council.index, unit.index,
                           f"a review chose {how}", OperatorKind.COMMUNITY)
    return True


def set_up_social_enterprise(model: EcosystemModel, council: Council,
                             units: list[ServiceUnit]) -> None:
    """A social enterprise: funded by grant (no tender) or through an open tender."""
    grant = ENTERPRISE_GRANT_MONTHS * sum(u.net_cost(council) for u in units)
    if model.rng.random() < model.params.funding.grant_share and council.afford(grant):
        enterprise = SocialEnterprise(model, council.index)
        give_grant(council, enterprise, grant)
        for unit in units:
            _fund_by_grant(model, council, enterprise, unit)
    else:
        open_tenders(model, council, units)


def _fund_by_grant(model: EcosystemModel, council: Council, provider: Provider,
                   unit: ServiceUnit) -> Contract:
    """Hand `unit` to `provider` without a tender, funded by grant."""
    contract = offer_contract(council, provider, unit, model.month)
    assert contract is not None  # no budget given: always offered
    contract.basis = ContractBasis.GRANT
    award(contract)
    return contract
