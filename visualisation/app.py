"""The ecosystem web app (Solara): live run, side-by-side compare, projector mode.

Its pages (`routes`): the live app at `/`, and the workshop room: the trainer's console at
`/room`, the projector view at `/room/projector` and the participants' page at `/join`.

Start it with `uv run ecosystem app`.

Every page builds its own simulation inside the component (memoised), so each browser
session, each workshop participant, steps a model of its own. Only the parts that show the
run read the frame counter (`tick`), so a frame redraws the map, charts and feed and leaves
the lever panels alone. At most `--max-sessions` sessions hold a simulation at once; a page
beyond them is told the room is full (see `room`).
"""

from __future__ import annotations

import html

import solara
import solara.lab

from ecosystem import load_preset
from ecosystem.scenario import Scenario

from .charts import CHART_NAMES, KEY_CHARTS, Charts
from .controls import KeyLevers, LeverGroups
from .feed import ROWS_HEIGHT_EM, EventFeed
from .inspector import UnitInspector
from .map import MapView
from .player import use_player
from .preset_picker import PresetPicker, preset_items  # noqa: F401 (the app's, re-exported)
from .room import RoomFull, admitted, open_session
from .session import Simulation
from .style import PROJECTOR_TEXT_PX, projector
from .timeline import Timeline
from .workshop_console import ConsolePage
from .workshop_join import JoinPage
from .workshop_projector import ProjectorPage

solara.lab.on_kernel_start(open_session)

EXPORTS = ("timeseries.csv", "timeseries.parquet", "scenario.toml")
#: Projector mode: every text at least 20 px, the page one screen high at 1920x1080.
PROJECTOR_CSS = f"""
.v-application, .v-application *:not(.v-icon):not(.mdi)
{{ font-size: {PROJECTOR_TEXT_PX}px !important; }}
.v-application h1, .v-application h2, .v-application h3 {{ font-size: 30px !important; }}
"""
#: Lines of the event feed in projector mode, under the key charts.
PROJECTOR_FEED_LINES = 6
#: The lever column scrolls on its own, so the map and charts stay in view.
LEVER_COLUMN = {"max-height": "calc(100vh - 150px)", "overflow-y": "auto",
                "padding-right": "8px"}


def _fresh(preset: str, seed: int) -> Simulation:
    return Simulation(load_preset(preset), seed)


def explanation(scenario: Scenario) -> str:
    """What the room is watching, written from the levers in force now."""
    c, cap, proc = scenario.councils, scenario.capacity, scenario.procurement
    lean = ("leans to outsourcing" if c.ideology > 0.2 else
            "leans to keeping services in-house" if c.ideology < -0.2 else "has no strong lean")
    regime = {"full": "full competitive tendering", "simplified": "simplified procurement",
              "light": "light-touch procurement"}.get(proc.regime, proc.regime)
    return f"""
**What you are watching.** {scenario.world.councils} councils share a map of towns, villages
and countryside. Each runs some services itself and buys others from private firms, mutuals,
social enterprises and community groups. Every step is a month; the run lasts
{scenario.years} years.

- **Councils** face a cut of {c.budget_cut_total:.0%} over {c.cut_years} years while adult
  social care demand grows {scenario.population.care_demand_growth:.1%} a year. Their
  politics {lean}. They tender contracts under {regime}, with social value weighted
  {proc.social_value_weight:.0%} of the score, review services, and step in when providers fail.
- **Providers** bid for contracts, earn and spend, and fail when their money runs out.
- **Community groups** depend on volunteers, on key people and on council support:
  GBP {cap.community_support:,.0f}k a year now.
- **Residents** use the nearest open service with room; tinted cells show need left unmet.

**Watch for:** units losing their fill (below standard) and then closing; rural need going
unmet first; the event feed when you change a lever (its month is marked on every chart).
"""


@solara.component
def Explanation(scenario: Scenario):
    """The explanation panel, collapsible, following the levers."""
    with solara.Details("What is happening here", expand=False):
        solara.Markdown(explanation(scenario))


