"""Routes in for community providers: the Right to Challenge, consortia, leases."""

import pytest

from ecosystem import EcosystemModel
from ecosystem.market.appraisal import choose_option, feasible_options
from ecosystem.names import ReviewOption, ReviewTrigger


def test_communities_challenge_more_where_capacity_is_high(small_scenario):
    keen = small_scenario.with_overrides({"capacity.right_to_challenge": 0.5,
                                          "councils.challenge_rate": 0.0})
    counts = []
    for capacity in (0.1, 0.9):
        model = EcosystemModel(keen, rng=11)
        model.grid.community_capacity.data[:] = capacity
        challenged = 0
        for _ in range(24):
            model.step()
            model.grid.community_capacity.data[:] = capacity
            challenged = sum(r.trigger == ReviewTrigger.COMMUNITY_CHALLENGE
                             for r in model.reviews)
        counts.append(challenged)
    assert counts[1] > counts[0]


def test_a_community_challenge_puts_transfer_on_the_table(small_scenario):
    model = EcosystemModel(small_scenario, rng=12)
    model.grid.community_capacity.data[:] = 0.0  # too little capacity for the council alone
    council = model.councils[0]
    assert ReviewOption.COMMUNITY_TRANSFER not in feasible_options(model, council, "libraries")
    assert ReviewOption.COMMUNITY_TRANSFER in feasible_options(
        model, council, "libraries", ReviewTrigger.COMMUNITY_CHALLENGE)
    picks = [choose_option(model, council, "libraries", ReviewTrigger.COMMUNITY_CHALLENGE)
             for _ in range(50)]
    alone = [choose_option(model, council, "libraries") for _ in range(50)]
    assert picks.count(ReviewOption.COMMUNITY_TRANSFER) > alone.count(
        ReviewOption.COMMUNITY_TRANSFER)


def test_local_community_organisations_can_bid_as_a_consortium(small_scenario):
    from ecosystem.agents import CommunityGroup, SocialEnterprise
    from ecosystem.market import procurement

    def tender_with_members(scenario):
        model = EcosystemModel(scenario, rng=13)
        council = model.councils[0]
        units = [u for u in model.units if u.council_id == 0 and u.service == "parks"][:2]
        assert len(units) == 2
        groups = [CommunityGroup(model, 0), SocialEnterprise(model, 0)]
        for group, turnover in zip(groups, (40.0, 60.0)):
            group.enter("parks", turnover)
        tender = procurement.Tender(0, council, "parks", units, False, "full", 0, 0, 150.0)
        return model, tender, groups

    scenario = small_scenario.with_overrides({"procurement.consortium_bids": True})
    model, tender, groups = tender_with_members(scenario)
    members = procurement._consortium(model, tender, [])
    lead, combined = next(iter(members.items()))
    assert combined >= 100.0 and combined > max(g.turnover for g in groups)
    assert lead.kind in ("community", "social_enterprise")
    model, tender, _ = tender_with_members(small_scenario)  # consortia not allowed
    assert procurement._consortium(model, tender, []) == {}


def test_the_light_regime_covers_social_and_cultural_services_only(small_scenario):
    from ecosystem.market.procurement import open_tenders
    light = small_scenario.with_overrides({"procurement.regime": "light"})
    model = EcosystemModel(light, rng=13)
    council = model.councils[0]
    council.headroom = 1e9
    procurement = light.procurement
    for service, regime in (("libraries", "light"), ("waste_collection", "full")):
        units = [u for u in model.units if u.council_id == council.index
                 and u.service == service and u.is_open]
        tenders = open_tenders(model, council, units)
        assert tenders and all(t.regime == regime for t in tenders)
        assert all(t.closes - t.opened == procurement.months(regime) for t in tenders)


def _in_house(council, service):
    return [u for u in council.units if u.service == service and u.is_open]


