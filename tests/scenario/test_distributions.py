"""Uncertain numbers: nominal values, sampling, range checks."""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import ValidationError

from truce.scenario.distributions import Distribution, check_within, nominal


@pytest.mark.parametrize(
    "spec, expected_nominal, expected_mean",
    [
        ({"triangular": [0.2, 0.3, 0.7]}, 0.3, (0.2 + 0.3 + 0.7) / 3),
        ({"uniform": [0.1, 0.5]}, 0.3, 0.3),
        ({"normal": [0.4, 0.05]}, 0.4, 0.4),
        ({"beta": [2, 6]}, 0.25, 0.25),
    ],
)
def test_nominal_and_sample_mean(spec, expected_nominal, expected_mean):
    distribution = Distribution.model_validate(spec)
    assert np.isclose(distribution.nominal, expected_nominal)
    samples = distribution.sample(np.random.default_rng(0), 200_000)
    assert abs(samples.mean() - expected_mean) < 2e-3


def test_normal_is_truncated_to_the_field_range():
    distribution = Distribution.model_validate({"normal": [0.05, 0.2]})
    samples = distribution.sample(np.random.default_rng(1), 50_000, bounds=(0.0, 1.0))
    assert samples.min() >= 0.0 and samples.max() <= 1.0


def test_same_seed_same_samples():
    distribution = Distribution.model_validate({"triangular": [0, 1, 3]})
    a = distribution.sample(np.random.default_rng(7), 10)
    b = distribution.sample(np.random.default_rng(7), 10)
    assert np.array_equal(a, b)


@pytest.mark.parametrize("spec", [{}, {"uniform": [1, 0]}, {"normal": [0, -1]}, {"beta": [0, 1]}, {"uniform": [0, 1], "beta": [1, 1]}])
def test_invalid_distributions_are_refused(spec):
    with pytest.raises(ValidationError):
        Distribution.model_validate(spec)


def test_range_checks():
    assert check_within(0.5, 0, 1) is None
    assert "found 1.5" in check_within(1.5, 0, 1)
    assert check_within(1.0, 0, 1, high_open=True) is not None
    assert check_within(Distribution(beta=(2, 2)), 0, 1) is None
    assert "ranges over" in check_within(Distribution(uniform=(-0.5, 0.5)), 0, 1)
    assert nominal(Distribution(uniform=(0, 2))) == 1.0 and nominal(3) == 3.0
