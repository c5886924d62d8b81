"""Sweeps: an experiment's runs on any `concurrent.futures.Executor`, stored as they finish.

The driver keeps only the runs in flight in memory. A run that raises is retried once; if
it fails again it is recorded with its error and the sweep goes on. When a local worker
dies, the runs it may have been running are run again one at a time, so the death is
charged only to the run that caused it. Ctrl+C stops the workers at once and keeps every
finished run; resuming skips runs already in the store. Local workers die with their
driver. Same spec and root seed give identical results serially, on a local process pool
or on a Dask cluster, whatever the number of BLAS threads.
"""

from __future__ import annotations

import signal
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import tomli_w

from ecosystem.experiments.child_processes import start_worker
from ecosystem.experiments.spec import Experiment, RunPlan
from ecosystem.experiments.store import ResultsStore, to_parquet_bytes
from ecosystem.runner import RunResult, run_one
from ecosystem.scenario import Scenario

#: What a worker runs: (scenario, seed, months) -> RunResult-like object with tables.
RunFunction = Callable[..., Any]
#: Columns identifying a run on every stored row.
KEYS = ["run", "variant", "replicate", "root_entropy", "spawn_key"]
#: What a worker returns per run: (run, its tables as Parquet bytes or None, error text).
Outcome = tuple[int, dict[str, bytes] | None, str]


class SerialExecutor(Executor):
    """Runs each task at once in this process: the reference the parallel runs must equal."""

    def submit[**P, T](
        self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs
    ) -> Future[T]:
        """Run `fn` now and return its finished future."""
        future: Future[T] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as err:  # noqa: BLE001 - handed to the caller, as a pool would
            future.set_exception(err)
        return future


@dataclass
class SweepReport:
    """How a sweep went."""

    total: int
    done: int = 0
    skipped: int = 0
    failed: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0
    interrupted: bool = False
    #: One entry per local worker death: when, the runs in flight, whether one was charged.
    worker_deaths: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Task:
    """A batch of runs sent to one worker."""

    plans: tuple[RunPlan, ...]
    base: dict[str, Any]
    months: int
    outputs: tuple[str, ...]
    root: int
    run_function: RunFunction


def execute(task: Task) -> list[Outcome]:
    """Worker side: run each plan of the batch, its tables encoded as Parquet bytes.

    An error is returned with its traceback, not raised.
    """
    base = Scenario.model_validate(task.base)
    out: list[Outcome] = []
    for plan in task.plans:
        try:
            result = task.run_function(base.with_overrides(plan.overrides),
                                       plan.seed(task.root), task.months)
            out.append((plan.run, _tables(plan, result, task), ""))
        except Exception:  # noqa: BLE001 - recorded with its traceback, never lost
            out.append((plan.run, None, traceback.format_exc(limit=5)))
    return out


def _tables(plan: RunPlan, result: RunResult, task: Task) -> dict[str, bytes]:
    ids = {"run": plan.run, "variant": plan.variant, "replicate": plan.replicate,
           "root_entropy": str(task.root), "spawn_key": str((plan.replicate,))}
    ts = result.timeseries
    if task.outputs:
        ts = ts[["month", *task.outputs]]
    summary = result.summary.assign(**{f"param:{k}": v for k, v in plan.params.items()})
    return {name: to_parquet_bytes(
                frame.assign(**ids)[KEYS + [c for c in frame.columns if c not in KEYS]])
            for name, frame in (("ts", ts), ("summary", summary), ("units", result.units),
                                ("events", result.events))}


class SweepInterrupted(KeyboardInterrupt):
    """Ctrl+C stopped a sweep; its finished runs are stored and the rest can be resumed."""

    def __init__(self, report: SweepReport) -> None:
        super().__init__()
        self.report = report


