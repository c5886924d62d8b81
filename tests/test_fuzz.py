"""Every bad input answered (issue 10): fuzzing every user-facing entry.

Dotted overrides (the Python API, and `--set` on the command line), TOML files (read as
`ecosystem run FILE` and an experiment's `base` read them), experiment specs and the command
line itself: each input either gives a valid object or raises `ScenarioError` with field
paths, never another exception, and the command line exits 2 without a traceback. Hypothesis
generates the inputs; the issue's own inputs, and what hypothesis found, are explicit cases
in test_bad_inputs.py (the command line's at the end of this file). Example counts are
modest so the file runs in well under a minute.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, get_args

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ecosystem import Scenario, ScenarioError, run
from ecosystem.cli.commands import app
from ecosystem.experiments.spec import MAX_RUNS, Experiment, build_experiment
from ecosystem.metrics import METRICS
from ecosystem.scenario import FIXED_AT_START, MUTABLE_GROUPS, field_specs

from .conftest import SMALL, UNCAPPED_GRID, assert_answered, nested_tables

SPECS = {spec["path"]: spec for spec in field_specs()}
#: Every dotted path that names a group rather than a value, e.g. "services.catalogue".
GROUP_PATHS = sorted({".".join(path.split(".")[:k]) for path in SPECS
                      for k in range(1, path.count(".") + 1)})
#: Paths an intervention may change (a lever of a mutable group, not fixed at month 0).
LEVERS = [path for path, spec in SPECS.items()
          if path.split(".")[0] in MUTABLE_GROUPS and path.rsplit(".", 1)[-1] not in FIXED_AT_START]
#: Paths that look like fields but are not.
JUNK_PATHS = ["", ".", "councils.", ".councils", "councils..ideology", "councils.ideology.x",
              "councils.nope", "services.catalogue.museums.catchment", "interventions.0.month",
              "councils.review_stage_months.0", "years.x", "world.width.height"]
#: Strings a command line might carry: TOML values of every kind, and some that are not.
TOMLISH = st.sampled_from([
    "0.5", "-1", "1e400", "nan", "-inf", "true", "[1, 2]", "[1, 2, 3, 4, 5]", "[]", "{}",
    "{a = 1}", "'x'", '""', "0x10", "1_000", "2024-01-01", "[" * 3000, "1\nyears = 2",
    "\x00", "é",
])
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=-(2**100), max_value=2**100),
    st.floats(), st.text(max_size=12), st.binary(max_size=6), TOMLISH,
)
JUNK = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=5)
                    | st.dictionaries(st.text(max_size=6), inner, max_size=3), max_leaves=8)
JUNK_KEYS = st.one_of(st.text(max_size=20), st.sampled_from(JUNK_PATHS), st.integers(),
                      st.none(), st.floats(), st.binary(max_size=4), st.tuples(st.text(max_size=3)))


def _field_info(path: str) -> Any:
    *parents, name = path.split(".")
    node: Any = Scenario()
    for part in parents:
        node = node[part] if isinstance(node, dict) else getattr(node, part)
    return type(node).model_fields[name]


def in_bounds(path: str) -> st.SearchStrategy[Any]:
    """Values of the field's own type, within its bounds."""
    spec = SPECS[path]
    low, high = spec["min"], spec["max"]
    if spec["type"] == "float":
        return st.floats(low, high)
    if spec["type"] == "int":
        return st.integers(low, high)
    if spec["type"] == "bool":
        return st.booleans()
    if spec["type"] == "tuple" and low is not None:
        return st.lists(st.integers(low, high), min_size=5, max_size=5)
    if spec["type"] == "str":
        choices = get_args(_field_info(path).annotation)
        return st.sampled_from(choices) if choices else st.text(max_size=10)
    return st.nothing()


def near_bounds(path: str) -> st.SearchStrategy[Any]:
    """Values just inside and outside the field's bounds, and of its element type."""
    spec = SPECS[path]
    edges = [b for b in (spec["min"], spec["max"]) if b is not None]
    values = [v for b in edges for v in (b, b - 1, b + 1, -b, b * 1000)]
    if spec["type"] == "tuple":
        return st.lists(st.sampled_from(values or [0]), min_size=0, max_size=7)
    return st.sampled_from(values) if values else st.nothing()


