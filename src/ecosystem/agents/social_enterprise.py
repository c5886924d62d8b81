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