@solara.component
def PlayButton(playing, finished: bool):
    """Play or pause (the player steps while `playing` is true)."""
    solara.Button("Pause" if playing.value else "Play", color="primary",
                  on_click=lambda: playing.set(not playing.value), disabled=finished)


@solara.component
def SpeedSlider(speed):
    """Months per frame while playing."""
    with solara.Column(style={"min-width": "220px"}):
        solara.SliderInt("Months per frame", value=speed, min=1, max=12)


@solara.component
def RunControls(sim: Simulation, version: int, playing, speed, on_step, on_restart,
                on_reset_levers):
    """Play, pause, step, the two resets and speed: first in the page's Tab order."""
    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
        PlayButton(playing, sim.finished)
        solara.Button("Step", on_click=on_step, disabled=playing.value or sim.finished)
        solara.Button("Reset", on_click=on_restart,
                      attributes={"title": "Back to month 0, keeping the levers as they are"})
        solara.Button("Reset levers", on_click=on_reset_levers,
                      attributes={"title": "Back to month 0 with the preset's levers"})
        SpeedSlider(speed)


@solara.component
def Exports(sim: Simulation):
    """Download the run so far and the scenario that reproduces it (made when clicked)."""
    with solara.Row():
        for name in EXPORTS:
            solara.FileDownload(lambda name=name: sim.exports()[name], filename=name,
                                label=f"Download {name}")


@solara.component
def RunBar(sim: Simulation, tick, playing, speed, on_reset_levers, on_levers_moved):
    """The run controls and the timeline (they read `tick`: they show the month).

    Going back and Reset may put the levers back, so both call `on_levers_moved(message)`
    to redraw the lever panels (`message`: why going back was refused, or "").
    """
    version = tick.value

    def step():
        sim.step()
        tick.set(tick.value + 1)

    def restart():
        playing.set(False)
        sim.restart()
        tick.set(tick.value + 1)
        on_levers_moved("")

    def seek(month: int):
        playing.set(False)
        refused = sim.rewind(month)
        tick.set(tick.value + 1)
        on_levers_moved(refused or "")

    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
        RunControls(sim, version, playing, speed, step, restart, on_reset_levers)
        Timeline(sim, version, seek)
    if sim.error:  # a month failed: say so, keep the page (see Simulation.step)
        solara.Error(sim.error)


@solara.component
def LiveView(sim: Simulation, tick, playing):
    """What shows the run: map, charts, feed and inspector (redrawn every frame)."""
    version = tick.value
    selected = solara.use_reactive(None)
    wide = projector.value
    with solara.Row(style={"align-items": "flex-start", "flex-wrap": "nowrap"}):
        with solara.Column(style={"flex": "5 1 0", "min-width": "0"}):
            with solara.Column(classes=["map-panel"]):
                MapView(sim, version, selected.value, selected.set)
            if not wide:
                Feed(sim, version)
        with solara.Column(style={"flex": "4 1 0", "min-width": "0"}):
            with solara.Column(classes=["charts-panel"]):
                Charts({"run": sim}, version, KEY_CHARTS if wide else CHART_NAMES, wide,
                       playing.value)
            if wide:
                Feed(sim, version, PROJECTOR_FEED_LINES)
            with solara.Column(classes=["inspector-panel"]):
                UnitInspector(sim, selected.value, version, selected.set)


