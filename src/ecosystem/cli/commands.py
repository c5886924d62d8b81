"""Command line: run a scenario and summarise it, or list the shipped presets.

    ecosystem run [SCENARIO.toml] [--preset NAME] [--set path=value ...] [--seed N]
                  [--years N] [--out DIR]
    ecosystem presets
    ecosystem cases [NAME]

(`ecosystem app` is in `app_command.py`, the experiment commands in `experiment_commands.py`.)

Every bad input (unknown field, wrong type, out-of-bounds value, malformed TOML, missing
file, unknown preset, malformed `--set`) is reported with all its problems on stderr and
exit code 2, before the model runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib.metadata import version
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from ecosystem.cli import outputs
from ecosystem.cli.app_command import register as register_app_command
from ecosystem.cli.experiment_commands import register as register_experiment_commands
from ecosystem.metrics import PROVIDER_KINDS
from ecosystem.runner import RunResult, run
from ecosystem.scenario import Scenario, ScenarioError
from ecosystem.scenario.cases import GROUPS, Case, list_cases, load_case
from ecosystem.scenario.delivery_models import DELIVERY_MODELS
from ecosystem.scenario.presets import list_presets, load_preset

#: Exit code for every bad input (the same code the option parser uses for usage errors).
USAGE_EXIT = 2


app = typer.Typer(
    help="Agent-based simulator of UK local public service ecosystems.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console()
err_console = Console(stderr=True, soft_wrap=True)


def _print_version(asked: bool) -> None:
    if asked:
        console.print(f"ecosystem {version('ecosystem')}", highlight=False)
        raise typer.Exit()


@app.callback()
def main(
    show_version: Annotated[bool, typer.Option(
        "--version", callback=_print_version, is_eager=True,
        help="Print the version and exit.")] = False,
) -> None:
    """Agent-based simulator of UK local public service ecosystems."""


# ----- errors ---------------------------------------------------------------------------------

def fail(err: ScenarioError) -> NoReturn:
    """Print every problem of `err` readably to stderr and exit with code 2.

    Args:
        err: The error whose problems to report.

    Raises:
        typer.Exit: Always, with code 2.
    """
    err_console.print(Text("error: ", style="bold red") + Text(str(err)))
    raise typer.Exit(code=USAGE_EXIT)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn a `ScenarioError` raised inside the block into readable output and exit code 2."""
    try:
        yield
    except ScenarioError as err:
        fail(err)


def usage_error(option: str, message: str) -> ScenarioError:
    """A command-line usage problem, reported like a scenario problem.

    Args:
        option: The option or field path at fault.
        message: What is wrong.

    Returns:
        The error, ready to raise.
    """
    return ScenarioError([(option, message)], "command line")


# ----- building the scenario ------------------------------------------------------------------

