"""Volunteers: residents who give time to a community-run or co-produced service."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa

from ecosystem.population.volunteering import ACTIVE_HOURS

if TYPE_CHECKING:
    from mesa.discrete_space import Cell

    from ecosystem.agents.resident import Resident
    from ecosystem.model import EcosystemModel
    from ecosystem.world.units import ServiceUnit



class Volunteer(mesa.Agent["EcosystemModel"]):
    """The volunteers of one resident cluster.

    Their state lives in the model's `VolunteerArrays`, updated as array code; this object
    reads it. It is enrolled when first asked for (`model.active_volunteers()`,
    `model.volunteer_of(i)`, `resident.volunteer`) while the cluster volunteers, and then
    kept, so a volunteer who stops and comes back is the same agent (no object churn);
    `active` says whether they volunteer this month.
    """

    def __init__(self, model: EcosystemModel, resident: Resident) -> None:
        super().__init__(model)
        self.resident = resident

    @property
    def cell(self) -> Cell:
        """The cell its households live on."""
        return self.resident.cell

    @property
    def hours(self) -> float:
        """Hours a month given by this cluster's volunteers."""
        return float(self.model.volunteering.hours[self.resident.index])

    @property
    def active(self) -> bool:
        """Volunteering at least an hour this month."""
        return self.hours >= ACTIVE_HOURS

    @property
    def unit(self) -> ServiceUnit | None:
        """The unit they mostly serve, or None."""
        unit_id = int(self.model.volunteering.unit[self.resident.index])
        return None if unit_id < 0 else self.model.units[unit_id]

    @property
    def months_active(self) -> int:
        """Months they have volunteered without a break."""
        return int(self.model.volunteering.tenure[self.resident.index])

    @property
    def key_person(self) -> bool:
        """Among the most committed tenth of volunteers."""
        return bool(self.model.volunteering.key_person[self.resident.index])

    @property
    def burnout(self) -> float:
        """Accumulated burnout, 0..1."""
        return float(self.model.volunteering.burnout[self.resident.index])
