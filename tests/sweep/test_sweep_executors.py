"""The same sweep in this process, on a pool of two worker processes and on a Dask LocalCluster gives
identical numbers (every task's seed comes from the sweep file, not from the worker that plays it)."""

from __future__ import annotations

import pandas as pd
import pytest
from sweep_helpers import uncertain_scenario, write_sweep

from truce.mediation.sensitivity import one_at_a_time
from truce.mediation.whatif import what_if
from truce.scenario import load
from truce.sweep import plan, run
from truce.sweep.executor import SchedulerError, cluster_threads, ordered_map


@pytest.fixture(scope="module")
def chosen(tmp_path_factory):
    folder = tmp_path_factory.mktemp("executors")
    scenario = uncertain_scenario(folder)
    return plan(write_sweep(folder, scenario=scenario.name, runs=40, runs_per_task=10))


@pytest.fixture(scope="module")
def in_process(chosen):
    return run(chosen, workers=1).points


@pytest.fixture(scope="module")
def whatif_in_process():
    shown = []
    frame = what_if(load("gaza-ceasefire").compile(), runs=20, seed=4, progress=shown.append).to_frame()
    return frame, shown


def test_a_process_pool_gives_the_same_numbers(chosen, in_process, whatif_in_process, tmp_path):
    pooled = run(chosen, tmp_path / "pool", workers=2)
    assert pooled.played == len(chosen.tasks) == 24
    pd.testing.assert_frame_equal(pooled.points, in_process, check_exact=True)
    # what-if's variants through the same executor: the same table
    shown = []
    pooled_whatif = what_if(load("gaza-ceasefire").compile(), runs=20, seed=4, mapper=ordered_map(2), progress=shown.append)
    pd.testing.assert_frame_equal(pooled_whatif.to_frame(), whatif_in_process[0], check_exact=True)
    assert shown == whatif_in_process[1] and len(shown) > len(pooled_whatif.variants)  # every simulation told, in order
    # and sensitivity's settings (one input at a time)
    problem = load(chosen.source.replace("sweep.yaml", "uncertain-trade.yaml")).compile()
    alone = one_at_a_time(problem, runs=30, seed=2).to_frame()
    told = []
    pooled_oat = one_at_a_time(problem, runs=30, seed=2, mapper=ordered_map(2), progress=told.append)
    assert len(alone) == 2 and told == [1, 1]
    pd.testing.assert_frame_equal(pooled_oat.to_frame(), alone, check_exact=True)


def test_a_dask_cluster_gives_the_same_numbers(chosen, in_process, whatif_in_process, tmp_path):
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster:
        assert cluster_threads(cluster.scheduler_address) == 2
        started = []
        on_dask = run(chosen, tmp_path / "dask", scheduler=cluster.scheduler_address, on_start=started.append)
        whatif_on_dask = what_if(load("gaza-ceasefire").compile(), runs=20, seed=4, mapper=ordered_map(scheduler=cluster.scheduler_address))
    pd.testing.assert_frame_equal(whatif_on_dask.to_frame(), whatif_in_process[0], check_exact=True)
    assert "Dask scheduler" in started[0] and "2 threads" in started[0]
    pd.testing.assert_frame_equal(on_dask.points, in_process, check_exact=True)


def test_an_unreachable_scheduler_is_a_clear_error(monkeypatch):
    monkeypatch.setattr("truce.sweep.executor.CONNECT_SECONDS", "0.5s")
    with pytest.raises(SchedulerError) as refused:
        cluster_threads("tcp://127.0.0.1:9")
    message = str(refused.value)
    assert message.startswith("--scheduler tcp://127.0.0.1:9: cannot connect") and "expected the address of a running Dask scheduler" in message