@st.composite
def interventions(draw: st.DrawFn, months: tuple[int, int] = (-1, 1300)) -> list[dict[str, Any]]:
    """A timeline: real levers with valid and invalid values, fixed fields, junk."""
    out = []
    for _ in range(draw(st.integers(0, 4))):
        field = draw(st.sampled_from(LEVERS) | st.sampled_from(GROUP_PATHS)
                     | st.sampled_from(list(SPECS)) | JUNK_KEYS)
        value = draw(in_bounds(field) if field in SPECS else JUNK) if draw(st.booleans()) \
            else draw(JUNK)
        change: dict[str, Any] = {"month": draw(st.integers(*months) | JUNK),
                                  "field": field, "value": value}
        if draw(st.integers(0, 9)) == 0:
            change = draw(st.dictionaries(st.sampled_from(["month", "field", "value", "x"]),
                                          JUNK, max_size=4))
        out.append(change)
    return out


@st.composite
def an_override(draw: st.DrawFn) -> tuple[Any, Any]:
    """One (path, value): a real field, a group, the timeline, or junk."""
    kind = draw(st.integers(0, 9))
    if kind < 5:
        path = draw(st.sampled_from(list(SPECS)))
        value = draw(st.one_of(in_bounds(path), near_bounds(path), in_bounds(path).map(str),
                               JUNK))
    elif kind < 7:
        path = draw(st.sampled_from(GROUP_PATHS))
        value = draw(st.just({}) | JUNK | st.dictionaries(
            st.sampled_from([p.rsplit(".", 1)[-1] for p in SPECS if p.startswith(path)]),
            JUNK, max_size=3))
    elif kind < 8:
        path, value = "interventions", draw(interventions() | JUNK)
    else:
        path, value = draw(JUNK_KEYS), draw(JUNK)
    return path, value


OVERRIDES = st.lists(an_override(), max_size=5).map(dict)


# ----- (a) the scenario schema ------------------------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(overrides=OVERRIDES)
def test_any_overrides_give_a_scenario_or_a_scenario_error(overrides):
    try:
        scenario = Scenario().with_overrides(overrides)
    except ScenarioError as err:
        assert_answered(err)
        return
    again = Scenario.from_dict(tomllib.loads(scenario.to_toml()))  # what --out writes reloads
    assert again.model_dump(mode="json") == scenario.model_dump(mode="json")


@settings(max_examples=150, deadline=None)
@given(data=st.dictionaries(st.sampled_from(["years", "world", "councils", "interventions",
                                             "services", "name"]) | JUNK_KEYS,
                            JUNK | interventions(), max_size=4) | JUNK)
def test_any_dict_gives_a_scenario_or_a_scenario_error(data):
    try:
        Scenario.from_dict(data)
    except ScenarioError as err:
        assert_answered(err)


SIZES = st.fixed_dictionaries({
    "world.width": st.integers(10, 30), "world.height": st.integers(10, 30),
    "world.households": st.integers(1_000, 30_000),
    "population.households_per_agent": st.integers(10, 10_000),
})
RUN_FIELDS = [path for path in SPECS if path.split(".")[0] not in ("years", "name",
              "description", "interventions") and path not in (
              "world.width", "world.height", "world.households", "population.households_per_agent")]


@st.composite
def runnable(draw: st.DrawFn) -> dict[str, Any]:
    """Overrides of a small world, two to six levers within bounds, and a timeline."""
    overrides = {**SMALL, "years": 1, **draw(SIZES)}
    for path in draw(st.lists(st.sampled_from(RUN_FIELDS), min_size=2, max_size=6)):
        overrides[path] = draw(in_bounds(path))
    timeline = []
    for path in draw(st.lists(st.sampled_from(LEVERS), max_size=3)):
        timeline.append({"month": draw(st.integers(1, 3)), "field": path,
                         "value": draw(in_bounds(path))})
    return {**overrides, "interventions": timeline}


@pytest.mark.filterwarnings("error::RuntimeWarning")  # nan arithmetic counts as a crash
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(overrides=runnable(), seed=st.integers(0, 2**32))
def test_accepted_scenarios_run(overrides, seed):
    """A scenario that validates runs: no lever within its bounds crashes the model.

    Every example builds and runs a model (a few tenths of a second), hence too_slow is
    suppressed.
    """
    try:
        scenario = Scenario().with_overrides(overrides)
    except ScenarioError as err:  # e.g. shares over 1, every award weight 0
        assert_answered(err)
        return
    result = run(scenario, seed=seed, months=3)
    assert len(result.timeseries) == 4


