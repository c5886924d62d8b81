"""The ecosystem web app (Solara): live run, side-by-side compare, workshop mode.

Start it with `uv run ecosystem app`.

Every page builds its own simulation inside the component (memoised), so each browser
session, each workshop participant, steps a model of its own. At most `--max-sessions`
sessions hold them at once; a page beyond them is told the room is full (see `room`).
"""

from __future__ import annotations

import solara
import solara.lab

from ecosystem import list_presets, load_preset

from .charts import Charts
from .controls import KeyLevers, LeverGroups
from .feed import EventFeed
from .inspector import UnitInspector
from .map import MapView
from .player import use_player
from .room import RoomFull, admitted, open_session
from .session import Simulation
from .timeline import Timeline

solara.lab.on_kernel_start(open_session)

EXPORTS = ("timeseries.csv", "timeseries.parquet", "scenario.toml")
WORKSHOP_CSS = ".v-application { font-size: 20px !important; } h1, h2, h3 { font-size: 1.6em; }"
EXPLANATION = """
**What you are watching.** Three councils share a map of towns, villages and countryside.
Each runs some services itself and buys others from private firms, mutuals, social
enterprises and community groups. Every step is a month.

- **Councils** face a cut of 28% over five years, most of it early, while adult social care
  demand grows. They tender contracts, review services, and step in when providers fail.
- **Providers** bid for contracts, earn and spend, and fail when their money runs out.
- **Community groups** depend on volunteers, on key people and on council support.
- **Residents** use the nearest open service with room; red cells show need left unmet.
- **Volunteers** come forward when a valued local service is threatened.

**Watch for:** units turning orange (below standard) and then closing; rural need going
unmet first; what happens when you withdraw community support or simplify procurement.
"""


def _fresh(preset: str, seed: int) -> Simulation:
    return Simulation(load_preset(preset), seed)


@solara.component
def RunControls(sim: Simulation, version: int, playing, speed, on_reset, on_step):
    """Play, pause, step, reset and speed (`version` makes it redraw as the run moves)."""
    with solara.Row(style={"align-items": "center"}):
        solara.Button("Pause" if playing.value else "Play", color="primary",
                      on_click=lambda: playing.set(not playing.value), disabled=sim.finished)
        solara.Button("Step", on_click=on_step, disabled=playing.value or sim.finished)
        solara.Button("Reset", on_click=on_reset)
        solara.SliderInt("Months per frame", value=speed, min=1, max=12)


@solara.component
def Exports(sim: Simulation):
    """Download the run so far and the scenario that reproduces it (made when clicked)."""
    with solara.Row():
        for name in EXPORTS:
            solara.FileDownload(lambda name=name: sim.exports()[name], filename=name,
                                label=f"Download {name}")


@solara.component
def LiveView(sim: Simulation, tick, playing, speed, on_reset):
    """What shows the run: controls, timeline, map, charts, feed and inspector.

    Only this part reads `tick`, so a frame redraws it and leaves the levers alone.
    """
    version = tick.value
    selected = solara.use_reactive(None)

    def step():
        sim.step()
        tick.set(tick.value + 1)

    def seek(month: int):
        playing.set(False)
        sim.rewind(month)
        tick.set(tick.value + 1)

    RunControls(sim, version, playing, speed, on_reset, step)
    Timeline(sim, version, seek)
    with solara.Row():
        MapView(sim, version, selected.value, selected.set)
        with solara.Column():
            Charts({"run": sim}, version)
    with solara.Row():
        EventFeed(sim, version)
        UnitInspector(sim, selected.value, version, selected.set)
    Exports(sim)


