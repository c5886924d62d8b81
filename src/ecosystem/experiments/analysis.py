"""Analysis of a sweep's results store: paired comparisons, survival curves, sensitivity.

A sweep writes one directory with `summary.parquet` (one row per finished run),
`timeseries.parquet` (one row per run and month), `units.parquet` (one row per service unit
per run) and `manifest.json`. This module reads those files directly with pandas; the HTML
report built from them is in `report.py`.

Variants of a sweep share seeds replicate by replicate (common random numbers), so a variant
is compared with the baseline through paired differences: replicate r of the variant minus
replicate r of the baseline, with a percentile bootstrap confidence interval of their mean.
"""

from __future__ import annotations

import json
import math
import tomllib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

DEFAULT_METRICS = (
    "service_survival", "coverage", "coverage_rural", "coverage_gap", "unmet_need",
    "external_share", "provider_failures", "social_value", "total_spend", "satisfaction",
    "trust_in_council", "community_capacity", "volunteers_active",
)
"""Policy metrics compared by default (those present in the summary table)."""

TIMESERIES_METRICS = (
    "service_survival", "unmet_need", "external_share", "coverage_gap",
    "social_care_spend_share",
)
"""Metrics drawn as time series in the report (those present)."""

ID_COLUMNS = ("run", "variant", "replicate", "root_entropy", "spawn_key", "month")
PARAM_PREFIX = "param:"
DIFFERENCE_COLUMNS = [
    "variant", "metric", "baseline_mean", "variant_mean", "difference", "ci_low", "ci_high",
    "replicates", "significant", "unpaired",
]
SAMPLED_DESIGNS = ("morris", "sobol")
"""Designs that sample parameters (read by sensitivity analysis, not paired comparison)."""
RURAL_SETTLEMENT = 2  # settlement codes >= 2 (village, sparse) count as rural


# --------------------------------------------------------------------------- paired stats


def bootstrap_mean_ci(
    values: np.ndarray, n_boot: int = 2000, seed: int = 0, level: float = 0.95
) -> tuple[float, float]:
    """Percentile bootstrap confidence interval of a mean.

    Args:
        values: the sample (NaNs must already be dropped).
        n_boot: bootstrap resamples.
        seed: seed of `numpy.random.default_rng`; the same seed and sample size give the same
            resampling indices, so results do not depend on what else is analysed.
        level: confidence level.

    Returns:
        (low, high); NaNs when there are fewer than two values.
    """
    values = np.asarray(values, dtype=float)
    if values.size < 2:
        return math.nan, math.nan
    rng = np.random.default_rng(seed)
    index = rng.integers(0, values.size, size=(n_boot, values.size))
    means = values[index].mean(axis=1)
    tail = (1.0 - level) / 2.0 * 100.0
    low, high = np.percentile(means, [tail, 100.0 - tail])
    return float(low), float(high)


def paired_differences(
    summary: pd.DataFrame,
    baseline: str,
    metrics: Sequence[str],
    n_boot: int = 2000,
    seed: int = 0,
) -> pd.DataFrame:
    """Paired differences (variant - baseline) of summary metrics, replicate by replicate.

    Rows are paired on `replicate` (common random numbers); a replicate missing, or NaN for
    the metric, in either arm is dropped and counted in `unpaired`. Duplicate rows of one
    (variant, replicate) are averaged.

    Args:
        summary: one row per run with `variant`, `replicate` and the metric columns.
        baseline: the variant every other variant is compared with.
        metrics: metric columns to compare.
        n_boot: bootstrap resamples for the 95% percentile interval of the mean difference.
        seed: bootstrap seed (`numpy.random.default_rng`).

    Returns:
        One row per (variant, metric): variant, metric, baseline_mean, variant_mean,
        difference, ci_low, ci_high, replicates (pairs used), significant (the interval
        excludes 0), unpaired (replicates of either arm left without a partner).
    """
    means = summary.groupby(["variant", "replicate"], sort=False)[list(metrics)].mean()
    base = means.xs(baseline, level="variant")
    variants = [v for v in pd.unique(summary["variant"]) if v != baseline]
    rows = [_paired_row(variant, metric, base[metric],
                        means.xs(variant, level="variant")[metric], n_boot, seed)
            for variant in variants for metric in metrics]
    return pd.DataFrame(rows, columns=DIFFERENCE_COLUMNS)


