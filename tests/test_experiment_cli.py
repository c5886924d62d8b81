"""The experiment commands through the real entry point."""

import json
import subprocess
import sys
from functools import partial

import pandas as pd
import pytest
import tomli_w
from typer.testing import CliRunner

from ecosystem.cli import app, experiment_commands
from ecosystem.experiments.sweep import sweep
from ecosystem.runner import run_one

from .conftest import SMALL

TINY = {"name": "tiny", "question": "Does a deeper cut close more services?", "set": SMALL,
        "replicates": 3, "months": 24, "root_seed": 3,
        "variants": {"baseline": {}, "deep-cut": {"councils.budget_cut_total": 0.6}}}


def ecosystem(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "ecosystem.cli", *args], capture_output=True,
                          text=True, cwd=cwd, env={"COLUMNS": "200", "NO_COLOR": "1",
                                                   "PATH": "/usr/bin:/bin"})


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    spec = folder / "tiny.toml"
    spec.write_text(tomli_w.dumps(TINY))
    done = ecosystem("sweep", str(spec), "--out", str(folder / "out"), "--workers", "2")
    assert done.returncode == 0, done.stderr
    return folder / "out", done


def test_sweep_writes_a_complete_store(finished):
    out, done = finished
    assert "6 runs done" in done.stdout
    summary = pd.read_parquet(out / "summary.parquet")
    assert sorted(summary["variant"].unique()) == ["baseline", "deep-cut"]
    assert {"experiment.toml", "manifest.json", "timeseries.parquet", "units.parquet"} <= {
        p.name for p in out.iterdir()}


def test_compare_reads_the_paired_difference(finished):
    out, _ = finished
    done = ecosystem("compare", str(out), "--metric", "service_survival", "--metric",
                     "unmet_need")
    assert done.returncode == 0, done.stderr
    assert "deep-cut" in done.stdout and "service_survival" in done.stdout
    summary = pd.read_parquet(out / "summary.parquet")
    by = summary.pivot(index="replicate", columns="variant", values="unmet_need")
    assert f"{(by['deep-cut'] - by['baseline']).mean():+.3g}" in done.stdout


def test_report_is_a_self_contained_page(finished):
    out, _ = finished
    done = ecosystem("report", str(out))
    assert done.returncode == 0, done.stderr
    page = (out / "report.html").read_text()
    assert "Does a deeper cut close more services?" in page
    assert "data:image/png;base64," in page and "https://" not in page


@pytest.mark.parametrize("change, path", [
    ({"colour": "red"}, "colour"),
    ({"replicates": 0}, "replicates"),
    ({"variants": {"baseline": {}, "x": {"councils.nope": 1}}}, "variants.x.councils.nope"),
    ({"design": {"method": "lhs", "fields": {"councils.ideology": {"min": -3, "max": 1}}}},
     "design.fields.councils.ideology"),
])
def test_bad_specs_exit_2_before_any_run(tmp_path, change, path):
    spec = tmp_path / "bad.toml"
    spec.write_text(tomli_w.dumps({**TINY, **change}))
    done = ecosystem("sweep", str(spec), "--out", str(tmp_path / "out"))
    assert done.returncode == 2
    assert path in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()


def test_compare_with_an_unknown_baseline_exits_2(finished):
    out, _ = finished
    done = ecosystem("compare", str(out), "--baseline", "nope")
    assert done.returncode == 2 and "nope" in done.stderr and "Traceback" not in done.stderr


SCREEN = {"name": "screen", "set": SMALL, "replicates": 1, "months": 36, "root_seed": 5,
          "design": {"method": "morris", "samples": 4, "levels": 4, "fields": {
              "councils.budget_cut_total": {"min": 0.0, "max": 0.6},
              "population.satisfaction_memory": {"min": 0.5, "max": 0.95}}}}


