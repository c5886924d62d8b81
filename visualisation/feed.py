"""The event feed: what the model did, month by month (placeholder)."""

from __future__ import annotations

import solara

from .session import Simulation


@solara.component
def EventFeed(sim: Simulation, version: int):
    """The latest events of `sim` as of `version`, newest first."""
    rows = [f"month {e['month']}: {e['event']} (council {e['council']}, unit {e['unit']})"
            for e in reversed(sim.model.events[-12:])]
    solara.Markdown("\n".join(f"- {row}" for row in rows) or "No events yet.")
