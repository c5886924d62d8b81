"""Analysis of a sweep's results store: paired comparisons, survival curves, sensitivity, report.

A sweep writes one directory with `summary.parquet` (one row per finished run),
`timeseries.parquet` (one row per run and month), `units.parquet` (one row per service unit
per run) and `manifest.json`. This module reads those files directly with pandas.

Variants of a sweep share seeds replicate by replicate (common random numbers), so a variant
is compared with the baseline through paired differences: replicate r of the variant minus
replicate r of the baseline, with a percentile bootstrap confidence interval of their mean.
"""

from __future__ import annotations

import base64
import html
import io
import json
import math
import tomllib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

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
    summary = pd.read_parquet(directory / "summary.parquet")
    manifest = _read_manifest(directory)
    present = [str(v) for v in pd.unique(summary["variant"])]
    if baseline is None:
        baseline = _default_baseline(summary, manifest)
    elif baseline not in present:
        raise ValueError(f"unknown baseline {baseline!r}; the sweep ran {present}")
    return paired_differences(summary, baseline, _choose_metrics(summary, metrics),
                              n_boot=n_boot, seed=seed)


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
        from SALib.analyze import morris

        if y.size % (len(names) + 1):
            raise ValueError(f"{y.size} points is not a whole number of Morris trajectories "
                             f"of {len(names) + 1} points")
        si = morris.analyze(problem, x, y, num_levels=num_levels, seed=seed)
        keys, rank = ["mu_star", "sigma", "mu", "mu_star_conf"], "mu_star"
    elif method == "sobol":
        from SALib.analyze import sobol

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

MAX_PLOTTED_VARIANTS = 12
POOLED = "all runs"
CSS = """
body { font-family: sans-serif; max-width: 1100px; margin: 2em auto; color: #222; }
table { border-collapse: collapse; font-size: 0.85em; margin: 1em 0; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.5em; text-align: right; }
th { background: #eee; } td.text { text-align: left; }
tr.significant td { background: #eef7ee; }
img { max-width: 100%; } .note { color: #555; font-size: 0.9em; }
"""


def _decimals(*values: float) -> int:
    """Decimals showing about three significant figures of the largest value."""
    scale = max((abs(v) for v in values if not math.isnan(v)), default=0.0)
    if scale == 0.0:
        return 2
    return int(min(6, max(0, 2 - math.floor(math.log10(scale)))))


def _fmt(value: float, decimals: int) -> str:
    return "n/a" if math.isnan(value) else f"{value:,.{decimals}f}"


def reading(row: pd.Series | dict[str, Any]) -> str:
    """A plain-language reading of one row of `paired_differences`.

    Args:
        row: a row with variant, metric, difference, ci_low, ci_high, replicates, significant.

    Returns:
        E.g. "social-value-20 raises social_value by 12.3 (95% CI 8.1 to 16.0, 10 paired
        replicates)" or "... no detectable difference in ...".
    """
    variant, metric, n = row["variant"], row["metric"], int(row["replicates"])
    diff, low, high = (float(row[k]) for k in ("difference", "ci_low", "ci_high"))
    if n < 2:
        return f"{variant}: too few paired replicates ({n}) to judge {metric}"
    places = _decimals(diff, low, high)
    interval = f"95% CI {_fmt(low, places)} to {_fmt(high, places)}, {n} paired replicates"
    if not row["significant"]:
        return (f"{variant}: no detectable difference in {metric} "
                f"({_fmt(diff, places)}, {interval})")
    verb = "raises" if diff > 0 else "lowers"
    return f"{variant} {verb} {metric} by {_fmt(abs(diff), places)} ({interval})"


