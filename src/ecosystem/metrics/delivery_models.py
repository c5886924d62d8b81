"""Metrics of the opt-in delivery models and the strategies.

Trading companies, shared-service arrangements, redesign programmes, joint ventures,
operations contracts, community budgets, co-production and behaviour change. They
register in the same `METRICS` as the rest (`ecosystem.metrics`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ecosystem.market.joint_ventures import CONTROL_CHANGE
from ecosystem.metrics.registry import metric, ratio

if TYPE_CHECKING:
    from ecosystem.model import EcosystemModel


@metric("trading_companies", "Local authority trading companies trading (councils' wholly "
        "owned companies that run a service and sell to other customers [002:L579]).",
        "count", "count")
def trading_companies(model: EcosystemModel) -> float:
    """Trading companies still trading."""
    return sum(c.trading for c in model.trading_companies)


for _field, _text in (
    ("dividends", "Surpluses trading companies returned to their councils as dividends "
     "[002:L585]"),
    ("losses", "Losses of trading companies that fell on their councils [002:L601]"),
    ("sales", "Trading companies' sales to customers outside their councils' own services "
     "[002:L581]"),
):
    metric(f"trading_{_field}", f"{_text} (cumulative).", "sum", "GBP k")(
        lambda model, f=_field: sum(getattr(c, f) for c in model.trading_companies))


@metric("redesign_return", "GBP of cost redesign programmes have stripped out so far per GBP "
        "invested in them (iESE claims 5 [002:L236]); 0 while nothing is invested.",
        "redesign_savings / redesign_invested", "ratio")
def redesign_return(model: EcosystemModel) -> float:
    """Return on redesign programmes [002:L236]."""
    return ratio(model.redesign_savings, model.redesign_invested)


@metric("sharing_agreement_rate", "Share of the agreements to share a service that councils' "
        "leaders sought (proposals and re-agreements after a change of control) that they "
        "reached: shared services are 'easier to propose than to agree' [002:L450]; 0 while "
        "none was sought (councils.sharing_model = 'arrangement').",
        "1 - sharing_agreements_failed / agreements sought")
def sharing_agreement_rate(model: EcosystemModel) -> float:
    """Agreement rate [002:L450]."""
    if model.sharing_agreements_sought == 0:
        return 0.0
    return 1.0 - model.sharing_agreements_failed / model.sharing_agreements_sought


@metric("sharing_saving_share", "This month's saving from shared services as a share of the "
        "spend of the councils sharing (the Tri-borough: GBP 40m a year of GBP 1.5bn, about "
        "0.027 [002:L444-446]); 0 while none shares.",
        "sum(saving_s x cost of shared in-house units) / sum(spend of sharing councils)")
def sharing_saving_share(model: EcosystemModel) -> float:
    """Savings of shared services [002:L444-446]."""
    sharing = [c for c in model.councils if c.shares_with]
    saved = sum(_shared_saving(c) for c in sharing)
    return ratio(saved, sum(c.monthly_spend for c in sharing))


def _shared_saving(council: Any) -> float:
    """Cost sharing strips out of a council's open in-house units of its shared services."""
    total = 0.0
    for unit in council.units:
        if unit.is_open and unit.service in council.shares_with:
            share = council.shared_saving.get(unit.service, 0.0) \
                or council.saving.get(unit.service, 0.0)  # a flat pair's saving
            total += share * (1.0 - council.efficiency) * unit.required_cost()
    return total


# ----- joint ventures and operations contracts -----------------------------------------------

@metric("joint_ventures_formed", "Joint ventures councils formed with private partners "
        "[002:L355-409] (cumulative).", "count(joint ventures)", "count")
def joint_ventures_formed(model: EcosystemModel) -> float:
    """Ventures formed."""
    return len(model.joint_ventures)


@metric("joint_ventures_dissolved", "Joint ventures dissolved, their services brought back "
        "in-house [002:L409] (cumulative).", "count(dissolved)", "count")
