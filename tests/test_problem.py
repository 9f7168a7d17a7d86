"""Compiling scenarios to arrays, and vectorised utilities."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings

from conftest import all_packages, problems
from truce import load
from truce.scenario import validate

SCENARIO = {
    "name": "compile",
    "actors": [
        {
            "id": "a",
            "name": "A",
            "reservation": {"uniform": [0.1, 0.3]},
            "stances": {
                "o": {"position": "mid", "salience": 0.5},
                "c": {"position": "y", "salience": 0.25},
                "n": {"position": 200, "salience": 0.25, "tolerance": 100},
            },
        },
        {
            "id": "b",
            "name": "B",
            "stances": {
                "o": {"position": "high", "salience": 1, "values": {"low": 0.2, "high": 1}},
                "n": {"position": 0, "salience": 1, "values": [[0, 1], [400, 0]]},
            },
        },
    ],
    "issues": [
        {"id": "o", "name": "Ordered", "kind": "ordered", "options": ["low", "mid", "high"]},
        {"id": "c", "name": "Categorical", "kind": "categorical", "options": ["x", "y", "z"]},
        {"id": "n", "name": "Numeric", "kind": "numeric", "unit": "t", "range": [0, 500], "step": 100},
    ],
}


def test_values_and_weights_follow_the_format_definition():
    problem = validate(SCENARIO).compile()
    # ordered: 1 at the position, falling by index distance / (k - 1)
    assert np.allclose(problem.values[0][:, 0], [0.5, 1.0, 0.5])
    # explicit table: unlisted options are worth 0
    assert np.allclose(problem.values[0][:, 1], [0.2, 0.0, 1.0])
    # categorical default: 1 at the position, 0 elsewhere; no stance: 0
    assert np.allclose(problem.values[1][:, 0], [0, 1, 0])
    assert np.allclose(problem.values[1][:, 1], 0)
    # numeric with tolerance 100 around 200 on the grid 0..500
    assert np.allclose(problem.values[2][:, 0], [0, 0, 1, 0, 0, 0])
    # piecewise-linear points, constant beyond the last point
    assert np.allclose(problem.values[2][:, 1], [1, 0.75, 0.5, 0.25, 0, 0])
    assert np.allclose(problem.weights, [[0.5, 0.25, 0.25], [0.5, 0.0, 0.5]])
    assert np.allclose(problem.reservation, [0.2, 0.0])
    assert problem.option_labels[2] == ("0 t", "100 t", "200 t", "300 t", "400 t", "500 t")


def test_numeric_grid_includes_the_upper_end():
    data = {**SCENARIO, "issues": [*SCENARIO["issues"][:2], {**SCENARIO["issues"][2], "range": [0, 450]}]}
    problem = validate(data).compile()
    assert problem.option_labels[2][-1] == "450 t"


def test_linear_value_defaults_to_the_whole_span():
    data = {**SCENARIO}
    data["actors"] = [dict(SCENARIO["actors"][0]), SCENARIO["actors"][1]]
    data["actors"][0]["stances"] = {**SCENARIO["actors"][0]["stances"], "n": {"position": 100, "salience": 0.25}}
    problem = validate(data).compile()
    assert np.allclose(problem.values[2][:, 0], [0.8, 1.0, 0.8, 0.6, 0.4, 0.2])


@settings(max_examples=50, deadline=None)
@given(problems())
def test_vectorised_utilities_equal_the_definition(problem):
    packages = all_packages(problem)
    by_hand = np.array(
        [
            [sum(problem.weights[p, j] * problem.values[j][k, p] for j, k in enumerate(package)) for p in range(problem.n_parties)]
            for package in packages
        ]
    )
    assert np.allclose(problem.utilities(packages), by_hand)
    assert ((problem.utilities(packages) >= -1e-12) & (problem.utilities(packages) <= 1 + 1e-12)).all()


def test_describe_and_bad_packages():
    problem = load("two-issue-trade").compile()
    assert problem.describe(np.array([2, 1])) == "Border crossings: open; Border patrols: limited"
    with pytest.raises(ValueError, match="out of range"):
        problem.utilities(np.array([[3, 0]]))
    with pytest.raises(ValueError, match="shape"):
        problem.utilities(np.array([[0, 0, 0]]))
    with pytest.raises(ValueError, match="integer"):
        problem.utilities(np.array([[0.5, 0]]))