def _img(fig: Figure, alt: str) -> str:
    """A figure as an inline base64 PNG <img> tag."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90, bbox_inches="tight", metadata={"Software": None})
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<img src="data:image/png;base64,{data}" alt="{html.escape(alt)}">'


def _grid(panels: int, ncols: int, size: tuple[float, float] = (4.2, 3.0)):
    """A figure with `panels` axes in rows of `ncols` (extra axes hidden)."""
    ncols = max(1, min(ncols, panels))
    nrows = math.ceil(panels / ncols)
    fig = Figure(figsize=(size[0] * ncols, size[1] * nrows), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    for ax in axes[panels:]:
        ax.set_visible(False)
    return fig, axes[:panels]


def _colours(variants: Sequence[str]) -> dict[str, str]:
    return {v: f"C{i % 10}" for i, v in enumerate(variants)}


def _timeseries_figure(ts: pd.DataFrame, metrics: list[str], variants: list[str]) -> Figure:
    """Median and 10-90% band across replicates per variant, one panel per metric."""
    fig, axes = _grid(len(metrics), 2, (5.5, 3.2))
    colours = _colours(variants)
    bands = ts.groupby(["variant", "month"])[metrics].quantile([0.1, 0.5, 0.9])
    for ax, metric in zip(axes, metrics):
        for variant in variants:
            if variant not in bands.index.get_level_values("variant"):
                continue
            q = bands.loc[variant, metric].unstack()
            ax.fill_between(q.index, q[0.1], q[0.9], color=colours[variant], alpha=0.2)
            ax.plot(q.index, q[0.5], color=colours[variant], label=variant)
        ax.set(title=metric, xlabel="month")
    axes[0].legend(fontsize="small")
    return fig


def _outcomes_figure(summary: pd.DataFrame, metrics: list[str], variants: list[str]) -> Figure:
    """Box and strip plots of each metric's final value per variant."""
    fig, axes = _grid(len(metrics), 3, (4.2, 3.4))
    jitter = np.random.default_rng(0)
    for ax, metric in zip(axes, metrics):
        data = [summary.loc[summary["variant"] == v, metric].dropna().to_numpy(float)
                for v in variants]
        ax.boxplot(data, showfliers=False)
        for i, values in enumerate(data, start=1):
            x = i + jitter.uniform(-0.15, 0.15, values.size)
            ax.plot(x, values, "o", ms=3, alpha=0.6, color=f"C{(i - 1) % 10}")
        ax.set_xticks(range(1, len(variants) + 1), variants, rotation=30, ha="right",
                      fontsize="small")
        ax.set_title(metric)
    return fig


def _survival_figure(units: pd.DataFrame, months: int, group: str,
                     variants: list[str]) -> Figure:
    """Kaplan-Meier curves by `group`, one panel per variant."""
    if group == "area" and "area" not in units.columns:
        units = with_area(units)
    colours = _colours(sorted(pd.unique(units[group].astype(str))))
    fig, axes = _grid(len(variants), 3, (4.2, 3.2))
    for ax, variant in zip(axes, variants):
        curves = survival_curve(units[units["variant"] == variant], months, group)
        for name, curve in curves.groupby("group"):
            ax.step(curve["month"], curve["survival"], where="post", color=colours[str(name)],
                    label=str(name))
        ax.set(title=variant, xlabel="month", ylabel="survival", ylim=(0, 1.02))
        ax.legend(fontsize="x-small")
    return fig


def _table_html(frame: pd.DataFrame, classes: Sequence[str] | None = None) -> str:
    """An escaped HTML table; text columns left-aligned, floats to 4 significant figures."""
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = []
    for i, (_, row) in enumerate(frame.iterrows()):
        cells = []
        for value in row:
            if isinstance(value, float | np.floating):
                cells.append(f"<td>{'' if math.isnan(value) else f'{value:.4g}'}</td>")
            else:
                kind = "" if isinstance(value, int | np.integer) else ' class="text"'
                cells.append(f"<td{kind}>{html.escape(str(value))}</td>")
        css = f' class="{classes[i]}"' if classes and classes[i] else ""
        rows.append(f"<tr{css}>{''.join(cells)}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _comparison_html(table: pd.DataFrame, baseline: str) -> str:
    if table.empty:
        return "<p>Only the baseline was run: there is nothing to compare.</p>"
    items = "".join(f"<li>{html.escape(reading(row))}</li>" for _, row in table.iterrows())
    note = (f"Differences are variant minus {baseline}, paired by replicate (common random "
            "numbers), with 95% percentile bootstrap intervals of the mean difference. With "
            f"{len(table)} comparisons, expect about one in twenty to look significant by "
            "chance alone.")
    classes = ["significant" if s else "" for s in table["significant"]]
    return (f"<p class=\"note\">{html.escape(note)}</p><ul>{items}</ul>"
            + _table_html(table, classes))


def _header_html(directory: Path, spec: dict[str, Any], manifest: dict[str, Any],
                 summary: pd.DataFrame) -> str:
    title = str(spec.get("name") or manifest.get("experiment") or directory.name)
    parts = [f"<h1>{html.escape(title)}</h1>"]
    question = spec.get("question")
    if isinstance(question, str) and question.strip():
        parts.append(f"<p><strong>Question:</strong> {html.escape(question.strip())}</p>")
    variants = [str(v) for v in pd.unique(summary["variant"])]
    shown = ", ".join(variants[:MAX_PLOTTED_VARIANTS])
    if len(variants) > MAX_PLOTTED_VARIANTS:
        shown += f", ... ({len(variants)} in all)"
    if _param_columns(summary):
        shown = f"{len(variants)} sampled design points"
    facts = (f"{len(summary)} finished runs; {manifest.get('months', '?')} months; "
             f"{manifest.get('replicates', '?')} replicates; variants: {shown}.")
    parts.append(f"<p>{html.escape(facts)}</p>")
    return "\n".join(parts)


def _param_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if str(c).startswith(PARAM_PREFIX)]


