"""The live map, drawn in the browser from data by ECharts (served offline by solara-assets).

Solara's own `FigureEcharts` resends the whole chart, static layers included, on every
change and redraws it from scratch, which closes an open tooltip each frame. `MapCanvas`
(map_canvas.vue, a small Vue component around the same ECharts 5.4) takes the static part
once per model and merges each frame's unit layers into it by series id; the cells'
settlement shading and unmet-need tint are painted on a plain canvas under the chart. See
map_frame.py for what is drawn.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import solara

from . import map_frame, opaque
from .opaque import Opaque, use_opaque
from .session import Simulation
from .style import projector, text_px

#: Most of the window's height the map may take, so the page shows it without scrolling;
#: less in projector mode, where its legend's larger text wraps below it.
MAX_HEIGHT = 0.55
PROJECTOR_MAX_HEIGHT = 0.4


@solara.component_vue("map_canvas.vue", to_json=dict.fromkeys(
    ("base", "land", "units", "unmet"), opaque.to_json))
def MapCanvas(base: Opaque, land: Opaque, units: Opaque, unmet: Opaque, legend: dict,
              title: str, text_px: int, max_height: float,
              event_pick: Callable[[Any], None]):
    """The map in the browser: `base` and `land` once per model, `units` and `unmet` each frame.

    Settlements and the unmet tint are painted under the chart (see map_frame.land_raster).
    """


def _picker(on_pick: Callable[[int], None]) -> Callable[[Any], None]:
    """The click handler: the browser sends the unit's index as a JSON number."""
    return lambda unit: on_pick(int(unit))


@solara.component
def MapView(sim: Simulation, version: int, selected: int | None,
            on_pick: Callable[[int], None], title: str = ""):
    """The map of `sim` as of `version`; clicking a unit calls `on_pick(unit index)`."""
    px = text_px()
    model = sim.model
    base = use_opaque(lambda: map_frame.base_option(model, px), [model, px])
    land = use_opaque(lambda: map_frame.land_raster(model), [model])
    legend = solara.use_memo(lambda: map_frame.legend(model), dependencies=[model])
    units = use_opaque(lambda: map_frame.unit_series(model, selected, px),
                       [model, version, selected, px])
    unmet = use_opaque(lambda: map_frame.unmet_series(model), [model, version])
    pick = solara.use_memo(lambda: _picker(on_pick), dependencies=[on_pick])
    MapCanvas(base=base, land=land, units=units, unmet=unmet, legend=legend, title=title,
              text_px=px, max_height=PROJECTOR_MAX_HEIGHT if projector.value else MAX_HEIGHT,
              event_pick=pick)
