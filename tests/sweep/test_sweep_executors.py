"""The same sweep in this process, on a pool of two worker processes and on a Dask LocalCluster gives
identical numbers (every task's seed comes from the sweep file, not from the worker that plays it)."""

from __future__ import annotations

import pandas as pd
import pytest
from sweep_helpers import uncertain_scenario, write_sweep

from truce.sweep import plan, run
from truce.sweep.executor import SchedulerError, cluster_threads


@pytest.fixture(scope="module")
def chosen(tmp_path_factory):
    folder = tmp_path_factory.mktemp("executors")
    scenario = uncertain_scenario(folder)
    return plan(write_sweep(folder, scenario=scenario.name, runs=40, runs_per_task=10))


@pytest.fixture(scope="module")
def in_process(chosen):
    return run(chosen, workers=1).points


def test_a_process_pool_gives_the_same_numbers(chosen, in_process, tmp_path):
    pooled = run(chosen, tmp_path / "pool", workers=2)
    assert pooled.played == len(chosen.tasks) == 24
    pd.testing.assert_frame_equal(pooled.points, in_process, check_exact=True)


def test_a_dask_cluster_gives_the_same_numbers(chosen, in_process, tmp_path):
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster:
        assert cluster_threads(cluster.scheduler_address) == 2
        started = []
        on_dask = run(chosen, tmp_path / "dask", scheduler=cluster.scheduler_address, on_start=started.append)
    assert "Dask scheduler" in started[0] and "2 threads" in started[0]
    pd.testing.assert_frame_equal(on_dask.points, in_process, check_exact=True)


def test_an_unreachable_scheduler_is_a_clear_error(monkeypatch):
    monkeypatch.setattr("truce.sweep.executor.CONNECT_SECONDS", "0.5s")
    with pytest.raises(SchedulerError) as refused:
        cluster_threads("tcp://127.0.0.1:9")
    message = str(refused.value)
    assert message.startswith("--scheduler tcp://127.0.0.1:9: cannot connect") and "expected the address of a running Dask scheduler" in message
