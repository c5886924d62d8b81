"""A team's neighbourhood: the providers running its units and its community capacity."""

import numpy as np
import pytest

from ecosystem import Scenario
from ecosystem.model import EcosystemModel
from ecosystem.names import UnitStatus
from ecosystem.workshop.neighbourhood import community_capacity_of, providers_near

COUNCILS = 4


@pytest.fixture(scope="module")
def model():
    scenario = Scenario.from_dict({"years": 2, "world": {"households": 20000,
                                                         "councils": COUNCILS}})
    played = EcosystemModel(scenario, rng=0)
    for _ in range(12):
        played.step()
    return played


@pytest.mark.parametrize("council", range(COUNCILS))
def test_the_providers_listed_all_run_open_units_of_that_council(model, council):
    rows = providers_near(model, council)
    by_id = {p.unique_id: p for p in model.providers}
    assert rows, "every council of the small scenario has units run by others"
    for row in rows:
        provider = by_id[row["id"]]
        mine = [u for u in provider.units if u.council_id == council and u.is_open]
        assert row["kind"] == provider.kind and row["units"] == len(mine) > 0
        assert row["below_standard"] == sum(u.status == UnitStatus.DEGRADED for u in mine)
        assert row["services"] == sorted({u.service for u in mine})
    assert [row["units"] for row in rows] == sorted((row["units"] for row in rows), reverse=True)


@pytest.mark.parametrize("council", range(COUNCILS))
def test_the_counts_add_up_to_the_councils_externally_run_open_units(model, council):
    external = sum(u.council_id == council and u.is_open and not u.in_house
                   for u in model.units)
    assert sum(row["units"] for row in providers_near(model, council)) == external


def test_a_unit_below_standard_is_counted_against_its_provider(model, monkeypatch):
    unit = next(u for u in model.units if u.is_open and not u.in_house)
    before = {row["id"]: row for row in providers_near(model, unit.council_id)}
    monkeypatch.setattr(unit, "status", UnitStatus.DEGRADED)
    after = {row["id"]: row for row in providers_near(model, unit.council_id)}
    runner = unit.operator.unique_id
    assert after[runner]["below_standard"] == before[runner]["below_standard"] + 1
    assert after[runner]["units"] == before[runner]["units"]
    assert sum(r["below_standard"] for r in after.values()) == sum(
        u.council_id == unit.council_id and u.status == UnitStatus.DEGRADED and not u.in_house
        for u in model.units)


@pytest.mark.parametrize("council", range(COUNCILS))
def test_community_capacity_is_the_household_weighted_mean_of_the_area(model, council):
    capacity = model.grid.community_capacity.data
    weighted = total = 0.0
    for x in range(model.land.shape[0]):
        for y in range(model.land.shape[1]):
            if model.land.council[x, y] == council:
                weighted += capacity[x, y] * model.land.households[x, y]
                total += model.land.households[x, y]
    value = community_capacity_of(model, council)
    assert 0.0 <= value <= 1.0
    assert value == pytest.approx(weighted / total)


def test_community_capacity_differs_between_councils(model):
    values = [community_capacity_of(model, c) for c in range(COUNCILS)]
    assert len(set(np.round(values, 6))) > 1


def test_a_council_with_no_area_has_no_capacity_and_no_providers(model):
    assert community_capacity_of(model, COUNCILS + 5) == 0.0
    assert providers_near(model, COUNCILS + 5) == []
