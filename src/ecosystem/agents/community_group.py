"""Community groups: run by volunteers, dependent on key people and on support."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ecosystem.agents.provider import Provider
from ecosystem.names import OperatorKind

if TYPE_CHECKING:
    from ecosystem.model import EcosystemModel

#: Share of volunteer hours that still turn into work while a group has no key person
#: (assumed).
EFFECTIVENESS_WITHOUT_KEY_PERSON = 0.5


class CommunityGroup(Provider):
    """A volunteer-run group that usually runs one unit.

    Its volunteers do much of the work; it depends on a key person [002:L353] (losing one
    halves what its volunteers achieve until someone steps up) and on the council's
    capacity-building grants [002:L693].
    """

    kind = OperatorKind.COMMUNITY

    def __init__(self, model: EcosystemModel, home_council: int) -> None:
        super().__init__(model, home_council)
        self.has_key_person = True

    def volunteer_effectiveness(self) -> float:
        """Share of volunteer hours that turn into delivered work."""
        return 1.0 if self.has_key_person else EFFECTIVENESS_WITHOUT_KEY_PERSON

    def look_for_key_people(self) -> None:
        """A key person may leave; a new one may step up where community capacity is high."""
        cell = self.units[0].cell.coordinate if self.units else None
        capacity = float(self.model.grid.community_capacity.data[cell]) if cell else 0.0
        rng, params = self.model.rng, self.model.params
        if self.has_key_person:
            self.has_key_person = rng.random() >= params.population.key_person_hazard
        else:
            chance = params.capacity.key_person_replacement * capacity
            self.has_key_person = rng.random() < chance
