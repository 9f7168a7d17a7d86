"""A sweep's figures: each point is the engine played with the tasks' seeds (SeedSequence children,
rebuilt here with ``spawn``), added up with intervals worked by hand; paired points share their draws;
the CLI writes the folder it says."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sweep_helpers import uncertain_scenario, write_sweep

sys.path.insert(0, str(Path(__file__).parents[1] / "fuzz"))
from fuzz_cli import run_cli  # noqa: E402

from truce.scenario.schema import Scenario  # noqa: E402
from truce.simulate import simulate  # noqa: E402
from truce.sweep import plan, run  # noqa: E402
from truce.sweep.results import point_table  # noqa: E402


def spawned_seed(seed: int, chunk: int) -> int:
    """The engine seed of chunk ``chunk`` (paired), from SeedSequence.spawn as the docs describe it."""
    child = np.random.SeedSequence(seed).spawn(2)[1].spawn(chunk + 1)[chunk]
    return int(child.generate_state(1, np.uint64)[0]) >> 1


def test_each_point_is_the_engine_with_the_tasks_seeds(tmp_path):
    scenario = uncertain_scenario(tmp_path)
    chosen = plan(write_sweep(tmp_path, scenario=scenario.name, runs=50, runs_per_task=20))
    result = run(chosen)
    for variant in chosen.variants:
        problem = Scenario.model_validate_json(variant.scenario_json).compile()
        parts = [simulate(problem, runs=runs, seed=spawned_seed(7, chunk)) for chunk, runs in enumerate((20, 20, 10))]
        agreed = np.concatenate([part.agreed for part in parts])
        rounds = np.concatenate([part.rounds[part.agreed] + 1 for part in parts])
        north = np.concatenate([part.utilities[part.agreed, 0] for part in parts])
        row = result.points.iloc[variant.index]
        assert row["runs"] == 50 and row["tasks"] == 3
        assert row["p_deal"] == agreed.mean()
        if agreed.any():
            assert row["rounds_mean"] == pytest.approx(rounds.mean(), rel=1e-12)
            assert row["utility:north"] == pytest.approx(north.mean(), rel=1e-12)
        assert row["p_broke_down"] == np.concatenate([part.broke_down for part in parts]).mean()


def test_intervals_are_worked_from_the_sums():
    rows = pd.DataFrame([
        {"task": 0, "point": 0, "runs": 10, "deals": 3, "walked_away": 1, "broke_down": 2, "rounds_sum": 1 + 2 + 6.0,
         "rounds_squares": 1 + 4 + 36.0, "lasting": -1, "final_phase": -1, "utility_sum:a": 0.5 + 0.7 + 0.9, "utility_squares:a": 0.25 + 0.49 + 0.81},
        {"task": 1, "point": 0, "runs": 10, "deals": 0, "walked_away": 0, "broke_down": 0, "rounds_sum": 0.0, "rounds_squares": 0.0,
         "lasting": -1, "final_phase": -1, "utility_sum:a": 0.0, "utility_squares:a": 0.0},
    ])
    table = point_table(rows, [{"x": 1.0}], ["x"])
    row = table.iloc[0]
    z, n, p = 1.959963984540054, 20, 3 / 20
    centre, half = (p + z * z / (2 * n)) / (1 + z * z / n), z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    assert row["p_deal"] == 0.15 and row["p_deal_low"] == pytest.approx(centre - half) and row["p_deal_high"] == pytest.approx(centre + half)
    # rounds 1, 2, 6: mean 3, sample sd sqrt(7), half-width z sqrt(7/3)
    assert row["rounds_mean"] == pytest.approx(3.0)
    assert row["rounds_high"] - row["rounds_mean"] == pytest.approx(z * math.sqrt(7 / 3))
    # utilities 0.5, 0.7, 0.9: mean 0.7, sd 0.2
    assert row["utility:a"] == pytest.approx(0.7) and row["utility_low:a"] == pytest.approx(0.7 - z * 0.2 / math.sqrt(3))
    assert row["p_walked_away"] == 0.05 and row["p_broke_down"] == 0.1 and "p_lasting" not in table


def test_paired_points_share_their_draws_and_unpaired_do_not(tmp_path):
    scenario = uncertain_scenario(tmp_path)
    same = [{"path": "actors[north].cost_of_delay", "values": [0.02, 0.02]}]
    paired = run(plan(write_sweep(tmp_path, scenario=scenario.name, parameters=same, runs=200, runs_per_task=100))).points
    figures = [c for c in paired.columns if c.startswith(("p_", "utility", "rounds"))]
    pd.testing.assert_series_equal(paired.loc[0, figures], paired.loc[1, figures], check_names=False)
    unpaired = run(plan(write_sweep(tmp_path, scenario=scenario.name, parameters=same, runs=200, runs_per_task=100, paired=False))).points
    assert unpaired.loc[0, figures].tolist() != unpaired.loc[1, figures].tolist()


def test_the_cli_writes_the_folder_and_json(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = write_sweep(tmp_path)
    code, out, err = run_cli(["sweep", str(path), "--json"])
    assert code == 0, err
    data = json.loads(out)
    assert data["tasks"] == 18 and data["played"] == 18 and len(data["points"]) == 6
    folder = tmp_path / "sweep-sweep"
    assert data["folder"] == "sweep-sweep" and len(list((folder / "tasks").iterdir())) == 18
    saved = pd.read_csv(folder / "points.csv")
    assert saved["p_deal"].tolist() == pytest.approx([point["p_deal"] for point in data["points"]])
    assert pd.read_parquet(folder / "points.parquet")["runs"].tolist() == [60] * 6
    assert "plotly" in (folder / "plot.html").read_text(encoding="utf-8")[:5_000_000].lower()
    code, out, err = run_cli(["sweep", str(path)])
    assert code == 2 and "holds an earlier sweep (18 of 18 tasks committed)" in err and "--resume" in err
    code, out, err = run_cli(["sweep", str(path), "--resume"])
    assert code == 0 and "0 tasks played" in " ".join(out.split()) and "18 committed before" in " ".join(out.split())


def test_a_sweep_over_the_time_budget_is_refused_before_any_work(tmp_path, monkeypatch):
    monkeypatch.setenv("TRUCE_MAX_SECONDS", "0.000001")
    path = write_sweep(tmp_path)
    code, out, err = run_cli(["sweep", str(path), "--out", str(tmp_path / "out")])
    assert code == 2 and err.startswith("error: estimated time: about") and "--force" in err and "Nothing was written" in err
    assert not (tmp_path / "out").exists()
    code, out, err = run_cli(["sweep", str(path), "--out", str(tmp_path / "out"), "--force", "--workers", "1"])
    assert code == 0 and "over the budget" in err and "going on (--force)" in err
