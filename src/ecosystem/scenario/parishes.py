"""The scenario's parish and town councils: the local tier that can take devolved services.

Used only where a scenario lists `parish_devolution` in `councils.options_considered`.
Every field declares its description, unit, bounds and, where one exists, its source.
"""

from __future__ import annotations

from ecosystem.scenario.parameters import Group, param


class Parishes(Group):
    """Parish and town councils: their precept and what a devolution hands them."""

    precept_per_household: float = param(
        80.0, "Precept a parish or town council raises from each household in its area a "
        "year: the small local tax it sets itself on top of council tax. The seeds give no "
        "figure (English parish precepts averaged roughly GBP 70 to 90 a Band D household in "
        "the early 2020s, not in the seeds). Assumed; plausible range 20 to 150.",
        "GBP/household/year", 0.0, 1000.0, "[002:L260; L859]",
    )
    precept_service_share: float = param(
        0.5, "Share of its precept a parish can put towards services devolved to it; the rest "
        "keeps its own halls, greens and clerk. Assumed; plausible range 0.2 to 0.8.",
        "share", 0.0, 1.0,
    )
    budget_share: float = param(
        0.8, "Share of a devolved unit's in-house budget the principal council passes to the "
        "parish with it: 'devolving complete services and functions to town and parish "
        "councils' [002:L859] usually comes with less money than the service cost. Assumed; "
        "plausible range 0.5 to 1.", "share", 0.0, 1.0, "[002:L859]",
    )
