"""Two-tier areas: a county holding the statutory services over districts holding the rest."""

import numpy as np
import pytest

from ecosystem import EcosystemModel
from ecosystem.market.options import start_sharing


@pytest.fixture(scope="module")
def two_tier(small_scenario):
    """The small map as a two-tier area."""
    return small_scenario.with_overrides({"world.two_tier": True})


def test_the_county_holds_every_statutory_unit_and_the_districts_the_rest(two_tier):
    model = EcosystemModel(two_tier, rng=1)
    districts = two_tier.world.councils
    assert len(model.councils) == districts + 1
    county = model.councils[-1]
    for unit in model.units:
        assert (unit.council_id == county.index) == unit.spec.statutory
        # it still stands in, and serves, the district whose territory holds its site
        assert unit.territory == model.land.council[unit.cell.coordinate]
        assert unit.territory < districts
    assert not (model.land.council == county.index).any()  # the county has no own territory
    assert all(c.budget > 0 for c in model.councils)


def test_residents_reach_the_same_units_whichever_tier_is_responsible(small_scenario, two_tier):
    single = EcosystemModel(small_scenario, rng=2)
    split = EcosystemModel(two_tier, rng=2)
    assert np.array_equal(single.residents.choices, split.residents.choices)
    assert split.records[0]["coverage_adult_social_care"] == pytest.approx(
        single.records[0]["coverage_adult_social_care"])


def test_districts_share_with_districts_never_with_the_county(two_tier):
    model = EcosystemModel(two_tier, rng=3)
    district, county = model.councils[0], model.councils[-1]
    start_sharing(model, district, "libraries")
    assert district.shares_with["libraries"] != county.index
    start_sharing(model, county, "adult_social_care")
    assert "adult_social_care" not in county.shares_with


def _after(scenario, seed, months=36):
    model = EcosystemModel(scenario, rng=seed)
    for _ in range(months):
        model.step()
    return model


def _discretionary_open(model):
    return np.mean([u.is_open for u in model.units if not u.spec.statutory])


def test_separate_budgets_move_the_statutory_pressure_from_districts_to_the_county(
        small_scenario, two_tier):
    """With its own budget, a district's cut falls on its own services only.

    In a single-tier council the statutory services are funded first, so the cut lands on
    the discretionary ones; in a two-tier area they are the county's claims on the county's
    budget, which must then cut them harder (a lower statutory service level).
    """
    seeds = (1, 2, 3)
    single = [_after(small_scenario, s) for s in seeds]
    split = [_after(two_tier, s) for s in seeds]
    assert np.mean([_discretionary_open(m) for m in split]) \
        > np.mean([_discretionary_open(m) for m in single])
    assert np.mean([m.councils[-1].statutory_factor for m in split]) \
        < np.mean([c.statutory_factor for m in single for c in m.councils])
