"""The compiled engine (issue 12): its lazy menu against a brute-force proposer, the runs it plays
against numpy's engine and the reference where floors move (discounting, uncertain discounts,
breakdown risk), and what it leaves to numpy."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import ClassVar

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_engine_equivalence import random_problem, same_runs

from truce.errors import InputError
from truce.problem import Problem
from truce.problem_samples import UncertainInput
from truce.scenario import load
from truce.simulate import compiled, kernel, kernel_product, simulate
from truce.simulate.strategies import Boulware, make


def brute_force(own, estimate, candidates, threshold, rule):
    """Among candidates worth >= threshold: for "others" the largest estimate, then the largest own
    utility, then the first in the pool; for "target" the least own utility, then the last in the pool;
    the first best of the whole pool when none reaches."""
    reaching = [m for m in candidates if own[m] >= threshold]
    if not reaching:
        return int(np.argmax(own))
    if rule == kernel.OTHERS:
        return min(reaching, key=lambda m: (-estimate[m], -own[m], m))
    return min(reaching, key=lambda m: (own[m], -m))


def menu_offers(own, estimate, candidates, thresholds, rule, binned):
    """The kernel's menu of one proposer (party 0 of a one-issue pool whose option m is candidate m)
    answering the thresholds in turn."""
    width = len(own)
    utility = np.ascontiguousarray(own[:, None])
    pool = np.arange(width, dtype=np.int64)[:, None]
    guessed_values = np.ascontiguousarray(estimate[None, None, :])  # the estimate of candidate m: 0 + estimate[m]
    slots = np.zeros((1, width), dtype=np.int64)
    starts = np.zeros((1, width + 1), dtype=np.int64)
    fill = np.zeros((1, width + 1), dtype=np.int64)
    orders = np.zeros((1, width), dtype=np.int64)
    integers = np.array([[0, -1, 0]], dtype=np.int64)
    floats = np.array([[np.inf, 0.0, 0.0]])
    shown, shown_utility, shown_estimate = np.zeros((1, width), dtype=np.int64), np.zeros((1, width)), np.zeros((1, width))
    top = np.array([int(np.argmax(own))], dtype=np.int64)
    if binned:
        bins = max(1, len(candidates) // kernel.BUCKET_SIZE)
        integers[0, kernel.LEVEL] = kernel._fill_bins(0, utility, candidates, own.min(), own.max(), bins, slots, starts, fill, np.zeros(width, dtype=np.int64))
    else:
        orders[0, : len(candidates)] = candidates[np.argsort(-own[candidates], kind="stable")]
    return [
        int(
            kernel._offer(
                float(threshold), rule, 0, len(candidates), not binned, orders, slots, starts, fill,
                shown, shown_utility, shown_estimate, integers, floats, top, utility, False, guessed_values, pool,
            )
        )  # fmt: skip
        for threshold in thresholds
    ]


levels = st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.5, 0.75, 1.0])  # few distinct values: ties are frequent


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    own=st.lists(levels, min_size=1, max_size=40),
    data=st.data(),
    rule=st.sampled_from([kernel.OTHERS, kernel.TARGET]),
    binned=st.booleans(),
)
def test_lazy_menu_offers_what_a_brute_force_proposer_offers(own, data, rule, binned):
    """Every threshold of a sequence that falls, repeats and rises again gets the brute-force offer."""
    own = np.array(own)
    width = len(own)
    estimate = np.array(data.draw(st.lists(levels, min_size=width, max_size=width)))
    keep = data.draw(st.lists(st.booleans(), min_size=width, max_size=width))
    candidates = np.flatnonzero(keep).astype(np.int64) if any(keep) else np.arange(width, dtype=np.int64)
    thresholds = data.draw(st.lists(st.sampled_from([-0.1, 0.0, 0.05, 0.1, 0.3, 0.5, 0.75, 0.9, 1.0, 1.1]), min_size=1, max_size=10))
    expected = [brute_force(own, estimate, candidates, t, rule) for t in thresholds]
    assert menu_offers(own, estimate, candidates, thresholds, rule, binned) == expected


def with_moving_floors(problem: Problem, uncertain_discount: bool) -> Problem:
    """Discounting (each party's floor moves every round) with a breakdown risk, optionally drawn per run."""
    parties = problem.n_parties
    changed = replace(problem, discount=np.linspace(0.97, 0.9, parties), breakdown_risk=0.02, breakdown_growth=0.001)
    if not uncertain_discount:
        return changed
    items = tuple(UncertainInput("discount", (p,), "uniform", (0.85, 0.99), (0.0, 1.0)) for p in range(parties))
    return replace(changed, uncertain=problem.uncertain + items)


@pytest.mark.parametrize("uncertain_discount", [False, True])
@pytest.mark.parametrize("strategy", ["cost-based", "tit-for-tat", "boulware:offer=target", "conceder"])
def test_moving_floors_play_the_same_runs(strategy, uncertain_discount):
    problem = with_moving_floors(Problem.from_scenario(load("two-issue-trade")), uncertain_discount)
    result = same_runs(problem, strategies=strategy, runs=200, seed=4, chunk_size=64)
    assert result.broke_down.any() or result.agreed.any()


def test_mixed_strategies_and_uncertain_saliences_play_the_same_runs():
    problem = with_moving_floors(random_problem(3, 3, seed=2, uncertain=True), uncertain_discount=True)
    mixed = dict(zip(problem.party_ids, ["tit-for-tat", "cost-based:scale=3", "linear:offer=target"]))
    same_runs(problem, strategies=mixed, runs=150, seed=5, rounds=40)


@dataclass
class Stubborn(Boulware):
    """A user's subclass: the compiled engine cannot know what it changes, so numpy plays it."""

    name: ClassVar[str] = "stubborn"

    def target(self, context, party):
        return np.maximum(super().target(context, party), 0.8 * context.best[:, party])


def test_what_the_kernel_cannot_express_is_played_by_numpy():
    assert compiled.expressible([make("boulware"), make("cost-based"), make("tit-for-tat"), make("hardliner")])
    assert not compiled.expressible([make("spe"), make("boulware")])
    assert not compiled.expressible([Stubborn(), make("boulware")])
    problem = Problem.from_scenario(load("two-issue-trade"))
    for strategies in ("spe", Stubborn()):
        fast = simulate(problem, strategies=strategies, runs=50, seed=1, engine="compiled")
        slow = simulate(problem, strategies=strategies, runs=50, seed=1, engine="numpy")
        np.testing.assert_array_equal(fast.packages, slow.packages)
        np.testing.assert_array_equal(fast.rounds, slow.rounds)


def test_an_unknown_engine_is_refused():
    with pytest.raises(InputError, match="unknown engine 'fast'; expected auto, compiled or numpy"):
        simulate(Problem.from_scenario(load("two-issue-trade")), runs=10, engine="fast")


def test_a_product_pool_is_summed_as_every_candidate_is():
    """A pool that is the product of per-issue option lists in order (a pruned whole space) is recognised,
    and its incremental sums are those of the candidate-by-candidate sums, bit for bit."""
    lists = [np.array([0, 2, 3]), np.array([1]), np.array([0, 4]), np.array([1, 2, 5])]
    pool = np.stack(np.meshgrid(*lists, indexing="ij"), axis=-1).reshape(-1, len(lists))
    options, counts = compiled.product_lists(pool)
    assert counts.tolist() == [3, 1, 2, 3] and options[0, :3].tolist() == [0, 2, 3]
    for changed in (pool[::-1], pool[:-1], np.concatenate([pool, pool[:1]])):
        assert len(compiled.product_lists(np.ascontiguousarray(changed))[1]) == 0
    weighted = np.random.default_rng(3).random((len(lists), 6, 3)) / 3
    sums = []
    for option_lists, option_counts in ((options, counts), (np.zeros((0, 0), dtype=np.int64), np.zeros(0, dtype=np.int64))):
        utility, best, top, lowest = np.empty((len(pool), 3)), np.empty(3), np.empty(3, dtype=np.int64), np.empty(3)
        kernel._utilities(weighted, pool, option_lists, option_counts, utility, best, top, lowest)
        sums.append(utility)
        np.testing.assert_array_equal(best, utility.max(axis=0))
        np.testing.assert_array_equal(top, utility.argmax(axis=0))
    np.testing.assert_array_equal(sums[0], sums[1])
    by_hand = np.zeros((len(pool), 3))
    for j in range(len(lists)):
        by_hand = by_hand + weighted[j, pool[:, j]]
    np.testing.assert_array_equal(sums[1], by_hand)  # from 0, issue by issue, as run_utilities sums


def product_menu_offers(weighted, guessed_values, options, counts, proposer, rule, exact, thresholds):
    """The kernel's product menu (:mod:`truce.simulate.kernel_product`) of one proposer answering the
    thresholds in turn, with the first best of the pool when no candidate reaches, and the loop's shortcut
    for a threshold above every candidate not yet revealed (``FLOAT_CEILING``)."""
    issues, parties = len(counts), weighted.shape[2]
    pool = np.stack(np.meshgrid(*[options[j, : counts[j]] for j in range(issues)], indexing="ij"), axis=-1).reshape(-1, issues)
    width, digits = len(pool), options.shape[1]
    digit_value, digit_estimate = np.zeros((parties, issues, digits)), np.zeros((parties, issues, digits))
    order, kept = np.zeros((parties, issues, digits), dtype=np.int64), np.zeros((parties, issues), dtype=np.int64)
    pointer = np.zeros((parties, width), dtype=np.int64)
    steps, sums = np.zeros((2, issues + 1), dtype=np.int64), np.zeros((2, issues + 1))
    shown, shown_utility, shown_estimate = np.zeros((parties, width), dtype=np.int64), np.zeros((parties, width)), np.zeros((parties, width))
    integers = np.tile(np.array([0, -1, 0], dtype=np.int64), (parties, 1))
    floats = np.tile(np.array([np.inf, 0.0, 0.0, np.inf]), (parties, 1))
    best = np.zeros(parties)
    kernel_product.product_best(weighted, options, counts, best)
    kernel_product.product_prepare(proposer, rule, weighted, options, counts, exact, guessed_values, digit_value, digit_estimate, order, kept, pointer)
    offers = []
    for threshold in thresholds:
        applied, ceiling = floats[proposer, kernel.FLOAT_APPLIED], floats[proposer, kernel.FLOAT_CEILING]
        if integers[proposer, kernel.COUNT] > 0 and threshold < applied and not ceiling >= threshold:
            # the loop's shortcut: no unrevealed candidate reaches the threshold, the choice stands
            floats[proposer, kernel.FLOAT_APPLIED] = threshold
            offers.append(int(integers[proposer, kernel.CHOICE]))
            continue
        offer = kernel_product.product_offer(
            float(threshold), rule, proposer, weighted, pool, counts, exact, digit_value, digit_estimate, order, kept, pointer,
            steps, sums, shown, shown_utility, shown_estimate, integers, floats,
        )  # fmt: skip
        offers.append(int(offer) if offer >= 0 else int(kernel_product.first_best(weighted, pool, proposer, best[proposer])))
    return pool, best, offers


weighted_levels = st.sampled_from([0.0, 0.075, 0.1, 0.25, 0.3, 0.3, 0.7, 1.0])  # few values, some inexact sums: ties and rounding


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    counts=st.lists(st.integers(1, 4), min_size=1, max_size=3),
    parties=st.integers(2, 3),
    data=st.data(),
    rule=st.sampled_from([kernel.OTHERS, kernel.TARGET]),
    exact=st.booleans(),
)
def test_product_menu_offers_what_a_brute_force_proposer_offers(counts, parties, data, rule, exact):
    """A pool that is a product of option lists (some options of each issue left out), tied and inexact
    weighted values: every threshold of a sequence that falls, repeats and rises again gets the offer of a
    brute-force proposer over every candidate, utilities and estimates summed from 0 issue by issue."""
    issues, most = len(counts), 5
    weighted = np.array(data.draw(st.lists(weighted_levels, min_size=issues * most * parties, max_size=issues * most * parties))).reshape(issues, most, parties)
    guessed_values = np.array(data.draw(st.lists(weighted_levels, min_size=parties * issues * most, max_size=parties * issues * most))).reshape(parties, issues, most)
    options = np.zeros((issues, 4), dtype=np.int64)
    for j, count in enumerate(counts):
        options[j, :count] = np.sort(data.draw(st.permutations(range(most)))[:count])
    counts = np.array(counts, dtype=np.int64)
    proposer = data.draw(st.integers(0, parties - 1))
    thresholds = data.draw(st.lists(st.sampled_from([-0.1, 0.0, 0.1, 0.3, 0.4, 0.55, 0.7, 1.0, 1.4, 2.0, 3.5]), min_size=1, max_size=10))
    pool, best, offers = product_menu_offers(weighted, guessed_values, options, counts, proposer, rule, exact, thresholds)
    utility = np.zeros((len(pool), parties))
    estimate = np.zeros(len(pool))
    for j in range(issues):  # from 0, issue by issue
        utility = utility + weighted[j, pool[:, j]]
        estimate = estimate + guessed_values[proposer, j, pool[:, j]]
    if exact:
        estimate = np.zeros(len(pool))
        for q in range(parties):
            estimate = estimate + utility[:, q]
        estimate = estimate - utility[:, proposer]
    np.testing.assert_array_equal(best, utility.max(axis=0))
    own = utility[:, proposer]
    assert offers == [brute_force(own, estimate, range(len(pool)), t, rule) for t in thresholds]
