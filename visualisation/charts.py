"""The live charts, drawn in the browser by ECharts (served offline by solara-assets).

`Charts` shows the charts named in `names` (all of `CHART_NAMES` by default; `KEY_CHARTS` on
a projector) for one run or several overlaid; chart_options.py builds what they draw.
"""

from __future__ import annotations

import math
import time

import ipyvuetify as v
import solara
import traitlets

from .chart_options import CHARTS, chart_options
from .opaque import Opaque, to_json
from .session import Simulation
from .style import text_px


class ChartWidget(v.VuetifyTemplate):
    """One chart: ECharts 5.4 (served by solara-assets), a new option merged in (chart.vue).

    The option is `Opaque` to Reacton (see opaque.py).
    """

    template_file = (__file__, "chart.vue")
    attributes = traitlets.Dict(default_value=None, allow_none=True).tag(sync=True)
    option = traitlets.Any({}).tag(sync=True, to_json=to_json)


#: While a run plays, the charts are redrawn at most once in this many seconds (each redraw
#: has every month so far; the map still shows every month). Drawing seven charts was half
#: of the browser's work a frame; the last month always shows when play stops.
CHART_SECONDS = 0.25

#: Every chart, in the order they show.
CHART_NAMES = tuple(CHARTS)
#: The charts a projector shows: the story in four pictures.
KEY_CHARTS = ("survival", "coverage", "unmet_need", "volunteers")


def chart_size(px: int, compact: bool = False) -> tuple[int, int]:
    """(least width, height) of one chart in pixels for text `px` pixels high.

    Compact charts (a projector's key charts, two to a row) are smaller for their text.
    """
    return (15 * px, 11 * px) if compact else (26 * px, 16 * px)


def use_throttled(version: int, playing: bool) -> int:
    """`version`, but while `playing` one that changes at most once in `CHART_SECONDS`."""
    held = solara.use_ref((version, -math.inf))
    now = time.monotonic()
    if version != held.current[0] and (not playing or now - held.current[1] >= CHART_SECONDS):
        held.current = (version, now)
    return held.current[0]


@solara.component
def Charts(runs: dict[str, Simulation], version: int,
           names: tuple[str, ...] = CHART_NAMES, compact: bool = False,
           playing: bool = False):
    """The charts `names` of each run in `runs` (name: Simulation) as of `version`.

    Several runs are overlaid, told apart by line style and colour; the operators chart
    shows once per run. `compact` draws them smaller (see `chart_size`). While `playing`
    they are redrawn at most once in `CHART_SECONDS`.
    """
    version = use_throttled(version, playing)
    px = text_px()
    width, height = chart_size(px, compact)
    style = f"flex: 1 1 {width}px; min-width: {width}px; height: {height}px;"
    options = solara.use_memo(lambda: [Opaque(o) for o in chart_options(runs, names, px, width)],
                              dependencies=[*runs.values(), version, names, px, width])
    with solara.Row(style={"flex-wrap": "wrap", "gap": "8px", "width": "100%"}):
        for option in options:
            ChartWidget.element(option=option, attributes={"style": style})
