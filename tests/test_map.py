"""The live map's frames, built without a browser, and MapView rendered in-process."""

from collections import defaultdict

import ipyvue
import numpy as np
import pandas as pd
import pytest
import solara

from ecosystem import load_preset
from ecosystem.names import ClosureCause, UnitStatus
from ecosystem.visualisation import map_frame
from ecosystem.visualisation.map import MapView
from ecosystem.visualisation.opaque import unwrapped
from ecosystem.visualisation.session import Simulation
from ecosystem.visualisation.style import OPERATOR_COLOURS

TEXT_PX = 14


@pytest.fixture(scope="module")
def sim() -> Simulation:
    """Rural county two years in, with at least one unit closed (by its own method)."""
    sim = Simulation(load_preset("rural-county"), 0)
    sim.step(24)
    if not any(u.status == UnitStatus.CLOSED for u in sim.model.units):
        next(u for u in sim.model.units if u.is_open).close(ClosureCause.DECOMMISSIONED)
    return sim


def _markers(series: list[dict]) -> list[tuple[dict, dict]]:
    """(series, item) for every unit marker (not the crosses or the selection ring)."""
    return [(s, item) for s in series if ":" in s["id"] for item in s["data"]]


def test_every_unit_is_drawn_exactly_once(sim):
    series = map_frame.unit_series(sim.model, None, TEXT_PX)
    drawn = [item["unit"] for _, item in _markers(series)]
    assert sorted(drawn) == sorted(u.index for u in sim.model.units)


def test_units_sharing_a_cell_get_distinct_places_inside_it(sim):
    units = list(sim.model.units)
    cells = np.array([u.cell.coordinate for u in units])
    positions, offsets = map_frame.spread(cells, map_frame.marker_px(TEXT_PX))
    by_cell = defaultdict(list)
    for cell, position, offset in zip(map(tuple, cells), positions, offsets):
        by_cell[cell].append((tuple(position), tuple(offset)))
    shared = [places for places in by_cell.values() if len(places) > 1]
    assert shared, "the rural county has cells with several units"
    for places in shared:
        assert len({p for p, _ in places}) == len(places)
        assert len({o for _, o in places}) == len(places)
    assert np.all(np.abs(positions - cells) < 0.5)


def test_spread_is_deterministic_and_leaves_lone_units_on_the_centre():
    cells = np.array([[3, 4], [7, 7], [3, 4], [3, 4]])
    first, offsets = map_frame.spread(cells, 20)
    again, _ = map_frame.spread(cells, 20)
    assert np.array_equal(first, again)
    assert first[1].tolist() == [7, 7] and offsets[1].tolist() == [0, 0]
    apart = np.linalg.norm(offsets[[0, 2, 3]][:, None] - offsets[[0, 2, 3]][None], axis=2)
    assert apart[np.triu_indices(3, 1)].min() >= 20 - 1e-9  # markers of a cell just touch


def test_shape_follows_the_service_and_colour_the_operator(sim):
    series = map_frame.unit_series(sim.model, None, TEXT_PX)
    units = {u.index: u for u in sim.model.units}
    seen_open = 0
    for layer, item in _markers(series):
        unit = units[item["unit"]]
        assert layer["symbol"] == "path://" + map_frame.SERVICE_SHAPES[unit.service]
        assert layer["id"] == f"{unit.status}:{unit.service}"
        if unit.status == UnitStatus.OPEN:
            assert item["itemStyle"]["color"] == OPERATOR_COLOURS[unit.operator_kind]
            seen_open += 1
        elif unit.status == UnitStatus.DEGRADED:
            assert item["itemStyle"]["borderColor"] == OPERATOR_COLOURS[unit.operator_kind]
            assert layer["itemStyle"]["color"] == "#ffffff"  # hollow
    assert seen_open
    assert len(set(map_frame.SERVICE_SHAPES.values())) == len(map_frame.SERVICE_SHAPES) == 8


