"""Forecasts of scenarios in the issues' own terms, and the CLI on the reference formats."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from conftest import read_rows, shared_file
from truce import load
from truce.scenario import validate


SCENARIO = {
    "name": "spatial",
    "actors": [
        {"id": "a", "name": "A", "capability": 3, "stances": {"o": {"position": "low", "salience": 1}, "n": {"position": 0, "salience": 1},
                                                              "c": {"position": "x", "salience": 0.5}}},
        {"id": "b", "name": "B", "capability": 1, "stances": {"o": {"position": "high", "salience": 1}, "n": {"position": 400, "salience": 1}}},
        {"id": "m", "name": "M", "role": "mediator", "capability": 1, "stances": {"n": {"position": 200, "salience": 0.5}}},
    ],
    "issues": [
        {"id": "o", "name": "Ordered", "kind": "ordered", "options": ["low", "mid", "high"]},
        {"id": "n", "name": "Numeric", "kind": "numeric", "unit": "t", "range": [0, 400], "step": 100},
        {"id": "c", "name": "Categorical", "kind": "categorical", "options": ["x", "y"]},
    ],
}


def test_compromise_by_hand_in_issue_units():
    """Ordered: A (weight 3 x 1) at 0, B (1 x 1) at 100, M has no stance (weight 0): mean 25 -> index 0.5.
    Numeric: weights 3, 1, 0.5 at 0, 400, 200 t: mean (0 + 400 + 100) / 4.5 = 111.1 t; median: A alone holds
    3 of 4.5 > half, so 0 t."""
    result = validate(SCENARIO).compile().forecast("compromise")
    assert result.issue_ids == ("o", "n") and result.left_out == ("c",)
    assert np.isclose(result.to_issue_scale(result.forecast[-1, 0], 0), 0.5)
    assert np.isclose(result.to_issue_scale(result.forecast[-1, 1], 1), 500 / 4.5)
    assert np.isclose(result.to_issue_scale(result.median[1], 1), 0.0)
    assert result.outcome()["Numeric"] == "111.1 t"
    data = result.to_dict()
    assert data["left_out_reason"] == "categorical issues have no order"


@pytest.mark.parametrize("model", ["smp", "expected_utility"])
def test_dynamic_models_report_every_round_in_issue_units(model):
    result = load("gaza-ceasefire").compile().forecast(model)
    data = result.to_dict()
    aid = next(issue for issue in data["issues"] if issue["issue"] == "aid")
    assert aid["positions_by_round"]["hamas"][0] == 600 and aid["positions_by_round"]["israel"][0] == 200
    assert all(0 <= x <= 800 for x in aid["forecast_by_round"])
    assert len(aid["forecast_by_round"]) == result.positions.shape[0]
    assert result.to_frame()["round"].max() == result.positions.shape[0] - 1


def test_forecast_is_invariant_to_actor_order():
    reordered = dict(SCENARIO, actors=[SCENARIO["actors"][2], SCENARIO["actors"][0], SCENARIO["actors"][1]])
    a = validate(SCENARIO).compile().forecast("smp")
    b = validate(reordered).compile().forecast("smp")
    assert np.allclose(a.forecast[-1], b.forecast[-1], atol=1e-9)


def test_unknown_model_is_refused():
    with pytest.raises(ValueError, match="unknown forecasting model"):
        load("two-issue-trade").compile().forecast("oracle")


def _truce(*args):
    return subprocess.run([sys.executable, "-m", "truce", *args], capture_output=True, text=True, env={"COLUMNS": "160", "PATH": ""})


def test_cli_reproduces_the_ktab_reference_positions_on_its_own_scale():
    source = shared_file("ktab", "ktab_dummyData_3Dim_input.csv")
    reference = shared_file("ktab", "ktab_dummyData_3Dim_ref_position_history.csv")
    result = _truce("forecast", str(source), "--model", "smp", "--json")
    assert result.returncode == 0, result.stderr
    rounds = json.loads(result.stdout)["rounds"]
    assert len(rounds) == 11
    for row in read_rows(reference):
        if not row["dimension"].startswith("Pstn"):
            continue  # the file also logs win probabilities
        actor = int(row["actor"].split("-")[1])
        dimension = int(row["dimension"].removeprefix("Pstn")) - 1
        for t in range(11):
            assert abs(rounds[t]["positions"][actor][dimension] - float(row[f"t{t}"])) <= 0.05 + 1e-9


def test_cli_reads_the_eu_example_on_its_own_scale():
    source = shared_file("bdm", "scholz2011_EU_example_input.csv")
    data = json.loads(_truce("forecast", str(source), "--model", "expected_utility", "--rounds", "3", "--json").stdout)
    assert data["rounds"][0]["positions"][1] == [7.0]
    assert len(data["rounds"]) == 4


def test_cli_bad_csv_exits_2(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n")
    result = _truce("forecast", str(bad))
    assert result.returncode == 2 and "neither a KTAB CSV" in result.stderr and "Traceback" not in result.stderr


def test_moves_are_reported_in_issue_units():
    data = load("gaza-ceasefire").compile().forecast("smp").to_dict()
    aid = [m for m in data["moves"] if m["kind"] == "accept"]
    assert aid and all(0 <= m["position"][4] <= 800 for m in aid)
    assert all(isinstance(m["actor"], str) for m in data["moves"])


def test_cli_seed_without_stochastic_is_a_note_not_an_error():
    """issue 17: `forecast --seed` alone was an error; the deterministic models ignore it, and say so."""
    result = _truce("forecast", "gaza-ceasefire", "--seed", "3", "--json")
    plain = _truce("forecast", "gaza-ceasefire", "--json")
    assert result.returncode == 0 and "no effect without --stochastic" in result.stderr
    assert result.stdout == plain.stdout
    stochastic = _truce("forecast", "gaza-ceasefire", "--stochastic", "--json")
    again = _truce("forecast", "gaza-ceasefire", "--stochastic", "--json")
    assert stochastic.returncode == 0 and stochastic.stdout == again.stdout
