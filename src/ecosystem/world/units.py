"""Service units: where they are, what they cost, and how they are delivered each month.

A building-based unit has a site and a catchment distance; an area-based unit covers one
zone of its council's territory. Units are few (hundreds), so their monthly delivery is a
short loop per unit; the per-resident work lives in `access.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Protocol

import numpy as np
from mesa.discrete_space import FixedAgent

from ecosystem.names import ClosureCause, EventKind, OperatorKind, UnitStatus
from ecosystem.scenario.catalogue import ServiceType
from ecosystem.scenario.schema import Scenario
from ecosystem.world.landscape import Landscape, distances

if TYPE_CHECKING:
    from ecosystem.market.contracts import Contract
    from ecosystem.market.procurement import Tender
    from ecosystem.model import EcosystemModel

#: Quality every kind of operator delivers, on average, when fully funded: provider
#: neutrality [002:L234]. Capabilities spread around it; quality targets shift by the gap.
MEAN_CAPABILITY = 0.8
#: Capacity a unit keeps at quality 0 (it rises with quality up to full capacity; assumed).
CAPACITY_AT_ZERO_QUALITY = 0.4
#: Monthly noise in delivered quality (standard deviation; assumed).
QUALITY_NOISE = 0.02
#: Smallest net cost an operator expects, as a share of the required cost (assumed).
NET_COST_FLOOR = 0.05
#: Funding above full cost (adequacy) raises quality only up to this level (assumed).
MAX_ADEQUACY = 1.2
#: Smallest capacity a unit is sized to, as a share of a full site (assumed).
MIN_SIZE_SHARE = 0.05
#: Site placement stops when the best site would reach less than this share of a unit's
#: fair share of need (assumed).
MIN_SITE_REACH = 0.02
#: Share of need a new site leaves for later sites to cover within its catchment (assumed).
NEED_LEFT_AFTER_SITE = 0.1
#: Fixed-point steps per unit of need in which site placement sums need exactly (2**20).
NEED_QUANTUM = 2.0**20


class Operator(Protocol):
    """Whoever runs a unit: a council's own team or an external provider.

    `Council` and every `Provider` kind implement it; a unit and the market rely on nothing
    else of their operator.
    """

    kind: OperatorKind
    capability: float
    cost_shock: float
    units: list[ServiceUnit]

    def take_on(self, unit: ServiceUnit) -> None:
        """Start running `unit`."""

    def release(self, unit: ServiceUnit) -> None:
        """Stop running `unit`."""

    def cost_multiplier(self) -> float:
        """Multiplier on the required cost of its units (efficiency, shocks, scale)."""

    def unit_cost_factor(self, unit: ServiceUnit) -> float:
        """Extra cost of running `unit` in particular."""

    def trading_factor(self) -> float:
        """Trading income it earns relative to a typical operator."""

    def charge(self, unit: ServiceUnit) -> float:
        """Charge it adds to `unit`'s fees, as a share of its running cost."""

    def volunteer_effectiveness(self) -> float:
        """Share of volunteer hours that turn into delivered work."""

    @property
    def local_share(self) -> float:
        """Share of its spend that stays in the area."""


@dataclass(frozen=True)
class UnitPlan:
    """Where one unit goes: its service, council, site cell and (for area services) zone."""

    service: str
    council: int
    site: tuple[int, int]
    zone: int  # -1 for building-based units
    territory: int = -1  # the district whose residents it serves (-1: its council's own)


