"""What the live map draws, as data: ECharts options built from a model, with no browser.

The map has two kinds of layer. The static ones (settlement type per cell, council borders,
the legend) depend only on the landscape, so `base_option` builds them once per model. The
moving ones are rebuilt every frame, and kept small because they cross the websocket each
time: `unmet_series` (the unmet-need tint, only the cells with need left unmet) and
`unit_series` (one marker per service unit). The browser merges them into the chart by
series id, so a frame never resends the static layers, and a layer whose data did not
change is not sent at all (the widget sends a value only when it differs from the last).

Two grids share one rectangle: a category grid for the heatmaps (ECharts draws heatmaps on
category axes only) and a value grid, one unit per cell, for the borders and markers,
whose positions inside a cell are fractional.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from ecosystem.names import UnitStatus
from ecosystem.world.landscape import SETTLEMENT_NAMES

from .style import OPERATOR_COLOURS

#: Settlement shading, by settlement class (urban, town, village, sparse): darker is denser.
SETTLEMENT_COLOURS = ("#8c8c8c", "#b4b4b4", "#d7d7d7", "#f4f4f4")
BORDER_COLOUR = "#202020"
#: Unmet need, from a little to `UNMET_TOP` percent or more: ColorBrewer's Reds, see-through
#: over the shading at the low end.
UNMET_COLOURS = ("rgba(254,224,210,0.35)", "rgba(252,146,114,0.6)", "rgba(222,45,38,0.75)",
                 "rgba(103,0,13,0.85)")
#: Percent unmet at which the tint is darkest (most cells lose under half of their need).
UNMET_TOP = 60
#: Cells with less than this share of their need unmet are not tinted.
UNMET_FLOOR = 0.02
#: Community capacity, 0 to 100 percent: ColorBrewer's Greens, see-through over the shading
#: at the low end (a team's map shows it over its own area, where the live map shows need).
CAPACITY_COLOURS = ("rgba(229,245,224,0.35)", "rgba(161,217,155,0.6)",
                    "rgba(65,171,93,0.75)", "rgba(0,90,50,0.85)")


class Tint(NamedTuple):
    """A background tint: its legend label and its colours, from `floor` to `top` percent.

    A cell whose share is `floor` or less is not tinted.
    """

    label: str
    colours: tuple[str, ...]
    floor: float
    top: int


#: The background tints a map can show, by name.
TINTS = {"unmet": Tint("need left unmet", UNMET_COLOURS, UNMET_FLOOR, UNMET_TOP),
         "capacity": Tint("community capacity", CAPACITY_COLOURS, 0.0, 100)}

#: Marker colour of a unit with no operator (closed, handed back).
NO_OPERATOR_COLOUR = "#7f7f7f"
CLOSED_FILL = "#9e9e9e"
SELECTED_COLOUR = "#000000"

#: Service -> marker outline, an SVG path in a 20 x 20 box centred on the origin. Used as an
#: ECharts 'path://' symbol and, unchanged, in the legend's SVG.
SERVICE_SHAPES = {
    "adult_social_care": "M0,-10A10,10 0 1,1 0,10A10,10 0 1,1 0,-10Z",  # circle
    "libraries": "M-9,-9L9,-9L9,9L-9,9Z",  # square
    "youth_services": "M0,-10L10,8L-10,8Z",  # triangle
    "day_opportunities": "M0,-10L10,0L0,10L-10,0Z",  # diamond
    "parks": "M-10,-8L10,-8L0,10Z",  # triangle pointing down
    "waste_collection": "M-3.5,-10L3.5,-10L3.5,-3.5L10,-3.5L10,3.5L3.5,3.5L3.5,10L-3.5,10"
                        "L-3.5,3.5L-10,3.5L-10,-3.5L-3.5,-3.5Z",  # plus
    "leisure_centres": "M0,-10L2.9,-4L9.5,-3.1L4.7,1.5L5.9,9.5L0,5L-5.9,9.5L-4.7,1.5"
                       "L-9.5,-3.1L-2.9,-4Z",  # star
    "community_transport": "M-5,-9L5,-9L10,0L5,9L-5,9L-10,0Z",  # hexagon
}
#: A service the catalogue adds beyond the eight above.
OTHER_SHAPE = "M-10,-4L-4,-10L4,-10L10,-4L10,4L4,10L-4,10L-10,4Z"  # octagon
CROSS = "M-10,-7L-7,-10L0,-3L7,-10L10,-7L3,0L10,7L7,10L0,3L-7,10L-10,7L-3,0Z"

#: Drawing order and ids of the unit layers: closed units first, so open ones cover them.
STATUS_LAYERS = (UnitStatus.CLOSED, UnitStatus.DEGRADED, UnitStatus.OPEN)
STATUS_LABELS = {UnitStatus.OPEN: "open", UnitStatus.DEGRADED: "below standard",
                 UnitStatus.CLOSED: "closed"}
#: Ring of units around a cell's centre, in cells (a lone unit sits on the centre).
SPREAD_RADIUS = 0.28


def label(name: str) -> str:
    """A model name as people read it: `social_enterprise` -> `social enterprise`."""
    return str(name).replace("_", " ")


def shape_of(service: str) -> str:
    """The SVG path of `service`'s marker."""
    return SERVICE_SHAPES.get(service, OTHER_SHAPE)


