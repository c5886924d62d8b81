"""What the workshop room's pages share: the room in the URL, polling it, the league, the events.

A room page finds its room by the code in its URL (`?code=ABCD`) in the process-wide
registry (`ecosystem.workshop.rooms`), and keeps itself current by polling: a daemon thread
per page looks at `room.version` (and, for a countdown, the clock) once a second and bumps a
counter only when something changed, so a page redraws what did not change no more than
the live app does. Everything read from the shared model is read under `room.lock`, which
the room holds while the model runs a year.

Room pages hold no model of their own, so they give back the place the session cap keeps
for every session (`release_place`): thirty phones do not fill the live app's room.
"""

from __future__ import annotations

import html
import logging
import math
import os
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import parse_qs, urlencode

import solara
from solara.server import kernel_context

from ecosystem.cli.hosts import ALLOWED_HOSTS_ENV, LOOPBACK
from ecosystem.workshop import rooms
from ecosystem.workshop.league import MEASURES, council_name
from ecosystem.workshop.room import Room

from .player import session_closed
from .room import ROOM
from .wording import event_sentence

log = logging.getLogger(__name__)

#: Seconds between two looks at a room.
POLL_SECONDS = 1.0
#: Events shown, newest first.
EVENT_LINES = 12
#: The league's highlight for the best value of a column.
BEST_STYLE = "background:#d8f0d8;font-weight:bold"


def query(search: str | None) -> dict[str, str]:
    """The query parameters of a URL's search part, e.g. "code=ABCD" -> {"code": "ABCD"}."""
    return {key: values[0] for key, values in parse_qs(search or "").items() if values}


def page_url(path: str, **params: str) -> str:
    """`path` with `params` as its query, leaving out the empty ones."""
    given = {key: value for key, value in params.items() if value}
    return f"{path}?{urlencode(given)}" if given else path


def clean_code(code: str | None) -> str:
    """A join code as typed, made comparable: no spaces, capitals."""
    return "".join((code or "").split()).upper()


def find_room(code: str | None) -> Room | None:
    """The open room with this join code, or None."""
    code = clean_code(code)
    return rooms.find(code) if code else None


def request_host(default: str = "localhost:8765") -> str:
    """The host (and port) the browser used to reach this server, from its request headers."""
    if not kernel_context.has_current_context():
        return default
    headers = solara.lab.headers.value or {}
    for key, values in headers.items():
        if key.lower() == "host" and values:
            return str(values[0])
    return default


def shared_host(host: str, environ: Mapping[str, str] = os.environ) -> str:
    """`host` as other devices reach it: a loopback name becomes the first other allowed name.

    The trainer may open the console on this machine's loopback address; participants need
    the name given with `ecosystem app --allow-host` (the port stays).
    """
    name, colon, port = host.rpartition(":") if host.count(":") == 1 else (host, "", "")
    if name not in LOOPBACK:
        return host
    others = [n for n in environ.get(ALLOWED_HOSTS_ENV, "").split(",") if n and n not in LOOPBACK]
    return f"{others[0]}{colon}{port}" if others else host


def join_url(host: str, code: str) -> str:
    """The address participants type: http://HOST/join?code=CODE (HOST as others reach it)."""
    return f"http://{shared_host(host)}" + page_url("/join", code=code)


def release_place() -> None:
    """Give back this session's place under the session cap: a room page holds no model."""
    if kernel_context.has_current_context():
        ROOM.leave(solara.get_kernel_id())


def use_released_place() -> None:
    """`release_place` once, when the page is first shown."""
    solara.use_effect(release_place, dependencies=[])


def use_poll(look: Callable[[], Any], key: Any) -> int:
    """A counter bumped whenever `look()` gives a new value, looked at every `POLL_SECONDS`.

    A daemon thread looks, from when the page shows until it closes or `key` changes; the
    component calling this redraws when the counter moves. The redraw runs in that thread,
    so an error in a look or a redraw is logged and the thread keeps polling: a page whose
    poll died would stay frozen on its last view.
    """
    counter = solara.use_reactive(0)
    closed = session_closed()

    def start() -> Callable[[], None]:
        stopped = threading.Event()

        def poll() -> None:
            last = look()
            while not (stopped.wait(POLL_SECONDS) or closed.is_set()):
                try:
                    now = look()
                    if now != last:
                        last = now
                        counter.set(counter.value + 1)
                except Exception:  # a failed look or redraw must not freeze the page
                    log.exception("a room page's poll failed; it keeps polling")

        threading.Thread(target=poll, daemon=True, name="room-poll").start()
        return stopped.set

    solara.use_effect(start, dependencies=[key])
    return counter.value


