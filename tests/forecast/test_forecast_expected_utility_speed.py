"""The expected-utility model's O(n^2 log n) vote sums and vectorised round (issue 12) against
their definition summed over every (voter, ordered pair), and whole runs against the outputs
that the model before the change saved (tests/forecast/data/expected_utility_before_issue12.npz,
written by the implementation of commit 1b6ade7 on three input sets: 200 actors x 2 dimensions,
60 x 3 on a coarse grid with many equal positions and saliences, 25 x 1 on an unbounded scale).
"""

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from truce.forecast import expected_utility
from truce.forecast.expected_utility import vote_mass, win_probabilities

SAVED = Path(__file__).parent / "data" / "expected_utility_before_issue12.npz"
KINDS = {"confrontation": 0, "compromise": 1}


def favour_by_definition(positions, weights, exponents, scale):
    """sum_k max(0, w_k [d(x_k, x_b)^rho_k - d(x_k, x_a)^rho_k]) for every (a, b), written out."""
    powers = (np.abs(positions[:, None] - positions[None, :]) / scale) ** exponents[:, None]
    votes = weights[:, None, None] * (powers[:, None, :] - powers[:, :, None])
    return np.maximum(votes, 0.0).sum(axis=0), float(np.abs(votes).sum())


@st.composite
def electorates(draw):
    n = draw(st.integers(2, 40))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    grid = draw(st.sampled_from([None, 2, 4]))  # a grid: equal positions, voters on midpoints
    positions = rng.uniform(-3, 5, n) if grid is None else np.round(rng.uniform(0, 1, n) * grid) / grid
    weights = rng.uniform(0, 50, n) * (rng.random(n) > 0.1)  # some voters weigh nothing
    exponents = draw(st.sampled_from([np.ones(n), rng.uniform(0.5, 2.0, n)]))
    scale = float(np.ptp(positions)) or 1.0
    return positions, weights, exponents, scale


@settings(max_examples=150, deadline=None)
@given(electorates())
def test_win_probabilities_and_mass_equal_the_sum_over_every_voter_and_pair(electorate):
    positions, weights, exponents, scale = electorate
    favour, mass = favour_by_definition(*electorate)
    assert vote_mass(*electorate) == pytest.approx(mass, rel=1e-12, abs=1e-300)
    probability = win_probabilities(*electorate)
    expected = np.zeros_like(favour) if mass == 0 else favour / mass
    expected[positions[:, None] == positions[None, :]] = 0.0
    assert np.allclose(probability, expected, rtol=1e-12, atol=1e-15 * max(1.0, expected.max()))


def test_everyone_at_one_point_has_no_votes():
    positions = np.full(5, 0.3)
    assert vote_mass(positions, np.ones(5), np.ones(5), 1.0) == 0.0
    assert not win_probabilities(positions, np.ones(5), np.ones(5), 1.0).any()


@pytest.fixture(scope="module")
def saved():
    return np.load(SAVED)


@pytest.mark.parametrize("case", ["random_200x2", "grid_60x3", "random_25x1"])
def test_runs_reproduce_the_model_before_the_change(saved, case):
    def field(name):
        return saved[f"{case}__{name}"]

    result = expected_utility(field("capability"), field("positions"), field("salience"), rounds=int(field("rounds")))
    moves = np.array(
        [[m.round, m.dimension, m.actor, m.counterpart, KINDS[m.kind]] for m in result.moves], dtype=np.int64
    ).reshape(-1, 5)
    assert moves.tolist() == field("moves").tolist()
    gains = np.array([[m.gain, m.counterpart_gain, m.position[0]] for m in result.moves]).reshape(-1, 3)
    assert np.allclose(gains, field("gains"), rtol=1e-10, atol=1e-12)
    assert np.allclose(result.trace.positions, field("trace"), rtol=1e-12, atol=1e-12)
    assert np.allclose(result.trace.risk_attitudes, field("risk"), rtol=1e-12, atol=1e-12)
    assert np.allclose(result.trace.forecast, field("forecast"), rtol=1e-12, atol=1e-12)
