"""The live charts as ECharts options: honest axes, runs told apart, interventions marked.

Every chart draws months on a fixed x axis, from 0 to the scenario's horizon, and says the
unit of each axis. Shares are drawn as percentages on a fixed 0-100 % axis; counts and
money start at 0 and end at a round number above the largest value so far, so a flat line
stays flat. Before the first month is stepped a chart says so and draws nothing.

Each run of `runs` ({name: Simulation}) keeps one line style and, in a chart of one metric,
one colour; in a chart of two metrics colour tells the metrics apart and the line style the
runs. A vertical marker stands at each month a lever changes: the scenario's own
interventions and the trainer's changes (`Simulation.changes`).

Options are built from arrays: the columns a chart needs are taken out of the model's
records in one pass, and the rest is numpy.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter

import numpy as np

from .session import Simulation
from .style import OPERATOR_COLOURS


@dataclass(frozen=True)
class Chart:
    """One chart of metrics against months.

    Attributes:
        title: What the chart shows, in plain words.
        columns: The time-series columns it draws (docs/metrics.md).
        labels: One legend label per column.
        unit: The y axis name: the unit the values are drawn in.
        percent: The columns are shares (0-1), drawn as 0-100 %.
        from_month: The first month drawn (spend is only counted from month 1).
        stacked: The columns are shares of one whole, drawn as stacked areas.
    """

    title: str
    columns: tuple[str, ...]
    labels: tuple[str, ...]
    unit: str
    percent: bool = True
    from_month: int = 0
    stacked: bool = False


OPERATORS = tuple(OPERATOR_COLOURS)

#: Every chart, by name, in the order they show.
CHARTS: dict[str, Chart] = {
    "survival": Chart("Service survival", ("service_survival",), ("survival",),
                      "% of units at month 0"),
    "coverage": Chart("Coverage, urban and rural", ("coverage_urban", "coverage_rural"),
                      ("urban", "rural"), "% of need in reach"),
    "unmet_need": Chart("Unmet need", ("unmet_need",), ("unmet need",), "% of need"),
    "external_share": Chart("External share", ("external_share",), ("external",),
                            "% of open units"),
    "volunteers": Chart("Volunteers active", ("volunteers_active",), ("volunteers",),
                        "households (FTE)", percent=False),
    "spend": Chart("Council spend against budget", ("council_spend", "council_budget"),
                   ("spend", "budget"), "GBP k a month", percent=False, from_month=1),
    "operators": Chart("Units by operator", tuple(f"share_{k}" for k in OPERATORS),
                       tuple(k.replace("_", " ") for k in OPERATORS), "% of open units",
                       stacked=True),
}
#: Line styles and colours of the runs, in the order given (A solid, B dashed, ...).
RUN_LINES = ("solid", "dashed", "dotted")
RUN_COLOURS = ("#000000", "#56B4E9", "#999999")
#: Colours of the metrics in a chart of more than one (Okabe-Ito black and sky blue).
METRIC_COLOURS = ("#000000", "#56B4E9")
MARKER_COLOUR = "#555555"
#: Axis tops, times a power of ten: close enough that a line never hugs the bottom.
NICE_STEPS = (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10)
NO_DATA = "No data yet: step the run to start the chart"


@dataclass(frozen=True)
class RunFrame:
    """One run's numbers for the charts: months and the columns asked for, as arrays."""

    name: str
    months: np.ndarray
    values: Mapping[str, np.ndarray]
    markers: tuple[tuple[int, str], ...]


def run_frame(name: str, sim: Simulation, columns: Sequence[str]) -> RunFrame:
    """The months simulated so far and `columns` of `sim`'s records, with its markers."""
    records = sim.model.records if sim.month > 0 else []
    keys = ("month", *columns)
    table = np.fromiter(map(itemgetter(*keys), records), dtype=np.dtype((float, len(keys))),
                        count=len(records)).reshape(len(records), len(keys))
    return RunFrame(name, table[:, 0].astype(int),
                    {c: table[:, i + 1] for i, c in enumerate(columns)}, lever_markers(sim))


def lever_markers(sim: Simulation) -> tuple[tuple[int, str], ...]:
    """(month, field) of each scenario intervention and each lever the trainer changed."""
    planned = [(i.month, i.field) for i in sim.scenario.interventions]
    changed = [(c["month"], c["field"]) for c in sim.changes]
    return tuple((month, field) for month, field in planned + changed
                 if month <= sim.scenario.months)


