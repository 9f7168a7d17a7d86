"""The analyses a sweep plays beyond simulate: each point is the engine's own command played with the
tasks' seeds (what_if's variants, durability's survival, a forecast worked by hand), the same in this
process, on a pool and on a Dask LocalCluster, and a resumed sweep gives the uninterrupted numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml
from sweep_helpers import write_sweep

from truce.mediation.whatif import what_if
from truce.scenario.schema import Scenario
from truce.simulate import simulate
from truce.simulate.durability import durability
from truce.sweep import SweepError, plan, run
from truce.sweep.folder import SweepFolder, task_name
from truce.sweep.tasks import task_seed

Z95 = 1.959963984540054
RESERVATION = [{"path": "actors[hamas].reservation", "values": [0.2, 0.45]}]


def whatif_sweep(folder, **fields):
    return write_sweep(folder, "whatif.yaml", scenario="gaza-2014-07", analysis="whatif", parameters=RESERVATION, runs=24, runs_per_task=12, seed=5, **fields)


def test_each_whatif_point_is_what_if_with_the_tasks_seeds(tmp_path):
    chosen = plan(whatif_sweep(tmp_path))
    table = run(chosen).points
    for variant in chosen.variants:
        problem = Scenario.model_validate_json(variant.scenario_json).compile()
        # what_if played once per task with the task's seed; its variants' per-run outcomes put end to end
        parts = [what_if(problem, runs=12, seed=task_seed(5, variant.index, chunk, True)) for chunk in (0, 1)]
        base_deal = np.concatenate([part.baseline.agreed for part in parts])
        base_lasting = np.concatenate([part.baseline.lasting for part in parts])
        switched = [next(v for v in part.variants if v.name == "drop egypt_guarantee") for part in parts]
        row = table.iloc[variant.index]
        assert row["runs"] == 24 and row["tasks"] == 2
        assert row["p_deal"] == base_deal.mean() and row["p_lasting"] == base_lasting.mean()
        for measure, base, per_run in (("deal", base_deal, "agreed"), ("lasting", base_lasting, "lasting")):
            changed = np.concatenate([getattr(v, per_run) for v in switched])
            delta = changed.astype(float) - base
            half = Z95 * delta.std(ddof=1) / np.sqrt(len(delta))
            assert row[f"p_{measure}:egypt_guarantee"] == changed.mean()
            assert row[f"delta_{measure}:egypt_guarantee"] == pytest.approx(delta.mean(), abs=1e-12)
            assert row[f"delta_{measure}_low:egypt_guarantee"] == pytest.approx(delta.mean() - half, abs=1e-12)
            assert row[f"delta_{measure}_high:egypt_guarantee"] == pytest.approx(delta.mean() + half, abs=1e-12)
        low = row["delta_lasting_low:egypt_guarantee"]
        assert row["best_lever"] == ("egypt_guarantee" if low > 0 else "")


def test_best_lever_is_the_largest_change_whose_interval_is_above_zero():
    from truce.sweep.analyses import whatif_table

    # over 10 runs with 2 deals: lever a gains 4 deals (+0.4, interval above 0); lever b gains 7 and loses 2
    # (+0.5, but an interval across 0); lever c gains 6 and loses 4 (+0.2, across 0)
    rows = pd.DataFrame([{"task": 0, "point": 0, "runs": 10, "deals": 2, "lasting": -1, "deals:a": 6, "deal_changes:a": 4,
                          "deals:b": 7, "deal_changes:b": 9, "deals:c": 4, "deal_changes:c": 10}])
    row = whatif_table(rows, [{"x": 0}], ["x"]).iloc[0]
    # a: differences 1 (4 times) and 0 (6 times): mean 0.4, sample variance (4 - 10 x 0.16) / 9
    assert row["delta_deal:a"] == pytest.approx(0.4) and row["delta_deal_low:a"] == pytest.approx(0.4 - Z95 * np.sqrt(2.4 / 9 / 10))
    # b: 1 (7 times), -1 (twice), 0: mean 0.5, sample variance (9 - 10 x 0.25) / 9
    assert row["delta_deal:b"] == pytest.approx(0.5) and row["delta_deal_low:b"] == pytest.approx(0.5 - Z95 * np.sqrt(6.5 / 9 / 10))
    assert row["delta_deal_low:b"] < 0 < row["delta_deal_low:a"] and row["delta_deal_low:c"] < 0
    assert row["best_lever"] == "a" and row["best_delta"] == pytest.approx(0.4) and "p_lasting" not in row


def test_a_whatif_sweep_needs_levers(tmp_path):
    path = write_sweep(tmp_path, analysis="whatif")
    with pytest.raises(SweepError, match="found whatif, but two-issue-trade: levers: found none"):
        plan(path)


def test_each_durability_point_is_simulate_and_durability_with_the_tasks_seeds(tmp_path):
    chosen = plan(write_sweep(tmp_path, scenario="gaza-2021-05", analysis="durability", parameters=RESERVATION, runs=30, runs_per_task=15, hold_days=60))
    table = run(chosen).points
    for variant in chosen.variants:
        problem = Scenario.model_validate_json(variant.scenario_json).compile()
        lasting = []
        for chunk in (0, 1):
            seed = task_seed(7, variant.index, chunk, True)
            played = simulate(problem, runs=15, seed=seed)
            breakdown = durability(problem, played, seed=seed).breakdown_day
            lasting.append(played.agreed & (np.nan_to_num(breakdown, nan=-1.0) > 60))
        assert table.iloc[variant.index]["p_lasting"] == np.concatenate(lasting).mean()


def test_each_forecast_point_is_the_weighted_mean_worked_by_hand(tmp_path):
    capability = [{"path": "actors[hamas].capability", "range": [0.2, 0.8], "steps": 3}]
    chosen = plan(write_sweep(tmp_path, scenario="gaza-2014-07", analysis="forecast", parameters=capability, forecast={"model": "compromise"}))
    assert len(chosen.tasks) == 3  # one forecast per point, whatever runs says
    table = run(chosen).points
    for variant in chosen.variants:
        problem = Scenario.model_validate_json(variant.scenario_json).compile()
        for j, issue in enumerate(problem.issue_ids):
            if problem.issue_kinds[j] == "categorical":
                assert f"forecast:{issue}" not in table
                continue
            weights = problem.capability * problem.spatial_salience[:, j]
            on_scale = np.nansum(weights * problem.spatial_positions[:, j]) / weights.sum()  # [0, 100]
            steps = problem.n_options[j] - 1.0 - (problem.deferrable[j] if problem.deferrable else 0)  # 'deferred' is off the scale
            low, high = (0.0, steps) if problem.issue_kinds[j] == "ordered" else problem.issue_ranges[j]
            assert table.iloc[variant.index][f"forecast:{issue}"] == pytest.approx(low + on_scale / 100 * (high - low), rel=1e-9)
    assert table["actors[hamas].capability"].tolist() == [0.2, 0.5, 0.8]


def backtest_sweep(folder, **fields):
    data = {"cases": "israel-hamas", "analysis": "backtest", "parameters": [{"path": "talks.breakdown_risk", "name": "risk", "values": [0.01, 0.03]}],
            "runs": 8, "seed": 2, **fields}
    path = folder / "backtest.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_each_backtest_point_is_the_back_test_of_every_case_at_its_values(tmp_path):
    from dataclasses import replace

    from truce.backtest.casefile import load_cases
    from truce.backtest.run import backtest

    chosen = plan(backtest_sweep(tmp_path))
    table = run(chosen).points
    _, _, cases = load_cases("israel-hamas")
    assert len(chosen.tasks) == 2 * len(cases) and chosen.name.endswith(f": {len(cases)} cases")
    for point, risk in enumerate((0.01, 0.03)):
        scores = []
        for k, case in enumerate(cases):
            data = case.scenario.model_dump(mode="json")
            data["talks"]["breakdown_risk"] = risk
            varied = Scenario.model_validate(data)
            # truce backtest on that one case with the task's seed
            scores.append(backtest([replace(case, scenario=varied, problem=varied.compile())], runs=8, seed=task_seed(2, point, k, True)).cases[0])
        row = table.iloc[point]
        assert row["risk"] == risk and row["cases"] == len(cases)
        assert row["brier"] == pytest.approx(np.mean([score.brier for score in scores]), abs=1e-15)
        assert [row[f"p_deal:{score.case}"] for score in scores] == [score.p_deal for score in scores]
        assert row["package_log_score"] == pytest.approx(np.mean([s.package_log_score for s in scores if s.package_log_score is not None]))


def test_a_backtest_sweep_names_its_case_file_and_paths_every_case_has(tmp_path):
    with pytest.raises(SweepError, match="cases: missing"):
        plan(write_sweep(tmp_path, analysis="backtest", scenario=None))
    with pytest.raises(SweepError, match="scenario: found a scenario with analysis: backtest"):
        plan(backtest_sweep(tmp_path, scenario="gaza-2014-07"))
    with pytest.raises(SweepError, match=r"parameters\[0\].path: found \[zeus\], which is not an id in actors.*\(in the scenario gaza-2012-11 of the cases\)"):
        plan(backtest_sweep(tmp_path, parameters=[{"path": "actors[zeus].reservation", "values": [0.1]}]))


@pytest.fixture(scope="module")
def analyses(tmp_path_factory):
    """A small sweep of each analysis, and its numbers in this process."""
    folder = tmp_path_factory.mktemp("analyses")
    plans = {
        "whatif": plan(whatif_sweep(folder)),
        "durability": plan(write_sweep(folder, "durability.yaml", scenario="gaza-2021-05", analysis="durability", parameters=RESERVATION, runs=20, runs_per_task=10)),
        "forecast": plan(write_sweep(folder, "forecast.yaml", scenario="gaza-2014-07", analysis="forecast", parameters=RESERVATION,
                                     forecast={"model": "smp", "stochastic": True, "rounds": 5})),
        "backtest": plan(backtest_sweep(folder, runs=4, parameters=[{"path": "talks.breakdown_risk", "values": [0.02]}])),
    }
    return {name: (chosen, run(chosen).points) for name, chosen in plans.items()}


def test_every_analysis_gives_the_same_numbers_on_a_pool_and_a_dask_cluster(analyses, tmp_path):
    from distributed import LocalCluster

    for name, (chosen, alone) in analyses.items():
        pd.testing.assert_frame_equal(run(chosen, tmp_path / f"pool-{name}", workers=2).points, alone, check_exact=True)
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster:
        for name, (chosen, alone) in analyses.items():
            pd.testing.assert_frame_equal(run(chosen, tmp_path / f"dask-{name}", scheduler=cluster.scheduler_address).points, alone, check_exact=True)


def test_every_analysis_resumes_to_the_uninterrupted_numbers(analyses, tmp_path):
    for name, (chosen, alone) in analyses.items():
        out = tmp_path / name
        run(chosen, out)
        # a sweep stopped before these tasks were committed (the kill itself: test_sweep_resume.py)
        lost = list(range(1, len(chosen.tasks), 2))
        for index in lost:
            (out / "tasks" / task_name(index)).unlink()
        resumed = run(chosen, out, resume=True)
        assert resumed.played == len(lost) and sorted(SweepFolder(out).committed()) == list(range(len(chosen.tasks)))
        pd.testing.assert_frame_equal(resumed.points, alone, check_exact=True)
        pd.testing.assert_frame_equal(pd.read_parquet(out / "points.parquet"), alone, check_exact=True)