def test_closed_units_lie_beneath_open_ones_and_carry_a_cross(sim):
    series = {s["id"]: s for s in map_frame.unit_series(sim.model, None, TEXT_PX)}
    z = {status: {s["z"] for key, s in series.items() if key.startswith(f"{status}:")}
         for status in map_frame.STATUS_LAYERS}
    assert max(z[UnitStatus.CLOSED]) < min(z[UnitStatus.DEGRADED] | z[UnitStatus.OPEN])
    assert series["closed-cross"]["symbolSize"] <= map_frame.marker_px(TEXT_PX)
    closed = [item for key, s in series.items() if key.startswith("closed:")
              for item in s["data"]]
    assert closed
    assert [c["value"] for c in series["closed-cross"]["data"]] == [
        c["value"] for c in closed]
    order = [key.split(":")[0] for key in map_frame.unit_layer_ids(["x"])]
    assert order.index("closed") < order.index("open")


def test_the_selected_unit_gets_a_ring_over_its_marker(sim):
    chosen = sim.model.units[5]
    series = {s["id"]: s for s in map_frame.unit_series(sim.model, chosen.index, TEXT_PX)}
    marker = next(i for s in series.values() for i in s["data"] if i.get("unit") == 5)
    assert [r["value"] for r in series["selected"]["data"]] == [marker["value"]]
    none = {s["id"]: s for s in map_frame.unit_series(sim.model, None, TEXT_PX)}
    assert none["selected"]["data"] == []


def test_the_unmet_tint_matches_a_direct_count(sim):
    res, model = sim.model.residents, sim.model
    frame = pd.DataFrame({"x": res.cell_x, "y": res.cell_y, "need": res.need.sum(axis=0),
                          "served": res.served.sum(axis=0)})
    cells = frame.groupby(["x", "y"]).sum()
    share = (cells["need"] - cells["served"]) / cells["need"]
    tint = map_frame.unmet_series(model)
    percent = np.array(tint["percent"]).reshape(model.land.shape)
    assert tint["rows"] == model.land.shape[1]
    for (x, y), value in share.dropna().items():
        expected = round(100 * value) if value > map_frame.UNMET_FLOOR else 0
        assert abs(percent[x, y] - max(expected, 1 if expected else 0)) <= 1
    empty = np.ones(model.land.shape, dtype=bool)
    empty[cells.index.get_level_values(0), cells.index.get_level_values(1)] = False
    assert not percent[empty].any()
    assert percent.any()


def test_nothing_is_tinted_before_the_first_month():
    fresh = Simulation(load_preset("baseline"), 0)
    assert not any(map_frame.unmet_series(fresh.model)["percent"])


def test_the_static_layers_hold_every_cell_and_the_council_borders(sim):
    land = sim.model.land
    raster = map_frame.land_raster(sim.model)
    shading = np.array(raster["settlement"]).reshape(-1, raster["rows"])
    assert np.array_equal(shading, land.settlement)  # cell i: column i // rows, row i % rows
    tint = map_frame.unmet_series(sim.model)
    assert tint["rows"] == raster["rows"] and len(tint["percent"]) == shading.size
    series = {s["id"]: s for s in map_frame.base_option(sim.model, TEXT_PX)["series"]}
    segments = series["borders"]["data"]
    councils = len(np.unique(land.council))
    assert segments and councils > 1
    for segment in segments[:50]:
        (x0, y0), (x1, y1) = segment["coords"]
        mid = ((x0 + x1) / 2, (y0 + y1) / 2)
        a = (int(np.floor(mid[0])), int(np.floor(mid[1])))
        b = (int(np.ceil(mid[0])), int(np.ceil(mid[1])))
        assert land.council[a] != land.council[b]


def test_the_legend_names_every_layer(sim):
    legend = map_frame.legend(sim.model)
    assert [s["label"] for s in legend["settlement"]] == ["urban", "town", "village", "sparse"]
    assert {s["label"] for s in legend["services"]} == {
        s.replace("_", " ") for s in sim.model.params.services.catalogue}
    assert [o["colour"] for o in legend["operators"]] == list(OPERATOR_COLOURS.values())
    assert {s["status"] for s in legend["statuses"]} == {str(s) for s in UnitStatus}


# ----- a council's part of the map (the workshop team's map) ---------------------------------


