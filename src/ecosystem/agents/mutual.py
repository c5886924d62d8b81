"""Employee-owned mutuals spun out of council teams."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ecosystem.agents.provider import CAPABILITY_BOUNDS, Provider
from ecosystem.names import Members, OperatorKind, TenderStatus

if TYPE_CHECKING:
    from ecosystem.market.procurement import Tender
    from ecosystem.model import EcosystemModel


class Mutual(Provider):
    """A public service mutual.

    Staff engagement lowers its costs slightly [004:L37]; it is most exposed at its first
    re-tender [002:L548]. Spun out without an exemption, it waits for the open tenders of
    its team's units and dissolves if it wins none.

    Owned by its staff it is a staff mutual; a co-operative is 'owned and controlled by
    [its] members' [000:L21], and a multi-stakeholder one has users and community members
    beside its employees [002:L534], whose voice counters producer capture: it gains
    `councils.cooperative_user_voice` of capability (see `form_cooperative`).

    Attributes:
        awaiting_tenders: the tenders that could give a new spin-out its first units.
        members: who owns and controls it (staff, or staff, users and community).
    """

    kind = OperatorKind.MUTUAL

    def __init__(self, model: EcosystemModel, home_council: int,
                 members: Members = Members.STAFF) -> None:
        super().__init__(model, home_council)
        self.awaiting_tenders: list[Tender] = []
        self.members = members
        if members == Members.MULTI_STAKEHOLDER:
            self.capability = min(self.capability + model.params.councils.cooperative_user_voice,
                                  CAPABILITY_BOUNDS[1])

    def cost_multiplier(self) -> float:
        """Efficiency and shock, less the staff-engagement bonus."""
        bonus = self.model.params.funding.mutual_engagement_bonus
        return super().cost_multiplier() * (1.0 - bonus)

    def await_tenders(self, tenders: list[Tender]) -> None:
        """It bids for its team's units in these open tenders."""
        self.awaiting_tenders = list(tenders)

    @property
    def awaiting_work(self) -> bool:
        """Still waiting for tenders that could give it its first units."""
        return bool(self.awaiting_tenders)

    def hear_tender_results(self) -> bool:
        """Once all its tenders have closed, stop waiting; True if it then formed (has units)."""
        if not self.awaiting_tenders or any(t.status == TenderStatus.OPEN
                                            for t in self.awaiting_tenders):
            return False
        self.awaiting_tenders = []
        return bool(self.units)
