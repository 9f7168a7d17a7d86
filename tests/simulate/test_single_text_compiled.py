"""The one-text mediator's compiled steps choose the texts numpy's choose (issue 12): the same text
per run for random estimates with ties, and the same runs per seed on whole problems."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_compiled_engine import with_moving_floors
from test_engine_equivalence import random_problem

from truce.problem import Problem
from truce.scenario import load, validate
from truce.simulate import simulate
from truce.simulate.arena import TOLERANCE
from truce.simulate.compiled import COMPILED_FROM_RUNS, use_compiled_text
from truce.simulate.mediators import GAIN_FLOOR, SCORE_TIE, SHORTFALL_PENALTY, OneText, estimate_numpy

FIELDS = ("agreed", "rounds", "packages", "walked_away", "broke_down")


def same_texts(problem: Problem, **options):
    """numpy's mediator and the compiled one play the same runs (the compiled in its own chunks)."""
    slow = simulate(problem, protocol="single-text", engine="numpy", **options)
    fast = simulate(problem, protocol="single-text", engine="compiled", **options)
    for name in FIELDS:
        np.testing.assert_array_equal(getattr(fast, name), getattr(slow, name), err_msg=name)
    return fast


def mediator_state(rng: np.random.Generator, runs: int, parties: int, issues: int, width: int, per_run: bool):
    """Random weights and values with repeated candidates (exact ties in every estimate) and
    candidates whose estimates tie in total, random floors and answers."""
    distinct = max(1, width // 2)
    values = rng.choice([0.0, 0.25, 0.5, 0.75, 1.0], size=(runs if per_run else 1, parties, issues, distinct))
    values = values[..., rng.integers(0, distinct, size=width)]  # repeats: the same utilities
    weights = rng.dirichlet(np.ones(issues), size=(runs, parties))
    weights[rng.random(runs) < 0.3] = 1.0 / issues  # equal weights: many equal totals
    floor = rng.choice([0.0, 0.2, 0.4, 0.6], size=(runs, parties))
    accepted = rng.integers(-1, width, size=(runs, parties))
    refused = rng.random((runs, parties)) < 0.5
    current = rng.integers(-1, width, size=runs)
    open_runs = rng.random(runs) < 0.8
    return weights, np.ascontiguousarray(values), floor, accepted, refused, current, open_runs


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32 - 1),
    parties=st.integers(2, 4),
    issues=st.integers(1, 4),
    width=st.integers(1, 12),
    per_run=st.booleans(),
)
def test_the_compiled_choice_is_numpys(seed, parties, issues, width, per_run):
    from truce.simulate import kernel_text

    rng = np.random.default_rng(seed)
    runs = 16
    weights, values, floor, accepted, refused, current, open_runs = mediator_state(rng, runs, parties, issues, width, per_run)
    host = OneText()
    host._utility, host._total = estimate_numpy(weights, values)
    host._accepted, host._refused, host._current = accepted, refused, current.copy()
    rows = np.flatnonzero(open_runs)
    expected = current.copy()
    expected[rows] = host._choose_numpy(rows, floor[rows])

    chosen = current.copy()
    kernel_text.choose_texts(weights, values, floor, open_runs, accepted, refused, chosen, TOLERANCE, GAIN_FLOOR, SHORTFALL_PENALTY, SCORE_TIE)
    np.testing.assert_array_equal(chosen, expected)


def test_the_numpy_estimate_sums_issue_by_issue():
    """Hand-worked: weights (0.5, 0.25, 0.25) on values (1, 0, 0.5) and (0, 1, 1): 0.625 and 0.5, total 1.125."""
    weights = np.array([[[0.5, 0.25, 0.25], [0.5, 0.25, 0.25]]])
    values = np.array([[[[1.0], [0.0], [0.5]], [[0.0], [1.0], [1.0]]]])
    utility, total = estimate_numpy(weights, values)
    np.testing.assert_array_equal(utility[0, :, 0], [0.625, 0.5])
    np.testing.assert_array_equal(total, [[1.125]])


@pytest.mark.parametrize("mediator_noise", [0.0, 0.1, 0.6])
@pytest.mark.parametrize("case", [(2, 3, False), (2, 3, True), (3, 3, True), (4, 2, False)])
def test_random_problems_play_the_same_runs(case, mediator_noise):
    parties, issues, uncertain = case
    problem = random_problem(parties, issues, seed=3, uncertain=uncertain)
    for strategy in ("boulware", "linear", "cost-based"):
        same_texts(problem, strategies=strategy, runs=150, seed=2, rounds=40, mediator_noise=mediator_noise)


@pytest.mark.parametrize("strategy", ["tit-for-tat", "conceder", "boulware"])
def test_moving_floors_and_breakdowns_play_the_same_runs(strategy):
    problem = with_moving_floors(random_problem(2, 3, seed=5, uncertain=True), uncertain_discount=True)
    result = same_texts(problem, strategies=strategy, runs=200, seed=4, rounds=60)
    assert result.broke_down.any() or result.agreed.any()


def test_values_drawn_per_run_play_the_same_runs():
    """An uncertain numeric position: every run values the candidates its own way."""
    scenario = validate(
        {
            "name": "per-run values",
            "actors": [
                {"id": "a", "name": "A", "reservation": 0.1, "stances": {"n": {"position": {"triangular": [100, 300, 400]}, "salience": 0.6}, "m": {"position": "high", "salience": 0.4}}},
                {"id": "b", "name": "B", "reservation": 0.1, "stances": {"n": {"position": 0, "salience": {"uniform": [0.3, 0.9]}}, "m": {"position": "low", "salience": 0.5}}},
            ],
            "issues": [
                {"id": "n", "name": "N", "kind": "numeric", "range": [0, 400], "step": 50},
                {"id": "m", "name": "M", "kind": "ordered", "options": ["low", "mid", "high"]},
            ],
        }
    )
    problem = scenario.compile()
    assert any(item.field == "position" for item in problem.uncertain)
    result = same_texts(problem, strategies="boulware", runs=120, seed=7, rounds=30)
    assert result.agreed.any()


def test_the_flagship_single_text_plays_the_same_runs_in_any_chunks():
    problem = Problem.from_scenario(load("gaza-ceasefire"))
    result = same_texts(problem, runs=60, seed=3)
    again = simulate(problem, protocol="single-text", engine="compiled", runs=60, seed=3, chunk_size=7)
    for name in FIELDS:
        np.testing.assert_array_equal(getattr(again, name), getattr(result, name), err_msg=name)


def test_the_engine_decides_where_texts_are_compiled():
    assert not use_compiled_text("numpy", 10**6)
    assert use_compiled_text("compiled", 1)
    assert not use_compiled_text("auto", COMPILED_FROM_RUNS - 1)
    assert use_compiled_text("auto", COMPILED_FROM_RUNS)

