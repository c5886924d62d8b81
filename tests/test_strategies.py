"""Council-wide strategies (strategy.*): co-production, the co-operative council, behaviour
change and community budgets. Each is off by default; each test drives the mechanism
directly or through short runs and checks the behaviour the documents describe."""

import tomllib
from pathlib import Path

import numpy as np
import pytest

import ecosystem.scenario
from ecosystem import EcosystemModel, Scenario, run
from ecosystem.market.community_budget import PARTNER_SHARE_OF_POOLED_COST, CommunityBudget
from ecosystem.names import ReviewOption
from ecosystem.population.behaviour_change import BehaviourChange
from ecosystem.population.co_production import CoProduction
from ecosystem.scenario.strategies import enact

SEEDS = (1, 2, 3)


def _paired(scenario: Scenario, overrides: dict, metric: str, months: int) -> np.ndarray:
    """Per seed: metric with the overrides minus metric without them."""
    on = scenario.with_overrides(overrides)
    return np.array([run(on, seed=s, months=months).summary[metric].iloc[0]
                     - run(scenario, seed=s, months=months).summary[metric].iloc[0]
                     for s in SEEDS])


def test_every_strategy_is_off_by_default_and_enact_leaves_the_baseline_alone():
    strategy = Scenario().strategy
    assert not (strategy.co_production or strategy.cooperative_council
                or strategy.behaviour_change or strategy.community_budget)
    baseline = Scenario()
    assert enact(baseline) is baseline


# ----- co-production --------------------------------------------------------------------------

def test_co_production_needs_engagement_above_the_threshold_and_builds_with_a_lag():
    scenario = Scenario().with_overrides({"strategy.co_production": True})
    threshold = scenario.strategy.co_production_threshold
    co = CoProduction(scenario, 3)
    capacity = np.array([threshold / 2, threshold + (1 - threshold) / 2, 1.0])
    co.update(scenario, capacity, np.ones(3))
    first = co.participation.copy()
    assert first[0] == 0.0 and 0 < first[1] < first[2] < 0.1  # a month moves it a little
    for _ in range(240):
        co.update(scenario, capacity, np.ones(3))
    assert co.participation == pytest.approx([0.0, 0.5, 1.0], abs=1e-3)
    co.update(scenario, capacity, np.zeros(3))  # a council that cannot run it: it fades
    assert (co.participation[1:] < [0.5, 1.0]).all()


def test_co_production_lowers_need_and_raises_fit_only_for_co_producible_services():
    scenario = Scenario().with_overrides({"strategy.co_production": True})
    co = CoProduction(scenario, 2)
    co.participation[:] = [0.0, 1.0]
    volunteerable = np.array([s.volunteerable > 0
                              for s in scenario.services.catalogue.values()])
    factor, fit = co.demand_factor(scenario), co.fit(scenario)
    assert (factor[:, 0] == 1).all() and (fit[:, 0] == 1).all()
    assert (factor[volunteerable, 1] < 1).all() and (factor[~volunteerable, 1] == 1).all()
    assert (fit[volunteerable, 1] > 1).all() and (fit[~volunteerable, 1] == 1).all()


def test_co_production_in_a_run_engages_residents_and_avoids_demand(small_scenario):
    on = small_scenario.with_overrides({"strategy.co_production": True})
    summaries = [run(on, seed=s, months=36).summary.iloc[0] for s in SEEDS]
    assert all(s["co_production_participation"] > 0.05 for s in summaries)
    assert all(s["demand_avoided"] > 0 for s in summaries)


def test_co_produced_services_fit_need_better_so_residents_are_more_satisfied(small_scenario):
    """From the same state, residents who co-produce rate their services higher. (Over a
    whole run the gain is within the noise of what co-production's cost does to budgets.)"""
    on = small_scenario.with_overrides({"strategy.co_production": True})
    model = EcosystemModel(on, rng=3)
    model.run_for(24)
    res, before = model.residents, model.residents.satisfaction.copy()
    res.update_views(model.params, model.reputations())
    plain = res.satisfaction.copy()
    res.satisfaction = before
    res.update_views(model.params, model.reputations(), model.co_production.fit(model.params))
    engaged = model.co_production.participation > 0.1
    assert engaged.any()
    assert (res.satisfaction[engaged] >= plain[engaged]).all()
    assert res.satisfaction[engaged].mean() > plain[engaged].mean()


def test_co_production_without_engaged_residents_does_nothing(small_scenario):
    on = small_scenario.with_overrides({"strategy.co_production": True,
                                        "strategy.co_production_threshold": 0.99})
    summary = run(on, seed=1, months=24).summary.iloc[0]
    assert summary["co_production_participation"] < 0.01
    assert summary["demand_avoided"] < 0.001