def use_room_version(room: Room) -> int:
    """`room.version`, kept current: the component redraws when the room changes."""
    use_poll(lambda: (room.version, room.phase), room)
    return room.version


def seconds_shown(room: Room) -> int:
    """The whole seconds left in this round, as a countdown shows them."""
    return max(0, math.ceil(room.seconds_left()))


def clock_text(seconds: int) -> str:
    """Seconds as a countdown reads: 300 -> "5:00"."""
    return f"{seconds // 60}:{seconds % 60:02d}"


def phase_words(room: Room) -> str:
    """Where the game stands, in words."""
    phase = str(room.phase)
    if phase == "lobby":
        return "Waiting for the trainer to start"
    if phase == "finished":
        return "The game has ended"
    where = f"Year {room.round} of {room.years}"
    return f"{where} · paused" if phase == "paused" else where


@solara.component
def Countdown(room: Room, big: bool = False):
    """The seconds left in the round, redrawn every second (class `room-countdown`)."""
    use_poll(lambda: (seconds_shown(room), room.phase), room)
    paused = str(room.phase) == "paused"
    deciding = str(room.phase) in ("deciding", "paused")
    text = clock_text(seconds_shown(room)) if deciding else "–:––"
    size = "120px" if big else "40px"
    solara.HTML("div", html.escape(text + (" (paused)" if paused else "")),
                classes=["room-countdown"],
                style=f"font-size:{size};font-weight:bold;line-height:1.1;"
                      f"font-variant-numeric:tabular-nums")


def under_lock(room: Room, read: Callable[[Any], Any]) -> Callable[[], Any]:
    """`read(room.model)`, read while the room's lock is held."""
    def locked() -> Any:
        with room.lock:
            return read(room.model)
    return locked


def percent(value: float) -> str:
    """A share as a percentage: 0.873 -> "87%"."""
    return f"{100 * value:.0f}%"


def best_values(rows: Sequence[Mapping[str, float]]) -> dict[str, float]:
    """The best value of each measure over the rows (highest, or lowest where less is better)."""
    if not rows:
        return {}
    return {key: (max if more else min)(row[key] for row in rows)
            for key, (_, more) in MEASURES.items()}


def league_html(rows: Sequence[Mapping[str, float]], px: int = 16,
                names: Mapping[int, str] | None = None) -> str:
    """The league table as HTML: councils as rows, the measures as columns, the best marked."""
    best = best_values(rows)
    head = "".join(f"<th style='padding:4px 10px;text-align:right'>{html.escape(heading)}</th>"
                   for heading, _ in MEASURES.values())
    body = []
    for row in rows:
        council = int(row["council"])
        name = (names or {}).get(council) or council_name(council)
        cells = "".join(
            f"<td class='{'room-best' if row[key] == best[key] else ''}' style='padding:4px 10px;"
            f"text-align:right;{BEST_STYLE if row[key] == best[key] else ''}' "
            f"data-measure='{key}' data-value='{row[key]:.9f}'>"
            f"{percent(row[key])}</td>" for key in MEASURES)
        body.append(f"<tr class='room-league-row' data-council='{council}'>"
                    f"<th style='padding:4px 10px;text-align:left'>{html.escape(name)}</th>"
                    f"{cells}</tr>")
    return (f"<table class='room-league-table' style='border-collapse:collapse;font-size:{px}px'>"
            f"<thead><tr><th></th>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>")


@solara.component
def LeagueTable(rows: list[dict[str, float]], px: int = 16,
                names: dict[int, str] | None = None):
    """The league table (class `room-league`); a row per council, `data-council` its index."""
    solara.HTML("div", league_html(rows, px, names), classes=["room-league"],
                style="overflow-x:auto")


def events_lines(room: Room, newest_first: Sequence[Mapping[str, Any]],
                 lines: int = EVENT_LINES) -> list[str]:
    """The first `lines` of events given newest first, as sentences (read under the lock)."""
    with room.lock:
        return [event_sentence(room.model, event) for event in newest_first[:lines]]


def events_html(sentences: Sequence[str], px: int = 16) -> str:
    """Sentences as a list, or a line saying there are none yet."""
    if not sentences:
        return f"<p style='font-size:{px}px'>No events yet: the first year has not run.</p>"
    items = "".join(f"<li style='margin-bottom:4px'>{html.escape(s)}</li>" for s in sentences)
    return f"<ul style='font-size:{px}px;padding-left:1.2em;margin:0'>{items}</ul>"


def team_names(seats: Mapping[int, Sequence[str]]) -> dict[int, str]:
    """Council -> "Council 2 (Ann, Bo)" for each council someone sits at.

    `seats` is the projector view's council -> names.
    """
    return {council: f"{council_name(council)} ({', '.join(names)})"
            for council, names in seats.items() if names}
