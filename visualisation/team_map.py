"""A council team's map for the phone: its area, its units, its community capacity, its providers.

The shared map (`map_frame`, drawn by the live app's `MapCanvas`) cropped to the team's council
area with a cell of margin, only the units that council is responsible for, and as the
background its area's community capacity (or, toggled, the need left unmet). Under it, the
providers running its units and the area's community capacity as one number
(`ecosystem.workshop.neighbourhood`). Everything is read from the shared model under
`room.lock`, and only again when a year has run (or the model was replaced by a rewind):
a submission elsewhere in the room does not redraw it.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import solara

from ecosystem.workshop.neighbourhood import community_capacity_of, providers_near
from ecosystem.workshop.room import Room

from . import map_frame
from .map import MapCanvas
from .opaque import use_opaque
from .wording import service_name
from .workshop_common import percent, under_lock

#: Text size of the team's map and its legend, in pixels (markers are 1.27 times it).
PHONE_MAP_PX = 13
#: Most of the phone's height the map may take: 0.4 of an 844 px screen is 338 px.
PHONE_MAP_HEIGHT = 0.4
#: The background tints a team may pick, as the toggle names them.
TINT_WORDS = {"capacity": "Community capacity", "unmet": "Need left unmet"}


def tint_series(tint: str, council: int, window: map_frame.Window) -> Callable[[Any], dict]:
    """The reader of the chosen background tint of `council`'s window."""
    if tint == "capacity":
        return lambda model: map_frame.capacity_series(model, council, window)
    return lambda model: map_frame.unmet_series(model, window)


def neighbourhood(model, council: int) -> dict[str, Any]:
    """The providers running `council`'s open units, and its area's community capacity."""
    return {"providers": providers_near(model, council),
            "capacity": community_capacity_of(model, council)}


def provider_line(provider: dict[str, Any]) -> str:
    """One provider: "Mutual · 2 units (parks, libraries) · 1 below standard"."""
    units = provider["units"]
    services = ", ".join(service_name(s) for s in provider["services"])
    below = provider["below_standard"]
    return (f"<li class='room-provider' data-kind='{html.escape(provider['kind'])}'>"
            f"{html.escape(map_frame.label(provider['kind']).capitalize())} · {units} "
            f"unit{'s' if units != 1 else ''} ({html.escape(services)})"
            + (f" · <b>{below} below standard</b>" if below else "") + "</li>")


def providers_html(near: dict[str, Any]) -> str:
    """The area's community capacity, and a line per provider: kind, units, below standard."""
    rows = "".join(provider_line(p) for p in near["providers"])
    listing = (f"<ul style='margin:2px 0 0 0;padding-left:18px'>{rows}</ul>" if rows else
               "<div>No other organisation runs your services: all are in-house.</div>")
    return (f"<div class='room-capacity'>Community capacity of your area: "
            f"<b>{percent(near['capacity'])}</b></div>"
            f"<div style='margin-top:4px'>Providers running your services:</div>{listing}")


@solara.component
def TeamMap(room: Room, council: int, years_run: int, px: int = PHONE_MAP_PX):
    """`council`'s part of the room's map as of `years_run` years (class `room-team-map`)."""
    model = room.model  # a rewind puts back another model: everything follows it
    tint = solara.use_reactive("capacity")
    window = solara.use_memo(under_lock(room, lambda m: map_frame.council_window(m, council)),
                             dependencies=[model, council])
    base = use_opaque(under_lock(room, lambda m: map_frame.base_option(m, px, window)),
                      [model, window, px])
    land = use_opaque(under_lock(room, lambda m: map_frame.land_raster(m, window, tint.value)),
                      [model, window, tint.value])
    legend = solara.use_memo(
        under_lock(room, lambda m: map_frame.legend(m, tint.value, council, selection=False)),
        dependencies=[model, council, tint.value])
    units = use_opaque(under_lock(room, lambda m: map_frame.unit_series(m, None, px, council)),
                       [model, years_run, council, px])
    background = use_opaque(under_lock(room, tint_series(tint.value, council, window)),
                            [model, years_run, window, tint.value])
    near = solara.use_memo(under_lock(room, lambda m: neighbourhood(m, council)),
                           dependencies=[model, years_run, council])
    with solara.Column(classes=["room-team-map"], gap="4px"):
        with solara.ToggleButtonsSingle(value=tint, dense=True, classes=["room-map-tint"]):
            for key, words in TINT_WORDS.items():
                solara.Button(words, value=key, text=True, classes=[f"room-map-tint-{key}"])
        MapCanvas(base=base, land=land, units=units, unmet=background, legend=legend,
                  title="", text_px=px, max_height=PHONE_MAP_HEIGHT, event_pick=_no_pick)
        solara.HTML("div", providers_html(near), classes=["room-providers"],
                    style="font-size:14px")


def _no_pick(unit: Any) -> None:
    """The team's map picks nothing."""
