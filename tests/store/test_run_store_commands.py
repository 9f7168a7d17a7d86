"""Every command that computes results records its run in the same format (issue 15): durability,
sensitivity, compare (both scenarios), backtest, tournament, discover and the report's per-run tables
come back from the store equal to what the engine gives for the same inputs and seed."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).parents[1] / "fuzz"))
from fuzz_cli import run_cli  # noqa: E402

from truce.mediation.sensitivity import one_at_a_time  # noqa: E402
from truce.scenario import load  # noqa: E402
from truce.scenario.schema import Scenario  # noqa: E402
from truce.simulate import simulate  # noqa: E402
from truce.simulate.durability import durability  # noqa: E402
from truce.store import Catalog  # noqa: E402


def recorded(store, args: list[str]) -> tuple[dict, dict, Catalog]:
    """Run the command with --json; its printed results, its record and the catalog (to close)."""
    code, out, err = run_cli([*args, "--json"])
    assert code == 0, err
    catalog = Catalog(store)
    return json.loads(out), catalog.find("last"), catalog


def test_durability_and_sensitivity(store):
    printed, run, catalog = recorded(store, ["durability", "gaza-2021-05", "--runs", "20", "--seed", "2"])
    problem = load("gaza-2021-05").compile()
    engine = durability(problem, simulate(problem, runs=20, seed=2))
    with catalog:
        deals = catalog.table(run["run_id"], "deals")
        assert (run["command"], run["seed"], run["runs"]) == ("durability", 2, 20)
        assert run["summary"]["agreement_rate"] == simulate(problem, runs=20, seed=2).agreement_rate
        assert run["summary"]["holds"] == printed["holds"]
    np.testing.assert_array_equal(deals["breakdown_day"].to_numpy(), engine.breakdown_day)

    printed, run, catalog = recorded(store, ["sensitivity", "gaza-2021-05", "--runs", "10", "--seed", "1"])
    with catalog:
        inputs = catalog.table(run["run_id"], "inputs")
    pd.testing.assert_frame_equal(inputs, one_at_a_time(problem, runs=10, seed=1).to_frame(), check_dtype=False)
    assert run["summary"]["method"].startswith("one at a time") and run["summary"]["baseline_p_deal"] == printed["baseline_p_deal"]


def test_compare_records_both_scenarios(store, tmp_path):
    edited = load("two-issue-trade").model_dump(mode="json")
    edited["actors"][0]["reservation"] = 0.45
    second = tmp_path / "edited.json"
    second.write_text(json.dumps(edited), encoding="utf-8")
    printed, run, catalog = recorded(store, ["compare", "two-issue-trade", str(second), "--runs", "30", "--seed", "4"])
    with catalog:
        runs = catalog.table(run["run_id"], "runs")
        record = json.loads((store / "runs" / run["run_id"] / "run.json").read_text(encoding="utf-8"))
        b_copy = catalog.scenario(record["more_scenarios"][0]["scenario_hash"])
    assert Scenario.model_validate_json(b_copy) == Scenario.model_validate(edited)
    assert runs["a_agreed"].tolist() == simulate(load("two-issue-trade").compile(), runs=30, seed=4).agreed.tolist()
    assert runs["b_agreed"].tolist() == simulate(Scenario.model_validate(edited).compile(), runs=30, seed=4).agreed.tolist()
    assert run["summary"]["delta_p_deal"] == printed["delta_p_deal"] and run["summary"]["second"]["scenario"] == str(second)


def test_backtest_tournament_and_discover(store, tmp_path):
    printed, run, catalog = recorded(store, ["backtest", "israel-hamas", "--runs", "10", "--seed", "3"])
    with catalog:
        cases = catalog.table(run["run_id"], "cases")
    assert cases["p_deal"].tolist() == [case["p_deal"] for case in printed["cases"]]
    assert run["summary"]["brier"] == printed["overall"]["brier"] and run["scenario"] is None

    spec = tmp_path / "spec.yaml"
    spec.write_text("name: Small\nstrategies: [hardliner, conceder]\nscenarios: [two-issue-trade]\nrepetitions: 2\nnoise: 0\n", encoding="utf-8")
    printed, run, catalog = recorded(store, ["tournament", str(spec)])
    with catalog:
        ranking, seats = catalog.table(run["run_id"], "ranking"), catalog.table(run["run_id"], "seats")
    assert ranking["strategy"].tolist() == [entry["label"] for entry in printed["ranking"]] and len(seats) == 16

    folder = tmp_path / "synthetic"
    folder.mkdir()
    (folder / "sweep.json").write_text(json.dumps({"sweep": {"parameters": [{"path": "x"}]}}), encoding="utf-8")
    pd.DataFrame({"x": np.arange(10.0), "p_deal": [0.9] * 4 + [0.1] * 6}).to_parquet(folder / "points.parquet")
    printed, run, catalog = recorded(store, ["discover", str(folder), "--above", "0.5", "--method", "tree"])
    with catalog:
        boxes = catalog.table(run["run_id"], "boxes")
    assert printed["boxes"][0]["rule"] == "x <= 3" and boxes.to_dict("records")[0]["high"] == 3.0


def test_discover_reads_a_recorded_sweep(store, tmp_path):
    sys.path.insert(0, str(Path(__file__).parents[1] / "sweep"))
    from sweep_helpers import write_sweep

    run_cli(["sweep", str(write_sweep(tmp_path)), "--out", str(tmp_path / "sw")])
    from_folder = json.loads(run_cli(["discover", str(tmp_path / "sw"), "--above", "0.5", "--method", "tree", "--json"])[1])
    code, out, err = run_cli(["discover", "--run", "last~1", "--above", "0.5", "--method", "tree", "--json"])  # last: the discover just run
    assert code == 0, err
    assert json.loads(out) == from_folder and from_folder["inputs"] == ["actors[north].reservation", "actors[south].cost_of_delay"]
    code, _, err = run_cli(["discover", "--run", "last", "--above", "0.5"])  # the newest run is now the discover run itself
    assert code == 2 and "found a discover run" in err and "expected a sweep run" in err


def test_the_report_records_its_tables(store, tmp_path):
    code, _, err = run_cli(["report", "two-issue-trade", "--runs", "30", "--seed", "5", "-o", str(tmp_path / "r.html")])
    assert code == 0, err
    with Catalog(store) as catalog:
        run = catalog.find("last")
        table = catalog.table(run["run_id"], "runs")
        positions = catalog.table(run["run_id"], "forecast")
    problem = load("two-issue-trade").compile()
    assert table["agreed"].tolist() == simulate(problem, runs=30, seed=5).agreed.tolist()
    assert set(run["tables"]) >= {"runs", "forecast"} and len(positions) == run["tables"]["forecast"]["rows"]
