"""Social enterprises: trading income, surplus reinvested."""

from __future__ import annotations

from ecosystem.agents.provider import Provider


class SocialEnterprise(Provider):
    """A social enterprise: trading income, surplus reinvested.

    It earns more trading income where the service allows and reinvests surplus in quality
    rather than paying it out [000:L32].
    """

    kind = "social_enterprise"
    trading_boost = 1.5

    def trading_factor(self) -> float:
        """How much more trading income it earns than a typical operator."""
        return self.trading_boost

    def grow(self) -> None:
        """Doing well, it reinvests in quality and widens its scope.

        Each year a healthy social enterprise adds a service type it could run (social to
        cultural and environmental [000:L32]).
        """
        if self.reserves < 3 * max(self.costs, 1e-9):
            return
        self.capability = min(0.95, self.capability + 0.002)
        if self.model.month % 12 == 0:
            catalogue = self.model.scenario.services.catalogue
            new = sorted(name for name, spec in catalogue.items() if name not in self.scope
                         and (spec.trading_share > 0 or spec.volunteerable > 0))
            if new:
                self.scope.add(new[int(self.model.rng.integers(len(new)))])
