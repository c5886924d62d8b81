"""Residents' state as arrays: need, access, use, satisfaction and trust, for all at once."""

from __future__ import annotations

import numpy as np

from ecosystem.population.access import Allocation, allocate, candidate_units
from ecosystem.scenario.schema import Scenario
from ecosystem.world.landscape import RURAL_CLASSES, Landscape
from ecosystem.world.units import ServiceUnit, zone_index

#: Share of care demand growth that joint prevention removes at a fully pooled budget
#: (assumed) [002:L130].
POOLED_PREVENTION = 0.5
#: Starting satisfaction and trust of every resident (assumed).
INITIAL_SATISFACTION, INITIAL_TRUST = 0.7, 0.6
#: Spread of need between resident clusters (lognormal; the location keeps the mean near 1;
#: assumed).
NEED_HETEROGENEITY_MU, NEED_HETEROGENEITY_SIGMA = -0.02, 0.2


class ResidentArrays:
    """One row per Resident agent, one column per service type.

    Attributes:
        services: service type names (column order).
        cell_x, cell_y, council, households, settlement, rural: per resident.
        base_need: need per service at month 0; `need` is this month's. Arrays per service
            are stored service-major, shape (services, residents), so one service's column
            is contiguous.
        served: need met, per service.
        satisfaction, trust: 0..1 per resident.
    """

    def __init__(self, scenario: Scenario, land: Landscape, rng: np.random.Generator) -> None:
        self.services = list(scenario.services.catalogue)
        per_agent = scenario.population.households_per_agent
        cells = np.argwhere(land.households > 0)
        hh_cell = land.households[cells[:, 0], cells[:, 1]]
        agents_per_cell = np.maximum(1, np.rint(hh_cell / per_agent).astype(np.int64))
        self.cell_x = np.repeat(cells[:, 0], agents_per_cell)
        self.cell_y = np.repeat(cells[:, 1], agents_per_cell)
        self.households = _split(hh_cell, agents_per_cell)
        self.council = land.council[self.cell_x, self.cell_y].astype(np.int64)
        self.settlement = land.settlement[self.cell_x, self.cell_y]
        self.rural = np.isin(self.settlement, RURAL_CLASSES)
        rurality = land.rurality[self.cell_x, self.cell_y]
        n, specs = len(self.households), list(scenario.services.catalogue.values())
        heterogeneity = rng.lognormal(NEED_HETEROGENEITY_MU, NEED_HETEROGENEITY_SIGMA,
                                      (len(specs), n))
        self.base_need = np.stack(
            [self.households * s.need_per_household * (1 + s.rural_weight * rurality)
             for s in specs]) * heterogeneity
        self.ageing = np.array([s.demand_grows_with_ageing for s in specs])
        self.pooled = np.array([s.pooled_with_health for s in specs])
        self.need = self.base_need.copy()
        self.served = np.zeros_like(self.need)
        self.need_growth = np.ones(len(specs))
        self.cell_need = np.zeros((2, len(specs), 0))  # base need per cell, urban/rural
        self.quality_seen = np.zeros_like(self.need)
        self.satisfaction = np.full(n, INITIAL_SATISFACTION)
        self.trust = np.full(n, INITIAL_TRUST)
        self._coverage: tuple[np.ndarray, np.ndarray] | None = None
        self.cell = np.zeros(n, dtype=np.int64)  # each resident's cell (row of the map's cells)
        self.choices = np.zeros((0, 1), dtype=np.int64)  # (services x cells, R) candidate units
        self.applicant_cell = np.zeros(0, dtype=np.int64)  # row of `choices`, per applicant
        self.allocation: Allocation | None = None

    def __len__(self) -> int:
        return len(self.households)

    def connect(self, scenario: Scenario, land: Landscape, units: list[ServiceUnit]) -> None:
        """Find each cell's candidate units per service (nearest first, own council).

        Also sums base need per cell, split urban/rural, so coverage is computed per cell.
        """
        cells = np.argwhere(land.households > 0)
        lookup = np.full(land.shape, -1, dtype=np.int64)
        lookup[cells[:, 0], cells[:, 1]] = np.arange(len(cells))
        self.cell = lookup[self.cell_x, self.cell_y]
        self.cell_need = np.stack([
            np.stack([np.bincount(self.cell, weights=row * mask, minlength=len(cells))
                      for row in self.base_need])
            for mask in (~self.rural, self.rural)
        ])
        cell_council = land.council[cells[:, 0], cells[:, 1]]
        cell_zone = zone_index(scenario, cells[:, 0], cells[:, 1])
        choices = []
        for name, spec in scenario.services.catalogue.items():
            mine = [u for u in units if u.service == name]
            ids = np.array([u.index for u in mine], dtype=np.int64)
            if spec.building:
                xy = np.array([u.cell.coordinate for u in mine]).reshape(-1, 2)
                choices.append(candidate_units(
                    cells, cell_council, land.broadband[cells[:, 0], cells[:, 1]], xy,
                    np.array([u.territory for u in mine]), ids, spec.catchment, spec.remote,
                ))
            else:
                key = {(u.territory, u.zone): u.index for u in mine}
                zone_unit = [key.get((c, z), -1) for c, z in zip(cell_council, cell_zone)]
                choices.append(np.array(zone_unit, dtype=np.int64)[:, None])
        width = max(c.shape[1] for c in choices)
        self.choices = np.concatenate(
            [np.pad(c, ((0, 0), (0, width - c.shape[1])), constant_values=-1) for c in choices])
        rows = np.arange(len(choices))[:, None] * len(cells)
        self.applicant_cell = (rows + self.cell[None, :]).ravel()  # service-major

    def update_need(self, scenario: Scenario, month: int, pooled_share: float | None = None,
                    demand_factor: np.ndarray | None = None) -> None:
        """Need grows for care services with ageing [002:L188]; the rest is steady.

        Joint prevention from budgets pooled with health slows the growth of services that
        can be pooled (assumed: by half at a fully pooled budget) [002:L130].

        Args:
            scenario: the scenario in force.
            month: the month.
            pooled_share: share pooled this month (default `funding.pooled_budget_share`;
                a community budget may pool more: market/community_budget.py).
            demand_factor: (services, residents) share of need left after co-production and
                behaviour change (None: all of it).
        """
        rate = scenario.population.care_demand_growth
        share = scenario.funding.pooled_budget_share if pooled_share is None else pooled_share
        pooled_rate = rate * (1.0 - POOLED_PREVENTION * share)
        growth = (1 + np.where(self.pooled, pooled_rate, rate)) ** (month / 12)
        self.need[self.ageing] = self.base_need[self.ageing] * growth[self.ageing, None]
        self.need_growth = np.where(self.ageing, growth, 1.0)
        if demand_factor is not None:
            self.need = self.base_need * self.need_growth[:, None] * demand_factor

    def use_services(self, is_open: np.ndarray, capacity: np.ndarray, quality: np.ndarray,
                     rng: np.random.Generator, take_up: np.ndarray | None = None) -> None:
        """Allocate every service's capacity to residents in one random arrival order.

        All services are allocated at once: a resident arrives at each at the same place.
        `take_up` (per unit) is the share of need charges do not put off.
        """
        rank = rng.permutation(len(self))
        alloc = allocate(self.choices, self.applicant_cell, self.need.ravel(), is_open,
                         capacity, np.tile(rank, len(self.services)), take_up)
        self.allocation = alloc
        self.served = alloc.served.reshape(self.need.shape)
        self.quality_seen = np.append(quality, 0.0)[alloc.unit].reshape(self.need.shape)
        self._coverage = None

    @property
    def unit_used(self) -> np.ndarray:
        """(services, residents) unit that first served each resident (number of units: none)."""
        assert self.allocation is not None, "no allocation yet"
        return self.allocation.unit.reshape(self.need.shape)

    @property
    def cell_nearest(self) -> np.ndarray:
        """(services, cells) nearest open unit in catchment of each cell (-1 if none)."""
        assert self.allocation is not None, "no allocation yet"
        return self.allocation.cell_nearest.reshape(len(self.services), -1)

    def coverage_sums(self) -> tuple[np.ndarray, np.ndarray]:
        """Need and need within reach of an open unit, as (2, services) arrays.

        Row 0 is urban (urban cores and towns), row 1 rural (villages and sparse land).
        Reach is the same for every resident of a cell, so this works on cells.
        """
        if self._coverage is None:
            assert self.allocation is not None, "no allocation yet"
            reach = self.allocation.cell_reach.reshape(len(self.services), -1)
            need = self.cell_need * self.need_growth[None, :, None]
            self._coverage = (need.sum(axis=2), (need * reach[None]).sum(axis=2))
        return self._coverage

    def update_views(self, scenario: Scenario, council_reputation: np.ndarray,
                     fit: np.ndarray | None = None) -> None:
        """Update satisfaction and trust.

        Satisfaction follows access and quality, not who delivers [002:L893]; trust follows
        satisfaction and the council's reputation. `fit` (services, residents) raises the
        quality residents experience where a service fits their need better (co-production).
        """
        memory = scenario.population.satisfaction_memory
        total = self.need.sum(axis=0)
        quality = self.quality_seen if fit is None else np.minimum(self.quality_seen * fit, 1.0)
        experienced = (self.served * quality).sum(axis=0) / np.maximum(total, 1e-12)
        self.satisfaction = memory * self.satisfaction + (1 - memory) * experienced
        target = self.satisfaction * council_reputation[self.council]
        self.trust = memory * self.trust + (1 - memory) * target


def _split(households: np.ndarray, agents: np.ndarray) -> np.ndarray:
    """Split each cell's households over its agents as evenly as integers allow."""
    base = np.repeat(households // agents, agents)
    extra = np.repeat(households % agents, agents)
    position = np.arange(agents.sum()) - np.repeat(np.cumsum(agents) - agents, agents)
    return base + (position < extra)