def test_a_building_is_transferred_on_a_lease_the_group_upkeeps(small_scenario):
    from ecosystem.market.options import transfer_to_community
    costs = {}
    for upkeep in (0.0, 0.8):
        scenario = small_scenario.with_overrides({"capacity.lease_upkeep": upkeep})
        model = EcosystemModel(scenario, rng=13)
        council = next(c for c in model.councils if _in_house(c, "libraries"))
        council.headroom = 1e9
        units = _in_house(council, "libraries")
        assert transfer_to_community(model, council, units)
        assert all(u.operator_kind == "community" for u in units)
        costs[upkeep] = sum(u.contract.fixed for u in units)
        assert model.receipts_forgone == pytest.approx(sum(u.capital_receipt() for u in units))
        assert model.receipts_forgone > 0
    assert costs[0.8] < costs[0.0]


def test_a_closed_building_is_sold_and_an_area_service_is_not(small_scenario):
    from ecosystem.names import ClosureCause
    model = EcosystemModel(small_scenario, rng=14)
    library = next(u for u in model.units if u.service == "libraries" and u.is_open)
    park = next(u for u in model.units if u.service == "parks" and u.is_open)
    park.close(ClosureCause.DECOMMISSIONED)
    assert model.capital_receipts == 0.0
    library.close(ClosureCause.DECOMMISSIONED)
    expected = small_scenario.councils.capital_receipt * library.spec.fixed_cost
    assert model.capital_receipts == pytest.approx(expected) and expected > 0


def test_the_receipt_a_transfer_forgoes_weighs_against_it_in_the_appraisal(small_scenario):
    from ecosystem.market.appraisal import _saving
    savings = []
    for months in (0.0, 60.0):
        model = EcosystemModel(small_scenario.with_overrides(
            {"councils.capital_receipt": months}), rng=15)
        savings.append({(s, o): _saving(model, o, s) for s in ("libraries", "parks")
                        for o in (ReviewOption.COMMUNITY_TRANSFER, ReviewOption.DECOMMISSION)})
    transfer = ReviewOption.COMMUNITY_TRANSFER
    assert savings[1][("libraries", transfer)] < savings[0][("libraries", transfer)]
    assert savings[1][("parks", transfer)] == savings[0][("parks", transfer)]
    assert savings[1][("libraries", ReviewOption.DECOMMISSION)] \
        == savings[0][("libraries", ReviewOption.DECOMMISSION)]


def test_a_subcontractor_does_its_share_of_the_work_for_its_share_of_the_pay(small_scenario):
    from ecosystem.agents import SocialEnterprise
    from ecosystem.market.contracts import end_contract, subcontract
    from ecosystem.market.delivery import _run_under_contract
    from ecosystem.names import Income
    model = EcosystemModel(small_scenario, rng=16)
    unit = next(u for u in model.units if u.is_open and u.operator_kind == "private")
    prime, contract = unit.operator, unit.contract
    local = SocialEnterprise(model, unit.council_id)
    subcontract(contract, local, 0.25)
    assert unit.service in local.scope
    paid, payment = _run_under_contract(model, unit, prime, 100.0, 0.0)
    assert payment > 0 and paid == pytest.approx(100.0)
    assert local.income[Income.CONTRACT] == pytest.approx(0.25 * payment)
    assert prime.income[Income.CONTRACT] == pytest.approx(0.75 * payment)
    assert local.costs == pytest.approx(25.0)
    model.step()
    assert local in model.providers, "a subcontractor without units of its own stays"
    end_contract(unit.contract)
    assert not local.subcontracts


def test_firms_that_win_tenders_subcontract_locally_when_required(small_scenario):
    from ecosystem.names import EventKind, OperatorKind
    scenario = small_scenario.with_overrides({"procurement.local_subcontracting": 0.2,
                                              "councils.budget_cut_total": 0.4})
    model = EcosystemModel(scenario, rng=17)
    for _ in range(60):
        model.step()
    won = [c for c in model.contract_log if c.tender >= 0
           and c.provider.kind == OperatorKind.PRIVATE and c in c.council.contracts]
    assert won, "some firm should hold a contract won by tender"
    assert all(c.subcontractor is not None and c.subcontract_share == 0.2 for c in won)
    assert any(e["event"] == EventKind.SUBCONTRACT for e in model.events)
    local = {c.subcontractor.kind for c in won}
    assert local <= {OperatorKind.SOCIAL_ENTERPRISE, OperatorKind.COMMUNITY}
