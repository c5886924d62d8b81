"""Residents: clusters of households whose state lives in the model's arrays."""

from __future__ import annotations

from mesa.discrete_space import FixedAgent


class Resident(FixedAgent):
    """A cluster of households on one cell (`population.households_per_agent` by default).

    Residents are the bulk of the agents, so their monthly work (need, access, satisfaction,
    volunteering) is array code in `ResidentArrays`; this object gives each cluster an
    identity on the map and reads its state from those arrays.
    """

    def __init__(self, model, index: int, cell) -> None:
        super().__init__(model)
        self.index = index
        self.cell = cell

    @property
    def households(self) -> int:
        """Households in this cluster."""
        return int(self.model.residents.households[self.index])

    @property
    def satisfaction(self) -> float:
        """Satisfaction with local services, 0..1."""
        return float(self.model.residents.satisfaction[self.index])

    @property
    def trust(self) -> float:
        """Trust in the council, 0..1."""
        return float(self.model.residents.trust[self.index])

    @property
    def need(self) -> dict[str, float]:
        """This month's need per service type."""
        res = self.model.residents
        return {name: float(res.need[s, self.index]) for s, name in enumerate(res.services)}

    @property
    def unmet(self) -> dict[str, float]:
        """This month's unmet need per service type."""
        res = self.model.residents
        return {
            name: float(res.need[s, self.index] - res.served[s, self.index])
            for s, name in enumerate(res.services)
        }
