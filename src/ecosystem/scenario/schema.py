"""The validated, frozen scenario: every parameter with its unit, bounds, description and source.

A `Scenario` is the one input of a run. Its defaults are the historical baseline of
MODEL.md section 7 (front-loaded 28% cut over five years, about a third of units run
externally). Load one from TOML, write it back, and change it one field at a time by
dotted path. Every invalid input raises `ScenarioError`, which lists every problem with
its field path.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import BaseModel, Field, ValidationError, model_validator

from ecosystem.scenario.councils import Councils
from ecosystem.scenario.groups import Intervention, Population, Services, World
from ecosystem.scenario.levers import Capacity, Funding, Procurement
from ecosystem.scenario.parameters import Group, param


class ScenarioError(ValueError):
    """A scenario could not be built; `problems` lists (field path, message) pairs."""

    def __init__(self, problems: list[tuple[str, str]], source: str = "scenario") -> None:
        self.problems = problems
        self.source = source
        lines = [f"{source}: {len(problems)} problem(s)"]
        lines += [f"  - {path or '<root>'}: {message}" for path, message in problems]
        super().__init__("\n".join(lines))


#: Groups an intervention may change (the rest shape the world at month 0).
MUTABLE_GROUPS = ("population", "services", "councils", "procurement", "funding", "capacity")
#: Fields that shape the map, sites and residents at month 0, so cannot change mid-run.
FIXED_AT_START = ("need_per_household", "rural_weight", "catchment", "remote", "building",
                  "site_capacity", "zone_size", "capacity_margin", "households_per_agent",
                  "demand_grows_with_ageing", "pooled_with_health")


class Scenario(Group):
    """Every parameter of one run; the defaults are the historical baseline."""

    name: str = Field("baseline", description="A short name for the scenario.")
    description: str = Field("", description="What this scenario represents.")
    years: int = param(
        10, "Years simulated by default (12 monthly steps each). Model setting, not a claim "
        "about the world: ten years cover the five-year cut and the contract renewals after it.",
        "years", 1, 100,
    )
    world: World = Field(default_factory=World)
    population: Population = Field(default_factory=Population)
    services: Services = Field(default_factory=Services)
    councils: Councils = Field(default_factory=Councils)
    procurement: Procurement = Field(default_factory=Procurement)
    funding: Funding = Field(default_factory=Funding)
    capacity: Capacity = Field(default_factory=Capacity)
    interventions: tuple[Intervention, ...] = Field(
        (), description="Timed changes of levers: (month, field, value)."
    )

    @model_validator(mode="after")
    def _interventions_valid(self) -> Scenario:
        problems = _intervention_problems(self, [c.model_dump() for c in self.interventions])
        if problems:
            raise ValueError("; ".join(f"{path}: {message}" for path, message in problems))
        return self

    # ----- construction -------------------------------------------------------------------

    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str = "scenario") -> Scenario:
        """Validate a nested dict, raising `ScenarioError` with every problem."""
        try:
            return cls.model_validate(data)
        except ValidationError as err:
            # the interventions validator's summary is replaced by the itemised list below
            problems = [p for p in validation_problems(err)
                        if not p[1].startswith("Value error, interv")]
        changes = data.get("interventions") if isinstance(data, dict) else None
        itemised = any(p.startswith("interventions") for p, _ in problems)
        if isinstance(changes, list) and not itemised:
            problems += _intervention_problems(Scenario(), changes)
        raise ScenarioError(problems, source)

    @classmethod
    def from_toml(cls, path: str | Path) -> Scenario:
        """Load a scenario from a TOML file; missing fields take their defaults."""
        return cls.from_dict(read_toml(path), str(path))

    def to_toml(self) -> str:
        """This scenario as TOML text (complete: every field written)."""
        return tomli_w.dumps(self.model_dump(mode="json", exclude_none=True))

    def with_overrides(self, overrides: dict[str, Any]) -> Scenario:
        """A copy with fields replaced by dotted path, e.g. {"councils.budget_cut_total": 0.4}.

        String values (as typed on a command line) are read as TOML values when they parse
        as one, so "0.4", "true" and "[1, 2]" become numbers, booleans and lists.
        """
        return self._overridden(overrides, keep_interventions=True)

    def applying(self, field: str, value: Any) -> Scenario:
        """This scenario with one intervention's change made (the timeline is not re-checked).

        Its interventions were validated with it, so only the changed field is: firing an
        intervention costs the same however many there are.
        """
        changed = self._overridden({field: value}, keep_interventions=False)
        return changed.model_copy(update={"interventions": self.interventions})

    def _overridden(self, overrides: dict[str, Any], keep_interventions: bool) -> Scenario:
        source = self if keep_interventions else self.model_copy(update={"interventions": ()})
        data = source.model_dump(mode="json")
        problems: list[tuple[str, str]] = []
        for path, value in overrides.items():
            problem = _set_path(data, path, _coerce(value))
            if problem:
                problems.append((path, problem))
        try:
            result = Scenario.from_dict(data, "overrides")
        except ScenarioError as err:
            problems += err.problems
        if problems:
            raise ScenarioError(problems, "overrides")
        return result

    def get(self, path: str) -> Any:
        """The value at a dotted path."""
        node: Any = self
        for key in path.split("."):
            node = node[key] if isinstance(node, dict) else getattr(node, key)
        return node

    @property
    def months(self) -> int:
        """Months simulated by default."""
        return self.years * 12


def _intervention_problems(base: Scenario, changes: list[Any]) -> list[tuple[str, str]]:
    """Check each intervention's field and value against `base`; list every problem."""
    problems: list[tuple[str, str]] = []
    base = base.model_copy(update={"interventions": ()})  # each check costs the same
    for i, change in enumerate(changes):
        if not isinstance(change, dict) or not isinstance(change.get("field"), str):
            continue  # the field validation reports malformed entries
        group, last = change["field"].split(".", 1)[0], change["field"].rsplit(".", 1)[-1]
        if group not in MUTABLE_GROUPS or last in FIXED_AT_START:
            problems.append((f"interventions.{i}.field", f"{change['field']!r} cannot change "
                             "during a run: it shapes the world at month 0 (changeable: "
                             f"{', '.join(MUTABLE_GROUPS)}; not {', '.join(FIXED_AT_START)})"))
            continue
        try:
            base._overridden({change["field"]: change.get("value")}, keep_interventions=False)
        except ScenarioError as err:
            problems += [(f"interventions.{i}.value", f"{p}: {m}") for p, m in err.problems]
    return problems


