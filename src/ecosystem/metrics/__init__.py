"""Every output metric as a pure function of the model, in one registry.

Data collection, the summary, the docs (docs/metrics.md is generated from this registry)
and the tests all read `METRICS`. Names are stable (MODEL.md section 6).
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

import numpy as np

from ecosystem.market.procurement import Tender
from ecosystem.metrics.registry import METRICS, Metric, household_mean, metric
from ecosystem.metrics.registry import ratio as _ratio
from ecosystem.names import (
    ALTERNATIVE_OPTIONS,
    OPERATOR_KINDS,
    PROVIDER_KINDS,
    ReviewOption,
    TenderStatus,
    UnitStatus,
)

if TYPE_CHECKING:
    from ecosystem.model import EcosystemModel

__all__ = ["METRICS", "OPERATOR_KINDS", "PROVIDER_KINDS", "Metric", "collect"]


def collect(model: EcosystemModel) -> dict[str, float]:
    """Every metric's value for the model's current month.

    Besides the registry, `coverage_<service>` is recorded for each service type of the
    model's own catalogue.
    """
    row = {"month": float(model.month)}
    row.update({name: float(m.fn(model)) for name, m in METRICS.items()})
    for s, name in enumerate(model.residents.services):
        row[f"coverage_{name}"] = _coverage(model, service=s)
    return row


# ----- service units --------------------------------------------------------------------------

@metric("service_survival", "Share of the units open at month 0 that are still open at standard.",
        "count(open at standard and open at month 0) / count(open at month 0)")
def service_survival(model: EcosystemModel) -> float:
    """Survival of the opening units."""
    return _ratio(sum(u.status == UnitStatus.OPEN for u in model.units), len(model.units))


for _status in UnitStatus:
    metric(f"units_{_status}", f"Number of units {_status}.", f"count(status == {_status})",
           "units")(lambda model, s=_status: sum(u.status == s for u in model.units))


@metric("service_level", "Mean service level of open units: the share of full hours and "
        "capacity they run at after savings plans thin them (statutory care: eligibility).",
        "mean(level over open units)", "share")
def service_level(model: EcosystemModel) -> float:
    """Mean service level of open units."""
    levels = [u.level for u in model.units if u.is_open]
    return float(sum(levels) / len(levels)) if levels else 0.0


# ----- access -------------------------------------------------------------------------------

def _coverage(model: EcosystemModel, rows: tuple[int, ...] = (0, 1),
              service: int | None = None) -> float:
    need, covered = model.residents.coverage_sums()
    columns: slice | list[int] = slice(None) if service is None else [service]
    picked = list(rows)
    return _ratio(float(covered[picked][:, columns].sum()),
                  float(need[picked][:, columns].sum()))


@metric("coverage", "Share of need with an open unit within its catchment; the time series "
        "also has coverage_<service> for each service type of the catalogue.",
        "sum(need * has_access) / sum(need), household-weighted over residents and services")
def coverage(model: EcosystemModel) -> float:
    """Coverage of need."""
    return _coverage(model)


@metric("coverage_urban", "Coverage in urban cores and towns.",
        "coverage over residents in urban or town cells")
def coverage_urban(model: EcosystemModel) -> float:
    """Urban coverage."""
    return _coverage(model, rows=(0,))


@metric("coverage_rural", "Coverage in villages and sparse countryside.",
        "coverage over residents in village or sparse cells")
def coverage_rural(model: EcosystemModel) -> float:
    """Rural coverage."""
    return _coverage(model, rows=(1,))


@metric("coverage_gap", "Urban minus rural coverage.", "coverage_urban - coverage_rural")
def coverage_gap(model: EcosystemModel) -> float:
    """Urban-rural gap."""
    return coverage_urban(model) - coverage_rural(model)


@metric("unmet_need", "Share of need not met (no unit in reach, or no capacity left).",
        "1 - sum(served) / sum(need)")
def unmet_need(model: EcosystemModel) -> float:
    """Unmet need."""
    res = model.residents
    return 1.0 - _ratio(float(res.served.sum()), float(res.need.sum()))


# ----- operators and providers ----------------------------------------------------------------

def _operator_shares(model: EcosystemModel) -> dict[str, float]:
    kinds = Counter(u.operator_kind for u in model.units if u.is_open)
    total = sum(kinds.values())
    return {k: _ratio(kinds[k], total) for k in OPERATOR_KINDS}


@metric("external_share", "Share of open units run by anyone other than a council's own team.",
        "count(open, operator != council) / count(open)")
def external_share(model: EcosystemModel) -> float:
    """External share [002:L252]."""
    shares = _operator_shares(model)
    return sum(shares.values()) - shares["council"]


for _kind in OPERATOR_KINDS:
    metric(f"share_{_kind}", f"Share of open units run by {_kind.replace('_', ' ')} operators.",
           f"count(open, operator == {_kind}) / count(open)")(
        lambda model, k=_kind: _operator_shares(model)[k])


@metric("providers_active", "External providers running at least one unit.", "count", "providers")
def providers_active(model: EcosystemModel) -> float:
    """Active providers."""
    return len(model.providers)


@metric("provider_failures", "Providers that have failed since month 0 (cumulative).",
        "count(failed)", "providers")
def provider_failures(model: EcosystemModel) -> float:
    """Cumulative failures."""
    return len(model.failed_providers)


for _kind in PROVIDER_KINDS:
    metric(f"providers_active_{_kind}", f"Active {_kind.replace('_', ' ')} providers.", "count",
           "providers")(lambda model, k=_kind: sum(p.kind == k for p in model.providers))
    metric(f"provider_failures_{_kind}",
           f"Failed {_kind.replace('_', ' ')} providers (cumulative).",
           "count", "providers")(
        lambda model, k=_kind: sum(p.kind == k for p in model.failed_providers))


# ----- money --------------------------------------------------------------------------------

@metric("council_budget", "Councils' budget for the month.", "sum(annual budget) / 12",
        "GBP k/month")
def council_budget(model: EcosystemModel) -> float:
    """Monthly budget."""
    return sum(c.budget for c in model.councils) / 12.0


@metric("county_budget_share", "Share of the councils' budget the county holds in a two-tier "
        "area (world.two_tier; 0 where every council is single-tier).",
        "county budget / sum(budget)")
def county_budget_share(model: EcosystemModel) -> float:
    """The county's share of the money [002:L448]."""
    if not model.params.world.two_tier:
        return 0.0
    return _ratio(model.councils[-1].budget, sum(c.budget for c in model.councils))


