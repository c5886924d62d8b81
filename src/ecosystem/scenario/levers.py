"""The scenario's policy levers: councils, procurement, funding and capacity building.

Every field declares its description, unit, bounds and, where one exists, its source.
"""

from __future__ import annotations

from typing import Literal

from pydantic import model_validator

from ecosystem.scenario.parameters import Group, param

#: Months the at-risk part of a payment-by-results contract is paid in arrears (assumed).
ARREARS_MONTHS = 3


class Councils(Group):
    """Councils' budgets, skills and dispositions."""

    budget_cut_total: float = param(
        0.28, "Real cut in council budgets over the cut period.", "share", 0.0, 0.9,
        "[002:L108; 002:L182]",
    )
    cut_years: int = param(5, "Years over which the cut is made.", "years", 1, 20, "[002:L182]")
    front_loading: float = param(
        0.6,
        "Share of the total cut made in the first two years ('the majority of the cuts "
        "coming in the first couple of years').",
        "share", 0.0, 1.0, "[002:L182]",
    )
    budget_headroom: float = param(
        1.0, "Opening budget relative to the opening cost of all services.", "ratio", 0.5, 2.0
    )
    reserves_share: float = param(
        0.05, "Opening reserves as a share of the annual budget.", "share", 0.0, 1.0
    )
    statutory_protection: float = param(
        0.5,
        "How far statutory services are spared the cut that discretionary ones take "
        "(1 = fully protected; assumed).",
        "share", 0.0, 1.0, "[002:L108]",
    )
    external_share: float = param(
        0.33, "Share of units run by external providers at month 0 ('roughly a third').",
        "share", 0.0, 1.0, "[002:L252]",
    )
    external_share_spread: float = param(
        0.08, "Spread of the opening external share between councils ('percentages vary').",
        "share", 0.0, 0.3, "[002:L252]",
    )
    commissioning_skill: float = param(
        0.5, "Commissioning skill: 'the greatest single determinant' of success.",
        "0..1", 0.0, 1.0, "[002:L819]",
    )
    risk_appetite: float = param(
        0.5, "Appetite for risk ('traditionally risk averse').", "0..1", 0.0, 1.0, "[002:L875]"
    )
    ideology: float = param(
        0.0, "-1 in-house only .. +1 market; 0 is provider-blind.", "-1..1", -1.0, 1.0,
        "[002:L140]",
    )
    step_in_probability: float = param(
        0.7,
        "Chance a council takes a failed provider's unit back in-house rather than closing it "
        "(statutory units are always taken back).",
        "probability", 0.0, 1.0, "[002:L299]",
    )
    take_back_threshold: float = param(
        0.4, "Lowest funding rate (share of cost) at which a council takes a unit back in-house "
        "rather than decommissioning it (assumed).", "share", 0.0, 1.0,
    )
    election_years: int = param(
        4, "Years between elections.", "years", 1, 10, "[002:L367]"
    )
    control_change_probability: float = param(
        0.2, "Chance an election changes political control, which can stop reviews and break "
        "partnerships (assumed base rate).", "probability", 0.0, 1.0, "[002:L367]",
    )
    review_trigger_gap: float = param(
        0.85, "A council reviews a discretionary service when it can fund its in-house units at "
        "less than this share of their cost (budget-gap trigger; assumed).", "share",
        0.0, 1.0, "[001:L19-28]",
    )
    challenge_rate: float = param(
        0.02, "Monthly chance of a bottom-up challenge by staff or community that opens a "
        "review (assumed).", "per month", 0.0, 1.0, "[002:L200; L510]",
    )
    review_stage_months: tuple[int, int, int, int, int] = param(
        (2, 3, 3, 6, 1), "Months of the five stages: strategic direction, options appraisal, "
        "business case, transition, launch (assumed).", "months", None, None, "[001:L19-70]",
    )
    review_cost: float = param(
        5.0, "Monthly cost of a review in progress.", "GBP k/month", 0.0, 500.0, "[001:L19-70]"
    )
    gate_pass: float = param(
        0.85, "Chance a review passes each board gate; stages 2 and 3 pass less often when "
        "weakly done (no external support).", "probability", 0.0, 1.0, "[001:L19-70; 002:L297]",
    )
    staff_enthusiasm: float = param(
        0.33, "Mean staff enthusiasm for a mutual, Beta-distributed per service team: mostly "
        "low (assumed; Beta(2,5) has mean 0.29).",
        "0..1", 0.0, 1.0, "[002:L542]",
    )
    mutual_threshold: float = param(
        0.6, "Staff enthusiasm a mutual spin-out needs (bottom-up only).", "0..1", 0.0, 1.0,
        "[002:L542]",
    )
    top_down_failure: float = param(
        0.7, "Chance a spin-out attempted without enough staff enthusiasm fails (top-down "
        "attempts fail).", "probability", 0.0, 1.0, "[002:L542]",
    )
    mutual_upfront_cost: float = param(
        100.0, "Upfront support a council gives a spin-out.", "GBP k", 0.0, 5000.0, "[002:L540]"
    )
    sharing_saving: float = param(
        0.08, "Cost saving on services shared with a neighbouring council (management overhead "
        "cut up to 45% on merger).", "share", 0.0, 0.5, "[002:L444]",
    )
    redesign_saving: float = param(
        0.05, "Cost saving from an in-house redesign (assumed).", "share", 0.0, 0.5, "[002:L236]"
    )
    reputation_loss_per_failure: float = param(
        0.05, "Trust residents lose in their council per provider failure in its area.",
        "trust", 0.0, 1.0, "[002:L299]",
    )