def test_sensitivity_ranks_a_driving_lever_above_an_idle_one(tmp_path):
    path = tmp_path / "screen.toml"
    path.write_text(tomli_w.dumps(SCREEN))
    done = ecosystem("sensitivity", str(path), "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stdout.splitlines() if "councils." in line
             or "population." in line]
    assert "budget_cut_total" in lines[0] and "satisfaction_memory" in lines[1]
    refused = ecosystem("compare", str(tmp_path / "out"))  # no baseline to pair with
    assert refused.returncode == 2 and "morris" in refused.stderr
    assert "nan" not in refused.stdout

def test_compare_fits_an_80_column_terminal(finished):
    out, _ = finished
    done = subprocess.run([sys.executable, "-m", "ecosystem.cli", "compare", str(out)],
                          capture_output=True, text=True,
                          env={"COLUMNS": "80", "NO_COLOR": "1", "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    assert max(len(line) for line in done.stdout.splitlines()) <= 80
    for metric in ("service_survival", "trust_in_council", "community_capacity"):
        assert metric in done.stdout  # whole, not folded over two lines


def test_compare_two_single_runs(tmp_path):
    sets = [arg for path, value in SMALL.items() for arg in ("--set", f"{path}={value}")]
    for name, cut in (("a", "0.2"), ("b", "0.6")):
        done = ecosystem("run", "--years", "2", *sets, "--set",
                         f"councils.budget_cut_total={cut}", "--out", str(tmp_path / name))
        assert done.returncode == 0, done.stderr
    done = ecosystem("compare", str(tmp_path / "a"), str(tmp_path / "b"), "--metric",
                     "total_spend")
    assert done.returncode == 0, done.stderr
    a, b = (json.loads((tmp_path / n / "summary.json").read_text()) for n in "ab")
    assert f"{b['total_spend'] - a['total_spend']:+,.0f}" in done.stdout
    assert "no interval" in done.stdout


def fail_deep_cut(scenario, seed, months):
    if scenario.councils.budget_cut_total == 0.6:
        raise RuntimeError("planted failure")
    return run_one(scenario, seed, months)


def test_failed_runs_are_listed_and_make_sweep_exit_1(tmp_path, monkeypatch):
    spec = tmp_path / "tiny.toml"
    spec.write_text(tomli_w.dumps({**TINY, "months": 2}))
    monkeypatch.setattr(experiment_commands, "sweep", partial(sweep, run_function=fail_deep_cut))
    done = CliRunner().invoke(app, ["sweep", str(spec), "--out", str(tmp_path / "out"),
                                    "--workers", "1"])
    assert done.exit_code == 1
    assert done.output.count("failed: RuntimeError: planted failure") == 3
    assert "3 runs failed" in done.output


@pytest.mark.parametrize("address", ["not a url", "tcp://127.0.0.1:1"])
def test_a_scheduler_that_cannot_be_reached_exits_2(tmp_path, address):
    spec = tmp_path / "tiny.toml"
    spec.write_text(tomli_w.dumps(TINY))
    done = ecosystem("sweep", str(spec), "--out", str(tmp_path / "out"), "--scheduler", address)
    assert done.returncode == 2, done.stderr
    assert "--scheduler" in done.stderr and "Traceback" not in done.stderr


def test_a_report_that_cannot_be_written_exits_2(finished):
    out, _ = finished
    done = ecosystem("report", str(out), "--out", "/proc/ecosystem-report.html")
    assert done.returncode == 2, done.stderr
    assert "cannot write the report" in done.stderr and "Traceback" not in done.stderr


def test_sensitivity_with_an_unknown_output_exits_2_before_any_run(tmp_path):
    path = tmp_path / "screen.toml"
    path.write_text(tomli_w.dumps(SCREEN))
    done = ecosystem("sensitivity", str(path), "--out", str(tmp_path / "out"), "--output",
                     "no_such_metric")
    assert done.returncode == 2 and "--output" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()
