"""Validation against what happened in England, 2010-2019 (docs/validation.md).

Each target is a public figure with a tolerance band, checked on the mean over the ten
baseline replicates. Targets the model does not reach yet are strict expected failures, each
with the reason: if the model starts to meet one, the test fails until it is promoted.
"""

import numpy as np
import pytest

pytestmark = pytest.mark.slow

#: Where `figures` reads "at the start": month 1, the first month with spending.
START = 1


def figures(models) -> dict[str, float]:
    """The model's figure for each validation target: mean over the replicates."""
    rows = [_figures(model) for model in models]
    return {key: float(np.mean([row[key] for row in rows])) for key in rows[0]}


def _figures(model) -> dict[str, float]:
    first, last = model.records[START], model.records[-1]
    libraries = [u for u in model.units if u.service == "libraries"]
    youth = [u for u in model.units if u.service == "youth_services"]
    day = [u for u in model.units if u.service == "day_opportunities"]
    open_libraries = [u for u in libraries if u.is_open]
    frozen = [r["councils_frozen"] for r in model.records[1:]]
    return {
        "spend_change": last["council_spend"] / first["council_spend"] - 1,
        "other_services_change": (last["council_spend"] * (1 - last["social_care_spend_share"]))
        / (first["council_spend"] * (1 - first["social_care_spend_share"])) - 1,
        "care_share_rise": last["social_care_spend_share"] - first["social_care_spend_share"],
        "libraries_closed": np.mean([not u.is_open for u in libraries]),
        "youth_closed": np.mean([not u.is_open for u in youth]),
        "day_opportunities_closed": np.mean([not u.is_open for u in day]),
        "external_share_change": last["external_share"] - model.records[0]["external_share"],
        "external_share": last["external_share"],
        "council_months_frozen": float(np.mean(frozen)),
        "mutuals_formed": last["mutuals_formed"],
        "community_run_libraries": np.mean([u.operator_kind == "community"
                                            for u in open_libraries]) if open_libraries else 0.0,
        "volunteering_change": last["volunteers_active"] / model.records[12]["volunteers_active"]
        - 1,
    }


@pytest.fixture(scope="module")
def model_figures(baseline_models):
    return figures(baseline_models)


def test_v1_council_spending_falls_by_a_sixth_to_under_a_third(model_figures):
    """IFS 2019: English councils' service spending fell 17% in real terms 2009/10-2018/19
    (23% per person). Band: a fall of 15% to 30%."""
    assert -0.30 <= model_figures["spend_change"] <= -0.15


@pytest.mark.xfail(strict=True, reason="care's share rises by about 4.5 points, not 7 to 15: "
                   "statutory care is cut too (statutory_protection 0.5: tighter eligibility) "
                   "and care demand grows 2.5% a year")
def test_v2_social_care_takes_a_growing_share(model_figures):
    """NAO 2018: social care rose from 45.3% to 54.4% of service spending (2010/11-2016/17);
    IFS 2019: 57% by 2018/19. Band: a rise of 7 to 15 points."""
    assert 0.07 <= model_figures["care_share_rise"] <= 0.15


def test_v6_youth_services_are_cut_deepest(model_figures):
    """YMCA 2020 (campaign, from spending data): youth service spending fell 70% in real
    terms 2010/11-2018/19; Unison: 760 youth centres closed since 2012. Band: 40% to 75% of
    youth units closed."""
    assert 0.40 <= model_figures["youth_closed"] <= 0.75


def test_v7_councils_turn_to_external_providers(model_figures):
    """LGC/Porge: councils' external spend rose 13% 2012/13-2015/16; the documents describe
    councils turning to external and alternative providers [002:L252]. The external share
    does not fall over the decade."""
    assert model_figures["external_share_change"] >= 0.0


def test_v3_other_services_are_cut_by_a_third_to_a_half(model_figures):
    """NAO 2018: spending on services other than social care fell 32.6% in real terms
    2010/11-2016/17 (culture 34.9%, planning 52.8%). Band: a fall of 30% to 55%."""
    assert -0.55 <= model_figures["other_services_change"] <= -0.30


def test_v5_libraries_mostly_survive(model_figures):
    """CIPFA: Great Britain's public libraries fell from 4,356 to 3,583 (-17.7%) 2009/10 to
    2018/19. Band: 10% to 25% of library units closed."""
    assert 0.10 <= model_figures["libraries_closed"] <= 0.25


def test_v8_emergency_spending_freezes_are_rare(model_figures):
    """Northamptonshire's section 114 notice (February 2018) was the first in about twenty
    years. Band: councils in a freeze in under 1% of council-months."""
    assert model_figures["council_months_frozen"] < 0.01


@pytest.mark.xfail(strict=True, reason="mutuals never form in the baseline: spin-outs are "
                   "rare and the appraisal rarely picks them (issue 9, items 1-2)")
def test_v9_some_mutuals_spin_out(model_figures):
    """Cabinet Office/DCMS: about 115 public service mutuals in England by 2018, from some
    350 councils, about 0.3 per council. Band: at least 0.3 per run of three councils."""
    assert model_figures["mutuals_formed"] >= 0.3


def test_v10_a_minority_of_libraries_are_community_run(model_figures):
    """Libraries Taskforce 2016: 214 community-managed libraries in England (382 including
    commissioned ones), of about 3,000. Band: 5% to 15% of open libraries community-run."""
    assert 0.05 <= model_figures["community_run_libraries"] <= 0.15


@pytest.mark.xfail(strict=True, reason="volunteering rises as threatened services draw "
                   "volunteers, with nothing pulling it down over the decade")
def test_v11_volunteering_is_flat_or_falling(model_figures):
    """DCMS Community Life Survey: monthly formal volunteering fell from 27% (2013/14) to
    22% (2018/19). Band: active volunteers change by at most +5% between years 1 and 10."""
    assert model_figures["volunteering_change"] <= 0.05


@pytest.mark.xfail(strict=True, reason="about 85% of day opportunity units close, not at most "
                   "half: the plan's priorities cut deepest the services that serve least need "
                   "per pound (councils.priority_strength 1, assumed), and day opportunities "
                   "serve the least")
def test_v12_most_day_services_stay_open(model_figures):
    """Mencap, Stuck at home, 2012 (campaign, from FOI returns of 151 councils): 32% of
    councils closed day services for people with a learning disability in three years, and
    the share of those known to services receiving none rose from 48% (2009/10) to 57%, a
    sixth fewer served in three years. Band: at most half of day opportunity units closed
    over the decade."""
    assert model_figures["day_opportunities_closed"] <= 0.5
