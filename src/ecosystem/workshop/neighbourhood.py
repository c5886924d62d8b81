"""A council team's neighbourhood: the providers running its units, and its community capacity.

Pure readings of a model's state (call them under the room's lock): what a team's dashboard
shows beside its map.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ecosystem.metrics.registry import household_mean
from ecosystem.names import UnitStatus

if TYPE_CHECKING:
    from ecosystem.model import EcosystemModel


def providers_near(model: EcosystemModel, council: int) -> list[dict[str, Any]]:
    """The providers running open units `council` is responsible for, most units first.

    Returns:
        One dict per provider: its `id` (Mesa's unique id), `kind` (the operator kind, e.g.
        "social_enterprise"), `units` (how many of the council's open units it runs),
        `below_standard` (how many of those are below standard) and `services` (the
        services of those units, sorted). Ties keep the model's order of providers.
    """
    rows = []
    for provider in model.providers:
        units = [u for u in provider.units if u.council_id == council and u.is_open]
        if units:
            rows.append({
                "id": int(provider.unique_id), "kind": str(provider.kind), "units": len(units),
                "below_standard": sum(u.status == UnitStatus.DEGRADED for u in units),
                "services": sorted({str(u.service) for u in units}),
            })
    return sorted(rows, key=lambda row: -row["units"])


def community_capacity_of(model: EcosystemModel, council: int) -> float:
    """The household-weighted mean community capacity (0..1) of `council`'s area (0 if empty).

    The `community_capacity` metric, over that area only.
    """
    households = model.land.households * (model.land.council == council)
    return household_mean(model.grid.community_capacity.data, households)
