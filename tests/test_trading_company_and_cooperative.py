"""Local authority trading companies, multi-stakeholder co-operatives and the library of
extra service types (the case library's delivery models)."""

import numpy as np
import pytest

from ecosystem import EcosystemModel, Scenario
from ecosystem.agents import Mutual
from ecosystem.agents.provider import CAPABILITY_BOUNDS
from ecosystem.market.appraisal import feasible_options
from ecosystem.market.options import carry_out, form_cooperative, spin_out_mutual
from ecosystem.market.reviews import TRANSITION_STAGE, _duration
from ecosystem.market.trading_company import trade
from ecosystem.names import Members, ReviewOption
from ecosystem.scenario.catalogue import default_catalogue, extra_service_types

NEW = ["in_house_redesign", "trading_company", "cooperative"]


def _model(scenario: Scenario, seed: int, **overrides) -> EcosystemModel:
    return EcosystemModel(scenario.with_overrides(
        {"councils.options_considered": NEW, **overrides}), rng=seed)


def _in_house(model: EcosystemModel, service: str):
    return [u for u in model.councils[0].units if u.service == service and u.is_open
            and u.in_house and u.tender is None]


def _in_house_service(model: EcosystemModel, statutory: bool = False) -> str:
    """A service the first council runs in-house at month 1 (trading services first)."""
    catalogue = model.params.services.catalogue
    names = sorted((s for s in catalogue if catalogue[s].statutory == statutory),
                   key=lambda s: -catalogue[s].trading_share)
    return next(s for s in names if _in_house(model, s))


def _company_after(model: EcosystemModel, months: int, statutory: bool = False):
    """Step a month, set up a trading company for an in-house service, step `months`."""
    council = model.councils[0]
    model.step()
    service = _in_house_service(model, statutory)
    assert carry_out(model, council, service, ReviewOption.TRADING_COMPANY)
    for _ in range(months):
        model.step()
    (company,) = [c for c in model.trading_companies if c.service == service]
    return council, company


# ----- the library of extra service types ---------------------------------------------------

def test_a_library_name_with_no_fields_starts_from_its_library_entry():
    library = extra_service_types()
    scenario = Scenario.from_dict({"services": {"catalogue": {
        "museums_heritage": {}, "school_traded_services": {"trading_share": 0.5}}}})
    catalogue = scenario.services.catalogue
    assert catalogue["museums_heritage"] == library["museums_heritage"]
    traded = catalogue["school_traded_services"]
    assert traded.trading_share == 0.5  # the entry's field wins ...
    assert traded.building == library["school_traded_services"].building  # ... the rest stays
    assert catalogue["libraries"] == default_catalogue()["libraries"]


def test_the_default_world_keeps_its_eight_services():
    catalogue = Scenario().services.catalogue
    assert len(catalogue) == 8
    assert not set(catalogue) & set(extra_service_types())


def test_a_model_places_units_of_a_library_service(small_scenario):
    scenario = Scenario.from_dict({**small_scenario.model_dump(mode="json"), "services": {
        "catalogue": {"museums_heritage": {}}}})
    model = EcosystemModel(scenario, rng=1)
    assert any(u.service == "museums_heritage" for u in model.units)


# ----- local authority trading companies ----------------------------------------------------

def test_a_trading_company_sells_to_outsiders_and_pays_its_margin_to_the_council(small_scenario):
    model = _model(small_scenario, 3, **{"funding.trading_company_ramp_years": 1.0})
    council, company = _company_after(model, 14)
    units = [u for u in council.units if u.service == company.service and u.is_open]
    assert units and all(u.in_house for u in units)  # the council's own company
    before, sales = council.trading_income, company.sales
    trade(model)
    sold = company.sales - sales
    own = sum(u.spent for u in units)
    assert sold == pytest.approx(model.params.funding.trading_company_external_sales * own)
    assert council.trading_income - before == pytest.approx(company.margin * sold)


def test_losses_fall_on_the_council(small_scenario):
    model = _model(small_scenario, 4, **{"funding.trading_company_margin": -0.1,
                                          "funding.trading_company_margin_sd": 0.0})
    council, company = _company_after(model, 6)
    before = council.trading_income
    trade(model)
    assert company.losses > 0 and company.dividends == 0
    assert council.trading_income < before


def test_surpluses_return_as_dividends_over_seeds(small_scenario):
    results = []
    for seed in range(1, 5):
        _, company = _company_after(_model(small_scenario, seed), 36)
        results.append(company.dividends - company.losses)
    assert np.mean(results) > 0  # the mean margin is positive [002:L573; L585]


