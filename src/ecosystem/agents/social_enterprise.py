"""Social enterprises: trading income, surplus reinvested."""

from __future__ import annotations

from ecosystem.agents.provider import Provider
from ecosystem.names import OperatorKind

#: Trading income relative to a typical operator (assumed) [000:L32].
TRADING_BOOST = 1.5
#: Reserves, in months of costs, above which it reinvests (assumed).
REINVEST_RESERVE_MONTHS = 3
#: Monthly gain in capability while reinvesting, and the most it can reach (assumed).
REINVESTMENT_GAIN = 0.002
MAX_CAPABILITY = 0.95


class SocialEnterprise(Provider):
    """A social enterprise: trading income, surplus reinvested.

    It earns more trading income where the service allows and reinvests surplus in quality
    rather than paying it out [000:L32].
    """

    kind = OperatorKind.SOCIAL_ENTERPRISE

    def trading_factor(self) -> float:
        """How much more trading income it earns than a typical operator."""
        return TRADING_BOOST

    def grow(self) -> None:
        """Doing well, it reinvests in quality and widens its scope.

        Each year a healthy social enterprise adds a service type it could run (social to
        cultural and environmental [000:L32]).
        """
        if self.reserves < REINVEST_RESERVE_MONTHS * max(self.costs, 1e-9):
            return
        self.capability = min(MAX_CAPABILITY, self.capability + REINVESTMENT_GAIN)
        if self.model.month % 12 == 0:
            catalogue = self.model.params.services.catalogue
            new = sorted(name for name, spec in catalogue.items() if name not in self.scope
                         and (spec.trading_share > 0 or spec.volunteerable > 0))
            if new:
                self.scope.add(new[int(self.model.rng.integers(len(new)))])