@solara.component
def Feed(sim: Simulation, version: int, lines: float = ROWS_HEIGHT_EM):
    """The event feed in its panel (browser tests and benchmarks find it by its class)."""
    with solara.Column(classes=["feed-panel"]):
        EventFeed(sim, version, lines)


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
    levers = solara.use_reactive(0)  # bumped when going back or Reset puts levers back
    levers.value  # noqa: B018 (reading it redraws the lever panels when it moves)
    use_player(sim, playing, speed, tick)

    def change(path, value):
        message.set(sim.change(path, value) or "")
        tick.set(tick.value + 1)

    def levers_moved(refused: str):
        message.set(refused)
        levers.set(levers.value + 1)

    def set_seed(value):
        if value is None or value < 0:
            message.set("seed: must be a whole number, 0 or more")
        else:
            message.set("")
            seed.set(value)

    RunBar(sim, tick, playing, speed, lambda: generation.set(generation.value + 1),
           levers_moved)
    with solara.Row(style={"align-items": "flex-start", "flex-wrap": "nowrap"}):
        with solara.Column(style={"flex": "0 0 360px", **LEVER_COLUMN}):
            with solara.Row():
                PresetPicker("Preset", preset)
                solara.InputInt("Seed", value=seed.value, on_value=set_seed)
            if message.value:
                solara.Error(message.value)
            KeyLevers(sim.model.params, change)
            Explanation(sim.model.params)
            LeverGroups(sim.model.params, change)
            Exports(sim)
        with solara.Column(style={"flex": "1 1 0", "min-width": "0"}):
            LiveView(sim, tick, playing)


class Pair:
    """Runs A and B of the compare page, stepped together (the player steps this)."""

    def __init__(self, a: Simulation, b: Simulation) -> None:
        """Pair `a` and `b`."""
        self.a, self.b = a, b

    @property
    def month(self) -> int:
        """The month both runs have reached."""
        return min(self.a.month, self.b.month)

    @property
    def finished(self) -> bool:
        """Both runs are past their horizon."""
        return self.a.finished and self.b.finished

    def step(self, months: int = 1) -> None:
        """Advance both runs by up to `months`."""
        self.a.step(months)
        self.b.step(months)


def difference_reading(a: Simulation, b: Simulation) -> str:
    """One line: where B stands against A now (shares in percentage points)."""
    if a.month == 0 or b.month == 0:
        return "Set the levers of A and B, then play or step both runs."
    ra, rb = a.model.records[-1], b.model.records[-1]

    def points(metric: str) -> str:
        return f"{100 * (rb[metric] - ra[metric]):+.1f} pp"

    return (f"At month {a.month}, B against A: service survival {points('service_survival')}, "
            f"unmet need {points('unmet_need')}, rural coverage {points('coverage_rural')}, "
            f"volunteers {rb['volunteers_active'] - ra['volunteers_active']:+,.0f}.")


@solara.component
def CompareBar(pair: Pair, tick, playing, speed, on_reset):
    """Play, step and reset both runs, and where B stands against A (it reads `tick`)."""
    tick.value  # noqa: B018 (reading it redraws this bar every frame)

    def step(months: int):
        pair.step(months)
        tick.set(tick.value + 1)

    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap"}):
        PlayButton(playing, pair.finished)
        solara.Button("Step a month", on_click=lambda: step(1), disabled=playing.value)
        solara.Button("Step a year", on_click=lambda: step(12), disabled=playing.value)
        solara.Button("Reset", on_click=on_reset)
        SpeedSlider(speed)
        solara.HTML("div", f"<b>Month {pair.month}</b> · "  # not Markdown: see timeline.py
                    + html.escape(difference_reading(pair.a, pair.b)))
    for name, sim in (("A", pair.a), ("B", pair.b)):
        if sim.error:
            solara.Error(f"Run {name}: {sim.error}")


@solara.component
def Side(name: str, preset, sim: Simulation, tick):
    """One run's preset and levers on the compare page."""
    message = solara.use_reactive("")

    def change(path, value):
        message.set(sim.change(path, value) or "")
        tick.set(tick.value + 1)

    # a set width, not a flex basis: A's column sits in a column, where a basis is a height
    with solara.Column(style={"flex": "0 0 auto", "width": "320px", **LEVER_COLUMN}):
        solara.Markdown(f"### Run {name}")
        PresetPicker(f"Preset of {name}", preset)
        if message.value:
            solara.Error(message.value)
        KeyLevers(sim.model.params, change)
        LeverGroups(sim.model.params, change)


