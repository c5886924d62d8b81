"""The scenario's funding levers: grants, trading, social investment and charges.

Every field declares its description, unit, bounds and, where one exists, its source.
"""

from __future__ import annotations

from ecosystem.scenario.parameters import Group, param


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
    trading_company_external_sales: float = param(
        0.46, "External sales of a local authority trading company, relative to what it is paid "
        "to run its council's own service, once it has built its market: Shropshire's catering "
        "and cleaning earned GBP 3.2m in external contracts out of GBP 10.2m turnover "
        "[002:L581], 3.2 / 7.0 = 0.46 (31% of turnover). One council's figure for one service; "
        "for other services Assumed; plausible range 0 to 0.6.", "ratio", 0.0, 2.0,
        "[002:L581]",
    )
    trading_company_margin: float = param(
        0.05, "Mean margin a trading company makes on its external sales, returned to the "
        "council as a dividend (Essex Cares returned a GBP 3.5m profit as a dividend "
        "[002:L585]; its turnover is not given). Assumed number; plausible range -0.05 to 0.15.",
        "share", -0.5, 0.5, "[002:L573; L585]",
    )
    trading_company_margin_sd: float = param(
        0.08, "Spread of a trading company's margin from year to year: trading brings "
        "'additional risk and the possibility of incurring losses' [002:L601], which fall on "
        "the council. Assumed number; plausible range 0.03 to 0.15.", "share", 0.0, 0.5,
        "[002:L601]",
    )
    trading_company_ramp_years: float = param(
        3.0, "Years a trading company takes to build its external sales: success 'will depend "
        "on their ability to win market share', which needs commercial, sales and marketing "
        "skills [002:L601], and council decision-making 'can be considerably slower' "
        "[002:L599]. Assumed number; plausible range 1 to 5.", "years", 0.0, 20.0,
        "[002:L599; L601]",
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
