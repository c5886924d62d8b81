"""Command line for experiments: `ecosystem sweep`, `compare`, `report` and `sensitivity`.

Registered on the main `ecosystem` app by `register`. Bad specs fail before any run
starts, listing every problem, with exit code 2.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import pandas as pd
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from ecosystem.experiments.analysis import compare, rank_sensitivity
from ecosystem.experiments.spec import Experiment, load_spec
from ecosystem.experiments.store import load_tables
from ecosystem.experiments.sweep import SweepReport, sweep
from ecosystem.scenario import ScenarioError

if TYPE_CHECKING:
    from distributed import Client


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
    ) -> None:
        """Run an experiment's variants and replicates; results go to --out."""
        with user_errors():
            experiment = load_spec(spec)
        report = _sweep_with_progress(experiment, out, workers, scheduler, resume, batch,
                                      err_console)
        console.print(f"{report.done} runs done, {report.skipped} already finished, "
                      f"{len(report.failed)} failed, in {report.seconds:.1f} s -> {out}")
        for failure in report.failed:
            first = failure["error"].strip().splitlines()[-1]
            err_console.print(f"run {failure['run']} ({failure['variant']}, replicate "
                              f"{failure['replicate']}) failed: {first}")

    @app.command("compare")
    def compare_command(
        directory: Annotated[Path, typer.Argument(help="A finished sweep's directory.")],
        baseline: Annotated[str | None, typer.Option(help="Variant to compare against.")] = None,
        metric: Annotated[list[str] | None, typer.Option(help="Metric (repeatable).")] = None,
    ) -> None:
        """Paired differences against the baseline, with bootstrap 95% intervals."""
        with user_errors():
            table = _guard(lambda: compare(directory, baseline=baseline, metrics=metric))
        # heavy optional dependency: imported when used (report.py pulls in matplotlib)
        from ecosystem.experiments.report import reading

        console.print(_comparison_table(table))
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
    ) -> None:
        """Run a Morris or Sobol design over the schema's bounds and rank the levers."""
        with user_errors():
            experiment = load_spec(spec)
            _require_design(experiment)
        _sweep_with_progress(experiment, out, workers, scheduler, resume, None, err_console)
        design, problem = experiment.spec.design, experiment.problem
        assert design is not None and problem is not None  # checked by _require_design
        with user_errors():
            summary = load_tables(out)["summary"]
            ranking = _guard(lambda: rank_sensitivity(summary, design.method, problem, output))
        console.print(_ranking_table(ranking, output))


def _guard[T](action: Callable[[], T]) -> T:
    """Turn the analysis layer's ValueError / FileNotFoundError into a usage problem."""
    try:
        return action()
    except (ValueError, FileNotFoundError) as err:
        raise ScenarioError([("", str(err))], "analysis") from None


def _require_design(experiment: Experiment) -> None:
    design = experiment.spec.design
    if design is None or design.method not in ("morris", "sobol"):
        raise ScenarioError([("design.method", "sensitivity needs a morris or sobol design")],
                            "spec")


def _sweep_with_progress(
    experiment: Experiment,
    out: Path,
    workers: int,
    scheduler: str | None,
    resume: bool,
    batch: int | None,
    err_console: Console,
) -> SweepReport:
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("runs, {task.fields[failed]} failed, {task.fields[rate]}"),
               TimeRemainingColumn())
    executor: Executor | None = None
    client: Client | None = None
    if scheduler:
        from distributed import Client  # heavy optional dependency: imported when used

        client = Client(scheduler, timeout="20s")
        executor = client.get_executor()
        workers = max(1, sum(client.nthreads().values()))
    try:
        with Progress(*columns, console=err_console) as bar:
            task = bar.add_task(experiment.spec.name, total=len(experiment.plans),
                                failed=0, rate="")

            def progress(report: SweepReport) -> None:
                elapsed = bar.tasks[0].elapsed or 1e-9
                bar.update(task, completed=report.done + report.skipped,
                           failed=len(report.failed),
                           rate=f"{report.done / elapsed:.2f} runs/s")

            return sweep(experiment, out, executor=executor, workers=workers, resume=resume,
                         batch=batch, progress=progress)
    finally:
        if client is not None:
            client.close()


def _comparison_table(frame: pd.DataFrame) -> Table:
    table = Table(title="Paired differences against the baseline (bootstrap 95% CI)")
    for column in ("variant", "metric", "baseline", "variant mean", "difference", "95% CI", "n"):
        table.add_column(column, justify="left" if column in ("variant", "metric") else "right",
                         no_wrap=True)
    for row in frame.itertuples():
        mark = " *" if row.significant else ""
        table.add_row(row.variant, row.metric, f"{row.baseline_mean:.4g}",
                      f"{row.variant_mean:.4g}", f"{row.difference:+.3g}{mark}",
                      f"[{row.ci_low:+.3g}, {row.ci_high:+.3g}]", str(row.replicates))
    table.caption = "* the interval excludes zero"
    return table


def _ranking_table(frame: pd.DataFrame, output: str) -> Table:
    table = Table(title=f"What drives {output}")
    for column in frame.columns:
        table.add_column(str(column))
    for row in frame.itertuples(index=False):
        table.add_row(*[f"{v:.4g}" if isinstance(v, float) else str(v) for v in row])
    return table
