"""Private firms: a profit margin, scale economies, and the option to walk away."""

from __future__ import annotations

import numpy as np

from ecosystem.agents.provider import Provider
from ecosystem.names import OperatorKind
from ecosystem.world.units import ServiceUnit

#: Scale economies never take a firm's costs below this share (assumed).
SCALE_COST_FLOOR = 0.6


class PrivateFirm(Provider):
    """A commercial contractor.

    It prices in a margin, gets cheaper per unit as it runs more units (scale economies
    [002:L415]), and declines to renew work that no longer covers its costs.
    """

    kind = OperatorKind.PRIVATE

    def cost_multiplier(self) -> float:
        """Efficiency and shock, less scale economies per doubling of units run."""
        economy = self.model.params.funding.scale_economy * np.log2(max(len(self.units), 1))
        return super().cost_multiplier() * max(SCALE_COST_FLOOR, 1.0 - economy)

    def price_markup(self) -> float:
        """Cost plus its margin."""
        return 1.0 + self.model.params.funding.private_margin

    @property
    def local_share(self) -> float:
        """Share of its spend that stays in the area: less for a firm based elsewhere."""
        return self.model.params.funding.local_share_private

    def unit_cost_factor(self, unit: ServiceUnit) -> float:
        """Travel to rural sites costs a non-local firm more [000:L44]."""
        rurality = float(self.model.land.rurality[unit.cell.coordinate])
        return 1.0 + self.model.params.funding.rural_travel_cost * rurality
