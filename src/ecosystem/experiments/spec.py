"""Experiment specs: a base scenario, named variants or a sampled design, replicates, seeds.

A spec is TOML (see `experiments/*.toml`). Every variant is a set of dotted overrides of the
base scenario; a design samples fields over ranges (full factorial grid, Latin hypercube,
Morris or Sobol). Run plans give replicate r of every variant the same seed, the r-th child
of `SeedSequence(root_seed)`, so comparisons between variants are paired (common random
numbers). `load_spec` validates everything before anything runs and reports every problem
with its field path; an experiment of more than `MAX_RUNS` runs is refused before its plans
are made.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import Discriminator, Field, Tag, ValidationError

from ecosystem.metrics import METRICS
from ecosystem.scenario import (
    Scenario,
    ScenarioError,
    field_specs,
    read_toml,
    validation_problems,
)
from ecosystem.scenario.parameters import Group
from ecosystem.scenario.presets import list_presets, load_preset

#: Most runs one experiment may plan: its variants or design points times its replicates.
#: Plans are made in memory before anything runs and every run takes seconds, so a bigger
#: experiment (a grid of 4 fields x 100 values is 100 million runs) is refused, counted
#: arithmetically before any plan is made. Split it into several experiments instead.
MAX_RUNS = 100_000
#: The variants a spec has when it names none: one baseline, the base scenario itself.
DEFAULT_VARIANTS: dict[str, dict[str, Any]] = {"baseline": {}}
#: Why no variant or design point may change `years`.
ONE_RUN_LENGTH = ("every run of an experiment simulates the same months (`months`, else the "
                  "base scenario's years): set those, not years per variant or point")


class Range(Group):
    """A numeric range to sample; defaults to the field's bounds in the scenario schema."""

    min: float | None = Field(None, allow_inf_nan=False)
    max: float | None = Field(None, allow_inf_nan=False)


def _values_or_range(value: Any) -> str:
    """Which kind of a design field's entry `value` is: a list of values, else a range."""
    return "values" if isinstance(value, list) else "range"


#: A design field's entry: values (grid) or a range (the others); errors name the kind.
ValuesOrRange = Annotated[
    Annotated[list[Any], Tag("values")] | Annotated[Range, Tag("range")],
    Discriminator(_values_or_range),
]


class Design(Group):
    """A sampled design over scenario fields."""

    method: Literal["grid", "lhs", "morris", "sobol"] = Field(
        ..., description="Full factorial grid, Latin hypercube, Morris or Sobol.")
    fields: dict[str, ValuesOrRange] = Field(
        ..., min_length=1, description="Dotted field -> values (grid) or a range (the others).")
    samples: int = Field(8, ge=1, le=MAX_RUNS, description=(
        "Points (lhs), trajectories (morris) or base sample size (sobol, a power of two)."))
    levels: int = Field(4, ge=2, le=20, multiple_of=2, description=(
        "Morris grid levels; even, or SALib's Morris sample is biased."))


class ExperimentSpec(Group):
    """One experiment: what to run, how often, and what to keep."""

    name: str = Field(..., description="Short name of the experiment.")
    question: str = Field("", description="The question it answers, in plain words.")
    evidence: str = Field("", description="The documents it draws on.")
    base: str = Field("baseline", description="Preset name, or a scenario TOML path.")
    set: dict[str, Any] = Field({}, description="Dotted overrides applied to the base.")
    variants: dict[str, dict[str, Any]] = Field(
        DEFAULT_VARIANTS, min_length=1, description="Variant name -> dotted overrides; the "
        "first is the baseline of comparisons.")
    design: Design | None = Field(None, description="A sampled design instead of variants.")
    replicates: int = Field(10, ge=1, le=MAX_RUNS, description="Replicates per variant/point.")
    months: int | None = Field(None, ge=1, le=1200, description="Months (default: scenario).")
    outputs: list[str] = Field([], description="Metrics kept in the time series (all if empty).")
    root_seed: int = Field(0, ge=0, description="Root entropy of the seed sequence.")