class Procurement(Group):
    """Tendering rules: regime, award weights, lots, contract terms, exemptions."""

    regime: Literal["full", "simplified", "light"] = param(
        "full", "Procurement regime: the full EU regime costs bidders and the council money and "
        "takes up to two years; simplified and light regimes are cheaper and faster.", "",
        None, None, "[002:L311]",
    )
    full_months: int = param(
        24, "Months a tender takes under the full regime ('two year timescale').", "months",
        1, 48, "[002:L311]",
    )
    simplified_months: int = param(
        12, "Months a tender takes under the simplified regime (assumed).", "months", 1, 48
    )
    light_months: int = param(
        3, "Months a tender takes under the light regime (assumed).", "months", 1, 48
    )
    bid_cost: float = param(
        0.03, "A bidder's cost of bidding under the full regime, as a share of the lot's annual "
        "value, plus GBP 15k; halved under simplified, a fifth under light (assumed).",
        "share", 0.0, 0.5,
        "[002:L311]",
    )
    council_cost: float = param(
        0.02, "The council's cost of running a tender under the full regime, as a share of the "
        "lot's annual value, plus GBP 10k; scaled like bid_cost (assumed).", "share", 0.0, 0.5,
        "[002:L311]",
    )
    price_weight: float = param(
        0.6, "Award weight on price.", "weight", 0.0, 1.0, "[002:L803]"
    )
    quality_weight: float = param(
        0.4, "Award weight on the assessed quality of a bid.", "weight", 0.0, 1.0, "[002:L803]"
    )
    social_value_weight: float = param(
        0.0, "Award weight on social value (local jobs and spend), as the Social Value Act 2012 "
        "allows.", "weight", 0.0, 1.0, "[002:L803]",
    )
    contract_years: float = param(
        5.0, "Length of an ordinary service contract.", "years", 0.5, 15.0, "[002:L381; L847]"
    )
    lot_size: Literal["unit", "zone", "council"] = param(
        "zone", "What one tender covers: a single unit, a service's units in one zone of the "
        "council, or all of a service's units in the council. Bigger lots exclude small "
        "bidders through financial standing.", "", None, None, "[002:L351]",
    )
    mutual_exemption_years: float = param(
        0.0, "Years a new mutual holds its first contract before open competition (0: none, "
        "as historically).", "years", 0.0, 10.0, "[002:L552]",
    )
    financial_standing_ratio: float = param(
        0.5, "Turnover a bidder needs, as a multiple of the lot's annual value.", "ratio",
        0.0, 5.0, "[002:L351]",
    )
    renewal_quality: float = param(
        0.5, "Quality an incumbent needs for its contract to be extended without a tender "
        "when the council cannot run one in time.", "quality", 0.0, 1.0,
    )
    entrants_per_tender: float = param(
        2.0, "Mean number of new providers that look at a tender for an urban lot; sparse "
        "rural lots draw fewer ('lack of providers', 34.2%).", "providers", 0.0, 20.0,
        "[002:L1006]",
    )

    @model_validator(mode="after")
    def _some_weight(self) -> Procurement:
        if self.price_weight + self.quality_weight + self.social_value_weight <= 0:
            raise ValueError("price_weight + quality_weight + social_value_weight must be > 0")
        return self

    def months(self) -> int:
        """Months a tender takes under the regime in force."""
        return {"full": self.full_months, "simplified": self.simplified_months,
                "light": self.light_months}[self.regime]

    def cost_scale(self) -> float:
        """Bid and council costs relative to the full regime."""
        return {"full": 1.0, "simplified": 0.5, "light": 0.2}[self.regime]


