"""EcosystemModel: builds the world and orders the monthly step (MODEL.md section 3)."""

from __future__ import annotations

import mesa
import numpy as np
from mesa.agent import AgentSet
from mesa.discrete_space import OrthogonalMooreGrid

from ecosystem.agents import (
    PROVIDER_CLASSES,
    Council,
    JointVentureCompany,
    Provider,
    Resident,
    Volunteer,
)
from ecosystem.agents.parish_council import ParishCouncil
from ecosystem.market import commissioning, delivery
from ecosystem.market.community_budget import CommunityBudget
from ecosystem.market.contracts import Contract
from ecosystem.market.joint_ventures import JointVenture
from ecosystem.market.procurement import Tender
from ecosystem.market.reviews import Review, open_chosen
from ecosystem.market.shared_services import SharedService
from ecosystem.market.trading_company import TradingCompany, trade
from ecosystem.market.transformation import TransformationProgramme
from ecosystem.metrics import collect
from ecosystem.names import EventKind, OperatorKind, ReviewOption, Spending
from ecosystem.population.behaviour_change import BehaviourChange
from ecosystem.population.co_production import CoProduction
from ecosystem.population.residents import ResidentArrays
from ecosystem.population.volunteering import VolunteerArrays, update_capacity
from ecosystem.scenario import Scenario
from ecosystem.scenario.strategies import enact
from ecosystem.world.landscape import Landscape, generate_landscape
from ecosystem.world.units import ServiceUnit, plan_units

LAYERS = ("households", "settlement", "rurality", "deprivation", "community_capacity",
          "broadband", "council")
#: Months volunteering runs before month 1, so the ecosystem starts already running.
SETTLING_MONTHS = 12
#: Volunteers are drawn to threatened units and to community-run ones (appeal weights;
#: assumed) [002:L691].
THREAT_APPEAL, COMMUNITY_APPEAL = 2.0, 1.0


def support_cut(before: np.ndarray, now: np.ndarray) -> np.ndarray:
    """Share of each council's community support withdrawn this month (0 where none was).

    Resentment follows a fall in support, not its level [002:L693]: support that stays at
    zero, or was never given, stirs none.
    """
    cut = 1 - now / np.maximum(before, 1e-9)
    return np.where(before > 0, np.clip(cut, 0.0, 1.0), 0.0)


#: Spawn key of the stream the opt-in delivery models draw from (any fixed number).
REFORM_STREAM = 12


def _spawned(rng: np.random.Generator) -> np.random.SeedSequence:
    """A fixed child of the generator's seed sequence: an independent stream, no draw taken.

    It is built from the sequence's entropy and spawn key rather than with `spawn`, which
    would count children on a sequence the caller may use again.
    """
    seq = rng.bit_generator.seed_seq
    assert isinstance(seq, np.random.SeedSequence)
    return np.random.SeedSequence(seq.entropy, spawn_key=(*seq.spawn_key, REFORM_STREAM),
                                  pool_size=seq.pool_size)


