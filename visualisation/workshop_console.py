"""The trainer's console (`/room`): open a room, seat people, run the rounds, get the debrief.

Opening a room puts its code in the address (`/room?code=ABCD`), so a reload of the
console comes back to the same room. The debrief is computed in a background thread once
the game has ended (the game and the baseline replayed over other seeds take a while); the
page shows a spinner until it is ready, then offers the HTML report and the scenario TOML.
"""

from __future__ import annotations

import html
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

import solara

from ecosystem import load_preset
from ecosystem.workshop import rooms
from ecosystem.workshop.debrief import Debrief, debrief, scenario_toml
from ecosystem.workshop.league import MEASURES, council_name
from ecosystem.workshop.report import report_html
from ecosystem.workshop.room import Room, RoomError

from .preset_picker import PresetPicker
from .workshop_common import (
    Countdown,
    LeagueTable,
    find_room,
    join_url,
    page_url,
    phase_words,
    query,
    request_host,
    team_names,
    use_released_place,
    use_room_version,
)

YEARS = (1, 10)
ROUND_SECONDS = (10, 1800)
#: Councils (teams) a room may have: the scenario's bounds on `world.councils`.
COUNCILS = (1, 8)
#: Other seeds the debrief replays the game and the baseline over ("was it luck?").
OTHER_SEEDS = 20
#: Seconds "+1 minute" adds to the round.
EXTENSION_SECONDS = 60


def settings_problems(preset: str | None, years: int | None, seconds: int | None,
                      seed: int | None, councils: int | None = None) -> list[str]:
    """Every problem with the room's settings as typed (empty: the room can open).

    `councils` None keeps the preset's number of councils.
    """
    problems = []
    if councils is not None and not COUNCILS[0] <= councils <= COUNCILS[1]:
        problems.append(f"Councils: a whole number from {COUNCILS[0]} to {COUNCILS[1]}, or "
                        "empty for the preset's.")
    if not preset:
        problems.append("Preset: choose one.")
    if years is None or not YEARS[0] <= years <= YEARS[1]:
        problems.append(f"Years: a whole number from {YEARS[0]} to {YEARS[1]}.")
    if seconds is None or not ROUND_SECONDS[0] <= seconds <= ROUND_SECONDS[1]:
        problems.append(f"Seconds per round: a whole number from {ROUND_SECONDS[0]} "
                        f"to {ROUND_SECONDS[1]}.")
    if seed is None or seed < 0:
        problems.append("Seed: a whole number, 0 or more.")
    return problems


@dataclass
class DebriefJob:
    """A debrief being computed for a room's game, or computed (`result`) or failed (`error`)."""

    version: int
    done: threading.Event
    result: Debrief | None = None
    error: str = ""


_jobs: dict[str, DebriefJob] = {}
_jobs_lock = threading.Lock()


def debrief_job(room: Room) -> DebriefJob:
    """The debrief of `room`'s game as it stands, started in a daemon thread if it is new."""
    with _jobs_lock:
        job = _jobs.get(room.code)
        if job is not None and job.version == room.version:
            return job
        job = _jobs[room.code] = DebriefJob(room.version, threading.Event())
    played, baseline = room.played_scenario(), room.baseline_scenario()

    def compute() -> None:
        try:
            job.result = debrief(played, baseline, room.seed, other_seeds=OTHER_SEEDS)
        except Exception as error:  # noqa: BLE001 (shown to the trainer; the room stays)
            job.error = f"The debrief could not be computed: {error}"
        job.done.set()

    threading.Thread(target=compute, daemon=True, name=f"debrief-{room.code}").start()
    return job


def council_names(room: Room) -> list[str]:
    """Each council's name with who sat at it, for the report."""
    names = team_names(room.projector_view()["seats"])
    return [names.get(c, council_name(c)) for c in range(room.councils)]


def verdicts_html(result: Debrief, names: list[str]) -> str:
    """The debrief's summary: per council and measure, was it better than the baseline?"""
    head = "".join(f"<th>{html.escape(heading)}</th>" for heading, _ in MEASURES.values())
    rows = "".join(
        f"<tr><th style='text-align:left;padding:2px 10px'>{html.escape(names[c])}</th>"
        + "".join(f"<td style='padding:2px 10px'>{html.escape(luck[m].verdict)}</td>"
                  for m in MEASURES if m in luck)
        + "</tr>" for c, luck in enumerate(result.luck))
    return (f"<table class='room-debrief-summary' style='border-collapse:collapse'>"
            f"<thead><tr><th></th>{head}</tr></thead><tbody>{rows}</tbody></table>")