class ServiceUnit(FixedAgent):
    """One service unit: a site with a catchment, or a team covering a zone.

    Attributes:
        service: service type name.
        council_id: index of the council responsible for it.
        territory: index of the territory whose residents it serves: its council's own,
            except for a county's units in a two-tier area (`two_tier`).
        operator: the `Council` (in-house) or `Provider` running it, or None once closed.
        contract: the contract it runs under (None in-house).
        quality: delivered quality, 0..1.
        status: open, degraded (below standard) or closed.
        months_below: consecutive months below the quality standard.
        allocation: monthly money an in-house unit gets from its council (GBP k).
        demand: need units that reached it last month; served: need units it served.
        volunteer_hours: volunteer hours it received last month.
        spent, council_cost, volunteer_share: last month's delivery spend, what it cost its
            council, and the share of its work volunteers did.
        tender: the tender it is in, while one is open.
        level: service level, the share of full hours and capacity it runs at (a savings
            plan thins discretionary in-house units before it closes any).
        closing_at: month its council will close it (given notice by a savings plan), or None.
        opened, closed_at, cause: month opened, month closed and why (for survival curves).
        ownership_retained: the council keeps the unit while another organisation operates
            it (an operations contract [000:L23]): it reverts to the council, not closes.
    """

    def __init__(self, model: EcosystemModel, plan: UnitPlan, index: int) -> None:
        super().__init__(model)
        self.model: EcosystemModel = model
        self.index = index
        self.cell = model.grid[plan.site]
        self.service = plan.service
        self.council_id = plan.council
        self.territory = plan.council if plan.territory < 0 else plan.territory
        self.zone = plan.zone
        self.operator: Operator | None = None
        self.contract: Contract | None = None
        self.quality = MEAN_CAPABILITY
        self.status = UnitStatus.OPEN
        self.months_below = 0
        self.allocation = 0.0
        self.demand = 0.0
        self.served = 0.0
        self.volunteer_hours = 0.0
        self.spent = 0.0
        self.council_cost = 0.0
        self.volunteer_share = 0.0
        self.capacity_cap = self.spec.site_capacity  # most need units served, fully funded
        self.tender: Tender | None = None
        self.level = 1.0
        self.closing_at: int | None = None
        self.opened = 0
        self.closed_at: int | None = None
        self.cause = ""
        self.initial_operator_kind = ""
        self.ownership_retained = False  # the council keeps it under an operations contract

    @property
    def spec(self) -> ServiceType:
        """Its service type, as the scenario in force describes it."""
        return self.model.params.services.catalogue[self.service]

    @property
    def is_open(self) -> bool:
        """Open or degraded: still delivering something."""
        return self.status != UnitStatus.CLOSED

    @property
    def threatened(self) -> bool:
        """Open but below standard, or under notice of closure: residents rally to it."""
        return self.status == UnitStatus.DEGRADED or (self.is_open and self.closing_at is not None)

    @property
    def operator_kind(self) -> str:
        """Kind of the operator: council, private, mutual, social_enterprise or community."""
        return "" if self.operator is None else self.operator.kind

    @property
    def in_house(self) -> bool:
        """Run by its council's own team."""
        return self.operator is not None and self.operator.kind == OperatorKind.COUNCIL

    # ----- costs ----------------------------------------------------------------------------

    def required_cost(self, demand: float | None = None, level: float | None = None) -> float:
        """Monthly cost of delivering this unit at full standard and its service level.

        Fewer hours cut the running cost and the need it can serve in proportion; a
        community budget's joint commissioning removes duplicated cost (1 unless it runs).
        """
        demand = self.demand if demand is None else demand
        level = self.level if level is None else level
        cost = level * self.spec.fixed_cost \
            + self.spec.cost_per_user * min(demand, level * self.capacity_cap)
        return cost * self.model.community_budget.cost_factor(self.model.params, self)

    def net_cost(self, operator: Operator, level: float | None = None) -> float:
        """Monthly cost `operator` expects for it, net of volunteers and trading.

        Args:
            operator: who would run it.
            level: service level to cost it at (default: its own).
        """
        funding = self.model.params.funding
        required = self.required_cost(level=level) * operator.unit_cost_factor(self) \
            * operator.cost_multiplier() / operator.cost_shock
        volunteers = self.spec.volunteerable * funding.expected_volunteer_cover * required \
            if operator.kind == OperatorKind.COMMUNITY else 0.0
        trading = self.trading_income(operator, required)
        return max(required - volunteers - trading, NET_COST_FLOOR * required)

    def trading_income(self, operator: Operator, required: float) -> float:
        """Trading income (fees, sales) the unit earns this month at its current use."""
        if not self.model.params.funding.trading_allowed:
            return 0.0
        use = self.served / self.demand if self.demand > 0 else 1.0
        share = self.spec.trading_share * operator.trading_factor() + operator.charge(self)
        return share * required * min(use, 1.0)

    def take_up(self) -> float:
        """Share of the need reaching it that its charges do not put off."""
        operator = self.operator
        if operator is None:
            return 1.0
        deterrence = self.model.params.councils.charge_deterrence
        return max(1.0 - deterrence * operator.charge(self), 0.0)

    # ----- sizing and use -------------------------------------------------------------------

    def size_to(self, demand: float) -> None:
        """Set capacity at opening: the need that reaches it plus a margin."""
        margin = self.model.params.services.capacity_margin
        self.capacity_cap = max(margin * demand, MIN_SIZE_SHARE * self.spec.site_capacity)

    def capacity(self) -> float:
        """Need units it can serve this month: its level's share, less below standard."""
        if not self.is_open:
            return 0.0
        return self.level * self.capacity_cap * min(1.0, CAPACITY_AT_ZERO_QUALITY + self.quality)

    def record_use(self, demand: float, served: float) -> None:
        """The need that reached it this month and the need it served."""
        self.demand, self.served = demand, served

    def receive_volunteers(self, hours: float) -> None:
        """Volunteer hours given to it this month."""
        self.volunteer_hours = hours

    # ----- who runs it and on what money ----------------------------------------------------

    def hand_to(self, operator: Operator, contract: Contract | None) -> None:
        """A new operator runs it (under `contract`, or in-house with None).

        A unit handed to a provider is no longer under its council's notice of closure.
        """
        self.operator = operator
        self.contract = contract
        if contract is not None:
            self.closing_at = None

    def mark_opening_operator(self) -> None:
        """Remember who ran it at month 0."""
        self.initial_operator_kind = self.operator_kind

    def fund(self, allocation: float) -> None:
        """Set the monthly money its council's own team gets for it."""
        self.allocation = allocation

    def enter_tender(self, tender: Tender) -> None:
        """It is being put out to tender."""
        self.tender = tender

    def leave_tender(self, tender: Tender) -> None:
        """The tender it was in has closed."""
        if self.tender is tender:
            self.tender = None

    def record_delivery(self, spent: float, council_cost: float, volunteer_share: float) -> None:
        """This month's delivery spend, its cost to the council, and the volunteers' share."""
        self.spent, self.council_cost, self.volunteer_share = spent, council_cost, volunteer_share

    def credit_partner_funding(self, amount: float) -> None:
        """A partner (health) paid part of what it cost its council this month."""
        self.council_cost -= amount

    # ----- quality and standard -------------------------------------------------------------

    def update_quality(self, adequacy: float, rng: np.random.Generator) -> None:
        """Move quality towards what its funding, staff and volunteers support."""
        services = self.model.params.services
        capability = self.operator.capability if self.operator is not None else MEAN_CAPABILITY
        target = services.quality_floor + services.quality_slope * min(adequacy, MAX_ADEQUACY) \
            + capability - MEAN_CAPABILITY
        target = min(max(target, 0.0), 1.0)
        rate = services.quality_adjustment
        noise = float(rng.normal(0.0, QUALITY_NOISE))
        self.quality = min(max(self.quality + rate * (target - self.quality) + noise, 0.0), 1.0)

    def check_standard(self) -> bool:
        """Update status from quality; True when it has been below standard too long."""
        services = self.model.params.services
        if self.quality >= services.quality_standard:
            self.months_below = 0
            self.status = UnitStatus.OPEN
            return False
        self.months_below += 1
        self.status = UnitStatus.DEGRADED
        return self.months_below > services.closure_months

    def clear_standard(self) -> None:
        """A new operator or a rescue starts its months below standard afresh."""
        self.months_below = 0

    def capital_receipt(self) -> float:
        """What the council would get by selling its building (0 for area-based services).

        The council keeps the freehold of every building, whoever runs it: a lease to a
        community group reverts to it if the group fails [002:L681].
        """
        return sale_value(self.model.params.councils.capital_receipt, self.spec)

    def close(self, cause: ClosureCause, why: str = "") -> None:
        """Close the unit for good, recording when and why (`why` adds the circumstances)."""
        self.model.record_event(EventKind.CLOSURE, self.council_id, self.index,
                                f"{cause}: {why}" if why else cause, self.operator_kind)
        self.status = UnitStatus.CLOSED
        self.closed_at = int(self.model.time)
        self.model.capital_receipts += self.capital_receipt()
        self.cause = cause
        if self.operator is not None:
            self.operator.release(self)
        self.operator = None
        self.contract = None
        self.allocation = 0.0
        self.spent = 0.0
        self.council_cost = 0.0


