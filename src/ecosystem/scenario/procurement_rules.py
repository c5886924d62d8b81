"""The scenario's procurement levers: regimes, award weights, lots, contracts.

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