@dataclass(frozen=True)
class RunPlan:
    """One run of a sweep: which variant, which replicate, and its seed's spawn key."""

    run: int
    variant: str
    replicate: int
    overrides: dict[str, Any]
    params: dict[str, float] = field(default_factory=dict)

    def seed(self, root: int) -> np.random.SeedSequence:
        """The run's seed: the replicate-th child of SeedSequence(root)."""
        return np.random.SeedSequence(root, spawn_key=(self.replicate,))


@dataclass(frozen=True)
class Experiment:
    """A validated spec with its base scenario and its run plans."""

    spec: ExperimentSpec
    base: Scenario
    plans: list[RunPlan]
    problem: dict[str, Any] | None = None  # SALib problem for morris/sobol designs

    @property
    def variants(self) -> list[str]:
        """Variant names in plan order (the first is the baseline)."""
        return list(dict.fromkeys(p.variant for p in self.plans))

    @property
    def months(self) -> int:
        """Months each run simulates."""
        return self.spec.months or self.base.months


def load_spec(path: str | Path) -> Experiment:
    """Read and validate an experiment spec; raise `ScenarioError` listing every problem."""
    return build_experiment(read_toml(path), Path(path).parent, str(path))


def build_experiment(data: dict[str, Any], folder: Path, source: str) -> Experiment:
    """Validate a spec given as a dict (paths relative to `folder`).

    Raises:
        ScenarioError: Listing every problem with its field path.
    """
    spec = _validated_spec(data, source)
    problems = _shape_problems(spec)
    base = _base_scenario(spec, folder, problems)
    plans: list[RunPlan] = []
    problem: dict[str, Any] | None = None
    if base is not None:
        _check_outputs(spec, base, problems)
        months = spec.months or base.months
        if spec.months is not None:
            where = "set." if "interventions" in spec.set else "base."
            problems += _late_interventions(base, months, where)
        if _points(spec) * spec.replicates <= MAX_RUNS:  # else refused, the plans never made
            plans, problem = _plans(spec, base, months, problems)
    if problems:
        raise ScenarioError(problems, source)
    return Experiment(spec, base, plans, problem)  # type: ignore[arg-type]


def _validated_spec(data: Any, source: str) -> ExperimentSpec:
    """The spec's fields, validated (TOML's nested tables made dotted paths again)."""
    if not isinstance(data, dict):
        raise ScenarioError([("", "an experiment spec is a table of fields, not a "
                                  f"{type(data).__name__}")], source)
    for key in ("set", "variants"):
        if isinstance(data.get(key), dict):
            try:
                data = {**data, key: _flatten_tables(data[key], nested=key == "variants")}
            except RecursionError:
                raise ScenarioError([(key, "tables nested too deeply")], source) from None
    try:
        return ExperimentSpec.model_validate(data)
    except ValidationError as err:
        raise ScenarioError(validation_problems(err), source) from None


def _shape_problems(spec: ExperimentSpec) -> list[tuple[str, str]]:
    """Variants and a design together, and the cap on runs."""
    problems: list[tuple[str, str]] = []
    design = spec.design
    if design is not None and spec.variants != DEFAULT_VARIANTS:
        problems.append(("variants", "a spec has either variants or a design, not both (a "
                         "design's points are its variants): use one"))
    points = _points(spec)
    if points * spec.replicates > MAX_RUNS:
        what = "variants" if design is None else f"{design.method} design points"
        problems.append(("design" if design else "replicates",
                         f"{points * spec.replicates:,} runs ({points:,} {what} x "
                         f"{spec.replicates:,} replicates) is more than the {MAX_RUNS:,} an "
                         "experiment may plan: use fewer values, samples or replicates, or "
                         "split it into several experiments"))
    return problems


