"""The inputs of issue 10 ("every bad input answered"), and what fuzzing found, as cases.

Each is refused with `ScenarioError` naming the field at fault (or, for the good ones,
accepted and run). Several were fixed before the issue's second round; they stay as
regression cases. The generated inputs are in test_fuzz.py.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

from ecosystem import Scenario, ScenarioError, run
from ecosystem.experiments.spec import MAX_RUNS, build_experiment

from .conftest import SMALL, UNCAPPED_GRID, assert_answered, nested_tables

WEIGHTS_ZEROED_IN_TWO_STEPS = [
    {"month": 2, "field": "procurement.price_weight", "value": 0.0},
    {"month": 3, "field": "procurement.quality_weight", "value": 0.0}]
WITH_MUSEUMS = {"services": {"catalogue": {"museums": {"catchment": 5.0}}}}

SCENARIO_CASES = {
    "non-string override key": (lambda: Scenario().with_overrides({1: 2}), "1"),
    "overrides not a mapping": (lambda: Scenario().with_overrides([("years", 1)]), ""),
    "non-string field applied": (lambda: Scenario().applying(3, 1.0), "3"),
    "override string nested 5,000 deep": (
        lambda: Scenario().with_overrides({"years": "[" * 5000}), "years"),
    "review stage negative": (
        lambda: Scenario().with_overrides({"councils.review_stage_months": [-1, 3, 3, 6, 1]}),
        "councils.review_stage_months.0"),
    "review stages all zero": (
        lambda: Scenario().with_overrides({"councils.review_stage_months": [0, 0, 0, 0, 0]}),
        "councils.review_stage_months.4"),
    "intervention after the run": (lambda: Scenario.from_dict({"years": 1, "interventions": [
        {"month": 500, "field": "councils.ideology", "value": 0.1}]}), "interventions.0.month"),
    "fewer years cut an intervention off": (lambda: Scenario.from_dict({"interventions": [
        {"month": 36, "field": "councils.ideology", "value": 0.1}]}).with_overrides(
        {"years": 1}), "interventions.0.month"),
    "intervention after the run, other fields bad too": (lambda: Scenario.from_dict({
        "years": 1, "councils": {"ideology": 5}, "interventions": [
            {"month": 13, "field": "councils.ideology", "value": 0.1}]}),
        "interventions.0.month"),
    "empty catalogue mid-run drops a service": (lambda: Scenario.from_dict({
        **WITH_MUSEUMS, "interventions": [
            {"month": 2, "field": "services.catalogue", "value": {}}]}),
        "interventions.0.value"),
    "service added mid-run": (lambda: Scenario.from_dict({"interventions": [
        {"month": 2, "field": "services.catalogue", "value": WITH_MUSEUMS["services"]
         ["catalogue"]}]}), "interventions.0.value"),
    "catchment changed through its service": (lambda: Scenario.from_dict({"interventions": [
        {"month": 2, "field": "services.catalogue.libraries", "value": {"catchment": 3.0}}]}),
        "interventions.0.value"),
    "zone size changed through its group": (lambda: Scenario.from_dict({"interventions": [
        {"month": 2, "field": "services", "value": {"zone_size": 5}}]}),
        "interventions.0.value"),
    "award weights zeroed in two steps": (lambda: Scenario.from_dict(
        {"interventions": WEIGHTS_ZEROED_IN_TWO_STEPS}), "interventions.1.value"),
    "service name with a dot": (lambda: Scenario.from_dict(
        {"services": {"catalogue": {"arts.centres": {}}}}), "services.catalogue"),
    # found by hypothesis: a free service's tenders are worth nothing, and the price ratio
    # of their awards divided by zero in month 14
    "service that costs nothing to run": (lambda: Scenario().with_overrides(
        {"services.catalogue.parks.fixed_cost": 0.0}), "services.catalogue.parks.fixed_cost"),
}


@pytest.mark.parametrize("case", list(SCENARIO_CASES))
def test_bad_scenarios_are_refused_with_the_field_path(case):
    make, path = SCENARIO_CASES[case]
    with pytest.raises(ScenarioError) as err:
        make()
    assert_answered(err.value)
    assert path in [p for p, _ in err.value.problems], err.value


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_file_that_never_ends_is_refused_unread():
    with pytest.raises(ScenarioError, match="too large"):
        Scenario.from_toml("/dev/zero")


def test_the_issues_good_inputs_are_accepted_and_run(tmp_path):
    path = tmp_path / "libraries.toml"
    path.write_text("[services.catalogue.libraries]\nvolunteerable = 0.8\n", encoding="utf-8")
    catalogue = Scenario.from_toml(path).services.catalogue
    defaults = Scenario().services.catalogue
    assert catalogue["libraries"].volunteerable == 0.8
    assert {name: spec for name, spec in catalogue.items() if name != "libraries"} == {
        name: spec for name, spec in defaults.items() if name != "libraries"}
    keen = Scenario().with_overrides({**SMALL, "years": 1, "councils.staff_enthusiasm": 1.0})
    assert len(run(keen, seed=4, months=2).timeseries) == 3
    emptied = Scenario.from_dict({"years": 1, "interventions": [
        {"month": 2, "field": "services.catalogue", "value": {}}]}).with_overrides(SMALL)
    assert len(run(emptied, seed=3, months=3).timeseries) == 4


def spec_of(**fields: Any) -> dict[str, Any]:
    """A small valid spec with `fields` changed."""
    return {"name": "case", "replicates": 2, "months": 12, **fields}


LATE = [{"month": 60, "field": "councils.ideology", "value": 0.2}]
SPEC_CASES = {
    "empty variants": (spec_of(variants={}), "variants"),
    "design plus variants": (spec_of(variants={"a": {}, "b": {"councils.ideology": 0.2}},
                                     design={"method": "lhs", "fields": {"councils.ideology": {}}}),
                             "variants"),
    "design with no fields": (spec_of(design={"method": "grid", "fields": {}}), "design.fields"),
    "uncapped grid": (spec_of(design=UNCAPPED_GRID), "design"),
    "too many replicates of the variants": (spec_of(replicates=60_000, variants={
        "a": {}, "b": {"councils.ideology": 0.2}}), "replicates"),
    "base a directory": (spec_of(base="folder"), "base"),
    "base a directory, with overrides": (spec_of(base="folder", set={"years": 1}), "base"),
    "base not UTF-8": (spec_of(base="binary.toml"), "base"),
    "base with a NUL byte": (spec_of(base="a\x00b"), "base"),
    "spec not a table": ([1, 2], ""),
    "months cut the base's intervention off": (spec_of(base="late.toml"),
                                                "base.interventions.0.month"),
    "months cut set's intervention off": (spec_of(set={"interventions": LATE}),
                                          "set.interventions.0.month"),
    "months cut a variant's intervention off": (spec_of(variants={"a": {"interventions": LATE}}),
                                                "variants.a.interventions.0.month"),
    "variant changes the run's length": (spec_of(variants={"a": {}, "b": {"years": 3}}),
                                         "variants.b.years"),
    "design over years": (spec_of(design={"method": "grid", "fields": {"years": [1, 2]}}),
                          "design.fields.years"),
    "grid of an int field given nan": (spec_of(design={"method": "grid", "fields": {
        "world.towns": [math.nan]}}), "design.point.0.world.towns"),
    "grid of an int field given text": (spec_of(design={"method": "grid", "fields": {
        "world.towns": ["many"]}}), "design.point.0.world.towns"),
    "lhs given values, not a range": (spec_of(design={"method": "lhs", "fields": {
        "councils.ideology": [0.0, 0.5]}}), "design.fields.councils.ideology"),
    "range of nan": (spec_of(design={"method": "lhs", "fields": {
        "councils.ideology": {"min": math.nan}}}), "design.fields.councils.ideology.range.min"),
    "odd morris levels": (spec_of(design={"method": "morris", "levels": 3, "fields": {
        "councils.ideology": {}}}), "design.levels"),
    "sobol size not a power of two": (spec_of(design={"method": "sobol", "samples": 6,
                                                      "fields": {"councils.ideology": {}}}),
                                      "design.samples"),
    "an output listed twice": (spec_of(outputs=["unmet_need", "unmet_need"]), "outputs.1"),
    "overrides nested 5,000 deep": (spec_of(set=nested_tables(5000)), "set"),
}


@pytest.mark.parametrize("case", list(SPEC_CASES))
def test_bad_specs_are_refused_with_the_field_path(case, input_files, monkeypatch):
    data, path = SPEC_CASES[case]
    capped = case in ("uncapped grid", "too many replicates of the variants")
    if capped:  # counted, never made: 100 million points would fill the memory
        monkeypatch.setattr("ecosystem.experiments.spec._sample", _never)
        monkeypatch.setattr("ecosystem.experiments.spec.RunPlan", _never)
    with pytest.raises(ScenarioError) as err:
        build_experiment(data, input_files, "spec")
    assert_answered(err.value)
    assert path in [p for p, _ in err.value.problems], err.value
    if capped:
        assert f"{MAX_RUNS:,}" in str(err.value)


def _never(*args: Any, **kwargs: Any) -> None:
    raise AssertionError("the plans of an experiment over the cap were made")
