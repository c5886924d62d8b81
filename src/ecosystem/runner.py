"""Running the model: `run(scenario, seed, months)` -> RunResult (tidy tables)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ecosystem.metrics import METRICS
from ecosystem.model import EcosystemModel
from ecosystem.scenario import Scenario, ScenarioError


@dataclass(frozen=True)
class RunResult:
    """What one run produced.

    Attributes:
        scenario: the scenario as given (with its interventions, before any fired).
        seed: the seed it ran with.
        timeseries: one row per month (month 0 first), one column per metric.
        summary: one row: the final month's metrics plus run totals.
        units: one row per unit: service, council, rurality, operator kinds, opened, closed, cause.
        contracts: one row per contract let (including those of month 0).
        tenders: one row per tender.
        reviews: one row per service review.
        events: one row per event (closure, tender, provider failure, takeover, spin-out,
            transfer, rescue, review completed, election, ...): month, council, unit, what and why.
    """

    scenario: Scenario
    seed: int | np.random.SeedSequence | None
    timeseries: pd.DataFrame
    summary: pd.DataFrame
    units: pd.DataFrame
    contracts: pd.DataFrame
    tenders: pd.DataFrame
    reviews: pd.DataFrame
    events: pd.DataFrame


def run(
    scenario: Scenario | None = None,
    seed: int | np.random.SeedSequence | None = 0,
    months: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> RunResult:
    """Run one scenario for `months` (default: the scenario's years x 12).

    Args:
        scenario: the scenario (default: the historical baseline).
        seed: the random seed (anything numpy's default_rng accepts).
        months: months to simulate.
        progress: called as progress(month, months) after each month.

    Raises:
        ScenarioError: if `months` is below 1.
    """
    scenario = scenario if scenario is not None else Scenario()
    months = scenario.months if months is None else months
    if months < 1:
        raise ScenarioError([("months", f"must be at least 1, not {months}")], "run()")
    model = EcosystemModel(scenario, rng=seed)
    for month in range(1, months + 1):
        model.step()
        if progress is not None:
            progress(month, months)
    return result_of(model, seed)


def run_one(
    scenario: Scenario, seed: int | np.random.SeedSequence | None, months: int | None = None
) -> RunResult:
    """One run, as a pure function of its scenario and seed (what sweeps call).

    Args:
        scenario: the scenario.
        seed: an int or a numpy SeedSequence.
        months: months to simulate (default: the scenario's years x 12).
    """
    return run(scenario, seed=seed, months=months)


def result_of(model: EcosystemModel, seed: int | np.random.SeedSequence | None) -> RunResult:
    """Tables of a model's run so far."""
    timeseries = pd.DataFrame.from_records(model.records)
    timeseries["month"] = timeseries["month"].astype(int)
    return RunResult(
        model.initial_scenario, seed, timeseries, _summary(model, timeseries), unit_table(model),
        _table([c.record() for c in model.contract_log], CONTRACT_COLUMNS),
        _table([t.record() for t in model.tenders], TENDER_COLUMNS),
        _table([r.record() for r in model.reviews], REVIEW_COLUMNS),
        _table(model.events, EVENT_COLUMNS),
    )


CONTRACT_COLUMNS = ["council", "provider_kind", "provider", "unit", "service", "basis",
                    "pbr_share", "start", "end", "fixed", "rate", "paid", "tender", "exempt",
                    "mean_quality"]
TENDER_COLUMNS = ["tender", "council", "service", "units", "rural", "regime", "opened",
                  "closed", "annual_value", "eligible", "bids", "winner", "status",
                  "price_ratio", "winner_capability"]
EVENT_COLUMNS = ["month", "council", "unit", "event", "provider_kind", "why"]
REVIEW_COLUMNS = ["council", "service", "trigger", "started", "stage", "option", "status"]
#: Summary columns beside the final month's metrics (and a `closures_<cause>` count each).
RUN_TOTALS = ("months", "total_spend", "total_procurement_spend", "total_budget",
              "mean_unmet_need", "initial_external_share", "min_reserves_above_floor",
              "initial_social_care_spend_share")


def is_summary_column(name: str) -> bool:
    """Whether a run's summary can have column `name` (a metric, a total or a closure count)."""
    return name in METRICS or name in RUN_TOTALS or name.startswith("closures_")


def _table(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    """A frame with fixed columns, even when there are no rows."""
    return pd.DataFrame(rows, columns=columns)


def _summary(model: EcosystemModel, ts: pd.DataFrame) -> pd.DataFrame:
    final = ts.iloc[-1].to_dict()
    final["months"] = int(ts["month"].iloc[-1])
    final["total_spend"] = float(ts["council_spend"].sum())
    final["total_procurement_spend"] = float(ts["procurement_spend"].sum())
    final["total_budget"] = float(ts["council_budget"].iloc[1:].sum())
    final["mean_unmet_need"] = float(ts["unmet_need"].iloc[1:].mean()) if len(ts) > 1 else 0.0
    final["initial_external_share"] = float(ts["external_share"].iloc[0])
    final["min_reserves_above_floor"] = float(ts["reserves_above_floor"].iloc[1:].min()) \
        if len(ts) > 1 else final["reserves_above_floor"]
    final["initial_social_care_spend_share"] = float(ts["social_care_spend_share"].iloc[1]) \
        if len(ts) > 1 else 0.0
    causes = pd.Series([u.cause for u in model.units if u.cause]).value_counts()
    for cause, count in causes.items():
        final[f"closures_{cause}"] = int(count)
    final.pop("month", None)
    return pd.DataFrame([final])


def unit_table(model: EcosystemModel) -> pd.DataFrame:
    """One row per unit: what it is, where, who ran it, and its opening and closing month."""
    land = model.land
    rows = []
    for u in model.units:
        x, y = u.cell.coordinate
        rows.append({
            "unit": u.index, "service": u.service, "council": u.council_id,
            "x": x, "y": y, "rurality": float(land.rurality[x, y]),
            "settlement": int(land.settlement[x, y]),
            "initial_operator": u.initial_operator_kind, "operator": u.operator_kind,
            "opened": u.opened, "closed": u.closed_at, "cause": u.cause,
            "status": u.status, "quality": u.quality,
        })
    return pd.DataFrame(rows).astype({"closed": "Int64"})
