"""The case library: every case loads as a preset, lists, and its documented outcomes hold."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from ecosystem.experiments.case_outcomes import (
    as_stored,
    evaluate,
    metric_problems,
    read_results,
)
from ecosystem.experiments.child_processes import worker_pool
from ecosystem.scenario import Scenario, ScenarioError
from ecosystem.scenario import cases as case_library
from ecosystem.scenario.cases import GROUPS, case_files, list_cases, load_case
from ecosystem.scenario.presets import list_presets, load_preset, preset_groups

from .test_cli import cli

STORE = Path(__file__).resolve().parents[1] / "docs" / "case-results.json"
BAD_CASE = """
name = "bad"
[councils]
ideology = 3.0
[case]
title = "Bad"
group = "nowhere"
place = "Somewhere"
models = ["partnership", "teleportation"]
story = "A story."
sources = ["002:L1"]
[[case.outcomes]]
documented = "Something"
metric = "no_such_metric"
direction = "above"
than = 0.0
versus = { "councils.ideology" = 0.0 }
[[case.outcomes]]
documented = "Something else"
metric = "coverage"
direction = "below"
versus = { "councils.no_such_field" = 1 }
"""


def test_every_case_is_a_preset_in_its_group() -> None:
    groups = preset_groups()
    for name, case in list_cases().items():
        assert load_preset(name) == case.scenario
        assert name in list_presets()
        assert name in groups[GROUPS[case.info.group]]
        assert Scenario.from_toml(case_files()[name]) == case.scenario  # `[case]` left out
    assert groups[GROUPS["places"]] == ["baseline", "rural-county", "urban-city"]


def test_a_bad_case_table_reports_every_problem_with_its_path(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "bad.toml").write_text(BAD_CASE, encoding="utf-8")
    monkeypatch.setattr(case_library, "CASE_DIR", tmp_path)
    with pytest.raises(ScenarioError) as err:
        load_case("bad")
    paths = [path for path, _ in err.value.problems]
    assert "case.group" in paths
    assert "councils.ideology" in paths
    assert any(p.startswith("case.models") for p in paths)
    assert any(p.startswith("case.outcomes.0") for p in paths)  # both `than` and `versus`
    with pytest.raises(ScenarioError) as err:
        load_case("nope")
    assert "unknown case 'nope'" in str(err.value)


def test_a_case_with_a_bad_metric_or_twin_is_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = BAD_CASE.replace('group = "nowhere"', 'group = "localis"').replace(
        '"teleportation"', '"shared_services"').replace("ideology = 3.0", "ideology = 0.5")
    (tmp_path / "bad.toml").write_text(text.replace("than = 0.0\n", ""), encoding="utf-8")
    monkeypatch.setattr(case_library, "CASE_DIR", tmp_path)
    with pytest.raises(ScenarioError) as err:
        load_case("bad")
    paths = [path for path, _ in err.value.problems]
    assert any(p.startswith("case.outcomes.1.versus.councils.no_such_field") for p in paths)
    text = text.replace('"councils.no_such_field"', '"councils.ideology"')
    (tmp_path / "bad.toml").write_text(text.replace("than = 0.0\n", ""), encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        evaluate(load_case("bad"))  # refused before anything runs
    assert [path for path, _ in err.value.problems] == ["case.outcomes.0.metric"]


def test_every_shipped_case_names_metrics_a_run_reports() -> None:
    for case in list_cases().values():
        assert metric_problems(case) == [], case.name


def test_cli_lists_the_cases_and_shows_one() -> None:
    listed = cli("cases")
    assert listed.returncode == 0, listed.stderr
    for name in case_files():
        assert name in listed.stdout
    name = next(iter(case_files()))
    shown = cli("cases", name)
    assert shown.returncode == 0, shown.stderr
    assert load_case(name).info.title in shown.stdout
    assert f"ecosystem run --preset {name}" in shown.stdout
    unknown = cli("cases", "no-such-case")
    assert unknown.returncode == 2
    assert "unknown case 'no-such-case'" in unknown.stderr
    assert "Traceback" not in unknown.stderr


@pytest.fixture(scope="module")
def pool() -> Iterator[ProcessPoolExecutor]:
    with worker_pool() as workers:
        yield workers


@pytest.mark.slow
@pytest.mark.parametrize("name", list(case_files()))
def test_documented_outcomes_hold_and_match_the_docs(
        name: str, pool: ProcessPoolExecutor) -> None:
    """Each outcome holds over the replicates, and docs/cases.md shows what the model gives."""
    stored = read_results(STORE)
    case = load_case(name)
    for result in evaluate(case, pool):
        gap = case.info.outcomes[result.outcome].known_gap
        assert result.holds != bool(gap), (
            f"{name}: {result.metric} = {result.mean:.4g}, documented {result.direction} "
            f"{result.reference:.4g} (interval {result.low:.4g} to {result.high:.4g}); "
            + ("it now holds: drop its known_gap" if gap else "it does not hold"))
        assert as_stored(result) == stored.get((name, result.outcome)), (
            "docs/case-results.json is out of date: uv run python scripts/case_results.py "
            f"{name} && uv run python scripts/gen_docs.py")
