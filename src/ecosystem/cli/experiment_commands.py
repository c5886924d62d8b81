"""Command line for experiments: `ecosystem sweep`, `compare`, `report` and `sensitivity`.

Registered on the main `ecosystem` app by `register`. Bad specs fail before any run
starts, listing every problem, with exit code 2.
"""

from __future__ import annotations

import signal
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import pandas as pd
import typer
from rich import box
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from ecosystem.experiments.analysis import compare, compare_runs, rank_sensitivity
from ecosystem.experiments.spec import Experiment, load_spec
from ecosystem.experiments.store import load_tables
from ecosystem.experiments.sweep import (
    SweepInterrupted,
    SweepReport,
    check_destination,
    sweep,
)
from ecosystem.runner import is_summary_column
from ecosystem.scenario import ScenarioError

if TYPE_CHECKING:
    from distributed import Client

#: Exit code after Ctrl+C (128 + SIGINT), as shells report it.
INTERRUPTED_EXIT = 130
#: How long to try reaching a Dask scheduler before giving up.
SCHEDULER_TIMEOUT = "5s"


def register(
    app: typer.Typer,
    console: Console,
    err_console: Console,
    user_errors: Callable[[], AbstractContextManager[None]],
) -> None:
    """Add the experiment commands to `app`.

    Args:
        app: The main `ecosystem` app.
        console: Where results are printed.
        err_console: Where progress and failures are printed (stderr).
        user_errors: Context manager turning a `ScenarioError` into readable output and
            exit code 2.
    """

    @app.command("sweep")
    def sweep_command(
        spec: Annotated[Path, typer.Argument(help="Experiment spec (TOML).")],
        out: Annotated[Path, typer.Option(help="Results directory.")],
        workers: Annotated[int, typer.Option(min=1, help="Local worker processes.")] = 2,
        scheduler: Annotated[str | None, typer.Option(
            help="Dask scheduler address, e.g. tcp://127.0.0.1:8786.")] = None,
        resume: Annotated[bool, typer.Option(help="Skip runs already finished.")] = False,
        batch: Annotated[int | None, typer.Option(min=1, help="Runs per task.")] = None,
        force: Annotated[bool, typer.Option(
            help="Replace results already in --out (of this or another experiment).")]
        = False,
    ) -> None:
        """Run an experiment's variants and replicates; results go to --out.

        Exit code 1 if any run failed twice (each is listed), 130 on Ctrl+C.
        """
        with user_errors():
            experiment = load_spec(spec)
        report = run_sweep(experiment, spec, out,
                           SweepOptions(workers, scheduler, resume, force), batch)
        console.print(f"{report.done} runs done, {report.skipped} already finished, "
                      f"{len(report.failed)} failed, in {report.seconds:.1f} s -> {out}")
        fail_if_runs_failed(report, out)

    @app.command("compare")
    def compare_command(
        directories: Annotated[list[Path], typer.Argument(
            help="A finished sweep's directory, or two `run --out` directories.")],
        baseline: Annotated[str | None, typer.Option(help="Variant to compare against.")] = None,
        metric: Annotated[list[str] | None, typer.Option(help="Metric (repeatable).")] = None,
    ) -> None:
        """Paired differences against the baseline, with bootstrap 95% intervals.

        Given two single runs instead, shows them side by side with their difference.
        """
        with user_errors():
            if len(directories) > 2:
                raise ScenarioError([("DIRECTORIES", "give one sweep or two runs")],
                                    "command line")
            if len(directories) == 2:
                first, second = directories
                runs = _guard(lambda: compare_runs(first, second, metrics=metric))
                console.print(_runs_table(runs, first, second))
                return
            table = _guard(lambda: compare(directories[0], baseline=baseline, metrics=metric))
        # heavy optional dependency: imported when used (report.py pulls in matplotlib)
        from ecosystem.experiments.report import reading

        for part in _comparison_tables(table):
            console.print(part)
        for row in table[table["significant"]].to_dict("records"):
            console.print(f"- {reading(row)}")

    @app.command("report")
    def report_command(
        directory: Annotated[Path, typer.Argument(help="A finished sweep's directory.")],
        out: Annotated[Path | None, typer.Option(help="HTML file (default DIR/report.html).")]
        = None,
    ) -> None:
        """Write a self-contained HTML report of a sweep."""
        # heavy optional dependency: imported when used (report.py pulls in matplotlib)
        from ecosystem.experiments.report import write_report

        with user_errors():
            path = _guard(lambda: write_report(directory, out))
        console.print(f"report written to {path}")

    @app.command("sensitivity")
    def sensitivity_command(
        spec: Annotated[Path, typer.Argument(help="Spec with a morris or sobol design.")],
        out: Annotated[Path, typer.Option(help="Results directory.")],
        output: Annotated[str, typer.Option(help="Metric to explain.")] = "service_survival",
        workers: Annotated[int, typer.Option(min=1)] = 2,
        scheduler: Annotated[str | None, typer.Option()] = None,
        resume: Annotated[bool, typer.Option()] = False,
        force: Annotated[bool, typer.Option(help="Replace results already in --out.")] = False,
    ) -> None:
        """Run a Morris or Sobol design over the schema's bounds and rank the levers."""
        with user_errors():
            experiment = load_spec(spec)
            _require_design(experiment)
            _require_summary_column(output)
        options = SweepOptions(workers, scheduler, resume, force)
        fail_if_runs_failed(run_sweep(experiment, spec, out, options), out)
        design, problem = experiment.spec.design, experiment.problem
        assert design is not None and problem is not None  # checked by _require_design
        with user_errors():
            summary = load_tables(out)["summary"]
            ranking = _guard(lambda: rank_sensitivity(summary, design.method, problem, output))
        console.print(_ranking_table(ranking, output))

    def run_sweep(experiment: Experiment, spec: Path, out: Path, options: SweepOptions,
                  batch: int | None = None) -> SweepReport:
        """Run the sweep with progress on stderr; on Ctrl+C say how to resume, exit 130."""
        try:
            with user_errors():
                check_destination(experiment, out, options.resume, options.force)
                return _sweep_with_progress(experiment, out, options, batch, err_console)
        except SweepInterrupted as stop:
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # stopping already: once is enough
            done = stop.report.done + stop.report.skipped
            err_console.print(f"interrupted: {done} of {stop.report.total} runs kept in {out}; "
                              f"resume with: ecosystem sweep {spec} --out {out} --resume",
                              markup=False, highlight=False)
            raise typer.Exit(INTERRUPTED_EXIT) from None

    def fail_if_runs_failed(report: SweepReport, out: Path) -> None:
        """List every failed run with its error, and exit with code 1 if there were any."""
        for failure in report.failed:
            last = failure["error"].strip().splitlines()[-1]
            err_console.print(f"run {failure['run']} ({failure['variant']}, replicate "
                              f"{failure['replicate']}) failed: {last}", markup=False)
        if report.failed:
            err_console.print(f"{len(report.failed)} runs failed; errors in "
                              f"{out / 'failures.json'}", markup=False, highlight=False)
            raise typer.Exit(1)