def _points(spec: ExperimentSpec) -> int:
    """Variants or design points the spec asks for, counted without making them."""
    design = spec.design
    if design is None:
        return len(spec.variants)
    if design.method == "grid":
        return math.prod(len(v) for v in design.fields.values() if isinstance(v, list))
    if design.method == "lhs":
        return design.samples
    extra = 1 if design.method == "morris" else 2  # N (D + 1) and N (D + 2) samples
    return design.samples * (len(design.fields) + extra)


def _flatten_tables(table: dict[str, Any], nested: bool) -> dict[str, Any]:
    """TOML reads `procurement.regime = "light"` as nested tables: make dotted paths again."""
    if nested:
        return {name: _flatten(value) if isinstance(value, dict) else value
                for name, value in table.items()}
    return _flatten(table)


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in table.items():
        if isinstance(value, dict) and key != "interventions":
            out.update(_flatten(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def _base_scenario(
    spec: ExperimentSpec, folder: Path, problems: list[tuple[str, str]]
) -> Scenario | None:
    try:
        if spec.base in list_presets():
            scenario = load_preset(spec.base)
        else:
            scenario = Scenario.from_toml(folder / spec.base)
    except ScenarioError as err:
        problems += [(f"base.{p}" if p else "base", m) for p, m in err.problems]
        return None
    try:
        return scenario.with_overrides(spec.set) if spec.set else scenario
    except ScenarioError as err:
        problems += [(f"set.{p}" if p else "set", m) for p, m in err.problems]
        return None


def _check_outputs(spec: ExperimentSpec, base: Scenario, problems: list[tuple[str, str]]) -> None:
    known = set(METRICS) | {f"coverage_{name}" for name in base.services.catalogue}
    for i, name in enumerate(spec.outputs):
        if name not in known:
            problems.append((f"outputs.{i}", f"unknown metric {name!r}"))
        elif name in spec.outputs[:i]:
            problems.append((f"outputs.{i}", f"{name!r} is listed twice"))


def _late_interventions(scenario: Scenario, months: int, where: str) -> list[tuple[str, str]]:
    """Interventions after the experiment's last month (they would never take effect)."""
    return [(f"{where}interventions.{i}.month", f"month {change.month} is after the "
             f"experiment's last month ({months}), so it would never take effect")
            for i, change in enumerate(scenario.interventions) if change.month > months]


def _point_problems(
    where: str, overrides: dict[str, Any], base: Scenario, months: int
) -> list[tuple[str, str]]:
    """Problems of one variant or design point: its overrides, its length, its timeline."""
    try:
        scenario = base.with_overrides(overrides)
    except ScenarioError as err:
        return [(f"{where}{p}", m) for p, m in err.problems]
    problems: list[tuple[str, str]] = []
    if scenario.years != base.years:
        problems.append((f"{where}years", ONE_RUN_LENGTH))
    if "interventions" in overrides:
        problems += _late_interventions(scenario, months, where)
    return problems


def _plans(
    spec: ExperimentSpec, base: Scenario, months: int, problems: list[tuple[str, str]]
) -> tuple[list[RunPlan], dict[str, Any] | None]:
    """The run plans of the variants or of the design, and the SALib problem if any."""
    if spec.design is None:
        return _variant_plans(spec, base, months, problems), None
    return _design_plans(spec, base, months, problems)


def _variant_plans(
    spec: ExperimentSpec, base: Scenario, months: int, problems: list[tuple[str, str]]
) -> list[RunPlan]:
    plans: list[RunPlan] = []
    for name, overrides in spec.variants.items():
        problems += _point_problems(f"variants.{name}.", overrides, base, months)
        for r in range(spec.replicates):
            plans.append(RunPlan(len(plans), name, r, dict(overrides)))
    return plans


def _design_plans(
    spec: ExperimentSpec, base: Scenario, months: int, problems: list[tuple[str, str]]
) -> tuple[list[RunPlan], dict[str, Any] | None]:
    design = spec.design
    assert design is not None
    specs = {s["path"]: s for s in field_specs()}
    names, ranges, found = _design_fields(design, specs)
    if design.method == "sobol" and design.samples & (design.samples - 1):
        found.append(("design.samples", f"a sobol design needs a power of two, not "
                      f"{design.samples}"))
    problems += found
    if found:
        return [], None
    points, problem = _sample(design, names, ranges, spec.root_seed)
    plans: list[RunPlan] = []
    for i, point in enumerate(points):
        overrides = dict(zip(names, point))
        if design.method != "grid":  # sampled values are floats: whole numbers for int fields
            overrides = {path: int(round(value)) if specs[path]["type"] == "int" else value
                         for path, value in overrides.items()}
        found = _point_problems(f"design.point.{i}.", overrides, base, months)
        problems += found
        if found:
            continue
        for r in range(spec.replicates):
            plans.append(RunPlan(len(plans), f"point-{i:05d}", r, overrides,
                                 {n: float(v) for n, v in zip(names, point)
                                  if isinstance(v, int | float)}))
    return plans, problem


def _design_fields(
    design: Design, specs: dict[str, dict[str, Any]]
) -> tuple[list[str], list[Any], list[tuple[str, str]]]:
    """The design's field paths, their values (grid) or (low, high) ranges, and problems."""
    names: list[str] = []
    ranges: list[Any] = []
    problems: list[tuple[str, str]] = []
    for path, value in design.fields.items():
        where = f"design.fields.{path}"
        if path not in specs:
            problems.append((where, "unknown field"))
        elif path == "years":
            problems.append((where, ONE_RUN_LENGTH))
        elif design.method == "grid":
            if isinstance(value, list) and value:
                names.append(path)
                ranges.append(value)
            else:
                problems.append((where, "a grid needs a list of values"))
        elif specs[path]["type"] not in ("int", "float"):
            problems.append((where, f"{design.method} samples numeric fields only"))
        else:
            found = _range(value, specs[path]["min"], specs[path]["max"])
            if isinstance(found, tuple):
                names.append(path)
                ranges.append(found)
            else:
                problems.append((where, found))
    return names, ranges, problems


def _range(value: Any, low: float | None, high: float | None) -> tuple[float, float] | str:
    """A sampled field's (low, high), defaulting to the schema's bounds; else the problem."""
    if not isinstance(value, Range):
        return "needs a range, {min = ..., max = ...} ({} for the schema's bounds), not values"
    lo = low if value.min is None else value.min
    hi = high if value.max is None else value.max
    if lo is None or hi is None or lo >= hi:
        return "needs a range with min < max"
    if (low is not None and lo < low) or (high is not None and hi > high):
        return f"range [{lo}, {hi}] is outside the schema's bounds [{low}, {high}]"
    return float(lo), float(hi)


def _sample(
    design: Design, names: list[str], ranges: list[Any], root: int
) -> tuple[list[list[Any]], dict[str, Any] | None]:
    """Design points as rows of values, and the SALib problem for morris/sobol."""
    if design.method == "grid":
        return [list(p) for p in itertools.product(*ranges)], None
    problem = {"num_vars": len(names), "names": names, "bounds": [list(r) for r in ranges]}
    if design.method == "lhs":
        rng = np.random.default_rng(root)
        n = design.samples
        cut = (np.argsort(rng.random((len(names), n)), axis=1) + rng.random((len(names), n))) / n
        lows = np.array([r[0] for r in ranges])[:, None]
        highs = np.array([r[1] for r in ranges])[:, None]
        return (lows + cut * (highs - lows)).T.tolist(), problem
    if design.method == "morris":
        from SALib.sample import morris  # heavy optional dependency: imported when used

        x = morris.sample(problem, design.samples, num_levels=design.levels, seed=root)
    else:
        from SALib.sample import sobol  # heavy optional dependency: imported when used

        x = sobol.sample(problem, design.samples, calc_second_order=False, seed=root)
    return x.tolist(), problem
