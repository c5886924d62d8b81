"""The case library: the councils and cases the documents name, each a runnable scenario.

A case is a scenario TOML in `cases/` with a `[case]` table: its title, group, place, the
delivery models it shows, a short story with its sources, and the outcomes the documents
report, each written as a direction the model's runs are tested against (`Outcome`). The
`[case]` table is not part of the scenario: `load_case` reads it and validates the rest as any
scenario file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from ecosystem.scenario.delivery_models import DELIVERY_MODELS
from ecosystem.scenario.schema import Scenario, ScenarioError, read_toml, validation_problems

#: Directory holding the case TOML files.
CASE_DIR: Path = Path(__file__).parent / "cases"
#: The groups of the preset picker, in order: the stylised places, then the two case lists.
GROUPS: dict[str, str] = {"places": "Places",
                          "delivering-differently": "Delivering Differently councils",
                          "localis": "Localis cases"}


class Outcome(BaseModel):
    """A documented outcome as a direction the model's runs are tested against.

    The mean of `metric` (a column of a run's summary) over the case's replicates must lie
    `direction` of `than`, or of the same mean for the case with `versus` changed (paired
    seeds: then the paired differences' 95% interval must exclude zero on that side).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    documented: str = Field(min_length=1, description="What the documents report, cited.")
    metric: str = Field(min_length=1, description="A column of a run's summary.")
    direction: Literal["above", "below"]
    than: float | None = None
    versus: dict[str, Any] | None = None
    figure: float | None = Field(None, description="The documents' figure, in the metric's "
                                 "unit, shown beside the model's.")
    known_gap: str | None = Field(None, min_length=1, description="Why the model does not "
                                  "reproduce this outcome: it is then tested not to hold, so "
                                  "the case is updated when the model changes.")

    @model_validator(mode="after")
    def _one_reference(self) -> Outcome:
        if (self.than is None) == (self.versus is None):
            raise ValueError("give either 'than' (a number) or 'versus' (fields to change)")
        return self


class CaseInfo(BaseModel):
    """The `[case]` table of a case file."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: str = Field(min_length=1)
    group: Literal["delivering-differently", "localis"]
    place: str = Field(min_length=1)
    models: tuple[str, ...] = Field(min_length=1)
    story: str = Field(min_length=1)
    sources: tuple[str, ...] = Field(min_length=1)
    outcomes: tuple[Outcome, ...] = Field(min_length=1)

    @field_validator("models")
    @classmethod
    def _models_known(cls, models: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [m for m in models if m not in DELIVERY_MODELS]
        if unknown:
            raise ValueError(f"unknown delivery models {unknown}; known: "
                             f"{', '.join(DELIVERY_MODELS)}")
        return models


@dataclass(frozen=True)
class Case:
    """One case: its name (the file's stem), its `[case]` table and its scenario."""

    name: str
    info: CaseInfo
    scenario: Scenario

    def versus(self, outcome: Outcome) -> Scenario:
        """The scenario `outcome` is compared with: the case with its `versus` fields changed."""
        assert outcome.versus is not None
        return self.scenario.with_overrides(outcome.versus)


def case_files() -> dict[str, Path]:
    """The shipped case files by name, sorted."""
    if not CASE_DIR.is_dir():
        return {}
    return {path.stem: path for path in sorted(CASE_DIR.glob("*.toml"))}


def split_case(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """A scenario file's contents without its `[case]` table, and that table (or None)."""
    scenario = {key: value for key, value in data.items() if key != "case"}
    case = data.get("case")
    return scenario, case if isinstance(case, dict) else None


def load_case(name: str) -> Case:
    """Load and validate a shipped case, its `[case]` table and its scenario.

    Raises:
        ScenarioError: Listing every problem with its field path (`case.` for the table).
    """
    files = case_files()
    if name not in files:
        raise ScenarioError([("case", f"unknown case {name!r}; known: "
                              f"{', '.join(files) or 'none'}")], "case")
    path = files[name]
    body, table = split_case(read_toml(path))
    problems: list[tuple[str, str]] = []
    info = None
    try:
        info = CaseInfo.model_validate(table if table is not None else {})
    except ValidationError as err:
        problems += [(f"case.{p}" if p else "case", m) for p, m in validation_problems(err)]
    try:
        scenario = Scenario.from_dict(body, str(path))
    except ScenarioError as err:
        problems += err.problems
    if problems or info is None:
        raise ScenarioError(problems, str(path))
    case = Case(name, info, scenario)
    problems += _outcome_problems(case)
    if problems:
        raise ScenarioError(problems, str(path))
    return case


def _outcome_problems(case: Case) -> list[tuple[str, str]]:
    """Outcomes whose `versus` is not a valid change of the case's scenario.

    Whether each metric is a column of a run's summary is checked where runs are known
    (`ecosystem.experiments.case_outcomes.metric_problems`).
    """
    problems = []
    for i, outcome in enumerate(case.info.outcomes):
        if outcome.versus is not None:
            try:
                case.versus(outcome)
            except ScenarioError as err:
                problems += [(f"case.outcomes.{i}.versus.{p}", m) for p, m in err.problems]
    return problems


def list_cases() -> dict[str, Case]:
    """Every shipped case, loaded and validated, by name."""
    return {name: load_case(name) for name in case_files()}