def joint_ventures_dissolved(model: EcosystemModel) -> float:
    """Ventures dissolved, for any cause."""
    return sum(v.dissolved_at is not None for v in model.joint_ventures)


@metric("joint_ventures_dissolved_on_control_change", "Joint ventures dissolved after a change "
        "of political control [002:L367] (cumulative).", "count(dissolved at a change)", "count")
def joint_ventures_dissolved_on_control_change(model: EcosystemModel) -> float:
    """Ventures political change ended."""
    return sum(v.cause == CONTROL_CHANGE for v in model.joint_ventures)


for _total, _text in (
    ("promised", "Savings joint ventures promised their councils over the months of their "
     "terms so far: the promised share of what their units would cost in-house"),
    ("delivered", "Savings joint ventures delivered: what their units would cost in-house "
     "less what the councils paid, plus gain share, less the cost of bringing them back"),
    ("gain_share", "Councils' share of their joint ventures' profits [002:L359]"),
    ("losses", "Losses of joint ventures, carried by their private partners [002:L381; L409]"),
):
    _name = f"joint_venture_savings_{_total}" if _total in ("promised", "delivered") \
        else f"joint_venture_{_total}"
    metric(_name, f"{_text} (cumulative).", "sum", "GBP k")(
        lambda model, t=_total: sum(getattr(v, t) for v in model.joint_ventures))


@metric("joint_venture_savings_delivered_share", "Savings joint ventures delivered as a share "
        "of those they promised (0 without joint ventures).", "delivered / promised", "share")
def joint_venture_savings_delivered_share(model: EcosystemModel) -> float:
    """Delivered over promised savings."""
    promised = sum(v.promised for v in model.joint_ventures)
    return ratio(sum(v.delivered for v in model.joint_ventures), promised)


@metric("joint_venture_external_sales", "Monthly sales of standing joint ventures to other "
        "clients (Salford's to 230+ clients [002:L396]).", "sum", "GBP k/month")
def joint_venture_external_sales(model: EcosystemModel) -> float:
    """Sales to other clients."""
    return sum(v.company.external_sales for v in model.joint_ventures if v.dissolved_at is None
               and v.company.failed_at is None and v.company.units)


@metric("operations_returned", "Units under operations contracts that reverted to the council "
        "that owns them when their operator failed, performed poorly or left [000:L23] "
        "(cumulative).", "count", "count")
def operations_returned(model: EcosystemModel) -> float:
    """Units returned to their owner."""
    return model.operations_returned


@metric("joint_venture_savings_shortfall", "Savings joint ventures promised but did not deliver, "
        "summed over the ventures that fell short (Southwest One [002:L409]) (cumulative).",
        "sum over ventures of max(promised - delivered, 0)", "GBP k")
def joint_venture_savings_shortfall(model: EcosystemModel) -> float:
    """Shortfall of the ventures that fell short."""
    return sum(max(v.promised - v.delivered, 0.0) for v in model.joint_ventures)

# ----- strategies -----------------------------------------------------------------------------

@metric("pooled_share", "Share of pooled services commissioned from a pooled budget: "
        "funding.pooled_budget_share, or a community budget's partners' mean pooled share if "
        "larger.", "max(pooled_budget_share, mean over partners of p_i)")
def pooled_share(model: EcosystemModel) -> float:
    """Pooled share in force."""
    return model.community_budget.share


@metric("demand_avoided", "Share of need removed by co-production and behaviour change.",
        "1 - sum(need) / sum(need without them)")
def demand_avoided(model: EcosystemModel) -> float:
    """Demand avoided."""
    return model.demand_avoided


@metric("co_production_participation", "Household-weighted mean participation of residents "
        "in co-producing their services.", "sum(participation * households) / sum(households)",
        "0..1")
def co_production_participation(model: EcosystemModel) -> float:
    """Participation."""
    res = model.residents
    return float(np.average(model.co_production.participation, weights=res.households))
