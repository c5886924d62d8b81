"""Lever controls generated from the scenario schema: the key levers first, the rest in groups.

Every control shows its value in plain units at all times ("28 %", "GBP 40k a year"), moves
by a round step (a click or an arrow key lands on 0.45, not 0.4454), never snaps a value it
is given to another (see `lever_units`), and carries the field's description and source as
its tooltip. A slider tells the model its value once, when it is let go (or moved with a
key), not at every pixel of a drag: at month 0 each change rebuilds the model.
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Callable
from typing import Any

import solara
from solara.alias import rv

from ecosystem.scenario import Scenario, field_specs

from .lever_units import plain, slider_step, snap
from .style import text_px

GROUPS = ("procurement", "capacity", "funding", "councils", "strategy", "parishes")

#: The levers a room argues about, shown first: field path -> (label, step).
#: A step of None is a choice, not a slider.
KEY_LEVERS: dict[str, tuple[str, float | None]] = {
    "councils.budget_cut_total": ("Budget cut", 0.01),
    "councils.cut_years": ("Cut spread over", 1),
    "capacity.community_support": ("Community support, each council", 10.0),
    "procurement.regime": ("Procurement regime", None),
    "councils.ideology": ("Ideology", 0.1),
    "procurement.social_value_weight": ("Social value weight", 0.05),
}

__all__ = ["GROUPS", "KEY_LEVERS", "KeyLevers", "LeverGroups", "group_specs", "help_text",
           "lever_specs", "slider_step"]


@functools.cache
def _all_specs() -> tuple[dict[str, Any], ...]:
    return tuple(field_specs())


def lever_specs(group: str) -> list[dict[str, Any]]:
    """The schema's fields of a lever group, with choices for the ones that take a name."""
    specs = []
    for spec in _all_specs():
        if not spec["path"].startswith(f"{group}.") or spec["type"] == "tuple":
            continue
        specs.append({**spec, "choices": _choices(spec["path"])})
    return specs


def key_specs() -> list[dict[str, Any]]:
    """The key levers' specs, in `KEY_LEVERS` order."""
    by_path = {s["path"]: s for group in GROUPS for s in lever_specs(group)}
    return [by_path[path] for path in KEY_LEVERS]


def group_specs(group: str) -> list[dict[str, Any]]:
    """The levers of `group` the panels show under it: all but the key levers."""
    return [s for s in lever_specs(group) if s["path"] not in KEY_LEVERS
            and (s["choices"] or s["type"] == "bool" or s["min"] is not None)]


def _choices(path: str) -> list[str] | None:
    group, name = path.split(".", 1)
    cls = type(getattr(Scenario(), group))
    annotation = cls.model_fields[name].annotation
    if typing.get_origin(annotation) is typing.Literal:
        return list(typing.get_args(annotation))
    return None


def help_text(spec: dict[str, Any]) -> str:
    """Description, unit and source, for a control's tooltip."""
    parts = [spec["description"]]
    if spec["unit"]:
        parts.append(f"Unit: {spec['unit']}.")
    if spec["source"]:
        parts.append(f"Source: {spec['source']}.")
    return " ".join(parts)


def key_step(spec: dict[str, Any], value: Any) -> float:
    """A key lever's step: its round one, unless the default or `value` lies off it."""
    return slider_step(spec, value, KEY_LEVERS[spec["path"]][1])


def reading(spec: dict[str, Any], value: Any, step: float, scenario: Scenario) -> str:
    """A lever's value as the room reads it; a few key levers say what it means."""
    text = plain(spec, value, step)
    if spec["path"] == "councils.ideology":
        lean = ("provider-blind" if value == 0 else "leans in-house" if value < 0
                else "leans to the market")
        return f"{value:+.1f}: {lean}" if value else f"0: {lean}"
    if spec["path"] == "procurement.social_value_weight":
        weights = scenario.procurement.price_weight + scenario.procurement.quality_weight
        share = value / (weights + value) if weights + value > 0 else 0.0
        return f"{text} ({share:.0%} of the award score)".replace("%", " %")
    return text


