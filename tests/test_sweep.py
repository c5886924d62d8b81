import json
import os
import signal
import subprocess
import sys
import time
from functools import partial
from pathlib import Path

import pandas as pd
import pytest

from ecosystem.experiments.analysis import compare
from ecosystem.experiments.spec import build_experiment
from ecosystem.experiments.store import load_tables
from ecosystem.experiments.sweep import SerialExecutor, SweepInterrupted, sweep
from ecosystem.runner import run_one
from ecosystem.scenario import ScenarioError

from .conftest import SMALL

SPEC = {
    "name": "tiny", "base": "baseline", "set": SMALL, "replicates": 3, "months": 12,
    "root_seed": 7, "outputs": ["service_survival", "unmet_need", "external_share"],
    "variants": {"baseline": {}, "deep-cut": {"councils.budget_cut_total": 0.5}},
}


def _experiment(**changes):
    return build_experiment({**SPEC, **changes}, Path("."), "test")


def _summary(directory) -> pd.DataFrame:
    frame = pd.read_parquet(Path(directory) / "summary.parquet")
    return frame.sort_values("run").reset_index(drop=True)


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> pd.DataFrame:
    out = tmp_path_factory.mktemp("serial")
    report = sweep(_experiment(), out, executor=SerialExecutor())
    assert report.done == 6 and not report.failed
    return _summary(out)


def test_plans_pair_variants_on_the_same_seeds():
    plans = _experiment().plans
    assert [p.variant for p in plans] == ["baseline"] * 3 + ["deep-cut"] * 3
    by_variant = {}
    for plan in plans:
        by_variant.setdefault(plan.variant, []).append(plan.seed(7).generate_state(2).tolist())
    assert by_variant["baseline"] == by_variant["deep-cut"]  # common random numbers
    assert len({tuple(s) for s in by_variant["baseline"]}) == 3


def test_every_row_can_rebuild_its_run(reference):
    row = reference.iloc[4]
    import numpy as np

    seed = np.random.SeedSequence(int(row["root_entropy"]), spawn_key=(int(row["replicate"]),))
    experiment = _experiment()
    scenario = experiment.base.with_overrides(experiment.plans[int(row["run"])].overrides)
    again = run_one(scenario, seed, 12).summary.iloc[0]
    assert again["service_survival"] == row["service_survival"]
    assert again["unmet_need"] == row["unmet_need"]


def test_local_pool_equals_serial(tmp_path, reference):
    sweep(_experiment(), tmp_path, workers=2)
    pd.testing.assert_frame_equal(_summary(tmp_path), reference)
    ts = pd.read_parquet(tmp_path / "timeseries.parquet")
    assert len(ts) == 6 * 13 and {"variant", "replicate", "spawn_key"} <= set(ts.columns)
    events = load_tables(tmp_path)["events"]
    assert {"run", "variant", "month", "event", "why"} <= set(events.columns)
    again = run_one(_experiment().base.with_overrides(_experiment().plans[4].overrides),
                    _experiment().plans[4].seed(7), 12).events
    mine = events[events["run"] == 4][list(again.columns)].reset_index(drop=True)
    pd.testing.assert_frame_equal(mine, again, check_dtype=False)


def test_dask_cluster_equals_serial(tmp_path, reference):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        sweep(_experiment(), tmp_path, executor=client.get_executor(), workers=2)
    pd.testing.assert_frame_equal(_summary(tmp_path), reference)


def raise_for_deep_cut(scenario, seed, months):
    if scenario.councils.budget_cut_total == 0.5:
        raise RuntimeError("planted failure")
    return run_one(scenario, seed, months)


def test_a_run_that_raises_is_recorded_and_the_rest_finish(tmp_path, reference):
    report = sweep(_experiment(), tmp_path, workers=2, run_function=raise_for_deep_cut)
    assert report.done == 3 and len(report.failed) == 3
    assert all("planted failure" in f["error"] for f in report.failed)
    failures = pd.read_json(tmp_path / "failures.json")
    assert set(failures["variant"]) == {"deep-cut"}
    # a column only the failed variant had (a closure cause) is absent, not empty
    expected = reference[reference["variant"] == "baseline"].dropna(axis=1, how="all")
    pd.testing.assert_frame_equal(_summary(tmp_path), expected)


