"""Figures for the app: the map and the live charts (matplotlib, no internet needed)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import solara
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure

from .style import OPERATOR_COLOURS

CHARTS = (("service_survival", "Service survival"), ("coverage_urban", "Coverage urban"),
          ("coverage_rural", "Coverage rural"), ("unmet_need", "Unmet need"),
          ("external_share", "External share"), ("volunteers_active", "Volunteers"))


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


def charts_figure(series: dict[str, pd.DataFrame]) -> Figure:
    """The live charts; one line per run (A and B on the compare page)."""
    fig = Figure(figsize=(8.4, 4.6), dpi=90)
    axes = fig.subplots(2, 3).ravel()
    for ax, (metric, title) in zip(axes, CHARTS):
        for name, frame in series.items():
            if metric in frame and len(frame):
                ax.plot(frame["month"], frame[metric], label=name)
        ax.set_title(title, fontsize=9)
        ax.tick_params(labelsize=7)
    if len(series) > 1:
        axes[0].legend(fontsize=7)
    fig.tight_layout()
    return fig


def spend_figure(frame: pd.DataFrame) -> Figure:
    """Council spend against budget, and operator shares."""
    fig = Figure(figsize=(8.4, 2.4), dpi=90)
    left, right = fig.subplots(1, 2)
    if len(frame) > 1:
        left.plot(frame["month"][1:], frame["council_budget"][1:], label="budget")
        left.plot(frame["month"][1:], frame["council_spend"][1:], label="spend")
        left.legend(fontsize=7)
        kinds = list(OPERATOR_COLOURS)
        right.stackplot(frame["month"], [frame[f"share_{k}"] for k in kinds],
                        colors=[OPERATOR_COLOURS[k] for k in kinds],
                        labels=[k.replace("_", " ") for k in kinds])
        right.legend(fontsize=6, loc="lower left")
    left.set_title("Council spend and budget (GBP k a month)", fontsize=9)
    right.set_title("Units by operator", fontsize=9)
    fig.tight_layout()
    return fig


#: The charts projector mode shows.
KEY_CHARTS = ("service_survival", "coverage_rural", "unmet_need", "volunteers_active")


@solara.component
def Charts(runs: dict, version: int, names: tuple[str, ...] | None = None):
    """The live charts of each run in `runs` (name: Simulation) as of `version`.

    `names` chooses the charts (all when None).
    """
    frames = {name: sim.timeseries() for name, sim in runs.items()}
    solara.FigureMatplotlib(charts_figure(frames), format="png")
    if len(frames) == 1:
        solara.FigureMatplotlib(spend_figure(next(iter(frames.values()))), format="png")
