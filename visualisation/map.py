"""The live map (placeholder: the matplotlib picture, until the data-driven map lands)."""

from __future__ import annotations

from collections.abc import Callable

import solara

from .charts import map_figure
from .session import Simulation


@solara.component
def MapView(sim: Simulation, version: int, selected: int | None,
            on_pick: Callable[[int], None], title: str = ""):
    """The map of `sim` as of `version`; picking a unit calls `on_pick(unit index)`."""
    solara.FigureMatplotlib(map_figure(sim.model, title), format="png")
