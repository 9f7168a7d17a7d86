"""Sweep files: paths resolved against the scenario model, designs as specified, and every bad file
refused with exit 2 naming the file, the field, what was found and what was expected."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from sweep_helpers import write_sweep

sys.path.insert(0, str(Path(__file__).parents[1] / "fuzz"))
from fuzz_cli import failure, run_cli  # noqa: E402

from truce.scenario import load  # noqa: E402
from truce.sweep import plan  # noqa: E402
from truce.sweep.paths import PathError, resolve  # noqa: E402


def test_a_path_reaches_the_field_it_names():
    scenario = load("gaza-ceasefire")
    hamas = next(actor for actor in scenario.actors if actor.id == "hamas")
    assert resolve(scenario, "actors[hamas].reservation").current == hamas.reservation
    assert resolve(scenario, "actors[hamas].reservation").steps == ("actors", scenario.actors.index(hamas), "reservation")
    assert resolve(scenario, "actors[0].reservation").current == scenario.actors[0].reservation
    assert resolve(scenario, "talks.breakdown_risk").current == scenario.talks.breakdown_risk
    stance = resolve(scenario, "actors[hamas].stances.crossings.salience")
    assert stance.current == hamas.stances["crossings"].salience and stance.steps[-3:] == ("stances", "crossings", "salience")
    assert resolve(scenario, "rounds").integer and not resolve(scenario, "talks.breakdown_risk").integer


@pytest.mark.parametrize("path, words", [
    ("actors[hamas].reservaton", ["'reservaton'", "not a field of actors[hamas]", "reservation", "cost_of_delay"]),
    ("actors[nobody].reservation", ["[nobody]", "hamas", "israel"]),
    ("actors[hamas]", ["group of fields", "reservation"]),
    ("talk.breakdown_risk", ["'talk'", "not a field of the scenario", "talks", "actors"]),
    ("actors[hamas].stances.nothing.salience", ["'nothing'", "crossings"]),
    ("actors[99].reservation", ["past the end"]),
    ("rounds.more", ["single value"]),
    ("actors..x", ["names joined by dots"]),
])
def test_a_bad_path_names_what_exists_there(path, words):
    with pytest.raises(PathError) as refused:
        resolve(load("gaza-ceasefire"), path)
    for word in words:
        assert word in str(refused.value), (path, str(refused.value))


def test_a_grid_is_every_combination_last_parameter_fastest(tmp_path):
    chosen = plan(write_sweep(tmp_path))
    values = [tuple(variant.values.values()) for variant in chosen.variants]
    assert values == [(0.2, 0.01), (0.2, 0.03), (0.2, 0.05), (0.99, 0.01), (0.99, 0.03), (0.99, 0.05)]
    # the variant's scenario holds the point's values at their paths, the rest as in the file
    from truce.scenario.schema import Scenario

    variant = Scenario.model_validate_json(chosen.variants[4].scenario_json)
    assert variant.actors[0].reservation == 0.99 and variant.actors[1].cost_of_delay == 0.03
    assert variant.actors[1].reservation == 0.3 and variant.actors[0].cost_of_delay == 0.01
    # 60 runs in tasks of 25: 25, 25, 10 per point
    assert [task.runs for task in chosen.tasks[:3]] == [25, 25, 10] and len(chosen.tasks) == 18


def test_latin_hypercube_uses_each_stratum_of_each_range_once(tmp_path):
    parameters = [{"path": "actors[north].reservation", "range": [0.1, 0.5]}, {"path": "rounds", "range": [10, 30]}]
    chosen = plan(write_sweep(tmp_path, design="latin", points=8, parameters=parameters))
    reservation = np.array([variant.values["actors[north].reservation"] for variant in chosen.variants])
    strata = np.floor((reservation - 0.1) / 0.4 * 8).astype(int)
    assert sorted(strata) == list(range(8))
    rounds = [variant.values["rounds"] for variant in chosen.variants]
    assert all(isinstance(r, int) and 10 <= r <= 30 for r in rounds)
    again = plan(write_sweep(tmp_path, design="latin", points=8, parameters=parameters))
    assert [v.values for v in again.variants] == [v.values for v in chosen.variants]  # same seed, same points
    other = plan(write_sweep(tmp_path, design="random", points=8, parameters=parameters))
    drawn = np.array([v.values["actors[north].reservation"] for v in other.variants])
    assert ((drawn >= 0.1) & (drawn <= 0.5)).all() and not np.allclose(drawn, reservation)


BAD_FILES = [
    ({"runz": 10}, "runz", "unknown field"),
    ({"parameters": [{"path": "actors[north].reservaton", "values": [0.1]}]}, "parameters[0].path", "not a field of actors[north]"),
    ({"parameters": [{"path": "actors[north].reservation", "values": [1.5]}]}, "parameters[0].values", "found 1.5; expected a value within [0, 1) (at point 0"),
    ({"design": "latin", "points": 4}, "parameters[0].values", "expected range"),
    ({"design": "random"}, "points", "missing"),
    ({"parameters": [{"path": "rounds", "range": [1, 5]}]}, "parameters[0].steps", "missing"),
    ({"parameters": [{"path": "rounds", "values": [5], "range": [1, 5]}]}, "parameters[0]", "exactly one of values"),
    ({"runs": 0}, "runs", "at least 1"),
    ({"scenario": "no-such-scenario"}, "no-such-scenario", "no such file"),
    ({"simulate": {"strategy": "no-such-strategy"}}, "simulate", "no-such-strategy"),
]


@pytest.mark.parametrize("fields, where, words", BAD_FILES, ids=[case[1] for case in BAD_FILES])
def test_a_bad_sweep_file_exits_2_naming_the_file_and_field(tmp_path, fields, where, words):
    path = write_sweep(tmp_path, **fields)
    code, out, err = run_cli(["sweep", str(path), "--out", str(tmp_path / "out")])
    assert code == 2, (code, err)
    assert failure(code, err, str(path)) is None or fields.get("scenario"), err
    assert where in err and words in err and "expected" in err, err
    assert "Traceback" not in err and not (tmp_path / "out").exists()


def test_a_sweep_file_that_is_not_yaml_or_not_a_mapping(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("scenario: [unclosed\n", encoding="utf-8")
    code, _, err = run_cli(["sweep", str(broken)])
    assert code == 2 and "broken.yaml" in err and "line" in err and "expected well-formed YAML" in err
    listed = tmp_path / "list.yaml"
    listed.write_text("- a\n- b\n", encoding="utf-8")
    code, _, err = run_cli(["sweep", str(listed)])
    assert code == 2 and "list.yaml: found a list; expected a mapping" in err
