"""Residents: clusters of households whose state lives in the model's arrays."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
from mesa.discrete_space import Cell

if TYPE_CHECKING:
    from ecosystem.agents.volunteer import Volunteer
    from ecosystem.model import EcosystemModel
    from ecosystem.world.units import ServiceUnit


class Resident(mesa.Agent["EcosystemModel"]):
    """A cluster of households on one cell (`population.households_per_agent` by default).

    Residents are the bulk of the agents, so their monthly work (need, access, satisfaction,
    volunteering) is array code in `ResidentArrays` and `VolunteerArrays`; this object gives
    each cluster an identity on the map and read-only views of its state in those arrays.
    It stays on its cell for the whole run; the cell is looked up when asked for, which keeps
    building 100k residents cheap.
    """

    def __init__(self, model: EcosystemModel, index: int) -> None:
        super().__init__(model)
        self.index = index

    @property
    def cell(self) -> Cell:
        """The grid cell it lives on."""
        res = self.model.residents
        return self.model.grid[(int(res.cell_x[self.index]), int(res.cell_y[self.index]))]

    @property
    def households(self) -> int:
        """Households in this cluster."""
        return int(self.model.residents.households[self.index])

    @property
    def need(self) -> dict[str, float]:
        """This month's need per service type (need units)."""
        res = self.model.residents
        return {name: float(res.need[s, self.index]) for s, name in enumerate(res.services)}

    @property
    def served(self) -> dict[str, float]:
        """This month's need met per service type (need units)."""
        res = self.model.residents
        return {name: float(res.served[s, self.index]) for s, name in enumerate(res.services)}

    @property
    def unmet(self) -> dict[str, float]:
        """This month's unmet need per service type."""
        need, served = self.need, self.served
        return {name: need[name] - served[name] for name in need}

    @property
    def was_served(self) -> dict[str, bool]:
        """Whether all of this month's need of each service type was met."""
        need, served = self.need, self.served
        return {name: need[name] <= served[name] for name in need}

    @property
    def units_used(self) -> dict[str, ServiceUnit | None]:
        """The unit that first served each service type this month (None: none did)."""
        res, units = self.model.residents, self.model.units
        used: dict[str, ServiceUnit | None] = {}
        for s, name in enumerate(res.services):
            unit = int(res.unit_used[s, self.index]) if res.allocation else len(units)
            used[name] = units[unit] if unit < len(units) else None
        return used

    @property
    def satisfaction(self) -> float:
        """Satisfaction with local services, 0..1."""
        return float(self.model.residents.satisfaction[self.index])

    @property
    def trust(self) -> float:
        """Trust in the council, 0..1."""
        return float(self.model.residents.trust[self.index])

    @property
    def volunteer(self) -> Volunteer | None:
        """Its volunteers' agent, if they volunteer now or once did."""
        return self.model.volunteer_of(self.index)

    @property
    def volunteer_hours(self) -> float:
        """Hours a month its households give as volunteers."""
        return float(self.model.volunteering.hours[self.index])
