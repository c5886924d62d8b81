"""The live charts, drawn in the browser by ECharts (served offline by solara-assets).

`Charts` shows the charts named in `names` (all of `CHART_NAMES` by default; `KEY_CHARTS` on
a projector) for one run or several overlaid; chart_options.py builds what they draw.

`map_figure` and `_unmet_by_cell` are the old matplotlib map's, kept until map.py stops
importing them.
"""

from __future__ import annotations

import numpy as np
import solara
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure

from .chart_options import CHARTS, chart_options
from .session import Simulation
from .style import OPERATOR_COLOURS, text_px

#: Every chart, in the order they show.
CHART_NAMES = tuple(CHARTS)
#: The charts a projector shows: the story in four pictures.
KEY_CHARTS = ("survival", "coverage", "unmet_need", "volunteers")


def map_figure(model, title: str = "") -> Figure:
    """Settlements and territories underneath, unmet need per cell, units by operator."""
    fig = Figure(figsize=(6.4, 4.6), dpi=90)
    ax = fig.add_subplot()
    land = model.land
    ax.imshow(land.settlement.T, cmap=ListedColormap(["#9e9e9e", "#bdbdbd", "#dcdcdc",
                                                      "#f3f3f3"]), origin="lower")
    ax.contour(land.council.T, levels=np.arange(len(model.councils)) + 0.5, colors="black",
               linewidths=0.8, origin="lower")
    unmet = _unmet_by_cell(model)
    ax.imshow(np.ma.masked_less_equal(unmet.T, 0.02), cmap="Reds", alpha=0.55, vmin=0,
              vmax=1, origin="lower")
    for kind, colour in OPERATOR_COLOURS.items():
        xy = np.array([u.cell.coordinate for u in model.units if u.operator_kind == kind])
        if len(xy):
            ax.scatter(xy[:, 0], xy[:, 1], s=18, c=colour, edgecolors="white",
                       linewidths=0.4, label=kind.replace("_", " "))
    degraded = np.array([u.cell.coordinate for u in model.units if u.status == "degraded"])
    if len(degraded):
        ax.scatter(degraded[:, 0], degraded[:, 1], s=60, facecolors="none",
                   edgecolors="#ff9800", linewidths=1.2, label="below standard")
    closed = np.array([u.cell.coordinate for u in model.units if u.status == "closed"])
    if len(closed):
        ax.scatter(closed[:, 0], closed[:, 1], s=22, marker="x", c="black", linewidths=0.8,
                   label="closed")
    ax.set_title(title or f"Month {model.month}")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.legend(loc="upper right", fontsize=7, framealpha=0.85)
    fig.tight_layout()
    return fig


def _unmet_by_cell(model) -> np.ndarray:
    res = model.residents
    need, served = res.need.sum(axis=0), res.served.sum(axis=0)
    grid = np.zeros(model.land.shape)
    total = np.zeros(model.land.shape)
    np.add.at(grid, (res.cell_x, res.cell_y), need - served)
    np.add.at(total, (res.cell_x, res.cell_y), need)
    return np.divide(grid, total, out=np.zeros_like(grid), where=total > 0)


def chart_size(px: int) -> tuple[int, int]:
    """(least width, height) of one chart in pixels for text `px` pixels high."""
    return 26 * px, 16 * px


@solara.component
def Charts(runs: dict[str, Simulation], version: int,
           names: tuple[str, ...] = CHART_NAMES):
    """The charts `names` of each run in `runs` (name: Simulation) as of `version`.

    Several runs are overlaid, told apart by line style and colour; the operators chart
    shows once per run.
    """
    px = text_px()
    width, height = chart_size(px)
    style = f"flex: 1 1 {width}px; min-width: {width}px; height: {height}px;"
    with solara.Row(style={"flex-wrap": "wrap", "gap": "8px", "width": "100%"}):
        for option in chart_options(runs, names, px, width):
            solara.FigureEcharts(option=option, attributes={"style": style},
                                 responsive=True)
