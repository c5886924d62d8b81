"""`run --out DIR`: the destination is checked before the run and appears whole or not at all.

The files are written into a hidden staging directory beside DIR, created before the
run starts (so a read-only or impossible destination is refused at once), and renamed
into place when all are written. A failing or interrupted run leaves nothing.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from ecosystem.runner import RunResult
from ecosystem.scenario import ScenarioError

#: Files written by `run --out DIR`.
OUTPUT_FILES = ("timeseries.parquet", "summary.json", "units.parquet", "scenario.toml",
                "contracts.parquet", "tenders.parquet", "reviews.parquet", "events.parquet")


def stage(out: Path) -> Path:
    """Check `out` and create the staging directory the run's files are written to.

    Args:
        out: The destination: new, empty, or an earlier run's output (then replaced).

    Returns:
        The staging directory, beside `out`.

    Raises:
        ScenarioError: (option `--out`) if `out` cannot receive the run's files.
    """
    if out.exists() and not out.is_dir():
        raise _problem(f"{out} is a file, not a directory")
    if out.is_dir() and not _replaceable(out):
        raise _problem(f"{out} holds files other than a run's output; "
                       "choose a new or empty directory")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".partial",
                                     dir=out.parent))
    except OSError as err:
        raise _problem(f"cannot write to {out}: {err.strerror or err}") from None


def publish(staging: Path, out: Path) -> list[Path]:
    """Move the finished files into place, replacing an earlier run's output at `out`.

    Returns:
        The files now in `out`.
    """
    old = staging.with_suffix(".old")
    if out.exists():
        os.replace(out, old)
    os.replace(staging, out)
    shutil.rmtree(old, ignore_errors=True)
    return [out / name for name in OUTPUT_FILES]


def summary_json(summary: pd.DataFrame) -> str:
    """The one-row summary as a JSON object (missing values as null).

    Args:
        summary: The run's summary table.

    Returns:
        The JSON text.
    """
    record = summary.astype(object).where(summary.notna(), None).iloc[0].to_dict()
    return json.dumps(record, indent=2)


def write(result: RunResult, out: Path) -> None:
    """Write the run's tables and scenario into `out`.

    Args:
        result: The finished run.
        out: An existing directory.
    """
    paths = [out / name for name in OUTPUT_FILES]
    result.timeseries.to_parquet(paths[0], index=False)
    paths[1].write_text(summary_json(result.summary), encoding="utf-8")
    result.units.to_parquet(paths[2], index=False)
    paths[3].write_text(result.scenario.to_toml(), encoding="utf-8")
    result.contracts.to_parquet(paths[4], index=False)
    result.tenders.to_parquet(paths[5], index=False)
    result.reviews.to_parquet(paths[6], index=False)
    result.events.to_parquet(paths[7], index=False)


def discard(staging: Path) -> None:
    """Remove a staging directory left by a run that did not finish."""
    shutil.rmtree(staging, ignore_errors=True)


def _replaceable(out: Path) -> bool:
    """Whether `out` is empty or holds only an earlier run's output files."""
    return all(child.name in OUTPUT_FILES for child in out.iterdir())


def _problem(message: str) -> ScenarioError:
    return ScenarioError([("--out", message)], "command line")