def marker_labels(frames: Sequence[RunFrame]) -> dict[int, str]:
    """One plain label per marked month, e.g. "m36 community support" ("(B)" if B's only)."""
    runs: dict[tuple[int, str], list[str]] = {}
    for frame in frames:
        for month, field in frame.markers:
            names = runs.setdefault((month, field.rsplit(".", 1)[-1].replace("_", " ")), [])
            if frame.name not in names:
                names.append(frame.name)
    labels: dict[int, list[str]] = {}
    for (month, lever), names in sorted(runs.items()):
        whose = "" if len(names) == len(frames) else f" ({', '.join(names)})"
        labels.setdefault(month, []).append(lever + whose)
    return {month: f"m{month} " + ", ".join(levers[:2]) + (
        f" +{len(levers) - 2} more" if len(levers) > 2 else "")
        for month, levers in labels.items()}


def nice_ceiling(value: float) -> float:
    """The first round number (a `NICE_STEPS` times a power of ten) at or above `value`."""
    if not value > 0 or not math.isfinite(value):
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    return next(power * step for step in NICE_STEPS if power * step >= value)


def _column(values: np.ndarray, percent: bool) -> list:
    """`values` in the drawn unit, rounded; a missing value becomes a gap (None)."""
    drawn = np.round(values * 100, 1) if percent else np.round(values)
    if np.isfinite(drawn).all():
        return drawn.tolist() if percent else drawn.astype(np.int64).tolist()
    return np.where(np.isfinite(drawn), drawn, None).tolist()


def _dataset(chart: Chart, frame: RunFrame) -> dict:
    """One run's months and columns for `chart`, one flat list each.

    Flat columns, not [month, value] pairs: half the bytes, and ipywidgets walks the option
    for binary buffers with a Python call for every nested list.
    """
    shown = frame.months >= chart.from_month
    return {"source": {"month": frame.months[shown].tolist()} | {
        column: _column(frame.values[column][shown], chart.percent)
        for column in chart.columns}}


def _line_series(chart: Chart, frames: Sequence[RunFrame]) -> list[dict]:
    """A line per run and column: colour by run (one column) or by column, style by run.

    Run r's numbers are the option's dataset r.
    """
    series = []
    for r, frame in enumerate(frames):
        for c, (column, label) in enumerate(zip(chart.columns, chart.labels, strict=True)):
            colour = METRIC_COLOURS[c] if len(chart.columns) > 1 else RUN_COLOURS[r % 3]
            name = " ".join(part for part in (
                frame.name if len(frames) > 1 else "",
                label if len(chart.columns) > 1 else "") if part) or label
            series.append({
                "type": "line", "name": name, "symbol": "none", "color": colour,
                "lineStyle": {"type": RUN_LINES[r % 3], "width": 3, "color": colour},
                "datasetIndex": r, "encode": {"x": "month", "y": column}})
    return series


def _stacked_series(chart: Chart) -> list[dict]:
    """The operators' shares of dataset 0 as stacked areas in their own colours."""
    return [{"type": "line", "name": label, "stack": "operators", "symbol": "none",
             "color": OPERATOR_COLOURS[kind], "lineStyle": {"width": 0},
             "areaStyle": {"color": OPERATOR_COLOURS[kind], "opacity": 0.9},
             "datasetIndex": 0, "encode": {"x": "month", "y": column}}
            for kind, column, label in zip(OPERATORS, chart.columns, chart.labels,
                                           strict=True)]


def _marker_series(labels: Mapping[int, str], horizon: int, px: int) -> dict:
    """An empty series carrying a vertical line and label at each marked month.

    A label reads up its line, on the right of it (on the left near the end of the axis);
    every other label sits at the bottom, so labels of close months overlap less.
    """
    lines = [{"xAxis": month, "name": text, "label": {"formatter": text, "position": (
        f"inside{'End' if i % 2 == 0 else 'Start'}"
        f"{'Top' if month > 0.85 * horizon else 'Bottom'}")}}
        for i, (month, text) in enumerate(sorted(labels.items()))]
    return {"type": "line", "name": "levers changed", "data": [], "silent": True,
            "markLine": {"symbol": ["none", "none"], "silent": True, "animation": False,
                         "lineStyle": {"color": MARKER_COLOUR, "type": "solid", "width": 2},
                         "label": {"fontSize": px, "color": "#222222"}, "data": lines}}


def _y_top(chart: Chart, frames: Sequence[RunFrame]) -> float:
    """100 for shares; for the rest a round number above the largest value so far."""
    if chart.percent:
        return 100.0
    drawn = np.concatenate([frame.values[column][frame.months >= chart.from_month]
                            for frame in frames for column in chart.columns])
    finite = drawn[np.isfinite(drawn)]
    return nice_ceiling(float(finite.max()) * 1.05 if finite.size else 0.0)