def _design_problem(summary: pd.DataFrame, spec: dict[str, Any],
                    manifest: dict[str, Any]) -> tuple[str, dict[str, Any], int]:
    """The design's method, SALib problem (manifest's, else sampled ranges), Morris levels."""
    found = spec.get("design")
    design: dict[str, Any] = found if isinstance(found, dict) else {}
    listed = manifest.get("design")  # the sweep runner stores the method's name
    method = str(design.get("method") or (listed if isinstance(listed, str) else "") or "")
    problem = manifest.get("problem")
    if not isinstance(problem, dict) or "names" not in problem:
        columns = _param_columns(summary)
        problem = {"num_vars": len(columns),
                   "names": [c[len(PARAM_PREFIX):] for c in columns],
                   "bounds": [[float(summary[c].min()), float(summary[c].max())]
                              for c in columns]}
    return method, problem, int(design.get("levels", 4))


def _sensitivity_html(summary: pd.DataFrame, metrics: list[str], spec: dict[str, Any],
                      manifest: dict[str, Any]) -> str:
    method, problem, levels = _design_problem(summary, spec, manifest)
    if method not in ("morris", "sobol"):
        return (f"<p>A sampled design ({html.escape(method or 'unknown method')}): see the "
                "scatter plots of outcomes against parameters.</p>")
    tables, problems = [], []
    for metric in metrics:
        try:
            ranked = rank_sensitivity(summary, method, problem, metric, num_levels=levels)
        except (ValueError, RuntimeError, KeyError) as err:
            problems.append(f"<li>{html.escape(f'{metric}: {err}')}</li>")
            continue
        tables.append(ranked.assign(metric=metric))
    parts = [f"<p>{html.escape(method.capitalize())} indices per metric, the most "
             "influential parameter first.</p>"]
    if tables:
        frame = pd.concat(tables, ignore_index=True)
        parts.append(_table_html(frame[["metric", *frame.columns[:-1]]]))
    if problems:
        parts.append(f"<p>Not computed:</p><ul>{''.join(problems)}</ul>")
    return "\n".join(parts)


def _scatter_figure(summary: pd.DataFrame, metrics: list[str], params: list[str]) -> Figure:
    """Each metric (rows) against each sampled parameter (columns), one point per run."""
    fig, axes = _grid(len(metrics) * len(params), len(params), (3.2, 2.6))
    for i, metric in enumerate(metrics):
        for j, param in enumerate(params):
            ax = axes[i * len(params) + j]
            ax.plot(summary[param], summary[metric], ".", ms=3, alpha=0.5)
            ax.set_xlabel(param[len(PARAM_PREFIX):], fontsize="small")
            ax.set_ylabel(metric, fontsize="small")
    return fig


def _read_optional(directory: Path, name: str) -> pd.DataFrame | None:
    path = directory / name
    return pd.read_parquet(path) if path.exists() else None


def _variant_order(summary: pd.DataFrame, manifest: dict[str, Any], baseline: str) -> list[str]:
    present = [str(v) for v in pd.unique(summary["variant"])]
    listed = [v for v in _manifest_variants(manifest) if v in present]
    ordered = list(dict.fromkeys([baseline, *listed, *present]))
    return ordered[:MAX_PLOTTED_VARIANTS]


