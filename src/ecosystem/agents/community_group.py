"""Community groups: run by volunteers, dependent on key people and on support."""

from __future__ import annotations

from ecosystem.agents.provider import Provider


class CommunityGroup(Provider):
    """A volunteer-run group that usually runs one unit.

    Its volunteers do much of the work; it depends on a key person [002:L353] (losing one
    halves what its volunteers achieve until someone steps up) and on the council's
    capacity-building grants [002:L693].
    """

    kind = "community"

    def __init__(self, model, home_council: int) -> None:
        super().__init__(model, home_council)
        self.has_key_person = True

    def volunteer_effectiveness(self) -> float:
        """Share of volunteer hours that turn into delivered work."""
        return 1.0 if self.has_key_person else 0.5

    def key_person_turnover(self, capacity: float) -> None:
        """A key person may leave; a new one may step up where community capacity is high."""
        rng = self.model.rng
        if self.has_key_person:
            self.has_key_person = rng.random() >= self.model.scenario.population.key_person_hazard
        else:
            chance = self.model.scenario.capacity.key_person_replacement * capacity
            self.has_key_person = rng.random() < chance
