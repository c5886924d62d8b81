"""The on-disk results store of a sweep: one directory, one Parquet part per finished run.

Layout: `experiment.toml` (the spec as run), `manifest.json` (package version, root
entropy, counts, times), `parts/` (per run `ts-*.parquet`, `summary-*.parquet`,
`units-*.parquet`, each written to a temporary name and then renamed, so a killed sweep
leaves nothing half-written), `failures.json`, and on completion the consolidated
`timeseries.parquet`, `summary.parquet` and `units.parquet`. Every row carries its run,
variant, replicate, root entropy and spawn key, so any single run can be rebuilt exactly.

A directory belongs to one experiment: a sweep starts only in a new or empty directory,
resumes only its own spec, and replaces another's results only when forced.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ecosystem.scenario import ScenarioError

#: Rows gathered before a row group is written when consolidating (memory stays bounded).
ROW_GROUP = 10_000
CONSOLIDATED = {"ts": "timeseries.parquet", "summary": "summary.parquet",
                "units": "units.parquet", "events": "events.parquet"}
#: Tables a finished sweep must have (stores written before events were kept lack them).
REQUIRED = ("ts", "summary", "units")
#: Files describing a finished sweep, removed when a sweep (re)starts in the directory.
FINISHED_FILES = ("failures.json", "report.html")


class ResultsStore:
    """A sweep's results directory."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        self.parts = self.directory / "parts"

    # ----- writing -------------------------------------------------------------------------

    def start(self, spec_text: str, manifest: dict[str, Any], resume: bool,
              force: bool = False) -> None:
        """Create (or, resuming, reopen) the store, before any run starts.

        A directory belongs to one experiment: resuming needs the same spec, and starting
        afresh needs a new or empty directory, unless `force` replaces the store's files.

        Raises:
            ScenarioError: (field `out`) if the directory cannot hold this sweep.
        """
        self.check(spec_text, resume, force)
        self._clear(keep_runs=resume and not force)
        try:
            self.parts.mkdir(parents=True, exist_ok=True)
            _atomic_write(self.directory / "experiment.toml", spec_text.encode())
        except OSError as err:
            raise _out_error(f"cannot write results to {self.directory}: "
                             f"{err.strerror or err}") from None
        old = self.manifest() if resume and not force else {}
        manifest = {**manifest, "package_version": version("ecosystem"),
                    "started": old.get("started", time.time()), "finished": None}
        self.write_manifest(manifest)

    def check(self, spec_text: str, resume: bool, force: bool) -> None:
        """Refuse a destination that is a file, or holds something this sweep would lose.

        Raises:
            ScenarioError: (field `out`) saying what is there and what to do.
        """
        directory = self.directory
        if directory.exists() and not directory.is_dir():
            raise _out_error(f"{directory} is a file, not a directory")
        if not force and directory.exists() and any(directory.iterdir()):
            self._check_owner(spec_text, resume)
        try:  # can it be written? (the directory stays, empty, for the sweep)
            directory.mkdir(parents=True, exist_ok=True)
            probe = directory / f".probe-{os.getpid()}"
            probe.touch()
            probe.unlink()
        except OSError as err:
            raise _out_error(f"cannot write results to {directory}: "
                             f"{err.strerror or err}") from None

    def _check_owner(self, spec_text: str, resume: bool) -> None:
        directory = self.directory
        spec_file = directory / "experiment.toml"
        if not spec_file.is_file():
            raise _out_error(f"{directory} is not empty and holds no sweep; "
                             "choose a new or empty directory")
        if spec_file.read_text(encoding="utf-8", errors="replace") != spec_text:
            raise _out_error(f"{directory} holds the results of another experiment; "
                             "choose another directory, or --force to replace them")
        if not resume:
            raise _out_error(f"{directory} already holds this experiment's results; "
                             "--resume to finish them, or --force to start again")

    def _clear(self, keep_runs: bool) -> None:
        """Remove the store's own files, leaving anything else.

        The tables, failures and report describe a finished sweep, so they go even when
        resuming (they are written again at the end); `keep_runs` keeps the finished runs.
        """
        if not keep_runs:
            shutil.rmtree(self.parts, ignore_errors=True)
        for name in (*CONSOLIDATED.values(), *FINISHED_FILES):
            (self.directory / name).unlink(missing_ok=True)

    def write_run(self, run: int, parts: dict[str, bytes]) -> None:
        """Write one finished run's Parquet parts atomically; the summary, last, marks it done."""
        for name in ("ts", "units", "events", "summary"):
            _atomic_write(self.parts / f"{name}-{run:07d}.parquet", parts[name])

    def record_failures(self, failures: list[dict[str, Any]]) -> None:
        """Write the runs that failed twice, with their errors."""
        _atomic_write(self.directory / "failures.json", json.dumps(failures, indent=1).encode())

    def write_manifest(self, manifest: dict[str, Any]) -> None:
        """Replace manifest.json."""
        _atomic_write(self.directory / "manifest.json",
                      json.dumps(manifest, indent=1, default=str).encode())

    def consolidate(self) -> None:
        """Stream every part into one file per table, one part in memory at a time."""
        for name, target in CONSOLIDATED.items():
            files = sorted(self.parts.glob(f"{name}-*.parquet"))
            if files:
                _concatenate(files, self.directory / target)

    # ----- reading -------------------------------------------------------------------------

    def finished(self) -> set[int]:
        """Runs whose parts are all written."""
        pattern = re.compile(r"summary-(\d+)\.parquet$")
        return {int(m.group(1)) for p in self.parts.glob("summary-*.parquet")
                if (m := pattern.search(p.name))}

    def manifest(self) -> dict[str, Any]:
        """manifest.json as a dict ({} if absent)."""
        path = self.directory / "manifest.json"
        return json.loads(path.read_text()) if path.exists() else {}


