"""The experiment commands through the real entry point."""

import subprocess
import sys

import pandas as pd
import pytest
import tomli_w

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


def test_sensitivity_ranks_a_driving_lever_above_an_idle_one(tmp_path):
    spec = {"name": "screen", "set": SMALL, "replicates": 1, "months": 36, "root_seed": 5,
            "design": {"method": "morris", "samples": 4, "levels": 4, "fields": {
                "councils.budget_cut_total": {"min": 0.0, "max": 0.6},
                "population.satisfaction_memory": {"min": 0.5, "max": 0.95}}}}
    path = tmp_path / "screen.toml"
    path.write_text(tomli_w.dumps(spec))
    done = ecosystem("sensitivity", str(path), "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stdout.splitlines() if "councils." in line
             or "population." in line]
    assert "budget_cut_total" in lines[0] and "satisfaction_memory" in lines[1]