def colour_of(operator_kind: str) -> str:
    """The colour of an operator kind (grey when there is no operator)."""
    return OPERATOR_COLOURS.get(str(operator_kind), NO_OPERATOR_COLOUR)


def marker_px(text_px: int) -> int:
    """Marker size in pixels for a text size: 18 px on a laptop, 28 px on a projector."""
    return round(text_px * 1.27)


# ----- the part of the grid drawn -------------------------------------------------------------

#: A rectangle of cells, (x0, x1, y0, y1): x0 <= x < x1 and y0 <= y < y1.
Window = tuple[int, int, int, int]


def whole(model) -> Window:
    """The whole grid."""
    width, height = model.land.shape
    return 0, width, 0, height


def council_window(model, council: int, margin: int = 1) -> Window:
    """The smallest rectangle holding `council`'s area and its units, `margin` cells wider.

    Clipped to the grid; the whole grid if the council has no cells.
    """
    cells = np.argwhere(model.land.council == council).tolist()
    cells += [list(u.cell.coordinate) for u in model.units if u.council_id == council]
    if not cells:
        return whole(model)
    (x0, y0), (x1, y1) = np.min(cells, axis=0), np.max(cells, axis=0)
    width, height = model.land.shape
    return (max(0, int(x0) - margin), min(width, int(x1) + margin + 1),
            max(0, int(y0) - margin), min(height, int(y1) + margin + 1))


def cropped(cells: np.ndarray, window: Window | None) -> np.ndarray:
    """The part of a (width, height) cell array inside `window` (all of it for None)."""
    if window is None:
        return cells
    x0, x1, y0, y1 = window
    return cells[x0:x1, y0:y1]


def _inside(point: list[float], window: Window) -> bool:
    x0, x1, y0, y1 = window
    return x0 - 0.5 <= point[0] <= x1 - 0.5 and y0 - 0.5 <= point[1] <= y1 - 0.5


# ----- moving layers -------------------------------------------------------------------------


def unmet_by_cell(model) -> np.ndarray:
    """Share of residents' need left unmet in each cell, shape (width, height); 0 if no need."""
    res = model.residents
    need, served = res.need.sum(axis=0), res.served.sum(axis=0)
    cells = np.ravel_multi_index((res.cell_x, res.cell_y), model.land.shape)
    size = model.land.households.size
    total = np.bincount(cells, weights=need, minlength=size)
    unmet = np.bincount(cells, weights=need - served, minlength=size)
    share = np.divide(unmet, total, out=np.zeros(size), where=total > 0)
    return share.reshape(model.land.shape)