def _paired_row(
    variant: str, metric: str, base: pd.Series, other: pd.Series, n_boot: int, seed: int
) -> dict[str, Any]:
    """One row of `paired_differences`: pair two arms on their replicate index."""
    base, other = base.dropna(), other.dropna()
    common = base.index.intersection(other.index).sort_values()
    diffs = other.loc[common].to_numpy(float) - base.loc[common].to_numpy(float)
    low, high = bootstrap_mean_ci(diffs, n_boot=n_boot, seed=seed)
    significant = bool(not math.isnan(low) and (low > 0 or high < 0))
    mean = float(diffs.mean()) if diffs.size else math.nan
    return {
        "variant": variant, "metric": metric,
        "baseline_mean": float(base.loc[common].mean()) if diffs.size else math.nan,
        "variant_mean": float(other.loc[common].mean()) if diffs.size else math.nan,
        "difference": mean, "ci_low": low, "ci_high": high, "replicates": int(diffs.size),
        "significant": significant,
        "unpaired": int(len(base) + len(other) - 2 * len(common)),
    }


# --------------------------------------------------------------------------- the store


def _read_manifest(directory: Path) -> dict[str, Any]:
    path = directory / "manifest.json"
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else {}


def _read_spec(directory: Path) -> dict[str, Any]:
    """The sweep's `experiment.toml` as a dict ({} when absent or unreadable)."""
    path = directory / "experiment.toml"
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return {}


def _manifest_variants(manifest: dict[str, Any]) -> list[str]:
    """Variant names from a manifest (a list of names, of {"name": ...} or a dict)."""
    variants = manifest.get("variants") or []
    if isinstance(variants, dict):
        return [str(name) for name in variants]
    return [str(v.get("name")) if isinstance(v, dict) else str(v) for v in variants]


def _default_baseline(summary: pd.DataFrame, manifest: dict[str, Any]) -> str:
    present = [str(v) for v in pd.unique(summary["variant"])]
    for name in [manifest.get("baseline"), *_manifest_variants(manifest)[:1], "baseline"]:
        if isinstance(name, str) and name in present:
            return name
    if not present:
        raise ValueError("the summary table has no runs")
    return present[0]


def _metric_columns(frame: pd.DataFrame) -> list[str]:
    """Numeric metric columns of a summary or time series table."""
    return [c for c in frame.columns
            if c not in ID_COLUMNS and not str(c).startswith(PARAM_PREFIX)
            and pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(
                frame[c])]


def _choose_metrics(summary: pd.DataFrame, metrics: Iterable[str] | None) -> list[str]:
    available = _metric_columns(summary)
    if metrics is None:
        chosen = [m for m in DEFAULT_METRICS if m in available]
        if not chosen:
            raise ValueError(f"none of the default metrics {list(DEFAULT_METRICS)} is in the "
                             f"summary table; pass metrics= from {available}")
        return chosen
    chosen = list(metrics)
    unknown = [m for m in chosen if m not in available]
    if unknown:
        raise ValueError(f"unknown metric(s) {unknown}; the summary table has {available}")
    return chosen


def compare(
    directory: str | Path,
    baseline: str | None = None,
    metrics: Iterable[str] | None = None,
    n_boot: int = 2000,
    seed: int = 0,
) -> pd.DataFrame:
    """Compare every variant of a sweep with its baseline (paired by replicate).

    Args:
        directory: the sweep's results directory (with summary.parquet and manifest.json).
        baseline: variant to compare with (default: the manifest's first variant, else
            "baseline" if present, else the first variant run).
        metrics: summary metrics (default: the policy metrics of `DEFAULT_METRICS` present).
        n_boot: bootstrap resamples.
        seed: bootstrap seed.

    Returns:
        The table of `paired_differences`.

    Raises:
        ValueError: for an unknown baseline or metric.
    """
    directory = Path(directory)
    manifest = _read_manifest(directory)
    if manifest.get("design") in SAMPLED_DESIGNS:
        raise ValueError(f"{directory} holds a {manifest['design']} design, whose runs have "
                         "no baseline to pair with; use `ecosystem sensitivity` or `report`")
    summary = pd.read_parquet(directory / "summary.parquet")
    present = [str(v) for v in pd.unique(summary["variant"])]
    if baseline is None:
        baseline = _default_baseline(summary, manifest)
    elif baseline not in present:
        raise ValueError(f"unknown baseline {baseline!r}; the sweep ran {present}")
    return paired_differences(summary, baseline, _choose_metrics(summary, metrics),
                              n_boot=n_boot, seed=seed)


