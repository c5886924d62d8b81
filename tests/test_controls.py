"""The lever panels: key levers first in plain units, round steps, every lever at its extremes.

In-process (solara.render); the browser side is tests/test_browser_levers.py.
"""

import math

import ipyvuetify as v
import pytest
import solara

from ecosystem import Scenario
from ecosystem.visualisation.controls import (
    GROUPS,
    KEY_LEVERS,
    KeyLevers,
    LeverGroups,
    group_specs,
    key_specs,
    lever_specs,
    slider_step,
)
from ecosystem.visualisation.lever_units import on_grid, plain
from ecosystem.visualisation.session import Simulation

#: A small world, so that building a model for every extreme stays quick.
SMALL = {"world.width": 16, "world.height": 12, "world.households": 10_000,
         "world.villages": 10, "world.towns": 3}


def _texts(rc) -> list[str]:
    return [str(c) for w in rc.find(v.Html).widgets for c in w.children]


def _key_levers(scenario: Scenario, calls: list):
    return solara.render(KeyLevers(scenario, lambda path, value: calls.append((path, value))),
                         handle_error=False)[1]


def _open_groups(scenario: Scenario, calls: list):
    _, rc = solara.render(LeverGroups(scenario, lambda p, x: calls.append((p, x))),
                          handle_error=False)
    rc.find(v.ExpansionPanels).widget.v_model = list(range(len(GROUPS)))
    return rc


def _is_one_two_five(step: float) -> bool:
    mantissa = step / 10 ** math.floor(math.log10(step) + 1e-9)
    return any(math.isclose(mantissa, m) for m in (1, 2, 5))


def test_the_key_levers_come_first_with_their_values_in_plain_units():
    scenario = Scenario().with_overrides({"councils.budget_cut_total": 0.4,
                                          "capacity.community_support": 150.0})
    rc = _key_levers(scenario, [])
    texts = _texts(rc)
    labels = [label for label, _ in KEY_LEVERS.values()]
    slider_labels = [label for path, (label, step) in KEY_LEVERS.items() if step is not None]
    assert [t for t in texts if t in labels] == slider_labels  # in order, each once
    assert "40 %" in texts  # a share as a percentage, shown without touching anything
    assert "GBP 150k a year" in texts  # money in plain words
    assert f"{scenario.councils.cut_years} years" in texts
    assert "0: provider-blind" in texts
    regime = rc.find(v.Select).widget
    assert regime.label == "Procurement regime" and regime.v_model == "full"
    assert [i["value"] for i in regime.items] == ["full", "simplified", "light"]
    assert "24-month tenders" in regime.items[0]["text"]


def test_key_lever_values_follow_the_scenario():
    base, deeper = (_texts(_key_levers(s, [])) for s in (
        Scenario(), Scenario().with_overrides({"councils.budget_cut_total": 0.55})))
    assert "28 %" in base and "28 %" not in deeper and "55 %" in deeper


def test_key_levers_move_by_round_steps_and_hold_their_defaults():
    rc = _key_levers(Scenario(), [])
    sliders = {(s.min, s.max): s for s in rc.find(v.Slider).widgets}
    for spec in key_specs():
        if spec["choices"]:
            continue
        slider = sliders[(spec["min"], spec["max"])]
        assert slider.step == KEY_LEVERS[spec["path"]][1], spec["path"]
        assert on_grid(spec["default"], spec["min"], slider.step), spec["path"]
        assert slider.v_model == spec["default"]


def test_a_value_off_the_round_grid_gets_a_finer_step_instead_of_being_moved():
    rc = _key_levers(Scenario().with_overrides({"councils.budget_cut_total": 0.275}), [])
    cut = next(s for s in rc.find(v.Slider).widgets if s.max == 0.9)
    assert cut.v_model == 0.275
    assert cut.step < KEY_LEVERS["councils.budget_cut_total"][1]
    assert on_grid(0.275, 0.0, cut.step) and on_grid(0.28, 0.0, cut.step)


def test_changing_a_key_lever_hands_on_a_round_value():
    calls: list = []
    rc = _key_levers(Scenario(), calls)
    cut = next(s for s in rc.find(v.Slider).widgets if s.max == 0.9)
    cut.v_model = 0.4454  # dragging: the shown value follows, the model is left alone
    assert calls == [] and "45 %" in _texts(rc)
    cut.fire_event("change", 0.4454)  # let go
    assert calls == [("councils.budget_cut_total", 0.45)]


