"""Sensitivity analysis: Sobol indices through our code path, and one-at-a-time swings."""

from __future__ import annotations

import numpy as np
import pytest

from truce import load
from truce.mediation.sensitivity import deal_sobol, one_at_a_time, sobol_indices
from truce.scenario import validate


def ishigami(x: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def test_sobol_indices_of_the_ishigami_function():
    """Known values (Ishigami & Homma 1990; Saltelli et al. 2008, p. 179) for a = 7, b = 0.1 on [-pi, pi]^3:
    S1 = (0.3139, 0.4424, 0), ST = (0.5576, 0.4424, 0.2437)."""
    uniform = [lambda q: -np.pi + 2 * np.pi * q] * 3
    result = sobol_indices(ishigami, ["x1", "x2", "x3"], base_samples=4096, seed=1, quantile_functions=uniform)
    assert np.allclose(result.first_order, [0.3139, 0.4424, 0.0], atol=0.03)
    assert np.allclose(result.total, [0.5576, 0.4424, 0.2437], atol=0.03)
    assert result.evaluations == 4096 * (3 + 2)


def one_issue():
    return validate(
        {
            "name": "one issue",
            "rounds": 20,
            "actors": [
                {"id": "a", "name": "A", "reservation": {"uniform": [0.0, 0.8]},
                 "stances": {"x": {"position": "high", "salience": 1}, "y": {"position": "high", "salience": {"uniform": [0.0001, 0.001]}}}},
                {"id": "b", "name": "B", "reservation": 0.2, "stances": {"x": {"position": "low", "salience": 1}}},
            ],
            "issues": [
                {"id": "x", "name": "X", "kind": "ordered", "options": ["low", "mid", "high"]},
                {"id": "y", "name": "Y", "kind": "ordered", "options": ["low", "high"]},
            ],
        }
    ).compile()


def test_one_at_a_time_finds_the_input_that_decides_the_deal():
    """A deals iff its no-deal value is at most about 0.5: at its 10th percentile (0.08) always, at its 90th (0.72) never.
    A's tiny salience on Y barely matters."""
    result = one_at_a_time(one_issue(), runs=400, seed=1, strategies="linear")
    top = result.swings[0]
    assert top.input == "a.reservation"
    assert top.p_deal_low == 1.0 and top.p_deal_high == 0.0
    assert result.swings[-1].swing < 0.1
    assert abs(result.baseline - 0.625) < 0.08


def test_sobol_of_the_deal_indicator_ranks_the_deciding_input_first():
    result = deal_sobol(one_issue(), base_samples=256, seed=2, strategies="linear")
    frame = result.to_frame()
    assert frame.loc[0, "input"] == "a.reservation"
    assert frame.loc[0, "ST"] > 0.8


def test_no_uncertain_inputs_is_a_clear_error():
    with pytest.raises(ValueError, match="no uncertain input that can change whether a deal is reached"):
        one_at_a_time(load("two-issue-trade").compile(), runs=10)


def test_forecast_sensitivity_by_hand():
    """Two actors on one numeric issue [0, 100]: A at 0 with capability ~ U(1, 3), B at 100 with capability 1,
    saliences 1. The weighted mean is 100 / (c_A + 1): at A's 10th percentile (1.2) 45.45, at its 90th (2.8) 26.32."""
    problem = validate(
        {
            "name": "forecast sensitivity",
            "actors": [
                {"id": "a", "name": "A", "capability": {"uniform": [1, 3]}, "stances": {"x": {"position": 0, "salience": 1}}},
                {"id": "b", "name": "B", "stances": {"x": {"position": 100, "salience": 1}}},
            ],
            "issues": [{"id": "x", "name": "X", "kind": "numeric", "range": [0, 100], "step": 10}],
        }
    ).compile()
    from truce.mediation.sensitivity import forecast_one_at_a_time

    result = forecast_one_at_a_time(problem, "compromise")
    (swing,) = result.swings
    assert swing.input == "a.capability"
    assert swing.forecast_low == "45.45" and swing.forecast_high == "26.32"
    assert abs(swing.swing - (100 / 2.2 - 100 / 3.8)) < 1e-9
