"""Joint ventures [002:L355-409] and operations contracts [000:L23; 002:L299]."""

import pytest

from ecosystem import EcosystemModel, run
from ecosystem.agents import JointVentureCompany, PrivateFirm
from ecosystem.market import delivery
from ecosystem.market.commissioning import fail_provider
from ecosystem.market.contracts import award, offer_contract
from ecosystem.market.joint_ventures import (
    CONTROL_CHANGE,
    SECONDED_REVERSAL_SHARE,
    SHORTFALL,
    dissolve,
    form_joint_venture,
    manage_joint_ventures,
)
from ecosystem.market.operations_contracts import contract_out_operations
from ecosystem.names import ClosureCause, OperatorKind, ReviewOption, Spending, UnitStatus
from ecosystem.scenario.councils import BASELINE_OPTIONS


def _model(scenario, seed=1, **overrides):
    model = EcosystemModel(scenario.with_overrides(overrides) if overrides else scenario,
                           rng=seed)
    model.step()
    return model


def _in_house(model, council):
    """The in-house units of the discretionary service with most of them."""
    units = [u for u in council.units if u.is_open and not u.spec.statutory]
    service = max(sorted({u.service for u in units}),
                  key=lambda s: sum(u.service == s for u in units))
    return [u for u in units if u.service == service]


def _venture(model):
    council = model.councils[0]
    council.headroom = 1e9  # it can afford the set-up
    units = _in_house(model, council)
    costs = [u.council_cost for u in units]  # what it spent on them last month
    assert form_joint_venture(model, council, units)
    return model.joint_ventures[-1], units, costs


# ----- joint ventures ---------------------------------------------------------------------------

def test_a_venture_runs_the_units_at_their_in_house_cost_less_the_promised_saving(small_scenario):
    model = _model(small_scenario)
    venture, units, costs = _venture(model)
    promise = model.params.councils.joint_venture_promised_saving
    assert all(isinstance(u.operator, JointVentureCompany) for u in units)
    assert venture.company in model.providers and venture.company.kind == OperatorKind.PRIVATE
    for unit, cost in zip(units, costs):
        assert unit.contract.monthly_value == pytest.approx((1 - promise) * cost)
        assert unit.contract.end - model.month == round(12 * 12)  # Salford's 12 years
    assert model.councils[0].spend[Spending.PROCUREMENT] > 0  # costly to establish


def test_a_venture_that_misses_its_savings_makes_losses_and_is_dissolved(small_scenario):
    model = _model(small_scenario, **{"councils.joint_venture_promised_saving": 0.5})
    venture, units, _ = _venture(model)
    venture.company.transformation = 0.0  # the partners cut nothing
    for _ in range(24):
        model.step()
        if venture.dissolved_at is not None:
            break
    assert venture.cause == SHORTFALL and venture.losses > 0
    assert all(u.in_house for u in units if u.is_open)  # direct delivery again [000:L24]
    summary = model.records[-1]
    assert summary["joint_venture_savings_shortfall"] > 0
    assert summary["joint_ventures_dissolved"] == 1


def test_a_venture_that_achieves_more_than_it_promised_stands_and_shares_its_gains(
        small_scenario):
    model = _model(small_scenario)
    venture, units, _ = _venture(model)
    venture.company.transformation = 0.5
    for _ in range(24):
        model.step()
    assert venture.dissolved_at is None
    assert venture.gain_share > 0 and venture.company.external_sales > 0  # [002:L359; L396]
    assert venture.delivered > venture.promised > 0
    assert all(u.operator is venture.company for u in units if u.is_open)


@pytest.mark.parametrize("chance", [0.0, 1.0])
def test_a_change_of_control_can_end_a_venture(small_scenario, chance):
    model = _model(small_scenario, **{"councils.joint_venture_break_on_change": chance})
    venture, units, _ = _venture(model)
    venture.company.transformation = 0.5  # no shortfall: only politics can end it
    manage_joint_ventures(model)
    assert venture.dissolved_at is None  # no change of control yet
    model.councils[0].control_changed_at = model.month
    manage_joint_ventures(model)
    assert (venture.cause == CONTROL_CHANGE) == (chance == 1.0)
    assert all(u.in_house for u in units) == (chance == 1.0)


def test_control_changes_are_recorded_when_elections_change_control(small_scenario):
    model = _model(small_scenario, **{"councils.control_change_probability": 1.0})
    council = model.councils[0]
    council.hold_election()
    assert council.control_changed_at == model.month


