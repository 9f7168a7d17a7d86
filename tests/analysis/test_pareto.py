"""The frontier against brute-force enumeration, and its invariants."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import all_packages, brute_force_frontier, problems
from truce import Problem
from truce.analysis.pareto import nondominated, pareto_frontier


@settings(max_examples=150, deadline=None)
@given(problems(grid=None) | problems(grid=4))
def test_frontier_equals_brute_force(problem):
    every = all_packages(problem)
    utilities = problem.utilities(every)
    frontier = problem.pareto()
    assert {tuple(u) for u in np.round(frontier.utilities, 9)} == brute_force_frontier(utilities)
    # each returned package really has the returned utilities
    assert np.allclose(problem.utilities(frontier.packages), frontier.utilities)


@settings(max_examples=100, deadline=None)
@given(problems(grid=3))
def test_multiplicity_counts_every_package_reaching_the_point(problem):
    every = all_packages(problem)
    counts = Counter(tuple(u) for u in np.round(problem.utilities(every), 9))
    frontier = problem.pareto()
    for point, multiplicity in zip(np.round(frontier.utilities, 9), frontier.multiplicity):
        assert counts[tuple(point)] == multiplicity


@settings(max_examples=100, deadline=None)
@given(problems(grid=None), st.sampled_from([0.01, 0.05, 0.2]))
def test_every_dominated_package_has_a_dominator_within_epsilon(problem, epsilon):
    every_utility = problem.utilities(all_packages(problem))
    approximate = problem.pareto(epsilon=epsilon)
    assert approximate.multiplicity is None and not approximate.exact
    # every package is epsilon-covered by a returned point
    covered = (approximate.utilities[None, :, :] >= every_utility[:, None, :] - epsilon - 1e-12).all(axis=2).any(axis=1)
    assert covered.all()
    # returned points are mutually undominated
    assert len(nondominated(np.round(approximate.utilities, 12))) == len(approximate)


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10_000), st.integers(2, 5), st.integers(1, 400))
def test_nondominated_matches_pairwise_check(seed, dims, n):
    points = np.unique(np.round(np.random.default_rng(seed).random((n, dims)), 1), axis=0)
    kept = set(nondominated(points).tolist())
    for i, row in enumerate(points):
        dominated = ((points >= row).all(axis=1) & (points > row).any(axis=1)).any()
        assert (i in kept) == (not dominated)


@settings(max_examples=80, deadline=None)
@given(problems(max_parties=5, max_issues=5, max_options=4, grid=2) | problems(max_parties=5, max_issues=4, max_options=5))
def test_many_party_frontier_and_counts_equal_brute_force(problem):
    """3 to 5 parties, with coarse values (ties and packages of equal utility vectors are common)."""
    utilities = np.round(problem.utilities(all_packages(problem)), 9)
    frontier = problem.pareto()
    points = [tuple(u) for u in np.round(frontier.utilities, 9)]
    assert len(set(points)) == len(points)
    assert set(points) == brute_force_frontier(utilities)
    counts = Counter(tuple(u) for u in utilities)
    assert [counts[point] for point in points] == frontier.multiplicity.tolist()


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.integers(3, 6), st.integers(1, 3000), st.sampled_from([1, 2, 3]))
def test_nondominated_keeps_every_copy_of_an_undominated_row(seed, dims, n, decimals):
    """Rows may repeat (the 3+ party merge queries before merging equal rows); large sets split the tree deep."""
    rng = np.random.default_rng(seed)
    points = np.round(rng.random((n, dims)), decimals)
    points = np.concatenate([points, points[rng.integers(0, n, n // 3)]])
    kept = nondominated(points)
    assert np.all(np.diff(kept) > 0)
    expected = [
        i for i, row in enumerate(points) if not ((points >= row).all(axis=1) & (points > row).any(axis=1)).any()
    ]
    assert kept.tolist() == expected


def test_nondominated_on_identical_rows_and_one_coordinate_ties():
    """Every row equal: all kept. One row better in one coordinate only: only it is kept."""
    same = np.ones((40, 4))
    assert nondominated(same).tolist() == list(range(40))
    better = same.copy()
    better[17, 2] = 1.5
    assert nondominated(better).tolist() == [17]


def test_hand_worked_two_issue_trade():
    """Two ordered issues of three options with saliences 0.8/0.2 and 0.2/0.8 (see docs/tutorial.md).

    North's utility is 0.8 c + 0.2 (1 - p) and South's 0.2 (1 - c) + 0.8 p with c, p in {0, 0.5, 1}.
    The efficient packages give North the crossings first: (1, 0), (0.9, 0.4), (0.8, 0.8), (0.4, 0.9), (0, 1).
    """
    import truce

    frontier = truce.load("two-issue-trade").compile().pareto()
    expected = [(1.0, 0.0), (0.9, 0.4), (0.8, 0.8), (0.4, 0.9), (0.0, 1.0)]
    assert np.allclose(frontier.utilities, expected)
    assert frontier.packages.tolist() == [[2, 0], [2, 1], [2, 2], [1, 2], [0, 2]]


def test_single_divisible_issue_is_all_efficient():
    """With one issue on which the parties' values are opposed, every option is efficient."""
    grid = np.linspace(0, 1, 101)
    problem = Problem.from_arrays([np.stack([grid, 1 - grid], axis=1)], np.ones((2, 1)))
    assert len(problem.pareto()) == 101


def test_large_space_is_not_enumerated():
    """30 issues x 10 options = 1e30 packages: the merge keeps the frontier small."""
    rng = np.random.default_rng(1)
    values = [np.stack([v := rng.random(10), 1 - v], axis=1) for _ in range(30)]
    problem = Problem.from_arrays(values, np.full((2, 30), 1 / 30))
    frontier = problem.pareto(epsilon=0.01)
    assert problem.n_outcomes == 10**30
    assert 10 < len(frontier) < 5_000


def test_bad_epsilon_is_refused():
    with pytest.raises(ValueError, match="epsilon"):
        pareto_frontier([np.ones((2, 2))], epsilon=0)
