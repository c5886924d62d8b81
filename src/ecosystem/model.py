"""EcosystemModel: builds the world and orders the monthly step (MODEL.md section 3)."""

from __future__ import annotations

import mesa
import numpy as np
from mesa.discrete_space import OrthogonalMooreGrid

from ecosystem.agents import PROVIDER_KINDS, Council, Provider, Resident, Volunteer
from ecosystem.market import budgeting, commissioning, delivery, governance
from ecosystem.metrics import collect
from ecosystem.population.residents import ResidentArrays
from ecosystem.population.volunteering import VolunteerArrays, update_capacity
from ecosystem.scenario import Scenario
from ecosystem.world.landscape import Landscape, generate_landscape
from ecosystem.world.units import ServiceUnit, plan_units

LAYERS = ("households", "settlement", "rurality", "deprivation", "community_capacity",
          "broadband", "council")


class EcosystemModel(mesa.Model):
    """A local public service ecosystem: councils, providers, volunteers and residents.

    One step is one month. `model.scenario` is the scenario in force (interventions replace
    it at their month); `model.records` holds one dict of metrics per month, month 0 first.

    Args:
        scenario: every parameter; the default is the historical baseline.
        rng: seed or numpy Generator / SeedSequence; all randomness comes from it.
    """

    def __init__(self, scenario: Scenario | None = None, rng=None) -> None:
        super().__init__(rng=rng)
        self._scenario = scenario if scenario is not None else Scenario()
        self.initial_scenario = self._scenario  # as given; `scenario` changes at interventions
        self.month = 0
        self.ledger = delivery.Ledger()
        self.failed_providers: list[Provider] = []
        self.community_takeovers = 0
        self.tenders: list = []
        self.contract_log: list = []  # every contract let, for contracts.parquet
        self.reviews: list = []
        self.reviews_completed: dict[str, int] = {}
        self.tenders_without_bid = self.entrants = self.takeovers = 0
        self.mutuals_formed = self.asset_transfers = self.contracts_terminated = 0
        self.land = generate_landscape(self._scenario.world, self.rng)
        self.grid = self._build_grid(self.land)
        self.councils = [Council(self, k, seat) for k, seat in enumerate(self.land.seats)]
        self.units = self._build_units()
        self.residents = ResidentArrays(self._scenario, self.land, self.rng)
        self.resident_agents = [
            Resident(self, i, self.grid[(int(x), int(y))])
            for i, (x, y) in enumerate(zip(self.residents.cell_x, self.residents.cell_y))
        ]
        self.residents.connect(self._scenario, self.land, self.units)
        self.populated_cells = np.argwhere(self.land.households > 0)  # rows of `choices`
        self.volunteering = VolunteerArrays(self._scenario, self.residents, self.rng)
        self.volunteer_agents: dict[int, Volunteer] = {}
        self._volunteering_before = np.zeros(len(self.residents), dtype=bool)
        self._support_level = np.full(len(self.councils), self._scenario.capacity.community_support)
        self.resentment = np.zeros(len(self.councils))
        self._investment = np.zeros(len(self.councils))
        for council in self.councils:
            council.staff_enthusiasm = self._draw_enthusiasm()
        self._open_ecosystem()
        self.records: list[dict[str, float]] = [collect(self)]

    # Mesa's own `scenario` property belongs to its experimental scenarios; ours replaces it.
    @property
    def scenario(self) -> Scenario:  # type: ignore[override]
        """The scenario in force."""
        return self._scenario

    @scenario.setter
    def scenario(self, value) -> None:
        if isinstance(value, Scenario):
            self._scenario = value

    # ----- building ------------------------------------------------------------------------

    def _build_grid(self, land: Landscape) -> OrthogonalMooreGrid:
        grid = OrthogonalMooreGrid(land.shape, torus=False, random=self.random)
        for name in LAYERS:
            data = getattr(land, name)
            layer = grid.create_property_layer(name, default_value=data.dtype.type(0),
                                               dtype=data.dtype.type)
            layer.data = data.copy()
        return grid

    def _build_units(self) -> list[ServiceUnit]:
        units = []
        for index, plan in enumerate(plan_units(self._scenario, self.land)):
            unit = ServiceUnit(self, plan)
            unit.index = index
            units.append(unit)
        return units

    def _draw_enthusiasm(self) -> dict[str, float]:
        """Staff enthusiasm for a mutual, per service team: mostly low [002:L542]."""
        mean = self._scenario.councils.staff_enthusiasm
        b = 2.0 * (1 - mean) / max(mean, 1e-6)
        return {name: float(self.rng.beta(2.0, b)) for name in self._scenario.services.catalogue}

    def _open_ecosystem(self) -> None:
        """Month 0: demand found, operators set, budgets opened."""
        self._use_services()
        for unit in self.units:
            unit.size_to(unit.demand)
        self._use_services()
        commissioning.open_market(self)
        for council in self.councils:
            council.base_budget = budgeting.opening_budget(self, council)
            council.reserves = self._scenario.councils.reserves_share * council.base_budget
            budgeting.plan_year(self, council, 0)
        for unit in self.units:
            unit.initial_operator_kind = unit.operator_kind
        self._settle_volunteering()

    def _settle_volunteering(self, months: int = 12) -> None:
        """Let volunteering reach its level before month 1: the ecosystem is already running."""
        for _ in range(months):
            self._volunteer(update_capacity_layer=False)

    # ----- the monthly step ----------------------------------------------------------------

    def step(self) -> None:
        """One month, in the order of MODEL.md section 3."""
        self.month = int(self.time)
        self._calendar()
        self._use_services()
        self._volunteer()
        delivery.deliver_all(self)
        governance.run_councils(self)
        self._settle_providers()
        for council in self.councils:
            council.close_month()
        self.residents.update_views(self._scenario, self.reputations())
        self.records.append(collect(self))

    def _calendar(self) -> None:
        """Interventions due this month fire; a new year sets budgets."""
        for change in self._scenario.interventions:
            if change.month == self.month:
                self._scenario = self._scenario.with_overrides({change.field: change.value})
        self.ledger = delivery.Ledger()
        for council in self.councils:
            council.new_month()
        for provider in self.providers:
            provider.new_month()
        if self.month > 1 and (self.month - 1) % 12 == 0:
            for council in self.councils:
                budgeting.plan_year(self, council, (self.month - 1) // 12)
        if (self.month - 1) % 12 == 0:  # social investment available this year, per council
            self._investment = np.full(len(self.councils),
                                       self._scenario.funding.social_investment)

    def _use_services(self) -> None:
        res = self.residents
        res.update_need(self._scenario, self.month)
        is_open = np.array([u.is_open for u in self.units])
        capacity = np.array([u.capacity() for u in self.units])
        quality = np.array([u.quality for u in self.units])
        res.use_services(is_open, capacity, quality, self.rng)
        demand = np.sum([a.unit_demand for a in res.allocations], axis=0)
        served = np.sum([a.unit_served for a in res.allocations], axis=0)
        for unit, d, s in zip(self.units, demand, served):
            unit.demand, unit.served = float(d), float(s)

    def _volunteer(self, update_capacity_layer: bool = True) -> None:
        """Volunteering, community capacity and resentment of withdrawn support."""
        scenario, vol = self._scenario, self.volunteering
        threat = np.array([u.status == "degraded" for u in self.units], dtype=float)
        community = np.array([u.operator_kind == "community" for u in self.units])
        volunteerable = np.array([u.spec.volunteerable for u in self.units])
        appeal = volunteerable * (1 + 2 * threat + community)
        capacity_layer = self.grid.community_capacity.data
        cells = self.populated_cells
        vol.update(scenario, self.residents, capacity_layer[cells[:, 0], cells[:, 1]],
                   self.resentment[self.land.council[cells[:, 0], cells[:, 1]]], threat, appeal)
        for unit, hours in zip(self.units, vol.hours_by_unit(self.residents, len(self.units))):
            unit.volunteer_hours = float(hours)
        support = np.full(len(self.councils), scenario.capacity.community_support)
        drop = np.clip(1 - support / np.maximum(self._support_level, 1e-9), 0, 1)
        self.resentment = np.clip(self.resentment * (1 - scenario.capacity.resentment_recovery)
                                  + scenario.capacity.withdrawal_resentment * drop, 0, 1)
        self._support_level = support
        if update_capacity_layer:
            capacity_layer[:] = update_capacity(scenario, capacity_layer, self.land.council,
                                                support)
        self._sync_volunteer_agents()

    def _sync_volunteer_agents(self) -> None:
        """Volunteer agents exist while a resident cluster gives at least an hour a month."""
        active = self.volunteering.unit >= 0
        for index in np.flatnonzero(self._volunteering_before & ~active):
            self.volunteer_agents.pop(int(index)).remove()
        for index in np.flatnonzero(active & ~self._volunteering_before):
            self.volunteer_agents[int(index)] = Volunteer(self, self.resident_agents[index])
        self._volunteering_before = active

    def _settle_providers(self) -> None:
        for provider in list(self.providers):
            if provider.kind == "community":
                cell = provider.units[0].cell.coordinate if provider.units else None
                capacity = self.grid.community_capacity.data[cell] if cell else 0.0
                provider.key_person_turnover(float(capacity))
            provider.use_investment(self._investment)
            if provider.settle():
                commissioning.fail_provider(self, provider)
            elif not provider.units and not getattr(provider, "awaiting_tenders", None):
                provider.remove()  # no work left: it leaves the local market
            else:
                provider.grow()

    # ----- views ---------------------------------------------------------------------------

    @property
    def providers(self) -> list[Provider]:
        """Active providers (every kind)."""
        by_type = self.agents_by_type
        return [a for cls in PROVIDER_KINDS.values() for a in by_type.get(cls, ())]

    def providers_of(self, council: int) -> list[Provider]:
        """Active providers running at least one unit for `council`."""
        return [p for p in self.providers if any(u.council_id == council for u in p.units)]

    def reputations(self) -> np.ndarray:
        """Each council's reputation."""
        return np.array([c.reputation for c in self.councils])