def parse_sets(sets: list[str]) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Split `--set path=value` options into overrides and syntax problems.

    Args:
        sets: The raw option values, in order (a later path wins).

    Returns:
        The overrides by dotted path, and a (path, message) problem per malformed option.
    """
    overrides: dict[str, str] = {}
    problems: list[tuple[str, str]] = []
    for item in sets:
        path, sep, value = item.partition("=")
        if not sep or not path.strip():
            problems.append((f"--set {item}", "expected path=value, e.g. councils.ideology=0.5"))
            continue
        overrides[path.strip()] = value.strip()
    return overrides, problems


def base_scenario(scenario_file: Path | None, preset: str | None) -> Scenario:
    """The scenario before overrides: a file, a preset or the default baseline.

    Args:
        scenario_file: A scenario TOML file, or None.
        preset: A preset name, or None.

    Returns:
        The validated scenario.

    Raises:
        ScenarioError: If both are given, the file is missing or invalid, or the preset
            is unknown.
    """
    if scenario_file is not None and preset is not None:
        raise usage_error("--preset", "give a scenario file or --preset, not both")
    if scenario_file is not None:
        return Scenario.from_toml(scenario_file)
    if preset is not None:
        return load_preset(preset)
    return Scenario()


def build_scenario(
    scenario_file: Path | None, preset: str | None, sets: list[str], years: int | None
) -> Scenario:
    """The scenario to run, with every `--set` and `--years` applied at once.

    Args:
        scenario_file: A scenario TOML file, or None.
        preset: A preset name, or None.
        sets: Raw `--set path=value` options.
        years: Years to simulate, or None for the scenario's own.

    Returns:
        The validated scenario.

    Raises:
        ScenarioError: Listing every problem found.
    """
    scenario = base_scenario(scenario_file, preset)
    changes, problems = parse_sets(sets)
    overrides = {**changes, "years": str(years)} if years is not None else changes
    if overrides:
        try:
            scenario = scenario.with_overrides(overrides)
        except ScenarioError as err:
            problems += err.problems
    if problems:
        raise ScenarioError(problems, "overrides")
    return renamed(scenario, changes)


def renamed(scenario: Scenario, overrides: dict[str, str]) -> Scenario:
    """The scenario named after its `--set` changes, unless they name it.

    A run's title and written `scenario.toml` then say what was changed: one change in
    full (`baseline, councils.ideology=0.9`), more as a count; the description lists all.
    """
    if not overrides or "name" in overrides:
        return scenario
    changes = [f"{path}={value}" for path, value in overrides.items()]
    name = (f"{scenario.name}, {changes[0]}" if len(changes) == 1
            else f"{scenario.name} + {len(changes)} changes")
    description = " ".join(filter(None, [scenario.description,
                                         f"Changed: {', '.join(changes)}."]))
    return scenario.model_copy(update={"name": name, "description": description})


# ----- running and reporting ------------------------------------------------------------------

def run_with_progress(scenario: Scenario, seed: int) -> RunResult:
    """Run the scenario with a progress bar over months on stderr.

    Args:
        scenario: The validated scenario.
        seed: The random seed.

    Returns:
        The run's tables.
    """
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("months"), TimeElapsedColumn())
    with Progress(*columns, console=err_console) as progress:
        task = progress.add_task(f"Running {scenario.name}", total=scenario.months)
        result = run(scenario, seed=seed,
                     progress=lambda month, _: progress.update(task, completed=month))
    return result


def _pct(value: float) -> str:
    return f"{value:.1%}"


def _change(start: float, end: float) -> str:
    return f"{start:.1%} -> {end:.1%}"


def summary_rows(s: dict[str, Any]) -> list[tuple[str, str] | None]:
    """The summary table's (label, value) rows; None marks a section break.

    Args:
        s: The summary row as a dict (metric name to value).

    Returns:
        The rows in display order.
    """
    spend, budget = s["total_spend"], s["total_budget"]
    rows: list[tuple[str, str] | None] = [
        ("Service survival", _pct(s["service_survival"])),
        ("Coverage (overall)", _pct(s["coverage"])),
        ("Coverage (urban / rural)", f"{_pct(s['coverage_urban'])} / {_pct(s['coverage_rural'])}"),
        ("Coverage gap (urban - rural)", f"{s['coverage_gap'] * 100:+.1f} pp"),
        ("Unmet need", _pct(s["unmet_need"])),
        None,
        ("External share", _change(s["initial_external_share"], s["external_share"])),
        ("Providers active (failures)",
         f"{s['providers_active']:.0f} ({s['provider_failures']:.0f})"),
    ]
    rows += [(f"  {kind.replace('_', ' ')}",
              f"{s[f'providers_active_{kind}']:.0f} ({s[f'provider_failures_{kind}']:.0f})")
             for kind in PROVIDER_KINDS]
    rows += [
        None,
        ("Council spend / budget",
         f"£{spend:,.0f}k / £{budget:,.0f}k ({_pct(spend / budget if budget else 0.0)})"),
        ("Social care spend share",
         _change(s["initial_social_care_spend_share"], s["social_care_spend_share"])),
        ("Volunteers active (households)", f"{s['volunteers_active']:,.0f}"),
        ("Satisfaction", f"{s['satisfaction']:.2f}"),
        ("Trust in council", f"{s['trust_in_council']:.2f}"),
    ]
    return rows


def summary_table(result: RunResult) -> Table:
    """A rich table of the run's headline results.

    Args:
        result: The finished run.

    Returns:
        The table.
    """
    s = result.summary.iloc[0].to_dict()
    title = f"{result.scenario.name}: {s['months']:.0f} months, seed {result.seed}"
    table = Table(title=title)
    table.add_column("Measure")
    table.add_column("Value", justify="right")
    for row in summary_rows(s):
        if row is None:
            table.add_section()
        else:
            table.add_row(*row)
    return table


# ----- commands -------------------------------------------------------------------------------

@app.command("run")
def run_command(
    scenario_file: Annotated[
        Path | None, typer.Argument(help="Scenario TOML file (default: the baseline).")
    ] = None,
    preset: Annotated[str | None, typer.Option(help="Run a shipped preset by name.")] = None,
    sets: Annotated[
        list[str] | None,
        typer.Option("--set", help="Override a field: path=value (repeatable)."),
    ] = None,
    seed: Annotated[int, typer.Option(min=0, help="Random seed.")] = 0,
    years: Annotated[int | None, typer.Option(help="Years to simulate.")] = None,
    out: Annotated[Path | None, typer.Option(help="Directory for the output files.")] = None,
) -> None:
    """Run one scenario and print a summary; optionally write its tables to --out."""
    with user_errors():
        scenario = build_scenario(scenario_file, preset, sets or [], years)
        staging = outputs.stage(out) if out is not None else None
    try:
        result = run_with_progress(scenario, seed)
        console.print(summary_table(result))
        if out is not None and staging is not None:
            outputs.write(result, staging)
            for path in outputs.publish(staging, out):
                console.print(f"wrote {path}", markup=False, highlight=False)
    finally:
        if staging is not None:
            outputs.discard(staging)


@app.command("presets")
def presets_command() -> None:
    """List the shipped presets."""
    table = Table(title="Presets")
    table.add_column("Name", style="bold")
    table.add_column("Description")
    for name, description in list_presets().items():
        table.add_row(name, description)
    console.print(table)


@app.command("cases")
def cases_command(
    name: Annotated[str | None, typer.Argument(help="A case to show in full.")] = None,
) -> None:
    """List the case library, or show one case's story, sources and documented outcomes."""
    with user_errors():
        if name is not None:
            console.print(case_text(load_case(name)), markup=False, highlight=False)
            return
        cases = list_cases()
    table = Table(title="Cases (run one with: ecosystem run --preset NAME)")
    table.add_column("Name", style="bold", no_wrap=True)  # copied into --preset whole
    for column in ("Group", "Place", "Delivery models", "Story"):
        table.add_column(column)
    for case_name, case in cases.items():
        info = case.info
        table.add_row(case_name, GROUPS[info.group], info.place, ", ".join(info.models),
                      first_sentence(info.story))
    console.print(table)


def first_sentence(text: str) -> str:
    """The first sentence of `text`, on one line."""
    flat = " ".join(text.split())
    end = flat.find(". ")
    return flat if end < 0 else flat[:end + 1]


def case_text(case: Case) -> str:
    """One case in full, as plain text."""
    info = case.info
    lines = [info.title, "", f"Group: {GROUPS[info.group]}", f"Place: {info.place}",
             f"Delivery models: {', '.join(DELIVERY_MODELS[m].label for m in info.models)}",
             f"Sources: {', '.join(info.sources)}", "", " ".join(info.story.split()), "",
             "Documented outcomes, as the model is tested against them:"]
    for outcome in info.outcomes:
        against = (f"{outcome.than:g}" if outcome.versus is None
                   else "the case with " + ", ".join(f"{k} = {v}"
                                                     for k, v in outcome.versus.items()))
        lines.append(f"- {outcome.documented}: {outcome.metric} {outcome.direction} {against}")
    lines += ["", f"Run it: ecosystem run --preset {case.name}"]
    return "\n".join(lines)


register_app_command(app, console, fail)
register_experiment_commands(app, console, err_console, user_errors)
