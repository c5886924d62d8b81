"""Experiment specs: a base scenario, named variants or a sampled design, replicates, seeds.

A spec is TOML (see `experiments/*.toml`). Every variant is a set of dotted overrides of the
base scenario; a design samples fields over ranges (full factorial grid, Latin hypercube,
Morris or Sobol). Run plans give replicate r of every variant the same seed, the r-th child
of `SeedSequence(root_seed)`, so comparisons between variants are paired (common random
numbers). `load_spec` validates everything before anything runs and reports every problem
with its field path.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import Field, ValidationError

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


class Range(Group):
    """A numeric range to sample; defaults to the field's bounds in the scenario schema."""

    min: float | None = None
    max: float | None = None


class Design(Group):
    """A sampled design over scenario fields."""

    method: Literal["grid", "lhs", "morris", "sobol"] = Field(
        ..., description="Full factorial grid, Latin hypercube, Morris or Sobol.")
    fields: dict[str, list[Any] | Range] = Field(
        ..., description="Dotted field -> values (grid) or a range (the others).")
    samples: int = Field(8, ge=1, le=100_000, description=(
        "Points (lhs), trajectories (morris) or base sample size (sobol, a power of two)."))
    levels: int = Field(4, ge=2, le=20, description="Morris grid levels.")


class ExperimentSpec(Group):
    """One experiment: what to run, how often, and what to keep."""

    name: str = Field(..., description="Short name of the experiment.")
    question: str = Field("", description="The question it answers, in plain words.")
    evidence: str = Field("", description="The documents it draws on.")
    base: str = Field("baseline", description="Preset name, or a scenario TOML path.")
    set: dict[str, Any] = Field({}, description="Dotted overrides applied to the base.")
    variants: dict[str, dict[str, Any]] = Field(
        {"baseline": {}}, description="Variant name -> dotted overrides; the first is the "
        "baseline of comparisons.")
    design: Design | None = Field(None, description="A sampled design instead of variants.")
    replicates: int = Field(10, ge=1, le=100_000, description="Replicates per variant/point.")
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
    """Validate a spec given as a dict (paths relative to `folder`)."""
    for key in ("set", "variants"):
        if isinstance(data.get(key), dict):
            data = {**data, key: _flatten_tables(data[key], nested=key == "variants")}
    try:
        spec = ExperimentSpec.model_validate(data)
    except ValidationError as err:
        raise ScenarioError(validation_problems(err), source) from None
    problems: list[tuple[str, str]] = []
    base = _base_scenario(spec, folder, problems)
    plans: list[RunPlan] = []
    problem: dict[str, Any] | None = None
    if base is not None:
        _check_outputs(spec, base, problems)
        if spec.design is None:
            plans = _variant_plans(spec, base, problems)
        else:
            plans, problem = _design_plans(spec, base, problems)
    if problems:
        raise ScenarioError(problems, source)
    return Experiment(spec, base, plans, problem)  # type: ignore[arg-type]


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
        return scenario.with_overrides(spec.set) if spec.set else scenario
    except ScenarioError as err:
        where = "base" if not spec.set else "set"
        problems += [(f"{where}.{p}" if p else where, m) for p, m in err.problems]
        return None


def _check_outputs(spec: ExperimentSpec, base: Scenario, problems: list[tuple[str, str]]) -> None:
    known = set(METRICS) | {f"coverage_{name}" for name in base.services.catalogue}
    for i, name in enumerate(spec.outputs):
        if name not in known:
            problems.append((f"outputs.{i}", f"unknown metric {name!r}"))


def _variant_plans(
    spec: ExperimentSpec, base: Scenario, problems: list[tuple[str, str]]
) -> list[RunPlan]:
    plans: list[RunPlan] = []
    for name, overrides in spec.variants.items():
        try:
            base.with_overrides(overrides)
        except ScenarioError as err:
            problems += [(f"variants.{name}.{p}", m) for p, m in err.problems]
        for r in range(spec.replicates):
            plans.append(RunPlan(len(plans), name, r, dict(overrides)))
    return plans


def _design_plans(
    spec: ExperimentSpec, base: Scenario, problems: list[tuple[str, str]]
) -> tuple[list[RunPlan], dict[str, Any] | None]:
    design = spec.design
    assert design is not None
    bounds = {s["path"]: (s["min"], s["max"], s["type"]) for s in field_specs()}
    names: list[str] = []
    ranges: list[Any] = []
    for path, value in design.fields.items():
        where = f"design.fields.{path}"
        if path not in bounds:
            problems.append((where, "unknown field"))
            continue
        low, high, kind = bounds[path]
        if design.method == "grid":
            if not isinstance(value, list) or not value:
                problems.append((where, "a grid needs a list of values"))
                continue
            ranges.append(value)
        else:
            if kind not in ("int", "float"):
                problems.append((where, f"{design.method} samples numeric fields only"))
                continue
            rng = value if isinstance(value, Range) else Range()
            lo = low if rng.min is None else rng.min
            hi = high if rng.max is None else rng.max
            if lo is None or hi is None or lo >= hi:
                problems.append((where, "needs a range with min < max"))
                continue
            if (low is not None and lo < low) or (high is not None and hi > high):
                problems.append((where, f"range [{lo}, {hi}] is outside the schema's bounds "
                                        f"[{low}, {high}]"))
                continue
            ranges.append((float(lo), float(hi)))
        names.append(path)
    if problems:
        return [], None
    points, problem = _sample(design, names, ranges, spec.root_seed)
    plans: list[RunPlan] = []
    for i, point in enumerate(points):
        overrides = dict(zip(names, point))
        for path, value in overrides.items():
            if bounds[path][2] == "int":
                overrides[path] = int(round(value))
        try:
            base.with_overrides(overrides)
        except ScenarioError as err:
            problems += [(f"design.point.{i}.{p}", m) for p, m in err.problems]
            continue
        for r in range(spec.replicates):
            plans.append(RunPlan(len(plans), f"point-{i:05d}", r, overrides,
                                 {n: float(v) for n, v in zip(names, point)
                                  if isinstance(v, int | float)}))
    return plans, problem


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
