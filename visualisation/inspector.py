"""The unit inspector: one unit's state (placeholder: picked from a list)."""

from __future__ import annotations

from collections.abc import Callable

import solara

from .session import Simulation


@solara.component
def UnitInspector(sim: Simulation, unit: int | None, version: int,
                  on_pick: Callable[[int], None]):
    """The state of unit `unit` of `sim` as of `version`."""
    units = sim.model.units
    index = min(unit or 0, len(units) - 1)
    labels = [f"{u.index}: {u.service.replace('_', ' ')}" for u in units]
    solara.Select("Unit", values=labels, value=labels[index],
                  on_value=lambda v: on_pick(int(v.split(":")[0])))
    chosen = units[index]
    operator = chosen.operator
    lines = [f"operator: {chosen.operator_kind or 'none'}", f"status: {chosen.status}",
             f"quality: {chosen.quality:.2f}",
             f"served: {chosen.served:.0f} of {chosen.demand:.0f}"]
    if operator is not None and operator.kind != "council":
        lines.append(f"provider reserves: GBP {operator.reserves:,.0f}k")
    if chosen.contract is not None:
        lines.append(f"contract ends: month {chosen.contract.end}")
    solara.Markdown(" · ".join(lines))
