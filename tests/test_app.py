"""The web app's components, rendered without a browser (solara.render)."""

import ipyvuetify as v
import pandas as pd
import pytest
import solara

from ecosystem import Scenario, run
from ecosystem.visualisation.app import LiveRun, Page
from ecosystem.visualisation.controls import lever_specs
from ecosystem.visualisation.session import Simulation


def _text(rc) -> str:
    templates = [t.template for t in rc.find(v.VuetifyTemplate).widgets]
    return " ".join(t if isinstance(t, str) else str(getattr(t, "template", "")) for t in templates)


def test_step_advances_the_month_of_this_session_only():
    _, first = solara.render(LiveRun(), handle_error=False)
    _, second = solara.render(LiveRun(), handle_error=False)
    assert "Month 0" in _text(first) and "Month 0" in _text(second)
    first.find(v.Btn, children=["Step"]).widget.click()
    first.find(v.Btn, children=["Step"]).widget.click()
    assert "Month 2" in _text(first)
    assert "Month 0" in _text(second)  # each session steps a model of its own


def test_a_bad_seed_shows_a_message_and_keeps_the_page():
    _, rc = solara.render(LiveRun(), handle_error=False)
    field = rc.find(v.TextField, label="Seed").widget
    field.v_model = "-3"
    field.fire_event("focusout", None)  # the value is taken when the field loses focus
    assert "seed: must be a whole number" in _text(rc) + str(
        [a.children for a in rc.find(v.Alert).widgets])
    assert "Month 0" in _text(rc)


def test_the_app_page_renders_with_both_tabs():
    _, rc = solara.render(Page(), handle_error=False)
    tabs = [t.children[0] for t in rc.find(v.Tab).widgets]
    assert tabs == ["Live run", "Compare A and B"]


def test_controls_come_from_the_schema():
    procurement = {s["path"]: s for s in lever_specs("procurement")}
    assert procurement["procurement.regime"]["choices"] == ["full", "simplified", "light"]
    assert procurement["procurement.social_value_weight"]["max"] == 1.0
    assert "[002:L803]" in procurement["procurement.social_value_weight"]["source"]
    assert {"capacity.community_support", "capacity.external_review_support"} <= {
        s["path"] for s in lever_specs("capacity")}


def test_slider_grids_hold_every_default():
    from ecosystem.visualisation.controls import GROUPS, slider_step

    for group in GROUPS:
        for spec in lever_specs(group):
            if spec["type"] == "float" and spec["min"] is not None:
                steps = (spec["default"] - spec["min"]) / slider_step(spec)
                assert abs(steps - round(steps)) < 1e-6, spec["path"]


def test_a_bad_lever_value_is_refused_with_the_validation_message():
    sim = Simulation(Scenario().with_overrides({"world.households": 30_000}), seed=1)
    sim.step(2)
    message = sim.change("councils.budget_cut_total", 5)
    assert message and "councils.budget_cut_total" in message
    assert sim.changes == []


def test_an_exported_run_is_reproduced_by_ecosystem_run(tmp_path):
    small = Scenario().with_overrides({"world.width": 30, "world.height": 20,
                                       "world.households": 30_000})
    sim = Simulation(small, seed=4)
    sim.step(3)
    assert sim.change("capacity.community_support", 0.0) is None
    sim.step(3)
    files = sim.exports()
    (tmp_path / "scenario.toml").write_bytes(files["scenario.toml"])
    (tmp_path / "ts.parquet").write_bytes(files["timeseries.parquet"])
    again = run(Scenario.from_toml(tmp_path / "scenario.toml"), seed=4, months=6).timeseries
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "ts.parquet"), again)
    assert b"capacity.community_support" in files["scenario.toml"]


@pytest.mark.parametrize("name", ["timeseries.csv", "timeseries.parquet", "scenario.toml"])
def test_exports_are_offered(name):
    _, rc = solara.render(LiveRun(), handle_error=False)
    labels = " ".join(str(b.children) for b in rc.find(v.Btn).widgets)
    assert f"Download {name}" in labels