def sale_value(receipt_months: float, spec: ServiceType) -> float:
    """A building's sale value: `receipt_months` of its running cost (0 without a building)."""
    return receipt_months * spec.fixed_cost if spec.building else 0.0


def plan_units(scenario: Scenario, land: Landscape) -> list[UnitPlan]:
    """Place every council's units: sites greedily where uncovered need is largest."""
    plans: list[UnitPlan] = []
    xs, ys = np.indices(land.shape)
    zone_of = zone_index(scenario, xs, ys)
    for council in range(scenario.world.councils):
        cells = np.argwhere((land.council == council) & (land.households > 0))
        if len(cells) == 0:
            continue
        hh = land.households[cells[:, 0], cells[:, 1]].astype(float)
        rural = land.rurality[cells[:, 0], cells[:, 1]]
        dist = distances(cells, cells)
        for name, spec in scenario.services.catalogue.items():
            need = hh * spec.need_per_household * (1 + spec.rural_weight * rural)
            if spec.building:
                plans += _place_sites(name, spec, council, cells, need, dist)
            else:
                plans += _zone_units(name, council, cells, need, zone_of)
    return two_tier(scenario, plans)


def two_tier(scenario: Scenario, plans: list[UnitPlan]) -> list[UnitPlan]:
    """In a two-tier area the county (the last council) holds every statutory unit.

    Units are placed in each district's territory as before and keep serving its residents;
    only the council responsible changes [002:L448].
    """
    if not scenario.world.two_tier:
        return plans
    county = scenario.world.councils
    catalogue = scenario.services.catalogue
    return [replace(p, council=county, territory=p.council) if catalogue[p.service].statutory
            else p for p in plans]


