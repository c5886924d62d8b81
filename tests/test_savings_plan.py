"""The council's yearly savings plan: efficiency, thinner services, closure as last resort."""

import numpy as np
import pytest

from ecosystem import EcosystemModel
from ecosystem.agents.savings_plan import service_budgets
from ecosystem.market.appraisal import feasible_options
from ecosystem.names import ClosureCause, EventKind, ReviewOption


def _discretionary_in_house(council):
    return [u for u in council.units if u.is_open and not u.spec.statutory]


def test_a_lower_service_level_cuts_cost_and_capacity_in_proportion(small_scenario):
    model = EcosystemModel(small_scenario, rng=1)
    unit = next(u for u in model.units if u.spec.building and u.demand > 0)
    unit.level = 1.0
    full_cost, full_capacity = unit.required_cost(), unit.capacity()
    unit.level = 0.5
    assert unit.capacity() == pytest.approx(0.5 * full_capacity)
    assert unit.required_cost() <= 0.5 * full_cost + unit.spec.cost_per_user * unit.demand / 2
    assert unit.required_cost() < full_cost
    assert unit.required_cost(level=1.0) == pytest.approx(full_cost)


def test_a_moderate_cut_thins_services_funded_in_full_at_their_level(small_scenario):
    scenario = small_scenario.with_overrides({"councils.budget_cut_total": 0.28})
    model = EcosystemModel(scenario, rng=2)
    for _ in range(25):
        model.step()
    thinned = [u for c in model.councils for u in _discretionary_in_house(c) if u.level < 1]
    assert thinned, "a 28% cut should thin some discretionary in-house services"
    for unit in thinned:
        council = model.councils[unit.council_id]
        assert unit.level >= scenario.councils.min_service_level - 1e-9
        if unit.closing_at is None:  # funded at the full cost of its (lower) level
            assert unit.level == pytest.approx(council.level_for(unit.service))
    kinds = {e["event"] for e in model.events}
    assert EventKind.SERVICE_LEVEL in kinds


def test_without_a_cut_nothing_is_thinned_or_closed_by_the_plan():
    from ecosystem import Scenario
    scenario = Scenario(years=2).with_overrides({
        "councils.budget_cut_total": 0.0, "councils.budget_headroom": 1.2,
        "population.care_demand_growth": 0.0})
    model = EcosystemModel(scenario, rng=3)
    for _ in range(24):
        model.step()
    for council in model.councils:
        assert council.efficiency == 0.0
        assert all(u.level == 1.0 for u in _discretionary_in_house(council))
    assert not [e for e in model.events if e["event"] == EventKind.CLOSURE_NOTICE]


def test_closure_is_a_last_resort_given_notice_first(small_scenario):
    deep = small_scenario.with_overrides({"councils.budget_cut_total": 0.8,
                                          "councils.cut_years": 2,
                                          "capacity.community_rescue": 0.0})
    notice = deep.councils.closure_notice_months
    model = EcosystemModel(deep, rng=5)
    for _ in range(48):
        model.step()
    notices = {e["unit"]: e["month"] for e in model.events
               if e["event"] == EventKind.CLOSURE_NOTICE}
    assert notices, "an 80% cut cannot be met by thinner services alone"
    closed = {u.index: u for u in model.units if u.cause == ClosureCause.DECOMMISSIONED}
    by_plan = [i for i in notices if i in closed and closed[i].closed_at >= notices[i] + notice]
    assert by_plan, "units given notice close when it runs out"


def test_units_are_thinned_to_the_floor_before_any_is_given_notice(small_scenario):
    model = EcosystemModel(small_scenario, rng=5)
    council = model.councils[0]
    units = _discretionary_in_house(council)
    floor = small_scenario.councils.min_service_level
    at_floor = sum(u.net_cost(council, floor) for u in units)
    level = council.thin_services(units, 1.001 * at_floor)
    assert all(u.closing_at is None for u in units)
    assert level == pytest.approx(floor, abs=1e-3)
    council.thin_services(units, 0.8 * at_floor)
    given_notice = [u for u in units if u.closing_at is not None]
    kept = [u for u in units if u.closing_at is None]
    assert given_notice and kept
    assert sum(u.net_cost(council, floor) for u in kept) <= 0.8 * at_floor


def _full_cost(council, units):
    return sum(u.net_cost(council, 1.0) for u in units)


def _shares(small_scenario, kept, strength):
    """A council's discretionary budget cut to `kept` of full cost, shared by priority."""
    council = EcosystemModel(small_scenario, rng=5).councils[0]
    units = _discretionary_in_house(council)
    return council, service_budgets(council, units, kept * _full_cost(council, units),
                                    strength)


def test_services_that_serve_least_need_per_pound_are_cut_most(small_scenario):
    council, shares = _shares(small_scenario, 0.7, strength=1.0)
    full = sum(_full_cost(council, us) for us, _ in shares.values())
    assert sum(b for _, b in shares.values()) == pytest.approx(0.7 * full, rel=1e-6)
    kept = {s: b / _full_cost(council, us) for s, (us, b) in shares.items()}
    value = {s: sum(u.served for u in us) / _full_cost(council, us)
             for s, (us, _) in shares.items()}
    by_value = sorted(shares, key=value.get)
    assert len(by_value) >= 3
    assert [kept[s] for s in by_value] == sorted(kept[s] for s in by_value)
    assert kept[by_value[0]] < kept[by_value[-1]]


def test_without_priorities_every_service_keeps_the_same_share(small_scenario):
    council, shares = _shares(small_scenario, 0.6, strength=0.0)
    for service_units, budget in shares.values():
        assert budget == pytest.approx(0.6 * _full_cost(council, service_units))