@solara.component
def DebriefPanel(room: Room):
    """The debrief of the ended game: a spinner while it is computed, then the downloads."""
    job = solara.use_memo(lambda: debrief_job(room), dependencies=[room, room.version])
    ready = solara.use_reactive(job.done.is_set())

    def wait() -> Callable[[], None] | None:
        if job.done.is_set():
            ready.set(True)
            return None
        stop = threading.Event()

        def watch() -> None:
            while not (stop.is_set() or job.done.wait(0.5)):
                pass
            if job.done.is_set():
                ready.set(True)

        threading.Thread(target=watch, daemon=True).start()
        return stop.set

    solara.use_effect(wait, dependencies=[job])
    with solara.Card("Debrief", classes=["room-debrief"]):
        if not (ready.value and job.done.is_set()):
            with solara.Row(style={"align-items": "center"}):
                solara.SpinnerSolara(size="60px")
                solara.Text(f"Replaying the game and the baseline over {OTHER_SEEDS} other "
                            "seeds…", classes=["room-debrief-waiting"])
            return
        if job.result is None:
            solara.Error(job.error, classes=["room-debrief-error"])
            return
        result, names = job.result, council_names(room)
        with solara.Row():
            solara.FileDownload(lambda: report_html(result, room.played_scenario(), names),
                                filename=f"room-{room.code}-debrief.html",
                                children=[solara.Button("Download the report (HTML)",
                                                        classes=["room-download-report"])])
            solara.FileDownload(lambda: scenario_toml(room.played_scenario(), room.seed),
                                filename=f"room-{room.code}-scenario.toml",
                                children=[solara.Button("Download the scenario (TOML)",
                                                        classes=["room-download-scenario"])])
        solara.Markdown("**Was it luck?** Each council's decisions against the baseline, "
                        f"over {OTHER_SEEDS} other seeds:")
        solara.HTML("div", verdicts_html(result, names), style="overflow-x:auto")


@solara.component
def RoomSettings(on_open: Callable[[Room], None]):
    """The room's preset, years, seconds per round and seed, and "Open room"."""
    preset = solara.use_reactive("baseline")
    years = solara.use_reactive(3)
    seconds = solara.use_reactive(300)
    seed = solara.use_reactive(0)
    councils = solara.use_reactive(cast(int | None, None))
    problems = solara.use_reactive([])

    def open_room() -> None:
        found = settings_problems(preset.value, years.value, seconds.value, seed.value,
                                  councils.value)
        if not found:
            try:
                scenario = load_preset(preset.value)
                if councils.value is not None:
                    scenario = scenario.with_overrides({"world.councils": councils.value})
                room = rooms.open_room(scenario, seed=seed.value, years=years.value,
                                       round_seconds=float(seconds.value))
            except (RoomError, ValueError) as error:
                found = list(getattr(error, "problems", [])) or [str(error)]
            else:
                on_open(room)
        problems.set(found)

    with solara.Card("Open a workshop room", classes=["room-settings"],
                     style={"max-width": "640px"}):
        PresetPicker("Preset", preset)
        solara.InputInt(f"Years ({YEARS[0]}-{YEARS[1]})", value=years, optional=True,
                        classes=["room-years"])
        solara.InputInt(f"Seconds per round ({ROUND_SECONDS[0]}-{ROUND_SECONDS[1]})",
                        value=seconds, optional=True, classes=["room-seconds"])
        solara.InputInt(f"Councils, one a team ({COUNCILS[0]}-{COUNCILS[1]}; empty: the "
                        "preset's)", value=councils, optional=True, classes=["room-councils"])
        solara.InputInt("Seed", value=seed, optional=True, classes=["room-seed"])
        if problems.value:
            solara.Error("The room was not opened: " + " ".join(problems.value),
                         classes=["room-settings-problems"])
        solara.Button("Open room", color="primary", on_click=open_room,
                      classes=["room-open"])


