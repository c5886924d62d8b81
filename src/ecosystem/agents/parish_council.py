"""Parish and town councils: a lower tier that raises a precept and can take devolved services."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ecosystem.agents.provider import Provider
from ecosystem.names import Income, OperatorKind

if TYPE_CHECKING:
    from ecosystem.model import EcosystemModel

#: Months of its service precept a parish holds in reserve when it takes on its first
#: devolved service (parishes keep general reserves; assumed; plausible range 3 to 12).
OPENING_RESERVE_MONTHS = 6


class ParishCouncil(Provider):
    """The parish or town council of one town or village and the countryside around it.

    It is an elected local body, not a firm: it runs services devolved to it by its
    principal council [002:L859] (even statutory ones could be [002:L260]) on the budget
    passed down with them, topped up from its own precept and the local volunteers it draws
    on. It counts among community operators in the operator-share metrics (local, run by
    volunteers and councillors), and has metrics of its own (`parish_devolutions`,
    `parish_precept_spend`).

    Attributes:
        parish: its number in the map's parish layer (see `parish_devolution.parish_map`).
        households: households in its area, who pay its precept.
    """

    kind = OperatorKind.COMMUNITY

    def __init__(self, model: EcosystemModel, home_council: int, parish: int,
                 households: float) -> None:
        super().__init__(model, home_council)
        self.parish = parish
        self.households = households
        self.endow(OPENING_RESERVE_MONTHS * self.service_precept)

    @property
    def service_precept(self) -> float:
        """What its precept puts towards devolved services each month (GBP k)."""
        parishes = self.model.params.parishes
        return parishes.precept_per_household * parishes.precept_service_share \
            * self.households / 12 / 1000

    def new_month(self) -> None:
        """Reset the books, then the month's share of the precept comes in."""
        super().new_month()
        self.book(Income.PRECEPT, self.service_precept)

    def settle(self) -> bool:
        """Close the month; the precept that topped up its services is counted first."""
        precept = self.income[Income.PRECEPT]
        other = self.monthly_income - precept
        self.model.parish_precept_spend += float(np.clip(self.costs - other, 0.0, precept))
        return super().settle()