def test_priorities_close_more_of_the_services_of_least_value():
    from ecosystem import Scenario
    closed = {}
    for strength in (0.0, 1.0):
        scenario = Scenario(years=6).with_overrides({"councils.priority_strength": strength,
                                                     "capacity.community_rescue": 0.0})
        gone = []
        for seed in range(3):
            model = EcosystemModel(scenario, rng=seed)
            for _ in range(72):
                model.step()
            council_units = [u for u in model.units if not u.spec.statutory]
            gone.append({s: np.mean([not u.is_open for u in council_units if u.service == s])
                         for s in {u.service for u in council_units}})
        closed[strength] = {s: np.mean([g[s] for g in gone]) for s in gone[0]}
    spread = {k: max(v.values()) - min(v.values()) for k, v in closed.items()}
    assert spread[1.0] > spread[0.0] + 0.2


def test_efficiency_savings_stop_at_their_limit(small_scenario):
    scenario = small_scenario.with_overrides({"councils.budget_cut_total": 0.5,
                                              "councils.efficiency_saving": 0.04,
                                              "councils.efficiency_limit": 0.1})
    model = EcosystemModel(scenario, rng=6)
    for _ in range(60):
        model.step()
    assert all(c.efficiency == pytest.approx(0.1) for c in model.councils)


def test_statutory_care_is_tightened_whoever_provides_it(small_scenario):
    model = EcosystemModel(small_scenario.with_overrides({"councils.external_share": 0.9}),
                           rng=7)
    for _ in range(25):
        model.step()
    for council in model.councils:
        statutory = [u for u in model.units if u.council_id == council.index and u.is_open
                     and u.spec.statutory]
        assert any(not u.in_house for u in statutory)
        assert all(u.level == pytest.approx(council.statutory_factor) for u in statutory)
        assert council.statutory_factor < 1.0


def test_external_support_brings_every_option_to_the_table(small_scenario):
    reluctant = small_scenario.with_overrides({"councils.staff_enthusiasm": 0.01,
                                               "capacity.community_support": 0.0})
    supported = reluctant.with_overrides({"capacity.external_review_support": True})
    alone, helped = EcosystemModel(reluctant, rng=8), EcosystemModel(supported, rng=8)
    council, service = alone.councils[0], "libraries"
    council.staff_enthusiasm[service] = 0.0
    helped.councils[0].staff_enthusiasm[service] = 0.0
    without = feasible_options(alone, council, service)
    with_support = feasible_options(helped, helped.councils[0], service)
    assert ReviewOption.MUTUAL not in without
    assert {ReviewOption.MUTUAL, ReviewOption.COMMUNITY_TRANSFER} <= set(with_support)


@pytest.mark.slow
def test_external_support_does_not_raise_closures():
    """Issue 9: support used to double completed decommissionings; it acts through choice."""
    from ecosystem import load_preset, run
    base = load_preset("rural-county")
    supported = base.with_overrides({"capacity.external_review_support": True})
    closed = [[], []]
    for seed in range(6):
        for i, scenario in enumerate((base, supported)):
            events = run(scenario, seed=np.random.SeedSequence(seed)).events
            closed[i].append(int(((events.event == "closure")
                                  & events.why.str.startswith("decommissioned")).sum()))
    assert np.mean(closed[1]) <= np.mean(closed[0]) * 1.1


def _first_plan(scenario, seed):
    model = EcosystemModel(scenario, rng=seed)
    for _ in range(13):  # the first savings plan under the cut is made in month 12
        model.step()
    return model


def test_charges_come_after_efficiency_and_spare_units_from_closure(small_scenario):
    cut = small_scenario.with_overrides({"councils.budget_cut_total": 0.4,
                                         "councils.cut_years": 2})
    notices = {0.0: 0, 0.2: 0}
    for seed in range(3, 9):  # the runs are the same until the first plan under the cut
        for charging in notices:
            model = _first_plan(cut.with_overrides({"councils.charging": charging}), seed)
            charged = {c.index for c in model.councils if c.charging > 0}
            assert charged == ({c.index for c in model.councils} if charging else set())
            assert charged == {e["council"] for e in model.events
                               if e["event"] == EventKind.CHARGES}
            assert all(c.efficiency > 0 for c in model.councils)  # efficiency came first
            notices[charging] += sum(e["event"] == EventKind.CLOSURE_NOTICE
                                     for e in model.events)
    assert notices[0.2] < notices[0.0]  # charge income funds units that would close


def test_charges_fall_on_chargeable_discretionary_services_and_put_some_use_off(small_scenario):
    scenario = small_scenario.with_overrides({"councils.charging": 0.2,
                                              "councils.charge_deterrence": 0.5})
    model = EcosystemModel(scenario, rng=5)
    council = model.councils[0]
    council.charging = 0.2
    for unit in council.units:
        chargeable = not unit.spec.statutory and unit.spec.trading_share > 0
        assert council.charge(unit) == (0.2 if chargeable else 0.0)
        assert unit.take_up() == pytest.approx(0.9 if chargeable else 1.0)
    unit = next(u for u in council.units if council.charge(u) > 0)
    council.charging = 0.0
    before = unit.trading_income(council, 100.0)
    council.charging = 0.2
    assert unit.trading_income(council, 100.0) > before
    model.params = model.params.with_overrides({"funding.trading_allowed": False})
    assert council.charge(unit) == 0.0 and unit.take_up() == 1.0  # a trading ban ends them


def test_no_charges_where_trading_is_not_allowed(small_scenario):
    cut = small_scenario.with_overrides({"councils.budget_cut_total": 0.4,
                                         "councils.cut_years": 2, "councils.charging": 0.2,
                                         "funding.trading_allowed": False})
    model = _first_plan(cut, 3)
    assert all(c.charging == 0.0 for c in model.councils)
