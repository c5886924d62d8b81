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
