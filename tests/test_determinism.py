"""The determinism matrix: one sweep gives bit-identical tables on every engine.

The map of seed 2012 (replicate 0) is one whose site placement used to depend on the
number of BLAS threads (a float matrix product rounds differently when split between
threads), so it would catch a return of that bug.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from threadpoolctl import threadpool_limits

from ecosystem.experiments.spec import build_experiment
from ecosystem.experiments.store import load_tables
from ecosystem.experiments.sweep import SerialExecutor, sweep
from ecosystem.model import EcosystemModel
from ecosystem.scenario import Scenario

SPEC = {"name": "matrix", "base": "baseline", "replicates": 2, "months": 2,
        "root_seed": 2012, "variants": {"baseline": {}}}


def _tables(out: Path) -> dict[str, pd.DataFrame]:
    tables = load_tables(out)
    return {name: tables[name].sort_values(["run", *_order(name)]).reset_index(drop=True)
            for name in ("summary", "units")}


def _order(name: str) -> list[str]:
    return ["unit"] if name == "units" else []


def _serial(out: Path, threads: int) -> dict[str, pd.DataFrame]:
    with threadpool_limits(limits=threads):
        sweep(build_experiment(SPEC, Path("."), "test"), out, executor=SerialExecutor())
    return _tables(out)


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> dict[str, pd.DataFrame]:
    return _serial(tmp_path_factory.mktemp("one-thread"), threads=1)


def _assert_identical(tables: dict[str, pd.DataFrame], reference: dict[str, pd.DataFrame]):
    for name, frame in reference.items():
        pd.testing.assert_frame_equal(tables[name], frame, check_exact=True)


def test_site_placement_ignores_the_number_of_blas_threads():
    seed = np.random.SeedSequence(2012, spawn_key=(0,))
    sites = {}
    for threads in (1, 2, 4):
        with threadpool_limits(limits=threads):
            model = EcosystemModel(Scenario(), rng=seed)
        sites[threads] = [(u.service, u.cell.coordinate) for u in model.units]
    assert sites[1] == sites[2] == sites[4]


@pytest.mark.slow
def test_four_blas_threads_equal_one(tmp_path, reference):
    _assert_identical(_serial(tmp_path, threads=4), reference)


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])
def test_local_pool_equals_serial(tmp_path, reference, workers):
    sweep(build_experiment(SPEC, Path("."), "test"), tmp_path, workers=workers, batch=1)
    _assert_identical(_tables(tmp_path), reference)


@pytest.mark.slow
def test_dask_cluster_equals_serial(tmp_path, reference):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        sweep(build_experiment(SPEC, Path("."), "test"), tmp_path,
              executor=client.get_executor(), workers=2, batch=1)
    _assert_identical(_tables(tmp_path), reference)
