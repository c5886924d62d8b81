"""One browser session's simulation: a model, its scenario and the levers changed mid-run.

Each page builds its own `Simulation` inside the component (memoised), never at module
level, so every workshop participant steps their own model.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ecosystem import EcosystemModel, Scenario, ScenarioError

log = logging.getLogger(__name__)


@dataclass
class Simulation:
    """A model plus what is needed to reproduce it with `ecosystem run`."""

    scenario: Scenario
    seed: int
    model: EcosystemModel = field(init=False)
    changes: list[dict[str, Any]] = field(default_factory=list)
    #: Why the run stopped, in words for the page, if a month failed; None while it runs.
    error: str | None = None

    def __post_init__(self) -> None:
        self.model = EcosystemModel(self.scenario, rng=self.seed)

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
        starts again. A page must never be replaced by a traceback.
        """
        for _ in range(months):
            if self.finished:
                break
            month = self.month + 1
            try:
                self.model.step()
            except Exception as err:  # any failure of the model: say so, keep the page
                log.exception("month %d of the run failed", month)
                self.error = (f"The run stopped in month {month}: the model failed "
                              f"({type(err).__name__}: {err}). Press Reset to start again.")
        return self.error

    def rewind(self, month: int) -> None:
        """Go back to the end of `month` (placeholder: not implemented yet)."""
        raise NotImplementedError("rewinding lands with the timeline")

    def restart(self) -> None:
        """Back to month 0 keeping the levers (placeholder: lands with the timeline)."""
        raise NotImplementedError("restarting lands with the timeline")

    def change(self, path: str, value: Any) -> str | None:
        """Change a lever now; the validation message if the value is refused.

        Before month 1 it changes the scenario; later it is recorded as an intervention at
        the next month, so the export reproduces the run.
        """
        try:
            if self.month == 0:
                scenario = self.scenario.with_overrides({path: value})
                self.model = EcosystemModel(scenario, rng=self.seed)
                self.scenario = scenario
                return None
            change = {"month": self.month + 1, "field": path, "value": value}
            self.scenario.with_overrides({"interventions": [*self.changes, change]})
            self.model.params = self.model.params.with_overrides({path: value})
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
