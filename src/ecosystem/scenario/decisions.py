"""A council's own decisions: what one council's team chose for one budget year.

Interventions change a lever for every council; a decision is one council's savings plan
for a year, as a workshop team makes it (`ecosystem.workshop`): its own levers (community
support, commissioning training, the procurement rules of its tenders), which services its
savings plan protects or cuts first, and which services it reviews with an option already
chosen. A scenario's `decisions` list replays a game: `run()` fires each at its month as the
room did.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from ecosystem.names import ReviewOption
from ecosystem.scenario.parameters import Group

#: Levers a council may set for itself (dotted path -> what a team is asked).
COUNCIL_LEVERS: dict[str, str] = {
    "capacity.community_support": "Community support (£k a year)",
    "capacity.commissioning_training": "Commissioning training (£k a year)",
    "procurement.regime": "Procurement route for its tenders",
    "procurement.lot_size": "Lot size of its tenders",
    "procurement.social_value_weight": "Weight on social value in its tenders",
}

#: How a savings plan treats a service a team marked: its share of the cut is multiplied by
#: this. Councils protect some services from cuts and outsourcing (survey Q6 [002:L1015-1024]);
#: the factors are assumed (plausible range 0.1 to 0.5 for protect, 2 to 10 for cut first).
PRIORITY_CUT: dict[str, float] = {"protect": 0.25, "cut_first": 4.0}

#: Options a team may choose for a service, in the order a form lists them.
TEAM_OPTIONS: tuple[ReviewOption, ...] = (
    ReviewOption.IN_HOUSE_REDESIGN, ReviewOption.OUTSOURCE, ReviewOption.OPERATIONS_CONTRACT,
    ReviewOption.SHARE, ReviewOption.MUTUAL, ReviewOption.SOCIAL_ENTERPRISE,
    ReviewOption.COMMUNITY_TRANSFER, ReviewOption.DECOMMISSION,
)


class Decision(Group):
    """One council's decisions, taking effect at one month (the start of a budget year)."""

    month: int = Field(..., ge=1, le=1200,
                       description="Month (1 = the first) the decisions take effect.")
    council: int = Field(..., ge=0, description="The council's index (0 = the first).")
    levers: dict[str, Any] = Field(
        default_factory=dict,
        description="Its own lever values by dotted path (only those in COUNCIL_LEVERS).")
    priorities: dict[str, Literal["protect", "as_planned", "cut_first"]] = Field(
        default_factory=dict,
        description="Services its savings plan protects or cuts first (by service name).")
    reviews: dict[str, ReviewOption] = Field(
        default_factory=dict,
        description="Services it reviews, each with the option it has chosen.")


def decision_problems(scenario: Any, decisions: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """Every problem with `decisions` against `scenario` (a `Scenario` without decisions).

    A decision must name a council of the world, a month within the run, levers a council
    may set to values the scenario accepts, and services of the catalogue; a statutory
    service cannot be decommissioned, and sharing needs a neighbour.
    """
    problems: list[tuple[str, str]] = []
    catalogue = scenario.services.catalogue
    for i, decision in enumerate(decisions):
        where = f"decisions.{i}"
        if decision.get("council", 0) >= scenario.world.councils:
            problems.append((f"{where}.council", f"there are {scenario.world.councils} "
                             "councils (numbered from 0)"))
        if decision.get("month", 1) > scenario.months:
            problems.append((f"{where}.month", f"month {decision['month']} is after the run's "
                             f"last ({scenario.months})"))
        problems += _lever_problems(scenario, decision.get("levers") or {}, where)
        for table in ("priorities", "reviews"):
            problems += [(f"{where}.{table}.{name}", f"no service {name!r} (services: "
                          f"{', '.join(catalogue)})")
                         for name in decision.get(table) or {} if name not in catalogue]
        for name, option in (decision.get("reviews") or {}).items():
            problems += _option_problems(scenario, name, option, f"{where}.reviews.{name}")
    return problems


def _lever_problems(scenario: Any, levers: dict[str, Any], where: str) -> list[tuple[str, str]]:
    problems = []
    for path, value in levers.items():
        if path not in COUNCIL_LEVERS:
            problems.append((f"{where}.levers.{path}", "a council cannot set this for itself "
                             f"(it may set: {', '.join(COUNCIL_LEVERS)})"))
            continue
        try:
            scenario.applying(path, value)
        except ValueError as err:
            detail = "; ".join(m for _, m in getattr(err, "problems", [])) or str(err)
            problems.append((f"{where}.levers.{path}", detail))
    return problems


def _option_problems(scenario: Any, service: str, option: str,
                     where: str) -> list[tuple[str, str]]:
    spec = scenario.services.catalogue.get(service)
    if option not in TEAM_OPTIONS:
        return [(where, f"{str(option)!r} is not an option a team can choose (options: "
                 f"{', '.join(TEAM_OPTIONS)})")]
    if spec is not None and spec.statutory and option == ReviewOption.DECOMMISSION:
        return [(where, f"{service} is statutory: it cannot be decommissioned")]
    if option == ReviewOption.SHARE and scenario.world.councils < 2:
        return [(where, "sharing needs a neighbouring council")]
    return []
