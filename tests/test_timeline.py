"""The timeline: going back to a past month, running on from there, and restarting.

A small world and snapshots every 4 months (at most 4 kept) keep these quick while still
going back across snapshots and through the thinning that bounds a session's memory.
"""

import ipyvuetify as v
import pandas as pd
import pytest
import solara

from ecosystem import Scenario, run
from ecosystem.visualisation.app import LiveRun
from ecosystem.visualisation.session import Simulation
from ecosystem.visualisation.snapshots import MAX_SNAPSHOTS, Snapshots, freeze, thaw
from ecosystem.visualisation.timeline import Timeline
from tests.rendered import page_text

SMALL = Scenario().with_overrides({"world.width": 30, "world.height": 20,
                                   "world.households": 30_000})
SEED = 4
SUPPORT, REGIME = "capacity.community_support", "procurement.regime"


def _sim() -> Simulation:
    return Simulation(SMALL, SEED, snapshots=Snapshots(every=4, limit=4))


def _played(script: list) -> Simulation:
    """A session run by `script`: ints are months stepped, (path, value) lever changes."""
    sim = _sim()
    for move in script:
        if isinstance(move, int):
            sim.step(move)
        else:
            assert sim.change(*move) is None
    return sim


def _same_run(a: Simulation, b: Simulation) -> None:
    assert a.month == b.month
    assert a.model.records == b.model.records
    assert a.model.events == b.model.events
    assert a.model.params == b.model.params
    assert a.changes == b.changes


@pytest.mark.parametrize(("furthest", "back_to"), [
    (6, 2),    # within the first 4 months: from the month-0 snapshot
    (14, 9),   # across snapshots: from month 8's, then on past month 12's
    (15, 8),   # exactly onto a snapshot
])
def test_going_back_then_on_is_the_run_that_never_went_further(furthest, back_to):
    sim = _played([furthest])
    assert sim.rewind(back_to) is None
    assert sim.month == back_to
    reference = _played([back_to])
    _same_run(sim, reference)
    sim.step(20 - back_to)
    reference.step(20 - back_to)
    _same_run(sim, reference)
    assert len(sim.model.records) == 21 and sim.model.events


def test_going_back_keeps_earlier_lever_changes_and_drops_later_ones():
    sim = _played([3, (SUPPORT, 0.0), 8, (REGIME, "light"), 3])  # changes at months 4 and 12
    assert sim.rewind(9) is None
    assert sim.changes == [{"month": 4, "field": SUPPORT, "value": 0.0}]
    assert sim.model.params.get(SUPPORT) == 0.0
    assert sim.model.params.get(REGIME) == SMALL.procurement.regime != "light"
    assert all(row["month"] <= 9 for row in sim.model.events)
    assert [row["month"] for row in sim.model.records] == list(range(10))
    sim.step(9)
    _same_run(sim, _played([3, (SUPPORT, 0.0), 15]))


def test_going_back_to_the_month_of_a_change_drops_it():
    sim = _played([5, (REGIME, "light"), 2])  # made while at month 5: in force from month 6
    assert sim.rewind(5) is None
    assert sim.changes == []
    assert sim.model.params.get(REGIME) == SMALL.procurement.regime
    sim.step(4)
    _same_run(sim, _played([9]))


def test_a_lever_changed_after_going_back_makes_a_new_future():
    sim = _played([3, (SUPPORT, 0.0), 8])
    assert sim.rewind(6) is None
    assert sim.change(REGIME, "light") is None
    sim.step(6)
    _same_run(sim, _played([3, (SUPPORT, 0.0), 3, (REGIME, "light"), 6]))


def test_the_export_after_going_back_reproduces_the_run(tmp_path):
    sim = _played([3, (SUPPORT, 0.0), 6, (REGIME, "light"), 4])
    assert sim.rewind(7) is None
    sim.step(2)
    files = sim.exports()
    (tmp_path / "scenario.toml").write_bytes(files["scenario.toml"])
    (tmp_path / "ts.parquet").write_bytes(files["timeseries.parquet"])
    again = run(Scenario.from_toml(tmp_path / "scenario.toml"), seed=SEED, months=9)
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "ts.parquet"), again.timeseries)
    exported = Scenario.from_toml(tmp_path / "scenario.toml")
    assert [(c.month, c.field) for c in exported.interventions] == [(4, SUPPORT)]


