"""The self-contained HTML report of a sweep: tables, readings and figures, works offline."""

from __future__ import annotations

import base64
import html
import io
import math
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ecosystem.experiments.analysis import (
    PARAM_PREFIX,
    TIMESERIES_METRICS,
    _choose_metrics,
    _default_baseline,
    _manifest_variants,
    _read_manifest,
    _read_spec,
    paired_differences,
    rank_sensitivity,
    survival_curve,
    with_area,
)

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


def _grid(
    panels: int, ncols: int, size: tuple[float, float] = (4.2, 3.0)
) -> tuple[Figure, np.ndarray]:
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
    temporary = _reserve(out)
    try:
        page = _page(directory, baseline, metrics, n_boot, seed)
        temporary.write_text(page, encoding="utf-8")
        os.replace(temporary, out)
    finally:
        temporary.unlink(missing_ok=True)
    return out


def _reserve(out: Path) -> Path:
    """Check that `out` can be written, before any work: a temporary file beside it.

    Raises:
        ValueError: naming the destination and why it cannot be written.
    """
    if out.is_dir():
        raise ValueError(f"cannot write the report to {out}: it is a directory")
    temporary = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        temporary.touch()
    except OSError as err:
        raise ValueError(f"cannot write the report to {out}: {err.strerror or err}") from None
    return temporary


def _page(directory: Path, baseline: str | None, metrics: Iterable[str] | None, n_boot: int,
          seed: int) -> str:
    """The report's HTML."""
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
    return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{title}</title><style>{CSS}</style></head><body>\n"
            + "\n".join(body) + "\n</body></html>\n")