def compare_runs(first: str | Path, second: str | Path,
                 metrics: Iterable[str] | None = None) -> pd.DataFrame:
    """Two single runs (`ecosystem run --out` directories) side by side.

    One run each: a difference, with no interval (a sweep with replicates gives one).

    Returns:
        metric, first, second and difference (second - first), one row per metric.

    Raises:
        ValueError: if a directory holds no run or a metric is unknown.
    """
    rows = [_run_summary(Path(d)) for d in (first, second)]
    both = pd.DataFrame(rows)
    chosen = _choose_metrics(both, metrics)
    return pd.DataFrame({"metric": chosen, "first": both.loc[0, chosen].to_numpy(float),
                         "second": both.loc[1, chosen].to_numpy(float)}).assign(
        difference=lambda t: t["second"] - t["first"])


def _run_summary(directory: Path) -> dict[str, Any]:
    path = directory / "summary.json"
    if not path.is_file():
        raise ValueError(f"{directory} holds no run (no summary.json from `ecosystem run "
                         "--out`)")
    return json.loads(path.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- survival


def with_area(units: pd.DataFrame) -> pd.DataFrame:
    """Add `area`: "rural" for villages and sparse countryside (settlement >= 2), else "urban".

    Args:
        units: the units table (with `settlement`).

    Returns:
        A copy with the `area` column.
    """
    out = units.copy()
    out["area"] = np.where(out["settlement"].to_numpy() >= RURAL_SETTLEMENT, "rural", "urban")
    return out


def kaplan_meier(durations: np.ndarray, events: np.ndarray, months: int) -> pd.DataFrame:
    """Kaplan-Meier estimate S(t) = P(T > t) on the integer months 0..months.

    Args:
        durations: whole months from opening to closure (events) or to censoring.
        events: True where the unit closed, False where censored.
        months: last month of the grid.

    Returns:
        Columns month, survival, at_risk.
    """
    durations = np.clip(np.asarray(durations, dtype=int), 0, months)
    events = np.asarray(events, dtype=bool)
    grid = np.arange(months + 1)
    counts = np.bincount(durations, minlength=months + 1)
    deaths = np.bincount(durations[events], minlength=months + 1)
    at_risk = counts[::-1].cumsum()[::-1]  # units with duration >= t
    hazard = np.divide(deaths, at_risk, out=np.zeros(months + 1), where=at_risk > 0)
    return pd.DataFrame({"month": grid, "survival": np.cumprod(1.0 - hazard),
                         "at_risk": at_risk})


def survival_curve(units: pd.DataFrame, months: int, group: str) -> pd.DataFrame:
    """Kaplan-Meier survival of service units by a grouping column.

    Time is `closed - opened` for closed units; units still open are censored at
    `months - opened`. Units of all runs in `units` are pooled (filter by variant first).

    Args:
        units: the units table (`opened`, `closed` and the grouping column).
        months: months the runs lasted (the censoring time).
        group: grouping column, e.g. "initial_operator"; "area" is derived from `settlement`
            when the table has no such column.

    Returns:
        Columns group, month (0..months), survival, at_risk.

    Raises:
        ValueError: if the grouping column is missing.
    """
    if group == "area" and "area" not in units.columns:
        units = with_area(units)
    if group not in units.columns:
        raise ValueError(f"unknown grouping column {group!r}; the units table has "
                         f"{list(units.columns)}")
    closed = pd.to_numeric(units["closed"], errors="coerce")
    opened = pd.to_numeric(units["opened"], errors="coerce").fillna(0)
    events = closed.notna().to_numpy()
    durations = (closed.fillna(months) - opened).to_numpy(float)
    frames = []
    for name in sorted(pd.unique(units[group].astype(str))):
        mask = (units[group].astype(str) == name).to_numpy()
        curve = kaplan_meier(durations[mask], events[mask], months)
        frames.append(curve.assign(group=name))
    if not frames:
        return pd.DataFrame(columns=["group", "month", "survival", "at_risk"])
    return pd.concat(frames, ignore_index=True)[["group", "month", "survival", "at_risk"]]


# --------------------------------------------------------------------------- sensitivity


def _param_column(name: str) -> str:
    return name if name.startswith(PARAM_PREFIX) else PARAM_PREFIX + name


def design_outputs(
    summary: pd.DataFrame, names: Sequence[str], output: str
) -> tuple[np.ndarray, np.ndarray]:
    """Design points (X) and mean outputs (Y) in sample order.

    Rows are taken in `run` order. When each variant is one design point run over several
    replicates (its parameters constant within the variant), the output is averaged over the
    replicates, one row per point in order of first run.

    Args:
        summary: summary table with `param:<name>` columns.
        names: parameter names (with or without the `param:` prefix).
        output: the metric column.

    Returns:
        X (points x parameters) and Y (points), both float arrays.

    Raises:
        ValueError: for a missing column or a NaN output.
    """
    columns = [_param_column(n) for n in names]
    missing = [c for c in [*columns, output] if c not in summary.columns]
    if missing:
        raise ValueError(f"summary table lacks column(s) {missing}")
    rows = summary.sort_values("run") if "run" in summary.columns else summary
    if "variant" in rows.columns and rows.groupby("variant", sort=False)[columns].nunique(
            dropna=False).max().max() <= 1:
        rows = rows.groupby("variant", sort=False).agg(
            {**{c: "first" for c in columns}, output: "mean"})
    y = rows[output].to_numpy(float)
    if np.isnan(y).any():
        raise ValueError(f"output {output!r} has NaN values; sensitivity needs every point")
    return rows[columns].to_numpy(float), y


def rank_sensitivity(
    summary: pd.DataFrame,
    method: str,
    problem: dict[str, Any],
    output: str,
    num_levels: int = 4,
    calc_second_order: bool = False,
    seed: int = 0,
) -> pd.DataFrame:
    """Global sensitivity indices of one output, most influential parameter first.

    Args:
        summary: summary table of a Morris or Sobol (Saltelli) design with `param:<name>`
            columns and `run` in sample order.
        method: "morris" (`SALib.analyze.morris`) or "sobol" (`SALib.analyze.sobol`).
        problem: the SALib problem ({"num_vars", "names", "bounds"}).
        output: the metric column to analyse.
        num_levels: Morris grid levels (as sampled).
        calc_second_order: whether the Sobol sample included second-order rows.
        seed: seed of the indices' bootstrap confidence intervals (Sobol gets `seed + 1`:
            SALib's sobol ignores a seed of 0).

    Returns:
        Morris: name, mu_star, sigma, mu, mu_star_conf ranked by mu_star; Sobol: name, S1,
        ST, S1_conf, ST_conf ranked by ST.

    Raises:
        ValueError: for an unknown method or a summary that does not fit the problem.
    """
    names = [str(n) for n in problem["names"]]
    x, y = design_outputs(summary, names, output)
    if method == "morris":
        from SALib.analyze import morris  # heavy optional dependency: imported when used

        if y.size % (len(names) + 1):
            raise ValueError(f"{y.size} points is not a whole number of Morris trajectories "
                             f"of {len(names) + 1} points")
        si = morris.analyze(problem, x, y, num_levels=num_levels, seed=seed)
        keys, rank = ["mu_star", "sigma", "mu", "mu_star_conf"], "mu_star"
    elif method == "sobol":
        from SALib.analyze import sobol  # heavy optional dependency: imported when used

        step = 2 * len(names) + 2 if calc_second_order else len(names) + 2
        if y.size % step:
            raise ValueError(f"{y.size} points does not fit a Saltelli sample of blocks of "
                             f"{step} (calc_second_order={calc_second_order})")
        si = sobol.analyze(problem, y, calc_second_order=calc_second_order, seed=seed + 1)
        keys, rank = ["S1", "ST", "S1_conf", "ST_conf"], "ST"
    else:
        raise ValueError(f"unknown method {method!r}; use 'morris' or 'sobol'")
    table = pd.DataFrame({"name": names, **{k: np.asarray(si[k], dtype=float) for k in keys}})
    return table.sort_values(rank, ascending=False, kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- report