def _guard[T](action: Callable[[], T]) -> T:
    """Turn the analysis layer's ValueError / FileNotFoundError into a usage problem."""
    try:
        return action()
    except ScenarioError:
        raise
    except (ValueError, FileNotFoundError) as err:
        raise ScenarioError([("", str(err))], "analysis") from None


def _require_summary_column(output: str) -> None:
    if not is_summary_column(output):
        raise ScenarioError([("--output", f"unknown metric {output!r}; see docs/metrics.md")],
                            "command line")


def _require_design(experiment: Experiment) -> None:
    design = experiment.spec.design
    if design is None or design.method not in ("morris", "sobol"):
        raise ScenarioError([("design.method", "sensitivity needs a morris or sobol design")],
                            "spec")


@dataclass(frozen=True)
class SweepOptions:
    """How a sweep runs, from the command line."""

    workers: int
    scheduler: str | None
    resume: bool
    force: bool


def _sweep_with_progress(
    experiment: Experiment, out: Path, options: SweepOptions, batch: int | None,
    err_console: Console,
) -> SweepReport:
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("runs, {task.fields[failed]} failed, {task.fields[rate]}"),
               TimeRemainingColumn())
    client = _connect(options.scheduler) if options.scheduler else None
    executor = client.get_executor() if client is not None else None
    workers = max(1, sum(client.nthreads().values())) if client is not None else options.workers
    try:
        with Progress(*columns, console=err_console) as bar:
            task = bar.add_task(experiment.spec.name, total=len(experiment.plans),
                                failed=0, rate="")
            deaths = 0

            def progress(report: SweepReport) -> None:
                nonlocal deaths
                for death in report.worker_deaths[deaths:]:
                    bar.console.print(_death_line(death), markup=False, highlight=False)
                deaths = len(report.worker_deaths)
                elapsed = bar.tasks[0].elapsed or 1e-9
                bar.update(task, completed=report.done + report.skipped,
                           failed=len(report.failed),
                           rate=f"{report.done / elapsed:.2f} runs/s")

            return sweep(experiment, out, executor=executor, workers=workers,
                         resume=options.resume, batch=batch, progress=progress,
                         force=options.force)
    finally:
        if client is not None:
            client.close()