# ----- co-operative council -------------------------------------------------------------------

def test_a_cooperative_council_sets_every_lever_it_stands_for():
    narrow = Scenario().with_overrides({
        "councils.options_considered": ["in_house_redesign", "outsource"],
        "strategy.cooperative_council": True})
    enacted = enact(narrow)
    strategy = enacted.strategy
    assert strategy.co_production
    assert enacted.capacity.commissioning_training >= strategy.cooperative_member_training > 0
    assert enacted.capacity.community_support > narrow.capacity.community_support
    assert enacted.councils.staff_enthusiasm > narrow.councils.staff_enthusiasm
    assert {ReviewOption.MUTUAL, ReviewOption.COMMUNITY_TRANSFER} \
        <= set(enacted.councils.options_considered)
    assert enact(enacted) == enacted  # floors, not increments: enacting twice is once


def test_a_cooperative_council_trains_members_builds_capacity_and_enthuses_staff(
        small_scenario):
    coop = small_scenario.with_overrides({"strategy.cooperative_council": True})
    keen = [np.mean(list(c.staff_enthusiasm.values()))
            for s in SEEDS for c in EcosystemModel(coop, rng=s).councils]
    plain = [np.mean(list(c.staff_enthusiasm.values()))
             for s in SEEDS for c in EcosystemModel(small_scenario, rng=s).councils]
    assert np.mean(keen) > np.mean(plain)
    overrides = {"strategy.cooperative_council": True}
    assert (_paired(small_scenario, overrides, "commissioning_skill", 36) > 0).all()
    assert _paired(small_scenario, overrides, "community_capacity", 36).mean() > 0
    assert run(coop, seed=1, months=36).summary["co_production_participation"].iloc[0] > 0


def test_a_cooperative_council_switched_on_mid_run_raises_staff_enthusiasm(small_scenario):
    later = small_scenario.with_overrides({"interventions": [
        {"month": 2, "field": "strategy.cooperative_council", "value": True}]})
    model = EcosystemModel(later, rng=4)
    before = [dict(c.staff_enthusiasm) for c in model.councils]
    model.run_for(2)
    after = [c.staff_enthusiasm for c in model.councils]
    assert all(after[k][s] > before[k][s] for k in range(len(after)) for s in after[k])
    assert model.params.strategy.co_production


# ----- behaviour change -----------------------------------------------------------------------

def test_behaviour_change_builds_up_slowly_and_scales_with_trust():
    scenario = Scenario().with_overrides({"strategy.behaviour_change": True})
    trust = np.array([0.2, 0.8])
    nudge = BehaviourChange(scenario, 2)
    by_year = []
    for month in range(1, 121):
        nudge.advance(scenario, trust)
        if month % 12 == 0:
            by_year.append(nudge.reduction.copy())
    effect = scenario.strategy.behaviour_change_effect
    assert by_year[0][1] < 0.5 * by_year[-1][1]  # not overnight: under half in year one
    assert (np.diff(np.array(by_year)[:, 1]) > 0).all()
    assert by_year[-1][1] == pytest.approx(4 * by_year[-1][0])  # in proportion to trust
    assert by_year[-1][1] < effect
    targeted = np.isin(list(scenario.services.catalogue),
                       scenario.strategy.behaviour_change_services)
    factor = nudge.demand_factor(scenario)
    assert (factor[targeted] < 1).all() and (factor[~targeted] == 1).all()


def test_messengers_raise_the_effect_and_dropping_the_campaign_ends_it():
    scenario = Scenario().with_overrides({"strategy.behaviour_change": True})
    messengers = scenario.with_overrides({"strategy.resident_messengers": 0.5})
    trust = np.array([0.4])
    plain, helped = BehaviourChange(scenario, 1), BehaviourChange(messengers, 1)
    for _ in range(24):
        plain.advance(scenario, trust)
        helped.advance(messengers, trust)
    assert helped.reduction[0] > plain.reduction[0]
    plain.advance(Scenario(), trust)
    assert plain.reduction[0] == 0.0


def test_behaviour_change_in_a_run_avoids_more_demand_each_year(small_scenario):
    on = small_scenario.with_overrides({"strategy.behaviour_change": True})
    series = run(on, seed=2, months=48).timeseries.set_index("month")["demand_avoided"]
    assert 0 < series[12] < series[24] < series[48]


def test_dis_benefits_provoke_resistance_that_costs_trust(small_scenario):
    on = small_scenario.with_overrides({"strategy.behaviour_change": True,
                                        "strategy.behaviour_change_effect": 0.2})
    loss = _paired(on, {"strategy.dis_benefit_resistance": 0.2}, "trust_in_council", 36)
    assert (loss < 0).all()


