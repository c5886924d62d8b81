"""What a room's pages show: a team's dashboard and the projector's board, as plain data.

`Room.team_view` and `Room.projector_view` build these from the room's state (under its
lock) and cache them per version; the functions here only read.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ecosystem.model import EcosystemModel
from ecosystem.names import OperatorKind, ReviewOption, UnitStatus
from ecosystem.scenario.decisions import TEAM_OPTIONS
from ecosystem.workshop.league import council_name

#: Events a team's dashboard shows (its council's, last year's, newest first).
TEAM_EVENTS = 30
#: Events the projector shows (last year's, newest first).
PROJECTOR_EVENTS = 40


def team_dashboard(model: EcosystemModel, index: int, round: int, phase: str,
                   plan: dict[str, Any], submitted: bool, league_row: dict[str, float],
                   last_events: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """A team's dashboard of council `index` (see `Room.team_view` for its keys)."""
    council = model.councils[index]
    services = service_rows(model, index)
    events = [e for e in last_events if e["council"] == index]
    return {
        "council": index, "name": council_name(index), "round": round, "phase": str(phase),
        "budget": float(council.budget), "reserves": float(council.reserves),
        "budget_gap": {"discretionary_cut": 1.0 - float(council.discretionary_factor),
                       "statutory_cut": 1.0 - float(council.statutory_factor)},
        "services": services, "plan": plan, "submitted": submitted, "league_row": league_row,
        "events": events[::-1][:TEAM_EVENTS],
        "options": {row["service"]: team_options(model, row["service"]) for row in services},
    }


def projector_board(round: int, years: int, phase: str, councils: int,
                    seated: Sequence[tuple[str, int]], league: Sequence[dict[str, float]],
                    last_events: Sequence[dict[str, Any]],
                    submitted: list[int]) -> dict[str, Any]:
    """The projector's board (see `Room.projector_view` for its keys).

    `seated` holds (name, council) of everyone seated, in the order they joined.
    """
    seats: dict[int, list[str]] = {council: [] for council in range(councils)}
    for name, council in seated:
        seats[council].append(name)
    return {
        "round": round, "years": years, "phase": str(phase),
        "league": [{**row, "name": council_name(int(row["council"]))} for row in league],
        "events": list(last_events)[::-1][:PROJECTOR_EVENTS],
        "seats": seats, "submitted": submitted,
    }


def team_options(model: EcosystemModel, service: str) -> list[str]:
    """The options a team may choose for `service` (as `decision_problems` allows)."""
    statutory = model.params.services.catalogue[service].statutory
    return [str(option) for option in TEAM_OPTIONS
            if not (statutory and option == ReviewOption.DECOMMISSION)
            and not (model.params.world.councils < 2 and option == ReviewOption.SHARE)]


def service_rows(model: EcosystemModel, council: int) -> list[dict[str, Any]]:
    """Per service `council` is responsible for: its units by state, who runs them, level."""
    by_service: dict[str, list[Any]] = {}
    for unit in model.units:
        if unit.council_id == council:
            by_service.setdefault(unit.service, []).append(unit)
    rows = []
    for service, units in by_service.items():
        open_units = [u for u in units if u.is_open]
        in_house = sum(u.operator_kind == OperatorKind.COUNCIL for u in open_units)
        rows.append({
            "service": service, "units": len(units),
            "open": sum(u.status == UnitStatus.OPEN for u in units),
            "degraded": sum(u.status == UnitStatus.DEGRADED for u in units),
            "closed": sum(u.status == UnitStatus.CLOSED for u in units),
            "in_house": in_house, "external": len(open_units) - in_house,
            "level": sum(u.level for u in open_units) / len(open_units) if open_units else 0.0,
        })
    return rows
