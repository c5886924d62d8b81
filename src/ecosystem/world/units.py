"""Service units: where they are, what they cost, and how they are delivered each month.

A building-based unit has a site and a catchment distance; an area-based unit covers one
zone of its council's territory. Units are few (hundreds), so their monthly delivery is a
short loop per unit; the per-resident work lives in `access.py`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from mesa.discrete_space import FixedAgent

from ecosystem.scenario.catalogue import ServiceType
from ecosystem.scenario.schema import Scenario
from ecosystem.world.landscape import Landscape, distances

OPEN, DEGRADED, CLOSED = "open", "degraded", "closed"


@dataclass(frozen=True)
class UnitPlan:
    """Where one unit goes: its service, council, site cell and (for area services) zone."""

    service: str
    council: int
    site: tuple[int, int]
    zone: int  # -1 for building-based units


class ServiceUnit(FixedAgent):
    """One service unit: a site with a catchment, or a team covering a zone.

    Attributes:
        service: service type name.
        council_id: index of the council responsible for it.
        operator: the `Council` (in-house) or `Provider` running it, or None once closed.
        quality: delivered quality, 0..1.
        status: "open", "degraded" (below standard) or "closed".
        months_below: consecutive months below the quality standard.
        allocation: monthly money an in-house unit gets from its council (GBP k).
        demand: need units that reached it last month; served: need units it served.
        volunteer_hours: volunteer hours it received last month.
        opened, closed_at, cause: month opened, month closed and why (for survival curves).
    """

    def __init__(self, model, plan: UnitPlan) -> None:
        super().__init__(model)
        self.cell = model.grid[plan.site]
        self.service = plan.service
        self.council_id = plan.council
        self.zone = plan.zone
        self.operator = None
        self.contract = None
        self.quality = 0.8
        self.status = OPEN
        self.months_below = 0
        self.allocation = 0.0
        self.demand = 0.0
        self.served = 0.0
        self.volunteer_hours = 0.0
        self.spent = 0.0
        self.council_cost = 0.0
        self.volunteer_share = 0.0
        self.index = -1
        self.capacity_cap = self.spec.site_capacity  # most need units served, fully funded
        self.tender = None  # the tender it is in, while one is open
        self.opened = 0
        self.closed_at: int | None = None
        self.cause = ""
        self.initial_operator_kind = ""

    @property
    def spec(self) -> ServiceType:
        """Its service type, as the scenario in force describes it."""
        return self.model.scenario.services.catalogue[self.service]

    @property
    def is_open(self) -> bool:
        """Open or degraded: still delivering something."""
        return self.status != CLOSED

    @property
    def operator_kind(self) -> str:
        """Kind of the operator: council, private, mutual, social_enterprise or community."""
        return "" if self.operator is None else self.operator.kind

    def required_cost(self, demand: float | None = None) -> float:
        """Monthly cost of delivering this unit at full standard (before efficiency)."""
        demand = self.demand if demand is None else demand
        return self.spec.fixed_cost + self.spec.cost_per_user * min(demand, self.capacity_cap)

    def size_to(self, demand: float) -> None:
        """Set capacity at opening: the need that reaches it plus a margin."""
        margin = self.model.scenario.services.capacity_margin
        self.capacity_cap = max(margin * demand, 0.05 * self.spec.site_capacity)

    def capacity(self) -> float:
        """Need units it can serve this month: falls with quality below the standard."""
        if not self.is_open:
            return 0.0
        return self.capacity_cap * min(1.0, 0.4 + self.quality)

    def update_quality(self, adequacy: float, rng: np.random.Generator) -> None:
        """Move quality towards what its funding, staff and volunteers support."""
        services = self.model.scenario.services
        capability = self.operator.capability if self.operator is not None else 0.8
        target = services.quality_floor + services.quality_slope * min(adequacy, 1.2) \
            + capability - 0.8
        target = min(max(target, 0.0), 1.0)
        rate = services.quality_adjustment
        noise = float(rng.normal(0.0, 0.02))
        self.quality = min(max(self.quality + rate * (target - self.quality) + noise, 0.0), 1.0)

    def check_standard(self) -> bool:
        """Update status from quality; True when it has been below standard too long."""
        services = self.model.scenario.services
        if self.quality >= services.quality_standard:
            self.months_below = 0
            self.status = OPEN
            return False
        self.months_below += 1
        self.status = DEGRADED
        return self.months_below > services.closure_months

    def close(self, cause: str) -> None:
        """Close the unit for good, recording when and why."""
        self.status = CLOSED
        self.closed_at = int(self.model.time)
        self.cause = cause
        if self.operator is not None:
            self.operator.release(self)
        self.operator = None
        self.contract = None
        self.allocation = 0.0
        self.spent = 0.0
        self.council_cost = 0.0


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
    return plans


def _place_sites(name, spec: ServiceType, council, cells, need, dist) -> list[UnitPlan]:
    count = max(1, int(round(need.sum() / spec.site_capacity)))
    remaining = need.copy()
    within = dist <= spec.catchment
    plans: list[UnitPlan] = []
    for _ in range(count):
        score = within @ remaining
        best = int(np.argmax(score))
        if score[best] <= 0.02 * need.sum() / count and plans:
            break
        plans.append(UnitPlan(name, council, (int(cells[best, 0]), int(cells[best, 1])), -1))
        remaining[within[best]] *= 0.1
    return plans


def _zone_units(name, council, cells, need, zone_of) -> list[UnitPlan]:
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
