"""The service catalogue: what each service type is, costs and needs (MODEL.md section 2)."""

from __future__ import annotations

from ecosystem.scenario.parameters import Group, param


class ServiceType(Group):
    """One service type of the catalogue."""

    statutory: bool = param(
        False, "A statutory duty: councils fund need first. Adult social care is a duty that "
        "'falls to local authorities' [002:L188]; waste collection is a duty in English law "
        "(Environmental Protection Act 1990), which the seeds do not mention.",
        source="[002:L188]",
    )
    light_touch: bool = param(
        False, "Covered by the light-touch procurement regime: the review of the EU directives "
        "Localis urged [002:L315] ended in the Public Contracts Regulations 2015, whose "
        "light-touch regime (regulations 74-76, Schedule 3; not in the seeds) covers health, "
        "social, education, cultural and sporting services. Under procurement.regime = 'light' "
        "only these services get its short, cheap tenders.",
        source="[002:L311; L315]",
    )
    building: bool = param(
        True, "Building-based (sites with catchments) or area-based (zones). Model setting, "
        "not a claim about the world: how the model represents each service.",
    )
    catchment: float = param(
        6.0, "Catchment distance for building-based services. Assumed for each service (the "
        "seeds give no distances); plausible range half to double each default.",
        "cells", 0.5, 100.0,
    )
    need_per_household: float = param(
        0.1, "Need units per household per month (a need unit is the model's own measure of "
        "use). Assumed for each service; plausible range half to double each default.",
        "need/household", 0.0, 5.0,
    )
    site_capacity: float = param(
        2000.0, "Need units one site or zone serves at full funding. Assumed for each service; "
        "plausible range half to double each default.", "need units", 1.0, 1e7,
    )
    fixed_cost: float = param(
        10.0, "Running cost of one open site or zone team. Assumed for each service; plausible "
        "range half to double each default. A check for leisure centres: GLL's GBP 80m "
        "turnover over more than 100 centres [002:L561] is under GBP 67k a month a centre, "
        "against about GBP 50k for a default centre at full capacity. At least GBP 100 a "
        "month: an open unit always costs something to run (a free one would be tendered "
        "for nothing).",
        "GBP k/month", 0.1, 1e4, "[002:L561]",
    )
    cost_per_user: float = param(
        0.01, "Variable cost per need unit served. Assumed for each service; plausible range "
        "half to double each default.", "GBP k/need unit", 0.0, 10.0,
    )
    volunteerable: float = param(
        0.0, "Share of the work volunteers can do: the first volunteer-led services were "
        "'libraries and youth centres' [002:L262], and residents can 'mow grass verges or "
        "tend flowerbeds' [002:L675]. Assumed for each service; plausible range 0 to 0.8.",
        "share", 0.0, 1.0, "[002:L262; L675]",
    )
    trading_share: float = param(
        0.0, "Share of cost that can be earned by trading (fees, sales): councils may 'charge "
        "for discretionary services in order to recover costs' [002:L573]. Assumed for each "
        "service; plausible range half to double each default (at most 1).", "share", 0.0, 1.0,
        "[002:L573]",
    )
    protected: float = param(
        0.2,
        "Probability a council keeps this service in-house, from survey Q6, services that "
        "'would have to remain in-house under any circumstance' [002:L1012]: adult social care "
        "16.4% [002:L1015]; waste collection takes highways maintenance's 2.7% [002:L1019], "
        "the nearest item. The survey does not list the other six services: Assumed for them; "
        "plausible range 0 to 0.2.",
        "probability", 0.0, 1.0, "[002:L1012; L1015; L1019]",
    )
    remote: float = param(
        0.0, "Share of the distance penalty broadband removes: Defra's lessons include 'using "
        "broadband effectively' [000:L55]. Assumed for each service (0 except libraries); "
        "plausible range 0 to 0.6 for services partly delivered online.", "share", 0.0, 1.0,
        "[000:L55]",
    )
    outsourcing_affinity: float = param(
        1.0,
        "Relative likelihood of being commissioned out: commissioning 'tends to be in discrete "
        "service areas based on tried and tested forms of contracting', starting with social "
        "care after 1990 [002:L252], and partnering spread to 'streetscene, waste services and "
        "transport systems' [002:L357]. Assumed for each service; plausible range half to "
        "double each default.",
        "weight", 0.0, 10.0, "[002:L252; L357]",
    )
    demand_grows_with_ageing: bool = param(
        False, "Care for an ageing population: need grows at population.care_demand_growth "
        "and the service counts towards social_care_spend_share.", source="[002:L188]",
    )
    pooled_with_health: bool = param(
        False, "Its budget can be pooled with health (funding.pooled_budget_share): health "
        "pays part of its cost and joint prevention slows its need growth. Community budgets "
        "pool budgets 'held by other arms of the state e.g. health' [002:L206] for 'increased "
        "investment in prevention' [002:L724].",
        source="[002:L206; L724]",
    )
    rural_weight: float = param(
        0.0,
        "Extra need per household in rural cells (community transport is mostly rural). The "
        "seeds give no rural figures. Assumed; plausible range 0 to 5.",
        "multiplier", 0.0, 10.0,
    )


