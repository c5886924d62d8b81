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
import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ecosystem import EcosystemModel, Scenario, ScenarioError

from .snapshots import Snapshots, freeze, thaw

log = logging.getLogger(__name__)


#: Month 0 of the runs pages opened lately, frozen: (scenario as JSON, seed) -> snapshot. A
#: room whose pages open the same preset builds its model once; each page thaws a copy (0.1 to
#: 0.2 s for the baseline world, against 0.36 s to build it).
_OPENINGS: OrderedDict[tuple[str, int], bytes] = OrderedDict()
#: How many openings are kept (about 2 MB each for the baseline world).
OPENINGS_KEPT = 4
_openings_lock = threading.Lock()


def opening(scenario: Scenario, seed: int) -> tuple[EcosystemModel, bytes]:
    """A new model at month 0 of `scenario` and `seed`, and its snapshot (see `_OPENINGS`)."""
    key = (scenario.model_dump_json(), seed)
    with _openings_lock:
        frozen = _OPENINGS.get(key)
        if frozen is not None:
            _OPENINGS.move_to_end(key)
    if frozen is None:
        frozen = freeze(EcosystemModel(scenario, rng=seed))
        with _openings_lock:
            _OPENINGS[key] = frozen
            while len(_OPENINGS) > OPENINGS_KEPT:
                _OPENINGS.popitem(last=False)
    return thaw(frozen), frozen


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
    #: Why the run stopped, in words for the page, if a month failed; None while it runs.
    error: str | None = None

    def __post_init__(self) -> None:
        model, frozen = opening(self.scenario, self.seed)
        self._begin(model=model)
        self.snapshots.keep(0, frozen)

    def _begin(self, scenario: Scenario | None = None,
               model: EcosystemModel | None = None) -> None:
        """Month 0 of `scenario` (this one's when None), the old snapshots let go.

        `model` is that month 0 when already made (see `opening`), else a new one is built.
        Nothing changes if the model cannot be built with `scenario`.
        """
        scenario = scenario or self.scenario
        model = model or EcosystemModel(scenario, rng=self.seed)
        self.scenario, self.model, self.error = scenario, model, None
        self.snapshots.clear()  # month 0 is kept when the run first steps (_step_model)

    @property
    def month(self) -> int:
        """Months simulated so far."""
        return self.model.month

    @property
    def finished(self) -> bool:
        """Past the scenario's horizon, or stopped by a month that failed."""
        return self.error is not None or self.month >= self.scenario.months

    def step(self, months: int = 1) -> str | None:
        """Advance up to `months`, never past the horizon; why it stopped, if a month failed.

        A month that raises leaves the model half-stepped, so the run stops there: the page
        shows `error` (the traceback goes to the server's log) and stays usable, and Reset
        or going back starts again. A page must never be replaced by a traceback.
        """
        with self._lock:
            for _ in range(months):
                if self.finished:
                    break
                month = self.month + 1
                try:
                    self._step_model()
                except Exception as err:  # any failure of the model: say so, keep the page
                    log.exception("month %d of the run failed", month)
                    self.error = (f"The run stopped in month {month}: the model failed "
                                  f"({type(err).__name__}: {err}). Press Reset to start "
                                  f"again.")
            return self.error

    def _step_model(self) -> None:
        # month 0 is kept here rather than when the model is built, so a page loads and a
        # lever moved before month 1 rebuilds the model without also pickling it
        self.snapshots.offer(self.model)
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
            if problem or month == self.month:
                return problem
            self.changes = [c for c in self.changes if c["month"] <= month]
            self.snapshots.forget_after(month)
            self.model, self.error = self.snapshots.nearest(month), None
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
                    self._begin(self.scenario.with_overrides({path: value}))
                    return None
                change = {"month": self.month + 1, "field": path, "value": value}
                self.scenario.with_overrides({"interventions": [*self.changes, change]})
                self._set_lever(path, value)
                self.changes.append(change)
                return None
            except ScenarioError as err:
                return str(err)
            except Exception as err:  # the model could not be built with it: refuse, keep the run
                log.exception("%s = %r could not be applied", path, value)
                return f"{path} = {value} could not be applied ({type(err).__name__}: {err})"

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
