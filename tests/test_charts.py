"""The live charts: ECharts options built from a run, and the Charts component rendered."""

import numpy as np
import pytest
import solara

from ecosystem.visualisation import charts
from ecosystem.visualisation.app import LiveRun
from ecosystem.visualisation.chart_options import (
    CHARTS,
    NO_DATA,
    RUN_LINES,
    chart_options,
    nice_ceiling,
)
from ecosystem.visualisation.charts import CHART_NAMES, KEY_CHARTS, Charts, ChartWidget
from ecosystem.visualisation.opaque import unwrapped
from ecosystem.visualisation.session import Simulation
from ecosystem.visualisation.style import PROJECTOR_TEXT_PX, TEXT_PX

PLANNED = {"month": 3, "field": "capacity.community_support", "value": 0.0}


@pytest.fixture(scope="module")
def planned(small_scenario):
    return small_scenario.with_overrides({"interventions": [PLANNED]})


@pytest.fixture(scope="module")
def stepped(planned):
    """Six months of a run whose trainer changed the procurement regime after month 4."""
    sim = Simulation(planned, seed=2)
    sim.step(4)
    assert sim.change("procurement.regime", "light") is None
    sim.step(2)
    return sim


def _named(options):
    """Each option by the chart it draws (its title)."""
    return {o["title"]["text"]: o for o in options}


def _data_series(option):
    """The series drawing a run's numbers (not the markers), each with its points."""
    drawn = [s for s in option["series"] if "encode" in s]
    for s in drawn:
        source = option["dataset"][s["datasetIndex"]]["source"]
        s["points"] = list(zip(source[s["encode"]["x"]], source[s["encode"]["y"]],
                               strict=True))
    return [s for s in drawn if s["points"]]


def _markers(option):
    return {line["xAxis"]: line["name"] for s in option["series"]
            for line in s.get("markLine", {}).get("data", [])}


def _font_sizes(node):
    if isinstance(node, dict):
        own = [node["fontSize"]] if "fontSize" in node else []
        return own + [
            size for value in node.values() for size in _font_sizes(value)]
    if isinstance(node, list):
        return [size for value in node for size in _font_sizes(value)]
    return []


def test_every_axis_names_its_unit(stepped):
    for name, option in zip(CHART_NAMES, chart_options({"run": stepped}, CHART_NAMES, 14),
                            strict=True):
        chart = CHARTS[name]
        assert option["xAxis"]["name"] == "Month"
        assert option["yAxis"]["name"] == chart.unit
        assert ("%" in chart.unit) == chart.percent, name
    units = {name: CHARTS[name].unit for name in CHART_NAMES}
    assert "GBP k" in units["spend"] and "households" in units["volunteers"]


def test_shares_are_drawn_as_percentages_of_the_records(stepped):
    records = stepped.model.records
    option = _named(chart_options({"run": stepped}, ("coverage",), 14))[
        "Coverage, urban and rural"]
    urban, rural = _data_series(option)
    assert [p[1] for p in rural["points"]] == pytest.approx(
        [100 * r["coverage_rural"] for r in records], abs=0.051)
    assert [p[0] for p in urban["points"]] == [r["month"] for r in records]
    assert max(p[1] for p in urban["points"]) > 1  # percent, not a fraction


def test_ranges_are_fixed_shares_0_to_100_counts_from_0(stepped):
    for name, option in zip(CHART_NAMES, chart_options({"run": stepped}, CHART_NAMES, 14),
                            strict=True):
        assert (option["xAxis"]["min"], option["xAxis"]["max"]) == (0, stepped.scenario.months)
        y = option["yAxis"]
        assert y["min"] == 0, name
        values = [p[1] for s in _data_series(option) for p in s["points"]]
        if CHARTS[name].percent:
            assert y["max"] == 100
        else:  # a round number above every value: a flat line stays a flat line
            assert max(values) <= y["max"] <= 2.5 * max(values)
            assert y["max"] == nice_ceiling(y["max"])


def test_spend_starts_at_month_1(small_scenario):
    sim = Simulation(small_scenario, seed=0)
    sim.step(2)
    option = chart_options({"run": sim}, ("spend",), 14)[0]
    assert {p[0] for s in _data_series(option) for p in s["points"]} == {1, 2}


def test_nothing_is_drawn_before_the_first_month(planned):
    sim = Simulation(planned, seed=2)
    for option in chart_options({"run": sim}, CHART_NAMES, 14):
        assert option["series"] == [] and "xAxis" not in option
        assert option["graphic"][0]["style"]["text"] == NO_DATA


