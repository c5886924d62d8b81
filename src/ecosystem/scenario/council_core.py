"""The core of the councils lever group: budgets and the cut path, skills and dispositions.

`Councils` (councils.py) adds the settings of the opt-in delivery models to these.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from ecosystem.names import ReviewOption
from ecosystem.scenario.parameters import Group, param

#: Options a review weighs by default: the delivery models of the baseline. The others
#: (joint ventures, trading companies and the rest of the case library's models) are weighed
#: only where a scenario lists them, so the validated baseline is unchanged by their arrival.
BASELINE_OPTIONS: tuple[ReviewOption, ...] = (
    ReviewOption.IN_HOUSE_REDESIGN, ReviewOption.DECOMMISSION, ReviewOption.OUTSOURCE,
    ReviewOption.SHARE, ReviewOption.MUTUAL, ReviewOption.COMMUNITY_TRANSFER,
    ReviewOption.SOCIAL_ENTERPRISE,
)

#: Months one review stage may take: at least one (a stage ends in a board decision
#: [001:L21]), at most two years (twice the plausible 12).
StageMonths = Annotated[int, Field(ge=1, le=24)]


class CouncilCore(Group):
    """Councils' budgets, skills and dispositions."""

    budget_cut_total: float = param(
        0.28, "Real cut in council budgets over the cut period: local government's budget was "
        "'reduced by 28% over five years' from 2010 [002:L108; L182] (the seeds' figure is "
        "central government's budget for local government; the model cuts each council's "
        "whole budget by it).", "share", 0.0, 0.9,
        "[002:L108; 002:L182]",
    )
    cut_years: int = param(
        5, "Years over which the cut is made ('over five years' [002:L182]).", "years", 1, 20,
        "[002:L182]",
    )
    front_loading: float = param(
        0.6,
        "Share of the total cut made in the first two years: 'the majority of the cuts "
        "coming in the first couple of years' [002:L182], so more than half. Assumed number; "
        "plausible range 0.5 to 0.8.",
        "share", 0.0, 1.0, "[002:L182]",
    )
    budget_headroom: float = param(
        1.0, "Opening budget relative to the opening cost of all services. Assumed (councils "
        "start balanced); plausible range 0.9 to 1.1.", "ratio", 0.5, 2.0,
    )
    reserves_share: float = param(
        0.05, "Opening reserves as a share of the annual budget. Assumed; plausible range 0.02 "
        "to 0.15.", "share", 0.0, 1.0,
    )
    reserves_floor: float = param(
        0.02, "Reserves (share of the annual budget) a council never lets itself go below: "
        "the balanced-budget duty. When a month's spending would take it lower it issues an "
        "emergency spending freeze (as a section 114 notice does): capacity building, "
        "training and reviews stop, and spending is rationed, statutory services first, "
        "then contracts, then its own discretionary services. Assumed; plausible range 0 to "
        "0.05.", "share", 0.0, 0.5,
    )
    statutory_protection: float = param(
        0.5,
        "How far statutory services are spared the cut that discretionary ones take "
        "(1 = fully protected): rising social care costs were 'projected to consume the "
        "totality of councils' budgets' [002:L108]. Assumed number; plausible range 0.3 to 0.9.",
        "share", 0.0, 1.0, "[002:L108]",
    )
    external_share: float = param(
        0.33, "Share of units run by external providers at month 0 ('roughly a third').",
        "share", 0.0, 1.0, "[002:L252]",
    )
    external_share_spread: float = param(
        0.08, "Spread of the opening external share between councils ('percentages vary' "
        "[002:L252]). Assumed number; plausible range 0.03 to 0.15.",
        "share", 0.0, 0.3, "[002:L252]",
    )
    commissioning_skill: float = param(
        0.5, "Commissioning skill: probably 'the greatest single determinant' of success "
        "[002:L819]; half of survey respondents named the skills and capacity of commissioners "
        "a problem (49.3%) [002:L764; L1005], hence the middle of the scale. Assumed number; "
        "plausible range 0.3 to 0.7.",
        "0..1", 0.0, 1.0, "[002:L764; L819; L1005]",
    )
    risk_appetite: float = param(
        0.5, "Appetite for risk: options appraisal weighs 'the authority's appetite for risk' "
        "[001:L42], and councils are 'traditionally risk averse' [002:L875]. Assumed number; "
        "plausible range 0.2 to 0.6.", "0..1", 0.0, 1.0, "[001:L42; 002:L875]",
    )
    ideology: float = param(
        0.0, "-1 in-house only .. +1 market; 0 is provider-blind, as Localis recommends "
        "[002:L140; L281]. Real decisions were often taken 'through an ideological prism' "
        "[002:L112], so 0 is the baseline's average, not a finding. Assumed; plausible range "
        "-0.5 to 0.5.", "-1..1", -1.0, 1.0,
        "[002:L112; L140; L281]",
    )
    step_in_probability: float = param(
        0.7,
        "Chance a council takes a failed provider's unit back in-house rather than closing it "
        "(statutory units are always taken back): risk 'remains ultimately with the council' "
        "[002:L299], and Somerset brought services back in house after Southwest One's losses "
        "[002:L409]. Assumed number; plausible range 0.4 to 0.9.",
        "probability", 0.0, 1.0, "[002:L299; L409]",
    )
    take_back_threshold: float = param(
        0.4, "Lowest funding rate (share of cost) at which a council takes a unit back in-house "
        "rather than decommissioning it. Assumed; plausible range 0.2 to 0.6.", "share",
        0.0, 1.0,
    )
    election_years: int = param(
        4, "Years between elections, at which 'changes of administration' can be 'fatal' to a "
        "partnership [002:L367]. Four years is the English cycle (general knowledge, not in the "
        "seeds; some councils elect by thirds). Assumed; plausible range 1 to 4.", "years",
        1, 10, "[002:L367]",
    )
    control_change_probability: float = param(
        0.2, "Chance an election changes political control, which can stop reviews and break "
        "partnerships ('political instability or changes of administration' [002:L367]). "
        "Assumed base rate; plausible range 0.1 to 0.35.", "probability", 0.0, 1.0,
        "[002:L367]",
    )
    review_trigger_gap: float = param(
        0.85, "A council reviews a discretionary service when it can fund its in-house units at "
        "less than this share of their cost: 'budget reductions' drive reviews [003:L9], and "
        "councils respond to the financial challenge by 'exploring whether other providers are "
        "better placed' [002:L252]. Assumed number; plausible range 0.7 to 0.95.", "share",
        0.0, 1.0, "[003:L9; 002:L252]",
    )
    challenge_rate: float = param(
        0.02, "Monthly chance of a bottom-up challenge by staff or community that opens a "
        "review: the community 'Right to Challenge' [002:L200] and employees' 'Rights to "
        "Provide' [002:L510]. Assumed number; plausible range 0.005 to 0.05.", "per month",
        0.0, 1.0, "[002:L200; L510]",
    )
    review_stage_months: tuple[StageMonths, StageMonths, StageMonths, StageMonths,
                               StageMonths] = param(
        (2, 3, 3, 6, 1), "Months of the five stages [001:L19-70]: strategic direction, options "
        "appraisal, business case, transition, launch; 'each stage takes time' [001:L79]. "
        "Assumed numbers; plausible range 1 to 12 months a stage.", "months", None, None,
        "[001:L19-70; L79]",
    )
    options_considered: tuple[ReviewOption, ...] = param(
        BASELINE_OPTIONS, "Delivery models a council's options appraisal may weigh, besides "
        "'no change': Local Partnerships lists the options to consider [001:L30-40] and Defra "
        "finds eleven models 'used in a variety of combinations' [000:L13-26]. Whether an "
        "option is open for a given service still depends on the service and the council "
        "(staff enthusiasm, community capacity, a neighbour to share with). Model setting: "
        "the baseline weighs the seven models it was validated with; cases add the others.",
        "options", None, None, "[000:L13-26; 001:L30-40]",
    )
    review_cost: float = param(
        5.0, "Monthly cost of a review in progress: each stage 'may require additional "
        "support' [001:L79], and Delivering Differently gave a council up to GBP 100,000 of "
        "support for a review of its options [004:L40; L43]. Assumed number; plausible range 2 "
        "to 20.", "GBP k/month", 0.0, 500.0, "[001:L79; 004:L40; L43]",
    )
    gate_pass: float = param(
        0.85, "Chance a review passes each board gate ('a board or cabinet decision ... to "
        "progress, or to stop the process' [001:L21]); stages 2 and 3 pass less often when "
        "weakly done (no external support): programmes without 'a robust business and "
        "political case' were abandoned [002:L297]. Assumed number; plausible range 0.6 to "
        "0.95.", "probability", 0.0, 1.0, "[001:L21; 002:L297]",
    )
    staff_enthusiasm: float = param(
        0.33, "Mean staff enthusiasm for a mutual, drawn per service team from Beta(2, b) with "
        "this mean (about Beta(2, 4) at 0.33): mostly low, given 'employee reluctance' "
        "[002:L126] and staff 'reluctant to embrace mutuality' [002:L548]; a mutual needs "
        "'genuine employee enthusiasm' [002:L542]. Assumed number; plausible range 0.15 to 0.5.",
        "0..1", 0.0, 1.0, "[002:L126; L542; L548]",
    )
    mutual_threshold: float = param(
        0.6, "Staff enthusiasm a mutual spin-out needs: 'a bottom-up choice and not a "
        "top-down imposition' [002:L542]. Assumed number; plausible range 0.5 to 0.8.",
        "0..1", 0.0, 1.0, "[002:L542]",
    )
    top_down_failure: float = param(
        0.7, "Chance a spin-out attempted without enough staff enthusiasm fails (top-down "
        "attempts fail [002:L542]). Assumed number; plausible range 0.5 to 0.9.",
        "probability", 0.0, 1.0, "[002:L542]",
    )
    mutual_upfront_cost: float = param(
        100.0, "Upfront support a council gives a spin-out: mutuals 'can involve upfront "
        "costs' [002:L540]. Assumed number; plausible range 50 to 300.", "GBP k", 0.0, 5000.0,
        "[002:L540]",
    )
    sharing_saving: float = param(
        0.08, "Cost saving on services shared with a neighbouring council: the Tri-borough cut "
        "senior and middle management posts by 45% [002:L444] and expected savings of GBP 40m "
        "a year [002:L446], about 2.7% of its GBP 1.5bn spend [002:L444]. Assumed number; "
        "plausible range 0.02 to 0.15.", "share", 0.0, 0.5, "[002:L444; L446]",
    )
    redesign_saving: float = param(
        0.05, "Cost saving from an in-house redesign ('in-house improvements to services' such "
        "as 'systems thinking' [002:L236]). Assumed; plausible range 0.02 to 0.1.", "share",
        0.0, 0.5, "[002:L236]",
    )
    efficiency_saving: float = param(
        0.02, "First step of the yearly savings plan: in a year with a budget gap the council "
        "strips this share of the cost out of its in-house services ('stripping out waste and "
        "inefficiency in-house' comes first [002:L778]). Assumed number; plausible range 0 to "
        "0.05 a year.", "share/year", 0.0, 0.5, "[002:L778]",
    )
    efficiency_limit: float = param(
        0.10, "Most the yearly efficiency steps save in total: 'incremental gains are not the "
        "answer' [002:L250]. Assumed number; plausible range 0 to 0.2.", "share", 0.0, 0.9,
        "[002:L250]",
    )
    min_service_level: float = param(
        0.5, "Lowest service level (share of full hours and capacity) the savings plan runs a "
        "discretionary in-house unit at: under a shrinking budget 'quality or coverage must "
        "fall' (evidence.md M0, inferred), so the plan first thins services; a unit that "
        "cannot be funded even at this level is given notice of closure. Assumed; plausible "
        "range 0.3 to 0.7.", "share", 0.05, 1.0,
    )
    priority_strength: float = param(
        1.0, "How unevenly the savings plan spreads the cut over its discretionary services: "
        "councils weigh 'the priorities of local residents and identification of community "
        "needs' [002:L770], 'prioritising what they think is most important locally and "
        "decommissioning services which they feel are not as pressing' [002:L504]. A "
        "service's share of the cut grows with (mean value / its value)^strength, where its "
        "value is the need it serves per pound; 0 cuts every service alike. Assumed; "
        "plausible range 0 to 2.", "exponent", 0.0, 5.0, "[002:L504; L770]",
    )
    capital_receipt: float = param(
        24.0, "What a council gets by selling a closed building, in months of the building's "
        "running (fixed) cost. A community asset transfer forgoes it: transfers 'can conflict "
        "with the onus on a local authority to maximise capital receipts ... where a sale on "
        "the open market may bring a much needed cash windfall' [002:L681]. Receipts are "
        "capital, which English councils may not spend on running services (a rule the seeds "
        "do not state), so they are counted (`capital_receipts`, `receipts_forgone`) and "
        "weighed in reviews, not added to reserves. Assumed number; plausible range 0 to 60.",
        "months", 0.0, 600.0, "[002:L681]",
    )
    charging: float = param(
        0.0, "Charges a council adds to its chargeable discretionary services (those with a "
        "trading share) when efficiency alone cannot close its budget gap, as a share of their "
        "running cost: councils may 'charge for discretionary services in order to recover "
        "costs' [002:L573]. 0 keeps fees at their trading level. Assumed; plausible range 0 to "
        "0.3.", "share", 0.0, 1.0, "[002:L573]",
    )
    charge_deterrence: float = param(
        0.5, "Share of use a charge puts off, per unit of charge (as a share of cost): at 0.5 a "
        "charge of 20% of cost deters 10% of use, which stays as unmet need. The seeds give "
        "no figure. Assumed; plausible range 0.2 to 1.", "per charge", 0.0, 5.0,
    )
    closure_notice_months: int = param(
        6, "Months between a savings plan's decision to close a unit and its closure, during "
        "which residents may volunteer for it or a community group may take it on: volunteers "
        "come forward when a valued service is threatened [002:L691]. Assumed (closures are "
        "consulted on); plausible range 3 to 12.", "months", 0, 60, "[002:L691]",
    )
    reputation_loss_per_failure: float = param(
        0.05, "Trust residents lose in their council per provider failure in its area: "
        "residents 'will rightly hold the local authority ultimately responsible' [002:L299]. "
        "Assumed number; plausible range 0.01 to 0.1.",
        "trust", 0.0, 1.0, "[002:L299]",
    )