def default_catalogue() -> dict[str, ServiceType]:
    """The default eight service types of MODEL.md section 2."""
    return {
        "adult_social_care": ServiceType(
            statutory=True, building=False, need_per_household=0.30, site_capacity=4000,
            fixed_cost=20, cost_per_user=0.035, protected=0.164, outsourcing_affinity=1.6,
            demand_grows_with_ageing=True, pooled_with_health=True,
            light_touch=True,
        ),
        "libraries": ServiceType(
            catchment=7, need_per_household=0.10, site_capacity=1500, fixed_cost=12,
            cost_per_user=0.008, volunteerable=0.6, trading_share=0.03, protected=0.10,
            remote=0.4, outsourcing_affinity=0.5,
            light_touch=True,
        ),
        "youth_services": ServiceType(
            catchment=6, need_per_household=0.05, site_capacity=700, fixed_cost=8,
            cost_per_user=0.012, volunteerable=0.5, protected=0.10, outsourcing_affinity=0.7,
            light_touch=True,
        ),
        "day_opportunities": ServiceType(
            catchment=8, need_per_household=0.04, site_capacity=600, fixed_cost=9,
            cost_per_user=0.02, volunteerable=0.3, trading_share=0.05, protected=0.15,
            outsourcing_affinity=0.9,
            light_touch=True,
        ),
        "parks": ServiceType(
            building=False, need_per_household=0.10, site_capacity=3000, fixed_cost=8,
            cost_per_user=0.004, volunteerable=0.4, protected=0.05, outsourcing_affinity=1.0,
        ),
        "waste_collection": ServiceType(
            statutory=True, building=False, need_per_household=1.0, site_capacity=12000,
            fixed_cost=40, cost_per_user=0.006, protected=0.027, outsourcing_affinity=3.0,
        ),
        "leisure_centres": ServiceType(
            catchment=9, need_per_household=0.08, site_capacity=2500, fixed_cost=25,
            cost_per_user=0.01, volunteerable=0.1, trading_share=0.6, protected=0.03,
            outsourcing_affinity=2.2,
            light_touch=True,
        ),
        "community_transport": ServiceType(
            building=False, need_per_household=0.01, site_capacity=900, fixed_cost=4,
            cost_per_user=0.02, volunteerable=0.7, protected=0.05, rural_weight=3.0,
            outsourcing_affinity=0.8,
        ),
    }


#: Where the extra service types' values come from: the Delivering Differently cases
#: [003:L15-24] name the services; the seeds give none of their numbers.
_EXTRA_SIZES = ("Sizes (need, capacity, costs) are assumed, on the scale of the default "
                "services; plausible range half to double each.")


