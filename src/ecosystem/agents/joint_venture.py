"""Joint venture companies: a council and private partners co-own a service company."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ecosystem.agents.private_firm import PrivateFirm
from ecosystem.names import Income

if TYPE_CHECKING:
    from ecosystem.model import EcosystemModel

#: Yearly growth of a joint venture's turnover while it trades at a profit, by selling to
#: other clients: Salford's Urban Vision grew from GBP 23.6m (2005) to GBP 36.5m (2011) selling
#: to more than 230 clients [002:L396] (Calc: (36.5 / 23.6) ** (1 / 6) - 1, about 0.075).
EXTERNAL_GROWTH = 0.075


class JointVentureCompany(PrivateFirm):
    """A company the council co-owns with private partners that run its services [002:L381].

    It is a private firm (majority partner-owned: Salford's council held 19.9% [002:L381])
    whose partners bring 'expertise, capacity or capital' [002:L359]: a cut in delivery cost
    (`transformation`, drawn per venture). The risk of realising the savings is transferred
    to the partners [002:L381]: they carry its losses, so it never becomes insolvent and never
    cuts delivery to its income; whether a loss-making venture is dissolved is decided by
    `ecosystem.market.joint_ventures`. While it trades at a profit it sells to other
    clients, and its turnover grows [002:L396].

    Attributes:
        council_index: the council that co-owns it.
        transformation: the share of delivery cost its partners cut.
        council_turnover: monthly value of its contracts with the council at formation.
        external_sales: monthly sales to other clients (GBP k).
    """

    def __init__(self, model: EcosystemModel, home_council: int) -> None:
        super().__init__(model, home_council)
        councils = model.params.councils
        self.council_index = home_council
        self.transformation = float(np.clip(model.rng.normal(
            councils.joint_venture_transformation,
            councils.joint_venture_transformation_spread), 0.0, 0.9))
        self.council_turnover = 0.0
        self.external_sales = 0.0

    def cost_multiplier(self) -> float:
        """A private firm's cost, less the partners' transformation."""
        return super().cost_multiplier() * (1.0 - self.transformation)

    @property
    def in_distress(self) -> bool:
        """Never: its partners carry its losses [002:L381]."""
        return False

    @property
    def losses(self) -> float:
        """Losses its partners carry (GBP k): its reserves below zero."""
        return max(-self.reserves, 0.0)

    def new_month(self) -> None:
        """Open the books; sales to other clients earn the margin a private firm prices in."""
        super().new_month()
        if self.external_sales > 0:
            self.book(Income.TRADING, self.external_sales)
            self.incur(self.external_sales / self.price_markup())

    def settle(self) -> bool:
        """Close the month's books; never insolvent (see the class)."""
        super().settle()
        return False

    def grow(self) -> None:
        """In profit, its whole turnover grows by selling to other clients [002:L396]."""
        if self.reserves < 0 or self.council_turnover <= 0:
            return
        total = self.council_turnover + self.external_sales
        self.external_sales = total * (1 + EXTERNAL_GROWTH) ** (1 / 12) - self.council_turnover
