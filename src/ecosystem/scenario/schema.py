"""The validated, frozen scenario: every parameter with its unit, bounds, description and source.

A `Scenario` is the one input of a run. Its defaults are the historical baseline of
MODEL.md section 7 (front-loaded 28% cut over five years, about a third of units run
externally). Load one from TOML, write it back, and change it one field at a time by
dotted path. Every invalid input raises `ScenarioError`, which lists every problem with
its field path.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, get_args, get_origin

import tomli_w
from pydantic import BaseModel, Field, ValidationError, model_validator
from pydantic.fields import FieldInfo

from ecosystem.scenario.capacity import Capacity
from ecosystem.scenario.councils import Councils
from ecosystem.scenario.decisions import Decision, decision_problems
from ecosystem.scenario.funding import Funding
from ecosystem.scenario.groups import Intervention, Population, Services, World
from ecosystem.scenario.parameters import Group, param
from ecosystem.scenario.parishes import Parishes
from ecosystem.scenario.procurement_rules import Procurement
from ecosystem.scenario.strategies import Strategy


class ScenarioError(ValueError):
    """A scenario could not be built; `problems` lists (field path, message) pairs."""

    def __init__(self, problems: list[tuple[str, str]], source: str = "scenario") -> None:
        self.problems = problems
        self.source = source
        lines = [f"{source}: {len(problems)} problem(s)"]
        lines += [f"  - {path or '<root>'}: {message}" for path, message in problems]
        super().__init__("\n".join(lines))


#: Groups an intervention may change (the rest shape the world at month 0).
MUTABLE_GROUPS = ("population", "services", "councils", "procurement", "funding", "capacity",
                  "strategy", "parishes")
#: Fields that shape the map, sites and residents at month 0, so cannot change mid-run.
FIXED_AT_START = ("need_per_household", "rural_weight", "catchment", "remote", "building",
                  "site_capacity", "zone_size", "capacity_margin", "households_per_agent",
                  "demand_grows_with_ageing", "pooled_with_health")
#: Why a field cannot change during a run.
_FIXED_REASON = (f"it shapes the world at month 0 (changeable: {', '.join(MUTABLE_GROUPS)}; "
                 f"not {', '.join(FIXED_AT_START)}, nor which services there are)")
#: Most interventions one scenario may hold: validating each costs about half a
#: millisecond, and a hundred years of monthly changes to eight levers is 9,600.
MAX_INTERVENTIONS = 10_000
#: Largest scenario or experiment file read, in bytes (the largest shipped spec, the lever
#: atlas, is 22 kB): a bigger file, or a device such as /dev/zero, is refused unread.
MAX_FILE_BYTES = 16 * 1024 * 1024


class _TimelineError(ValueError):
    """The interventions' problems, itemised; pydantic keeps the exception in its context."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{path}: {message}" for path, message in problems))


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
    strategy: Strategy = Field(default_factory=Strategy)
    parishes: Parishes = Field(default_factory=Parishes)
    interventions: tuple[Intervention, ...] = Field(
        (), max_length=MAX_INTERVENTIONS,
        description="Timed changes of levers: (month, field, value), each within the run.",
    )
    decisions: tuple[Decision, ...] = Field(
        (), max_length=MAX_INTERVENTIONS,
        description="One council's decisions for a budget year (a workshop game's plans).",
    )

    @model_validator(mode="after")
    def _interventions_valid(self) -> Scenario:
        changes = [c.model_dump() for c in self.interventions]
        problems = _intervention_problems(self, changes, self.months)
        bare = self.model_copy(update={"interventions": (), "decisions": ()})
        problems += decision_problems(bare, [d.model_dump() for d in self.decisions])
        if problems:
            raise _TimelineError(problems)
        return self

    # ----- construction -------------------------------------------------------------------

    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str = "scenario") -> Scenario:
        """Validate a nested dict, raising `ScenarioError` with every problem."""
        try:
            return cls.model_validate(data)
        except ValidationError as err:
            problems = validation_problems(err)
        changes = data.get("interventions") if isinstance(data, dict) else None
        itemised = any(p.startswith("interventions") for p, _ in problems)
        if isinstance(changes, list | tuple) and not itemised:
            # other fields are invalid, so the validator never ran: check against defaults
            base, months = _fallback_base(data)
            problems += _intervention_problems(base, list(changes), months)
        decisions = data.get("decisions") if isinstance(data, dict) else None
        if isinstance(decisions, list | tuple) and not any(
                p.startswith("decisions") for p, _ in problems):
            base, _ = _fallback_base(data)
            problems += decision_problems(base, [d for d in decisions if isinstance(d, dict)])
        raise ScenarioError(problems, source)

    @classmethod
    def from_toml(cls, path: str | Path) -> Scenario:
        """Load a scenario from a TOML file; missing fields take their defaults.

        A case file's `[case]` table (its story and documented outcomes,
        `ecosystem.scenario.cases`) is not part of the scenario and is left out.
        """
        data = read_toml(path)
        data.pop("case", None)
        return cls.from_dict(data, str(path))

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

        Its interventions and decisions were validated with it, so only the changed field is:
        firing an intervention costs the same however many there are.
        """
        changed = self._overridden({field: value}, keep_interventions=False)
        return changed.model_copy(update={"interventions": self.interventions,
                                          "decisions": self.decisions})

    def _overridden(self, overrides: dict[str, Any], keep_interventions: bool) -> Scenario:
        if not isinstance(overrides, Mapping):
            raise ScenarioError([("", "overrides map dotted field paths to values, not a "
                                      f"{type(overrides).__name__}")], "overrides")
        source = self if keep_interventions else self.model_copy(
            update={"interventions": (), "decisions": ()})
        data = source.model_dump(mode="json")
        problems: list[tuple[str, str]] = []
        for path, value in overrides.items():
            if not isinstance(path, str):
                problems.append((repr(path), "a field path is a dotted string such as "
                                 f"'councils.ideology', not {type(path).__name__} {path!r}"))
                continue
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


def _intervention_problems(
    base: Scenario, changes: list[Any], months: int | None
) -> list[tuple[str, str]]:
    """Check an interventions timeline against `base`, as the model would fire it.

    Interventions fire in month order (list order within a month), each changing the
    scenario the earlier ones left, so each is checked against that scenario: a value valid
    alone but not after an earlier change is refused here rather than failing mid-run. Each
    check costs the same however many there are.

    Args:
        base: The scenario at month 0 (its own interventions are ignored).
        changes: The interventions as dicts (malformed ones are left to field validation).
        months: The run's length, or None when unknown.

    Returns:
        Every problem as (field path, message).
    """
    problems: list[tuple[str, str]] = []
    state = base.model_copy(update={"interventions": ()})
    for i in sorted(range(len(changes)), key=lambda i: _month_of(changes[i])):
        change = changes[i]
        if not isinstance(change, dict) or not isinstance(change.get("field"), str):
            continue  # the field validation reports malformed entries
        month = change.get("month")
        if months is not None and isinstance(month, int) and month > months:
            problems.append((f"interventions.{i}.month", f"month {month} is after the run's "
                             f"last month ({months}), so it would never take effect"))
        found = _fire(state, i, change["field"], change.get("value"))
        if isinstance(found, list):
            problems += found
        else:
            state = found
    return sorted(problems, key=lambda problem: int(problem[0].split(".")[1]))  # list order


def _month_of(change: Any) -> int:
    month = change.get("month") if isinstance(change, dict) else None
    return month if isinstance(month, int) else 0


def _fire(state: Scenario, i: int, field: str, value: Any) -> Scenario | list[tuple[str, str]]:
    """`state` after intervention `i`, or the intervention's problems."""
    group, last = field.split(".", 1)[0], field.rsplit(".", 1)[-1]
    if group not in MUTABLE_GROUPS or last in FIXED_AT_START:
        return [(f"interventions.{i}.field", f"{field!r} cannot change during a run: "
                 f"{_FIXED_REASON}")]
    try:
        after = state._overridden({field: value}, keep_interventions=False)
    except ScenarioError as err:
        return [(f"interventions.{i}.value", f"{p}: {m}") for p, m in err.problems]
    if isinstance(_coerce(value), dict):  # a whole table may reach what is fixed at month 0
        before = state.model_dump()["services"]["catalogue"]
        fixed = [f"{path} ({'removed' if path.split('.')[2] in before else 'added'})"
                 if path.count(".") == 2 and path.startswith("services.catalogue.") else path
                 for path in _changed_paths(state.model_dump(), after.model_dump())
                 if _fixed_at_start(path)]
        if fixed:
            return [(f"interventions.{i}.value", f"it would change {', '.join(fixed)}, which "
                     f"cannot change during a run: {_FIXED_REASON}")]
    return after


