"""Tests of ecosystem.experiments.analysis on small synthetic results stores (no model runs)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ecosystem.experiments.analysis import (
    compare,
    kaplan_meier,
    paired_differences,
    rank_sensitivity,
    survival_curve,
)
from ecosystem.experiments.report import reading, write_report

REPLICATES = 20
MONTHS = 24


def _summary(seed: int = 1) -> pd.DataFrame:
    """baseline; planted = baseline + 1 (+ small noise); null = an independent same draw."""
    rng = np.random.default_rng(seed)
    base = rng.normal(10.0, 1.0, REPLICATES)
    arms = {
        "baseline": base,
        "planted": base + 1.0 + rng.normal(0.0, 0.05, REPLICATES),
        "null": rng.normal(10.0, 1.0, REPLICATES),
    }
    rows = []
    for variant, values in arms.items():
        for r, value in enumerate(values):
            rows.append({"run": len(rows), "variant": variant, "replicate": r,
                         "root_entropy": str(2**100 + 7), "spawn_key": f"({r},)",
                         "coverage": value, "unmet_need": 1.0 - value / 20.0,
                         "social_value": value * 3.0})
    return pd.DataFrame(rows)


def _row(table: pd.DataFrame, variant: str, metric: str) -> pd.Series:
    match = table[(table["variant"] == variant) & (table["metric"] == metric)]
    assert len(match) == 1
    return match.iloc[0]


def test_planted_effect_is_found_and_null_is_not():
    table = paired_differences(_summary(), "baseline", ["coverage"], n_boot=2000, seed=0)
    assert set(table["variant"]) == {"planted", "null"}
    planted = _row(table, "planted", "coverage")
    assert bool(planted["significant"])
    assert planted["ci_low"] <= 1.0 <= planted["ci_high"]
    assert planted["ci_high"] - planted["ci_low"] < 0.2
    assert planted["replicates"] == REPLICATES
    assert planted["difference"] == pytest.approx(
        planted["variant_mean"] - planted["baseline_mean"])
    null = _row(table, "null", "coverage")
    assert not bool(null["significant"])
    assert null["ci_low"] < 0.0 < null["ci_high"]


def test_null_with_exactly_zero_mean_difference_is_never_significant():
    summary = _summary()
    base = summary[summary["variant"] == "baseline"]
    noise = np.random.default_rng(5).normal(0.0, 0.3, REPLICATES)
    twin = base.assign(variant="twin", coverage=base["coverage"] + noise - noise.mean())
    table = paired_differences(pd.concat([base, twin]), "baseline", ["coverage"])
    row = _row(table, "twin", "coverage")
    assert row["difference"] == pytest.approx(0.0, abs=1e-12)
    assert not bool(row["significant"])


def test_bootstrap_is_deterministic_for_a_seed():
    one = paired_differences(_summary(), "baseline", ["coverage", "social_value"], seed=3)
    two = paired_differences(_summary(), "baseline", ["coverage", "social_value"], seed=3)
    other = paired_differences(_summary(), "baseline", ["coverage", "social_value"], seed=4)
    pd.testing.assert_frame_equal(one, two)
    assert not np.allclose(one["ci_low"], other["ci_low"])


def test_pairing_by_replicate_survives_shuffling_and_a_missing_replicate():
    # Replicates differ hugely from one another, so mis-pairing would wreck the difference.
    rows = []
    for r in range(10):
        rows.append({"run": r, "variant": "baseline", "replicate": r, "coverage": 100.0 * r})
        if r != 3:
            rows.append({"run": 10 + r, "variant": "up", "replicate": r,
                         "coverage": 100.0 * r + 2.5})
    shuffled = pd.DataFrame(rows).sample(frac=1.0, random_state=11)
    assert list(shuffled["replicate"]) != sorted(shuffled["replicate"])
    row = _row(paired_differences(shuffled, "baseline", ["coverage"]), "up", "coverage")
    assert row["replicates"] == 9
    assert row["unpaired"] == 1
    assert row["difference"] == pytest.approx(2.5)
    assert row["ci_low"] == pytest.approx(2.5)
    assert row["ci_high"] == pytest.approx(2.5)
    assert bool(row["significant"])
    assert row["baseline_mean"] == pytest.approx(np.mean([100.0 * r for r in range(10)
                                                          if r != 3]))


def test_nan_metric_values_are_dropped_from_pairs():
    summary = _summary()
    summary.loc[(summary["variant"] == "planted") & (summary["replicate"] < 2),
                "coverage"] = np.nan
    row = _row(paired_differences(summary, "baseline", ["coverage"]), "planted", "coverage")
    assert row["replicates"] == REPLICATES - 2
    assert row["unpaired"] == 2
    assert np.isfinite(row["difference"])


def test_reading_is_plain_language():
    row = {"variant": "social-value-20", "metric": "social_value", "difference": 12.3,
           "ci_low": 8.1, "ci_high": 16.0, "replicates": 10, "significant": True}
    assert reading(row) == ("social-value-20 raises social_value by 12.3 "
                            "(95% CI 8.1 to 16.0, 10 paired replicates)")
    lower = {**row, "difference": -0.0123, "ci_low": -0.02, "ci_high": -0.005}
    assert reading(lower).startswith("social-value-20 lowers social_value by 0.0123")
    null = {**row, "difference": 0.2, "ci_low": -1.0, "ci_high": 1.4, "significant": False}
    assert "no detectable difference" in reading(null)


# --------------------------------------------------------------------------- stores


def _units(variants: list[str], seed: int = 2) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    kinds = ["council", "private", "community"]
    rows = []
    for v_index, variant in enumerate(variants):
        for r in range(3):
            for u in range(12):
                closes = rng.random() < 0.3 + 0.1 * v_index
                rows.append({
                    "run": v_index * 3 + r, "variant": variant, "replicate": r, "unit": u,
                    "service": "library", "council": "c0", "rurality": u / 12,
                    "settlement": u % 4, "initial_operator": kinds[u % 3],
                    "operator": kinds[u % 3], "opened": 0,
                    "closed": int(rng.integers(1, MONTHS)) if closes else None,
                    "cause": "failure" if closes else "", "status": "closed" if closes
                    else "open"})
    units = pd.DataFrame(rows)
    units["closed"] = units["closed"].astype("Int64")
    return units


def _timeseries(summary: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for _, run in summary.iterrows():
        for month in range(MONTHS + 1):
            rows.append({"run": run["run"], "variant": run["variant"],
                         "replicate": run["replicate"], "month": month,
                         "service_survival": 1.0 - month / 100.0,
                         "unmet_need": run["unmet_need"] * month / MONTHS,
                         "external_share": 0.3})
    return pd.DataFrame(rows)


def _store(tmp_path: Path, question: str | None = None) -> Path:
    directory = tmp_path / "sweep"
    directory.mkdir()
    summary = _summary()
    variants = ["baseline", "planted", "null"]
    summary.to_parquet(directory / "summary.parquet")
    _timeseries(summary).to_parquet(directory / "timeseries.parquet")
    _units(variants).to_parquet(directory / "units.parquet")
    manifest = {"months": MONTHS, "variants": variants, "replicates": REPLICATES}
    (directory / "manifest.json").write_text(json.dumps(manifest))
    if question is not None:
        (directory / "experiment.toml").write_text(
            f'name = "demo"\nquestion = {json.dumps(question)}\n')
    return directory


def test_compare_defaults_to_the_manifest_baseline_and_present_metrics(tmp_path):
    directory = _store(tmp_path)
    table = compare(directory)
    assert set(table["variant"]) == {"planted", "null"}
    assert set(table["metric"]) == {"coverage", "unmet_need", "social_value"}
    assert bool(_row(table, "planted", "social_value")["significant"])
    against_null = compare(directory, baseline="null", metrics=["coverage"])
    assert set(against_null["variant"]) == {"baseline", "planted"}


def test_compare_rejects_unknown_baseline_and_metric(tmp_path):
    directory = _store(tmp_path)
    with pytest.raises(ValueError, match="unknown baseline 'nope'"):
        compare(directory, baseline="nope")
    with pytest.raises(ValueError, match="unknown metric"):
        compare(directory, metrics=["coverage", "not_a_metric"])


# --------------------------------------------------------------------------- survival


def test_kaplan_meier_hand_computed():
    # durations (months): 2 closed, 6 censored, 3 closed, 3 closed, 4 censored
    units = pd.DataFrame({
        "opened": [0, 0, 1, 0, 2],
        "closed": pd.array([2, None, 4, 3, None], dtype="Int64"),
        "initial_operator": ["private"] * 5,
    })
    curve = survival_curve(units, 6, "initial_operator")
    assert list(curve["month"]) == list(range(7))
    assert set(curve["group"]) == {"private"}
    expected = [1.0, 1.0, 0.8, 0.4, 0.4, 0.4, 0.4]  # 4/5 at t=2, then 2 of 4 at risk at t=3
    assert curve["survival"].to_numpy() == pytest.approx(expected)
    assert list(curve["at_risk"]) == [5, 5, 5, 4, 2, 1, 1]


def test_survival_by_group_and_derived_area():
    units = pd.DataFrame({
        "opened": [0, 0, 0, 0],
        "closed": pd.array([1, None, None, None], dtype="Int64"),
        "settlement": [3, 2, 0, 1],
        "initial_operator": ["community", "community", "council", "private"],
    })
    by_area = survival_curve(units, 4, "area").set_index(["group", "month"])["survival"]
    assert by_area[("rural", 0)] == 1.0
    assert by_area[("rural", 4)] == pytest.approx(0.5)
    assert by_area[("urban", 4)] == pytest.approx(1.0)
    by_kind = survival_curve(units, 4, "initial_operator")
    assert set(by_kind["group"]) == {"community", "council", "private"}
    with pytest.raises(ValueError, match="unknown grouping column"):
        survival_curve(units, 4, "nope")


def test_kaplan_meier_starts_at_one_and_never_rises():
    rng = np.random.default_rng(0)
    durations = rng.integers(1, 31, 200)
    events = rng.random(200) < 0.5
    curve = kaplan_meier(durations, events, 30)
    assert curve["survival"].iloc[0] == 1.0
    assert np.all(np.diff(curve["survival"]) <= 0)
    assert 0.0 < curve["survival"].iloc[-1] < 1.0
    # without censoring, Kaplan-Meier is the empirical survival function
    plain = kaplan_meier(durations, np.ones(200, dtype=bool), 30)
    assert plain["survival"].iloc[10] == pytest.approx(np.mean(durations > 10))


# --------------------------------------------------------------------------- report


def test_write_report_is_self_contained(tmp_path):
    directory = _store(tmp_path, question="Does <planting> help rural & urban areas?")
    path = write_report(directory)
    assert path == directory / "report.html"
    text = path.read_text(encoding="utf-8")
    assert '<img src="data:image/png;base64,' in text
    assert text.count("data:image/png;base64,") == 4  # series, outcomes, 2 x survival
    for variant in ("baseline", "planted", "null"):
        assert variant in text
    assert "http://" not in text and "https://" not in text
    assert "<script" not in text and "<link" not in text
    assert "Does &lt;planting&gt; help rural &amp; urban areas?" in text
    assert "<planting>" not in text
    assert "planted raises coverage by" in text
    assert "null: no detectable difference in coverage" in text


def test_write_report_to_another_path_without_optional_tables(tmp_path):
    directory = _store(tmp_path)
    (directory / "timeseries.parquet").unlink()
    (directory / "units.parquet").unlink()
    out = write_report(directory, out=tmp_path / "elsewhere.html")
    assert out == tmp_path / "elsewhere.html" and out.exists()
    assert not (directory / "report.html").exists()
    text = out.read_text(encoding="utf-8")
    assert "No unit table was stored" in text
    assert "data:image/png;base64," in text


# --------------------------------------------------------------------------- sensitivity

PROBLEM = {"num_vars": 2, "names": ["levers.x1", "levers.x2"], "bounds": [[0.0, 1.0]] * 2}


def _design_summary(x: np.ndarray, y: np.ndarray, replicates: int = 1,
                    noise: float = 0.0) -> pd.DataFrame:
    rng = np.random.default_rng(9)
    rows = []
    for point, (values, out) in enumerate(zip(x, y)):
        for r in range(replicates):
            rows.append({"run": len(rows), "variant": f"point-{point:05d}", "replicate": r,
                         "param:levers.x1": values[0], "param:levers.x2": values[1],
                         "coverage": out + rng.normal(0.0, noise) if noise else out})
    return pd.DataFrame(rows)


def test_morris_ranks_the_influential_parameter_first():
    from SALib.sample import morris

    x = morris.sample(PROBLEM, 10, num_levels=4, seed=1)
    y = 5.0 * x[:, 0] + 0.0 * x[:, 1]
    summary = _design_summary(x, y).sample(frac=1.0, random_state=3)  # run order restored
    ranked = rank_sensitivity(summary, "morris", PROBLEM, "coverage")
    assert list(ranked["name"]) == ["levers.x1", "levers.x2"]
    assert ranked["mu_star"].iloc[0] == pytest.approx(5.0)
    assert ranked["mu_star"].iloc[1] == pytest.approx(0.0)
    assert list(ranked.columns[:3]) == ["name", "mu_star", "sigma"]


def test_morris_averages_replicates_of_each_design_point():
    from SALib.sample import morris

    x = morris.sample(PROBLEM, 10, num_levels=4, seed=2)
    y = 0.0 * x[:, 0] + 5.0 * x[:, 1]
    summary = _design_summary(x, y, replicates=3, noise=0.01)
    ranked = rank_sensitivity(summary, "morris", PROBLEM, "coverage")
    assert list(ranked["name"]) == ["levers.x2", "levers.x1"]
    assert ranked["mu_star"].iloc[0] == pytest.approx(5.0, abs=0.1)


def test_sobol_ranks_by_total_order():
    from SALib.sample import sobol

    x = sobol.sample(PROBLEM, 256, calc_second_order=False, seed=3)
    y = x[:, 0] + 4.0 * x[:, 1]
    ranked = rank_sensitivity(_design_summary(x, y), "sobol", PROBLEM, "coverage")
    assert list(ranked["name"]) == ["levers.x2", "levers.x1"]
    assert list(ranked.columns[:3]) == ["name", "S1", "ST"]
    assert ranked["ST"].iloc[0] > 0.8 > 0.2 > ranked["ST"].iloc[1]


def test_rank_sensitivity_rejects_bad_input():
    from SALib.sample import morris

    x = morris.sample(PROBLEM, 4, num_levels=4, seed=1)
    summary = _design_summary(x, x[:, 0])
    with pytest.raises(ValueError, match="unknown method"):
        rank_sensitivity(summary, "fast", PROBLEM, "coverage")
    with pytest.raises(ValueError, match="lacks column"):
        rank_sensitivity(summary, "morris", PROBLEM, "satisfaction")
    with pytest.raises(ValueError, match="trajectories"):
        rank_sensitivity(summary.iloc[:-1], "morris", PROBLEM, "coverage")


@pytest.mark.parametrize("method_in", ["spec", "manifest"])
def test_report_of_a_morris_design_shows_sensitivity(tmp_path, method_in):
    from SALib.sample import morris

    directory = tmp_path / "design"
    directory.mkdir()
    x = morris.sample(PROBLEM, 6, num_levels=4, seed=1)
    _design_summary(x, 5.0 * x[:, 0], replicates=2, noise=0.01).to_parquet(
        directory / "summary.parquet")
    manifest = {"experiment": "screen", "months": MONTHS, "replicates": 2,
                "variants": [f"point-{i:05d}" for i in range(len(x))]}
    if method_in == "manifest":  # as the sweep runner writes it
        manifest.update(design="morris", problem=PROBLEM)
    else:
        (directory / "experiment.toml").write_text(
            'name = "screen"\n[design]\nmethod = "morris"\nlevels = 4\n')
    (directory / "manifest.json").write_text(json.dumps(manifest))
    text = write_report(directory).read_text(encoding="utf-8")
    assert "Sensitivity" in text and "Morris indices" in text
    first = text.index("levers.x1", text.index("Morris indices"))
    assert first < text.index("levers.x2", text.index("Morris indices"))
    assert "data:image/png;base64," in text
    assert "Comparison with" not in text
    assert "<h1>screen</h1>" in text