@metric("council_spend", "Councils' spend this month (in-house, contracts, support).",
        "sum(spend)", "GBP k/month")
def council_spend(model: EcosystemModel) -> float:
    """Monthly spend."""
    return sum(c.monthly_spend for c in model.councils)


@metric("procurement_spend", "Councils' spend on running tenders this month.",
        "sum(tender costs)", "GBP k/month")
def procurement_spend(model: EcosystemModel) -> float:
    """Tendering cost [002:L311]."""
    return model.ledger.procurement


@metric("councils_frozen", "Share of councils under an emergency spending freeze this month "
        "(their spending would otherwise take reserves below the floor).",
        "count(frozen) / count(councils)")
def councils_frozen(model: EcosystemModel) -> float:
    """Councils in a freeze."""
    return _ratio(sum(c.frozen for c in model.councils), len(model.councils))


@metric("reserves_above_floor", "Smallest margin of any council's reserves over its "
        "balanced-budget floor, as a share of its budget (never negative: the duty binds).",
        "min over councils of reserves / budget - councils.reserves_floor")
def reserves_above_floor(model: EcosystemModel) -> float:
    """Smallest margin over the reserves floor."""
    floor = model.params.councils.reserves_floor
    return min((_ratio(c.reserves, c.budget) - floor for c in model.councils), default=0.0)


@metric("council_reserves", "Councils' reserves.", "sum(reserves)", "GBP k")
def council_reserves(model: EcosystemModel) -> float:
    """Reserves."""
    return sum(c.reserves for c in model.councils)


@metric("social_care_spend_share", "Share of council service spend going to care services "
        "(catalogue services whose demand grows with ageing: adult social care by default).",
        "cost(care units) / cost(all units)")
def social_care_spend_share(model: EcosystemModel) -> float:
    """Adult social care's share [002:L108]."""
    costs = [(u.spec.demand_grows_with_ageing, u.council_cost) for u in model.units
             if u.is_open]
    care = sum(c for is_care, c in costs if is_care)
    return _ratio(care, sum(c for _, c in costs))