def _changed_paths(before: Any, after: Any, prefix: str = "") -> list[str]:
    """Dotted paths at which two scenario dumps differ (a key only one has counts as one)."""
    if before == after:
        return []
    if not (isinstance(before, dict) and isinstance(after, dict)):
        return [prefix.rstrip(".")]
    paths: list[str] = []
    for key in before.keys() | after.keys():
        if key not in before or key not in after:
            paths.append(f"{prefix}{key}")
        else:
            paths += _changed_paths(before[key], after[key], f"{prefix}{key}.")
    return paths


def _fixed_at_start(path: str) -> bool:
    """Whether the field at `path` is fixed at month 0 (a service's entry: its existence)."""
    parts = path.split(".")
    return (parts[0] not in MUTABLE_GROUPS or parts[-1] in FIXED_AT_START
            or parts[:2] == ["services", "catalogue"] and len(parts) <= 3)


def _fallback_base(data: dict[str, Any]) -> tuple[Scenario, int | None]:
    """What to check interventions against when other fields are invalid.

    The defaults, with the data's `years` when valid; the run's length is unknown otherwise.
    """
    try:
        base = Scenario.model_validate({"years": data["years"]}) if "years" in data \
            else Scenario()
    except ValidationError:
        return Scenario(), None
    return base, base.months