def _y_axis(chart: Chart, top: float, px: int) -> dict:
    """From 0 to `top`, named with the chart's unit, written level above the axis.

    Level, so a long unit fits a short chart; `labelWidth` is the tick labels' width.
    """
    digits = len(f"{top:,.0f}")
    return {"type": "value", "min": 0, "max": top, "name": chart.unit,
            "nameLocation": "end", "nameGap": round(0.6 * px),
            "labelWidth": round(digits * 0.62 * px) + 10,
            "nameTextStyle": {"fontSize": px, "align": "left"},
            "axisLabel": {"fontSize": px, "hideOverlap": True},  # a short chart, large text
            "splitLine": {"lineStyle": {"color": "#e0e0e0"}}}


def _month_axis(horizon: int, px: int, stacked: bool) -> dict:
    """Months 0 to `horizon`.

    A stacked chart takes a category axis, one category a month: with two value axes
    ECharts 5.4 would stack the months instead of the shares.
    """
    axis = {"type": "value", "min": 0, "max": horizon, "name": "Month",
            "nameLocation": "middle", "nameGap": round(1.6 * px),
            "nameTextStyle": {"fontSize": px}, "axisLabel": {"fontSize": px, "hideOverlap": True},
            "splitLine": {"show": False}}
    if not stacked:
        return axis
    every = int(nice_ceiling(horizon / 6)) - 1
    return axis | {"type": "category", "data": list(range(horizon + 1)), "boundaryGap": False,
                   "axisLabel": {"fontSize": px, "interval": every},
                   "axisTick": {"interval": every}}


def _legend_rows(names: Sequence[str], px: int, width_px: int) -> int:
    """How many rows the legend takes in a chart `width_px` wide (0 for a single line)."""
    if len(names) < 2:
        return 0
    widths = [35 + 0.6 * px * len(name) for name in names]
    return max(1, math.ceil(sum(widths) / max(width_px - 40, 100)))


def chart_option(chart: Chart, frames: Sequence[RunFrame], horizon: int, px: int,
                 title: str = "", width_px: int = 480) -> dict:
    """The ECharts option of `chart` for `frames` on a 0-`horizon` month axis.

    Args:
        chart: What to draw.
        frames: The runs (for a stacked chart, the one run it shows).
        horizon: The scenario's last month, the end of the x axis.
        px: Text size in pixels, for every text of the chart.
        title: The title, when not the chart's own.
        width_px: About how wide the chart will be, to leave room for its legend.
    """
    heading = {"text": title or chart.title, "left": 0, "top": 0,
               "textStyle": {"fontSize": px, "fontWeight": "bold"}}
    if not any(len(f.months) for f in frames):
        return {"animation": False, "title": heading, "series": [],
                "graphic": [{"type": "text", "left": "center", "top": "middle",
                             "style": {"text": NO_DATA, "fontSize": px, "fill": "#555555"}}]}
    series = _stacked_series(chart) if chart.stacked else _line_series(chart, frames)
    names = [s["name"] for s in series]
    y_axis = _y_axis(chart, _y_top(chart, frames), px)
    rows = _legend_rows(names, px, width_px)
    labels = marker_labels(frames)
    return {
        "animation": False, "title": heading,
        "dataset": [_dataset(chart, frame) for frame in frames],
        "legend": {"show": rows > 0, "data": names, "bottom": 0, "itemGap": 12,
                   "textStyle": {"fontSize": px}},
        "tooltip": {"trigger": "axis", "textStyle": {"fontSize": px}},
        "grid": {"left": y_axis.pop("labelWidth"), "right": round(px),
                 "top": round(3.6 * px), "bottom": round(3.4 * px + rows * 1.6 * px)},
        "xAxis": _month_axis(horizon, px, chart.stacked),
        "yAxis": y_axis,
        "series": [*series, _marker_series(labels, horizon, px)] if labels else series,
    }


def chart_options(runs: Mapping[str, Simulation], names: Sequence[str], px: int,
                  width_px: int = 480) -> list[dict]:
    """The options of the charts `names` for `runs`: the operators chart once per run."""
    charts = [CHARTS[name] for name in names]
    columns = list(dict.fromkeys(c for chart in charts for c in chart.columns))
    frames = [run_frame(name, sim, columns) for name, sim in runs.items()]
    horizon = max(sim.scenario.months for sim in runs.values())
    options = []
    for chart in charts:
        if not chart.stacked:
            options.append(chart_option(chart, frames, horizon, px, width_px=width_px))
            continue
        for frame in frames:
            title = chart.title if len(frames) == 1 else f"{chart.title}, run {frame.name}"
            options.append(chart_option(chart, [frame], horizon, px, title, width_px))
    return options