def test_a_council_window_holds_its_area_and_units_with_a_margin(sim):
    model = sim.model
    for council in np.unique(model.land.council).tolist():
        x0, x1, y0, y1 = map_frame.council_window(model, council, margin=1)
        xs, ys = np.nonzero(model.land.council == council)
        width, height = model.land.shape
        assert x0 == max(0, xs.min() - 1) and x1 == min(width, xs.max() + 2)
        assert y0 == max(0, ys.min() - 1) and y1 == min(height, ys.max() + 2)
        for unit in model.units:
            if unit.council_id == council:
                x, y = unit.cell.coordinate
                assert x0 <= x < x1 and y0 <= y < y1
    assert map_frame.council_window(model, 99) == map_frame.whole(model)


def test_a_cropped_map_draws_only_the_window_and_the_councils_units(sim):
    model, council = sim.model, 1
    window = map_frame.council_window(model, council)
    x0, x1, y0, y1 = window
    raster = map_frame.land_raster(model, window, "capacity")
    shading = np.array(raster["settlement"]).reshape(-1, raster["rows"])
    assert np.array_equal(shading, model.land.settlement[x0:x1, y0:y1])
    assert raster["unmet_colours"] == list(map_frame.CAPACITY_COLOURS)
    assert raster["unmet_top"] == 100
    unmet = map_frame.unmet_series(model, window)
    assert len(unmet["percent"]) == shading.size and unmet["rows"] == raster["rows"]
    option = map_frame.base_option(model, TEXT_PX, window)
    assert (option["xAxis"]["min"], option["xAxis"]["max"]) == (x0 - 0.5, x1 - 0.5)
    assert (option["yAxis"]["min"], option["yAxis"]["max"]) == (y0 - 0.5, y1 - 0.5)
    borders = next(s for s in option["series"] if s["id"] == "borders")["data"]
    assert borders
    for segment in borders:
        for x, y in segment["coords"]:
            assert x0 - 0.5 <= x <= x1 - 0.5 and y0 - 0.5 <= y <= y1 - 0.5
    shown = sorted(item["unit"] for _, item in
                   _markers(map_frame.unit_series(model, None, TEXT_PX, council)))
    assert shown == sorted(u.index for u in model.units if u.council_id == council)


def test_the_capacity_tint_is_the_councils_capacity_in_percent_and_blank_elsewhere(sim):
    model, council = sim.model, 0
    window = map_frame.council_window(model, council)
    x0, x1, y0, y1 = window
    tint = map_frame.capacity_series(model, council, window)
    percent = np.array(tint["percent"]).reshape(-1, tint["rows"])
    capacity = model.grid.community_capacity.data[x0:x1, y0:y1]
    area = model.land.council[x0:x1, y0:y1] == council
    assert percent.shape == capacity.shape
    assert not percent[~area].any()
    inside = capacity[area]
    expected = np.where(inside > 0, np.maximum(np.rint(100 * inside), 1), 0)
    assert np.array_equal(percent[area], expected) and expected.any()


def test_a_councils_legend_names_its_services_and_the_chosen_tint(sim):
    model, council = sim.model, 0
    legend = map_frame.legend(model, "capacity", council, selection=False)
    own = {u.service.replace("_", " ") for u in model.units if u.council_id == council}
    assert {s["label"] for s in legend["services"]} == own
    assert legend["unmet"]["label"] == "community capacity"
    assert legend["unmet"]["colours"] == list(map_frame.CAPACITY_COLOURS)
    assert legend["selection"] is False
    assert map_frame.legend(model)["unmet"]["label"] == "need left unmet"

def _canvas(rc):
    return next(w for w in rc.find(ipyvue.VueTemplate).widgets if hasattr(w, "units"))


def test_map_view_renders_and_a_click_picks_the_unit(sim):
    picked = []
    _, rc = solara.render(MapView(sim, 1, 7, picked.append), handle_error=False)
    canvas = _canvas(rc)
    assert unwrapped(canvas.base)["series"][0]["id"] == "borders"
    assert unwrapped(canvas.land)["rows"] == sim.model.land.shape[1]
    ring = next(s for s in unwrapped(canvas.units) if s["id"] == "selected")
    assert len(ring["data"]) == 1
    canvas.vue_pick(12)
    assert picked == [12]
    assert canvas.text_px == TEXT_PX