def test_whole_number_levers_are_handed_on_as_whole_numbers():
    calls: list = []
    rc = _key_levers(Scenario(), calls)
    years = next(s for s in rc.find(v.Slider).widgets if s.max == 20)
    years.fire_event("change", 7.0)
    assert calls == [("councils.cut_years", 7)] and isinstance(calls[0][1], int)


def test_groups_are_closed_until_opened():
    _, rc = solara.render(LeverGroups(Scenario(), lambda p, x: None), handle_error=False)
    assert rc.find(v.Slider).widgets == []
    headers = [str(h.children[0]) for h in rc.find(v.ExpansionPanelHeader).widgets]
    assert [h.split()[0] for h in headers] == [g.capitalize() for g in GROUPS]


def test_the_groups_hold_every_other_lever_exactly_once():
    shown = [s["path"] for g in GROUPS for s in group_specs(g)]
    every = [s["path"] for g in GROUPS for s in lever_specs(g)
             if s["choices"] or s["type"] == "bool" or s["min"] is not None]
    assert len(shown) == len(set(shown))
    assert set(shown).isdisjoint(KEY_LEVERS)
    assert sorted(shown + list(KEY_LEVERS)) == sorted(every)
    rc = _open_groups(Scenario(), [])
    sliders = [s for g in GROUPS for s in group_specs(g) if s["type"] in ("int", "float")
               and not s["choices"]]
    assert len(rc.find(v.Slider).widgets) == len(sliders)
    assert len(rc.find(v.Checkbox).widgets) == sum(
        s["type"] == "bool" for g in GROUPS for s in group_specs(g))
    labels = set(_texts(rc))
    for spec in sliders:
        assert spec["path"].split(".", 1)[1].replace("_", " ").capitalize() in labels


def test_every_group_control_shows_its_value_and_a_round_step_that_holds_it():
    rc = _open_groups(Scenario(), [])
    texts = _texts(rc)
    for group in GROUPS:
        for spec in group_specs(group):
            if spec["type"] not in ("int", "float") or spec["choices"]:
                continue
            step = slider_step(spec)
            assert plain(spec, spec["default"], step) in texts, spec["path"]
            assert _is_one_two_five(step), spec["path"]
            assert on_grid(spec["default"], spec["min"], step), spec["path"]
            if spec["type"] == "float":  # fine enough to choose with (whole numbers step by 1)
                assert step <= (spec["max"] - spec["min"]) / 20, spec["path"]


def _extremes() -> list[tuple[str, object]]:
    cases = []
    for spec in key_specs() + [s for g in GROUPS for s in group_specs(g)]:
        if spec["choices"]:
            cases += [(spec["path"], c) for c in spec["choices"]]
        elif spec["type"] == "bool":
            cases += [(spec["path"], True), (spec["path"], False)]
        else:
            cases += [(spec["path"], spec["min"]), (spec["path"], spec["max"])]
    return cases


@pytest.mark.parametrize("start", [0, 3])
def test_staff_enthusiasm_at_its_bounds_steps_without_an_error(start):
    for value in (0.0, 1.0):
        sim = Simulation(Scenario().with_overrides(SMALL), seed=0)
        sim.step(start)
        assert sim.change("councils.staff_enthusiasm", value) is None
        assert sim.step(4) is None and sim.month == start + 4


@pytest.mark.slow
@pytest.mark.parametrize("start", [0, 3])
@pytest.mark.parametrize(("path", "value"), _extremes())
def test_every_lever_at_every_extreme_steps_without_an_error(path, value, start):
    sim = Simulation(Scenario().with_overrides(SMALL), seed=0)
    sim.step(start)
    assert sim.change(path, value) is None
    assert sim.step(4) is None, sim.error
    assert sim.month == start + 4


def test_a_month_that_fails_stops_the_run_with_a_message_not_a_traceback(monkeypatch):
    sim = Simulation(Scenario().with_overrides(SMALL), seed=0)
    sim.step(2)

    def broken():
        raise ValueError("probabilities do not sum to 1")

    monkeypatch.setattr(sim.model, "step", broken)
    message = sim.step(3)
    assert message and "month 3" in message and "probabilities do not sum to 1" in message
    assert sim.finished and sim.month == 2
    assert sim.step() == message  # stays stopped, still says why
