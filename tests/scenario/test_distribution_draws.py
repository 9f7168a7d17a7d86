"""Draws and quantiles of the scenario's distributions without scipy.stats (issue 12: it cost about a
second of every report's imports), checked against scipy.stats, which only the tests import."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from truce.scenario.distributions import draw, quantile, truncated_normal_ppf

Q = np.linspace(0.0, 1.0, 20_001)


@pytest.mark.parametrize(
    "low, high",
    [(-np.inf, np.inf), (-2.0, 3.0), (0.5, 4.0), (-5.0, -1.0), (-40.0, -38.0), (38.0, 40.0), (0.0, np.inf), (-np.inf, 0.0), (2.0, np.inf), (0.0, 2.0)],
)
def test_the_truncated_normal_is_scipys(low, high):
    mine, scipys = truncated_normal_ppf(Q, low, high), stats.truncnorm.ppf(Q, low, high)
    np.testing.assert_allclose(mine, scipys, rtol=1e-13, atol=1e-13)
    assert (mine >= low).all() and (mine <= high).all()


def test_a_normal_draw_is_scipys_draw_from_the_same_generator():
    """Both invert one uniform a draw: the same generator gives the same numbers."""
    mine = draw("normal", (3.0, 2.0), np.random.default_rng(5), 2_000, (1.0, 7.0))
    scipys = stats.truncnorm.rvs(-1.0, 2.0, loc=3.0, scale=2.0, size=2_000, random_state=np.random.default_rng(5))
    np.testing.assert_allclose(mine, scipys, rtol=1e-14, atol=1e-14)


@pytest.mark.parametrize(
    "kind, parameters, bounds, scipys",
    [
        ("triangular", (0.1, 0.3, 0.9), (0.0, 1.0), stats.triang(0.25, loc=0.1, scale=0.8)),
        ("triangular", (2.0, 2.0, 5.0), (0.0, 10.0), stats.triang(0.0, loc=2.0, scale=3.0)),
        ("triangular", (2.0, 5.0, 5.0), (0.0, 10.0), stats.triang(1.0, loc=2.0, scale=3.0)),
        ("beta", (2.0, 5.0), (0.0, 1.0), stats.beta(2.0, 5.0)),
        ("beta", (0.5, 0.5), (0.0, 1.0), stats.beta(0.5, 0.5)),
        ("normal", (0.3, 0.1), (0.0, 1.0), stats.truncnorm(-3.0, 7.0, loc=0.3, scale=0.1)),
        ("uniform", (0.2, 0.6), (0.0, 1.0), stats.uniform(0.2, 0.4)),
    ],
)
def test_quantiles_are_scipys(kind, parameters, bounds, scipys):
    np.testing.assert_allclose(quantile(kind, parameters, Q, bounds), scipys.ppf(Q), rtol=1e-12, atol=1e-12)


def test_the_triangular_quantile_by_hand():
    """Triangular(0, 1, 2): F(x) = x^2 / 2 up to the mode, so the 12.5th percentile is 0.5 and the 87.5th 1.5."""
    np.testing.assert_allclose(quantile("triangular", (0.0, 1.0, 2.0), np.array([0.125, 0.5, 0.875]), (0.0, 2.0)), [0.5, 1.0, 1.5])