# ----- community budgets ----------------------------------------------------------------------

def test_with_the_community_budget_off_pooling_is_funding_pooled_budget_share():
    scenario = Scenario().with_overrides({"funding.pooled_budget_share": 0.3})
    budget = CommunityBudget(scenario, np.random.default_rng(1))
    for _ in range(24):
        budget.advance(scenario)
    assert budget.share == 0.3 and len(budget.silo) == 0


def test_pooling_grows_with_trust_and_shrinks_with_strings_and_silos():
    def share_after(months: int, **fields: float) -> float:
        scenario = Scenario().with_overrides(
            {"strategy.community_budget": True,
             **{f"strategy.{k}": v for k, v in fields.items()}})
        budget = CommunityBudget(scenario, np.random.default_rng(5))
        for _ in range(months):
            budget.advance(scenario)
        return budget.share

    assert 0 < share_after(1) < share_after(36) < share_after(120)
    assert share_after(36, central_strings=0.8) < share_after(36, central_strings=0.2)
    assert share_after(36, partner_silo=0.7) < share_after(36, partner_silo=0.2)
    assert share_after(36, central_strings=1.0) == 0.0
    assert share_after(120, central_strings=0.0, partner_silo=0.0,
                       partner_trust_start=1.0) == pytest.approx(1.0)


def test_partners_pay_a_tenth_of_the_pooled_share_of_pooled_units(small_scenario):
    on = small_scenario.with_overrides({"strategy.community_budget": True})
    model = EcosystemModel(on, rng=1)
    model.run_for(12)
    share = model.community_budget.share
    for unit in model.units:
        pooled = unit.spec.pooled_with_health \
            or unit.service in on.strategy.community_budget_services
        expected = PARTNER_SHARE_OF_POOLED_COST * share * unit.council_cost if pooled else 0.0
        assert model.community_budget.contribution(model.params, unit) == pytest.approx(expected)
    assert share > 0


def test_a_community_budget_slows_the_growth_of_care_need(small_scenario):
    """Joint prevention: the same residents need less care after four years of pooling."""
    care = [s.demand_grows_with_ageing for s in small_scenario.services.catalogue.values()]
    need = {}
    for pooling in (False, True):
        model = EcosystemModel(small_scenario.with_overrides(
            {"strategy.community_budget": pooling}), rng=1)
        model.run_for(48)
        need[pooling] = model.residents.need[care].sum()
    assert need[True] < need[False]


@pytest.mark.slow
def test_in_west_cheshire_a_community_budget_lets_the_council_run_fuller_services():
    """Partners' money and less duplication: the council runs its services at fuller hours
    over ten years (in the three-council test map at four years the difference is within
    noise)."""
    scenario = _case("west-cheshire-community-budget")
    assert _paired(scenario, {"strategy.community_budget": False}, "service_level",
                   scenario.months).mean() < 0


# ----- the case files of these strategies -----------------------------------------------------

CASES = ("oldham-cooperative-council", "lambeth-cooperative-council",
         "west-cheshire-community-budget", "buckinghamshire-demand-reduction")


def _case(name: str) -> Scenario:
    """A case file's scenario (its [case] table set aside)."""
    path = Path(ecosystem.scenario.__file__).parent / "cases" / f"{name}.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    data.pop("case")
    return Scenario.from_dict(data, str(path))


@pytest.mark.parametrize("name", CASES)
def test_the_strategy_cases_are_valid_scenarios_with_outcomes(name):
    path = Path(ecosystem.scenario.__file__).parent / "cases" / f"{name}.toml"
    case = tomllib.loads(path.read_text(encoding="utf-8"))["case"]
    scenario = _case(name)
    assert scenario.name == name and case["outcomes"]
    for outcome in case["outcomes"]:
        assert outcome["direction"] in ("above", "below")
        assert ("versus" in outcome) != ("than" in outcome)
        for field, value in outcome.get("versus", {}).items():
            scenario.with_overrides({field: value})  # the twin is a valid scenario too


def test_hyper_local_provision_fragments_and_takes_back_part_of_the_fit():
    scenario = Scenario().with_overrides({"strategy.co_production": True})
    co = CoProduction(scenario, 3)
    co.participation[:] = 1.0
    fit = co.fit(scenario, np.array([0.0, 0.5, 1.0]))
    co_producible = co.co_producible
    assert (fit[co_producible, 0] > fit[co_producible, 1]).all()
    assert (fit[co_producible, 1] > fit[co_producible, 2]).all()
    assert (fit[co_producible, 2] >= 1.0 - 1e-12).all()  # the default loses all, no more
    assert (co.fit(scenario)[:, 0] == fit[:, 0]).all()