def _reversal_cost(scenario, seconded):
    model = _model(scenario, **{"councils.joint_venture_staff_seconded": seconded})
    venture, _, _ = _venture(model)
    before = model.councils[0].spend[Spending.IN_HOUSE]
    dissolve(model, venture, SHORTFALL, "a test")
    return model.councils[0].spend[Spending.IN_HOUSE] - before


def test_seconded_staff_are_cheaper_to_bring_back_in_house(small_scenario):
    seconded, transferred = (_reversal_cost(small_scenario, s) for s in (True, False))
    assert transferred > 0
    assert seconded == pytest.approx(SECONDED_REVERSAL_SHARE * transferred)


def test_joint_ventures_form_only_where_a_scenario_considers_them(small_scenario):
    assert ReviewOption.JOINT_VENTURE not in BASELINE_OPTIONS
    considered = small_scenario.with_overrides({"councils.options_considered": [
        "in_house_redesign", "joint_venture"]})
    formed = [run(considered, seed=s).summary.iloc[0]["joint_ventures_formed"]
              for s in (1, 2, 3)]
    assert sum(formed) > 0
    assert run(small_scenario, seed=1).summary.iloc[0]["joint_ventures_formed"] == 0


# ----- operations contracts ---------------------------------------------------------------------

def _operated(model, retained):
    """A discretionary unit let to a new private firm, its ownership kept or not."""
    council = model.councils[0]
    unit = next(u for u in council.units if u.is_open and not u.spec.statutory
                and u.spec.building)
    firm = PrivateFirm(model, council.index)
    contract = offer_contract(council, firm, unit, model.month)
    award(contract)
    unit.ownership_retained = retained
    return council, unit, firm


@pytest.mark.parametrize("retained", [False, True])
def test_an_operator_failing_returns_the_unit_to_the_council_that_owns_it(small_scenario,
                                                                           retained):
    model = _model(small_scenario, **{"councils.step_in_probability": 0.0})
    council, unit, firm = _operated(model, retained)
    unit.contract.fixed = 1e-6  # no other provider would take it over at this price
    receipts, trust = model.capital_receipts, council.reputation
    fail_provider(model, firm)
    assert council.reputation < trust  # a failure costs the council trust either way
    if retained:  # the council keeps it: back in-house, open, no building sold
        assert unit.in_house and unit.is_open and model.capital_receipts == receipts
        assert model.operations_returned == 1
    else:  # commissioned externally, nobody stepped in: it closed and was sold
        assert unit.status == UnitStatus.CLOSED and unit.cause == ClosureCause.PROVIDER_FAILURE
        assert model.capital_receipts > receipts


@pytest.mark.parametrize("retained", [False, True])
def test_poor_performance_costs_the_council_trust_where_it_kept_ownership(small_scenario,
                                                                          retained):
    model = _model(small_scenario)
    council, unit, _ = _operated(model, retained)
    council.discretionary_factor = 0.0  # it cannot afford to take back a unit it does not own
    trust = council.reputation
    delivery._respond_to_failing_unit(model, unit)
    loss = model.params.councils.reputation_loss_per_failure
    assert council.reputation == pytest.approx(trust - loss if retained else trust)
    assert unit.is_open == retained and unit.in_house == retained


def test_a_review_choosing_an_operations_contract_tenders_units_the_council_keeps(
        small_scenario):
    model = _model(small_scenario)
    council = model.councils[0]
    council.headroom = 1e9
    units = _in_house(model, council)
    assert contract_out_operations(model, council, units)
    assert all(u.tender is not None and u.ownership_retained for u in units)


def test_in_whole_runs_no_unit_the_council_kept_closes_because_its_operator_failed(
        small_scenario):
    scenario = small_scenario.with_overrides({"councils.options_considered": [
        "in_house_redesign", "operations_contract"]})
    lost = {ClosureCause.PROVIDER_FAILURE, ClosureCause.BELOW_STANDARD,
            ClosureCause.VOLUNTEERS_LOST}
    kept = 0
    for seed in (1, 2):
        model = EcosystemModel(scenario, rng=seed)
        for _ in range(scenario.years * 12):
            model.step()
        retained = [u for u in model.units if u.ownership_retained]
        kept += len(retained)
        assert not [u for u in retained if u.cause in lost]
        returned = [e for e in model.events if e["event"] == "operations_returned"]
        assert len(returned) == model.operations_returned
    assert kept > 0  # reviews did choose operations contracts
