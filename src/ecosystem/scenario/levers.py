"""The scenario's market and support levers: procurement, funding and capacity building.

The councils group, with the budget path, is in `councils.py`.

Every field declares its description, unit, bounds and, where one exists, its source.
"""

from __future__ import annotations

from typing import Literal

from pydantic import model_validator

from ecosystem.scenario.parameters import Group, param

#: Months the at-risk part of a payment-by-results contract is paid in arrears (assumed).
ARREARS_MONTHS = 3


class Procurement(Group):
    """Tendering rules: regime, award weights, lots, contract terms, exemptions."""

    regime: Literal["full", "simplified", "light"] = param(
        "full", "Procurement regime. Under the full EU regime, as historically, councils 'can "
        "accrue millions of pounds of costs' and take 'a two year timescale' [002:L311]; "
        "simplified and light regimes, rules 'much simpler, less administratively burdensome' "
        "as Localis urges [002:L142], are cheaper and faster. The light regime covers only the "
        "services the catalogue marks light_touch; a council that chooses it lets the others "
        "under the full regime.", "",
        None, None, "[002:L142; L311]",
    )
    full_months: int = param(
        24, "Months a tender takes under the full regime ('two year timescale').", "months",
        1, 48, "[002:L311]",
    )
    simplified_months: int = param(
        12, "Months a tender takes under the simplified regime. Assumed; plausible range 6 to "
        "18.", "months", 1, 48,
    )
    light_months: int = param(
        3, "Months a tender takes under the light regime. Assumed; plausible range 1 to 6.",
        "months", 1, 48,
    )
    bid_cost: float = param(
        0.03, "A bidder's cost of bidding under the full regime, as a share of the lot's annual "
        "value, plus GBP 15k; halved under simplified, a fifth under light. The seeds give no "
        "bidder's cost: the regime is costly [002:L311], and small organisations lack the "
        "capacity for 'large-scale procurement processes' [002:L351]. Assumed; plausible range "
        "0.01 to 0.05.",
        "share", 0.0, 0.5,
        "[002:L311; L351]",
    )
    council_cost: float = param(
        0.02, "The council's cost of running a tender under the full regime, as a share of the "
        "lot's annual value, plus GBP 10k; scaled like bid_cost. Councils 'can accrue millions "
        "of pounds of costs' [002:L311] on big deals. Assumed number; plausible range 0.01 to "
        "0.05.", "share", 0.0, 0.5,
        "[002:L311]",
    )
    price_weight: float = param(
        0.6, "Award weight on price: cost is to be 'balanced against' social, economic and "
        "environmental benefits [002:L803]. Assumed; plausible range 0.4 to 0.8.", "weight",
        0.0, 1.0, "[002:L803]",
    )
    quality_weight: float = param(
        0.4, "Award weight on the assessed quality of a bid ('improvements in services' are "
        "weighed with cost [002:L803]). Assumed; plausible range 0.2 to 0.6.", "weight",
        0.0, 1.0, "[002:L803]",
    )
    social_value_weight: float = param(
        0.0, "Award weight on social value (local jobs and spend): the Social Value Act 2012 "
        "requires councils to 'consider' it [002:L803] but sets no weight; 0 in the baseline, "
        "which starts in 2010. Assumed; plausible range 0 to 0.3.", "weight", 0.0, 1.0,
        "[002:L803]",
    )
    contract_years: float = param(
        5.0, "Length of an ordinary service contract. The seeds span private contracts let 'on "
        "a project or rolling year on year basis' [002:L847] to a 12-year joint venture "
        "(2005-2017) [002:L381]. Assumed; plausible range 3 to 10.", "years", 0.5, 15.0,
        "[002:L381; L847]",
    )
    lot_size: Literal["unit", "zone", "council"] = param(
        "zone", "What one tender covers: a single unit, a service's units in one zone of the "
        "council, or all of a service's units in the council. Bigger lots exclude small "
        "bidders through financial standing: small organisations may lack 'the infrastructural "
        "capacity to engage with large-scale procurement processes' [002:L351]. The seeds do "
        "not describe lot sizes. Assumed; plausible range unit to council.", "", None, None,
        "[002:L351]",
    )
    mutual_exemption_years: float = param(
        0.0, "Years a new mutual holds its first contract before open competition (0: none, "
        "as historically: the government was still 'seeking temporary exemption' [002:L258], "
        "which Localis urges [002:L552]).", "years", 0.0, 10.0, "[002:L258; L552]",
    )
    financial_standing_ratio: float = param(
        0.5, "Turnover a bidder needs, as a multiple of the lot's annual value: small "
        "organisations may lack the capacity for large procurements [002:L351]. Assumed "
        "number; plausible range 0.25 to 2.", "ratio",
        0.0, 5.0, "[002:L351]",
    )
    local_subcontracting: float = param(
        0.0, "Share of the work on a private firm's contract that it must subcontract to a "
        "local social enterprise or community group: a council 'may wish to specify that some "
        "elements of service provision are sub-contracted to local small and medium sized "
        "enterprises (SMEs), and community organisations' [002:L321]. The subcontractor does "
        "that share of the work for that share of the payment, and gains a foothold: the "
        "service enters its scope, so it can bid for the unit and take it over if the firm "
        "fails. 0 (off) as historically. Assumed; plausible range 0 to 0.3.", "share", 0.0,
        0.9, "[002:L321]",
    )
    consortium_bids: bool = param(
        False, "Whether local community groups and social enterprises may bid together for a "
        "lot of several units of a service volunteers can help with: Oldham built 'consortia "
        "of hyper-local community organisations' to 'bid for public service contracts' "
        "[002:L500]. The consortium's combined turnover counts for financial standing; its "
        "largest member leads, prices and runs the units. Off as historically (rare).",
        source="[002:L500]",
    )
    renewal_quality: float = param(
        0.5, "Quality an incumbent needs for its contract to be extended without a tender "
        "when the council cannot run one in time. Assumed; plausible range 0.4 to 0.7 (around "
        "services.quality_standard).", "quality", 0.0, 1.0,
    )
    entrants_per_tender: float = param(
        2.0, "Mean number of new providers that look at a tender for an urban lot; sparse "
        "rural lots draw fewer. A third of survey respondents named a 'lack of providers' a "
        "problem (34.2%) [002:L1006]. Assumed number; plausible range 0.5 to 4.", "providers",
        0.0, 20.0, "[002:L1006]",
    )

    @model_validator(mode="after")
    def _some_weight(self) -> Procurement:
        if self.price_weight + self.quality_weight + self.social_value_weight <= 0:
            raise ValueError("price_weight + quality_weight + social_value_weight must be > 0")
        return self

    def regime_for(self, light_touch: bool) -> str:
        """The regime a tender runs under: the light regime only where it applies."""
        return "full" if self.regime == "light" and not light_touch else self.regime

    def months(self, regime: str) -> int:
        """Months a tender takes under `regime`."""
        return {"full": self.full_months, "simplified": self.simplified_months,
                "light": self.light_months}[regime]

    @staticmethod
    def cost_scale(regime: str) -> float:
        """Bid and council costs under `regime`, relative to the full regime."""
        return {"full": 1.0, "simplified": 0.5, "light": 0.2}[regime]


