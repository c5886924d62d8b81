"""The built wheel works on its own, away from the repository.

Builds the wheel with `uv build`, installs it into a fresh virtual environment under pytest's
temporary directory (dependencies pinned to uv.lock's versions, from uv's cache or the
index; never a Python download), and runs the installed `ecosystem` command and interpreter
from a temporary folder, with an environment that carries no trace of the repository or its
virtual environment. The web app is `ecosystem.visualisation`; the wheel claims no
top-level `visualisation`.
"""

import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PRESETS = ("baseline", "rural-county", "urban-city")
#: Every file of the web app's folder (its modules and the map's Vue template); the CDN
#: copies are checked on their own.
APP_FILES = tuple(sorted(path.name for path in (ROOT / "visualisation").iterdir()
                         if path.is_file()))
#: The real uv binary: `uv run` sets UV (PATH may only hold a pyenv shim that needs the repo).
UV = os.environ.get("UV") or shutil.which("uv")

APP_CHECK = """
import importlib, json, sys
import ecosystem, ecosystem.visualisation.app as app
from ecosystem.cli.app_command import APP_MODULE, SERVER_MODULE
from reacton.core import Component
print(json.dumps({
    "ecosystem": ecosystem.__file__,
    "app": app.__file__,
    "cli_module_is_app": importlib.import_module(APP_MODULE) is app,
    "server": importlib.import_module(SERVER_MODULE).__file__,
    "page_is_component": isinstance(getattr(app, "Page", None), Component),
    "sys_path": sys.path,
}))
"""


def _isolated_env() -> dict[str, str]:
    """This environment without the repository: no VIRTUAL_ENV, PYTHON*, or repo PATH entries."""
    env = {key: value for key, value in os.environ.items()
           if key not in {"VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT", "CONDA_PREFIX"}
           and not key.startswith("PYTHON")}
    env["PATH"] = os.pathsep.join(
        entry for entry in env.get("PATH", "").split(os.pathsep)
        if entry and not Path(entry).resolve().is_relative_to(ROOT))
    env.update(UV_PYTHON_DOWNLOADS="never", COLUMNS="200", NO_COLOR="1")
    return env


def _run(args: list[str | Path], cwd: Path, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], cwd=cwd, env=_isolated_env(),
                          capture_output=True, text=True, timeout=timeout, check=False)


def _ok(done: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert done.returncode == 0, (
        f"{done.args} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
    return done


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> dict[str, Path]:
    """The wheel, and a fresh venv outside the repository with it installed."""
    assert UV, "uv is not on PATH (run the tests with `uv run pytest`)"
    base = tmp_path_factory.mktemp("wheel")
    assert not base.resolve().is_relative_to(ROOT), f"{base} is inside the repository"
    dist, venv, work = base / "dist", base / "venv", base / "work"
    work.mkdir()

    _ok(_run([UV, "build", "--wheel", "--out-dir", dist], cwd=ROOT))
    wheels = list(dist.glob("ecosystem-*.whl"))
    assert len(wheels) == 1, wheels
    pins = base / "pins.txt"
    _ok(_run([UV, "export", "--frozen", "--no-dev", "--no-emit-project", "--no-hashes",
              "--format", "requirements.txt", "--output-file", pins], cwd=ROOT))

    _ok(_run([UV, "venv", "--python", "3.12", "--no-python-downloads", venv], cwd=work))
    _ok(_run([UV, "pip", "install", "--python", venv / "bin" / "python",
              "--constraint", pins, wheels[0]], cwd=work))
    return {"wheel": wheels[0], "venv": venv, "work": work}


def test_the_wheel_holds_the_presets_and_the_app_under_ecosystem_only(installed):
    with zipfile.ZipFile(installed["wheel"]) as wheel:
        names = wheel.namelist()
        read = wheel.read
        for preset in PRESETS:
            packaged = f"ecosystem/scenario/presets/{preset}.toml"
            assert packaged in names
            assert read(packaged) == (ROOT / "src/ecosystem/scenario/presets"
                                      / f"{preset}.toml").read_bytes()
        for case in (ROOT / "src/ecosystem/scenario/cases").glob("*.toml"):
            assert read(f"ecosystem/scenario/cases/{case.name}") == case.read_bytes()
        for name in APP_FILES:
            # The app's own files from visualisation/, not the checkout's stand-in __init__.
            assert read(f"ecosystem/visualisation/{name}") == (ROOT / "visualisation"
                                                                / name).read_bytes()
        # The CDN files the app serves itself (KaTeX), README and licence included.
        shipped = [p for p in (ROOT / "visualisation" / "cdn").rglob("*") if p.is_file()]
        assert len(shipped) == 5
        for path in shipped:
            name = path.relative_to(ROOT / "visualisation").as_posix()
            assert read(f"ecosystem/visualisation/{name}") == path.read_bytes()
    assert not [name for name in names if name.startswith("visualisation/")]
    assert {name.split("/")[0] for name in names} == {
        "ecosystem", next(n.split("/")[0] for n in names if ".dist-info/" in n)}


def test_the_installed_command_lists_the_presets_and_cases(installed):
    done = _ok(_run([installed["venv"] / "bin" / "ecosystem", "presets"], cwd=installed["work"]))
    for preset in PRESETS:
        assert preset in done.stdout
    cases = _ok(_run([installed["venv"] / "bin" / "ecosystem", "cases"], cwd=installed["work"]))
    for case in (ROOT / "src/ecosystem/scenario/cases").glob("*.toml"):
        assert case.stem in cases.stdout


def test_the_installed_command_runs_a_year_of_a_preset(installed):
    out = installed["work"] / "rural-year"
    done = _ok(_run([installed["venv"] / "bin" / "ecosystem", "run", "--preset", "rural-county",
                     "--years", "1", "--seed", "1", "--out", out], cwd=installed["work"]))
    assert "12 months, seed 1" in done.stdout
    assert "Service survival" in done.stdout
    summary = json.loads((out / "summary.json").read_text())
    assert summary["months"] == 12
    assert 0.0 <= summary["coverage"] <= 1.0
    assert (out / "timeseries.parquet").stat().st_size > 0


def test_the_app_imports_from_the_venv_as_ecosystem_visualisation(installed):
    venv = installed["venv"]
    done = _ok(_run([venv / "bin" / "python", "-c", APP_CHECK], cwd=installed["work"]))
    found = json.loads(done.stdout)
    site = next((venv / "lib").glob("python3.*/site-packages")).resolve()
    assert Path(found["ecosystem"]).resolve().is_relative_to(site)
    assert Path(found["app"]).resolve() == site / "ecosystem" / "visualisation" / "app.py"
    assert found["cli_module_is_app"]  # what `ecosystem app` hands to `solara run`
    assert Path(found["server"]).resolve() == site / "ecosystem" / "visualisation" / "server.py"
    assert found["page_is_component"]
    assert not [p for p in found["sys_path"] if p and Path(p).resolve().is_relative_to(ROOT)]


def test_the_venv_has_no_top_level_visualisation(installed):
    done = _run([installed["venv"] / "bin" / "python", "-c", "import visualisation"],
                cwd=installed["work"])
    assert done.returncode != 0
    assert "No module named 'visualisation'" in done.stderr
