"""Parish and town councils: devolution of services, their precept and their capacity."""

import numpy as np
import pytest

from ecosystem import EcosystemModel, Scenario, run
from ecosystem.agents.parish_council import ParishCouncil
from ecosystem.market.appraisal import feasible_options
from ecosystem.market.contracts import in_house_rate
from ecosystem.market.options import carry_out
from ecosystem.market.parish_devolution import devolve_to_parishes, parish_map, parished
from ecosystem.names import Income, OperatorKind, ReviewOption
from ecosystem.scenario.councils import BASELINE_OPTIONS
from ecosystem.world.landscape import URBAN

WITH_PARISHES = (*BASELINE_OPTIONS, ReviewOption.PARISH_DEVOLUTION)


@pytest.fixture(scope="module")
def parish_scenario(small_scenario):
    """The small map with parish devolution among the options weighed."""
    return small_scenario.with_overrides({"councils.options_considered": list(WITH_PARISHES)})


def _parks(model):
    """A council and its in-house parks units (area-based: no building to transfer)."""
    council = max(model.councils, key=lambda c: sum(
        parished(model, u) for u in c.units if u.service == "parks"))
    return council, [u for u in council.units if u.service == "parks" and u.is_open]


def test_parishes_cover_towns_villages_and_countryside_but_not_urban_cores(parish_scenario):
    model = EcosystemModel(parish_scenario, rng=1)
    area, land = parish_map(model), model.land
    populated = land.households > 0
    assert (area[land.settlement == URBAN] == -1).all()
    assert (area[populated & (land.settlement != URBAN)] >= 0).all()
    for parish in np.unique(area[area >= 0]):  # a parish lies within one principal council
        assert len(np.unique(land.council[area == parish])) == 1


def test_parish_devolution_is_weighed_only_where_listed_and_never_for_statutory_services(
        small_scenario, parish_scenario):
    baseline = EcosystemModel(small_scenario, rng=1)
    council, _ = _parks(baseline)
    assert ReviewOption.PARISH_DEVOLUTION not in feasible_options(baseline, council, "parks")
    model = EcosystemModel(parish_scenario, rng=1)
    council, _ = _parks(model)
    assert ReviewOption.PARISH_DEVOLUTION in feasible_options(model, council, "parks")
    assert ReviewOption.PARISH_DEVOLUTION not in feasible_options(
        model, council, "adult_social_care")


def test_parishes_with_full_capacity_take_every_parished_unit_on_a_reduced_budget(
        parish_scenario):
    model = EcosystemModel(parish_scenario, rng=3)
    model.grid.community_capacity.data[:] = 1.0
    council, units = _parks(model)
    rates = {u.index: in_house_rate(council, u) for u in units}
    assert carry_out(model, council, "parks", ReviewOption.PARISH_DEVOLUTION)
    share = model.params.parishes.budget_share
    for unit in units:
        if parished(model, unit):
            assert isinstance(unit.operator, ParishCouncil)
            assert unit.operator_kind == OperatorKind.COMMUNITY
            assert unit.contract.fixed == pytest.approx(share * rates[unit.index])
        else:
            assert unit.in_house  # urban cores have no parish: the council keeps them
    assert model.parish_devolutions == sum(parished(model, u) for u in units) > 0
    assert model.parish_declines == 0


def test_parishes_without_capacity_decline_and_the_council_keeps_its_units(parish_scenario):
    model = EcosystemModel(parish_scenario, rng=3)
    model.grid.community_capacity.data[:] = 0.0
    council, units = _parks(model)
    devolve_to_parishes(model, council, units)
    assert all(u.in_house for u in units)
    assert model.parish_devolutions == 0
    assert model.parish_declines == sum(parished(model, u) for u in units) > 0


def test_the_share_of_units_parishes_take_follows_their_capacity(parish_scenario):
    taken = {}
    for capacity in (0.25, 0.75):
        devolved = offered = 0
        for seed in range(1, 9):
            model = EcosystemModel(parish_scenario, rng=seed)
            model.grid.community_capacity.data[:] = capacity
            for council in model.councils:
                units = [u for u in council.units if u.is_open and not u.spec.statutory]
                devolve_to_parishes(model, council, units)
            devolved += model.parish_devolutions
            offered += model.parish_devolutions + model.parish_declines
        taken[capacity] = devolved / offered
    assert taken[0.25] == pytest.approx(0.25, abs=0.12)
    assert taken[0.75] == pytest.approx(0.75, abs=0.12)


def _months_after_devolution(scenario, months, seed=5):
    model = EcosystemModel(scenario, rng=seed)
    model.grid.community_capacity.data[:] = 1.0
    council, units = _parks(model)
    devolve_to_parishes(model, council, units)
    for _ in range(months):
        model.step()
    return model


def test_a_parish_raises_its_precept_and_spends_it_where_the_budget_passed_down_falls_short(
        parish_scenario):
    model = _months_after_devolution(parish_scenario, 1)
    parishes = model.parishes.values()
    assert parishes
    params = model.params.parishes
    for parish in parishes:
        expected = params.precept_per_household * params.precept_service_share \
            * parish.households / 12 / 1000
        assert parish.income[Income.PRECEPT] == pytest.approx(expected)
    spend = {share: _months_after_devolution(parish_scenario.with_overrides(
        {"parishes.budget_share": share}), 12).parish_precept_spend for share in (0.3, 1.0)}
    assert spend[0.3] > spend[1.0]
    assert spend[0.3] > 0


def test_without_a_precept_a_parish_on_a_cut_budget_runs_its_services_worse(parish_scenario):
    def quality(precept):
        scenario = parish_scenario.with_overrides({"parishes.budget_share": 0.3,
                                                   "parishes.precept_per_household": precept})
        model = _months_after_devolution(scenario, 24)
        units = [u for p in model.parishes.values() for u in p.units]
        return np.mean([u.quality for u in model.units if u.is_open
                        and u.service == "parks" and u in units]) if units else 0.0

    assert quality(150.0) > quality(0.0)


def test_reviews_devolve_services_to_parishes_in_a_run(parish_scenario):
    scenario = parish_scenario.with_overrides({"years": 6,
                                               "capacity.external_review_support": True})
    totals = [float(run(scenario, seed=s).summary["parish_devolutions"].iloc[0]) for s in (1, 2, 3)]
    assert sum(totals) > 0


def test_the_baseline_sets_up_no_parish(small_scenario):
    result = run(small_scenario.with_overrides({"years": 2}), seed=1)
    assert float(result.summary["parish_devolutions"].iloc[0]) == 0
    assert float(result.summary["parish_precept_spend"].iloc[0]) == 0
    assert Scenario().councils.options_considered == BASELINE_OPTIONS
