"""End-to-end tests of the `ecosystem` command line, run as a real subprocess.

The CLI runs as `python -m ecosystem.cli` with the test interpreter, so it uses the same
environment as the tests without depending on the console script being on PATH. Model runs
are one year (13 monthly rows) to stay fast.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pandas as pd
import pytest

from ecosystem.scenario import Scenario

from .served_app import STOP_TIMEOUT, free_port, start_app

OUTPUT_FILES = {"timeseries.parquet", "summary.json", "units.parquet", "scenario.toml",
                "contracts.parquet", "tenders.parquet", "reviews.parquet", "events.parquet"}


def cli(*args: str | Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run the CLI with plain (uncoloured, unwrapped) output and capture it."""
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE")}
    env.update(NO_COLOR="1", TERM="dumb", COLUMNS="200")
    return subprocess.run(
        [sys.executable, "-m", "ecosystem.cli", *map(str, args)],
        capture_output=True, text=True, env=env, timeout=timeout, check=False,
    )


def run_ok(*args: str | Path) -> subprocess.CompletedProcess[str]:
    proc = cli("run", "--years", "1", *args)
    assert proc.returncode == 0, proc.stderr
    return proc


@pytest.fixture(scope="module")
def baseline_out(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """One baseline run (seed 0, one year) written to a not-yet-existing nested directory."""
    out = tmp_path_factory.mktemp("cli") / "nested" / "run"
    return out, run_ok("--seed", "0", "--out", out)


# ----- successful runs ---------------------------------------------------------------------------

def test_run_writes_the_four_files(baseline_out):
    out, proc = baseline_out
    assert {p.name for p in out.iterdir()} == OUTPUT_FILES
    for name in OUTPUT_FILES:
        assert str(out / name) in proc.stdout  # says where each file went


def test_timeseries_has_one_row_per_month(baseline_out):
    out, _ = baseline_out
    ts = pd.read_parquet(out / "timeseries.parquet")
    assert len(ts) == 13
    assert ts["month"].tolist() == list(range(13))
    assert {"service_survival", "coverage", "provider_failures_private"} <= set(ts.columns)


def test_summary_json_is_the_summary_row(baseline_out):
    out, _ = baseline_out
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert isinstance(summary, dict)
    assert summary["months"] == 12
    assert summary["total_spend"] > 0 and summary["total_budget"] > 0
    ts = pd.read_parquet(out / "timeseries.parquet")
    assert summary["coverage"] == pytest.approx(ts["coverage"].iloc[-1], rel=1e-12)


def test_units_and_scenario_are_written(baseline_out):
    out, _ = baseline_out
    assert len(pd.read_parquet(out / "units.parquet")) > 0
    scenario = Scenario.from_toml(out / "scenario.toml")
    assert scenario.years == 1  # --years is applied to the stored scenario
    assert scenario.councils.budget_cut_total == Scenario().councils.budget_cut_total


def test_run_prints_the_summary_table(baseline_out):
    _, proc = baseline_out
    for label in ("Service survival", "Coverage", "Unmet need", "External share",
                  "social enterprise", "Council spend / budget", "Social care spend share",
                  "Volunteers", "Satisfaction", "Trust in council"):
        assert label in proc.stdout
    assert "Traceback" not in proc.stderr


def test_set_changes_the_stored_scenario(tmp_path):
    run_ok("--set", "councils.budget_cut_total=0.4", "--set", "funding.trading_allowed=false",
           "--out", tmp_path)
    scenario = Scenario.from_toml(tmp_path / "scenario.toml")
    assert scenario.councils.budget_cut_total == 0.4
    assert scenario.funding.trading_allowed is False


def test_preset_is_run(tmp_path):
    run_ok("--preset", "rural-county", "--out", tmp_path)
    assert Scenario.from_toml(tmp_path / "scenario.toml").name == "rural-county"


def test_same_seed_gives_identical_timeseries(baseline_out, tmp_path):
    out, _ = baseline_out
    run_ok("--seed", "0", "--out", tmp_path)
    pd.testing.assert_frame_equal(pd.read_parquet(out / "timeseries.parquet"),
                                  pd.read_parquet(tmp_path / "timeseries.parquet"))


def test_other_seed_gives_other_timeseries(baseline_out, tmp_path):
    out, _ = baseline_out
    run_ok("--seed", "1", "--out", tmp_path)
    first = pd.read_parquet(out / "timeseries.parquet")
    other = pd.read_parquet(tmp_path / "timeseries.parquet")
    assert not first.equals(other)


def test_set_runs_are_named_after_their_change(tmp_path):
    proc = run_ok("--set", "councils.ideology=0.9", "--out", tmp_path)
    assert "baseline, councils.ideology=0.9: 12 months" in proc.stdout
    scenario = Scenario.from_toml(tmp_path / "scenario.toml")
    assert scenario.name == "baseline, councils.ideology=0.9"
    assert "councils.ideology=0.9" in scenario.description


def test_a_run_replaces_an_earlier_run_whole_and_leaves_no_staging(baseline_out, tmp_path):
    out = tmp_path / "run"
    run_ok("--out", out)
    first = (out / "summary.json").read_text()
    run_ok("--seed", "1", "--out", out)
    assert {p.name for p in out.iterdir()} == OUTPUT_FILES
    assert (out / "summary.json").read_text() != first
    assert [p.name for p in tmp_path.iterdir()] == ["run"]  # no hidden staging folder left


def test_version_is_printed():
    proc = cli("--version")
    assert proc.returncode == 0 and proc.stdout.startswith("ecosystem ")
    assert proc.stdout.split()[1][0].isdigit()


BAD_DESTINATIONS = {
    "a file": lambda d: _write(d / "a-file", "keep me"),
    "a folder of other things": lambda d: _write(d / "notes.txt", "keep me").parent,
    "below a file": lambda d: _write(d / "a-file", "keep me") / "below",
    "a system path": lambda d: Path("/proc/ecosystem-run"),
}


@pytest.mark.parametrize("case", list(BAD_DESTINATIONS))
def test_a_destination_that_cannot_hold_the_run_exits_2_before_it_runs(case, tmp_path):
    out = BAD_DESTINATIONS[case](tmp_path)
    proc = cli("run", "--years", "1", "--out", out)
    assert proc.returncode == 2, proc.stderr
    assert "--out" in proc.stderr and "Traceback" not in proc.stderr
    assert "Running" not in proc.stderr  # refused before the model started
    assert all(p.read_text() == "keep me" for p in tmp_path.iterdir() if p.is_file())


# ----- bad inputs --------------------------------------------------------------------------------

def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _write_bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


BAD_INPUTS = {
    "unknown field": (lambda d: ["--set", "councils.no_such_field=1"],
                      ["councils.no_such_field"]),
    "out of bounds": (lambda d: ["--set", "councils.budget_cut_total=1.5"],
                      ["councils.budget_cut_total"]),
    "all problems at once": (
        lambda d: ["--set", "councils.no_such_field=1", "--set", "councils.ideology=3",
                   "--set", "world.width=wide", "--set", "population.say_do_ratio",
                   "--years", "0"],
        ["councils.no_such_field", "councils.ideology", "world.width", "population.say_do_ratio",
         "years: Input should be greater than or equal to 1", "5 problem(s)"],
    ),
    "bad field in file": (
        lambda d: [_write(d / "bad.toml", "[councils]\nbogus = 1\nrisk_appetite = -1\n")],
        ["councils.bogus", "councils.risk_appetite"],
    ),
    "malformed toml": (lambda d: [_write(d / "broken.toml", "years = = 3\n[councils\n")],
                       ["broken.toml", "malformed TOML"]),
    "missing file": (lambda d: [d / "absent.toml"], ["absent.toml", "not found"]),
    "unknown preset": (lambda d: ["--preset", "no-such-preset"], ["no-such-preset", "baseline"]),
    "set without equals": (lambda d: ["--set", "councils.budget_cut_total"],
                           ["councils.budget_cut_total", "path=value"]),
    "file and preset": (lambda d: [_write(d / "ok.toml", "years = 1\n"), "--preset", "baseline"],
                        ["--preset", "not both"]),
    "negative seed": (lambda d: ["--seed", "-1"], ["--seed", "greater than or equal to 0"]),
    "directory as scenario": (lambda d: [d], ["a directory"]),
    "binary scenario": (lambda d: [_write_bytes(d / "bin.toml", b"\xff\xfe\x00years")],
                        ["not UTF-8"]),
    "deeply nested toml": (lambda d: [_write(d / "deep.toml", "x = " + "[" * 5000 + "]" * 5000)],
                           ["nested too deeply"]),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_exits_2_with_readable_problems(case, tmp_path):
    make_args, expected = BAD_INPUTS[case]
    out = tmp_path / "never"
    proc = cli("run", *make_args(tmp_path), "--out", out)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    for text in expected:
        assert text in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not out.exists()  # validated before anything ran or was written


# ----- presets -----------------------------------------------------------------------------------

def test_presets_lists_the_shipped_presets():
    proc = cli("presets")
    assert proc.returncode == 0, proc.stderr
    for name in ("baseline", "rural-county", "urban-city"):
        assert name in proc.stdout
    assert "Historical baseline" in proc.stdout  # descriptions are shown too


@pytest.mark.parametrize(("args", "expected"), [
    (["--allow-host", "http://laptop.local:8765"], ["--allow-host http://laptop.local:8765",
                                                   "without scheme, port or path"]),
    (["--allow-host", "*"], ["--allow-host *"]),
    (["--host", "0.0.0.0", "--allow-host", "0.0.0.0"], ["not one a browser can use"]),
    (["--host", "my laptop"], ["--host", "not a host name"]),
])
def test_app_refuses_bad_host_names_before_serving(args, expected):
    proc = cli("app", "--port", str(free_port()), *args, timeout=60)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    for text in expected:
        assert text in proc.stderr
    assert "Traceback" not in proc.stderr and "serving" not in proc.stdout


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_stopping_the_app_stops_its_server(stop):
    """SIGTERM or Ctrl+C to `ecosystem app` must not leave its server holding the port."""
    port = free_port()
    app = start_app(port)
    try:
        app.send_signal(stop)  # the CLI only, not its process group
        assert app.wait(timeout=STOP_TIMEOUT) == 128 + stop
        deadline = time.time() + 15
        while time.time() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) != 0:
                    return  # nothing listens any more
            time.sleep(0.5)
        pytest.fail("a server still holds the port after the app was stopped")
    finally:
        with contextlib.suppress(ProcessLookupError):  # whatever is left of its group
            os.killpg(app.pid, signal.SIGKILL)


def test_app_room_names_and_serves_the_room_console(tmp_path):
    """`ecosystem app --room` says where the room's console is and serves it."""
    port, log = free_port(), tmp_path / "app.log"
    env = {**os.environ, "BROWSER": "true"}  # `true` as the browser: opens nothing
    with log.open("wb") as output:
        app = start_app(port, "--room", env=env, output=output)
        try:
            page = urllib.request.urlopen(f"http://127.0.0.1:{port}/room", timeout=30)
            assert page.status == 200
        finally:
            app.terminate()
            app.wait(timeout=STOP_TIMEOUT)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(app.pid, signal.SIGKILL)
    assert f"http://127.0.0.1:{port}/room" in log.read_text()