def _place_sites(name: str, spec: ServiceType, council: int, cells: np.ndarray,
                 need: np.ndarray, dist: np.ndarray) -> list[UnitPlan]:
    count = max(1, int(round(need.sum() / spec.site_capacity)))
    remaining = need.copy()
    within = dist <= spec.catchment
    counts = within.astype(np.int64)
    plans: list[UnitPlan] = []
    for _ in range(count):
        score = _reach(counts, remaining)
        best = int(np.argmax(score))
        if score[best] <= MIN_SITE_REACH * need.sum() / count and plans:
            break
        plans.append(UnitPlan(name, council, (int(cells[best, 0]), int(cells[best, 1])), -1))
        remaining[within[best]] *= NEED_LEFT_AFTER_SITE
    return plans


def _reach(within: np.ndarray, need: np.ndarray) -> np.ndarray:
    """Need within reach of each candidate site, summed exactly.

    The need is counted in fixed-point units and summed as integers, so the sum and the
    site it picks are the same on every machine and BLAS thread count (a float product
    through BLAS rounds differently with the number of threads).
    """
    return (within @ np.rint(need * NEED_QUANTUM).astype(np.int64)) / NEED_QUANTUM


def _zone_units(name: str, council: int, cells: np.ndarray, need: np.ndarray,
                zone_of: np.ndarray) -> list[UnitPlan]:
    zones = zone_of[cells[:, 0], cells[:, 1]]
    plans = []
    for zone in np.unique(zones):
        members = np.flatnonzero(zones == zone)
        if need[members].sum() <= 0:
            continue
        site = cells[members[np.argmax(need[members])]]
        plans.append(UnitPlan(name, council, (int(site[0]), int(site[1])), int(zone)))
    return plans


def zone_index(scenario: Scenario, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """Zone id of cells (same numbering as `plan_units`)."""
    zone_size = scenario.services.zone_size
    return (xs // zone_size) * (scenario.world.height // zone_size + 1) + ys // zone_size
