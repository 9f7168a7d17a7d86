"""Sampling the uncertain inputs of a compiled problem."""

from __future__ import annotations

import numpy as np

from truce import load
from truce.problem import combined_trust
from truce.scenario import validate

SCENARIO = {
    "name": "uncertain",
    "actors": [
        {
            "id": "a",
            "name": "A",
            "reservation": {"uniform": [0.1, 0.3]},
            "trust": 0.5,
            "stances": {"n": {"position": {"triangular": [100, 200, 400]}, "salience": {"beta": [2, 2]}}},
        },
        {"id": "b", "name": "B", "trust": 0.2, "stances": {"n": {"position": 0, "salience": 1}}},
        {"id": "m", "name": "M", "role": "mediator"},
    ],
    "issues": [{"id": "n", "name": "N", "kind": "numeric", "range": [0, 400], "step": 100}],
    "levers": [
        {"id": "g", "by": "m", "kind": "guarantee", "trust_gain": 0.5},
        {"id": "w", "by": "m", "kind": "monitoring", "parties": ["b"], "trust_gain": {"uniform": [0.2, 0.4]}},
        {"id": "x", "by": "m", "kind": "monitoring", "trust_gain": 0.9, "active": False},
    ],
}


def test_trust_after_levers():
    """A: 1 - 0.5 * (1 - 0.5) = 0.75. B: 1 - 0.8 * 0.5 * (1 - 0.3) = 0.72 (nominal gain of w is 0.3); x is inactive."""
    problem = validate(SCENARIO).compile()
    assert np.allclose(problem.effective_trust, [0.75, 0.72])
    assert np.allclose(combined_trust(np.array([0.0]), np.array([0.5, 0.5]), np.ones((2, 1), dtype=bool)), [0.75])


def test_samples_follow_their_distributions_and_stay_in_range():
    problem = validate(SCENARIO).compile()
    samples = problem.sample(20_000, np.random.default_rng(0))
    assert abs(samples.reservation[:, 0].mean() - 0.2) < 0.005
    assert (samples.reservation[:, 1] == 0).all()
    assert abs(samples.position[:, 0, 0].mean() - 700 / 3) < 3
    assert ((samples.trust[:, 1] > 1 - 0.8 * 0.5 * 0.8 - 1e-12) & (samples.trust[:, 1] < 1 - 0.8 * 0.5 * 0.6 + 1e-12)).all()
    weights, values = problem.realise(samples, 0, 10)
    # A's linear values are recomputed per run around its sampled position
    expected = np.clip(1 - np.abs(np.arange(0, 401, 100)[None, :] - samples.position[:10, 0, 0][:, None]) / 400, 0, 1)
    assert np.allclose(values[0][:, :, 0], expected)
    assert np.allclose(weights.sum(axis=2), 1)


def test_same_seed_same_samples_and_nominal_without_draws():
    problem = load("gaza-ceasefire").compile()
    a = problem.sample(100, np.random.default_rng(5))
    b = problem.sample(100, np.random.default_rng(5))
    assert np.array_equal(a.salience, b.salience) and np.array_equal(a.trust, b.trust)
    nominal = problem.nominal_samples(3)
    assert np.allclose(nominal.reservation, problem.reservation) and np.allclose(nominal.trust, problem.effective_trust)