class Funding(Group):
    """How providers are paid and what else they earn."""

    private_margin: float = param(
        0.08, "Profit margin private firms price in: contractors are 'entitled to make a fair "
        "and reasonable profit' [002:L319]. Assumed number; plausible range 0.03 to 0.15.",
        "share", 0.0, 0.5, "[002:L319]",
    )
    surplus_margin: float = param(
        0.03, "Surplus mutuals, social enterprises and community groups price in to reinvest "
        "(GLL: 'All profits are reinvested back into the services' [002:L567]). Assumed number; "
        "plausible range 0 to 0.08.", "share", 0.0, 0.5, "[002:L567]",
    )
    scale_economy: float = param(
        0.04, "Cost saving per doubling of units a provider runs ('economies of scale' "
        "[002:L415]). Assumed number; plausible range 0 to 0.1.", "share", 0.0, 0.3,
        "[002:L415]",
    )
    efficiency_spread: float = param(
        0.08, "Spread of unit-cost efficiency between providers; the mean is equal for every "
        "kind (provider neutrality: evidence points to 'poor performance of both outsourced "
        "and in-house service delivery' [002:L234]). Assumed number; plausible range 0.03 to "
        "0.15.", "sd", 0.0, 0.5, "[002:L234]",
    )
    mutual_engagement_bonus: float = param(
        0.03, "Cost saving from staff engagement in mutuals ('greater staff engagement and "
        "lower levels of absenteeism' [004:L37; 002:L530]). Assumed number; plausible range 0 "
        "to 0.05.", "share", 0.0, 0.2,
        "[004:L37; 002:L530]",
    )
    grant_share: float = param(
        0.3, "Share of community groups' and social enterprises' council funding given as "
        "grants (awarded directly, paid whatever the results) rather than tendered contracts; "
        "councils are moving 'from grant-giving to commissioning models' [002:L293; L693]. "
        "Assumed number; plausible range 0.1 to 0.6.",
        "share", 0.0, 1.0, "[002:L293; L693]",
    )
    pbr_share: float = param(
        0.0, "Share of contract payments at risk on results (payment by results; Troubled "
        "Families moved 20%, 40%, 60% [002:L637]); 0 in the baseline, where ordinary service "
        "contracts are not paid by results. Assumed; plausible range 0 to 0.6.", "share",
        0.0, 1.0, "[002:L637]",
    )
    social_investment: float = param(
        0.0, "Repayable finance each council area's providers can draw when in distress, as "
        "social impact bonds give 'upfront capital' [002:L643]; 0 in the baseline, since SIBs "
        "'have not yet established themselves as a widely used tool' [002:L653].",
        "GBP k/year", 0.0, 10000.0, "[002:L643; L653]",
    )
    investment_return: float = param(
        0.05, "Yearly return social investors charge on what providers owe them: investors "
        "'get their money back, along with a return on their investment' [002:L643]. Assumed "
        "number; plausible range 0.02 to 0.1.", "per year", 0.0, 1.0, "[002:L643]",
    )
    pooled_budget_share: float = param(
        0.0, "Share of adult social care commissioned from a budget pooled with health "
        "(budgets 'held by other arms of the state e.g. health' [002:L206]): the partner adds a "
        "tenth of it and joint prevention slows demand growth ('increased investment in "
        "prevention' [002:L724]; both sizes are the model's own). 0 in the baseline, given 'the "
        "paucity of examples of voluntarily pooled budgets' [002:L861].",
        "share", 0.0, 1.0, "[002:L206; L724; L861]",
    )
    rural_travel_cost: float = param(
        0.15, "Extra cost for a non-local provider (private firm) per unit of rurality of the "
        "site. The seeds give no rural cost figures. Assumed; plausible range 0 to 0.3.",
        "share", 0.0, 1.0,
    )
    trading_allowed: bool = param(
        True, "Providers may earn trading income: councils may trade commercially under the "
        "Local Government Act 2003 [002:L575], and social enterprises 'trade for a social or "
        "environmental purpose' [002:L335].", "", None, None, "[002:L335; L575]",
    )
    donations_per_volunteer_hour: float = param(
        0.002, "Donations community providers raise per volunteer hour. Assumed (GBP 2 an "
        "hour); plausible range 0 to 0.005.", "GBP k/hour", 0.0, 0.1,
    )
    volunteer_hour_value: float = param(
        0.012, "Paid cost a volunteer hour replaces. Assumed (GBP 12 an hour, a paid support "
        "worker's hour with on-costs); plausible range 0.008 to 0.02.", "GBP k/hour", 0.0, 0.1,
    )
    expected_volunteer_cover: float = param(
        0.6, "Share of the volunteerable work a community group expects volunteers to cover when "
        "it prices a contract: volunteering 'is not something that can be relied upon' "
        "[002:L691]. Assumed number; plausible range 0.3 to 0.9.", "share", 0.0, 1.0,
        "[002:L691]",
    )
    opening_reserves_months: float = param(
        2.0, "Providers' opening reserves in months of cost. Assumed; plausible range 1 to 6.",
        "months", 0.0, 24.0,
    )
    insolvency_months: int = param(
        3, "Months with negative reserves after which a provider with one source of income "
        "fails. Assumed; plausible range 1 to 6.", "months", 1, 24,
    )
    diversity_resilience: float = param(
        1.0, "How much longer a provider with a diverse income survives distress: it fails "
        "after insolvency_months x (1 + this x diversity) months with negative reserves, where "
        "diversity is 1 minus the Herfindahl index of its recent income from contracts, "
        "grants, trading and donations (0 for one stream, 0.75 for four equal ones). 'Finding "
        "the right mix of funding' is a main barrier and successful projects 'make use of "
        "funding innovations' [000:L42; L32]; the functional form is inferred (evidence.md "
        "S5). Assumed number; plausible range 0 to 2.", "ratio", 0.0, 10.0, "[000:L32; L42]",
    )
    cost_shock_sd: float = param(
        0.06, "Month-to-month spread of providers' delivery costs. Assumed; plausible range "
        "0.02 to 0.1.", "sd", 0.0, 0.5,
    )
    local_share_private: float = param(
        0.4, "Share of a private firm's spend kept in the area: local service staff's 'wages "
        "stay in the local economy' [002:L807], while profits and head-office costs leave. "
        "Assumed number; plausible range 0.2 to 0.6.", "share", 0.0, 1.0,
        "[002:L807]",
    )
    local_share_local: float = param(
        0.85, "Share of a council team's, mutual's, social enterprise's or community group's "
        "spend kept in the area (social enterprises mean 'a recycling of local wealth' "
        "[002:L337]; service wages stay local [002:L807]). Assumed number; plausible range 0.6 "
        "to 0.95.", "share", 0.0, 1.0, "[002:L337; L807]",
    )


