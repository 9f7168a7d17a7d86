"""Weighted mean and weighted median: hand-computed cases and invariants."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from truce.forecast import weighted_mean, weighted_median


def test_weighted_mean_by_hand():
    # weights c*s = 1*0.5, 2*0.5, 1*1 = 0.5, 1, 1 -> (0*0.5 + 4*1 + 10*1) / 2.5 = 5.6
    positions = [[0.0], [4.0], [10.0]]
    assert weighted_mean(positions, [1.0, 2.0, 1.0], [[0.5], [0.5], [1.0]]) == pytest.approx([5.6])


def test_weighted_mean_per_dimension():
    positions = [[0.0, 1.0], [10.0, 3.0]]
    salience = [[1.0, 0.25], [0.25, 0.75]]
    # dimension 0: (0*1 + 10*0.25)/1.25 = 2; dimension 1: (1*0.25 + 3*0.75)/1 = 2.5
    assert weighted_mean(positions, [1.0, 1.0], salience) == pytest.approx([2.0, 2.5])


def test_weighted_mean_of_scholz_eu_example_round_zero():
    # Scholz, Calbert & Smith (2011) EU example, mean before any round (FORECAST.md B.7).
    capability = [0.08, 0.08, 0.03, 0.16, 0.16, 0.16, 0.16, 0.05, 0.05, 0.08]
    positions = [4, 7, 4, 4, 10, 10, 10, 7, 4, 7]
    salience = [0.8, 0.4, 0.2, 0.8, 0.6, 0.6, 0.9, 0.1, 1.0, 0.7]
    assert weighted_mean(positions, capability, salience)[0] == pytest.approx(
        7.389955686853767, abs=1e-12
    )


def test_weighted_median_majority_holder():
    # weights 1, 1, 3: the actor at 10 holds 3/5 of the votes.
    assert weighted_median([[0.0], [5.0], [10.0]], [1, 1, 3], [[1], [1], [1]])[0] == 10.0


def test_weighted_median_middle_voter():
    # weights 2, 1, 2 at 0, 5, 10: 2 < 2.5 on each side of 5.
    assert weighted_median([[0.0], [5.0], [10.0]], [2, 1, 2], [[1], [1], [1]])[0] == 5.0


def test_weighted_median_exact_split_returns_midpoint():
    # weights 1 and 1 at 2 and 6: every point of [2, 6] is a median; the midpoint is returned.
    assert weighted_median([[2.0], [6.0]], [1, 1], [[0.5], [0.5]])[0] == 4.0
    # 0.1 + 0.2 against 0.3 splits exactly in half despite binary rounding.
    positions = [[0.0], [1.0], [3.0]]
    assert weighted_median(positions, [0.1, 0.2, 0.3], [[1], [1], [1]])[0] == 2.0


def test_weighted_median_ignores_zero_weight_actors():
    positions = [[0.0], [5.0], [7.0], [10.0]]
    salience = [[1.0], [0.0], [0.0], [1.0]]
    assert weighted_median(positions, [1, 100, 100, 1], salience)[0] == 5.0
    salience = [[1.0], [0.0], [0.0], [0.5]]
    assert weighted_median(positions, [1, 100, 100, 1], salience)[0] == 0.0


def test_weighted_median_of_scholz_eu_example():
    # weights 0.064 0.032 0.006 0.128 0.096 0.096 0.144 0.005 0.05 0.056, total 0.677:
    # at 4: 0.248 < 0.3385; up to 7: 0.341 > 0.3385 -> 7.
    capability = [0.08, 0.08, 0.03, 0.16, 0.16, 0.16, 0.16, 0.05, 0.05, 0.08]
    positions = [4, 7, 4, 4, 10, 10, 10, 7, 4, 7]
    salience = [0.8, 0.4, 0.2, 0.8, 0.6, 0.6, 0.9, 0.1, 1.0, 0.7]
    assert weighted_median(positions, capability, salience)[0] == 7.0


weights_and_positions = st.integers(min_value=1, max_value=12).flatmap(
    lambda n: st.tuples(
        arrays(np.float64, n, elements=st.floats(-100, 100, allow_nan=False)),
        arrays(np.float64, n, elements=st.floats(0.01, 10, allow_nan=False)),
        arrays(np.float64, n, elements=st.floats(0.01, 1, allow_nan=False)),
    )
)


@settings(max_examples=200, deadline=None)
@given(weights_and_positions)
def test_weighted_median_no_majority_would_move_it(case):
    positions, capability, salience = case
    median = weighted_median(positions, capability, salience)[0]
    weight = capability * salience
    half = weight.sum() / 2
    assert weight[positions < median].sum() <= half * (1 + 1e-9)
    assert weight[positions > median].sum() <= half * (1 + 1e-9)


@settings(max_examples=100, deadline=None)
@given(weights_and_positions, st.randoms(use_true_random=False))
def test_compromises_do_not_depend_on_actor_order_and_reflect(case, random):
    positions, capability, salience = case
    order = list(range(positions.size))
    random.shuffle(order)
    for compromise in (weighted_mean, weighted_median):
        value = compromise(positions, capability, salience)[0]
        shuffled = compromise(positions[order], capability[order], salience[order])[0]
        assert shuffled == pytest.approx(value, abs=1e-9)
        assert compromise(-positions, capability, salience)[0] == pytest.approx(-value, abs=1e-9)


@pytest.mark.parametrize(
    ("capability", "positions", "salience", "message"),
    [
        ([-1.0, 1.0], [[0.0], [1.0]], [[1.0], [1.0]], "capability of actor 0"),
        ([1.0, 1.0], [[0.0], [1.0]], [[1.0], [1.5]], "salience of actor 1 on dimension 0"),
        ([1.0, 1.0], [[0.0], [1.0]], [[-0.1], [1.0]], "must lie in \\[0, 1\\]"),
        ([1.0, 1.0, 1.0], [[0.0], [1.0]], [[1.0], [1.0]], "positions must have shape"),
        ([1.0, 1.0], [[0.0], [1.0]], [[1.0, 1.0], [1.0, 1.0]], "salience must have the same shape"),
        ([[1.0, 1.0]], [[0.0], [1.0]], [[1.0], [1.0]], "capability must be a 1-D array"),
        ([1.0, 1.0], [[0.0], [np.nan]], [[1.0], [1.0]], "positions must be finite"),
        ([1.0, 1.0], [[0.0], [1.0]], [[0.0], [0.0]], "dimension 0 has zero total weight"),
    ],
)
def test_compromise_input_errors(capability, positions, salience, message):
    for compromise in (weighted_mean, weighted_median):
        with pytest.raises(ValueError, match=message):
            compromise(positions, capability, salience)


def test_docstring_examples():
    import doctest

    from truce.forecast import compromise

    assert doctest.testmod(compromise).failed == 0