def sweep(experiment: Experiment, out: str | Path, executor: Executor | None = None,
          workers: int = 2, resume: bool = False, batch: int | None = None,
          run_function: RunFunction = run_one,
          progress: Callable[[SweepReport], None] | None = None,
          force: bool = False) -> SweepReport:
    """Run every plan of `experiment` not yet in the store at `out`.

    Args:
        experiment: a validated experiment.
        out: the results directory (new, empty, or this experiment's when resuming).
        executor: where to run (default: a local process pool of `workers`).
        workers: size of the default pool, and how many batches to keep in flight.
        resume: keep finished runs already in `out` and run only the rest.
        batch: runs per task (default: enough tasks to keep every worker busy).
        run_function: what runs one scenario (the model by default; tests inject faults).
        progress: called with the report after every finished batch.
        force: replace the results of another experiment (or of an earlier sweep) in `out`.

    Raises:
        ScenarioError: if `out` cannot hold this sweep's results (nothing has run).
        SweepInterrupted: on Ctrl+C, after the pool has stopped; finished runs are kept.
    """
    started = time.time()
    store = ResultsStore(out)
    store.start(_spec_text(experiment), _manifest(experiment), resume, force)
    finished = store.finished() if resume else set()
    todo = [p for p in experiment.plans if p.run not in finished]
    report = SweepReport(total=len(experiment.plans), skipped=len(experiment.plans) - len(todo))
    size = batch or max(1, min(8, len(todo) // (4 * max(workers, 1)) or 1))
    tasks = [_task(experiment, todo[i:i + size], run_function)
             for i in range(0, len(todo), size)]
    with _first_interrupt_only():
        try:
            _run_tasks(tasks, store, report, executor, workers, progress)
        except KeyboardInterrupt:
            report.interrupted = True
        _finish(store, report, started)
    if report.interrupted:
        raise SweepInterrupted(report)
    return report


def check_destination(experiment: Experiment, out: str | Path, resume: bool = False,
                      force: bool = False) -> None:
    """Check, before anything starts, that `out` can hold this sweep (see `sweep`).

    Raises:
        ScenarioError: (field `out`) if it cannot.
    """
    ResultsStore(out).check(_spec_text(experiment), resume, force)


def _finish(store: ResultsStore, report: SweepReport, started: float) -> None:
    """Record failures and the manifest; consolidate the tables unless interrupted."""
    store.record_failures(report.failed)
    if not report.interrupted:
        store.consolidate()
    report.seconds = time.time() - started
    store.write_manifest({**store.manifest(), "finished": None if report.interrupted
                          else time.time(), "interrupted": report.interrupted,
                          "runs_done": report.done + report.skipped,
                          "runs_failed": len(report.failed), "seconds": report.seconds,
                          "worker_deaths": report.worker_deaths})


@contextmanager
def _first_interrupt_only() -> Iterator[None]:
    """Ctrl+C raises KeyboardInterrupt once; a second, while the sweep stops, is ignored."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    interrupted = False

    def interrupt(_signum: int, _frame: object) -> None:
        nonlocal interrupted
        if not interrupted:
            interrupted = True
            raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _run_tasks(
    tasks: list[Task],
    store: ResultsStore,
    report: SweepReport,
    executor: Executor | None,
    workers: int,
    progress: Callable[[SweepReport], None] | None,
) -> None:
    """Run every task; after a worker death, start a fresh pool for what is left.

    The runs in flight when a local worker dies are suspects: each is run again alone,
    so a death charges an attempt only to the run that was running when it happened.
    """
    attempts: dict[int, int] = {}
    own = executor is None
    pool = executor or _local_pool(workers)
    queue, suspects = list(tasks), list[Task]()
    try:
        while queue or suspects:
            alone = bool(suspects)
            batch = [suspects.pop(0)] if alone else queue
            left, lost = _drain(batch, pool, 1 if alone else 2 * max(workers, 1), store,
                                report, attempts, progress)
            queue = queue + left if alone else left
            if lost:
                if not own:
                    raise BrokenProcessPool("a worker of the given executor died")
                _stop(pool)
                pool = _local_pool(workers)
            suspects += _after_death(lost, alone, store, report, attempts)
    except KeyboardInterrupt:
        if own:
            _stop(pool)
        raise
    finally:
        if own:
            pool.shutdown(cancel_futures=True)


def _after_death(
    lost: list[Task], alone: bool, store: ResultsStore, report: SweepReport,
    attempts: dict[int, int],
) -> list[Task]:
    """Log a worker death; charge the run that was alone, or return the suspects to isolate."""
    if not lost:
        return []
    runs = [p.run for task in lost for p in task.plans]
    report.worker_deaths.append({"time": time.time(), "runs_in_flight": runs,
                                 "charged": alone})
    if alone:
        outcomes: list[Outcome] = [(run, None, "worker process died") for run in runs]
        return _record(outcomes, lost[0], store, report, attempts)
    return [replace(task, plans=(plan,)) for task in lost for plan in task.plans]


def _local_pool(workers: int) -> ProcessPoolExecutor:
    """A local pool with the platform's default start method.

    On Linux that is fork: workers start with the model already imported, and plain
    scripts need no `if __name__ == "__main__"` guard. Workers die with the driver.
    """
    return ProcessPoolExecutor(workers, initializer=start_worker)


def _stop(pool: Executor) -> None:
    """Stop a local pool's workers now, abandoning their runs (Ctrl+C, or a dead worker)."""
    processes = getattr(pool, "_processes", None) or {}  # no public way before Python 3.14
    for process in list(processes.values()):
        process.terminate()
    pool.shutdown(wait=True, cancel_futures=True)


def _drain(
    queue: list[Task],
    pool: Executor,
    limit: int,
    store: ResultsStore,
    report: SweepReport,
    attempts: dict[int, int],
    progress: Callable[[SweepReport], None] | None,
) -> tuple[list[Task], list[Task]]:
    """Run queued tasks with at most `limit` in flight.

    Returns:
        The tasks still to run (retries, and those never sent because a worker died),
        and the tasks in flight when a local worker died (empty if none died).
    """
    in_flight: dict[Future[list[Outcome]], Task] = {}
    retry: list[Task] = []
    lost: list[Task] = []
    pending = list(reversed(queue))  # pop() takes the next task
    broken = not _top_up(in_flight, pending, pool, limit)
    try:
        while in_flight:
            done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            for future in done:
                task = in_flight.pop(future)
                try:
                    outcomes = future.result()
                except BrokenProcessPool:
                    broken = True
                    lost.append(task)
                    continue
                except Exception as err:  # noqa: BLE001 - e.g. a Dask worker lost
                    outcomes = [(p.run, None, f"{type(err).__name__}: {err}")
                                for p in task.plans]
                retry += _record(outcomes, task, store, report, attempts)
                if progress:
                    progress(report)
            if not broken:
                broken = not _top_up(in_flight, pending, pool, limit)
    except KeyboardInterrupt:
        for future in in_flight:
            future.cancel()
        raise
    return retry + list(reversed(pending)), lost


def _top_up(
    in_flight: dict[Future[list[Outcome]], Task], pending: list[Task], pool: Executor,
    limit: int,
) -> bool:
    """Send tasks until `limit` are in flight; False if the pool turned out to be broken."""
    while len(in_flight) < limit and pending:
        try:
            future = pool.submit(execute, pending[-1])
        except BrokenProcessPool:
            return False
        in_flight[future] = pending.pop()
    return True


def _record(
    outcomes: list[Outcome], task: Task, store: ResultsStore, report: SweepReport,
    attempts: dict[int, int],
) -> list[Task]:
    """Store finished runs; return a task to retry failed ones (once)."""
    plans = {p.run: p for p in task.plans}
    again: list[RunPlan] = []
    for run, tables, error in outcomes:
        if tables is not None:
            store.write_run(run, tables)
            report.done += 1
            continue
        attempts[run] = attempts.get(run, 0) + 1
        if attempts[run] < 2:
            again.append(plans[run])
        else:
            plan = plans[run]
            report.failed.append({"run": run, "variant": plan.variant,
                                  "replicate": plan.replicate, "error": error})
    return [replace(task, plans=tuple(again))] if again else []


def _task(experiment: Experiment, plans: list[RunPlan], run_function: RunFunction) -> Task:
    spec = experiment.spec
    return Task(tuple(plans), experiment.base.model_dump(mode="json"), experiment.months,
                tuple(spec.outputs), spec.root_seed, run_function)


def _spec_text(experiment: Experiment) -> str:
    return tomli_w.dumps(experiment.spec.model_dump(mode="json", exclude_none=True))


def _manifest(experiment: Experiment) -> dict[str, Any]:
    spec = experiment.spec
    return {"experiment": spec.name, "root_entropy": str(spec.root_seed),
            "runs": len(experiment.plans), "variants": experiment.variants,
            "replicates": spec.replicates, "months": experiment.months,
            "design": spec.design.method if spec.design else None,
            "problem": experiment.problem}