class Capacity(Group):
    """Capacity building: community support and its withdrawal."""

    community_support: float = param(
        40.0, "Each council's yearly spend on community capacity building (councils have 'a "
        "key role to play in community capacity building' [002:L693]). A check: the national "
        "GBP 11.5m Right to Challenge and GBP 19m Right to Bid programmes [002:L677] come to "
        "about GBP 33k and 54k per English council in all (353 councils [002:L422]). Assumed "
        "number; plausible range 10 to 150.", "GBP k/year",
        0.0, 5000.0, "[002:L422; L677; L693]",
    )
    support_effect: float = param(
        0.03, "Monthly capacity growth at full support. Assumed; plausible range 0.01 to 0.06.",
        "per month", 0.0, 0.5,
    )
    support_saturation: float = param(
        100.0, "Support per year at which the effect is half its maximum. Assumed; plausible "
        "range 30 to 300.", "GBP k/year",
        1.0, 1e4,
    )
    capacity_decay: float = param(
        0.006, "Monthly decay of community capacity without support: when support 'is "
        "withdrawn then problems can emerge' [002:L693]. Assumed number (about 7% a year); "
        "plausible range 0.002 to 0.02.", "per month", 0.0, 0.2,
        "[002:L693]",
    )
    support_grant_share: float = param(
        0.5, "Share of community support paid as grants to the council's community groups; "
        "the rest builds capacity ('community capacity building and infrastructure support "
        "for the local third sector' [002:L693]). Assumed number; plausible range 0.2 to 0.8.",
        "share", 0.0, 1.0, "[002:L693]",
    )
    key_person_replacement: float = param(
        0.15, "Monthly chance a group that lost its key person finds another, at full community "
        "capacity: groups rely on 'a small number of individuals' [002:L353]. Assumed number; "
        "plausible range 0.05 to 0.3.", "per month", 0.0, 1.0, "[002:L353]",
    )
    commissioning_training: float = param(
        0.0, "Each council's yearly spend on commissioning training; raises commissioning skill "
        "(skill is probably 'the greatest single determinant' of success [002:L819], and there "
        "is 'an urgent need to strengthen' it [002:L827]). 0 in the baseline: the Commissioning "
        "Academy had only been announced [002:L815].",
        "GBP k/year", 0.0, 5000.0, "[002:L815; L819; L827]",
    )
    provider_support: float = param(
        0.0, "Each council's yearly support to providers under three years old: new mutuals "
        "may need resourcing 'before they are able to fully stand on their feet' [002:L540]. 0 "
        "in the baseline (the seeds name no such programme). Assumed; plausible range 0 to 200.",
        "GBP k/year", 0.0, 5000.0, "[002:L540]",
    )
    external_review_support: bool = param(
        False, "Delivering Differently style help: shortens and improves options appraisal and "
        "business case (stages 2 and 3), not transition: the advice 'does not include support "
        "to actually implement the chosen solution' [003:L11]. Off in the baseline: the "
        "programme supported 10 councils [003:L7].", "", None, None, "[003:L7; L11]",
    )
    training_effect: float = param(
        0.01, "Monthly rise in commissioning skill at saturating training spend. Assumed; "
        "plausible range 0.002 to 0.03.",
        "per month", 0.0, 0.2,
    )
    withdrawal_resentment: float = param(
        0.3, "Drop in willingness to volunteer when support is withdrawn ('resentment and "
        "disillusion' [002:L693]). Assumed number; plausible range 0.1 to 0.5.", "share",
        0.0, 1.0, "[002:L693]",
    )
    resentment_recovery: float = param(
        0.02, "Monthly recovery from resentment. Assumed (resentment halves in about three "
        "years); plausible range 0.01 to 0.1.", "per month", 0.0, 1.0,
    )
    community_rescue: float = param(
        0.04, "Chance per month that a community group forms to save a threatened volunteerable "
        "unit, at full local capacity: volunteering arises from 'the desire to preserve "
        "services and local assets considered valuable by the community' [002:L691]. Assumed "
        "number; plausible range 0.01 to 0.1.", "per month", 0.0, 1.0, "[002:L691]",
    )
    right_to_challenge: float = param(
        0.005, "Chance per month, at full community capacity across a council's area, that "
        "a community group uses the 'Right to Challenge' to 'bid to take over and run a local "
        "service themselves' [002:L200]: it opens a review of a volunteerable service in which "
        "community transfer is always weighed and has the group as its champion. Capacity "
        "building raises the chance (the right had an GBP 11.5m support programme "
        "[002:L677]). Assumed number (the right was little used); plausible range 0 to 0.05.",
        "per month", 0.0, 1.0, "[002:L200; L677]",
    )
    lease_upkeep: float = param(
        0.5, "Share of a transferred building's running cost (its fixed cost) the community "
        "group funds itself once it holds the lease, from donations, trading and support "
        "grants, rather than from the council's grant: a transfer 'on a long lease' "
        "[002:L681] hands over the building's upkeep, and running costs are the risk that "
        "brings such transfers down (evidence.md M12). A group that cannot meet it goes "
        "under and the lease reverts to the council. Assumed number; plausible range 0 to 1.",
        "share", 0.0, 1.0, "[002:L681]",
    )
    rescue_funding_gap: float = param(
        0.5, "Share of its costs a group saving a threatened unit will find itself "
        "(volunteers, donations) rather than from the council ('voluntary contributions, "
        "mutual self-help' [002:L691]). Assumed number; plausible range 0.2 to 0.8.", "share",
        0.0, 1.0, "[002:L691]",
    )