def _connect(scheduler: str) -> Client:
    """A Dask client of the scheduler at `scheduler`, or a usage error naming it."""
    from distributed import Client  # heavy optional dependency: imported when used

    try:
        return Client(scheduler, timeout=SCHEDULER_TIMEOUT)
    except (OSError, ValueError, TypeError) as err:
        raise ScenarioError([("--scheduler", f"cannot reach a Dask scheduler at "
                                             f"{scheduler!r}: {err}")], "command line") from None


def _death_line(death: dict[str, Any]) -> str:
    runs = death["runs_in_flight"]
    if death["charged"]:
        return f"a worker died running run {runs[0]}; it counts as a failed attempt"
    return (f"a worker died with runs {runs} in flight; each is run again alone "
            "to find the one that killed it")


def _comparison_tables(frame: pd.DataFrame) -> list[Table]:
    """Paired differences, one table per variant, narrow enough for 80 columns."""
    tables = []
    for variant, rows in frame.groupby("variant", sort=False):
        table = Table(title=f"{variant} against the baseline: paired differences",
                      caption=f"{_replicates(rows)} paired replicates; "
                              "* the 95% bootstrap interval excludes zero",
                      box=box.SIMPLE_HEAD)
        for column in ("metric", "baseline", str(variant), "difference", "95% CI"):
            table.add_column(column, justify="left" if column == "metric" else "right",
                             overflow="fold")
        for row in rows.itertuples():
            mark = " *" if row.significant else ""
            table.add_row(row.metric, _number(row.baseline_mean), _number(row.variant_mean),
                          _number(row.difference, sign=True) + mark,
                          f"{_number(row.ci_low, sign=True)}..{_number(row.ci_high, sign=True)}")
        tables.append(table)
    return tables


def _number(value: float, sign: bool = False) -> str:
    """Three significant figures; thousands in full with separators."""
    plus = "+" if sign else ""
    return f"{value:{plus},.0f}" if abs(value) >= 1000 else f"{value:{plus}.3g}"


def _replicates(frame: pd.DataFrame) -> str:
    counts = sorted({int(n) for n in frame["replicates"]})
    return "/".join(str(n) for n in counts) or "0"


def _runs_table(frame: pd.DataFrame, first: Path, second: Path) -> Table:
    """Two single runs side by side."""
    table = Table(title=f"{second.name} against {first.name}", box=box.SIMPLE_HEAD,
                  caption="single runs: no interval (a sweep with replicates has one)")
    table.add_column("metric", overflow="fold")
    for column in (first.name, second.name, "difference"):
        table.add_column(column, justify="right", overflow="fold")
    for row in frame.itertuples():
        table.add_row(row.metric, _number(row.first), _number(row.second),
                      _number(row.difference, sign=True))
    return table


def _ranking_table(frame: pd.DataFrame, output: str) -> Table:
    table = Table(title=f"What drives {output}")
    for column in frame.columns:
        table.add_column(str(column))
    for row in frame.itertuples(index=False):
        table.add_row(*[f"{v:.4g}" if isinstance(v, float) else str(v) for v in row])
    return table