@solara.component
def LiveRun():
    """Watch one run and steer it with the levers."""
    preset = solara.use_reactive("baseline")
    seed = solara.use_reactive(0)
    generation = solara.use_reactive(0)
    sim = solara.use_memo(lambda: _fresh(preset.value, seed.value),
                          dependencies=[preset.value, seed.value, generation.value])
    playing, speed, tick = (solara.use_reactive(False), solara.use_reactive(1),
                            solara.use_reactive(0))
    message = solara.use_reactive("")
    use_player(sim, playing, speed, tick)

    def change(path, value):
        message.set(sim.change(path, value) or "")
        tick.set(tick.value + 1)

    def set_seed(value):
        if value is None or value < 0:
            message.set("seed: must be a whole number, 0 or more")
        else:
            message.set("")
            seed.set(value)

    with solara.Columns([1, 3]):
        with solara.Column():
            solara.Select("Preset", values=list(list_presets()), value=preset)
            solara.InputInt("Seed", value=seed.value, on_value=set_seed)
            if message.value:
                solara.Error(message.value)
            KeyLevers(sim.model.params, change)
            LeverGroups(sim.model.params, change)
        with solara.Column():
            LiveView(sim, tick, playing, speed, lambda: generation.set(generation.value + 1))


@solara.component
def Compare():
    """Two runs, same seed, different levers, stepped together."""
    seed = solara.use_reactive(0)
    generation = solara.use_reactive(0)
    pair = solara.use_memo(lambda: (_fresh("baseline", seed.value),
                                    _fresh("baseline", seed.value)),
                           dependencies=[seed.value, generation.value])
    a, b = pair
    tick = solara.use_reactive(0)
    message = solara.use_reactive("")
    version = tick.value

    def step(months=12):
        a.step(months)
        b.step(months)
        tick.set(tick.value + 1)

    def change(path, value):
        message.set(b.change(path, value) or "")
        tick.set(tick.value + 1)

    with solara.Columns([1, 3]):
        with solara.Column():
            solara.InputInt("Seed (both runs)", value=seed.value,
                            on_value=lambda v: seed.set(v) if v is not None and v >= 0 else None)
            solara.Markdown("**Levers of B** (A stays on the baseline)")
            if message.value:
                solara.Error(message.value)
            LeverGroups(b.model.params, change)
        with solara.Column():
            with solara.Row():
                solara.Button("Step a month", on_click=lambda: step(1))
                solara.Button("Step a year", on_click=lambda: step(12), color="primary")
                solara.Button("Reset", on_click=lambda: generation.set(generation.value + 1))
            solara.Markdown(difference_reading(a, b))
            with solara.Row():
                MapView(a, version, None, lambda _: None, f"A, month {a.month}")
                MapView(b, version, None, lambda _: None, f"B, month {b.month}")
            Charts({"A": a, "B": b}, version)


def difference_reading(a: Simulation, b: Simulation) -> str:
    """One line: where B stands against A now."""
    if a.month == 0:
        return "Change B's levers, then step both runs."
    ra, rb = a.model.records[-1], b.model.records[-1]
    return (f"At month {a.month}, B against A: service survival "
            f"{rb['service_survival'] - ra['service_survival']:+.1%}, unmet need "
            f"{rb['unmet_need'] - ra['unmet_need']:+.1%}, rural coverage "
            f"{rb['coverage_rural'] - ra['coverage_rural']:+.1%}, volunteers "
            f"{rb['volunteers_active'] - ra['volunteers_active']:+,.0f}.")


@solara.component
def Page():
    """The app, or the room-full message when the server holds all the sessions it may."""
    if admitted():
        Ecosystem()
    else:
        RoomFull()


@solara.component
def Ecosystem():
    """The app: live run, compare, and the workshop explanation."""
    workshop = solara.use_reactive(False)
    solara.Title("ecosystem")
    if workshop.value:
        solara.Style(WORKSHOP_CSS)
    with solara.Row(style={"align-items": "center"}):
        solara.Markdown("## Local public services: who delivers, who is left without")
        solara.Switch(label="Workshop mode", value=workshop)
    if workshop.value:
        with solara.Card("What is happening here"):
            solara.Markdown(EXPLANATION)
    with solara.lab.Tabs():
        with solara.lab.Tab("Live run"):
            LiveRun()
        with solara.lab.Tab("Compare A and B"):
            Compare()
