"""Councils' own decisions (`scenario.decisions`): validated, taken at their month."""

from __future__ import annotations

import pandas as pd
import pytest

from ecosystem.model import EcosystemModel
from ecosystem.names import ReviewOption, ReviewTrigger, Spending
from ecosystem.runner import run
from ecosystem.scenario import Scenario
from ecosystem.scenario.schema import ScenarioError

SMALL = {"years": 2, "world": {"households": 40000}}


def small(*decisions: dict, **extra: dict) -> Scenario:
    """A small two-year world with `decisions`."""
    return Scenario.from_dict({**SMALL, **extra, "decisions": list(decisions)})


def test_every_problem_of_a_decision_is_listed_with_its_path():
    with pytest.raises(ScenarioError) as err:
        small({"month": 30, "council": 7,
               "levers": {"capacity.community_support": -5, "councils.ideology": 1.0},
               "priorities": {"no_such_service": "protect"},
               "reviews": {"adult_social_care": "decommission", "parks": "joint_venture"}})
    paths = {path for path, _ in err.value.problems}
    assert paths == {"decisions.0.month", "decisions.0.council",
                     "decisions.0.levers.capacity.community_support",
                     "decisions.0.levers.councils.ideology",
                     "decisions.0.priorities.no_such_service",
                     "decisions.0.reviews.adult_social_care", "decisions.0.reviews.parks"}


def test_decisions_are_checked_even_when_other_fields_are_invalid():
    with pytest.raises(ScenarioError) as err:
        Scenario.from_dict({"years": "ten", "decisions": [{"month": 1, "council": 9}]})
    paths = {path for path, _ in err.value.problems}
    assert {"years", "decisions.0.council"} <= paths


def test_decisions_survive_a_round_trip_through_toml(tmp_path):
    scenario = small({"month": 13, "council": 1, "levers": {"procurement.regime": "light"},
                      "priorities": {"libraries": "protect"}, "reviews": {"parks": "mutual"}})
    path = tmp_path / "game.toml"
    path.write_text(scenario.to_toml())
    assert Scenario.from_toml(path) == scenario


def _support_spend(scenario: Scenario, months: int = 12) -> list[float]:
    """Each council's capacity-support spend over `months`."""
    model = EcosystemModel(scenario, rng=4)
    spent = [0.0] * len(model.councils)
    for _ in range(months):
        model.step()
        for council in model.councils:
            spent[council.index] += council.spend[Spending.SUPPORT]
    return spent


def test_a_lever_a_council_sets_reaches_that_council_alone():
    plain = small()
    own = small({"month": 1, "council": 0, "levers": {"capacity.community_support": 0.0}})
    before, after = _support_spend(plain), _support_spend(own)
    assert before[0] > 0 and after[0] == 0
    assert after[1] > 0 and after[2] > 0
    model = EcosystemModel(own, rng=4)
    model.step()
    assert model.councils[0].params.capacity.community_support == 0.0
    assert model.councils[1].params is model.params


def test_a_lever_stays_in_force_after_an_intervention_changes_the_scenario():
    scenario = Scenario.from_dict({
        **SMALL, "decisions": [{"month": 1, "council": 0,
                                "levers": {"procurement.lot_size": "unit"}}],
        "interventions": [{"month": 5, "field": "procurement.lot_size", "value": "council"},
                          {"month": 5, "field": "capacity.community_support", "value": 10.0}]})
    model = EcosystemModel(scenario, rng=1)
    for _ in range(6):
        model.step()
    mine, other = model.councils[0].params, model.councils[1].params
    assert mine.procurement.lot_size == "unit" and other.procurement.lot_size == "council"
    assert mine.capacity.community_support == 10.0


def _levels(priority: str | None, seeds=range(1, 5)) -> list[float]:
    """Council 1's level for libraries after year 1's plan, with libraries marked `priority`."""
    levels = []
    for seed in seeds:
        decisions = [] if priority is None else [
            {"month": 13, "council": 1, "priorities": {"libraries": priority}}]
        model = EcosystemModel(small(*decisions), rng=seed)
        for _ in range(13):
            model.step()
        levels.append(model.councils[1].level_for("libraries"))
    return levels


def test_a_protected_service_is_cut_less_and_a_cut_first_one_more():
    plain, protected, first = _levels(None), _levels("protect"), _levels("cut_first")
    assert all(p >= q for p, q in zip(protected, plain))
    assert all(f <= q for f, q in zip(first, plain))
    assert sum(protected) > sum(plain) > sum(first)


def test_a_review_a_team_chose_takes_its_option():
    scenario = small({"month": 1, "council": 0, "reviews": {"parks": "community_transfer"}},
                     councils={"gate_pass": 1.0})
    reviews = run(scenario, seed=2).reviews
    mine = reviews[(reviews.trigger == ReviewTrigger.DECISION) & (reviews.council == 0)]
    assert list(mine.service) == ["parks"]
    assert list(mine.option) == [ReviewOption.COMMUNITY_TRANSFER]


def test_decisions_are_reproducible_and_recorded_as_events():
    scenario = small({"month": 1, "council": 2, "levers": {"capacity.commissioning_training":
                                                           150.0},
                      "priorities": {"parks": "cut_first"}, "reviews": {"libraries": "mutual"}})
    first, again = run(scenario, seed=9), run(scenario, seed=9)
    pd.testing.assert_frame_equal(first.timeseries, again.timeseries)
    decided = first.events[first.events.event == "decision"]
    assert set(decided.council) == {2}
    assert decided.why.str.contains("commissioning_training").any()
    assert decided.why.str.contains("mutual for libraries").any()
