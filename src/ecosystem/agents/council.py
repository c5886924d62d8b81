"""Councils: budgets, an in-house team, contracts, capacity building and elections."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import mesa
import numpy as np

from ecosystem.agents.capacity_building import CapacityBuilding
from ecosystem.agents.own_decisions import OwnDecisions
from ecosystem.agents.savings_plan import SavingsPlan
from ecosystem.names import EventKind, OperatorKind, ReviewStatus, Spending
from ecosystem.world.units import MEAN_CAPABILITY, ServiceUnit

if TYPE_CHECKING:
    from ecosystem.market.contracts import Contract
    from ecosystem.market.reviews import Review
    from ecosystem.model import EcosystemModel
    from ecosystem.scenario.schema import Scenario

#: Beta shape `a` of staff enthusiasm for a mutual; `b` is set so the mean is the
#: scenario's `councils.staff_enthusiasm` (mostly low [002:L542]).
ENTHUSIASM_SHAPE = 2.0
#: Standard deviation of the shift in ideology when control changes at an election (assumed).
IDEOLOGY_SWING = 0.5
#: Chance that a running review is stopped when control changes [002:L367] (assumed).
REVIEW_STOP_ON_CHANGE = 0.5
#: Chance that a shared-service partnership breaks when control changes [002:L367] (assumed).
SHARING_BREAK_ON_CHANGE = 0.3
#: A council plans each month's spending with this margin over its estimate, so that need
#: growing within the month does not take reserves below the floor (assumed).
SPENDING_MARGIN = 1.05
#: Spending claims in the order an emergency freeze pays them: statutory services (in-house
#: and contracted) first, then other contracts, then its own discretionary services.
RATIONING_ORDER = ("statutory", "contracts", "discretionary")


class Council(SavingsPlan, CapacityBuilding, OwnDecisions, mesa.Agent["EcosystemModel"]):
    """A local council: commissioner of every unit in its territory and operator of some.

    Attributes:
        index: its number (territory id on the map).
        seat: the cell of its seat.
        base_budget: opening annual budget (GBP k/year); `budget` is this year's.
        reserves: usable reserves (GBP k).
        commissioning_skill, risk_appetite, ideology: dispositions (see the scenario).
        reputation: 0..1; falls when providers in its area fail [002:L299].
        units: units its own team runs (in-house).
        contracts: live contracts with providers.
        spend: this month's spend by purpose (in-house, contracts, support, ...).
        discretionary_factor: share of the full cost of its discretionary in-house units its
            savings plan can pay.
        service_levels: the service level (share of full hours) the plan runs each of them
            at; `level_for` gives a service's, `service_level` their mean.
        statutory_factor: the same for its statutory services, in-house or contracted (cut
            less): the service level they run at.
        saving: cost saving on a service from redesign or (flat) sharing.
        shared_saving: cost saving on a service from a shared-service arrangement.
        efficiency: cost its savings plans have stripped out of all its own services.
        shares_with: service -> index of the council it shares that service with (the
            host, in a shared-service arrangement).
        control_changed: whether control changed at its latest election.
        reviews: its running service reviews.
        staff_enthusiasm: per service team, enthusiasm for spinning out a mutual.
    """

    kind = OperatorKind.COUNCIL

    def __init__(self, model: EcosystemModel, index: int, seat: tuple[int, int]) -> None:
        super().__init__(model)
        councils = model.params.councils
        self.index = index
        self.seat = seat
        self.base_budget = 0.0
        self.budget = 0.0
        self.reserves = 0.0
        self.commissioning_skill = councils.commissioning_skill
        self.risk_appetite = councils.risk_appetite
        self.ideology = councils.ideology
        self.reputation = 1.0
        self.units: list[ServiceUnit] = []
        self.contracts: list[Contract] = []
        self.spend = _purposes()
        self.trading_income = 0.0
        self.partner_income = 0.0
        self.gain_share_income = 0.0  # its share of joint ventures' profits [002:L359]
        self.control_changed_at: int | None = None  # month of the last change of control
        self.year_spend = 0.0
        self.discretionary_factor = 1.0
        self.service_levels: dict[str, float] = {}  # the level it runs each service at
        self.statutory_factor = 1.0
        self.failures_seen = 0
        self.capability = MEAN_CAPABILITY  # the quality its team delivers when fully funded
        self.cost_shock = 1.0  # in-house teams carry no monthly cost shock
        self.saving: dict[str, float] = {}
        self.efficiency = 0.0  # cost stripped out of its own services by savings plans
        self.charging = 0.0  # charges added to its chargeable services by savings plans
        self.shares_with: dict[str, int] = {}
        self.shared_saving: dict[str, float] = {}  # from shared-service arrangements
        self.control_changed = False
        self.reviews: list[Review] = []
        self.staff_enthusiasm: dict[str, float] = {}
        self.frozen = False  # under an emergency spending freeze this month
        self.headroom = 0.0  # what is left this month for spending beyond its claims
        self.rationing = dict.fromkeys(RATIONING_ORDER, 1.0)  # share of each claim paid
        self.own_levers: dict[str, Any] = {}  # levers its team set (scenario.decisions)
        self.priorities: dict[str, str] = {}  # services its team protects or cuts first
        self._own_params: tuple[Scenario, Scenario] | None = None

    def draw_staff_enthusiasm(self) -> None:
        """Staff enthusiasm for a mutual, per service team: mostly low [002:L542]."""
        mean = self.model.params.councils.staff_enthusiasm
        services = self.model.params.services.catalogue
        if mean >= 1.0:  # every team wholly keen: the beta's second shape would be 0
            self.staff_enthusiasm = dict.fromkeys(services, 1.0)
            return
        b = ENTHUSIASM_SHAPE * (1 - mean) / max(mean, 1e-6)
        self.staff_enthusiasm = {name: float(self.model.rng.beta(ENTHUSIASM_SHAPE, b))
                                 for name in services}

    def raise_enthusiasm(self, before: float, after: float) -> None:
        """Staff enthusiasm rises when the scenario's mean rises mid-run.

        A co-operative council's staff get 'greater freedom and flexibility to innovate'
        [002:L500]. Each team keeps its rank: its distance from full enthusiasm shrinks by the same
        factor as the mean's. Nothing changes unless the mean rose.
        """
        if after <= before or before >= 1.0:
            return
        keep = (1.0 - after) / (1.0 - before)
        self.staff_enthusiasm = {name: 1.0 - keep * (1.0 - value)
                                 for name, value in self.staff_enthusiasm.items()}

    # ----- operator interface (the in-house team) ------------------------------------------

    def take_on(self, unit: ServiceUnit) -> None:
        """Run `unit` in-house."""
        self.units.append(unit)
        unit.hand_to(self, None)

    def release(self, unit: ServiceUnit) -> None:
        """Stop running `unit` in-house."""
        if unit in self.units:
            self.units.remove(unit)

    def cost_multiplier(self) -> float:
        """In-house teams have the common mean efficiency."""
        return 1.0

    def unit_cost_factor(self, unit: ServiceUnit) -> float:
        """Savings from efficiency, and from redesign or sharing of this unit's service."""
        return (1.0 - self.efficiency) * (1.0 - self.saving.get(unit.service, 0.0)) \
            * (1.0 - self.shared_saving.get(unit.service, 0.0))

    def trading_factor(self) -> float:
        """Councils earn the typical trading income of a service."""
        return 1.0

    def charge(self, unit: ServiceUnit) -> float:
        """Its added charge on `unit`: chargeable discretionary services, while trading lasts."""
        if unit.spec.statutory or unit.spec.trading_share <= 0 \
                or not self.model.params.funding.trading_allowed:
            return 0.0
        return self.charging

    def volunteer_effectiveness(self) -> float:
        """Volunteers working with a council team do their full share."""
        return 1.0

    @property
    def local_share(self) -> float:
        """Share of its spend that stays in the area."""
        return self.model.params.funding.local_share_local

    # ----- the year ------------------------------------------------------------------------

    def open_budget(self) -> None:
        """Month 0: the budget is the cost of all it commissions, times the headroom."""
        params = self.params
        in_house = sum(unit.net_cost(self) for unit in self.units)
        contracts = sum(c.monthly_value for c in self.contracts)
        annual = 12 * (in_house + contracts) + params.capacity.community_support
        self.base_budget = params.councils.budget_headroom * annual
        self.reserves = params.councils.reserves_share * self.base_budget

    def can_take_back(self) -> bool:
        """Whether it can afford to run a returning unit in-house."""
        return self.discretionary_factor >= self.model.params.councils.take_back_threshold

    # ----- the month -----------------------------------------------------------------------

    def new_month(self) -> None:
        """Reset this month's spend and income."""
        self.spend = _purposes()
        self.trading_income = 0.0
        self.partner_income = 0.0
        self.gain_share_income = 0.0

    def plan_month(self) -> None:
        """The balanced-budget duty: keep reserves above the floor, by a freeze if need be.

        The council estimates the month's claims. If paying them all would take its reserves
        below `councils.reserves_floor` of its budget, it issues an emergency spending freeze:
        capacity building, training and reviews stop, and the cash it has is paid out to
        statutory services first, then contracts, then its own discretionary services.
        """
        claims = self._monthly_claims()
        params = self.params
        optional = (params.capacity.community_support + params.capacity.commissioning_training
                    + params.capacity.provider_support) / 12 \
            + params.councils.review_cost * len(self.reviews)
        cash = self.reserves + self.budget / 12 - params.councils.reserves_floor * self.budget
        was_frozen = self.frozen
        self.frozen = cash < SPENDING_MARGIN * (sum(claims.values()) + optional)
        self.rationing = dict.fromkeys(RATIONING_ORDER, 1.0)
        self.headroom = 0.0 if self.frozen else cash - SPENDING_MARGIN * sum(claims.values())
        if not self.frozen:
            return
        cash = max(cash, 0.0) / SPENDING_MARGIN
        for claim in RATIONING_ORDER:  # a claim it did not expect is paid only if cash is left
            self.rationing[claim] = min(1.0, cash / claims[claim]) if claims[claim] > 0 \
                else float(cash > 0)
            cash -= self.rationing[claim] * claims[claim]
        if not was_frozen:
            self.model.record_event(EventKind.SPENDING_FREEZE, self.index, -1,
                                    "this month's spending would take reserves below the "
                                    f"floor; statutory paid at {self.rationing['statutory']:.0%}"
                                    f", contracts {self.rationing['contracts']:.0%}, own "
                                    f"services {self.rationing['discretionary']:.0%}")

    def _monthly_claims(self) -> dict[str, float]:
        """This month's expected spending on each claim, at current need and funding rates.

        A contract's payment-by-results arrears count in full, since they fall due at once if
        it ends, under the claim its unit is paid from.
        """
        in_house = [u for u in self.units if u.is_open]
        claims = {"statutory": sum(u.net_cost(self) for u in in_house if u.spec.statutory),
                  "contracts": 0.0,
                  "discretionary": sum(u.allocation for u in in_house if not u.spec.statutory)}
        for c in self.contracts:
            claims["statutory" if c.unit.spec.statutory else "contracts"] += \
                c.monthly_value + sum(c.arrears)
        return claims

    def afford(self, amount: float) -> bool:
        """Whether spending `amount` beyond this month's claims keeps it above the floor.

        If so, the amount is set aside from the month's headroom. Tenders, reviews, capacity
        building and start-up grants all ask first; under a freeze the answer is no.
        """
        if amount > self.headroom:
            return False
        self.headroom -= amount
        return True

    def rationed(self, unit: ServiceUnit, amount: float) -> float:
        """What it can pay of `amount` owed for `unit` this month (all of it unless frozen)."""
        if unit.spec.statutory:
            return amount * self.rationing["statutory"]
        return amount * self.rationing["discretionary" if unit.in_house else "contracts"]

    def pay(self, purpose: Spending, amount: float) -> None:
        """Record spending for a purpose."""
        self.spend[purpose] += amount

    def earn_trading(self, amount: float) -> None:
        """Trading income its in-house units earned."""
        self.trading_income += amount

    def receive_partner_funding(self, amount: float) -> None:
        """A partner (health) paid part of its costs."""
        self.partner_income += amount

    def receive_gain_share(self, amount: float) -> None:
        """Its share of a joint venture's profits [002:L359]."""
        self.gain_share_income += amount

    def close_month(self) -> None:
        """Move the month's balance into reserves (trading, partner income, gain share)."""
        total = self.monthly_spend
        self.year_spend += total
        self.reserves += self.budget / 12.0 - total + self.trading_income + self.partner_income \
            + self.gain_share_income

    @property
    def monthly_spend(self) -> float:
        """Total spent this month."""
        return sum(self.spend.values())

    def blame(self, failures: int = 1) -> None:
        """Provider failure in its area damages the council too [002:L299]."""
        loss = self.model.params.councils.reputation_loss_per_failure
        self.reputation = max(0.0, self.reputation - loss * failures)
        self.failures_seen += failures

    # ----- contracts, reviews, savings -----------------------------------------------------

    def sign(self, contract: Contract) -> None:
        """A contract it let starts."""
        self.contracts.append(contract)

    def end(self, contract: Contract) -> None:
        """A contract of its ends."""
        self.contracts.remove(contract)

    def add_review(self, review: Review) -> None:
        """A review of one of its services starts."""
        self.reviews.append(review)

    def reviewing(self, service: str) -> bool:
        """Whether a review of `service` is running."""
        return any(r.service == service and r.status == ReviewStatus.RUNNING
                   for r in self.reviews)

    def drop_finished_reviews(self) -> None:
        """Forget reviews that completed or stopped."""
        self.reviews = [r for r in self.reviews if r.status == ReviewStatus.RUNNING]

    def adopt_saving(self, service: str, saving: float) -> None:
        """A redesign or a partnership saves a share of a service's cost."""
        self.saving[service] = max(self.saving.get(service, 0.0), saving)

    def share_service(self, service: str, partner: Council, saving: float) -> None:
        """Share a service with `partner`: both save [002:L424]."""
        self.shares_with[service] = partner.index
        self.adopt_saving(service, saving)

    def end_sharing(self, service: str) -> None:
        """Its partnership for `service` breaks: both councils lose the saving."""
        partner = self.model.councils[self.shares_with[service]]
        self.leave_sharing(service)
        partner.leave_sharing(service)
        self.model.shared_services_ended += 1

    def leave_sharing(self, service: str) -> None:
        """It no longer shares `service`, and loses the saving."""
        self.shares_with.pop(service, None)
        self.saving.pop(service, None)

    def hold_election(self) -> None:
        """Control may change: ideology shifts, reviews stop, partnerships break [002:L367].

        Flat sharing breaks here by chance; shared-service arrangements are re-agreed by
        their members after the elections (`market.shared_services.after_elections`).

        Each election is an event (`election`) saying whether control changed and, if so,
        where the new administration stands and what it stopped.
        """
        rng = self.model.rng
        self.control_changed = False
        if rng.random() >= self.model.params.councils.control_change_probability:
            self.model.record_event(EventKind.ELECTION, self.index, -1,
                                    f"control did not change; ideology stays {self.ideology:+.2f}")
            return
        before = self.ideology
        self.control_changed_at = self.model.month
        self.ideology = float(np.clip(self.ideology + rng.normal(0.0, IDEOLOGY_SWING), -1, 1))
        stopped = 0
        for review in self.reviews:
            if rng.random() < REVIEW_STOP_ON_CHANGE:
                review.status = ReviewStatus.STOPPED
                stopped += 1
        self.drop_finished_reviews()
        self.control_changed = True
        ended = []
        flat = self.model.params.councils.sharing_model == "flat"  # else re-agreed in market
        for service in list(self.shares_with) if flat else []:
            if rng.random() < SHARING_BREAK_ON_CHANGE:
                self.end_sharing(service)
                ended.append(service)
        self.model.record_event(EventKind.ELECTION, self.index, -1,
                                _change_of_control(before, self.ideology, stopped, ended))


def _change_of_control(before: float, after: float, stopped: int, ended: list[str]) -> str:
    """Why-text of an election that changed control: the new ideology and what it stopped."""
    towards = "no shift" if after == before else \
        "towards the market" if after > before else "towards in-house delivery"
    shared = f"shared {', '.join(ended)} ended" if ended else "no shared service ended"
    return (f"control changed; new ideology {after:+.2f} (was {before:+.2f}; -1 in-house "
            f"only, +1 market), {towards}; {stopped} running review(s) stopped, "
            f"{shared}")


def _purposes() -> dict[Any, float]:
    return dict.fromkeys(Spending, 0.0)