def to_parquet_bytes(frame: pd.DataFrame) -> bytes:
    """A table as Parquet file bytes (workers encode, so the driver only writes files)."""
    buffer = pa.BufferOutputStream()
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), buffer)
    return buffer.getvalue().to_pybytes()


def load_tables(directory: str | Path) -> dict[str, pd.DataFrame]:
    """A finished sweep's tables: timeseries, summary, units and events, as tidy frames."""
    directory = Path(directory)
    missing = [CONSOLIDATED[n] for n in REQUIRED if not (directory / CONSOLIDATED[n]).exists()]
    if missing:
        raise FileNotFoundError(f"{directory} is not a finished sweep (missing {missing})")
    return {name.split(".")[0]: pd.read_parquet(directory / name)
            for name in CONSOLIDATED.values() if (directory / name).exists()}


def _out_error(message: str) -> ScenarioError:
    return ScenarioError([("out", message)], "results directory")


def _atomic_write(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def _concatenate(files: list[Path], target: Path) -> None:
    """Concatenate Parquet files whose columns may differ (missing columns become nulls)."""
    fields: dict[str, pa.Field] = {}
    for f in files:
        for column in pq.read_schema(f):
            if column.name not in fields or pa.types.is_null(fields[column.name].type):
                fields[column.name] = column
    schema = pa.schema(list(fields.values()))
    temporary = target.with_name(f".{target.name}.tmp")
    buffered: list[pa.Table] = []
    with pq.ParquetWriter(temporary, schema) as writer:
        for f in files:
            table = pq.read_table(f)
            columns = [table.column(c.name).cast(c.type) if c.name in table.column_names
                       else pa.nulls(len(table), c.type) for c in schema]
            buffered.append(pa.Table.from_arrays(columns, schema=schema))
            if sum(len(t) for t in buffered) >= ROW_GROUP:  # bounded memory, big row groups
                writer.write_table(pa.concat_tables(buffered))
                buffered = []
        if buffered:
            writer.write_table(pa.concat_tables(buffered))
    os.replace(temporary, target)
