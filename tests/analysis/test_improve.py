"""Pareto improvements over a draft: the issue-change search and the frontier against brute force."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import truce
from truce.analysis.improve import concept_score, improve, small_improvements
from truce.analysis.solutions import GAIN_TOLERANCE
from truce.problem import Problem


@st.composite
def problems(draw):
    n_parties = draw(st.integers(2, 3))
    n_issues = draw(st.integers(1, 4))
    values = [
        np.array(draw(st.lists(st.lists(st.integers(0, 4), min_size=n_parties, max_size=n_parties), min_size=2, max_size=4))) / 4
        for _ in range(n_issues)
    ]
    weights = np.array(draw(st.lists(st.lists(st.integers(1, 5), min_size=n_issues, max_size=n_issues), min_size=n_parties, max_size=n_parties)), dtype=float)
    weights /= weights.sum(axis=1, keepdims=True)
    reservation = np.array(draw(st.lists(st.integers(0, 4), min_size=n_parties, max_size=n_parties))) / 8
    problem = Problem.from_arrays(values, weights, reservation)
    draft = np.array([draw(st.integers(0, len(v) - 1)) for v in values])
    return problem, draft


def brute_force(problem, draft):
    everything = np.array(list(itertools.product(*[range(k) for k in problem.n_options])))
    utilities = problem.utilities(everything)
    difference = utilities - problem.utilities(draft)[0]
    better = (difference >= -GAIN_TOLERANCE).all(axis=1) & (difference > GAIN_TOLERANCE).any(axis=1)
    return everything[better], utilities[better]


@settings(max_examples=120, deadline=None)
@given(problems(), st.integers(1, 3))
def test_small_changes_are_exactly_the_improvements_within_k_issues(case, k):
    problem, draft = case
    found, deltas = small_improvements(problem.weighted_values, draft, k)
    packages, utilities = brute_force(problem, draft)
    within = (packages != draft).sum(axis=1) <= k
    assert sorted(map(tuple, found.tolist())) == sorted(map(tuple, packages[within].tolist()))
    np.testing.assert_allclose(deltas, problem.utilities(found) - problem.utilities(draft)[0], atol=1e-12)


@settings(max_examples=120, deadline=None)
@given(problems())
def test_efficient_improvements_are_the_undominated_improvements_and_hold_the_best_score(case):
    problem, draft = case
    result = improve(problem, draft, max_changes=problem.n_issues)
    packages, utilities = brute_force(problem, draft)
    undominated = {
        tuple(np.round(u, 9))
        for u in utilities
        if not ((utilities >= u - 1e-12).all(axis=1) & (utilities > u + 1e-12).any(axis=1)).any()
    }
    assert {tuple(np.round(i.utilities, 9)) for i in result.efficient} == undominated
    assert result.draft_is_efficient == (len(packages) == 0)
    if len(packages):
        for concept in ("nash", "utilitarian", "egalitarian", "nash-over-draft"):
            ranked = improve(problem, draft, concept=concept, max_changes=1)
            best = concept_score(concept, utilities, problem.reservation, None, problem.utilities(draft)[0]).max()
            assert ranked.efficient[0].score == pytest.approx(best, abs=1e-12)
    # with every issue allowed to change, the small-change search finds every improvement
    assert len(result.small) == len(packages)
    assert [len(i.changes) for i in result.small] == sorted(len(i.changes) for i in result.small)


def test_two_issue_trade_by_hand():
    """two-issue-trade (docs/tutorial.md): North values crossings (closed, partly open, open) at 0, 0.5, 1
    with weight 0.8 and patrols (none, limited, full) at 1, 0.5, 0 with weight 0.2; South the reverse.
    From the draft (partly open, limited), both 0.5: opening the crossings alone gives North +0.4 and
    South -0.1, so no one-issue change improves; opening the crossings and making the patrols full gives
    North 0.8 - 0.5 = +0.3 and South 0.8 - 0.5 = +0.3: the one improvement, and it is efficient."""
    problem = truce.load("two-issue-trade").compile()
    draft = np.array([1, 1])
    assert problem.utilities(draft)[0].tolist() == pytest.approx([0.5, 0.5])
    assert len(improve(problem, draft, max_changes=1).small) == 0
    result = improve(problem, draft, max_changes=2)
    assert [(i.package.tolist(), i.gains.tolist()) for i in result.small] == [([2, 2], pytest.approx([0.3, 0.3]))]
    assert result.small[0].efficient
    assert result.describe(result.small[0]) == "crossings: partly open -> open; patrols: limited -> full"
    # the Nash product over no deal (0.3 each): 0.2 x 0.2 = 0.04 for the draft, 0.5 x 0.5 = 0.25 after
    assert result.draft_score == pytest.approx(0.04) and result.small[0].score == pytest.approx(0.25)