class EcosystemModel(mesa.Model):
    """A local public service ecosystem: councils, providers, volunteers and residents.

    One step is one month. `model.params` is the scenario in force (interventions replace it
    at their month; Mesa's own `model.scenario` is left to Mesa); `model.records` holds one
    dict of metrics per month, month 0 first.

    Args:
        scenario: every parameter; the default is the historical baseline.
        rng: seed or numpy Generator / SeedSequence; all randomness comes from it.
    """

    def __init__(self, scenario: Scenario | None = None,
                 rng: int | np.random.SeedSequence | np.random.Generator | None = None) -> None:
        super().__init__(rng=rng)
        self.initial_scenario = scenario if scenario is not None else Scenario()  # as given
        # in force: a co-operative council's levers set; changes at interventions
        self.params: Scenario = enact(self.initial_scenario)
        self.community_budget = CommunityBudget(self.params, self.rng)
        self.demand_avoided = 0.0  # share of need removed by co-production, behaviour change
        self.month = 0
        self.ledger = delivery.Ledger()
        self.failed_providers: list[Provider] = []
        self.tenders: list[Tender] = []
        self.contract_log: list[Contract] = []  # every contract let, for contracts.parquet
        self.reviews: list[Review] = []
        self.events: list[dict[str, int | str]] = []  # see `record_event`
        self.reviews_completed: dict[ReviewOption | str, int] = {}
        self.community_takeovers = self.tenders_without_bid = self.entrants = 0
        self.takeovers = self.mutuals_formed = self.asset_transfers = 0
        self.capital_receipts = self.receipts_forgone = 0.0  # GBP k from sold buildings
        self.contracts_terminated = self.cooperatives_formed = 0
        self.joint_ventures: list[JointVenture] = []
        self.operations_returned = 0  # units that reverted to the council that owns them
        self.trading_companies: list[TradingCompany] = []  # local authority trading companies
        # shared-service arrangements and redesign programmes (opt-in delivery models)
        self.arrangements: list[SharedService] = []
        self.programmes: list[TransformationProgramme] = []
        self.trust: np.ndarray | None = None  # between councils' senior members, when needed
        self.shared_services_ended = self.sharing_agreements_failed = self.redesigns_failed = 0
        self.sharing_agreements_sought = 0
        self.redesign_invested = self.redesign_savings = 0.0  # GBP k, cumulative
        # their own stream, spawned (not drawn) from the model's, so no other draw moves
        self.reform_rng = np.random.default_rng(_spawned(self.rng))
        self.parishes: dict[int, ParishCouncil] = {}  # by parish number, once set up
        self.parish_area: np.ndarray | None = None  # each cell's parish (parish_devolution)
        self.parish_devolutions = self.parish_declines = 0
        self.parish_precept_spend = 0.0  # GBP k of precept spent topping up devolved units
        self.land = generate_landscape(self.params.world, self.rng)
        self.grid = self._build_grid(self.land)
        self.councils = [Council(self, k, seat) for k, seat in enumerate(self.land.seats)]
        if self.params.world.two_tier:  # the county, seated with the first district
            self.councils.append(Council(self, len(self.councils), self.land.seats[0]))
        self.units = [ServiceUnit(self, plan, index)
                      for index, plan in enumerate(plan_units(self.params, self.land))]
        self.residents = ResidentArrays(self.params, self.land, self.rng)
        self.resident_agents = [Resident(self, i) for i in range(len(self.residents))]
        self.residents.connect(self.params, self.land, self.units)
        self.populated_cells = np.argwhere(self.land.households > 0)  # rows of `choices`
        self.volunteering = VolunteerArrays(self.params, self.residents, self.rng)
        self.co_production = CoProduction(self.params, len(self.residents))
        self.behaviour_change = BehaviourChange(self.params, len(self.residents))
        self.volunteer_agents: dict[int, Volunteer] = {}  # by resident index, once enrolled
        self._support_level = self._community_support()
        self.resentment = np.zeros(len(self.councils))
        self._investment = np.zeros(len(self.councils))
        self.council_set.do("draw_staff_enthusiasm")
        self._open_ecosystem()
        self.records: list[dict[str, float]] = [collect(self)]

    # ----- building ------------------------------------------------------------------------

    def _build_grid(self, land: Landscape) -> OrthogonalMooreGrid:
        grid = OrthogonalMooreGrid(land.shape, torus=False, random=self.random)
        for name in LAYERS:
            data = getattr(land, name)
            layer = grid.create_property_layer(name, default_value=data.dtype.type(0),
                                               dtype=data.dtype.type)
            layer.data = data.copy()
        return grid

    def _open_ecosystem(self) -> None:
        """Month 0: demand found, operators set, budgets opened, volunteering settled."""
        self._use_services()
        for unit in self.units:
            unit.size_to(unit.demand)
        self._use_services()
        commissioning.open_market(self)
        for council in self.councils:
            council.open_budget()
            council.plan_year(0)
        for unit in self.units:
            unit.mark_opening_operator()
        for _ in range(SETTLING_MONTHS):
            self._volunteer(update_capacity_layer=False)

    # ----- the monthly step ----------------------------------------------------------------

    def step(self) -> None:
        """One month, in the order of MODEL.md section 3."""
        self.month = int(self.time)
        self._calendar()
        self._manage_demand()
        self._use_services()
        self._volunteer()
        delivery.deliver_all(self)
        trade(self)
        commissioning.commissioning_round(self)
        self._settle_providers()
        self.council_set.do("close_month")
        self._update_views()
        self.records.append(collect(self))

    def _calendar(self) -> None:
        """Interventions due this month fire; books open; a new year sets budgets."""
        for change in self.params.interventions:
            if change.month == self.month:
                before = self.params.councils.staff_enthusiasm
                self.params = enact(self.params.applying(change.field, change.value))
                self.council_set.do("raise_enthusiasm", before,
                                    self.params.councils.staff_enthusiasm)
        self._take_decisions()
        self.ledger = delivery.Ledger()
        self.council_set.do("new_month")
        self.provider_set.do("new_month")
        if (self.month - 1) % 12 == 0:
            if self.month > 1:
                self.council_set.do("plan_year", (self.month - 1) // 12)
            # social investment available this year, per council
            self._investment = np.full(len(self.councils), self.params.funding.social_investment)
        self.council_set.do("plan_month")

    def _take_decisions(self) -> None:
        """Councils' own decisions due this month: levers, priorities, chosen reviews.

        In the first month the year's plan is made again, so the team's choices shape it.
        """
        for decision in self.params.decisions:
            if decision.month == self.month:
                council = self.councils[decision.council]
                council.decide(decision)
                open_chosen(self, council, decision.reviews)
                if self.month == 1:
                    council.plan_year(0)

    def _community_support(self) -> np.ndarray:
        """Each council's capacity-building spend (GBP k a year), its own lever if it set one."""
        return np.array([c.params.capacity.community_support for c in self.councils])

    def _manage_demand(self) -> None:
        """Strategies that work on demand and its funding advance one month.

        Co-production needs the council's time (paid for from its headroom: none under a
        freeze) and engaged residents; behaviour change builds up; a community budget's
        partners pool what trust, silos and strings allow.
        """
        params = self.params
        self.community_budget.advance(params)
        self.behaviour_change.advance(params, self.residents.trust)
        engaged = np.zeros(len(self.councils))
        if params.strategy.co_production:
            cost = params.strategy.co_production_cost / 12
            for council in self.councils:
                if council.afford(cost):
                    council.pay(Spending.SUPPORT, cost)
                    self.ledger.capacity_building += cost
                    engaged[council.index] = 1.0
        res = self.residents
        self.co_production.update(params, self.grid.community_capacity.data[res.cell_x,
                                                                            res.cell_y],
                                  engaged[res.council])

    def _demand_factor(self) -> np.ndarray | None:
        """(services, residents) share of need left by co-production and behaviour change."""
        strategy = self.params.strategy
        if not (strategy.co_production or strategy.behaviour_change
                or self.co_production.participation.any()):
            return None
        return self.co_production.demand_factor(self.params) \
            * self.behaviour_change.demand_factor(self.params)

    def _update_views(self) -> None:
        """Residents' satisfaction and trust; dis-benefits of behaviour change cost trust."""
        res = self.residents
        fit = None
        if self.co_production.participation.any():
            fit = self.co_production.fit(self.params, self.hyper_local_share()[res.council])
        res.update_views(self.params, self.reputations(), fit)
        if self.params.strategy.dis_benefit_resistance > 0 and self.behaviour_change.months:
            res.trust = np.clip(res.trust - self.behaviour_change.resistance(self.params), 0, 1)

    def _use_services(self) -> None:
        res = self.residents
        factor = self._demand_factor()
        res.update_need(self.params, self.month, self.community_budget.share, factor)
        self.demand_avoided = 0.0 if factor is None else \
            1 - float(res.need.sum()) / float((res.base_need * res.need_growth[:, None]).sum())
        is_open = np.array([u.is_open for u in self.units])
        capacity = np.array([u.capacity() for u in self.units])
        quality = np.array([u.quality for u in self.units])
        take_up = np.array([u.take_up() for u in self.units]) \
            if any(c.charging > 0 for c in self.councils) else None
        res.use_services(is_open, capacity, quality, self.rng, take_up)
        alloc = res.allocation
        assert alloc is not None
        for unit, d, s in zip(self.units, alloc.unit_demand, alloc.unit_served):
            unit.record_use(float(d), float(s))

    def _volunteer(self, update_capacity_layer: bool = True) -> None:
        """Volunteering, community capacity and resentment of withdrawn support."""
        params, vol = self.params, self.volunteering
        threat = np.array([u.threatened for u in self.units], dtype=float)
        community = np.array([u.operator_kind == OperatorKind.COMMUNITY for u in self.units])
        volunteerable = np.array([u.spec.volunteerable for u in self.units])
        appeal = volunteerable * (1 + THREAT_APPEAL * threat + COMMUNITY_APPEAL * community)
        capacity_layer = self.grid.community_capacity.data
        cells = self.populated_cells
        vol.update(params, self.residents, capacity_layer[cells[:, 0], cells[:, 1]],
                   self.resentment[self.land.council[cells[:, 0], cells[:, 1]]], threat, appeal)
        for unit, hours in zip(self.units, vol.hours_by_unit(self.residents, len(self.units))):
            unit.receive_volunteers(float(hours))
        support = self._community_support()
        drop = support_cut(self._support_level, support)
        self.resentment = np.clip(self.resentment * (1 - params.capacity.resentment_recovery)
                                  + params.capacity.withdrawal_resentment * drop, 0, 1)
        self._support_level = support
        if update_capacity_layer:
            capacity_layer[:] = update_capacity(params, capacity_layer, self.land.council,
                                                support)

    def _settle_providers(self) -> None:
        """Providers close their books: the insolvent fail, the idle leave, the rest grow."""
        for provider in self.providers:
            provider.look_for_key_people()
            provider.use_investment(self._investment)
            if provider.settle():
                commissioning.fail_provider(self, provider)
            elif not provider.units and not provider.awaiting_work \
                    and not provider.subcontracts:
                provider.remove()  # no work left: it leaves the local market
            else:
                provider.grow()

    def record_event(self, event: EventKind, council: int, unit: int = -1, why: str = "",
                     provider: str = "") -> None:
        """Record what happened this month, to whom and why (a row of `result.events`).

        Args:
            event: what happened.
            council: the council concerned.
            unit: the unit concerned (-1: none in particular).
            why: its cause: the trigger, the option chosen, the rule that applied.
            provider: kind of the provider concerned, if any.
        """
        self.events.append({"month": self.month, "council": council, "unit": unit,
                            "event": event, "provider_kind": provider, "why": why})

    # ----- views ---------------------------------------------------------------------------

    @property
    def council_set(self) -> AgentSet[Council]:
        """The councils, in index order."""
        return self.agents_by_type[Council]

    @property
    def provider_set(self) -> AgentSet[Provider]:
        """Active providers of every kind: private firms, mutuals, social enterprises, groups."""
        return AgentSet(self.providers, random=self.random)

    @property
    def providers(self) -> list[Provider]:
        """Active providers (every kind), kind by kind; joint ventures and parishes last."""
        by_type = self.agents_by_type
        return [a for cls in (*PROVIDER_CLASSES.values(), JointVentureCompany, ParishCouncil)
                for a in by_type.get(cls, ())]

    def providers_of(self, council: int) -> list[Provider]:
        """Active providers running at least one unit for `council`."""
        return [p for p in self.providers if any(u.council_id == council for u in p.units)]

    def active_volunteers(self) -> AgentSet[Volunteer]:
        """Volunteer agents of every resident cluster giving at least an hour this month.

        Volunteering is array code; a cluster's `Volunteer` agent is enrolled the first time
        it is asked for while the cluster volunteers, and kept from then on (the step itself
        does no agent bookkeeping).
        """
        return AgentSet([self.volunteer_of(i) for i in np.flatnonzero(
            self.volunteering.unit >= 0).tolist()], random=self.random)

    def volunteer_of(self, resident: int) -> Volunteer | None:
        """The Volunteer agent of resident cluster `resident`, if it volunteers or once did."""
        volunteer = self.volunteer_agents.get(resident)
        if volunteer is None and self.volunteering.unit[resident] >= 0:
            volunteer = Volunteer(self, self.resident_agents[resident])
            self.volunteer_agents[resident] = volunteer
        return volunteer

    def hyper_local_share(self) -> np.ndarray:
        """Per council, the share of its open units run by community groups."""
        open_units = np.zeros(len(self.councils))
        community = np.zeros(len(self.councils))
        for unit in self.units:
            if unit.is_open:
                open_units[unit.council_id] += 1
                community[unit.council_id] += unit.operator_kind == OperatorKind.COMMUNITY
        return community / np.maximum(open_units, 1)

    def reputations(self) -> np.ndarray:
        """Each council's reputation."""
        return np.array([c.reputation for c in self.councils])
