"""Shared test fixtures: a small world, inputs every bad-input test uses, and for the
browser tests a browser and a served app (one of each per test module).

The served app's outgoing HTTP(S) goes to a recording proxy (`proxy`), so a page that made
it fetch from the network would be noticed; a module needing other server options defines
its own `server`.
"""

from pathlib import Path
from typing import Any

import pytest
import tomli_w

from ecosystem import Scenario, ScenarioError
from tests.served_app import chromium, recording_proxy, serving

SMALL = {
    "world.width": 30, "world.height": 20, "world.households": 30_000,
    "world.villages": 20, "world.towns": 4,
}
#: The issue's grid: 4 fields x 100 values, 100 million points (the driver reached 3 GB in 60 s).
UNCAPPED_GRID = {"method": "grid", "fields": {
    f"councils.{name}": [i / 100 for i in range(100)]
    for name in ("ideology", "risk_appetite", "gate_pass", "commissioning_skill")}}


@pytest.fixture(scope="session")
def small_scenario() -> Scenario:
    """A quick map for unit tests (about 900 residents)."""
    return Scenario().with_overrides(SMALL)


@pytest.fixture(scope="module")
def input_files(tmp_path_factory) -> Path:
    """A folder of files for bases and scenario paths: good, bad and not files at all."""
    folder = tmp_path_factory.mktemp("inputs")
    (folder / "folder").mkdir()
    (folder / "binary.toml").write_bytes(b"\xff\xfe\x00years = 1")
    (folder / "ok.toml").write_text("years = 1\n", encoding="utf-8")
    (folder / "late.toml").write_text(tomli_w.dumps({"years": 10, "interventions": [
        {"month": 100, "field": "councils.ideology", "value": 0.2}]}), encoding="utf-8")
    return folder


def assert_answered(err: ScenarioError) -> None:
    """A ScenarioError that lists its problems as (field path, message) strings."""
    assert err.problems, str(err)
    assert all(isinstance(p, str) and isinstance(m, str) and m for p, m in err.problems)


def nested_tables(depth: int) -> dict[str, Any]:
    """Tables `depth` deep: {"a": {"a": ... 1}}."""
    table: dict[str, Any] = {"a": 1}
    for _ in range(depth - 1):
        table = {"a": table}
    return table


@pytest.fixture(scope="module")
def proxy():
    """A recording proxy for the module's server (see tests/served_app.py)."""
    with recording_proxy() as recorder:
        yield recorder


@pytest.fixture(scope="module")
def server(proxy) -> Any:
    """`ecosystem app` for the module, its HTTP(S) sent to `proxy`: its URL."""
    with serving(env=proxy.environment()) as (url, _):
        yield url


@pytest.fixture(scope="module")
def browser() -> Any:
    """Debian's chromium for the module (skipped where it is missing, outside CI)."""
    with chromium() as launched:
        yield launched
