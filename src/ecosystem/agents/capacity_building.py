"""A council's capacity building: community support, commissioning training, provider support.

`CapacityBuilding` is a part of `Council`, as `SavingsPlan` is; its methods spend the
council's budget through the `Builder` interface below.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from ecosystem.names import Income, OperatorKind, Spending

if TYPE_CHECKING:
    from ecosystem.model import EcosystemModel
    from ecosystem.scenario.schema import Scenario

#: Training spend (GBP k/year) at which training has half its full effect (assumed).
TRAINING_HALF_EFFECT = 100.0


class Builder(Protocol):
    """What capacity building reads and sets on the council it is part of (`Council`)."""

    model: EcosystemModel
    index: int
    commissioning_skill: float
    frozen: bool

    @property
    def params(self) -> Scenario:
        """`OwnDecisions.params`."""

    def afford(self, amount: float) -> bool:
        """`Council.afford`."""

    def pay(self, purpose: Spending, amount: float) -> None:
        """`Council.pay`."""

    def support_communities(self) -> None:
        """`CapacityBuilding.support_communities`."""

    def train_commissioners(self) -> None:
        """`CapacityBuilding.train_commissioners`."""

    def support_young_providers(self) -> None:
        """`CapacityBuilding.support_young_providers`."""


class CapacityBuilding:
    """A council's monthly capacity building: the methods `Council` takes from it."""

    def build_capacity(self: Builder) -> None:
        """This month's capacity building: community support, training, provider support.

        None of it happens under an emergency spending freeze.
        """
        if self.frozen:
            return
        self.support_communities()
        self.train_commissioners()
        self.support_young_providers()

    def support_communities(self: Builder) -> None:
        """Capacity-building spend: a share as grants to its community groups."""
        cap, ledger = self.params.capacity, self.model.ledger
        amount = cap.community_support / 12.0
        if not self.afford(amount):
            return
        groups = [p for p in self.model.providers_of(self.index)
                  if p.kind == OperatorKind.COMMUNITY]
        grants = cap.support_grant_share * amount if groups else 0.0
        for group in groups:
            group.book(Income.GRANT, grants / len(groups))
        self.pay(Spending.SUPPORT, amount)
        ledger.grants += grants
        ledger.capacity_building += amount - grants

    def train_commissioners(self: Builder) -> None:
        """Commissioning training raises skill, 'the greatest single determinant' [002:L819]."""
        capacity = self.params.capacity
        spend = capacity.commissioning_training / 12.0
        if spend <= 0 or not self.afford(spend):
            return
        self.pay(Spending.TRAINING, spend)
        self.model.ledger.training += spend
        intensity = capacity.commissioning_training / (
            capacity.commissioning_training + TRAINING_HALF_EFFECT)
        gain = capacity.training_effect * intensity * (1.0 - self.commissioning_skill)
        self.commissioning_skill = min(1.0, self.commissioning_skill + gain)

    def support_young_providers(self: Builder) -> None:
        """Provider support: grants to its providers under three years old."""
        spend = self.model.params.capacity.provider_support / 12.0
        young = [p for p in self.model.providers_of(self.index) if p.young]
        if spend <= 0 or not young or not self.afford(spend):
            return
        self.pay(Spending.SUPPORT, spend)
        self.model.ledger.grants += spend
        for provider in young:
            provider.book(Income.GRANT, spend / len(young))