def _months(manifest: dict[str, Any], ts: pd.DataFrame | None, units: pd.DataFrame | None) -> int:
    if isinstance(manifest.get("months"), int | float):
        return int(manifest["months"])
    if ts is not None and not ts.empty:
        return int(ts["month"].max())
    closed = pd.to_numeric(units["closed"], errors="coerce") if units is not None else None
    return int(closed.max()) if closed is not None and closed.notna().any() else 0


def _figures_html(summary: pd.DataFrame, ts: pd.DataFrame | None, units: pd.DataFrame | None,
                  metrics: list[str], variants: list[str], months: int) -> list[str]:
    """The report's figure sections (time series, final outcomes, unit survival)."""
    parts = ["<h2>Time series</h2>"]
    shown = [m for m in TIMESERIES_METRICS if ts is not None and m in ts.columns]
    if ts is not None and shown:
        parts.append("<p class=\"note\">Median across replicates, with the 10-90% band.</p>")
        parts.append(_img(_timeseries_figure(ts, shown, variants), "time series"))
    else:
        parts.append("<p>No time series of the report's metrics were stored.</p>")
    parts.append("<h2>Final outcomes</h2>")
    parts.append(_img(_outcomes_figure(summary, metrics, variants), "final outcomes"))
    parts.append("<h2>Unit survival</h2>")
    if units is None or units.empty or "closed" not in units.columns:
        parts.append("<p>No unit table was stored.</p>")
        return parts
    parts.append("<p class=\"note\">Kaplan-Meier survival of service units from opening to "
                 f"closure, censored at month {months}.</p>")
    for group, label in (("initial_operator", "by initial provider kind"),
                         ("area", "by area (rural: villages and sparse countryside)")):
        if group in units.columns or (group == "area" and "settlement" in units.columns):
            parts.append(f"<h3>{html.escape(label.capitalize())}</h3>")
            parts.append(_img(_survival_figure(units, months, group, variants),
                              f"survival {label}"))
    return parts


def write_report(
    directory: str | Path,
    out: str | Path | None = None,
    baseline: str | None = None,
    metrics: Iterable[str] | None = None,
    n_boot: int = 2000,
    seed: int = 0,
) -> Path:
    """Write a self-contained HTML report of a sweep (inline PNG figures, no external files).

    Variant sweeps get the paired comparison with the baseline and plots per variant; sampled
    designs (with `param:` columns) get sensitivity indices (Morris or Sobol), scatter plots
    and plots pooled over all runs.

    Args:
        directory: the sweep's results directory.
        out: output file (default: `directory/report.html`).
        baseline: variant compared with (default as in `compare`).
        metrics: compared metrics (default as in `compare`).
        n_boot: bootstrap resamples.
        seed: bootstrap seed.

    Returns:
        The path written.
    """
    directory = Path(directory)
    out = Path(out) if out is not None else directory / "report.html"
    summary = pd.read_parquet(directory / "summary.parquet")
    ts, units = (_read_optional(directory, n) for n in ("timeseries.parquet", "units.parquet"))
    manifest, spec = _read_manifest(directory), _read_spec(directory)
    chosen = _choose_metrics(summary, metrics)
    body = [_header_html(directory, spec, manifest, summary)]
    params = _param_columns(summary)
    if params:
        body += ["<h2>Sensitivity</h2>", _sensitivity_html(summary, chosen, spec, manifest),
                 _img(_scatter_figure(summary, chosen[:4], params[:6]), "scatter plots")]
        summary, variants = summary.assign(variant=POOLED), [POOLED]
        ts = ts.assign(variant=POOLED) if ts is not None else None
        units = units.assign(variant=POOLED) if units is not None else None
    else:
        if baseline is None:
            baseline = _default_baseline(summary, manifest)
        table = paired_differences(summary, baseline, chosen, n_boot=n_boot, seed=seed)
        body += [f"<h2>Comparison with {html.escape(baseline)}</h2>",
                 _comparison_html(table, baseline)]
        variants = _variant_order(summary, manifest, baseline)
    body += _figures_html(summary, ts, units, chosen, variants, _months(manifest, ts, units))
    title = html.escape(str(spec.get("name") or manifest.get("experiment") or directory.name))
    page = (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{title}</title><style>{CSS}</style></head><body>\n"
            + "\n".join(body) + "\n</body></html>\n")
    out.write_text(page, encoding="utf-8")
    return out