def choice_items(spec: dict[str, Any], scenario: Scenario) -> list[dict[str, str]]:
    """A select's items; the procurement regimes say how long a tender takes."""
    items = []
    for choice in spec["choices"]:
        text = choice
        if spec["path"] == "procurement.regime":
            text = f"{choice} ({getattr(scenario.procurement, f'{choice}_months')}-month tenders)"
        items.append({"text": text, "value": choice})
    return items


@solara.component
def LeverSlider(spec: dict[str, Any], value: float, step: float, text: str, label: str,
                on_change: Callable[[str, Any], None]):
    """A slider with its label and its value in plain units above it, both always shown."""
    dragged = solara.use_reactive(value)
    low, high = spec["min"], spec["max"]
    shown = text if dragged.value == value else plain(spec, dragged.value, step)

    def let_go(*args):
        moved = snap(float(args[-1]), float(low), step)
        dragged.set(moved)
        if moved != value:
            on_change(spec["path"], int(moved) if spec["type"] == "int" else moved)

    with solara.Row(justify="space-between", style={"font-size": f"{text_px()}px"}):
        solara.Text(label)
        solara.Text(shown, style={"font-weight": "bold"})
    slider = rv.Slider(v_model=dragged.value, on_v_model=dragged.set, min=low, max=high,
                       step=step, hide_details=True, dense=True, thumb_label=False,
                       class_="lever-slider")
    rv.use_event(slider, "change", let_go)


@solara.component
def LeverControl(spec: dict[str, Any], value: Any, step: float, text: str,
                 items: list[dict[str, str]], on_change: Callable[[str, Any], None],
                 label: str = ""):
    """One lever, with its help as a tooltip."""
    label = label or spec["path"].split(".", 1)[1].replace("_", " ").capitalize()
    with solara.Tooltip(help_text(spec)), solara.Column(gap="0px"):
        if spec["choices"]:
            rv.Select(label=label, items=items, v_model=value, hide_details=True,
                      on_v_model=lambda v: on_change(spec["path"], v))
        elif spec["type"] == "bool":
            solara.Checkbox(label=label, value=value,
                            on_value=lambda v: on_change(spec["path"], v))
        else:
            LeverSlider(spec, value, step, text, label, on_change)


def _control(spec: dict[str, Any], scenario: Scenario, on_change, step: float,
             label: str = ""):
    value = scenario.get(spec["path"])
    items = choice_items(spec, scenario) if spec["choices"] else []
    LeverControl(spec, value, step, reading(spec, value, step, scenario), items, on_change,
                 label)


@solara.component
def KeyLevers(scenario: Scenario, on_change: Callable[[str, Any], None]):
    """The few levers a room argues about, first, with their values in plain units."""
    with solara.Card("Key levers", margin=0):
        for spec in key_specs():
            value = scenario.get(spec["path"])
            step = 0.0 if spec["choices"] else key_step(spec, value)
            _control(spec, scenario, on_change, step, KEY_LEVERS[spec["path"]][0])


@solara.component
def LeverGroup(group: str, scenario: Scenario, on_change: Callable[[str, Any], None]):
    """The controls of one group (drawn only once its panel is opened)."""
    for spec in group_specs(group):
        value = scenario.get(spec["path"])
        step = slider_step(spec, value) if spec["type"] in ("int", "float") else 0.0
        _control(spec, scenario, on_change, step)


@solara.component
def LeverGroups(scenario: Scenario, on_change: Callable[[str, Any], None]):
    """Every other lever, in collapsible groups, closed until opened."""
    opened = solara.use_reactive(typing.cast(list[int], []))
    with rv.ExpansionPanels(v_model=opened.value, on_v_model=opened.set, multiple=True,
                            accordion=True):
        for index, group in enumerate(GROUPS):
            with rv.ExpansionPanel():
                rv.ExpansionPanelHeader(children=[f"{group.capitalize()} "
                                                  f"({len(group_specs(group))} levers)"])
                with rv.ExpansionPanelContent():
                    if index in opened.value:
                        LeverGroup(group, scenario, on_change)
