"""The unit inspector: one unit's place, operator, state and history, in plain words.

A unit is picked by clicking it on the map (the map calls `on_pick(index)`) or from the
select here, whose labels say what and where each unit is.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import solara

from ecosystem import EcosystemModel
from ecosystem.names import UnitStatus
from ecosystem.world.units import ServiceUnit

from .event_log import event_log
from .session import Simulation
from .style import text_px
from .wording import (
    CAUSE_WORDS,
    capitalised,
    council_name,
    event_sentence,
    operator_words,
    service_name,
    settlement_of,
    unit_label,
)

PROMPT = "Click a unit on the map, or choose one above, to see what it is and what happened to it."


def unit_choices(model: EcosystemModel) -> dict[str, int]:
    """Label -> unit index, sorted by council, service and place; every label unique."""
    units = sorted(model.units, key=lambda u: (u.council_id, u.service, u.cell.coordinate))
    choices: dict[str, int] = {}
    for unit in units:
        label = unit_label(model, unit)
        choices[label if label not in choices else f"{label}, unit {unit.index}"] = unit.index
    return choices


def operator_line(unit: ServiceUnit) -> str:
    """Who runs it; for a provider, its reserves."""
    operator = unit.operator
    if operator is None:
        return "none (closed)"
    words = operator_words(unit.operator_kind)
    reserves = getattr(operator, "reserves", None)
    if unit.in_house or reserves is None:
        return words
    return f"{words}, reserves {money(reserves)}"


def money(thousands: float) -> str:
    """GBP thousands in words, e.g. "£1,234k" or "-£12k"."""
    return f"{'-' if thousands < 0 else ''}£{abs(thousands):,.0f}k"


def status_line(model: EcosystemModel, unit: ServiceUnit) -> str:
    """Open, below standard (for how long), under notice, or closed (when and why)."""
    if unit.status == UnitStatus.CLOSED:
        cause = CAUSE_WORDS.get(unit.cause, unit.cause)  # type: ignore[call-overload]
        return f"closed in month {unit.closed_at} ({cause})"
    status = "open" if unit.status == UnitStatus.OPEN else \
        f"below standard for {unit.months_below} month(s)"
    if unit.closing_at is not None:
        status += f"; under notice, closes in month {unit.closing_at}"
    if unit.tender is not None:
        status += "; out to tender"
    return status


def contract_line(unit: ServiceUnit) -> str:
    """The contract it runs under, and when it ends."""
    contract = unit.contract
    if contract is None:
        return "none (run in-house)" if unit.in_house else "none"
    return f"{contract.basis.replace('_', ' ')} contract from month {contract.start}, " \
        f"ends in month {contract.end}"


def facts(model: EcosystemModel, unit: ServiceUnit) -> list[tuple[str, str]]:
    """What the inspector says about a unit: (what, value) pairs."""
    settlement, rural = settlement_of(model, unit)
    use = f"{unit.served / unit.demand:.0%}" if unit.demand > 0 else "no need reached it"
    standard = model.params.services.quality_standard
    return [
        ("Place", f"cell {unit.cell.coordinate}, {settlement} ({'rural' if rural else 'urban'})"
                  + ("" if unit.spec.building else ", the centre of the area it serves")),
        ("Council", capitalised(council_name(unit.council_id))),
        ("Service", capitalised(service_name(unit.service))
         + (" (a statutory duty)" if unit.spec.statutory else "")),
        ("Operator", operator_line(unit)),
        ("Status", status_line(model, unit)),
        ("Service level", f"{unit.level:.0%} of full hours"),
        ("Quality", f"{unit.quality:.2f} on a 0 to 1 scale (standard {standard:.2f})"),
        ("Use", f"served {unit.served:,.0f} of {unit.demand:,.0f} need units last month "
                f"({use})"),
        ("Contract", contract_line(unit)),
    ]


def history(model: EcosystemModel, index: int) -> list[dict[str, Any]]:
    """The unit's rows of `model.events`, newest first."""
    return [dict(e) for e in event_log(model).of_unit(index)]


def inspector_html(model: EcosystemModel, unit: ServiceUnit, px: int) -> str:
    """The unit's facts and its history as HTML."""
    rows = "".join(f"<tr><th style='text-align: left; padding-right: 1em'>{html.escape(k)}</th>"
                   f"<td>{html.escape(v)}</td></tr>" for k, v in facts(model, unit))
    events = history(model, unit.index)
    story = "".join(f"<li>{html.escape(event_sentence(model, e))}</li>" for e in events) \
        or "<li>Nothing has happened to it yet.</li>"
    return (f"<div style='font-size: {px}px'><table>{rows}</table>"
            f"<div style='font-weight: bold; margin-top: 0.5em'>What happened to it, newest "
            f"first ({len(events)})</div><ul style='max-height: 10em; overflow-y: auto'>"
            f"{story}</ul></div>")


@solara.component
def UnitInspector(sim: Simulation, unit: int | None, version: int,
                  on_pick: Callable[[int], None]):
    """The state of unit `unit` of `sim` as of `version` (None: a prompt to pick one)."""
    model, px = sim.model, text_px()
    choices = solara.use_memo(lambda: unit_choices(model), dependencies=[model])
    labels = {index: label for label, index in choices.items()}
    chosen = model.units[unit] if unit is not None and 0 <= unit < len(model.units) else None

    def pick(label: str | None) -> None:
        if label in choices:
            on_pick(choices[label])

    with solara.Column(gap="4px", style={"min-width": "20em", "flex": "1 1 0"}):
        solara.Select("Unit", values=list(choices), on_value=pick,
                      value=labels[chosen.index] if chosen is not None else None,
                      style={"font-size": f"{px}px"})
        if chosen is None:
            solara.HTML("div", html.escape(PROMPT), style=f"font-size: {px}px")
        else:
            solara.HTML("div", inspector_html(model, chosen, px))