class Funding(Group):
    """How providers are paid and what else they earn."""

    private_margin: float = param(
        0.08, "Profit margin private firms price in (assumed).", "share", 0.0, 0.5
    )
    surplus_margin: float = param(
        0.03, "Surplus mutuals, social enterprises and community groups price in to reinvest "
        "(assumed).", "share", 0.0, 0.5,
    )
    scale_economy: float = param(
        0.04, "Cost saving per doubling of units a provider runs (assumed).", "share", 0.0, 0.3,
        "[002:L415]",
    )
    efficiency_spread: float = param(
        0.08, "Spread of unit-cost efficiency between providers; the mean is equal for every "
        "kind (provider neutrality).", "sd", 0.0, 0.5, "[002:L234]",
    )
    mutual_engagement_bonus: float = param(
        0.03, "Cost saving from staff engagement in mutuals (assumed, 0-5%).", "share", 0.0, 0.2,
        "[004:L37]",
    )
    grant_share: float = param(
        0.3, "Share of community groups' and social enterprises' council funding given as "
        "grants (awarded directly, paid whatever the results) rather than tendered contracts.",
        "share", 0.0, 1.0, "[002:L693]",
    )
    pbr_share: float = param(
        0.0, "Share of contract payments at risk on results (payment by results; Troubled "
        "Families moved 20%, 40%, 60%).", "share", 0.0, 1.0, "[002:L637]",
    )
    social_investment: float = param(
        0.0, "Repayable finance each council area's providers can draw when in distress.",
        "GBP k/year", 0.0, 10000.0, "[002:L645-649]",
    )
    pooled_budget_share: float = param(
        0.0, "Share of adult social care commissioned from a budget pooled with health: the "
        "partner adds a tenth of it and joint prevention slows demand growth (assumed sizes).",
        "share", 0.0, 1.0, "[002:L130; L724]",
    )
    rural_travel_cost: float = param(
        0.15, "Extra cost for a non-local provider (private firm) per unit of rurality of the "
        "site (assumed).", "share", 0.0, 1.0, "[000:L44]",
    )
    trading_allowed: bool = param(True, "Providers may earn trading income.", "", None, None,
                                  "[002:L575]")
    donations_per_volunteer_hour: float = param(
        0.002, "Donations community providers raise per volunteer hour.", "GBP k/hour", 0.0, 0.1
    )
    volunteer_hour_value: float = param(
        0.012, "Paid cost a volunteer hour replaces.", "GBP k/hour", 0.0, 0.1
    )
    expected_volunteer_cover: float = param(
        0.6, "Share of the volunteerable work a community group expects volunteers to cover when "
        "it prices a contract (assumed).", "share", 0.0, 1.0, "[002:L691]",
    )
    opening_reserves_months: float = param(
        2.0, "Providers' opening reserves in months of cost.", "months", 0.0, 24.0
    )
    insolvency_months: int = param(
        3, "Months with negative reserves after which a provider fails.", "months", 1, 24
    )
    cost_shock_sd: float = param(
        0.06, "Month-to-month spread of providers' delivery costs.", "sd", 0.0, 0.5
    )
    local_share_private: float = param(
        0.4, "Share of a private firm's spend kept in the area (assumed).", "share", 0.0, 1.0,
        "[002:L283]",
    )
    local_share_local: float = param(
        0.85, "Share of a council team's, mutual's, social enterprise's or community group's "
        "spend kept in the area (assumed).", "share", 0.0, 1.0, "[002:L283]",
    )


class Capacity(Group):
    """Capacity building: community support and its withdrawal."""

    community_support: float = param(
        40.0, "Each council's yearly spend on community capacity building.", "GBP k/year",
        0.0, 5000.0, "[002:L693]",
    )
    support_effect: float = param(
        0.03, "Monthly capacity growth at full support (assumed).", "per month", 0.0, 0.5
    )
    support_saturation: float = param(
        100.0, "Support per year at which the effect is half its maximum.", "GBP k/year",
        1.0, 1e4,
    )
    capacity_decay: float = param(
        0.006, "Monthly decay of community capacity without support.", "per month", 0.0, 0.2,
        "[002:L693]",
    )
    support_grant_share: float = param(
        0.5, "Share of community support paid as grants to the council's community groups; "
        "the rest builds capacity (assumed).", "share", 0.0, 1.0, "[002:L693]",
    )
    key_person_replacement: float = param(
        0.15, "Monthly chance a group that lost its key person finds another, at full community "
        "capacity (assumed).", "per month", 0.0, 1.0, "[002:L353]",
    )
    commissioning_training: float = param(
        0.0, "Each council's yearly spend on commissioning training; raises commissioning skill.",
        "GBP k/year", 0.0, 5000.0, "[002:L819; L827]",
    )
    provider_support: float = param(
        0.0, "Each council's yearly support to providers under three years old.",
        "GBP k/year", 0.0, 5000.0, "[002:L540]",
    )
    external_review_support: bool = param(
        False, "Delivering Differently style help: shortens and improves options appraisal and "
        "business case (stages 2 and 3), not transition.", "", None, None, "[003:L11]",
    )
    training_effect: float = param(
        0.01, "Monthly rise in commissioning skill at saturating training spend (assumed).",
        "per month", 0.0, 0.2,
    )
    withdrawal_resentment: float = param(
        0.3, "Drop in willingness to volunteer when support is withdrawn ('resentment and "
        "disillusion').", "share", 0.0, 1.0, "[002:L693]",
    )
    resentment_recovery: float = param(
        0.02, "Monthly recovery from resentment.", "per month", 0.0, 1.0
    )
    community_rescue: float = param(
        0.04, "Chance per month that a community group forms to save a threatened volunteerable "
        "unit, at full local capacity.", "per month", 0.0, 1.0, "[002:L691]",
    )
    rescue_funding_gap: float = param(
        0.5, "Share of its costs a group saving a threatened unit will find itself "
        "(volunteers, donations) rather than from the council (assumed).", "share", 0.0, 1.0,
        "[002:L691]",
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
