"""Volunteers: residents who give time to a community-run or co-produced service."""

from __future__ import annotations

from mesa.discrete_space import FixedAgent


class Volunteer(FixedAgent):
    """The volunteers of one resident cluster, while they give at least an hour a month.

    Their state (hours, the unit served, tenure, key-person flag, burnout) lives in the
    model's `VolunteerArrays`, updated as array code; this object is their identity.
    """

    def __init__(self, model, resident) -> None:
        super().__init__(model)
        self.resident = resident
        self.cell = resident.cell

    @property
    def hours(self) -> float:
        """Hours a month given by this cluster's volunteers."""
        return float(self.model.volunteering.hours[self.resident.index])

    @property
    def unit(self):
        """The unit they mostly serve, or None."""
        unit_id = int(self.model.volunteering.unit[self.resident.index])
        return None if unit_id < 0 else self.model.units[unit_id]

    @property
    def tenure(self) -> int:
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
