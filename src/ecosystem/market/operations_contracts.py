"""Outsourcing as Defra defines it: the operation is contracted out, the ownership kept.

'Subcontracting processes, services and/or whole operations to a third party organisation
while retaining overall ownership' [000:L23], as distinct from commissioning externally, where
the council simply uses contractors [000:L16] (`ReviewOption.OUTSOURCE`). An operations
contract is let through the usual tender, but the council keeps the unit (its building and
assets): when the operator fails, performs poorly or its contract ends with no one to take
it on, the unit reverts to the council, open, instead of closing, so no building is sold.
The risk that cannot be outsourced stays with the council: residents 'will rightly hold the
local authority ultimately responsible' for a contractor's 'mediocre or incompetent
performance' [002:L299], so a failing operator costs the council trust as a provider failure
does (`councils.reputation_loss_per_failure`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ecosystem.agents import Council
from ecosystem.market.contracts import bring_in_house
from ecosystem.market.procurement import open_tenders
from ecosystem.names import EventKind
from ecosystem.world.units import ServiceUnit

if TYPE_CHECKING:
    from ecosystem.model import EcosystemModel


def contract_out_operations(model: EcosystemModel, council: Council,
                            units: list[ServiceUnit]) -> bool:
    """A review chose an operations contract: tender the units' operation, keep their ownership.

    Returns:
        False if the council could afford to tender none of them this month.
    """
    tenders = open_tenders(model, council, units)
    for tender in tenders:
        for unit in tender.units:
            unit.ownership_retained = True
    return bool(tenders)


def return_to_owner(model: EcosystemModel, council: Council, unit: ServiceUnit,
                    why: str) -> None:
    """The operator is gone: the unit reverts to the council that owns it, and stays open."""
    model.record_event(EventKind.OPERATIONS_RETURNED, council.index, unit.index, why,
                       unit.operator_kind)
    model.operations_returned += 1
    bring_in_house(council, unit)
    unit.clear_standard()


def answer_for_operator(council: Council, unit: ServiceUnit) -> None:
    """The operator of a unit the council owns failed it: the council loses trust [002:L299].

    Other units are unaffected (the baseline's rule: only provider failures cost trust).
    """
    if unit.ownership_retained:
        council.blame()
