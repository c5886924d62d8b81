"""Employee-owned mutuals spun out of council teams."""

from __future__ import annotations

from ecosystem.agents.provider import Provider


class Mutual(Provider):
    """A public service mutual.

    Staff engagement lowers its costs slightly [004:L37]; it is most exposed at its first
    re-tender [002:L548], which the procurement issue models.
    """

    kind = "mutual"

    def cost_multiplier(self) -> float:
        """Efficiency and shock, less the staff-engagement bonus."""
        bonus = self.model.scenario.funding.mutual_engagement_bonus
        return super().cost_multiplier() * (1.0 - bonus)