@metric("social_value", "Spend on delivery kept in the area (local jobs and suppliers).",
        "sum(unit spend * operator local share)", "GBP k/month")
def social_value(model: EcosystemModel) -> float:
    """Local spend."""
    return float(sum(u.spent * u.operator.local_share for u in model.units
                     if u.is_open and u.operator is not None))


# ----- community and residents ---------------------------------------------------------------

@metric("volunteers_active", "Volunteers, in full-time-equivalent volunteer households.",
        "sum(hours) / population.hours_per_volunteer", "households")
def volunteers_active(model: EcosystemModel) -> float:
    """Active volunteers."""
    return _ratio(float(model.volunteering.hours.sum()),
                  model.params.population.hours_per_volunteer)


@metric("volunteer_hours", "Volunteer hours given this month.", "sum(hours)", "hours/month")
def volunteer_hours(model: EcosystemModel) -> float:
    """Volunteer hours."""
    return float(model.volunteering.hours.sum())


@metric("community_capacity", "Household-weighted mean community capacity.",
        "sum(capacity * households) / sum(households)", "0..1")
def community_capacity(model: EcosystemModel) -> float:
    """Community capacity."""
    return household_mean(model.grid.community_capacity.data, model.land.households)


@metric("satisfaction", "Household-weighted mean satisfaction with local services.",
        "mean over households of EMA(served * quality / need)", "0..1")
def satisfaction(model: EcosystemModel) -> float:
    """Satisfaction."""
    res = model.residents
    return float(np.average(res.satisfaction, weights=res.households))


@metric("trust_in_council", "Household-weighted mean trust in the council.",
        "mean over households of EMA(satisfaction * council reputation)", "0..1")
def trust_in_council(model: EcosystemModel) -> float:
    """Trust."""
    res = model.residents
    return float(np.average(res.trust, weights=res.households))


@metric("community_takeovers", "Threatened units taken over by new community groups (cumulative).",
        "count", "units")
def community_takeovers(model: EcosystemModel) -> float:
    """Community rescues."""
    return model.community_takeovers


# ----- procurement and reviews ------------------------------------------------------------

def _closed_tenders(model: EcosystemModel, rural: bool | None = None) -> list[Tender]:
    return [t for t in model.tenders if t.status in (TenderStatus.AWARDED, TenderStatus.NO_BID)
            and (rural is None or t.rural == rural)]


@metric("tenders_run", "Tenders closed since month 0 (cumulative).", "count", "tenders")
def tenders_run(model: EcosystemModel) -> float:
    """Tenders run."""
    return len(_closed_tenders(model))


@metric("bids_per_tender", "Mean valid bids per closed tender so far.",
        "sum(bids) / count(closed tenders)", "bids")
def bids_per_tender(model: EcosystemModel) -> float:
    """Bids per tender."""
    closed = _closed_tenders(model)
    return _ratio(sum(len(t.bids) for t in closed), len(closed))


for _where, _flag in (("urban", False), ("rural", True)):
    metric(f"bids_per_tender_{_where}",
           f"Mean valid bids per closed tender for {_where} lots (a lot is rural when its sites "
           "average rurality above one half).", "as bids_per_tender", "bids")(
        lambda model, f=_flag: _ratio(sum(len(t.bids) for t in _closed_tenders(model, f)),
                                      len(_closed_tenders(model, f))))


def _awarded(model: EcosystemModel) -> list[Tender]:
    return [t for t in model.tenders if t.status == TenderStatus.AWARDED]


@metric("winning_price_ratio", "Mean winning price relative to the council's own cost estimate "
        "for the lot, over tenders awarded so far.", "mean(price * 12 / annual value)", "ratio")
def winning_price_ratio(model: EcosystemModel) -> float:
    """Price of awards."""
    awarded = _awarded(model)
    return _ratio(sum(t.price * 12 / t.annual_value for t in awarded), len(awarded))


@metric("winning_quality", "Mean quality capability of the winners of tenders awarded so far.",
        "mean(winner capability)", "quality")
def winning_quality(model: EcosystemModel) -> float:
    """Quality of awards."""
    awarded = _awarded(model)
    return _ratio(sum(t.capability for t in awarded), len(awarded))


