import json
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecosystem import EcosystemModel, run
from ecosystem.agents import (
    CommunityGroup,
    Council,
    Mutual,
    PrivateFirm,
    Resident,
    ServiceUnit,
    SocialEnterprise,
    Volunteer,
)
from ecosystem.metrics import METRICS, OPERATOR_KINDS
from ecosystem.scenario.councils import Councils, budget_factor


def test_same_seed_identical_different_seed_differs(small_scenario):
    a = run(small_scenario, seed=3, months=24).timeseries
    b = run(small_scenario, seed=3, months=24).timeseries
    c = run(small_scenario, seed=4, months=24).timeseries
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(c)


def test_timeseries_has_every_metric_one_row_per_month(small_scenario):
    result = run(small_scenario, seed=1, months=12)
    ts = result.timeseries
    assert list(ts["month"]) == list(range(13))
    assert set(METRICS) <= set(ts.columns)
    assert len(result.summary) == 1
    assert len(result.units) > 0 and set(result.units["initial_operator"]) <= set(OPERATOR_KINDS)


def test_every_agent_kind_is_present(small_scenario):
    model = EcosystemModel(small_scenario, rng=2)
    kinds = {type(a) for a in model.agents}
    assert {Council, Resident, ServiceUnit, PrivateFirm} <= kinds
    assert len(model.agents_by_type[Resident]) == len(model.residents)
    assert {Mutual, SocialEnterprise, CommunityGroup} & kinds


def test_budget_path_is_front_loaded_then_flat():
    councils = Councils()
    path = [budget_factor(councils, y) for y in range(8)]
    assert path[4] == pytest.approx(0.72)
    assert path[7] == pytest.approx(0.72)
    assert 1 - path[1] > 0.5 * 0.28  # most of the cut in the first two years
    assert all(a >= b for a, b in zip(path, path[1:]))


@given(seed=st.integers(0, 1000), cut=st.floats(0.0, 0.6), share=st.floats(0.0, 0.8),
       pooled=st.floats(0.0, 1.0), pbr=st.floats(0.0, 0.6))
@settings(max_examples=6, deadline=None)
def test_invariants_hold_every_month(small_scenario, seed, cut, share, pooled, pbr):
    scenario = small_scenario.with_overrides({"councils.budget_cut_total": cut,
                                              "councils.external_share": share,
                                              "funding.pooled_budget_share": pooled,
                                              "funding.pbr_share": pbr})
    model = EcosystemModel(scenario, rng=seed)
    for _ in range(18):
        reserves_before = {p: p.reserves for p in model.providers}
        council_reserves = [c.reserves for c in model.councils]
        model.step()
        ledger = model.ledger
        spend = sum(c.monthly_spend for c in model.councils)
        # every pound a council spends is someone's income or a recorded cost
        assert spend == pytest.approx(ledger.in_house_costs + ledger.contract_payments
                                      + ledger.grants + ledger.capacity_building
                                      + ledger.procurement + ledger.reviews + ledger.training)
        assert sum(c.partner_income for c in model.councils) == pytest.approx(
            ledger.partner_funding)  # health's share is this month's, not a running total
        for provider, before in reserves_before.items():
            change = provider.reserves - before
            assert change == pytest.approx(sum(provider.income.values()) - provider.costs)
        for council, before in zip(model.councils, council_reserves):
            assert council.reserves - before == pytest.approx(
                council.budget / 12 - council.monthly_spend + council.trading_income
                + council.partner_income)
        row = model.records[-1]
        shares = sum(row[f"share_{k}"] for k in OPERATOR_KINDS)
        assert shares == pytest.approx(1.0) or row["units_open"] + row["units_degraded"] == 0
        res = model.residents
        assert np.all(res.served <= res.need + 1e-9) and np.all(res.served >= 0)
        assert np.all(model.volunteering.hours >= 0)
        assert res.households.min() > 0
        assert all(u.capacity() >= 0 and 0 <= u.quality <= 1 for u in model.units)


GOLDEN = Path(__file__).parent / "golden" / "summary_small_seed7_36m.json"


def test_golden_summary_for_a_fixed_seed(small_scenario):
    """A regression guard: if this fails, the model's behaviour changed. When the change is
    intended, regenerate with ECOSYSTEM_UPDATE_GOLDEN=1 and say why in the commit."""
    summary = run(small_scenario, seed=7, months=36).summary.iloc[0].to_dict()
    summary = {k: float(v) for k, v in summary.items()}
    if os.environ.get("ECOSYSTEM_UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(summary, indent=1, sort_keys=True))
    stored = json.loads(GOLDEN.read_text())
    assert set(summary) == set(stored)
    for key, value in stored.items():
        assert summary[key] == pytest.approx(value, rel=1e-9, abs=1e-9), key


def test_records_of_contracts_tenders_and_reviews(small_scenario):
    result = run(small_scenario, seed=3, months=60)
    contracts, tenders = result.contracts, result.tenders
    assert len(contracts) > 0 and (contracts["end"] > contracts["start"]).all()
    assert set(contracts["provider_kind"]) <= {"private", "mutual", "social_enterprise",
                                               "community"}
    closed = tenders[tenders["status"].isin(["awarded", "no_bid"])]
    assert len(closed) == result.timeseries["tenders_run"].iloc[-1]
    assert (closed.loc[closed["status"] == "no_bid", "bids"] == 0).all()
    assert (tenders["closed"] >= tenders["opened"]).all()
    assert len(result.reviews) == result.timeseries["reviews_started"].iloc[-1]


def test_the_result_keeps_the_scenario_as_given(small_scenario):
    scenario = small_scenario.with_overrides({"interventions": [
        {"month": 2, "field": "councils.budget_cut_total", "value": 0.5}]})
    assert run(scenario, seed=1, months=4).scenario == scenario


def test_residents_and_volunteers_are_agents_that_read_the_arrays(small_scenario):
    model = EcosystemModel(small_scenario, rng=3)
    for _ in range(3):
        model.step()
    res, vol = model.residents, model.volunteering
    resident = max(model.resident_agents, key=lambda r: vol.hours[r.index])
    i = resident.index
    assert resident.need == {name: float(res.need[s, i]) for s, name in enumerate(res.services)}
    assert resident.served == {name: float(res.served[s, i])
                               for s, name in enumerate(res.services)}
    assert all((unit is None) == (resident.served[name] == 0.0)
               for name, unit in resident.units_used.items())
    assert resident.cell.coordinate == (res.cell_x[i], res.cell_y[i])
    active = model.active_volunteers()
    assert len(active) == int((vol.unit >= 0).sum()) > 0
    volunteer = resident.volunteer
    assert volunteer is not None and volunteer in active and volunteer.resident is resident
    assert volunteer.hours == resident.volunteer_hours >= 1.0
    assert volunteer.unit is model.units[vol.unit[i]] and volunteer.months_active >= 1
    before = {v.resident.index: v for v in active}
    model.step()
    after = {v.resident.index: v for v in model.active_volunteers()}
    kept = before.keys() & after.keys()
    assert kept and all(after[k] is before[k] for k in kept)  # the same agents, no churn
    assert set(model.agents_by_type[Volunteer]) >= set(before.values())


def test_the_scenario_in_force_is_params_and_mesa_keeps_its_own(small_scenario):
    model = EcosystemModel(small_scenario, rng=1)
    assert model.params is small_scenario
    assert model.scenario is not small_scenario  # Mesa's own scenario object
