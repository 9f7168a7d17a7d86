"""`truce compare A B` (issue 17): the input changes by path against hand-made files, and the answers
against what they must be: a scenario against itself changes nothing run by run; talks that break
down after every round without a deal never agree, so the paired difference is minus A's deals,
with the interval worked by hand."""

from __future__ import annotations

import json
import math
import sys
from statistics import NormalDist
from importlib import resources
from pathlib import Path

import numpy as np
import pytest
import yaml

sys.path.insert(0, str(Path(__file__).parent / "fuzz"))
from fuzz_cli import run_cli  # noqa: E402

from truce.compare import Change, compare, input_changes  # noqa: E402
from truce.scenario import load  # noqa: E402
from truce.simulate import simulate  # noqa: E402


def builtin(name: str) -> dict:
    return yaml.safe_load((resources.files("truce.scenario.builtin") / f"{name}.yaml").read_text(encoding="utf-8"))


def write(tmp_path: Path, name: str, data: dict) -> str:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return str(path)


def test_changes_are_found_by_id_whatever_the_order():
    a = {"name": "x", "actors": [{"id": "p", "reservation": 0.2, "stances": {"aid": {"position": 100}}}, {"id": "q", "reservation": 0.3}]}
    b = {"name": "x", "actors": [{"id": "q", "reservation": 0.3}, {"id": "p", "reservation": 0.25, "stances": {"aid": {"position": 150}}}, {"id": "r"}],
         "talks": {"breakdown_risk": 0.01}}
    assert input_changes(a, b) == [
        Change("actors[p].reservation", 0.2, 0.25),
        Change("actors[p].stances.aid.position", 100, 150),
        Change("actors[r]", None, {"id": "r"}),
        Change("talks", None, {"breakdown_risk": 0.01}),
    ]
    assert input_changes(a, a) == []
    assert input_changes({"options": ["a", "b"]}, {"options": ["b", "a"]}) == [Change("options", ["a", "b"], ["b", "a"])]  # order of options matters


def test_a_scenario_against_itself_changes_nothing_run_by_run():
    scenario = load("three-party-truce")
    result = compare(scenario, scenario, runs=400, seed=5)
    assert result.changes == []
    assert np.array_equal(result.a.agreed, result.b.agreed)
    deal = result.delta_deal
    assert deal.mean == 0 and deal.low == 0 and deal.high == 0
    alone = simulate(scenario.compile(), runs=400, seed=5)
    assert result.a.p_deal == alone.agreement_rate  # the same runs as `truce simulate` at that seed


def test_talks_that_always_break_down_lose_every_deal_with_the_interval_by_hand(tmp_path):
    broken = builtin("three-party-truce")
    broken["talks"]["breakdown_risk"] = 1.0  # no deal in the first round (the parties open high), then breakdown
    a, b = load("three-party-truce"), load(write(tmp_path, "broken.yaml", broken))
    runs = 1000
    result = compare(a, b, runs=runs, seed=3)
    assert [change.path for change in result.changes] == ["talks.breakdown_risk"]
    assert result.b.p_deal == 0
    p = result.a.p_deal
    assert 0.5 < p < 0.65  # 2/3 x 0.95^10 + 1/3 x 0.95^11 = 0.589 at exact knowledge; close at the default noise
    deal = result.delta_deal
    assert deal.mean == pytest.approx(-p)
    half = NormalDist().inv_cdf(0.975) * math.sqrt(p * (1 - p) * runs / (runs - 1)) / math.sqrt(runs)  # every run's difference is -1 or 0
    assert deal.high - deal.mean == pytest.approx(half)


def test_durability_is_compared_only_where_it_applies(tmp_path):
    flagship = load("gaza-ceasefire")
    result = compare(flagship, flagship, runs=200, seed=1)
    assert result.a.ceasefire and result.a.phased and result.a.lasting is not None
    assert result.delta_lasting.mean == 0
    labour = load("two-issue-trade")
    assert not labour.compile().ceasefire
    mixed = compare(flagship, labour, runs=200, seed=1)
    assert mixed.b.lasting is None and mixed.delta_lasting is None
    assert any(change.path.startswith("actors[hamas]") and change.b is None for change in mixed.changes)


def test_the_command_line_prints_both_and_json(tmp_path):
    edited = builtin("three-party-truce")
    edited["actors"][2]["reservation"] = 0.35
    path = write(tmp_path, "edited.yaml", edited)
    code, out, err = run_cli(["compare", "three-party-truce", path, "--runs", "300", "--json"])
    assert code == 0, err
    data = json.loads(out)
    assert data["changes"] == [{"path": "actors[coastal].reservation", "a": 0.3, "b": 0.35}]
    assert data["paired"] and data["runs"] == 300 and set(data["delta_p_deal"]) == {"mean", "interval"}
    code, out, err = run_cli(["compare", "three-party-truce", path, "--runs", "300"])
    assert code == 0, err
    assert "actors[coastal].reservation" in out and "P(deal)" in out and "B - A" in out


def test_bad_arguments_name_themselves(tmp_path):
    code, _, err = run_cli(["compare", "three-party-truce", str(tmp_path / "missing.yaml")])
    assert code == 2 and "missing.yaml: no such file" in err, err
    code, _, err = run_cli(["compare", "three-party-truce", "two-issue-trade", "-s", "north=linear"])
    assert code == 2 and "--strategy" in err, err
    code, _, err = run_cli(["compare", "three-party-truce", "two-issue-trade", "--hold-days", "-1"])
    assert code == 2 and "--hold-days" in err, err