@metric("tenders_without_bid", "Closed tenders that drew no valid bid (cumulative).", "count",
        "tenders")
def tenders_without_bid(model: EcosystemModel) -> float:
    """Tenders without a valid bid."""
    return model.tenders_without_bid


@metric("reviews_started", "Service reviews opened (cumulative).", "count", "reviews")
def reviews_started(model: EcosystemModel) -> float:
    """Reviews started."""
    return len(model.reviews)


@metric("reviews_completed", "Service reviews that reached launch (cumulative); the time "
        "series also has reviews_completed_<option> for each option.", "count", "reviews")
def reviews_completed(model: EcosystemModel) -> float:
    """Reviews completed."""
    return sum(model.reviews_completed.values())


for _option in ReviewOption:
    metric(f"reviews_completed_{_option}", f"Completed reviews that chose {_option}.",
           "count", "reviews")(lambda model, o=_option: model.reviews_completed.get(o, 0))

@metric("reviews_completed_alternative", "Completed reviews that chose an alternative delivery "
        "model (outsource, share, mutual, community transfer, social enterprise).", "count",
        "reviews")
def reviews_completed_alternative(model: EcosystemModel) -> float:
    """Alternative models chosen."""
    return sum(model.reviews_completed.get(o, 0) for o in ALTERNATIVE_OPTIONS)


for _counter, _text in (
    ("mutuals_formed", "Mutuals spun out that won or were given their first contract"),
    ("asset_transfers", "Units transferred to community groups through a review"),
    ("contracts_terminated", "Contracts ended early for detected poor performance"),
    ("entrants", "New providers that entered by winning a tender"),
    ("takeovers", "Failed providers' units taken over by another provider"),
    ("cooperatives_formed", "Multi-stakeholder co-operatives (staff, users and community "
     "as members [002:L534]) that won or were given their first contract"),
    ("parish_devolutions", "Units a review devolved to parish and town councils [002:L859]"),
    ("parish_declines", "Units offered to a parish council that lacked the capacity to take "
     "them on (they stay in-house)"),
    ("sharing_agreements_failed", "Proposals to share a service, or re-agreements after a change "
     "of control, that a council's leaders did not agree to (shared-service arrangements, "
     "councils.sharing_model = 'arrangement') [002:L450]"),
    ("shared_services_ended", "Shared services that ended: a flat pair broken at an election, or "
     "an arrangement left with one member [002:L367; L450]"),
    ("redesigns_failed", "Redesign programmes that delivered nothing (councils.redesign_model = "
     "'programme')"),
):
    metric(_counter if _counter != "entrants" else "provider_entries", f"{_text} (cumulative).",
           "count", "count")(lambda model, c=_counter: getattr(model, c))


for _counter, _text in (
    ("capital_receipts", "What councils got by selling the buildings of closed units"),
    ("receipts_forgone", "Capital receipts councils forwent by transferring or leasing "
     "buildings to community groups instead of selling them [002:L681]"),
    ("parish_precept_spend", "Precept parish councils spent topping up the services devolved "
     "to them beyond the budget passed down"),
    ("redesign_invested", "What councils paid upfront for redesign programmes "
     "(councils.redesign_model = 'programme')"),
    ("redesign_savings", "Cost redesign programmes stripped out of in-house services "
     "(councils.redesign_model = 'programme')"),
):
    metric(_counter, f"{_text} (cumulative).", "sum", "GBP k")(
        lambda model, c=_counter: getattr(model, c))

@metric("councils_sharing", "Share of councils in at least one shared-service arrangement.",
        "count(councils sharing) / count(councils)")
def councils_sharing(model: EcosystemModel) -> float:
    """Sharing councils [002:L422]."""
    return _ratio(sum(bool(c.shares_with) for c in model.councils), len(model.councils))

@metric("commissioning_skill", "Councils' mean commissioning skill.", "mean", "0..1")
def commissioning_skill(model: EcosystemModel) -> float:
    """Skill."""
    return float(np.mean([c.commissioning_skill for c in model.councils]))


# the opt-in delivery models' metrics register after these, in the same registry
from ecosystem.metrics import delivery_models as _delivery_models  # noqa: E402, F401
