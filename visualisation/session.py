"""One browser session's simulation: a model, its scenario and the levers changed mid-run.

Each page builds its own `Simulation` inside the component (memoised), never at module
level, so every workshop participant steps their own model.

Going back to a past month restores the nearest snapshot at or before it (see
`snapshots.py`) and re-steps from there with the lever changes made on the way, so the run
goes on exactly as if it had never gone further. The months after it are let go: the levers
may change now, and that future would be another one.

A lock serialises stepping (the player's thread), lever changes, going back and restarting.
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ecosystem import EcosystemModel, Scenario, ScenarioError

from .snapshots import Snapshots


@dataclass
class Simulation:
    """A model plus what is needed to reproduce it with `ecosystem run` and to go back."""

    scenario: Scenario
    seed: int
    model: EcosystemModel = field(init=False)
    changes: list[dict[str, Any]] = field(default_factory=list)
    snapshots: Snapshots = field(default_factory=Snapshots, compare=False, repr=False)
    _lock: threading.RLock = field(default_factory=threading.RLock, init=False,
                                   compare=False, repr=False)

    def __post_init__(self) -> None:
        self._begin()

    def _begin(self) -> None:
        """Month 0 of `scenario`: a new model, with the old one's snapshots let go."""
        self.model = EcosystemModel(self.scenario, rng=self.seed)
        self.snapshots.clear()
        self.snapshots.offer(self.model)

    @property
    def month(self) -> int:
        """Months simulated so far."""
        return self.model.month

    @property
    def finished(self) -> bool:
        """Past the scenario's horizon."""
        return self.month >= self.scenario.months

    def step(self, months: int = 1) -> None:
        """Advance up to `months`, never past the horizon."""
        with self._lock:
            for _ in range(months):
                if self.finished:
                    return
                self._step_model()

    def _step_model(self) -> None:
        self.model.step()
        self.snapshots.offer(self.model)

    def rewind(self, month: int) -> str | None:
        """Go back to the end of `month`; the reason if it is refused.

        The records, events and levers become those of the end of `month`; lever changes
        made later are dropped, and so are the snapshots after it. Stepping on gives what a
        run that never went further would have given.
        """
        with self._lock:
            problem = self._rewind_problem(month)
            if problem:
                return problem
            self.changes = [c for c in self.changes if c["month"] <= month]
            self.snapshots.forget_after(month)
            self.model = self.snapshots.nearest(month)
            self._restep(month)
            return None

    def _rewind_problem(self, month: Any) -> str | None:
        if isinstance(month, bool) or not isinstance(month, int):
            return f"month: must be a whole number of months, not {month!r}"
        if not 0 <= month <= self.month:
            return (f"month: can go back only to a month from 0 to {self.month} (the month "
                    f"reached), not to month {month}")
        return None

    def _restep(self, month: int) -> None:
        """Step the restored model on to `month`, making each lever change when it was made."""
        while self.model.month < month:
            for change in self.changes:
                if change["month"] == self.model.month + 1:
                    self._set_lever(change["field"], change["value"])
            self._step_model()

    def _set_lever(self, path: str, value: Any) -> None:
        self.model.params = self.model.params.with_overrides({path: value})

    def restart(self) -> None:
        """Back to month 0, keeping the levers: those in force now start the new run."""
        with self._lock:
            self.scenario = self.levers_now()
            self.changes = []
            self._begin()

    def levers_now(self) -> Scenario:
        """The scenario with the levers changed mid-run set from month 0."""
        overrides = {c["field"]: c["value"] for c in self.changes}  # the latest value wins
        return self.scenario.with_overrides(overrides) if overrides else self.scenario

    def change(self, path: str, value: Any) -> str | None:
        """Change a lever now; the validation message if the value is refused.

        Before month 1 it changes the scenario; later it is recorded as an intervention at
        the next month, so the export reproduces the run.
        """
        with self._lock:
            try:
                if self.month == 0:
                    self.scenario = self.scenario.with_overrides({path: value})
                    self._begin()
                    return None
                change = {"month": self.month + 1, "field": path, "value": value}
                self.scenario.with_overrides({"interventions": [*self.changes, change]})
                self._set_lever(path, value)
                self.changes.append(change)
                return None
            except ScenarioError as err:
                return str(err)

    def timeseries(self) -> pd.DataFrame:
        """One row per month so far, as `ecosystem run` writes it."""
        frame = pd.DataFrame.from_records(self.model.records)
        return frame.astype({"month": int})

    def scenario_as_run(self) -> Scenario:
        """The scenario with the mid-run changes as interventions.

        `ecosystem run` of it with this seed reproduces the run.
        """
        interventions = [c.model_dump() for c in self.scenario.interventions] + self.changes
        return self.scenario.with_overrides({"interventions": interventions})

    def exports(self) -> dict[str, bytes]:
        """The run so far as CSV, Parquet and the scenario as TOML."""
        frame = self.timeseries()
        parquet = io.BytesIO()
        frame.to_parquet(parquet, index=False)
        return {"timeseries.csv": frame.to_csv(index=False).encode(),
                "timeseries.parquet": parquet.getvalue(),
                "scenario.toml": self.scenario_as_run().to_toml().encode()}
