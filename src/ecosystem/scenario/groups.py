"""The scenario's groups that describe the place: world, population and services.

Also the entries of the interventions timeline; the policy levers are in
`procurement_rules.py`, `funding.py` and `capacity.py`.

Every field declares its description, unit, bounds and, where one exists, its source.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator, model_validator

from ecosystem.scenario.catalogue import ServiceType, default_catalogue, extra_service_types
from ecosystem.scenario.parameters import Group, param

#: Most service types a catalogue may hold (the default has eight): every type adds units
#: to the map and a coverage metric to every row of results.
MAX_SERVICES = 50


class World(Group):
    """The map: grid size, settlement pattern and council territories."""

    width: int = param(
        60, "Grid width in cells (one cell is about 1 km across). Model setting, not a claim "
        "about the world.", "cells", 10, 400,
    )
    height: int = param(
        40, "Grid height in cells. Model setting, not a claim about the world.", "cells", 10, 400
    )
    households: int = param(
        200_000, "Households on the whole map. Model setting, not a claim about the world: the "
        "size of the place simulated.", "households", 1_000, 20_000_000,
    )
    councils: int = param(
        3,
        "Number of councils; the first owns the main urban core, the others are mostly rural. "
        "Model setting, not a claim about the world: the place simulated (the seeds describe "
        "no council geography).",
        "councils", 1, 8,
    )
    urban_cores: int = param(
        2, "Number of urban cores (rank-size). Model setting, not a claim about the world: the "
        "settlement pattern of the place simulated.", "cores", 1, 6,
    )
    towns: int = param(
        8, "Number of market towns. Model setting, not a claim about the world: the settlement "
        "pattern of the place simulated.", "towns", 0, 40,
    )
    villages: int = param(
        60, "Number of villages. Model setting, not a claim about the world: the settlement "
        "pattern of the place simulated.", "villages", 0, 400,
    )
    urban_share: float = param(
        0.55, "Share of households living in urban cores, for a mixed urban and rural area (the "
        "seeds give no settlement figures). Assumed; plausible range 0.3 to 0.8.",
        "share", 0.0, 0.95,
    )
    town_share: float = param(
        0.2, "Share of households living in towns. Assumed; plausible range 0.1 to 0.35.",
        "share", 0.0, 0.9,
    )
    village_share: float = param(
        0.15, "Share of households in villages; the rest are sparse. Assumed; plausible range "
        "0.05 to 0.3.", "share", 0.0, 0.9,
    )
    capacity_deprivation_correlation: float = param(
        -0.2,
        "Correlation of community capacity with deprivation: weak, since 24 of the 38 supported "
        "asset transfers were in the 20% most deprived areas [002:L679], so capacity is not "
        "confined to affluent places. Assumed number; plausible range -0.5 to 0.2.",
        "correlation", -0.9, 0.9, "[002:L679]",
    )
    urban_council_share: float = param(
        0.9,
        "Share of urban households inside the first council's territory (the urban council); "
        "the others are mostly rural. Model setting, not a claim about the world: how the map "
        "is split between councils.",
        "share", 0.3, 1.0,
    )
    two_tier: bool = param(
        False, "A two-tier area: one more council, the county, holds every statutory service "
        "(adult social care, waste) across the whole map with its own budget, while the "
        "`councils` councils are its districts and hold the other services in their own "
        "territories. The documented tiers are county councils, district councils, "
        "metropolitan boroughs and unitary authorities [002:L448]. Off: every council is a "
        "single-tier (unitary) authority. Model setting: the place simulated.", "", None, None,
        "[002:L448]",
    )

    @model_validator(mode="after")
    def _shares_fit(self) -> World:
        if self.urban_share + self.town_share + self.village_share > 1.0:
            raise ValueError("urban_share + town_share + village_share must not exceed 1")
        return self


class Population(Group):
    """Residents: clusters of households, their need and their willingness to volunteer."""

    households_per_agent: int = param(
        50, "Households represented by one Resident agent. Model setting, not a claim about "
        "the world: it trades detail for speed.", "households", 1, 10_000,
    )
    care_demand_growth: float = param(
        0.025,
        "Annual growth of adult social care need from ageing: over-65s rise from 10m to 15m by "
        "2030, about 2.3% a year from 2012, and the care bill from GBP 14.5bn to 26.5bn a year, "
        "about 3.4% a year [002:L188].",
        "per year", 0.0, 0.1, "[002:L188]",
    )
    volunteer_willingness: float = param(
        0.12,
        "Mean share of households willing to volunteer at full community capacity. The seeds "
        "give no volunteering rate. Assumed; plausible range 0.05 to 0.3.",
        "share", 0.0, 1.0,
    )
    say_do_ratio: float = param(
        0.5,
        "Share of stated willingness that turns into hours: 'the gap between what people say "
        "and what people do' is a main barrier [000:L43]. Assumed number; plausible range 0.2 "
        "to 0.8.",
        "ratio", 0.0, 1.0, "[000:L43]",
    )
    hours_per_volunteer: float = param(
        8.0, "Hours a month given by one active volunteer household. Assumed (two hours a "
        "week); plausible range 4 to 16.", "hours/month", 0.0, 80.0,
    )
    threat_boost: float = param(
        1.0,
        "Extra willingness when a valued local service is threatened (1 doubles it): "
        "volunteering arose from 'the desire to preserve services and local assets considered "
        "valuable by the community' and 'cannot be commanded at will' [002:L691]. Assumed "
        "number; plausible range 0 to 2.",
        "multiplier", 0.0, 5.0, "[002:L691]",
    )
    key_person_hazard: float = param(
        0.01, "Monthly chance a key volunteer leaves: groups rely on 'a small number of "
        "individuals, whose ongoing involvement cannot be guaranteed' [002:L353]. Assumed "
        "number (about 11% a year); plausible range 0.005 to 0.03.", "per month", 0.0, 0.5,
        "[002:L353]",
    )
    burnout_rate: float = param(
        0.02, "Monthly share of volunteer effort lost to burnout and churn. Assumed; plausible "
        "range 0.005 to 0.05.", "per month", 0.0, 0.5,
    )
    satisfaction_memory: float = param(
        0.8, "Weight of last month's satisfaction in this month's. Assumed (satisfaction adjusts "
        "over about five months); plausible range 0.5 to 0.95.", "weight", 0.0, 0.99,
    )


class Services(Group):
    """The service catalogue and the standards units are held to."""

    catalogue: dict[str, ServiceType] = Field(
        default_factory=default_catalogue, max_length=MAX_SERVICES,
        description="Service types by name (the default eight of MODEL.md section 2).",
        json_schema_extra={"unit": ""},
    )

    @field_validator("catalogue", mode="before")
    @classmethod
    def _merged_into_the_defaults(cls, value: Any) -> Any:
        """Entries change the default catalogue rather than replace it.

        Fields an entry leaves out keep that service's default values; a name from the
        library of extra service types (`extra_service_types`, the Delivering Differently
        cases' services [003:L15-24]) starts from its library entry; any other new name
        starts from the generic defaults of `ServiceType`.
        """
        if not isinstance(value, dict):
            return value
        merged: dict[str, Any] = {name: spec.model_dump()
                                  for name, spec in default_catalogue().items()}
        library = extra_service_types()
        for name, entry in value.items():
            known = merged.get(name) or (library[name].model_dump() if name in library
                                         else None)
            merged[name] = {**known, **entry} if isinstance(entry, dict) and known else entry
        return merged

    @field_validator("catalogue")
    @classmethod
    def _names_addressable(cls, value: dict[str, ServiceType]) -> dict[str, ServiceType]:
        """A service's name is part of dotted paths and metric names: no dots, no spaces."""
        bad = [name for name in value if not name or any(c == "." or c.isspace() for c in name)]
        if bad:
            raise ValueError(f"service names {bad} cannot be used: a name is part of dotted "
                             "paths (services.catalogue.NAME.field), so it needs at least one "
                             "character and no dots or spaces")
        return value

    quality_standard: float = param(
        0.5, "Minimum quality for a unit to count as at standard: commissioning balances "
        "'meeting minimum standards' with local variation [002:L295], and the state is the "
        "'guarantor of standards' [002:L903]. The 0.5 anchors the model's own 0..1 quality "
        "scale: Model setting, not a claim about the world.", "quality 0..1", 0.0, 1.0,
        "[002:L295; L903]",
    )
    closure_months: int = param(
        6, "Months below standard, with no replacement, after which a unit closes. Assumed; "
        "plausible range 3 to 12.", "months", 1, 60,
    )
    zone_size: int = param(
        12, "Side of the square zones area-based services cover. Model setting, not a claim "
        "about the world.", "cells", 2, 100,
    )
    quality_adjustment: float = param(
        0.15, "Monthly share of the gap to target quality closed. Assumed (half the gap closes "
        "in about four months); plausible range 0.05 to 0.5.", "per month", 0.01, 1.0,
    )
    quality_floor: float = param(
        0.15, "Target quality of a unit with no funding at all. Assumed; plausible range 0 to "
        "0.3.", "quality", 0.0, 1.0,
    )
    quality_slope: float = param(
        0.7, "Target quality gained per unit of funding adequacy: with the defaults a unit falls "
        "below the standard when funded at under half of its cost. Assumed; plausible range "
        "0.5 to 1 (the standard is then missed below 70% to 35% of cost).", "quality",
        0.0, 2.0,
    )
    capacity_margin: float = param(
        1.15, "Capacity of a unit at month 0 relative to the need that reaches it. Assumed (15% "
        "spare); plausible range 1 to 1.5.", "ratio", 0.5, 3.0,
    )


class Intervention(Group):
    """A timed change of one scenario field."""

    month: int = Field(..., ge=1, le=1200, description="Month (1 = the first) it takes effect.")
    field: str = Field(..., description="Dotted path, e.g. capacity.community_support.")
    value: Any = Field(..., description="The new value.")
