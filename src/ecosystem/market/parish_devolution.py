"""Parish devolution: a principal council hands a service's units in parished areas to parishes.

Towns and villages and the countryside around them are parished; urban cores are not. Each
parish is the area nearest one town or village centre within one principal council's
territory [002:L859]. A parish takes a unit on only if it has the capacity to: the chance is
the community capacity of its area, so devolution succeeds where communities are strong and
stalls where they are not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ecosystem.agents.parish_council import ParishCouncil
from ecosystem.market.contracts import Contract, award, in_house_rate, lease_upkeep
from ecosystem.names import ContractBasis, EventKind, OperatorKind
from ecosystem.world.landscape import URBAN, distances

if TYPE_CHECKING:
    from ecosystem.agents import Council
    from ecosystem.model import EcosystemModel
    from ecosystem.world.units import ServiceUnit

#: A devolution is for good: its funding agreement has no end date to re-tender at
#: ('devolving complete services and functions' [002:L859]).
PERMANENT_MONTHS = 10**6


def parish_map(model: EcosystemModel) -> np.ndarray:
    """Each cell's parish number (-1: unparished urban core or empty land); cached on the model.

    A parish is the populated town, village and sparse cells nearest one town or village
    centre, within one principal council's territory.
    """
    if model.parish_area is not None:
        return model.parish_area
    land = model.land
    area = np.full(land.shape, -1, dtype=np.int32)
    cells = np.argwhere((land.households > 0) & (land.settlement != URBAN))
    if land.parish_centres and len(cells):
        nearest = distances(cells, np.array(land.parish_centres)).argmin(axis=1)
        councils = land.council[cells[:, 0], cells[:, 1]].astype(np.int64)
        area[cells[:, 0], cells[:, 1]] = councils * len(land.parish_centres) + nearest
    model.parish_area = area
    return area


def parished(model: EcosystemModel, unit: ServiceUnit) -> bool:
    """Whether the unit's site lies in a parished area."""
    return bool(parish_map(model)[unit.cell.coordinate] >= 0)


def parish_capacity(model: EcosystemModel, parish: int) -> float:
    """Household-weighted community capacity of the parish's area now (0..1)."""
    inside = parish_map(model) == parish
    households = model.land.households[inside]
    capacity = model.grid.community_capacity.data[inside]
    return float(np.average(capacity, weights=households)) if households.sum() > 0 else 0.0


def parish_for(model: EcosystemModel, council: Council, parish: int) -> ParishCouncil:
    """The parish council of `parish`, set up the first time a service is devolved to it."""
    existing = model.parishes.get(parish)
    if existing is not None and existing.failed_at is None and existing in model.agents:
        return existing
    households = float(model.land.households[parish_map(model) == parish].sum())
    created = ParishCouncil(model, council.index, parish, households)
    model.parishes[parish] = created
    return created


def devolve_to_parishes(model: EcosystemModel, council: Council,
                        units: list[ServiceUnit]) -> bool:
    """Transition: offer each of the service's units in parished areas to its parish.

    A parish with the capacity (chance: its area's community capacity) takes the unit with
    `parishes.budget_share` of its in-house budget as a standing grant; a building passes to
    it as an asset transfer, whose upkeep share (`capacity.lease_upkeep`) it then meets
    itself and whose sale the council forgoes [002:L681]. Units in urban cores, and those a
    parish declines, stay in-house.

    Returns:
        True: a devolution needs no start-up money from the council.
    """
    share = model.params.parishes.budget_share
    for unit in [u for u in units if parished(model, u)]:
        number = int(parish_map(model)[unit.cell.coordinate])
        if model.rng.random() >= parish_capacity(model, number):
            model.parish_declines += 1
            continue
        parish = parish_for(model, council, number)
        grant = share * in_house_rate(council, unit)
        if unit.spec.building:
            grant = max(grant - lease_upkeep(model, parish, unit), 0.0)
            model.receipts_forgone += unit.capital_receipt()
        award(Contract(council, parish, unit, grant, 0.0, ContractBasis.GRANT, model.month,
                       model.month + PERMANENT_MONTHS))
        model.parish_devolutions += 1
        model.record_event(EventKind.ASSET_TRANSFER, council.index, unit.index,
                           f"a review chose parish devolution ({share:.0%} of its budget)",
                           OperatorKind.COMMUNITY)
    return True
