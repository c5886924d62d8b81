"""What the evidence says each lever does: the direction of its effect on one output.

`benchmarks/lever_directions.py` measures every claim over paired seeds and prints which
hold; `tests/patterns/test_levers.py` asserts those in `ROBUST`. A claim that does not hold
is reported, never forced.
"""

from __future__ import annotations

from typing import Any

#: (overrides, metric, expected sign of changed minus baseline, the claim)
LEVER_CLAIMS: list[tuple[dict[str, Any], str, int, str]] = [
    ({"procurement.regime": "light"}, "bids_per_tender", +1, "cheaper regimes draw more bids [002:L311]"),
    ({"procurement.regime": "light"}, "total_procurement_spend", -1, "cheaper regimes cost councils less [002:L311]"),
    ({"procurement.price_weight": 1.0, "procurement.quality_weight": 0.0}, "winning_price_ratio", -1, "price-led awards cost less"),
    ({"procurement.price_weight": 0.2, "procurement.quality_weight": 0.8}, "winning_quality", +1, "quality-led awards buy better providers"),
    ({"procurement.social_value_weight": 0.4}, "social_value", +1, "social value weight keeps spend local [002:L803]"),
    ({"procurement.contract_years": 10}, "tenders_run", -1, "longer contracts mean fewer tenders"),
    ({"procurement.lot_size": "council"}, "bids_per_tender", -1, "big lots exclude small bidders [002:L351]"),
    ({"procurement.lot_size": "unit"}, "share_community", +1, "small lots let community groups in [002:L351]"),
    ({"procurement.financial_standing_ratio": 2.0}, "bids_per_tender", -1, "stricter standing excludes bidders [002:L351]"),
    ({"procurement.mutual_exemption_years": 5, "councils.staff_enthusiasm": 0.8}, "mutuals_formed", +1, "an exemption lets mutuals form [002:L552]"),
    ({"capacity.community_support": 0.0}, "community_capacity", -1, "capacity decays without support [002:L693]"),
    ({"capacity.community_support": 0.0}, "volunteers_active", -1, "withdrawn support lowers volunteering [002:L693]"),
    ({"capacity.commissioning_training": 200.0}, "commissioning_skill", +1, "training raises commissioning skill [002:L827]"),
    ({"capacity.provider_support": 200.0}, "provider_failures", -1, "support lowers young providers' failures [002:L540]"),
    ({"capacity.external_review_support": True}, "reviews_completed", +1, "external support gets reviews through stages 2-3 [003:L11]"),
    ({"funding.grant_share": 1.0}, "share_social_enterprise", +1, "grants let social enterprises start [002:L693]"),
    ({"funding.pbr_share": 0.4}, "provider_failures", +1, "payment by results moves risk and cash-flow strain onto providers [002:L637]"),
    ({"interventions": [{"month": 1, "field": "funding.trading_allowed", "value": False}]}, "service_survival", -1, "without trading income fewer services are affordable [000:L32]"),
    ({"funding.social_investment": 500.0}, "provider_failures", -1, "social investment carries providers through distress [002:L645]"),
    ({"funding.pooled_budget_share": 1.0}, "social_care_spend_share", -1, "pooled budgets and prevention slow care costs [002:L130]"),
    ({"councils.budget_cut_total": 0.4}, "service_survival", -1, "deeper cuts close services [002:L108]"),
    ({"councils.front_loading": 0.9}, "mean_unmet_need", +1, "front-loaded cuts leave more need unmet over the run [002:L182]"),
    ({"councils.ideology": 1.0}, "reviews_completed_outsource", +1, "market-minded councils outsource more [002:L126]"),
    ({"councils.ideology": -1.0}, "external_share", -1, "in-house-minded councils outsource less [002:L126]"),
    ({"councils.risk_appetite": 0.9}, "reviews_completed_alternative", +1, "risk-averse councils hold back from new models [002:L875]"),
    ({"councils.commissioning_skill": 0.9}, "winning_quality", +1, "skilled commissioners judge bids better [002:L819]"),
    ({"councils.commissioning_skill": 0.1}, "winning_quality", -1, "unskilled commissioners judge bids worse [002:L819]"),
    ({"capacity.external_review_support": True}, "reviews_completed_alternative", +1, "a supported review weighs all available options [004:L43]"),
    ({"procurement.consortium_bids": True}, "bids_per_tender", +1, "consortia let hyper-local community organisations bid [002:L500]"),
    ({"capacity.right_to_challenge": 0.05}, "asset_transfers", +1, "the Right to Challenge lets communities take services on [002:L200]"),
    ({"funding.diversity_resilience": 0.0}, "provider_failures", +1, "without the resilience of a diverse income more providers fail [000:L32; L42]"),
    ({"councils.charging": 0.2}, "service_survival", +1, "charges for discretionary services recover costs, so fewer close [002:L573]"),
    ({"councils.priority_strength": 0.0}, "service_survival", +1, "without priorities between services the cut thins all of them rather than closing those of least value [002:L504]"),
    ({"procurement.local_subcontracting": 0.2}, "bids_per_tender", +1, "subcontracts give local organisations a foothold from which to bid [002:L321]"),
    ({"capacity.lease_upkeep": 0.0}, "provider_failures", -1, "groups spared a leased building's upkeep fail less (running-cost failure, evidence.md M12)"),
    ({"councils.capital_receipt": 0.0}, "asset_transfers", +1, "without a capital receipt to forgo councils transfer more buildings [002:L681]"),
]

#: Claims that hold in at least 9 of 10 paired seeds (measured with lever_directions.py).
ROBUST = [1, 2, 4, 5, 8, 10, 11, 12, 14, 15, 18, 19, 20, 21, 22, 23, 32]
