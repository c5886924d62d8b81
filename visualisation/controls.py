"""Lever controls generated from the scenario schema.

A slider, select or checkbox per field, with its description and source as help text.
"""

from __future__ import annotations

import math
import typing
from collections.abc import Callable
from typing import Any

import solara

from ecosystem.scenario import Scenario, field_specs

GROUPS = ("procurement", "capacity", "funding", "councils")


def lever_specs(group: str) -> list[dict[str, Any]]:
    """The schema's fields of a lever group, with choices for the ones that take a name."""
    specs = []
    for spec in field_specs():
        if not spec["path"].startswith(f"{group}.") or spec["type"] == "tuple":
            continue
        specs.append({**spec, "choices": _choices(spec["path"])})
    return specs


def _choices(path: str) -> list[str] | None:
    group, name = path.split(".", 1)
    cls = type(getattr(Scenario(), group))
    annotation = cls.model_fields[name].annotation
    if typing.get_origin(annotation) is typing.Literal:
        return list(typing.get_args(annotation))
    return None


def slider_step(spec: dict[str, Any]) -> float:
    """A power of ten fine enough that the default sits on the slider's grid.

    A coarse grid would snap the default and silently change the lever.
    """
    span = float(spec["max"]) - float(spec["min"])
    return 10.0 ** math.floor(math.log10(span / 1000)) if span > 0 else 1.0


def help_text(spec: dict[str, Any]) -> str:
    """Description, unit and source, for a control's tooltip."""
    parts = [spec["description"]]
    if spec["unit"]:
        parts.append(f"Unit: {spec['unit']}.")
    if spec["source"]:
        parts.append(f"Source: {spec['source']}.")
    return " ".join(parts)


@solara.component
def LeverControl(spec: dict[str, Any], value: Any, on_change: Callable[[str, Any], None]):
    """One lever."""
    label = spec["path"].split(".", 1)[1].replace("_", " ")
    tip = help_text(spec)
    with solara.Tooltip(tip), solara.Column(gap="0px"):
        if spec["choices"]:
            solara.Select(label=label, values=spec["choices"], value=value,
                          on_value=lambda v: on_change(spec["path"], v))
        elif spec["type"] == "bool":
            solara.Checkbox(label=label, value=value,
                            on_value=lambda v: on_change(spec["path"], v))
        elif spec["type"] == "int":
            solara.SliderInt(label=label, value=int(value), min=int(spec["min"]),
                             max=int(spec["max"]),
                             on_value=lambda v: on_change(spec["path"], v))
        else:
            solara.SliderFloat(label=label, value=float(value), min=spec["min"],
                               max=spec["max"], step=slider_step(spec),
                               on_value=lambda v: on_change(spec["path"], v))


@solara.component
def KeyLevers(scenario: Scenario, on_change: Callable[[str, Any], None]):
    """The few levers a room argues about, first (placeholder: none yet)."""


@solara.component
def LeverGroups(scenario: Scenario, on_change: Callable[[str, Any], None]):
    """Every lever group, each in its own card."""
    for group in GROUPS:
        with solara.Card(group.capitalize(), margin=0):
            for spec in lever_specs(group):
                if spec["min"] is None and spec["type"] in ("int", "float"):
                    continue
                LeverControl(spec, scenario.get(spec["path"]), on_change)
