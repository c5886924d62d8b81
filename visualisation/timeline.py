"""The timeline: where the run is, and going back to an earlier month to run on from there.

The slider spans month 0 to the month reached; "Go back to month N" calls `on_seek(N)`.
Going back lets go of the months after N: the levers may change from there, so the run
that follows is a new future, and the slider then ends at N.
"""

from __future__ import annotations

from collections.abc import Callable

import solara

from .session import Simulation
from .style import text_px

#: Class of the timeline's block, for its text size rule.
CLASS = "ecosystem-timeline"
#: What going back does: the Go back button's tooltip.
HINT = ("Going back lets go of the months after it: play on from there, with the levers as "
        "they were then, or change them and try another future.")


def horizon_html(sim: Simulation) -> str:
    """Where the run is, e.g. "<b>Month 14</b> (year 2) of 120"."""
    year = max(1, (sim.month + 11) // 12)
    return f"<b>Month {sim.month}</b> (year {year}) of {sim.scenario.months}"


def target_month(chosen: int | None, month: int) -> int:
    """The month the slider points at: the one chosen if still behind `month`, else `month`."""
    return month if chosen is None or chosen > month else chosen


@solara.component
def Timeline(sim: Simulation, version: int, on_seek: Callable[[int], None]):
    """Month `sim.month` of the horizon, and a slider back to any month reached.

    `version` changes every frame, so the month shown follows the run.
    """
    chosen = solara.use_reactive(None)
    px = text_px()
    month = sim.month
    target = target_month(chosen.value, month)

    def choose(value: int) -> None:
        chosen.set(None if value >= sim.month else value)

    def go_back() -> None:
        chosen.set(None)
        on_seek(target)

    solara.Style(f".{CLASS} .v-label, .{CLASS} .v-btn, .{CLASS} p "
                 f"{{ font-size: {px}px !important; }}")
    with solara.Column(classes=[CLASS], gap="4px", style={"font-size": f"{px}px"}):
        # HTML, not Markdown: Solara makes a new Markdown widget whenever its text changes
        solara.HTML("div", horizon_html(sim), style={"font-size": f"{px}px"})
        with solara.Row(style={"align-items": "center"}):
            solara.SliderInt("Month", value=target, min=0, max=max(month, 1),
                             on_value=choose, thumb_label=False, disabled=month == 0)
            solara.Button(f"Go back to month {target}", on_click=go_back,
                          disabled=target >= month, attributes={"title": HINT})
