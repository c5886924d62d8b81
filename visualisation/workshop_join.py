"""The participants' page (`/join?code=ABCD`): join a room, then run a council's year.

Phone first: one column, large buttons. Joining puts the seat's token in the address,
`/join?code=ABCD&seat=TOKEN`, through the router, so a reload or a dropped connection comes
back to the same seat (the page also shows that link to keep). The dashboard comes from
`room.team_view(council)`, and the plan form from `team_plan`.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import solara

from ecosystem.workshop.room import Room, RoomError, Seat

from .team_map import TeamMap
from .team_plan import TeamPlan
from .wording import service_name
from .workshop_common import (
    Countdown,
    LeagueTable,
    clean_code,
    events_html,
    events_lines,
    find_room,
    page_url,
    percent,
    phase_words,
    query,
    request_host,
    use_released_place,
    use_room_version,
)

PHONE_CSS = """
.room-phone { max-width: 640px; margin: 0 auto; }
.room-phone .v-btn { min-height: 44px; }
.room-phone table { font-size: 14px; }
"""


def seat_of(room: Room, token: str) -> Seat | None:
    """The seat holding `token` in `room`, or None."""
    return next((seat for seat in room.seats() if seat.token == token), None)


def join_problems(room: Room | None, code: str, name: str) -> list[str]:
    """Why a join form cannot be taken as typed (empty: it can)."""
    problems = []
    if not code:
        problems.append("Type the room's code (it is on the projector).")
    elif room is None:
        problems.append(f"No open room has the code {code!r}: check the code on the projector.")
    if not name.strip():
        problems.append("Type your name, so the trainer knows who is at each council.")
    return problems


@solara.component
def JoinForm(code_given: str, message: str = ""):
    """The code and name form; on joining, the seat's token goes into the address."""
    router = solara.use_router()
    code = solara.use_reactive(code_given)
    name = solara.use_reactive("")
    problems = solara.use_reactive([message] if message else [])

    def join() -> None:
        typed = clean_code(code.value)
        room = find_room(typed)
        found = join_problems(room, typed, name.value)
        if room is not None and not found:
            try:
                seat = room.join(name.value.strip())
            except RoomError as error:
                found = list(error.problems) or [str(error)]
            else:
                router.push(page_url("/join", code=room.code, seat=seat.token))
        problems.set(found)

    with solara.Column(classes=["room-phone", "room-join-form"]):
        solara.HTML("h2", "Join the workshop room")
        solara.InputText("Room code", value=code, continuous_update=True,
                         classes=["room-code-input"])
        solara.InputText("Your name", value=name, continuous_update=True,
                         classes=["room-name-input"])
        if problems.value:
            solara.Error(" ".join(problems.value), classes=["room-join-problems"])
        solara.Button("Join", color="primary", on_click=join, classes=["room-join"],
                      block=True)


def services_html(services: list[Mapping[str, Any]]) -> str:
    """The team's services: units open, below standard and closed, who runs them, level."""
    rows = "".join(
        f"<tr data-service='{html.escape(str(s['service']))}'>"
        f"<td>{html.escape(service_name(str(s['service'])).capitalize())}</td>"
        f"<td>{s['open']}</td><td>{s['degraded']}</td><td>{s['closed']}</td>"
        f"<td>{s['in_house']} / {s['external']}</td><td>{percent(float(s['level']))}</td></tr>"
        for s in services)
    return ("<table class='room-services-table' style='width:100%;text-align:right'>"
            "<thead><tr><th style='text-align:left'>Service</th><th>Open</th><th>Below std</th>"
            "<th>Closed</th><th>Own / others</th><th>Level</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>")


def money(value: float) -> str:
    """GBP k as people read it: 12345.6 -> "£12.3m", 830 -> "£830k"."""
    return f"£{value / 1000:,.1f}m" if abs(value) >= 1000 else f"£{value:,.0f}k"


def budget_html(view: Mapping[str, Any]) -> str:
    """Budget, the cuts this year's savings plan needs, and reserves."""
    gap = view.get("budget_gap", {})
    return (f"<div class='room-budget'>Budget this year <b>{money(view['budget'])}</b> · "
            f"reserves <b>{money(view['reserves'])}</b><br>Budget gap: discretionary services "
            f"cut <b>{percent(gap.get('discretionary_cut', 0.0))}</b>, statutory "
            f"<b>{percent(gap.get('statutory_cut', 0.0))}</b></div>")


@solara.component
def TeamDashboard(room: Room, seat: Seat):
    """The team's council: its standing, map, providers, services, league row, events, plan."""
    version = use_room_version(room)
    current = seat_of(room, seat.token) or seat  # the trainer may have reseated this person
    view = solara.use_memo(lambda: room.team_view(current.council),
                           dependencies=[room, version, current.council])
    sentences = solara.use_memo(lambda: events_lines(room, view["events"]),
                                dependencies=[view])
    phase = str(room.phase)
    years_run = len(room.history)
    with solara.Column(classes=["room-phone", "room-team"]):
        solara.HTML("h2", html.escape(f"{view['name']} · {current.name}"),
                    classes=["room-seat-council"], attributes={"data-council": current.council})
        with solara.Row(style={"align-items": "center", "justify-content": "space-between"}):
            solara.HTML("div", html.escape(phase_words(room)), classes=["room-round"])
            Countdown(room)
        if phase == "finished":
            solara.Success("Thank you for playing! Your council's final standing:",
                           classes=["room-thanks"])
            LeagueTable([view["league_row"]], 14)
            return
        if phase == "lobby":
            solara.Info("You are seated. The game starts when the trainer says so.",
                        classes=["room-waiting"])
        solara.HTML("div", budget_html(view))
        TeamMap(room, current.council, years_run)
        solara.HTML("div", services_html(view["services"]), classes=["room-services"])
        LeagueTable([view["league_row"]], 14)
        with solara.Details("Last year's events", expand=False):
            solara.HTML("div", events_html(sentences, 14), classes=["room-team-events"])
        if phase in ("deciding", "paused"):
            TeamPlan(room, current, view["round"], version,
                     [s["service"] for s in view["services"]], view["options"], view["plan"],
                     bool(view["submitted"])).key(
                         f"plan-{current.council}-{view['round']}-{years_run}")
        link = f"http://{request_host()}" + page_url("/join", code=room.code, seat=seat.token)
        solara.HTML("div", f"Your seat's link (open it to come back here): "
                    f"<a class='room-seat-link' href='{html.escape(link)}'>"
                    f"{html.escape(link)}</a>", style="font-size:12px;word-break:break-all")


@solara.component
def JoinPage():
    """`/join`: the join form, or the team's dashboard when the address holds its seat."""
    use_released_place()
    router = solara.use_router()
    params = query(router.search)
    code, token = clean_code(params.get("code")), params.get("seat", "")
    solara.Title("ecosystem: join the room")
    solara.Style(PHONE_CSS)
    room = find_room(code)
    seat = seat_of(room, token) if room is not None and token else None
    if room is not None and seat is not None:
        TeamDashboard(room, seat)
        return
    message = (f"No open room has the code {code!r}: check the code on the projector."
               if code and room is None else
               "This seat is not in the room any more: join again." if token else "")
    JoinForm(code, message).key(f"join-{code}-{token}")
