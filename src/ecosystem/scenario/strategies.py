"""The scenario's council-wide strategies, all off in the baseline.

Co-production, the co-operative council, behaviour change and community budgets are
methods that sit on top of any delivery model ("used in a variety of combinations"
[000:L13]; evidence.md 2.1, design note): they change how need arises and how services are
paid for, not who runs a unit. Every one is off by default, so the baseline is unchanged.
`enact` turns the co-operative council, a strategy that sets many levers at once, into the
levers it sets.

Every field declares its description, unit, bounds and, where one exists, its source.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ecosystem.names import ReviewOption
from ecosystem.scenario.parameters import Group, param

if TYPE_CHECKING:
    from ecosystem.scenario.schema import Scenario

#: Delivery models a co-operative council adds to those its reviews weigh: 'different models
#: of public service delivery, such as mutuals' [002:L482], community delivery [002:L500].
COOPERATIVE_OPTIONS: tuple[ReviewOption, ...] = (
    ReviewOption.MUTUAL, ReviewOption.COMMUNITY_TRANSFER, ReviewOption.SOCIAL_ENTERPRISE,
)


class Strategy(Group):
    """Council-wide strategies and demand-side methods (all off in the baseline)."""

    # ----- co-production (evidence.md M13) -------------------------------------------------
    co_production: bool = param(
        False, "Co-production: 'designing and delivering services in an equal and reciprocal "
        "relationship between all stakeholders' [000:L26], as Lambeth's 'community-led "
        "commissioning' [002:L482] and Turning Point's 'community-led audit of local need, "
        "service redesign' [002:L663]. Residents of engaged places take part in the "
        "co-producible (volunteerable) services: the service fits need better and demand "
        "falls, with a lag. Off in the baseline: 'very little by way of hard data' "
        "[002:L486].", "", None, None, "[000:L26; 002:L482; L486; L663]",
    )
    co_production_threshold: float = param(
        0.3, "Community capacity (resident engagement) below which a place does not take "
        "part in co-production; participation rises linearly from it to full at capacity 1. "
        "The documents name engagement as the precondition, not its level. Assumed; "
        "plausible range 0.1 to 0.5.", "0..1", 0.0, 0.99, "[002:L659]",
    )
    co_production_lag: float = param(
        24.0, "Months for participation to close about two thirds of the gap to its target "
        "(a first-order lag): the audit, redesign and business case come first [002:L663]. "
        "Assumed; plausible range 6 to 48.", "months", 1.0, 240.0, "[002:L663]",
    )
    co_production_demand_effect: float = param(
        0.05, "Share of the need for a co-produced service that full participation removes. "
        "The claim: Basildon's modelled GBP 4.44 saved per GBP 1 spent 'as a result of reduced "
        "demand on services' [002:L663-671], a modelled advocacy figure (evidence.md 4.12 "
        "puts it in the upper tail); the default is well below it. Assumed; plausible range "
        "0 to 0.2.", "share", 0.0, 0.5, "[002:L663-671]",
    )
    co_production_fit: float = param(
        0.1, "Rise in the quality residents experience from a co-produced service at full "
        "participation (capped at 1): services 'locally-relevant, responsive and fit for "
        "purpose' [002:L932]. Assumed; plausible range 0 to 0.2.", "share", 0.0, 0.5,
        "[002:L932]",
    )
    co_production_fragmentation: float = param(
        0.1, "Fall in co-production's better fit per unit share of the council's open units "
        "run by community groups: a hyper-local approach 'can be criticised as leading to "
        "fragmented provision' [002:L932]. At the default a council whose units were all "
        "community-run would lose all of the default fit. Assumed; plausible range 0 to "
        "0.3.", "per share", 0.0, 1.0, "[002:L932]",
    )
    co_production_cost: float = param(
        30.0, "Yearly cost to each council of running co-production (officers' time with "
        "residents, the community-led audit [002:L663]); a council that cannot afford it in "
        "a month (a spending freeze) engages no one that month. Assumed; plausible range 10 "
        "to 100.", "GBP k/year", 0.0, 5000.0, "[002:L663]",
    )
    # ----- co-operative council (evidence.md M14) ------------------------------------------
    cooperative_council: bool = param(
        False, "A co-operative council: a council-wide ethos in which residents are 'active "
        "participants rather than passive recipients' [002:L460] ('Co-operation between "
        "authorities, communities and service users/providers' [000:L20]). It switches "
        "co-production on, trains its members (cooperative_member_training), raises "
        "community support (cooperative_community_support) and staff enthusiasm for mutuals "
        "(cooperative_staff_enthusiasm), and adds mutuals, community transfer and social "
        "enterprise to the options its reviews weigh: Lambeth's four strands [002:L482], "
        "Oldham's training, devolution and community consortia [002:L494; L500].", "", None,
        None, "[000:L20; 002:L460; L482; L494; L500]",
    )
    cooperative_member_training: float = param(
        50.0, "Yearly spend on member training a co-operative council makes at least (it adds "
        "to capacity.commissioning_training up to this): Oldham's 'mandatory local "
        "leadership training for borough councillors' [002:L494]. Assumed; plausible range "
        "20 to 150.", "GBP k/year", 0.0, 5000.0, "[002:L494]",
    )
    cooperative_community_support: float = param(
        80.0, "Yearly community support a co-operative council gives at least "
        "(capacity.community_support is raised to this): Oldham's Community Dividend Fund "
        "'to encourage greater volunteering and activity in the community' [002:L500] and "
        "Lambeth's 'incentives to facilitate resident involvement' [002:L482]. Assumed "
        "(twice the baseline's 40); plausible range 40 to 200.", "GBP k/year", 0.0, 5000.0,
        "[002:L482; L500]",
    )
    cooperative_staff_enthusiasm: float = param(
        0.45, "Mean staff enthusiasm for a mutual under a co-operative council at least "
        "(councils.staff_enthusiasm is raised to this): staff get 'greater freedom and "
        "flexibility to innovate' [002:L500], yet spin-offs remained few [002:L486]. Assumed; "
        "plausible range 0.33 to 0.6.", "0..1", 0.0, 1.0, "[002:L486; L500]",
    )
    # ----- behaviour change (evidence.md N1) -----------------------------------------------
    behaviour_change: bool = param(
        False, "Behaviour change ('nudge'): 'choice architecture' [002:L605] that lowers "
        "demand slowly ('not something that happens overnight' [002:L619]), as much as "
        "residents trust the council as its messenger [002:L617]; 'complimentary to ... "
        "mainstream models of service, rather than being used to exit' [002:L619], so it "
        "closes nothing. Off in the baseline.", "", None, None, "[002:L605; L617; L619]",
    )
    behaviour_change_effect: float = param(
        0.05, "Share of need behaviour change removes at full build-up and full trust. The "
        "claim: savings 'of up to GBP 5 billion' nationally [002:L613], 'suggested', not "
        "shown; GP no-shows fell 'by around a third' in trials [002:L607], an upper bound "
        "for one narrow behaviour. Assumed and small; plausible range 0 to 0.2.", "share",
        0.0, 0.5, "[002:L607; L613]",
    )
    behaviour_change_years: float = param(
        4.0, "Years for behaviour change to build up about two thirds of its effect "
        "(1 - exp(-t / this)): change 'can take considerable time' [002:L619]. Assumed; "
        "plausible range 2 to 10.", "years", 0.1, 50.0, "[002:L619]",
    )
    behaviour_change_services: tuple[str, ...] = param(
        ("waste_collection", "youth_services"), "Services whose demand behaviour change "
        "targets: 'waste and recycling, special educational needs, and children's services' "
        "[002:L615] (youth services stand for children's services in the default "
        "catalogue). Names not in the catalogue are ignored.", "services", None, None,
        "[002:L615]",
    )
    resident_messengers: float = param(
        0.0, "How far using residents and members as messengers closes the gap between "
        "residents' trust in the council and full trust, for behaviour change: 'using "
        "residents themselves as messengers' and elected members [002:L617]. Assumed; "
        "plausible range 0 to 0.5.", "share", 0.0, 1.0, "[002:L617]",
    )
    dis_benefit_resistance: float = param(
        0.0, "Trust residents lose each month per unit of demand removed when behaviour "
        "change works through dis-benefits ('pay as you throw'), which 'has the potential to "
        "provoke resistance' [002:L617]; since the effect scales with trust, resistance "
        "erodes it. 0: no dis-benefits. Assumed; plausible range 0 to 0.2.", "per month",
        0.0, 1.0, "[002:L617]",
    )
    # ----- community budgets (evidence.md N5) ----------------------------------------------
    community_budget: bool = param(
        False, "A community budget: councils and other public bodies pool 'budgets held by "
        "other arms of the state e.g. health, policing, benefits' [002:L206] for care "
        "services and community_budget_services. Each partner body pools a share that grows "
        "with trust between partners ('new levels of trust' [002:L130]) and shrinks with "
        "its silo ('preciousness over finances' [002:L130]) and central strings [002:L728]. "
        "The pooled share in force is the larger of funding.pooled_budget_share and the "
        "partners' mean. Off in the baseline (only funding.pooled_budget_share acts).", "",
        None, None, "[002:L130; L206; L728]",
    )
    community_budget_partners: int = param(
        18, "Partner bodies in the community budget: West Cheshire's pilot had 18 partners, "
        "to grow to 150 organisations [002:L738].", "bodies", 1, 500, "[002:L738]",
    )
    community_budget_services: tuple[str, ...] = param(
        ("youth_services", "day_opportunities"), "Services pooled besides those pooled with "
        "health: West Cheshire's Starting Well (troubled families, early intervention) and "
        "Ageing Well themes [002:L747-751]. Names not in the catalogue are ignored.",
        "services", None, None, "[002:L747-751]",
    )
    central_strings: float = param(
        0.5, "Share of partners' budgets tied by central government: funding 'often comes "
        "with significant strings attached' and 'a generally prescriptive top-down model' "
        "[002:L728]. Each partner pools at most 1 minus this. Assumed; plausible range 0.2 to "
        "0.9.", "share", 0.0, 1.0, "[002:L728]",
    )
    partner_silo: float = param(
        0.4, "Mean silo index of partner bodies, each drawn from Beta(2, b) with this mean: "
        "'organisational silos, empire-building tendencies and preciousness over finances' "
        "[002:L130]. A partner pools (1 - silo) of what strings allow. Assumed; plausible "
        "range 0.2 to 0.7.", "0..1", 0.0, 0.99, "[002:L130]",
    )
    partner_trust_start: float = param(
        0.3, "Trust between the partners when the community budget starts; it grows towards 1 "
        "as they work together ('requiring new levels of trust' [002:L130]). Assumed; "
        "plausible range 0.1 to 0.6.", "0..1", 0.0, 1.0, "[002:L130]",
    )
    partner_trust_years: float = param(
        3.0, "Years for trust between partners to close about two thirds of its gap to 1: "
        "West Cheshire's project ran from March 2012 with implementation 'to 2015 and "
        "beyond' [002:L740]. Assumed; plausible range 1 to 8.", "years", 0.1, 50.0,
        "[002:L740]",
    )
    duplication_saving: float = param(
        0.05, "Cost saving on a pooled service at a fully pooled budget, from joint "
        "commissioning that removes 'the waste and duplication that arise from "
        "uncoordinated, centralised administration' [002:L206]. The claim: the LGA's 'GBP "
        "4.5 billion a year' [002:L724], not shown. Assumed; plausible range 0 to 0.15.",
        "share", 0.0, 0.5, "[002:L206; L724]",
    )


def enact(scenario: Scenario) -> Scenario:
    """The scenario with a co-operative council's levers set (unchanged if it is off).

    Levers are raised to the strategy's floors, never lowered, so enacting twice is the same
    as once; an intervention may switch the strategy on at any month.
    """
    strategy = scenario.strategy
    if not strategy.cooperative_council:
        return scenario
    capacity, councils = scenario.capacity, scenario.councils
    options = councils.options_considered + tuple(
        o for o in COOPERATIVE_OPTIONS if o not in councils.options_considered)
    return scenario.model_copy(update={
        "strategy": strategy.model_copy(update={"co_production": True}),
        "capacity": capacity.model_copy(update={
            "commissioning_training": max(capacity.commissioning_training,
                                          strategy.cooperative_member_training),
            "community_support": max(capacity.community_support,
                                     strategy.cooperative_community_support)}),
        "councils": councils.model_copy(update={
            "staff_enthusiasm": max(councils.staff_enthusiasm,
                                    strategy.cooperative_staff_enthusiasm),
            "options_considered": options}),
    })