def test_reset_keeps_the_levers_and_goes_back_to_month_0():
    sim = _played([3, (SUPPORT, 0.0), 2, (REGIME, "light"), 2, (SUPPORT, 0.5), 1])
    sim.restart()
    assert sim.month == 0 and len(sim.model.records) == 1
    assert {row["month"] for row in sim.model.events} == {0}  # the opening month's only
    assert sim.changes == [] and sim.snapshots.months == []  # month 0 is kept on the first step
    assert sim.model.params.get(SUPPORT) == 0.5 and sim.model.params.get(REGIME) == "light"
    sim.step(6)
    assert sim.snapshots.months[0] == 0
    fresh = Simulation(SMALL.with_overrides({SUPPORT: 0.5, REGIME: "light"}), SEED)
    fresh.step(6)
    _same_run(sim, fresh)
    again = run(sim.scenario_as_run(), seed=SEED, months=6).timeseries
    pd.testing.assert_frame_equal(sim.timeseries(), again)


def test_snapshots_stay_within_their_bound_on_a_long_run():
    sim = _sim()
    held = []
    for _ in range(40):
        sim.step()
        held.append((len(sim.snapshots.months), sim.snapshots.nbytes))
    largest = len(freeze(sim.model))
    assert max(count for count, _ in held) <= 4
    assert max(size for _, size in held) <= 4 * largest * 1.1  # each at most ~the latest
    assert sim.snapshots.every > 4  # the spacing grew instead of the count
    assert sim.snapshots.months[0] == 0
    assert sim.rewind(25) is None
    sim.step(5)
    _same_run(sim, _played([30]))


def test_the_default_bound_is_twelve_snapshots():
    assert Simulation(SMALL, SEED).snapshots.limit == MAX_SNAPSHOTS == 12


def test_a_restored_model_can_be_snapshotted_again_and_shares_one_cell_class():
    sim = _played([5])
    model = thaw(freeze(thaw(freeze(sim.model))))
    assert model.records == sim.model.records
    assert len({type(cell) for cell in model.grid.all_cells}) == 1


@pytest.mark.parametrize("month", [-1, 7, 2.5, "3", True, None])
def test_going_back_to_a_month_not_reached_is_refused_with_a_message(month):
    sim = _played([3, (SUPPORT, 0.0), 3])
    before = (sim.month, list(sim.model.records), list(sim.changes))
    problem = sim.rewind(month)
    assert problem and problem.startswith("month:")
    assert (sim.month, sim.model.records, sim.changes) == before


def test_the_timeline_slider_goes_back_to_the_month_chosen():
    sim = _played([6])
    sought = []
    _, rc = solara.render(Timeline(sim, 0, sought.append), handle_error=False)
    assert "Month 6" in page_text(rc)
    slider = rc.find(v.Slider).widget
    assert (slider.min, slider.max) == (0, 6)
    slider.v_model = 2
    rc.find(v.Btn, children=["Go back to month 2"]).widget.click()
    assert sought == [2]


def test_the_live_page_goes_back_and_steps_on():
    _, rc = solara.render(LiveRun(), handle_error=False)
    for _ in range(4):
        rc.find(v.Btn, children=["Step"]).widget.click()
    assert "Month 4" in page_text(rc)
    rc.find(v.Slider, label="Month").widget.v_model = 1
    rc.find(v.Btn, children=["Go back to month 1"]).widget.click()
    assert "Month 1" in page_text(rc) and "Month 4" not in page_text(rc)
    assert rc.find(v.Slider, label="Month").widget.max == 1  # the future is let go
    rc.find(v.Btn, children=["Step"]).widget.click()
    assert "Month 2" in page_text(rc)


@pytest.mark.parametrize("button", ["Reset", "Reset levers"])
def test_both_resets_go_back_to_month_0(button):
    _, rc = solara.render(LiveRun(), handle_error=False)
    rc.find(v.Btn, children=["Step"]).widget.click()
    assert "Month 1" in page_text(rc)
    rc.find(v.Btn, children=[button]).widget.click()
    assert "Month 0" in page_text(rc)



def test_pages_opening_the_same_run_thaw_one_build_and_step_alike():
    first, second = _sim(), _sim()  # the second thaws the first's month 0
    assert first.model is not second.model and first.snapshots.months == [0]
    first.step(4)
    assert second.month == 0  # a copy each: stepping one leaves the other
    second.step(4)
    _same_run(first, second)
    again = run(SMALL, seed=SEED, months=4).timeseries
    pd.testing.assert_frame_equal(second.timeseries(), again)
