"""The debrief of a workshop game: paths, "was it luck?", the timeline and the exports."""

from __future__ import annotations

import html
import re

import numpy as np
import pandas.testing as pdt
import pytest

from ecosystem import Scenario
from ecosystem.runner import run
from ecosystem.scenario.decisions import COUNCIL_LEVERS, Decision
from ecosystem.workshop.debrief import (
    Debrief,
    debrief,
    decision_words,
    league_path,
    scenario_toml,
)
from ecosystem.workshop.league import MEASURES, council_name
from ecosystem.workshop.report import report_html
from tests.conftest import SMALL

SEED = 3
YEARS = 2
COUNCILS = 4
DECISIONS = (
    Decision(month=1, council=0, levers={"capacity.community_support": 150.0},
             priorities={"libraries": "protect"}, reviews={"youth_services": "community_transfer"}),
    Decision(month=13, council=2, levers={"procurement.regime": "light"},
             priorities={"parks": "cut_first"}, reviews={"libraries": "outsource"}),
)


@pytest.fixture(scope="module")
def baseline() -> Scenario:
    """A small four-council world for two years."""
    return Scenario().with_overrides({**SMALL, "world.councils": COUNCILS, "years": YEARS,
                                      "name": "debrief test"})


@pytest.fixture(scope="module")
def played(baseline: Scenario) -> Scenario:
    """The baseline with two teams' decisions, as a room's played_scenario() gives it."""
    return Scenario.from_dict({**baseline.model_dump(mode="json"),
                               "decisions": [d.model_dump(mode="json") for d in DECISIONS]})


@pytest.fixture(scope="module")
def serial(played: Scenario, baseline: Scenario) -> Debrief:
    """The debrief over three other seeds, run in this process."""
    return debrief(played, baseline, SEED, other_seeds=3, workers=0)


def test_league_path_has_a_row_per_council_before_and_after_each_year(played):
    path = league_path(played, SEED)
    assert len(path) == YEARS + 1
    for rows in path:
        assert [int(r["council"]) for r in rows] == list(range(COUNCILS))
        assert all(set(MEASURES) <= set(r) for r in rows)


def test_paths_are_the_game_and_the_baseline_with_the_same_seed(serial, played, baseline):
    assert serial.path == league_path(played, SEED)
    assert serial.baseline_path == league_path(baseline, SEED)
    assert serial.path != serial.baseline_path  # the decisions changed something


def test_luck_replays_both_over_the_other_seeds(serial, played, baseline):
    assert serial.other_seeds == (SEED + 1, SEED + 2, SEED + 3)
    ends = [league_path(played, s)[-1] for s in serial.other_seeds]
    for c in range(COUNCILS):
        assert set(serial.luck[c]) == set(MEASURES)
        for measure, luck in serial.luck[c].items():
            assert luck.game.values == tuple(rows[c][measure] for rows in ends)
            assert len(luck.baseline.values) == 3
            diff = np.array(luck.game.values) - np.array(luck.baseline.values)
            assert luck.difference.values == pytest.approx(tuple(diff))
            assert luck.difference.low <= luck.difference.mean <= luck.difference.high
            for side in (luck.game, luck.baseline):
                assert side.low - 1e-12 <= side.mean <= side.high + 1e-12
                assert min(side.values) <= side.low and side.high <= max(side.values)


def test_twenty_seeds_by_default_and_ranges_bracket_means(played, baseline):
    full = debrief(played, baseline, SEED, workers=0)
    assert full.other_seeds == tuple(range(SEED + 1, SEED + 21))
    for per_council in full.luck:
        for luck in per_council.values():
            assert len(luck.game.values) == len(luck.baseline.values) == 20
            for side in (luck.game, luck.baseline):
                assert side.low - 1e-12 <= side.mean <= side.high + 1e-12
            assert luck.verdict


def test_a_pool_gives_the_same_debrief_as_one_process(serial, played, baseline):
    assert debrief(played, baseline, SEED, other_seeds=3, workers=2) == serial


def test_timeline_tells_each_decision_in_words_in_its_year(serial):
    assert len(serial.timeline) == COUNCILS
    assert all(len(years) == YEARS for years in serial.timeline)
    for decision in DECISIONS:
        year = serial.timeline[decision.council][(decision.month - 1) // 12]
        assert set(decision_words(decision)) <= set(year.decided)
        assert any(COUNCIL_LEVERS[path] in line for line in year.decided
                   for path in decision.levers)
        assert any(h.kind == "decision" for h in year.followed)
        for service in decision.reviews:
            reviews = [h.text for h in year.followed if h.kind == "review"
                       and service.replace("_", " ") in h.text]
            assert reviews and all(re.search("completed|stopped|running", t) for t in reviews)
    assert not serial.timeline[1][0].decided  # a council that decided nothing


def test_report_is_one_self_contained_page(serial, played):
    names = ["Avon & <Wey>", "", "Brent", "Colne"]
    page = report_html(serial, played, names)
    assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:)?//", page)
    assert "<script" not in page and "<link" not in page and "@import" not in page
    assert "Avon &amp; &lt;Wey&gt;" in page and "Avon & <Wey>" not in page
    assert council_name(1) in page and "Brent" in page and "Colne" in page
    assert page.count("<svg") >= COUNCILS * len(MEASURES)
    assert all(heading in page for heading, _ in MEASURES.values())
    assert f"<pre>{html.escape(scenario_toml(played, serial.seed))}</pre>" in page


def test_exported_toml_reruns_the_game(tmp_path, played):
    path = tmp_path / "game.toml"
    path.write_text(scenario_toml(played, SEED), encoding="utf-8")
    assert f"--seed {SEED}" in path.read_text(encoding="utf-8")
    loaded = Scenario.from_toml(path)
    assert loaded.decisions == played.decisions
    pdt.assert_frame_equal(run(loaded, SEED).timeseries, run(played, SEED).timeseries)
