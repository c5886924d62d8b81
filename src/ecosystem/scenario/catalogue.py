"""The service catalogue: what each service type is, costs and needs (MODEL.md section 2)."""

from __future__ import annotations

from ecosystem.scenario.parameters import Group, param


class ServiceType(Group):
    """One service type of the catalogue."""

    statutory: bool = param(False, "A statutory duty: councils fund need first.")
    building: bool = param(True, "Building-based (sites with catchments) or area-based (zones).")
    catchment: float = param(
        6.0, "Catchment distance for building-based services.", "cells", 0.5, 100.0
    )
    need_per_household: float = param(
        0.1, "Need units per household per month.", "need/household", 0.0, 5.0
    )
    site_capacity: float = param(
        2000.0, "Need units one site or zone serves at full funding.", "need units", 1.0, 1e7
    )
    fixed_cost: float = param(
        10.0, "Running cost of one open site or zone team.", "GBP k/month", 0.0, 1e4
    )
    cost_per_user: float = param(
        0.01, "Variable cost per need unit served.", "GBP k/need unit", 0.0, 10.0
    )
    volunteerable: float = param(
        0.0, "Share of the work volunteers can do.", "share", 0.0, 1.0, "[002:L691]"
    )
    trading_share: float = param(
        0.0, "Share of cost that can be earned by trading (fees, sales).", "share", 0.0, 1.0
    )
    protected: float = param(
        0.2,
        "Probability a council keeps this service in-house (survey Q6).",
        "probability", 0.0, 1.0, "[002:L1015-1024]",
    )
    remote: float = param(
        0.0, "Share of the distance penalty broadband removes (assumed).", "share", 0.0, 1.0,
        "[000:L55]",
    )
    outsourcing_affinity: float = param(
        1.0,
        "Relative likelihood of being commissioned out: tried-and-tested contracting areas "
        "are higher.",
        "weight", 0.0, 10.0, "[002:L252]",
    )
    demand_grows_with_ageing: bool = param(
        False, "Care for an ageing population: need grows at population.care_demand_growth "
        "and the service counts towards social_care_spend_share.", source="[002:L188]",
    )
    pooled_with_health: bool = param(
        False, "Its budget can be pooled with health (funding.pooled_budget_share): health "
        "pays part of its cost and joint prevention slows its need growth.",
        source="[002:L130; L724]",
    )
    rural_weight: float = param(
        0.0,
        "Extra need per household in rural cells (community transport is mostly rural).",
        "multiplier", 0.0, 10.0,
    )


def default_catalogue() -> dict[str, ServiceType]:
    """The default eight service types of MODEL.md section 2."""
    return {
        "adult_social_care": ServiceType(
            statutory=True, building=False, need_per_household=0.30, site_capacity=4000,
            fixed_cost=20, cost_per_user=0.035, protected=0.164, outsourcing_affinity=1.6,
            demand_grows_with_ageing=True, pooled_with_health=True,
        ),
        "libraries": ServiceType(
            catchment=7, need_per_household=0.10, site_capacity=1500, fixed_cost=12,
            cost_per_user=0.008, volunteerable=0.6, trading_share=0.03, protected=0.10,
            remote=0.4, outsourcing_affinity=0.5,
        ),
        "youth_services": ServiceType(
            catchment=6, need_per_household=0.05, site_capacity=700, fixed_cost=8,
            cost_per_user=0.012, volunteerable=0.5, protected=0.10, outsourcing_affinity=0.7,
        ),
        "day_opportunities": ServiceType(
            catchment=8, need_per_household=0.04, site_capacity=600, fixed_cost=9,
            cost_per_user=0.02, volunteerable=0.3, trading_share=0.05, protected=0.15,
            outsourcing_affinity=0.9,
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
        ),
        "community_transport": ServiceType(
            building=False, need_per_household=0.01, site_capacity=900, fixed_cost=4,
            cost_per_user=0.02, volunteerable=0.7, protected=0.05, rural_weight=3.0,
            outsourcing_affinity=0.8,
        ),
    }
