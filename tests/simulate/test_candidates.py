"""The candidate pool (issue 12, speed): the frontiers of two parties found all at once, the pool kept
by content, and its distinct rows through one integer each, against the plain computations they
replace (one frontier per run with :func:`pareto_frontier`, ``np.unique(axis=0)``)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_engine_equivalence import random_problem

from truce.analysis.pareto import frontiers_of_two, pareto_frontier
from truce.analysis.red_lines import frontier_within
from truce.limits import LimitError, Limits
from truce.scenario import load
from truce.simulate import candidates
from truce.simulate.candidates import FRONTIER_SAMPLES, candidate_pool, forget_pools, unique_packages


def plain_pool(problem, samples):
    """The pool as it was computed before the cache and the batched frontiers: one frontier per sampled run."""
    epsilon = None if problem.n_parties == 2 else 0.02
    frontiers = [frontier_within(problem.weighted_values, problem.ruled_out, epsilon)[0]]
    picks = np.unique(np.linspace(0, len(samples) - 1, min(FRONTIER_SAMPLES, len(samples))).astype(int))
    for run in picks:
        weights, values = problem.realise(samples, run, run + 1)
        frontiers.append(frontier_within([v[0] * weights[0, :, j] for j, v in enumerate(values)], problem.ruled_out, epsilon)[0])
    return np.unique(np.concatenate(frontiers), axis=0)


def tie_heavy_tables(draw_seed: int, problems: int, options: list[int], levels: int) -> list[np.ndarray]:
    """Per issue, (problems, k, 2) tables on a coarse grid, so that many packages tie."""
    rng = np.random.default_rng(draw_seed)
    return [np.round(rng.random((problems, k, 2)) * levels) / levels * rng.uniform(0.2, 1.0) for k in options]


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    problems=st.integers(1, 6),
    options=st.lists(st.integers(1, 6), min_size=1, max_size=5),
    levels=st.sampled_from([1, 2, 3, 10, 10**6]),
)
def test_the_frontiers_of_two_are_each_problems_own_frontier(seed, problems, options, levels):
    """Every problem's packages are exactly those pareto_frontier keeps for it alone (the same
    representative of each tied utility vector, hence the same pool), ties or none."""
    tables = tie_heavy_tables(seed, problems, options, levels)
    packages, problem = frontiers_of_two(tables)
    for b in range(problems):
        alone = pareto_frontier([table[b] for table in tables])[0]
        mine = packages[problem == b]
        assert len(mine) == len(alone)
        assert np.array_equal(np.unique(mine, axis=0), np.unique(alone, axis=0))


def test_the_frontiers_of_two_keep_the_frontier_cap():
    tables = tie_heavy_tables(0, 3, [10, 10, 10], 10)
    with pytest.raises(LimitError):
        frontiers_of_two(tables, Limits.from_env({"TRUCE_MAX_OUTCOMES_BY_PARTIES": "2=999"}))


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10_000), options=st.lists(st.integers(1, 7), min_size=1, max_size=6), rows=st.integers(0, 400))
def test_unique_packages_are_numpys_unique_rows(seed, options, rows):
    rng = np.random.default_rng(seed)
    counts = np.array(options)
    packages = rng.integers(0, 1000, (rows, len(options))) % counts
    assert np.array_equal(unique_packages(packages, counts), np.unique(packages, axis=0))


@pytest.mark.parametrize("name", ["gaza-ceasefire", "gaza-2025-01"])
def test_the_pool_is_the_plain_union_of_frontiers_first_and_kept(name):
    problem = load(name).compile()
    samples = problem.sample(500, np.random.default_rng(4))
    forget_pools()
    first = candidate_pool(problem, samples)
    kept = candidate_pool(problem, samples)
    expected = plain_pool(problem, samples)
    assert np.array_equal(first, expected) and np.array_equal(kept, expected)
    kept[0] = -1  # a caller's copy: the kept pool does not change
    assert np.array_equal(candidate_pool(problem, samples), expected)


def test_three_parties_pool_as_before():
    problem = random_problem(3, 5, seed=2, uncertain=True)
    samples = problem.sample(100, np.random.default_rng(0))
    forget_pools()
    assert problem.n_outcomes > candidates.ENUMERATE_UP_TO
    assert np.array_equal(candidate_pool(problem, samples), plain_pool(problem, samples))


def test_the_levers_variants_share_the_pool_and_a_changed_preference_does_not(monkeypatch):
    """Levers change payoffs and trust, not preferences: every variant finds the kept pool. A changed
    salience is another key: the pool is computed again, and is that problem's own plain pool."""
    problem = load("gaza-ceasefire").compile()
    samples = problem.sample(300, np.random.default_rng(1))
    forget_pools()
    pool = candidate_pool(problem, samples)
    computed = []
    real = candidates.frontier_union
    monkeypatch.setattr(candidates, "frontier_union", lambda *args: computed.append(1) or real(*args))
    for active in ([True] * problem.n_levers, [False] * problem.n_levers):
        variant = problem.with_levers(np.array(active))
        assert np.array_equal(candidate_pool(variant, variant.sample(300, np.random.default_rng(1))), pool)
    assert not computed
    changed_samples = replace(samples, salience=samples.salience.copy())
    changed_samples.salience[:, 0, 4] *= 3.0  # party 0 cares three times as much about issue 4 in every run
    changed = candidate_pool(problem, changed_samples)
    assert computed == [1]
    assert np.array_equal(changed, plain_pool(problem, changed_samples))
    assert not np.array_equal(changed, pool)
    nominal = replace(problem, values=tuple(v[::-1].copy() if j == 0 else v for j, v in enumerate(problem.values)))
    assert np.array_equal(candidate_pool(nominal, samples), plain_pool(nominal, samples))
    assert computed == [1, 1]
