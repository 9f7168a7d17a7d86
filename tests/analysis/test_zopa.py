"""Counting the zone of possible agreement without enumeration."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings

from conftest import all_packages, problems
from truce import Problem, load
from truce.analysis.solutions import GAIN_TOLERANCE
from truce.analysis.zopa import count_acceptable, wilson_interval


@settings(max_examples=150, deadline=None)
@given(problems(grid=None) | problems(grid=4))
def test_count_equals_brute_force(problem):
    gains = problem.utilities(all_packages(problem)) - problem.reservation
    expected = int((gains > GAIN_TOLERANCE).all(axis=1).sum())
    zopa = problem.zopa()
    assert zopa.exact and zopa.count == expected
    assert zopa.exists == (expected > 0)


@settings(max_examples=60, deadline=None)
@given(problems(grid=None))
def test_ranges_bound_every_acceptable_package(problem):
    utilities = problem.utilities(all_packages(problem))
    inside = utilities[((utilities - problem.reservation) > GAIN_TOLERANCE).all(axis=1)]
    zopa = problem.zopa()
    if len(inside):
        assert np.allclose(zopa.frontier_high, inside.max(axis=0))
        assert (zopa.frontier_low >= inside.min(axis=0) - 1e-12).all()
    else:
        assert np.isnan(zopa.frontier_high).all()


def test_teaching_cases_by_hand():
    """two-issue-trade: (open, full), (open, limited), (partly open, full), (partly open, limited) = 4.
    three-party-truce: five of nine packages beat no deal for all three (docs/tutorial.md)."""
    assert load("two-issue-trade").compile().zopa().count == 4
    assert load("three-party-truce").compile().zopa().count == 5


def test_estimate_covers_the_exact_count_when_states_run_out():
    rng = np.random.default_rng(3)
    values = [rng.random((6, 2)) for _ in range(6)]
    problem = Problem.from_arrays(values, np.full((2, 6), 1 / 6), [0.45, 0.45])
    exact, is_exact, _ = count_acceptable(problem.weighted_values, problem.reservation)
    estimate, estimated_exactly, (low, high) = count_acceptable(
        problem.weighted_values, problem.reservation, max_states=50, seed=1
    )
    assert is_exact and not estimated_exactly
    assert low <= exact <= high
    assert exact == int(((problem.utilities(all_packages(problem)) - 0.45) > GAIN_TOLERANCE).all(axis=1).sum())


def test_wilson_interval_matches_a_published_value():
    """Wilson's interval for 81 successes in 263 trials is (0.2553, 0.3662) (Newcombe 1998, Table I)."""
    low, high = wilson_interval(81, 263)
    assert abs(low - 0.2553) < 5e-4 and abs(high - 0.3662) < 5e-4
