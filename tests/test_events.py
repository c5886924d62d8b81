"""Every closure, tender, failure, takeover, spin-out and transfer is an event with a cause."""

import numpy as np
import pandas as pd

from ecosystem import run
from ecosystem.names import EventKind


def test_every_closure_and_tender_is_an_event_with_its_cause(small_scenario):
    result = run(small_scenario.with_overrides({"councils.budget_cut_total": 0.45}), seed=5,
                 months=72)
    events, units = result.events, result.units
    assert list(events.columns) == ["month", "council", "unit", "event", "provider_kind", "why"]
    assert set(events["event"]) <= set(EventKind)
    assert (events["why"].str.len() > 0).all()
    closed = units.dropna(subset=["closed"])
    assert len(closed) > 0
    closures = events[events["event"] == EventKind.CLOSURE]
    got = closures.set_index("unit")[["month", "why"]]
    assert sorted(got.index) == sorted(closed["unit"])  # one closure event per closed unit
    for row in closed.itertuples():
        assert got.loc[row.unit, "month"] == row.closed
        assert got.loc[row.unit, "why"].startswith(row.cause)
    tenders = result.tenders[result.tenders["status"].isin(["awarded", "no_bid"])]
    tender_events = events[events["event"] == EventKind.TENDER]
    assert len(tender_events) == int(tenders["units"].sum())
    reviews = result.reviews[result.reviews["status"] == "completed"]
    assert (events["event"] == EventKind.REVIEW).sum() == len(reviews)
    assert events["month"].is_monotonic_increasing


def test_provider_failures_and_what_became_of_their_units_are_events(small_scenario):
    squeezed = small_scenario.with_overrides({"funding.cost_shock_sd": 0.3,
                                              "funding.opening_reserves_months": 0.5})
    failures = placed = 0
    for seed in range(4):
        result = run(squeezed, seed=seed, months=60)
        events = result.events
        failures += int((events["event"] == EventKind.PROVIDER_FAILURE).sum())
        placed += int(events["event"].isin([EventKind.TAKEOVER, EventKind.BROUGHT_IN_HOUSE]).sum())
        assert (events["event"] == EventKind.PROVIDER_FAILURE).sum() == \
            result.summary["provider_failures"].iloc[0]
    assert failures > 0 and placed > 0
    assert isinstance(events, pd.DataFrame) and np.issubdtype(events["month"].dtype, np.integer)