@solara.component
def SeatsPanel(room: Room, version: int, act: Callable[[Callable[[], None]], None]):
    """The people seated, by council, each with a control to move them (class `room-seats`)."""
    seats = room.seats()
    councils = [council_name(c) for c in range(room.councils)]
    with solara.Card("Seats", classes=["room-seats"]):
        if not seats:
            solara.Text("No one has joined yet.")
        for council in range(room.councils):
            sitting = [s for s in seats if s.council == council]
            if not sitting:
                continue
            solara.HTML("div", f"<b>{html.escape(council_name(council))}</b>",
                        classes=["room-seat-group"], attributes={"data-council": council})
            for seat in sitting:
                with solara.Row(style={"align-items": "center"}, classes=["room-seat"]):
                    solara.Text(seat.name, style={"min-width": "10em"})
                    solara.Select("Move to", values=councils, value=councils[seat.council],
                                  on_value=lambda name, t=seat.token: act(
                                      lambda: room.reseat(t, councils.index(name))),
                                  dense=True, classes=["room-reseat"],
                                  style={"max-width": "12em"})


@solara.component
def GameControls(room: Room, version: int, act: Callable[[Callable[[], None]], None]):
    """Start, Pause or Resume, +1 minute, Rewind a year, End game, as the room allows.

    `version` (the room's) is an argument so the controls redraw whenever the room changes.
    """
    phase = str(room.phase)
    with solara.Row(style={"flex-wrap": "wrap"}, classes=["room-controls"]):
        solara.Button("Start", color="primary", on_click=lambda: act(room.start),
                      disabled=phase != "lobby", classes=["room-start"])
        paused = phase == "paused"
        solara.Button("Resume" if paused else "Pause",
                      on_click=lambda: act(room.resume if paused else room.pause),
                      disabled=phase not in ("deciding", "paused"), classes=["room-pause"])
        solara.Button("+1 minute", on_click=lambda: act(lambda: room.extend(EXTENSION_SECONDS)),
                      disabled=phase not in ("deciding", "paused"), classes=["room-extend"])
        solara.Button("Rewind a year", on_click=lambda: act(room.rewind),
                      disabled=not room.history or phase == "finished",
                      classes=["room-rewind"])
        solara.Button("End game", color="error", on_click=lambda: act(room.end),
                      disabled=phase == "finished", classes=["room-end"])


@solara.component
def RoomConsole(room: Room):
    """The open room: its code and join address, the controls, the seats, the league."""
    version = use_room_version(room)
    message = solara.use_reactive("")
    view = solara.use_memo(room.projector_view, dependencies=[room, version])

    def act(action: Callable[[], None]) -> None:
        try:
            action()
        except RoomError as error:
            message.set("; ".join(error.problems) or str(error))
        else:
            message.set("")

    address = join_url(request_host(), room.code)
    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap", "gap": "32px"}):
        solara.HTML("div", html.escape(room.code), classes=["room-join-code"],
                    style="font-size:120px;font-weight:bold;letter-spacing:0.15em;"
                          "font-family:monospace;line-height:1")
        with solara.Column(gap="4px"):
            solara.HTML("div", f"Participants open <b class='room-join-url'>"
                        f"{html.escape(address)}</b>", style="font-size:24px")
            solara.HTML("div", html.escape(phase_words(room)), classes=["room-round"],
                        style="font-size:24px")
            Countdown(room)
            solara.Button("Open the projector view", icon_name="mdi-projector",
                          href=page_url("/room/projector", code=room.code), target="_blank",
                          classes=["room-projector-link"])
    GameControls(room, version, act)
    if message.value:
        solara.Error(message.value, classes=["room-action-problems"])
    with solara.Row(style={"align-items": "flex-start", "flex-wrap": "wrap"}):
        with solara.Column(style={"flex": "1 1 380px"}):
            SeatsPanel(room, version, act)
        with solara.Column(style={"flex": "2 1 600px", "min-width": "0"}):
            solara.Markdown("**League table**")
            LeagueTable(view["league"], 16, team_names(view["seats"]))
    if str(room.phase) == "finished":
        DebriefPanel(room)


@solara.component
def ConsolePage():
    """`/room`: the settings, or the room whose code is in the address."""
    use_released_place()
    router = solara.use_router()
    code = query(router.search).get("code", "")
    solara.Title("ecosystem: workshop room")
    room = find_room(code)
    with solara.Column(style={"padding": "12px"}):
        if code and room is None:
            solara.Warning(f"No open room has the code {code!r}: open a new one.",
                           classes=["room-no-room"])
        if room is None:
            RoomSettings(lambda opened: router.push(page_url("/room", code=opened.code)))
        else:
            RoomConsole(room)