# ----- (b) TOML files, read as the command line reads them ---------------------------------------

TOML_SCALARS = st.one_of(st.booleans(), st.integers(-(2**63), 2**63 - 1), st.floats(),
                         st.text(max_size=10))
TOML_VALUES = st.recursive(TOML_SCALARS, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(min_size=1, max_size=6), inner, max_size=3),
                           max_leaves=6)


def _nest(document: dict[str, Any], keys: list[str], value: Any) -> None:
    """Put `value` at the dotted `keys` of `document`, as TOML's nested tables would."""
    node = document
    for key in keys[:-1]:
        node = node.setdefault(key, {})
        if not isinstance(node, dict):
            return
    node.setdefault(keys[-1], value)


@st.composite
def toml_document(draw: st.DrawFn) -> dict[str, Any]:
    """Nested tables of real fields with valid values, and now and then something wrong."""
    document: dict[str, Any] = {}
    for path in draw(st.lists(st.sampled_from(list(SPECS)), max_size=6)):
        if path != "interventions":
            _nest(document, path.split("."), draw(in_bounds(path)))
    if draw(st.booleans()):
        document["interventions"] = draw(st.lists(st.fixed_dictionaries({
            "month": st.integers(1, 120), "field": st.sampled_from(LEVERS)}), max_size=3)
            .map(lambda changes: [{**c, "value": SPECS[c["field"]]["default"]}
                                  for c in changes]))
    for _ in range(draw(st.sampled_from([0, 0, 1, 2]))):
        path = draw(st.sampled_from(list(SPECS)) | st.sampled_from(GROUP_PATHS)
                    | st.text(min_size=1, max_size=8))
        _nest(document, path.split("."), draw(TOML_VALUES))
    return document


def _spliced(text: str, at: int, junk: bytes) -> bytes:
    data = text.encode()
    at %= len(data) + 1
    return data[:at] + junk + data[at:]


TOML_FILES = st.one_of(
    toml_document().map(lambda d: tomli_w.dumps(d).encode()),
    st.builds(_spliced, toml_document().map(tomli_w.dumps), st.integers(0, 10_000),
              st.binary(min_size=1, max_size=4)),
    st.binary(max_size=200),
    st.text(max_size=200).map(str.encode),
    st.integers(1, 6000).map(lambda n: ("x = " + "[" * n + "]" * n).encode()),
    st.integers(1, 3000).map(lambda n: ("x = " + "{a = " * n + "1" + " }" * n).encode()),
    st.integers(1, 5000).map(lambda n: ("[" + ".".join(["a"] * n) + "]\n").encode()),
)


@settings(max_examples=150, deadline=None)
@given(content=TOML_FILES)
def test_any_file_gives_a_scenario_or_a_scenario_error(input_files, content):
    path = input_files / "fuzzed.toml"
    path.write_bytes(content)
    try:
        Scenario.from_toml(path)
    except ScenarioError as err:
        assert_answered(err)


# ----- (c) experiment specs -----------------------------------------------------------------------

NUMERIC = [path for path, spec in SPECS.items() if spec["type"] in ("int", "float")
           and path != "years"]


@st.composite
def few_overrides(draw: st.DrawFn, months: int = 12) -> dict[str, Any]:
    """A variant's (or `set`'s) overrides of levers, sometimes with a timeline."""
    overrides = {path: draw(in_bounds(path))
                 for path in draw(st.lists(st.sampled_from(LEVERS), max_size=3))}
    if draw(st.integers(0, 3)) == 0:
        overrides["interventions"] = [
            {"month": draw(st.integers(1, months)), "field": path, "value": draw(in_bounds(path))}
            for path in draw(st.lists(st.sampled_from(LEVERS), max_size=2))]
    return overrides


def _a_range(path: str, low: float, high: float) -> st.SearchStrategy[dict[str, float]]:
    """{min, max} inside the field's bounds (either may be left to default to them)."""
    third = (high - low) / 3
    return st.fixed_dictionaries({}, optional={"min": st.floats(low, low + third),
                                               "max": st.floats(high - third, high)})


