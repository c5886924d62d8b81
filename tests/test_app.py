"""The web app's components, rendered without a browser (solara.render)."""

import ipyvuetify as v
import pandas as pd
import pytest
import solara

from ecosystem import Scenario, run
from ecosystem.visualisation.app import LiveRun, Page
from ecosystem.visualisation.controls import lever_specs
from ecosystem.visualisation.session import Simulation
from tests.rendered import page_text


def test_step_advances_the_month_of_this_session_only():
    _, first = solara.render(LiveRun(), handle_error=False)
    _, second = solara.render(LiveRun(), handle_error=False)
    assert "Month 0" in page_text(first) and "Month 0" in page_text(second)
    first.find(v.Btn, children=["Step"]).widget.click()
    first.find(v.Btn, children=["Step"]).widget.click()
    assert "Month 2" in page_text(first)
    assert "Month 0" in page_text(second)  # each session steps a model of its own


def test_a_bad_seed_shows_a_message_and_keeps_the_page():
    _, rc = solara.render(LiveRun(), handle_error=False)
    field = rc.find(v.TextField, label="Seed").widget
    field.v_model = "-3"
    field.fire_event("focusout", None)  # the value is taken when the field loses focus
    assert "seed: must be a whole number" in page_text(rc) + str(
        [a.children for a in rc.find(v.Alert).widgets])
    assert "Month 0" in page_text(rc)


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


def test_the_explanation_follows_the_levers():
    from ecosystem.visualisation.app import explanation

    base = Scenario()
    deeper = base.with_overrides({"councils.budget_cut_total": 0.4,
                                  "capacity.community_support": 0.0})
    assert "a cut of 28% over 5 years" in explanation(base).replace("\n  ", " ")
    text = explanation(deeper).replace("\n  ", " ")
    assert "a cut of 40% over 5 years" in text and "GBP 0k a year now" in text


def test_compare_differences_are_in_percentage_points():
    from ecosystem.visualisation.app import Pair, difference_reading

    small = Scenario().with_overrides({"world.width": 30, "world.height": 20,
                                       "world.households": 30_000})
    pair = Pair(Simulation(small, seed=3), Simulation(small, seed=3))
    assert pair.b.change("councils.budget_cut_total", 0.6) is None
    pair.step(6)
    assert pair.month == 6 == pair.a.month == pair.b.month
    ra, rb = pair.a.model.records[-1], pair.b.model.records[-1]
    reading = difference_reading(pair.a, pair.b)
    assert f"unmet need {100 * (rb['unmet_need'] - ra['unmet_need']):+.1f} pp" in reading
    assert "%" not in reading


def test_projector_mode_keeps_the_run():
    from ecosystem.visualisation.style import projector

    _, rc = solara.render(Page(), handle_error=False)
    for _ in range(2):
        rc.find(v.Btn, children=["Step"]).widget.click()
    assert "Month 2" in page_text(rc)
    rc.find(v.Switch, label="Projector mode").widget.v_model = True
    try:
        assert projector.value and "Month 2" in page_text(rc)  # switching did not rebuild it
    finally:
        projector.set(False)


def test_the_compare_page_is_built_when_first_opened_and_the_live_run_stays():
    _, rc = solara.render(Page(), handle_error=False)
    rc.find(v.Btn, children=["Step"]).widget.click()
    assert not rc.find(v.Btn, children=["Step a year"]).widgets  # no compare runs yet
    rc.find(v.Tabs).widget.v_model = 1
    assert rc.find(v.Btn, children=["Step a year"]).widgets
    rc.find(v.Tabs).widget.v_model = 0
    assert "Month 1" in page_text(rc)  # the live run was not rebuilt
    assert rc.find(v.Btn, children=["Step a year"]).widgets  # and compare stays built


def test_the_preset_picker_groups_places_and_cases_and_runs_a_case():
    from ecosystem.scenario.cases import case_files
    from ecosystem.scenario.presets import preset_groups

    _, rc = solara.render(LiveRun(), handle_error=False)
    picker = rc.find(v.Select, label="Preset").widget
    headers = [item["header"] for item in picker.items if "header" in item]
    assert headers[0] == "Places"
    assert set(headers) == {label for label, names in preset_groups().items() if names}
    names = [item["value"] for item in picker.items if "value" in item]
    assert names[:3] == ["baseline", "rural-county", "urban-city"]
    assert set(names) == {"baseline", "rural-county", "urban-city", *case_files()}
    sliders = [w.v_model for w in rc.find(v.Slider).widgets]
    assert -0.5 not in sliders  # the baseline's ideology lever is 0
    picker.v_model = "islington-insourcing"  # its ideology is -0.5
    assert -0.5 in [w.v_model for w in rc.find(v.Slider).widgets]
    assert "Month 0" in page_text(rc)
