"""The timeline: where the run is, and going back to an earlier month (placeholder)."""

from __future__ import annotations

from collections.abc import Callable

import solara

from .session import Simulation


@solara.component
def Timeline(sim: Simulation, version: int, on_seek: Callable[[int], None]):
    """Month `sim.month` of the horizon; moving it back calls `on_seek(month)`."""
    solara.Markdown(f"**Month {sim.month}** (year {max(1, (sim.month + 11) // 12)}) of "
                    f"{sim.scenario.months}")