@st.composite
def a_design(draw: st.DrawFn) -> dict[str, Any]:
    """A valid design of one to three fields: grid values or ranges, small samples."""
    method = draw(st.sampled_from(["grid", "lhs", "morris", "sobol"]))
    fields: dict[str, Any] = {}
    for path in draw(st.lists(st.sampled_from(NUMERIC), min_size=1, max_size=3, unique=True)):
        spec = SPECS[path]
        fields[path] = draw(st.lists(in_bounds(path), min_size=1, max_size=3)) \
            if method == "grid" else draw(_a_range(path, spec["min"], spec["max"]))
    return {"method": method, "fields": fields, "samples": draw(st.sampled_from([1, 2, 4, 8])),
            "levels": draw(st.sampled_from([2, 4, 6]))}


#: Values that go wrong in a spec, by field.
SPOILERS: dict[str, st.SearchStrategy[Any]] = {
    "base": st.sampled_from(["absent.toml", "", ".", "folder", "binary.toml", "late.toml",
                             "a\x00b"]) | JUNK,
    "set": st.dictionaries(st.sampled_from(list(SPECS)) | JUNK_KEYS, JUNK, max_size=2) | JUNK
    | st.integers(900, 3000).map(nested_tables),
    "variants": st.just({}) | st.dictionaries(st.text(max_size=4), JUNK, max_size=2) | JUNK
    | st.dictionaries(st.text(max_size=4), few_overrides(months=200), min_size=1, max_size=2),
    "design": a_design().flatmap(lambda d: st.sampled_from(list(d)).flatmap(
        lambda key: JUNK.map(lambda junk: {**d, key: junk})))
    | st.sampled_from([{"method": "grid", "fields": {}}, UNCAPPED_GRID]) | JUNK,
    "replicates": st.sampled_from([0, -1, 50_000, 100_001, 10**6]) | JUNK,
    "months": st.sampled_from([0, 1, 6]) | JUNK,
    "outputs": st.lists(st.sampled_from(["month", "nope", "unmet_need"]), min_size=1,
                        max_size=3) | JUNK,
    "root_seed": st.sampled_from([-1, 2**64, 2**70]) | JUNK,
    "colour": JUNK,
}


@st.composite
def a_spec(draw: st.DrawFn) -> Any:
    """A valid spec of variants or a design; half of them with one field spoiled."""
    spec: dict[str, Any] = {
        "name": draw(st.text(max_size=8)),
        "base": draw(st.sampled_from(["baseline", "rural-county", "ok.toml", "/dev/null"])),
        "replicates": draw(st.integers(1, 3)), "root_seed": draw(st.integers(0, 2**64)),
        "outputs": draw(st.lists(st.sampled_from(list(METRICS)), unique=True, max_size=3)),
    }
    if draw(st.booleans()):
        spec["set"] = draw(few_overrides())
    if draw(st.booleans()):
        spec["months"] = draw(st.integers(1, 240))
    if draw(st.booleans()):
        spec["design"] = draw(a_design())
    else:
        spec["variants"] = draw(st.dictionaries(st.text(max_size=6), few_overrides(),
                                                min_size=1, max_size=3))
    if draw(st.booleans()):
        key = draw(st.sampled_from(list(SPOILERS)))
        spec[key] = draw(SPOILERS[key])
    return draw(st.just(spec) | JUNK) if draw(st.integers(0, 19)) == 0 else spec


@settings(max_examples=150, deadline=None)
@given(spec=a_spec())
def test_any_spec_gives_an_experiment_or_a_scenario_error(input_files, spec):
    try:
        experiment = build_experiment(spec, input_files, "fuzz")
    except ScenarioError as err:
        assert_answered(err)
        return
    assert isinstance(experiment, Experiment)
    assert 0 < len(experiment.plans) <= MAX_RUNS
    plan = experiment.plans[-1]
    scenario = experiment.base.with_overrides(plan.overrides)
    assert all(change.month <= experiment.months for change in scenario.interventions)


# ----- (d) the command line -----------------------------------------------------------------------