def unmet_series(model, window: Window | None = None) -> dict[str, Any]:
    """The unmet-need tint: each cell's percent of need unmet, 0 below `UNMET_FLOOR`.

    Nothing is tinted before the first month is run: need is first met (or not) in month 1.

    `percent` lists the cells of `window` (all for None) column by column (x major, as
    `unmet_by_cell`); the browser turns it into heatmap points. A flat list of small
    integers keeps the frame small.
    """
    share = unmet_by_cell(model) if model.month > 0 else np.zeros(model.land.shape)
    return _tint_series(share, TINTS["unmet"].floor, window)


def capacity_series(model, council: int, window: Window | None = None) -> dict[str, Any]:
    """The community-capacity tint of `council`'s area: each of its cells' capacity in percent.

    Cells outside the area are 0 (untinted), so the tint also shows where the area is;
    a cell of the area with any capacity is at least 1. Laid out as `unmet_series`, under
    the same id, so a map shows one tint or the other.
    """
    capacity = model.grid.community_capacity.data
    own = np.where(model.land.council == council, capacity, 0.0)
    return _tint_series(own, TINTS["capacity"].floor, window)


def _tint_series(share: np.ndarray, floor: float, window: Window | None) -> dict[str, Any]:
    """A tint's frame: each cell of `window` in percent, at least 1 above `floor`, else 0."""
    share = cropped(share, window)
    percent = np.where(share > floor, np.maximum(np.rint(100 * share), 1), 0)
    return {"id": "unmet", "rows": int(share.shape[1]),
            "percent": percent.astype(int).ravel().tolist()}


