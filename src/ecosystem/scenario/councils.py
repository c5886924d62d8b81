"""The councils lever group: the core (`council_core.py`) and the opt-in delivery models.

The settings here shape only the delivery models a scenario switches on: co-operatives,
shared-service arrangements, redesign programmes and joint ventures. `cut_done` and
`budget_factor` give the front-loaded budget path of a `Councils` group.
"""

from __future__ import annotations

from typing import Literal

from ecosystem.scenario.council_core import BASELINE_OPTIONS, CouncilCore, StageMonths
from ecosystem.scenario.parameters import param

__all__ = ["BASELINE_OPTIONS", "Councils", "StageMonths", "budget_factor", "cut_done"]


class Councils(CouncilCore):
    """Councils' budgets, skills and dispositions."""

    cooperative_min_capacity: float = param(
        0.4, "Community capacity near a service's units a co-operative needs for members: "
        "users and residents join as members (at Young Lambeth 'any resident will be able to "
        "become a member' [002:L484]). Below it a co-operative is a top-down attempt that "
        "fails at councils.top_down_failure. Assumed number; plausible range 0.2 to 0.6.",
        "0..1", 0.0, 1.0, "[002:L484]",
    )
    cooperative_user_voice: float = param(
        0.05, "Capability a multi-stakeholder co-operative gains from its users and community "
        "among its members: they counter the 'dominance by producer interest' of a staff-only "
        "mutual, which can fail 'to provide a service in the best interests of the consumer' "
        "[002:L534]. Assumed number; plausible range 0 to 0.1.", "quality", 0.0, 0.5,
        "[002:L534]",
    )
    cooperative_decision_slowdown: float = param(
        1.5, "How many times longer the transition to a co-operative takes than to a staff "
        "mutual: more stakeholders (employees, users, community [002:L534]) must agree. "
        "Assumed number; plausible range 1 to 2.", "ratio", 1.0, 5.0, "[002:L534]",
    )
    sharing_model: Literal["flat", "arrangement"] = param(
        "flat", "How a review's choice to share a service is carried out. 'flat' (the "
        "baseline): the council pairs with the nearest other council and both save "
        "`sharing_saving` at once. 'arrangement': a shared-service arrangement with a host "
        "council that runs the service for its members, formed only where senior politicians "
        "trust each other and agree a shared vision [002:L450], within reach of each other "
        "[002:L448], saving on pooled management [002:L444], and re-agreed when control "
        "changes. Model setting: the baseline was validated with 'flat'.", "", None, None,
        "[002:L444-452]",
    )
    sharing_trust: float = param(
        0.6, "Arrangement model: mean trust between the senior elected members of two councils "
        "(0..1), drawn per pair from Beta(2, b) with this mean and drawn again for a council "
        "whose control changes (its new leaders): arrangements are 'reliant on well-developed, "
        "mature relationships between senior elected members, built on a foundation of trust' "
        "[002:L450]. Assumed number; plausible range 0.3 to 0.9.", "0..1", 0.0, 1.0,
        "[002:L450]",
    )
    sharing_takeover_fear: float = param(
        0.5, "Arrangement model: chance a proposal founders on which council hosts what "
        "('unable to agree which part of a service delivery mechanism sits in which borough' "
        "[002:L450]) and the fear that one council is 'taking over' another [002:L452; "
        "L448], unless a sovereignty guarantee dispels it. Assumed number; plausible range "
        "0.2 to 0.7.", "probability", 0.0, 1.0, "[002:L448-452]",
    )
    sovereignty_guarantee: bool = param(
        False, "Arrangement model: members sign a 'sovereignty guarantee' that ring-fences "
        "each one's 'local accountability, budgets, service specification and decision and "
        "policy-making powers' [002:L452], as the Tri-borough did. Each member keeps its own "
        "budget and savings plan for its units either way; the guarantee removes "
        "`sharing_takeover_fear` from every agreement, first or after an election.", "", None,
        None, "[002:L452]",
    )
    sharing_reach: float = param(
        40.0, "Arrangement model: distance between a member's seat and the host's (km; a cell "
        "is about 1 km) at which sharing saves nothing, the saving falling linearly to it; "
        "councils further apart than this do not propose to share: 'less logic for sharing "
        "between more geographically disparate county councils than there is for district "
        "councils and metropolitan boroughs' [002:L448]. Assumed number; plausible range 20 "
        "to 80.", "km", 1.0, 500.0, "[002:L448]",
    )
    sharing_management_share: float = param(
        0.15, "Arrangement model: share of a service's running cost that is management, "
        "overheads and 'expensive skills and know-how' [002:L415], the part sharing pools. "
        "Assumed number; plausible range 0.05 to 0.25.", "share", 0.0, 1.0, "[002:L415]",
    )
    sharing_management_cut: float = param(
        0.45, "Arrangement model: share of management posts a three-member arrangement cuts "
        "beside a member's host: the Tri-borough's shared children's services, libraries "
        "and adult social care saw 'a 45% reduction in senior and middle management posts' "
        "[002:L444]. Scaled by (1 - 1/n) / (1 - 1/3) for n members (an inference: fewer "
        "duplicate posts with fewer teams merged).", "share", 0.0, 1.0, "[002:L444]",
    )
    redesign_model: Literal["flat", "programme"] = param(
        "flat", "How a review's choice of in-house redesign is carried out. 'flat' (the "
        "baseline): `redesign_saving` at once, at no cost. 'programme': a transformation "
        "programme ('redesign of services or activities currently provided in-house' "
        "[000:L22]; 'systems thinking' with improvement support such as iESE's [002:L236]) "
        "that costs `redesign_cost` upfront, delivers after `redesign_lead_months`, and may "
        "deliver less than planned or nothing. Model setting: the baseline was validated "
        "with 'flat'.", "", None, None, "[000:L22; 002:L236]",
    )
    redesign_planned_saving: float = param(
        0.15, "Programme model: the saving a redesign plans on its service's in-house cost; "
        "more than the yearly efficiency steps, since 'incremental gains are not the answer' "
        "[002:L250]. Assumed number; plausible range 0.05 to 0.3.", "share", 0.0, 0.9,
        "[002:L250]",
    )
    redesign_cost: float = param(
        0.15, "Programme model: upfront cost of a redesign (improvement support, staff time), "
        "as a share of a year of the service's in-house cost, paid when the transition "
        "starts. iESE argues it saves 'GBP 5 in efficiency savings for every GBP 1 invested' "
        "[002:L236], a claim about its own work. Assumed number; plausible range 0.05 to 0.3.",
        "share of a year", 0.0, 5.0, "[002:L236]",
    )
    redesign_lead_months: int = param(
        12, "Programme model: months between paying for a redesign and its savings "
        "arriving. Assumed; plausible range 6 to 24.", "months", 0, 60,
    )
    redesign_delivery: float = param(
        0.6, "Programme model: mean share of the planned saving a redesign that works "
        "delivers, drawn per programme from Beta(2, b) with this mean. The seeds report no "
        "failure rate for in-house redesign (evidence.md M1); iESE's GBP 5 per GBP 1 is "
        "self-reported [002:L236]. Assumed; plausible range 0.4 to 0.9.", "share", 0.0, 1.0,
        "[002:L236]",
    )
    redesign_failure: float = param(
        0.2, "Programme model: chance a redesign delivers nothing (its cost is spent). "
        "Assumed; plausible range 0.1 to 0.4.", "probability", 0.0, 1.0,
    )
    joint_venture_stake: float = param(
        0.199, "The council's ownership stake in a joint venture it forms for a service, and so "
        "its share of the venture's profits (gain share [002:L359]): Salford City Council held "
        "19.9% of Urban Vision, its private partners the majority [002:L381].", "share", 0.0,
        1.0, "[002:L359; L381]",
    )
    joint_venture_years: float = param(
        12.0, "Term of a joint venture's contract with the council: Salford's Urban Vision ran "
        "2005-2017 [002:L381].", "years", 1.0, 30.0, "[002:L381]",
    )
    joint_venture_promised_saving: float = param(
        0.19, "Share of a service's cost the council stops paying under a joint venture's "
        "contract: the savings promised to the council, which the partners carry the risk of "
        "[002:L381]. Calc: Salford's GBP 58m of savings [002:L395] against its GBP 250m "
        "contract [002:L381] is 58 / (250 + 58), about 0.19 of what the services would have "
        "cost; the documents give no promised figure, and the report is sponsored by a partner "
        "(evidence.md 0.3). Plausible range 0.05 to 0.25.", "share", 0.0, 0.9,
        "[002:L381; L395]",
    )
    joint_venture_transformation: float = param(
        0.2, "Mean cut in delivery cost a joint venture's partners achieve with the "
        "'expertise, capacity or capital' they bring [002:L359] (each venture draws its own, "
        "spread joint_venture_transformation_spread). Assumed; plausible range 0.05 to 0.3.",
        "share", 0.0, 0.9, "[002:L359]",
    )
    joint_venture_transformation_spread: float = param(
        0.1, "Spread (standard deviation) between joint ventures of the cost cut they achieve: "
        "some deliver (Salford [002:L395]), some make losses (Southwest One [002:L409]). "
        "Assumed; plausible range 0 to 0.2.", "share", 0.0, 0.5, "[002:L395; L409]",
    )
    joint_venture_loss_tolerance: float = param(
        0.25, "Losses, in years of its contract value, at which a joint venture that fails to "
        "achieve its savings is dissolved (Southwest One lost GBP 31.5m, then services came "
        "back in-house [002:L409]). Assumed; plausible range 0.1 to 1.", "years", 0.0, 10.0,
        "[002:L409]",
    )
    joint_venture_break_on_change: float = param(
        0.3, "Chance a joint venture is dissolved when political control of its council "
        "changes: 'changes of administration can be as fatal to a strategic partnership ... as "
        "a failure to achieve savings' [002:L367]. Assumed number (as for shared services); "
        "plausible range 0.1 to 0.6.", "probability", 0.0, 1.0, "[002:L367]",
    )
    joint_venture_reversal_months: float = param(
        3.0, "One-off cost of bringing a dissolved joint venture's services back in-house, in "
        "months of their cost (Somerset 'brought some services back in house' [002:L409]); "
        "half that where staff were seconded rather than transferred, since they are 'not too "
        "difficult to bring back' [002:L409]. Assumed; plausible range 1 to 12.", "months",
        0.0, 24.0, "[002:L409]",
    )
    joint_venture_staff_seconded: bool = param(
        True, "Whether the council's staff are seconded into a joint venture (Salford's 367 "
        "were [002:L381]) rather than transferred, which makes bringing them back cheaper "
        "[002:L409].", "", None, None, "[002:L381; L409]",
    )


def cut_done(councils: Councils, years: int) -> float:
    """Share of the total cut made after `years` years of cuts (front-loaded)."""
    k = min(max(years, 0), councils.cut_years)
    if councils.cut_years <= 2:
        return k / councils.cut_years
    if k <= 2:
        return councils.front_loading * k / 2
    rest = (k - 2) / (councils.cut_years - 2)
    return councils.front_loading + (1 - councils.front_loading) * rest


def budget_factor(councils: Councils, year: int) -> float:
    """Budget in simulated year `year` (0-based) relative to the opening budget.

    The cut starts in year 0: by default 28% over five years, 60% of it in the first two
    ("the majority of the cuts coming in the first couple of years" [002:L182]), then flat.
    """
    return 1.0 - councils.budget_cut_total * cut_done(councils, year + 1)