def test_a_statutory_service_charges_its_duty_customers_nothing(small_scenario):
    """Councils may not trade with those they owe a statutory duty [002:L575]."""
    model = _model(small_scenario, 5, **{"funding.trading_company_ramp_years": 0.0})
    council, company = _company_after(model, 3, statutory=True)
    units = [u for u in council.units if u.service == company.service and u.is_open]
    assert all(u.trading_income(council, u.required_cost()) == 0 for u in units)
    assert company.sales > 0  # its trading income comes from other customers


def test_no_trading_without_the_power_to_trade(small_scenario):
    model = _model(small_scenario, 6, **{"funding.trading_allowed": False})
    council = model.councils[0]
    model.step()
    assert ReviewOption.TRADING_COMPANY not in feasible_options(model, council, "libraries")
    _, company = _company_after(model, 6)
    assert company.sales == 0


def test_trading_companies_are_weighed_only_where_listed(small_scenario):
    model = EcosystemModel(small_scenario, rng=2)
    model.step()
    for council in model.councils:
        assert ReviewOption.TRADING_COMPANY not in feasible_options(model, council, "libraries")
        assert ReviewOption.COOPERATIVE not in feasible_options(model, council, "libraries")


# ----- co-operatives ------------------------------------------------------------------------

def test_users_among_the_members_raise_capability(small_scenario):
    model = _model(small_scenario, 7)
    state = model.rng.bit_generator.state
    staff = Mutual(model, 0, Members.STAFF)
    model.rng.bit_generator.state = state
    cooperative = Mutual(model, 0, Members.MULTI_STAKEHOLDER)
    voice = model.params.councils.cooperative_user_voice
    assert cooperative.capability == pytest.approx(
        min(staff.capability + voice, CAPABILITY_BOUNDS[1]))


def test_a_cooperative_needs_members(small_scenario):
    overrides = {"councils.top_down_failure": 1.0, "procurement.mutual_exemption_years": 3}
    for capacity, expected in ((0.0, 0), (1.0, 1)):
        model = _model(small_scenario, 8, **overrides)
        model.step()
        model.grid.community_capacity.data[:] = capacity
        units = _in_house(model, _in_house_service(model))
        assert form_cooperative(model, model.councils[0], units)
        assert model.cooperatives_formed == expected
        if expected:
            assert all(u.operator.members == Members.MULTI_STAKEHOLDER for u in units)


def test_a_staff_mutual_is_not_a_cooperative(small_scenario):
    model = _model(small_scenario, 9, **{"councils.staff_enthusiasm": 0.99,
                                         "councils.mutual_threshold": 0.0,
                                         "procurement.mutual_exemption_years": 3})
    model.step()
    units = _in_house(model, _in_house_service(model))
    assert spin_out_mutual(model, model.councils[0], units)
    assert model.mutuals_formed == 1 and model.cooperatives_formed == 0


def test_cooperatives_are_weighed_only_with_members(small_scenario):
    model = _model(small_scenario, 10)
    model.step()
    council = model.councils[0]
    model.grid.community_capacity.data[:] = 0.0
    assert ReviewOption.COOPERATIVE not in feasible_options(model, council, "libraries")
    model.grid.community_capacity.data[:] = 1.0
    assert ReviewOption.COOPERATIVE in feasible_options(model, council, "libraries")


def test_more_stakeholders_slow_the_transition(small_scenario):
    model = _model(small_scenario, 11, **{"councils.cooperative_decision_slowdown": 2.0})
    mutual = _duration(model, TRANSITION_STAGE, ReviewOption.MUTUAL)
    assert _duration(model, TRANSITION_STAGE, ReviewOption.COOPERATIVE) == 2 * mutual


def test_a_cooperatives_units_reach_higher_quality_than_a_staff_mutuals(small_scenario):
    """Same seed, same units: only who the members are differs [002:L534]."""
    overrides = {"councils.mutual_threshold": 0.0, "procurement.mutual_exemption_years": 3,
                 "councils.cooperative_min_capacity": 0.0}
    gaps = []
    for seed in (12, 13, 14):
        quality = {}
        for launch in (spin_out_mutual, form_cooperative):
            model = _model(small_scenario, seed, **overrides)
            model.step()
            units = _in_house(model, _in_house_service(model))
            assert launch(model, model.councils[0], units)
            for _ in range(24):
                model.step()
            quality[launch] = np.mean([u.quality for u in units if u.is_open])
        gaps.append(quality[form_cooperative] - quality[spin_out_mutual])
    assert np.mean(gaps) > 0, gaps