def test_a_marker_at_each_intervention_and_lever_change(stepped):
    for option in chart_options({"run": stepped}, CHART_NAMES, 14):
        assert _markers(option) == {3: "m3 community support", 5: "m5 regime"}


def test_two_runs_are_told_apart_by_line_style(planned):
    a, b = Simulation(planned, seed=2), Simulation(planned, seed=2)
    a.step(3)
    b.step(3)
    assert b.change("procurement.regime", "simplified") is None
    options = chart_options({"A": a, "B": b}, CHART_NAMES, 14)
    lines = [o for o in options if "operator" not in o["title"]["text"]]
    assert len(lines) == len(CHART_NAMES) - 1
    for option in lines:
        series = _data_series(option)
        assert {s["name"].split()[0] for s in series} == {"A", "B"}
        styles = {s["name"].split()[0]: s["lineStyle"]["type"] for s in series}
        assert styles == {"A": RUN_LINES[0], "B": RUN_LINES[1]}
        assert len(series) == 2 * len(CHARTS[_key(option)].columns)
        assert option["legend"]["show"]
        assert _markers(option) == {3: "m3 community support", 4: "m4 regime (B)"}
    stacks = [o["title"]["text"] for o in options if "operator" in o["title"]["text"]]
    assert stacks == ["Units by operator, run A", "Units by operator, run B"]


def _key(option):
    return next(k for k, c in CHARTS.items() if c.title == option["title"]["text"])


@pytest.mark.parametrize("px", [TEXT_PX, PROJECTOR_TEXT_PX])
def test_every_text_takes_the_text_size(stepped, px):
    for option in chart_options({"run": stepped}, CHART_NAMES, px):
        sizes = _font_sizes(option)
        assert len(sizes) >= 6 and set(sizes) == {px}  # title, axes, ticks, legend, markers


def test_nice_ceiling_is_round_and_not_below():
    values = np.array([0.3, 1, 7.2, 12, 4_759, 6_401.6, 99_999])
    ceilings = [nice_ceiling(v) for v in values]
    assert all(c >= v for c, v in zip(ceilings, values, strict=True))
    assert ceilings == pytest.approx([0.3, 1, 8, 12, 5_000, 8_000, 100_000])


def _options(rc):
    return [unwrapped(w.option) for w in rc.find(ChartWidget).widgets]


def test_charts_render_and_redraw_with_the_version(planned):
    sim = Simulation(planned, seed=2)
    _, rc = solara.render(Charts({"run": sim}, 0), handle_error=False)
    assert len(_options(rc)) == len(CHART_NAMES)
    assert all(o["series"] == [] for o in _options(rc))
    sim.step(4)
    rc.render(Charts({"run": sim}, 1))
    assert all(_data_series(o) for o in _options(rc))
    assert _markers(_options(rc)[0]) == {3: "m3 community support"}


def _last_months(rc):
    return [o["dataset"][0]["source"]["month"][-1] for o in _options(rc)]


def test_while_playing_the_charts_redraw_at_most_once_a_while(planned, monkeypatch):
    monkeypatch.setattr(charts, "CHART_SECONDS", 3600.0)
    sim = Simulation(planned, seed=2)
    _, rc = solara.render(Charts({"run": sim}, 0, KEY_CHARTS, playing=True), handle_error=False)
    sim.step()
    rc.render(Charts({"run": sim}, 1, KEY_CHARTS, playing=True))  # the first change draws
    assert _last_months(rc) == [1] * len(KEY_CHARTS)
    sim.step()
    rc.render(Charts({"run": sim}, 2, KEY_CHARTS, playing=True))
    assert _last_months(rc) == [1] * len(KEY_CHARTS)  # held: the hour has not passed
    rc.render(Charts({"run": sim}, 2, KEY_CHARTS, playing=False))
    assert _last_months(rc) == [2] * len(KEY_CHARTS)  # play stopped: month 2 shows


def test_charts_show_the_names_asked_for(stepped):
    _, rc = solara.render(Charts({"run": stepped}, 0, KEY_CHARTS), handle_error=False)
    titles = [o["title"]["text"] for o in _options(rc)]
    assert titles == [CHARTS[name].title for name in KEY_CHARTS]


def test_the_live_page_draws_the_charts_in_the_browser():
    _, rc = solara.render(LiveRun(), handle_error=False)
    assert len(_options(rc)) == len(CHART_NAMES)

