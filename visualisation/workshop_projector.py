"""The projector view of a workshop room (`/room/projector?code=ABCD`), for a 1920x1080 screen.

The whole shared map (the live app's map, drawn from `room.model`), the league table with
the best of each column marked, the last year's events newest first, a big countdown, the
round, and which councils have submitted. The map and the table are redrawn when the room's
version moves (a year ran, a plan came in); the countdown alone every second.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import solara

from ecosystem.workshop.league import council_name
from ecosystem.workshop.room import Room

from . import map_frame
from .map import MapCanvas
from .opaque import use_opaque
from .style import PROJECTOR_TEXT_PX
from .workshop_common import (
    Countdown,
    LeagueTable,
    events_html,
    events_lines,
    find_room,
    phase_words,
    query,
    team_names,
    under_lock,
    use_released_place,
    use_room_version,
)

#: The map's share of the window's height on the projector.
MAP_HEIGHT = 0.62
PROJECTOR_PAGE_CSS = f"""
.room-projector, .room-projector * {{ font-size: {PROJECTOR_TEXT_PX}px; }}
.room-projector h1 {{ font-size: 40px; margin: 0; }}
.room-projector h2 {{ font-size: 28px; margin: 0 0 4px 0; }}
"""


@solara.component
def RoomMap(room: Room, version: int, px: int = PROJECTOR_TEXT_PX,
            max_height: float = MAP_HEIGHT, title: str = ""):
    """The room's shared map as of `version`, read under the room's lock (class `room-map`)."""
    model = room.model  # a rewind puts back another model: the static layers follow it
    base = use_opaque(under_lock(room, lambda m: map_frame.base_option(m, px)), [model, px])
    land = use_opaque(under_lock(room, map_frame.land_raster), [model])
    legend = solara.use_memo(under_lock(room, lambda m: map_frame.legend(m, selection=False)),
                             dependencies=[model])
    units = use_opaque(under_lock(room, lambda m: map_frame.unit_series(m, None, px)),
                       [model, version, px])
    unmet = use_opaque(under_lock(room, map_frame.unmet_series), [model, version])
    with solara.Column(classes=["room-map"]):
        MapCanvas(base=base, land=land, units=units, unmet=unmet, legend=legend, title=title,
                  text_px=px, max_height=max_height, event_pick=_no_pick)


def _no_pick(unit: Any) -> None:
    """The room's maps pick nothing."""


def submitted_html(view: Mapping[str, Any]) -> str:
    """Each council with people seated: a tick when its plan for this year is in.

    `view` is the room's projector view.
    """
    seated = sorted(council for council, names in view["seats"].items() if names)
    done = set(view["submitted"])
    if not seated:
        return "<p>No one has joined yet.</p>"
    items = "".join(
        f"<li class='room-submitted-{'yes' if council in done else 'no'}' "
        f"data-council='{council}'>{'✔' if council in done else '…'} "
        f"{html.escape(council_name(council))}</li>" for council in seated)
    return f"<ul style='list-style:none;padding:0;margin:0;columns:2'>{items}</ul>"


@solara.component
def ProjectorBoard(room: Room):
    """The projector's board for `room` (redrawn as the room's version moves)."""
    version = use_room_version(room)
    view = solara.use_memo(room.projector_view, dependencies=[room, version])
    sentences = solara.use_memo(lambda: events_lines(room, view["events"]), dependencies=[view])
    solara.Style(PROJECTOR_PAGE_CSS)
    with solara.Row(classes=["room-projector"],
                    style={"flex-wrap": "nowrap", "align-items": "flex-start"}):
        with solara.Column(style={"flex": "11 1 0", "min-width": "0"}):
            RoomMap(room, version)
        with solara.Column(style={"flex": "9 1 0", "min-width": "0"}):
            with solara.Row(style={"align-items": "center", "justify-content": "space-between"}):
                with solara.Column(gap="0"):
                    solara.HTML("h1", html.escape(phase_words(room)), classes=["room-round"])
                    solara.HTML("div", f"Join at <b>/join</b> with code "
                                f"<b class='room-code'>{html.escape(room.code)}</b>")
                Countdown(room, big=True)
            solara.HTML("h2", "League table")
            LeagueTable(view["league"], PROJECTOR_TEXT_PX, team_names(view["seats"]))
            solara.HTML("h2", "Plans in this year")
            solara.HTML("div", submitted_html(view), classes=["room-submitted"])
            solara.HTML("h2", "What happened last year (newest first)")
            solara.HTML("div", events_html(sentences, PROJECTOR_TEXT_PX - 2),
                        classes=["room-events"], style="max-height:34vh;overflow-y:auto")


@solara.component
def ProjectorPage():
    """`/room/projector?code=ABCD`: the board, or a message when the code finds no room."""
    use_released_place()
    router = solara.use_router()
    code = query(router.search).get("code", "")
    room = find_room(code)
    solara.Title("ecosystem: room projector")
    if room is None:
        solara.Error(f"No open room has the code {code!r}. Open the projector from the "
                     "trainer's console (/room).", classes=["room-no-room"])
        return
    ProjectorBoard(room)