def read_toml(path: str | Path) -> dict[str, Any]:
    """A TOML file as a dict; a file that cannot be read as TOML raises `ScenarioError`."""
    path = Path(path)
    data = _read_bytes(path)
    try:
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise ScenarioError([("", f"not UTF-8 text: {path}")], str(path)) from None
    except tomllib.TOMLDecodeError as err:
        raise ScenarioError([("", f"malformed TOML: {err}")], str(path)) from None
    except RecursionError:
        raise ScenarioError([("", "malformed TOML: nested too deeply")], str(path)) from None


def _read_bytes(path: Path) -> bytes:
    """The file's bytes; `ScenarioError` if it cannot be read or is over `MAX_FILE_BYTES`."""
    try:
        with path.open("rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise ScenarioError([("", f"file not found: {path}")], str(path)) from None
    except IsADirectoryError:
        raise ScenarioError([("", f"a directory, not a file: {path}")], str(path)) from None
    except PermissionError:
        raise ScenarioError([("", f"not allowed to read {path}")], str(path)) from None
    except OSError as err:
        raise ScenarioError([("", f"cannot read {path}: {err.strerror or err}")],
                            str(path)) from None
    except ValueError as err:  # e.g. a NUL byte in the path
        raise ScenarioError([("", f"not a usable file path: {err}")], str(path)) from None
    if len(data) > MAX_FILE_BYTES:
        raise ScenarioError([("", f"larger than {MAX_FILE_BYTES // 2**20} MiB, too large for "
                                  f"a scenario or experiment file: {path}")], str(path))
    return data


def _coerce(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    try:
        return tomllib.loads(f"v = {value}")["v"]
    except (tomllib.TOMLDecodeError, RecursionError):
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
        cause = e.get("ctx", {}).get("error")
        if isinstance(cause, _TimelineError):  # already itemised, with paths from the root
            out += [(f"{path}.{p}" if path else p, m) for p, m in cause.problems]
            continue
        message = e["msg"]
        if e["type"] == "extra_forbidden":
            message = "unknown field"
        elif e["type"] == "value_error" and cause is not None:
            message = str(cause)  # the validator's own words, without "Value error, "
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
        bounds = _bounds(info)
        out.append({
            "path": path, "default": value, "type": type(value).__name__,
            "unit": extra.get("unit", ""), "source": extra.get("source", ""),
            "min": bounds.get("Ge"), "max": bounds.get("Le"),
            "description": info.description or "",
        })


def _bounds(info: FieldInfo) -> dict[str, Any]:
    """A field's Ge and Le bounds; for a tuple of bounded numbers, those of its elements."""
    metadata = list(info.metadata)
    if not metadata and get_origin(info.annotation) is tuple:
        for element in get_args(info.annotation):
            metadata += [m for arg in get_args(element)[1:] if isinstance(arg, FieldInfo)
                         for m in arg.metadata]
    return {type(m).__name__: getattr(m, type(m).__name__.lower()) for m in metadata
            if type(m).__name__ in ("Ge", "Le")}
