"""Routes in for community providers: the Right to Challenge."""

from ecosystem import EcosystemModel
from ecosystem.market.reviews import choose_option, feasible_options
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