def die_once(scenario, seed, months, marker):
    if scenario.councils.budget_cut_total == 0.5 and not marker.exists():
        marker.write_text("died")
        os._exit(1)  # the worker process dies mid-sweep
    return run_one(scenario, seed, months)


def test_a_dead_worker_neither_hangs_nor_loses_runs(tmp_path, reference):
    report = sweep(_experiment(), tmp_path / "out", workers=2, batch=1,
                   run_function=partial(die_once, marker=tmp_path / "marker"))
    assert (tmp_path / "marker").exists()  # a worker really died
    assert report.done == 6 and not report.failed  # retried once, then all finished
    pd.testing.assert_frame_equal(_summary(tmp_path / "out"), reference)


def test_a_sweep_killed_half_way_and_resumed_equals_an_uninterrupted_one(tmp_path, reference):
    spec = tmp_path / "tiny.toml"
    import tomli_w

    spec.write_text(tomli_w.dumps({**SPEC, "set": SMALL}))
    out = tmp_path / "out"
    command = [sys.executable, "-m", "ecosystem.cli", "sweep", str(spec), "--out", str(out),
               "--workers", "1", "--batch", "1"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    deadline = time.time() + 120
    while len(list((out / "parts").glob("summary-*.parquet"))) < 2 and time.time() < deadline:
        time.sleep(0.2)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    done_before = len(list((out / "parts").glob("summary-*.parquet")))
    assert 2 <= done_before < 6
    assert not (out / "summary.parquet").exists()
    resumed = subprocess.run(command + ["--resume"], capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    assert f"{done_before} already finished" in resumed.stdout
    pd.testing.assert_frame_equal(_summary(out), reference)


def test_bad_specs_fail_before_anything_runs(tmp_path):
    with pytest.raises(ScenarioError) as err:
        _experiment(replicates=0, variants={"baseline": {}, "x": {"councils.nope": 1}},
                    outputs=["not_a_metric"])
    paths = {p for p, _ in err.value.problems}
    assert {"replicates", "outputs.0"} <= paths or "replicates" in paths
    with pytest.raises(ScenarioError) as err:
        _experiment(variants={"baseline": {}, "x": {"councils.nope": 1,
                                                    "councils.budget_cut_total": 2}})
    assert {p for p, _ in err.value.problems} == {"variants.x.councils.nope",
                                                  "variants.x.councils.budget_cut_total"}
    with pytest.raises(ScenarioError, match="outside the schema's bounds"):
        _experiment(design={"method": "lhs", "samples": 4,
                            "fields": {"councils.budget_cut_total": {"min": 0.1, "max": 1.5}}})


def always_dies(scenario, seed, months, victim):
    if scenario.councils.budget_cut_total == 0.5 and seed.spawn_key == (victim,):
        os._exit(1)  # this run kills its worker every time
    return run_one(scenario, seed, months)


def test_a_worker_death_is_charged_only_to_the_run_it_killed(tmp_path, reference):
    report = sweep(_experiment(), tmp_path, workers=2, batch=2,
                   run_function=partial(always_dies, victim=1))
    victim = 4  # deep-cut, replicate 1
    assert [f["run"] for f in report.failed] == [victim]
    assert report.done == 5
    assert report.worker_deaths and report.worker_deaths[-1]["charged"]
    assert all(d["runs_in_flight"] == [victim] for d in report.worker_deaths if d["charged"])
    expected = reference[reference["run"] != victim].dropna(axis=1, how="all")
    pd.testing.assert_frame_equal(_summary(tmp_path).dropna(axis=1, how="all"),
                                  expected.reset_index(drop=True))


def refuse_to_run(scenario, seed, months):
    raise AssertionError("nothing should run")


def test_a_results_directory_belongs_to_one_experiment(tmp_path, reference):
    out = tmp_path / "out"
    sweep(_experiment(), out, executor=SerialExecutor())
    (out / "report.html").write_text("old report")
    other = _experiment(name="other")
    refused = [(other, False), (other, True), (_experiment(), False)]  # (experiment, resume)
    for experiment, resume in refused:
        with pytest.raises(ScenarioError) as err:
            sweep(experiment, out, executor=SerialExecutor(), resume=resume,
                  run_function=refuse_to_run)
        assert err.value.problems[0][0] == "out"
    pd.testing.assert_frame_equal(_summary(out), reference)  # nothing lost
    sweep(other, out, executor=SerialExecutor(), force=True)
    assert "other" in (out / "experiment.toml").read_text()
    assert not (out / "report.html").exists()  # the old experiment's report is gone
    pd.testing.assert_frame_equal(_summary(out), reference)  # same plans and seeds


@pytest.mark.parametrize("make", [
    lambda d: d.joinpath("a-file").write_text("x") and d / "a-file",  # a file
    lambda d: d.joinpath("notes.txt").write_text("x") and d,  # a folder of other things
    lambda d: d.joinpath("a-file").write_text("x") and d / "a-file" / "below",  # below a file
    lambda d: Path("/proc/ecosystem-results"),  # a system path no one can write
])
def test_a_destination_that_cannot_hold_the_results_is_refused_before_any_run(tmp_path, make):
    with pytest.raises(ScenarioError) as err:
        sweep(_experiment(), make(tmp_path), executor=SerialExecutor(),
              run_function=refuse_to_run)
    assert err.value.problems[0][0] == "out"


def interrupt(scenario, seed, months):
    raise KeyboardInterrupt  # as Ctrl+C would, while the first run is running


def test_an_interrupted_sweep_leaves_no_other_experiments_tables(tmp_path):
    out = tmp_path / "out"
    sweep(_experiment(), out, executor=SerialExecutor())
    with pytest.raises(SweepInterrupted) as stop:
        sweep(_experiment(name="other"), out, executor=SerialExecutor(), force=True,
              run_function=interrupt)
    assert stop.value.report.interrupted and stop.value.report.done == 0
    assert not (out / "summary.parquet").exists()  # the old experiment's runs are gone
    with pytest.raises(FileNotFoundError):
        compare(out)
    assert json.loads((out / "manifest.json").read_text())["interrupted"] is True


def _children(pid: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    return [int(p) for p in found.stdout.split()]


def _stopped(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True
    return "\nState:\tZ" in status  # dead, waiting to be reaped


def _start_cli_sweep(tmp_path: Path) -> tuple[subprocess.Popen, Path, list[str]]:
    spec = tmp_path / "tiny.toml"
    import tomli_w

    spec.write_text(tomli_w.dumps({**SPEC, "replicates": 20}))
    out = tmp_path / "out"
    command = [sys.executable, "-m", "ecosystem.cli", "sweep", str(spec), "--out", str(out),
               "--workers", "2", "--batch", "1"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, start_new_session=True)
    deadline = time.time() + 120
    while len(list((out / "parts").glob("summary-*.parquet"))) < 2 and time.time() < deadline:
        time.sleep(0.1)
    return process, out, command


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_ctrl_c_stops_a_sweep_keeps_its_runs_and_says_how_to_resume(tmp_path):
    process, out, command = _start_cli_sweep(tmp_path)
    workers = _children(process.pid)
    os.killpg(process.pid, signal.SIGINT)  # Ctrl+C at a terminal reaches the whole group
    time.sleep(0.05)
    os.killpg(process.pid, signal.SIGINT)  # an impatient second Ctrl+C
    _, stderr = process.communicate(timeout=30)  # hung for over 11 minutes before
    assert process.returncode == 130
    assert "Traceback" not in stderr
    assert [line for line in stderr.splitlines() if "--resume" in line] == [
        f"interrupted: {len(list((out / 'parts').glob('summary-*')))} of 40 runs kept in "
        f"{out}; resume with: ecosystem sweep {tmp_path / 'tiny.toml'} --out {out} --resume"]
    assert len(workers) == 2 and all(_stopped(pid) for pid in workers)
    resumed = subprocess.run(command + ["--resume"], capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    assert len(pd.read_parquet(out / "summary.parquet")) == 40


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_exit_when_their_driver_is_killed(tmp_path):
    process, _, _ = _start_cli_sweep(tmp_path)
    workers = _children(process.pid)
    process.kill()  # the driver only: its workers are left to notice
    process.wait()
    deadline = time.time() + 10
    while not all(_stopped(pid) for pid in workers) and time.time() < deadline:
        time.sleep(0.05)
    assert len(workers) == 2 and all(_stopped(pid) for pid in workers)