def read_toml(path: str | Path) -> dict[str, Any]:
    """A TOML file as a dict; a file that cannot be read as TOML raises `ScenarioError`."""
    path = Path(path)
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScenarioError([("", f"file not found: {path}")], str(path)) from None
    except IsADirectoryError:
        raise ScenarioError([("", f"a directory, not a file: {path}")], str(path)) from None
    except PermissionError:
        raise ScenarioError([("", f"not allowed to read {path}")], str(path)) from None
    except UnicodeDecodeError:
        raise ScenarioError([("", f"not UTF-8 text: {path}")], str(path)) from None
    except tomllib.TOMLDecodeError as err:
        raise ScenarioError([("", f"malformed TOML: {err}")], str(path)) from None
    except RecursionError:
        raise ScenarioError([("", "malformed TOML: nested too deeply")], str(path)) from None


def _coerce(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    try:
        return tomllib.loads(f"v = {value}")["v"]
    except tomllib.TOMLDecodeError:
        return value


def _set_path(data: dict[str, Any], path: str, value: Any) -> str | None:
    keys = path.split(".")
    node: Any = data
    for depth, key in enumerate(keys[:-1]):
        if not isinstance(node, dict) or key not in node:
            where = ".".join(keys[: depth + 1])
            return f"unknown field {where!r}"
        node = node[key]
    if not isinstance(node, dict) or keys[-1] not in node:
        return f"unknown field {path!r}"
    node[keys[-1]] = value
    return None


def validation_problems(err: ValidationError) -> list[tuple[str, str]]:
    """Pydantic's errors as (field path, message) pairs."""
    out = []
    for e in err.errors():
        path = ".".join(str(p) for p in e["loc"])
        message = e["msg"]
        if e["type"] == "extra_forbidden":
            message = "unknown field"
        out.append((path, message))
    return out


def field_specs() -> list[dict[str, Any]]:
    """Every scalar scenario field with its path, default, unit, bounds, source and description.

    Used by the docs generator, the CLI help and (later) the app's controls.
    """
    specs: list[dict[str, Any]] = []
    _walk(Scenario, Scenario(), "", specs)
    return specs


def _walk(cls: type[BaseModel], instance: BaseModel, prefix: str,
          out: list[dict[str, Any]]) -> None:
    for name, info in cls.model_fields.items():
        value = getattr(instance, name)
        path = f"{prefix}{name}"
        if isinstance(value, BaseModel):
            _walk(type(value), value, f"{path}.", out)
            continue
        if isinstance(value, dict) and value and isinstance(next(iter(value.values())), BaseModel):
            for key, item in value.items():
                _walk(type(item), item, f"{path}.{key}.", out)
            continue
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        bounds = {type(m).__name__: getattr(m, type(m).__name__.lower()) for m in info.metadata
                  if type(m).__name__ in ("Ge", "Le")}
        out.append({
            "path": path, "default": value, "type": type(value).__name__,
            "unit": extra.get("unit", ""), "source": extra.get("source", ""),
            "min": bounds.get("Ge"), "max": bounds.get("Le"),
            "description": info.description or "",
        })


