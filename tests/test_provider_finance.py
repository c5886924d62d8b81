"""Providers live on their funding mix: diversity, repayable finance."""

import numpy as np
import pytest

from ecosystem import EcosystemModel
from ecosystem.names import Income


def _provider(scenario, seed=1):
    model = EcosystemModel(scenario, rng=seed)
    return model, next(p for p in model.providers if p.units)


def _months_survived_in_distress(provider, streams) -> int:
    """Months it lasts with costs above income, paid in equal parts from `streams`."""
    provider.reserves = 0.0
    provider.months_in_distress = 0
    provider.income_mix = dict.fromkeys(provider.income_mix, 0.0)
    for month in range(1, 60):
        provider.new_month()
        for stream in streams:
            provider.book(stream, 10.0 / len(streams))
        provider.incur(12.0)
        if provider.settle():
            return month
    return 60


def test_one_stream_has_no_diversity_and_four_equal_ones_three_quarters(small_scenario):
    _, provider = _provider(small_scenario)
    provider.income_mix = dict.fromkeys(provider.income_mix, 0.0)
    provider.income_mix[Income.CONTRACT] = 5.0
    assert provider.diversity == 0.0
    provider.income_mix = dict.fromkeys(provider.income_mix, 2.0)
    assert provider.diversity == pytest.approx(0.75)


def test_a_diverse_income_rides_out_distress_longer(small_scenario):
    _, provider = _provider(small_scenario)
    single = _months_survived_in_distress(provider, [Income.CONTRACT])
    mixed = _months_survived_in_distress(provider, [Income.CONTRACT, Income.TRADING,
                                                    Income.DONATIONS, Income.GRANT])
    assert single == small_scenario.funding.insolvency_months
    assert mixed > single
    flat = small_scenario.with_overrides({"funding.diversity_resilience": 0.0})
    _, same = _provider(flat)
    assert _months_survived_in_distress(same, [Income.CONTRACT, Income.TRADING]) == single


def test_social_investment_is_repaid_with_a_return(small_scenario):
    scenario = small_scenario.with_overrides({"funding.investment_return": 0.12})
    _, provider = _provider(scenario)
    provider.debt = 100.0
    provider.reserves = 0.0
    provider.new_month()
    provider.costs = provider.monthly_income  # no surplus: nothing repaid this month
    provider.use_investment(np.zeros(len(provider.model.councils)))
    assert provider.debt == pytest.approx(101.0)