@solara.component
def CompareView(pair: Pair, tick, playing):
    """Both maps, the charts overlaid and both event feeds (redrawn every frame)."""
    version = tick.value
    with solara.Row(style={"flex-wrap": "nowrap"}):
        for name, sim in (("A", pair.a), ("B", pair.b)):
            with solara.Column(style={"flex": "1 1 0", "min-width": "0"}):
                MapView(sim, version, None, _no_pick, f"{name}, month {sim.month}")
    Charts({"A": pair.a, "B": pair.b}, version, playing=playing.value)
    with solara.Row(style={"flex-wrap": "nowrap"}):
        for sim in (pair.a, pair.b):
            with solara.Column(style={"flex": "1 1 0", "min-width": "0"}):
                Feed(sim, version)


def _no_pick(unit: int) -> None:
    """The compare page's maps pick nothing."""


@solara.component
def Compare():
    """Two runs, same seed, each with its own preset and levers, played together."""
    seed = solara.use_reactive(0)
    generation = solara.use_reactive(0)
    preset_a, preset_b = solara.use_reactive("baseline"), solara.use_reactive("baseline")
    pair = solara.use_memo(
        lambda: Pair(_fresh(preset_a.value, seed.value), _fresh(preset_b.value, seed.value)),
        dependencies=[preset_a.value, preset_b.value, seed.value, generation.value])
    playing, speed, tick = (solara.use_reactive(False), solara.use_reactive(1),
                            solara.use_reactive(0))
    use_player(pair, playing, speed, tick)
    CompareBar(pair, tick, playing, speed, lambda: generation.set(generation.value + 1))
    with solara.Row(style={"align-items": "flex-start", "flex-wrap": "nowrap"}):
        with solara.Column(style={"flex": "0 0 320px"}):
            solara.InputInt("Seed (both runs)", value=seed.value,
                            on_value=lambda v: seed.set(v) if v is not None and v >= 0 else None)
            Side("A", preset_a, pair.a, tick)
        with solara.Column(style={"flex": "1 1 0", "min-width": "0"}):
            CompareView(pair, tick, playing)
        Side("B", preset_b, pair.b, tick)


@solara.component
def Page():
    """The app, or the room-full message when the server holds all the sessions it may."""
    if admitted():
        Ecosystem()
    else:
        RoomFull()


@solara.component
def Ecosystem():
    """The app: live run and compare; projector mode for a room."""
    solara.Title("ecosystem")
    # always there, empty when off: a style put in or taken out would shift the page's
    # parts, and the live run would be rebuilt from month 0
    solara.Style(PROJECTOR_CSS if projector.value else "")
    with solara.Row(style={"align-items": "center"}):
        solara.Markdown("## Local public services: who delivers, who is left without")
        solara.Switch(label="Projector mode", value=projector)
    # the compare page builds its two runs when first opened, not with every page load;
    # then it stays, as the live run does while the other tab shows
    compare_opened = solara.use_reactive(False)
    with solara.lab.Tabs(on_value=lambda tab: compare_opened.set(compare_opened.value or tab == 1)):
        with solara.lab.Tab("Live run"):
            LiveRun()
        with solara.lab.Tab("Compare A and B"):
            if compare_opened.value:
                Compare()


@solara.component
def Layout(children=[]):  # noqa: B006 (Solara's layout signature)
    """Every page's frame: Solara's app layout without route tabs, so `/` looks as before."""
    solara.AppLayout(children=children, navigation=False)


#: The pages: the live app at `/`; the workshop room's console, projector and join page.
routes = [
    solara.Route("/", component=Page, layout=Layout),
    solara.Route("room", children=[
        solara.Route("/", component=ConsolePage, label="Workshop room"),
        solara.Route("projector", component=ProjectorPage, label="Room projector"),
    ]),
    solara.Route("join", component=JoinPage, label="Join the room"),
]