def extra_service_types() -> dict[str, ServiceType]:
    """Service types the Delivering Differently cases need, outside the default world.

    A scenario's `services.catalogue` entry with one of these names starts from the library
    entry, so a case can add `[services.catalogue.museums_heritage]` with no fields. The
    services are named in [003:L15-24]; every value not in the documents is assumed, with
    the plausible range in the comment beside it. Statutory duties the seeds do not mention
    come from English law and are marked so.
    """
    return {
        # Walsall Adult and Community College [003:L15]: course fees are trading income
        # (assumed 0.25; plausible range 0.1 to 0.4); a college is building-based; education
        # is a light-touch service. Discretionary (no duty in the seeds).
        "adult_education": ServiceType(
            catchment=10, need_per_household=0.03, site_capacity=800, fixed_cost=10,
            cost_per_user=0.015, volunteerable=0.1, trading_share=0.25, protected=0.05,
            outsourcing_affinity=0.8, light_touch=True,
        ),
        # Manchester's Domestic Violence and Abuse services [003:L17]: outreach across the
        # area (area-based), no fees, a little volunteer help (assumed 0.1; range 0 to 0.2).
        # Not statutory in the seeds (the Domestic Abuse Act 2021, after them, adds a duty
        # for safe accommodation): assumed discretionary.
        "domestic_abuse": ServiceType(
            building=False, need_per_household=0.01, site_capacity=600, fixed_cost=6,
            cost_per_user=0.03, volunteerable=0.1, protected=0.15, outsourcing_affinity=1.0,
            light_touch=True,
        ),
        # Dover's museum and tourism service [003:L20]: heritage assets (buildings), to
        # 'increase voluntary and community sector involvement' (volunteerable assumed 0.5;
        # range 0.3 to 0.7); admissions and tourism sales (trading assumed 0.3; range 0.1 to
        # 0.5); cultural services are light-touch.
        "museums_heritage": ServiceType(
            catchment=12, need_per_household=0.03, site_capacity=1200, fixed_cost=10,
            cost_per_user=0.005, volunteerable=0.5, trading_share=0.3, protected=0.05,
            outsourcing_affinity=0.6, light_touch=True,
        ),
        # Portsmouth's community safety partnership [003:L22]: area-based; a statutory
        # partnership under the Crime and Disorder Act 1998 (not in the seeds); some
        # volunteer work (street watch; assumed 0.2, range 0 to 0.4); no fees.
        "community_safety": ServiceType(
            statutory=True, building=False, need_per_household=0.05, site_capacity=4000,
            fixed_cost=8, cost_per_user=0.004, volunteerable=0.2, protected=0.1,
            outsourcing_affinity=0.5,
        ),
        # Nottinghamshire's Children's Disability Service [003:L23]: a statutory duty
        # (Children Act 1989; not in the seeds), area-based, no fees, little volunteer work
        # (assumed 0.05; range 0 to 0.1); social services are light-touch.
        "childrens_disability": ServiceType(
            statutory=True, building=False, need_per_household=0.01, site_capacity=500,
            fixed_cost=8, cost_per_user=0.05, volunteerable=0.05, protected=0.15,
            outsourcing_affinity=0.8, light_touch=True,
        ),
        # Cheshire West and Chester with Wirral's school traded services (school improvement,
        # curriculum, outdoor education, catering and cleaning) [003:L24]: sold to schools,
        # so most of the cost is earned by trading (assumed 0.7; range 0.5 to 0.9; Shropshire's
        # catering and cleaning earned GBP 3.2m of its GBP 10.2m from contracts outside the
        # county [002:L581]); area-based; no volunteers; education is light-touch.
        "school_traded_services": ServiceType(
            building=False, need_per_household=0.05, site_capacity=3000, fixed_cost=10,
            cost_per_user=0.006, trading_share=0.7, protected=0.05, outsourcing_affinity=1.0,
            light_touch=True,
        ),
    }