def _ring(cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each unit's direction from its cell's centre (a unit vector) and its cell's count."""
    _, group, counts = np.unique(cells, axis=0, return_inverse=True, return_counts=True)
    group = group.ravel()
    order = np.argsort(group, kind="stable")
    rank = np.empty(len(cells), dtype=int)
    rank[order] = np.arange(len(cells)) - np.repeat(np.cumsum(counts) - counts, counts)
    many = counts[group]
    angle = np.pi / 2 + 2 * np.pi * rank / many
    return np.column_stack([np.cos(angle), np.sin(angle)]), many


def spread(cells: np.ndarray, size: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """Where each unit's marker goes: units sharing a cell sit on a ring round its centre.

    Args:
        cells: (n, 2) integer cell coordinates, in the order the units are numbered.
        size: The marker size in pixels.

    Returns:
        (n, 2) positions in cell coordinates, the k-th of m units in a cell at angle
        2 pi k / m (from the top), `SPREAD_RADIUS` from the centre (a lone unit on it); and
        (n, 2) pixel offsets along the same directions (screen y points down), wide enough
        that the markers of a cell just touch however small the cells are drawn.
    """
    cells = np.asarray(cells, dtype=float).reshape(-1, 2)
    if len(cells) == 0:
        return cells, cells
    direction, many = _ring(cells)
    apart = many > 1
    radius = np.where(apart, SPREAD_RADIUS, 0.0)
    pixels = np.where(apart, size / 2 / np.sin(np.pi / np.maximum(many, 2)), 0.0)
    offsets = pixels[:, None] * direction * np.array([1.0, -1.0])
    return cells + radius[:, None] * direction, offsets


def _tooltip(unit) -> str:
    operator = label(unit.operator_kind) if unit.operator_kind else "no operator"
    return (f"Unit {unit.index}: {label(unit.service)} · {operator} · "
            f"{STATUS_LABELS.get(unit.status, unit.status)}")


def _marker(unit, position: np.ndarray, offset: np.ndarray) -> dict[str, Any]:
    colour = colour_of(unit.operator_kind)
    style = ({"borderColor": colour} if unit.status == UnitStatus.DEGRADED
             else {} if unit.status == UnitStatus.CLOSED else {"color": colour})
    item = {"value": [round(float(position[0]), 2), round(float(position[1]), 2)],
            "symbolOffset": [round(float(offset[0])), round(float(offset[1]))],
            "name": _tooltip(unit), "unit": unit.index}
    return item | ({"itemStyle": style} if style else {})


def _overlay(marker: dict[str, Any]) -> dict[str, Any]:
    """A cross or ring drawn exactly over `marker`."""
    return {"value": marker["value"], "symbolOffset": marker["symbolOffset"]}


def _layer_style(status: str, size: int) -> dict[str, Any]:
    if status == UnitStatus.OPEN:
        return {"z": 6, "itemStyle": {"borderColor": "#ffffff", "borderWidth": 1.5}}
    if status == UnitStatus.DEGRADED:
        return {"z": 5, "itemStyle": {"color": "#ffffff", "borderWidth": max(3, size // 6)}}
    return {"z": 3, "itemStyle": {"color": CLOSED_FILL, "opacity": 0.55,
                                  "borderColor": "#ffffff", "borderWidth": 1}}


def unit_layer_ids(services: list[str]) -> list[str]:
    """Series ids of the unit layers, in drawing order: every status by every service."""
    return [f"{status}:{service}" for status in STATUS_LAYERS for service in services]


def services_of(model) -> list[str]:
    """The scenario's services, in catalogue order."""
    return list(model.params.services.catalogue)


def unit_series(model, selected: int | None, text_px: int,
                council: int | None = None) -> list[dict[str, Any]]:
    """One marker per unit, a cross over each closed one, and a ring round the selected one.

    Every series id of `unit_layer_ids` is present (perhaps empty), so the browser's merge
    by id empties a layer whose last unit changed status. With `council`, only the units
    that council is responsible for.
    """
    units = [u for u in model.units if council is None or u.council_id == council]
    size = marker_px(text_px)
    positions, offsets = spread(np.array([u.cell.coordinate for u in units]), size)
    layers: dict[str, list] = {key: [] for key in unit_layer_ids(services_of(model))}
    crosses, ring = [], []
    for unit, position, offset in zip(units, positions, offsets):
        marker = _marker(unit, position, offset)
        layers.setdefault(f"{unit.status}:{unit.service}", []).append(marker)
        if unit.status == UnitStatus.CLOSED:
            crosses.append(_overlay(marker))
        if unit.index == selected:
            ring.append(_overlay(marker))
    series = [{"id": key, "data": data, "symbol": "path://" + shape_of(key.split(":", 1)[1]),
               "symbolSize": size} | _layer_style(key.split(":", 1)[0], size)
              for key, data in layers.items()]
    return [*series, {"id": "closed-cross", "data": crosses, "symbolSize": size * 0.7},
            {"id": "selected", "data": ring, "symbolSize": size * 1.9}]


# ----- static layers -------------------------------------------------------------------------


def border_segments(council: np.ndarray) -> list[list[list[float]]]:
    """Line segments between neighbouring cells of different councils, in cell coordinates."""
    vertical = np.argwhere(council[1:, :] != council[:-1, :])  # between x and x + 1
    horizontal = np.argwhere(council[:, 1:] != council[:, :-1])  # between y and y + 1
    segments = [[[x + 0.5, y - 0.5], [x + 0.5, y + 0.5]] for x, y in vertical.tolist()]
    segments += [[[x - 0.5, y + 0.5], [x + 0.5, y + 0.5]] for x, y in horizontal.tolist()]
    return segments


def _axes(window: Window) -> tuple[dict, dict]:
    x0, x1, y0, y1 = window
    hidden = {"show": False}
    return ({"type": "value", "min": x0 - 0.5, "max": x1 - 0.5} | hidden,
            {"type": "value", "min": y0 - 0.5, "max": y1 - 0.5} | hidden)


def _borders(model, window: Window) -> dict[str, Any]:
    segments = [s for s in border_segments(model.land.council)
                if _inside(s[0], window) and _inside(s[1], window)]
    return {"id": "borders", "type": "lines", "coordinateSystem": "cartesian2d", "z": 2,
            "silent": True, "animation": False, "tooltip": {"show": False},
            "data": [{"coords": s} for s in segments],
            "lineStyle": {"color": BORDER_COLOUR, "width": 2.5, "opacity": 1}}


def _marker_layers(model, text_px: int) -> list[dict[str, Any]]:
    size = marker_px(text_px)
    scatter = {"type": "scatter", "animation": False,
               "symbolKeepAspect": True, "data": []}
    layers = [scatter | {"id": key} for key in unit_layer_ids(services_of(model))]
    cross = {"id": "closed-cross", "symbol": "path://" + CROSS, "symbolSize": size * 0.7,
             "z": 4, "silent": True, "itemStyle": {"color": "#333333", "opacity": 0.8}}
    ring = {"id": "selected", "symbol": "circle", "symbolSize": size * 1.9, "z": 7,
            "silent": True, "itemStyle": {"color": "rgba(255,255,255,0.15)",
                                          "borderColor": SELECTED_COLOUR, "borderWidth": 4}}
    return [*layers, scatter | cross, scatter | ring]


def base_option(model, text_px: int, window: Window | None = None) -> dict[str, Any]:
    """The chart's static part: its grid, axes, council borders and the empty unit layers.

    Each frame fills the unit layers by id. Settlements and the unmet-need tint are not
    in the chart: the browser paints them cell by cell under it (see `land_raster`). With
    `window`, the axes span only its cells and only the borders inside it are drawn.
    """
    window = window or whole(model)
    x_axis, y_axis = _axes(window)
    return {
        "animation": False,
        "grid": {"left": 0, "top": 0, "right": 0, "bottom": 0},
        "xAxis": x_axis,
        "yAxis": y_axis,
        "tooltip": {"trigger": "item", "formatter": "{b}",
                    "textStyle": {"fontSize": text_px}},
        "series": [_borders(model, window), *_marker_layers(model, text_px)],
    }


def land_raster(model, window: Window | None = None, tint: str = "unmet") -> dict[str, Any]:
    """What the browser needs to paint the cells under the chart, one pixel per cell.

    Settlement shading (an index into `colours` per cell of `window`, in the order of
    `unmet_series`' percents), and the tint's colours from 0 to `unmet_top` percent (`tint`
    names one of `TINTS`: the unmet-need tint, or community capacity). Painted on a plain
    canvas, the 2,400 cells of the baseline cost nothing to redraw each frame, where as
    chart series ECharts re-rendered them on every update (a third of the browser's time
    while playing).
    """
    settlement = cropped(model.land.settlement, window)
    return {"rows": int(settlement.shape[1]),
            "settlement": settlement.astype(int).ravel().tolist(),
            "colours": list(SETTLEMENT_COLOURS), "unmet_colours": list(TINTS[tint].colours),
            "unmet_top": TINTS[tint].top}


def _tint_legend(tint: Tint) -> dict[str, Any]:
    return {"label": tint.label, "colours": list(tint.colours), "from": f"{tint.floor:.0%}",
            "to": f"{tint.top}% or more" if tint.top < 100 else f"{tint.top}%"}


def legend(model, tint: str = "unmet", council: int | None = None,
           selection: bool = True) -> dict[str, Any]:
    """Every entry of the map's legend, for the browser to draw as HTML and SVG.

    `unmet` is the background tint's scale (`tint` names one of `TINTS`). With `council`,
    only the services it runs units of; without `selection`, no entry for the selection ring.
    """
    services = services_of(model)
    if council is not None:
        own = {u.service for u in model.units if u.council_id == council}
        services = [s for s in services if s in own]
    return {
        "settlement": [{"label": name, "colour": colour}
                       for name, colour in zip(SETTLEMENT_NAMES, SETTLEMENT_COLOURS)],
        "border": {"label": "council border", "colour": BORDER_COLOUR},
        "unmet": _tint_legend(TINTS[tint]),
        "selection": selection,
        "services": [{"label": label(s), "shape": shape_of(s)} for s in services],
        "operators": [{"label": label(k), "colour": c} for k, c in OPERATOR_COLOURS.items()],
        "statuses": [{"label": STATUS_LABELS[s], "status": str(s)} for s in reversed(
            STATUS_LAYERS)],
        "cross": CROSS,
    }
