"""The fast engine plays exactly the runs main's engine played (issue 12): same agreement,
round and package per run for a given seed, checked against the engine kept in
``reference_engine.py`` and, for the menu, against a brute-force offer per run."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reference_engine import reference_simulate

from truce.problem import Problem
from truce.problem_samples import UncertainInput
from truce.scenario import load
from truce.simulate import simulate
from truce.simulate.arena import TOLERANCE, Menu
from truce.simulate.pruning import dominated_options, offer_candidates


def same_runs(problem: Problem, **options):
    """Both engines, numpy's and the compiled loop (where it plays the strategies), play the reference's runs."""
    slow = reference_simulate(problem, **options)
    for engine in ("numpy", "compiled"):
        fast = simulate(problem, engine=engine, **options)
        np.testing.assert_array_equal(fast.agreed, slow.agreed)
        np.testing.assert_array_equal(fast.rounds, slow.rounds)
        np.testing.assert_array_equal(fast.packages, slow.packages)
        np.testing.assert_array_equal(fast.walked_away, slow.walked_away)
        np.testing.assert_array_equal(fast.broke_down, slow.broke_down)
    return fast


def random_problem(parties: int, issues: int, seed: int = 0, uncertain: bool = False) -> Problem:
    """The benchmark's problems: U(0, 1) values rescaled per party and issue, flat Dirichlet weights."""
    rng = np.random.default_rng([seed, parties, issues])
    values = []
    for _ in range(issues):
        raw = rng.random((10, parties))
        values.append((raw - raw.min(axis=0)) / (raw.max(axis=0) - raw.min(axis=0)))
    weights = rng.dirichlet(np.ones(issues), size=parties)
    problem = Problem.from_arrays(values, weights, np.zeros(parties))
    if uncertain:
        problem = with_uncertain_saliences(problem)
    return problem


def with_uncertain_saliences(problem: Problem, low: float = 0.5, high: float = 1.5) -> Problem:
    weights = problem.weights
    items = tuple(
        UncertainInput("salience", (p, j), "uniform", (low * weights[p, j], high * weights[p, j]), (0.0, 10.0))
        for p in range(problem.n_parties)
        for j in range(problem.n_issues)
    )
    return replace(problem, salience=weights.copy(), uncertain=items)


STRATEGIES = ["cost-based", "boulware", "conceder", "tit-for-tat", "boulware:offer=target", "hardliner"]


@pytest.mark.parametrize("name", ["two-issue-trade", "three-party-truce", "gaza-2012-11", "gaza-2014-07"])
@pytest.mark.parametrize("strategy", STRATEGIES)
def test_builtin_scenarios_play_the_same_runs(name, strategy):
    same_runs(Problem.from_scenario(load(name)), strategies=strategy, runs=200, seed=3)


@pytest.mark.parametrize("noise", [0.0, 0.1, 0.4])
@pytest.mark.parametrize("case", [(2, 3, False), (2, 3, True), (5, 3, True), (3, 4, False)])
def test_random_problems_play_the_same_runs(case, noise):
    problem = random_problem(*case)
    for strategy in ("boulware", "cost-based"):
        result = same_runs(problem, strategies=strategy, runs=300, seed=1, rounds=100, noise=noise, chunk_size=128)
        assert strategy == "cost-based" or result.agreed.mean() > 0.5  # a case where offers matter (cost-based without costs holds firm)


def test_other_protocols_and_options_play_the_same_runs():
    problem = Problem.from_scenario(load("gaza-2014-07"))
    same_runs(problem, strategies="spe", runs=100, seed=2)
    same_runs(problem, protocol="single-text", runs=100, seed=2)
    mixed = dict(zip(problem.party_ids, ["boulware", "linear"]))
    same_runs(problem, strategies=mixed, runs=100, seed=2, first_proposer="alternate")


def brute_force_offer(own: np.ndarray, estimate: np.ndarray, target: float) -> int:
    """Among candidates worth >= target - TOLERANCE to the proposer: the largest estimate, then the
    largest own utility, then the first in the pool; the proposer's first best when none reaches."""
    reaching = [m for m in range(len(own)) if own[m] >= target - TOLERANCE]
    if not reaching:
        return int(np.argmax(own))
    return min(reaching, key=lambda m: (-estimate[m], -own[m], m))