def _file(folder: Path, name: str, content: str | bytes | dict[str, Any]) -> str:
    path = folder / name
    if isinstance(content, dict):
        content = tomli_w.dumps(content)
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return str(path)


SMALL_SETS = [arg for path, value in SMALL.items() for arg in ("--set", f"{path}={value}")]
TINY_SPEC = {"name": "tiny", "set": SMALL, "months": 2, "replicates": 1}
CLI_CASES = {
    "negative seed": (lambda d: ["run", "--seed", "-1"], ["--seed"]),
    "scenario a directory": (lambda d: ["run", str(d)], ["a directory"]),
    "scenario not UTF-8": (lambda d: ["run", _file(d, "bin.toml", b"\xff\xfe\x00years")],
                           ["not UTF-8"]),
    "TOML nested 5,000 deep": (lambda d: ["run", _file(d, "deep.toml",
                                                       "x = " + "[" * 5000 + "]" * 5000)],
                               ["nested too deeply"]),
    "intervention after the run": (lambda d: ["run", _file(d, "late.toml", {
        "years": 1, "interventions": [{"month": 500, "field": "councils.ideology",
                                       "value": 0.1}]})], ["interventions.0.month"]),
    "--years cuts an intervention off": (lambda d: ["run", "--years", "1", _file(
        d, "three.toml", {"interventions": [{"month": 36, "field": "councils.ideology",
                                             "value": 0.1}]})], ["interventions.0.month"]),
    "review stage negative": (lambda d: ["run", "--set",
                                         "councils.review_stage_months=[-1, 3, 3, 6, 1]"],
                              ["councils.review_stage_months.0"]),
    "empty variants": (lambda d: ["sweep", _file(d, "s.toml", {**TINY_SPEC, "variants": {}}),
                                  "--out", str(d / "out")], ["variants"]),
    "design plus variants": (lambda d: ["sweep", _file(d, "s.toml", {
        **TINY_SPEC, "variants": {"a": {"councils.ideology": 0.1}},
        "design": {"method": "grid", "fields": {"councils.ideology": [0.0]}}}),
        "--out", str(d / "out")], ["variants", "not both"]),
    "design with no fields": (lambda d: ["sweep", _file(d, "s.toml", {
        **TINY_SPEC, "design": {"method": "grid", "fields": {}}}), "--out", str(d / "out")],
        ["design.fields"]),
    "uncapped grid": (lambda d: ["sweep", _file(d, "s.toml", {
        **TINY_SPEC, "design": UNCAPPED_GRID}), "--out", str(d / "out")],
        ["design", f"{MAX_RUNS:,}"]),
    "base a directory": (lambda d: ["sweep", _file(d, "s.toml", {**TINY_SPEC, "base": "."}),
                                    "--out", str(d / "out")], ["base", "a directory"]),
}


@pytest.mark.parametrize("case", list(CLI_CASES))
def test_bad_command_lines_exit_2_naming_the_field(case, tmp_path):
    make_args, expected = CLI_CASES[case]
    result = CliRunner().invoke(app, make_args(tmp_path))
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)  # not an error escaping the command
    assert "Traceback" not in result.output
    for text in expected:
        assert text in result.output
    assert not (tmp_path / "out").exists()


def test_fully_keen_staff_run_from_the_command_line():
    result = CliRunner().invoke(app, ["run", "--years", "1", *SMALL_SETS,
                                      "--set", "councils.staff_enthusiasm=1.0"])
    assert result.exit_code == 0, result.output
    assert "Service survival" in result.output


SET_OPTIONS = st.lists(st.tuples(
    st.sampled_from(list(SPECS)) | st.sampled_from(JUNK_PATHS) | st.text(max_size=10),
    TOMLISH | st.text(max_size=10) | st.sampled_from(list(SPECS)).flatmap(in_bounds).map(str),
), min_size=1, max_size=3)


@settings(max_examples=40, deadline=None)
@given(sets=SET_OPTIONS)
def test_any_set_option_is_answered_before_anything_runs(sets, input_files):
    """Fuzzed `--set` options: refused with exit 2, or valid and stopped by a bad --out."""
    options = [arg for path, value in sets for arg in ("--set", f"{path}={value}")]
    result = CliRunner().invoke(app, ["run", *options, "--out", str(input_files / "ok.toml" / "x")])
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output and "error: " in result.output