# option values drawn from a small set, so that ties are frequent
value_tables = st.integers(2, 4).flatmap(
    lambda k: st.lists(st.lists(st.sampled_from([0.0, 0.25, 0.5, 1.0]), min_size=2, max_size=2), min_size=k, max_size=k)
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    tables=st.lists(value_tables, min_size=1, max_size=3),
    raw_weights=st.lists(st.lists(st.sampled_from([0.0, 0.3, 1.0]), min_size=3, max_size=3), min_size=2, max_size=2),
    noise_seed=st.integers(0, 2**16),
    targets=st.lists(st.floats(-0.1, 1.1), min_size=1, max_size=8),
)
def test_pruned_menu_offers_what_a_brute_force_proposer_offers(tables, raw_weights, noise_seed, targets):
    """Random small problems with tied values and zero weights: every offer of the pruned menu,
    for every target, is the brute-force best-for-the-others offer over the whole pool."""
    issues = len(tables)
    values = tuple(np.array(t)[None] for t in tables)  # (1, k, 2)
    weights = np.array(raw_weights)[:, :issues]
    weights = np.where(weights.sum(axis=1, keepdims=True) > 0, weights, 1.0)
    weights = weights / weights.sum(axis=1, keepdims=True)
    pool = np.indices([t.shape[1] for t in values]).reshape(issues, -1).T
    stacked = np.stack([table[0, pool[:, j], :] for j, table in enumerate(values)], axis=1)  # (M, I, P)
    rng = np.random.default_rng(noise_seed)
    candidates = offer_candidates(pool, values, weights[None])
    for proposer in (0, 1):
        other = 1 - proposer
        own = stacked[:, :, proposer] @ weights[proposer]
        guessed = weights[other] * np.exp(0.1 * rng.standard_normal(issues))
        estimate = stacked[:, :, other] @ (guessed / guessed.sum())
        menu = Menu.build(own[None], estimate[None], candidates)
        offers = menu.offer(np.array(targets))
        assert [int(o) for o in offers] == [brute_force_offer(own, estimate, t) for t in targets]


def test_dominated_options_by_hand():
    """Options worth (1, 0), (0.5, 0.4), (0.5, 0.5), (0.5, 0.5) to two parties: the second is beaten by the
    third (as good for A, better for B), the fourth is the third's twin and comes later."""
    table = np.array([[1.0, 0.0], [0.5, 0.4], [0.5, 0.5], [0.5, 0.5]])
    assert dominated_options(table, np.array([0.5, 0.5])).tolist() == [False, True, False, True]
    # B puts no weight on the issue: the third no longer beats the second (the sums tie and the second
    # comes first), and the second is not worth as much to B in its values: both stay
    assert dominated_options(table, np.array([0.5, 0.0])).tolist() == [False, False, False, True]


def test_only_the_whole_space_in_order_is_pruned():
    problem = random_problem(2, 3)
    pool = np.indices(tuple(problem.n_options)).reshape(3, -1).T
    weights = problem.weights[None]
    kept = offer_candidates(pool, tuple(v[None] for v in problem.values), weights)
    assert kept is not None and 0 < len(kept) < len(pool) // 4
    assert offer_candidates(pool[::-1], tuple(v[None] for v in problem.values), weights) is None
    assert offer_candidates(pool[:-1], tuple(v[None] for v in problem.values), weights) is None


def test_twin_options_resolve_to_the_first_in_the_pool():
    """In gaza-2014-07 every party values the exchange's 'deferred' exactly as '26-50 per captive':
    the proposer's menu takes the first of equal packages, so no deal defers the exchange."""
    problem = Problem.from_scenario(load("gaza-2014-07"))
    exchange = problem.issue_ids.index("exchange")
    np.testing.assert_array_equal(problem.values[exchange][2], problem.values[exchange][5])
    result = simulate(problem, strategies="cost-based", runs=500, seed=5)
    agreed = result.packages[result.agreed]
    assert len(agreed) > 100 and (agreed[:, exchange] == 2).any() and not (agreed[:, exchange] == 5).any()
