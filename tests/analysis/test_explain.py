"""What blocks a deal and where the joint gains are, against brute force and a hand-worked case."""

from __future__ import annotations

import itertools
from importlib import resources

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import truce
from truce.analysis.explain import compromise_package, explain
from truce.analysis.solutions import GAIN_TOLERANCE
from truce.problem import Problem


@st.composite
def problems(draw, reservation_low: int = 0):
    n_parties = draw(st.integers(2, 3))
    n_issues = draw(st.integers(1, 3))
    values = [
        np.array(draw(st.lists(st.lists(st.integers(0, 4), min_size=n_parties, max_size=n_parties), min_size=2, max_size=4))) / 4
        for _ in range(n_issues)
    ]
    weights = np.array(draw(st.lists(st.lists(st.integers(1, 5), min_size=n_issues, max_size=n_issues), min_size=n_parties, max_size=n_parties)), dtype=float)
    weights /= weights.sum(axis=1, keepdims=True)
    reservation = np.array(draw(st.lists(st.integers(reservation_low, 9), min_size=n_parties, max_size=n_parties))) / 10
    return Problem.from_arrays(values, weights, reservation)


def everything(problem):
    packages = np.array(list(itertools.product(*[range(k) for k in problem.n_options])))
    return packages, problem.utilities(packages)


@settings(max_examples=150, deadline=None)
@given(problems(reservation_low=5))
def test_red_lines_match_brute_force(problem):
    packages, utilities = everything(problem)
    r = problem.reservation
    assume(not ((utilities - r) > GAIN_TOLERANCE).all(axis=1).any())
    blockage = explain(problem).blockage
    assert blockage is not None
    for line in blockage.red_lines:
        p = line.party
        others = [q for q in range(problem.n_parties) if q != p]
        satisfied = ((utilities[:, others] - r[others]) > GAIN_TOLERANCE).all(axis=1)
        if satisfied.any():
            assert line.needed == pytest.approx(utilities[satisfied, p].max(), abs=1e-12)
            # any drop a little larger than the one reported opens a zone; the reported one alone does not
            lowered = r.copy()
            lowered[p] = line.needed - 1e-6
            assert ((utilities - lowered) > GAIN_TOLERANCE).all(axis=1).any()
        else:
            assert line.needed is None
    shortfall = np.maximum(r - utilities, 0)
    assert blockage.joint_total == pytest.approx(shortfall.sum(axis=1).min(), abs=1e-12)
    assert blockage.equal_drop == pytest.approx(max((r - utilities).max(axis=1).min(), 0), abs=1e-12)
    assert (blockage.concessions >= -1e-12).all()


@settings(max_examples=150, deadline=None)
@given(problems())
def test_trades_are_the_two_issue_logrolls_from_the_compromise(problem):
    packages, utilities = everything(problem)
    assume(((utilities - problem.reservation) > GAIN_TOLERANCE).all(axis=1).any())
    gains = explain(problem, most_trades=10_000, trade_issues=2).joint_gains
    compromise = gains.compromise
    base = problem.utilities(compromise)[0]
    expected = set()
    for package, u in zip(packages, utilities):
        changed = np.flatnonzero(package != compromise)
        if len(changed) != 2 or not ((u - base) > GAIN_TOLERANCE).all():
            continue
        alone = []
        for j in changed:
            single = compromise.copy()
            single[j] = package[j]
            alone.append(((problem.utilities(single)[0] - base) >= -GAIN_TOLERANCE).all())
        if not any(alone):
            expected.add(tuple(package.tolist()))
    assert {tuple(t.package.tolist()) for t in gains.trades} == expected
    totals = [t.gains.sum() for t in gains.trades]
    assert totals == sorted(totals, reverse=True)


@settings(max_examples=150, deadline=None)
@given(problems(), st.integers(2, 3))
def test_trades_are_the_logrolls_that_need_every_change(problem, size):
    """Every package changing 2 to ``size`` issues from the compromise that makes every party strictly
    better off while no nonempty proper subset of its changes leaves every party at least as well off,
    found by listing every package and every subset."""
    packages, utilities = everything(problem)
    assume(((utilities - problem.reservation) > GAIN_TOLERANCE).all(axis=1).any())
    gains = explain(problem, most_trades=10_000, trade_issues=size).joint_gains
    compromise = gains.compromise
    base = problem.utilities(compromise)[0]
    expected = set()
    for package, u in zip(packages, utilities):
        changed = np.flatnonzero(package != compromise)
        if not 2 <= len(changed) <= size or not ((u - base) > GAIN_TOLERANCE).all():
            continue
        helps = []
        for k in range(1, len(changed)):
            for subset in itertools.combinations(changed, k):
                part = compromise.copy()
                part[list(subset)] = package[list(subset)]
                helps.append(((problem.utilities(part)[0] - base) >= -GAIN_TOLERANCE).all())
        if not any(helps):
            expected.add(tuple(package.tolist()))
    assert {tuple(t.package.tolist()) for t in gains.trades} == expected


def test_only_a_three_issue_trade_gives_joint_gain():
    """Two parties, three issues of two options, weights 1/3 each. Values (A, B): x 0 = (0.5, 0.45),
    x 1 = (1.0, 0.35); y the same; z 0 = (0.9, 0.5), z 1 = (0.15, 0.95). The compromise (best worst value)
    is option 0 everywhere (0.45 > 0.35, 0.5 > 0.15). Changing an issue to option 1 moves (A, B) by
    x: (+0.5, -0.1)/3, y: (+0.5, -0.1)/3, z: (-0.75, +0.45)/3. No single change helps both; the pairs give
    x+y (+1.0, -0.2)/3, x+z and y+z (-0.25, +0.35)/3: each hurts a party. All three give (+0.25, +0.25)/3 =
    +0.0833 each: the only trade, and no two-issue trade exists."""
    values = [np.array([[0.5, 0.45], [1.0, 0.35]]), np.array([[0.5, 0.45], [1.0, 0.35]]), np.array([[0.9, 0.5], [0.15, 0.95]])]
    problem = Problem.from_arrays(values, np.full((2, 3), 1 / 3), np.array([0.1, 0.1]))
    assert explain(problem, trade_issues=2).joint_gains.trades == ()
    gains = explain(problem).joint_gains
    assert gains.compromise.tolist() == [0, 0, 0]
    (trade,) = gains.trades
    assert trade.package.tolist() == [1, 1, 1]
    assert trade.changes == ((0, 0, 1), (1, 0, 1), (2, 0, 1))
    assert trade.gains == pytest.approx([0.25 / 3, 0.25 / 3])


def test_compromise_takes_the_best_worst_value_per_issue():
    values = [np.array([[1.0, 0.0], [0.6, 0.5], [0.2, 0.9]]), np.array([[0.0, 1.0], [0.5, 0.5]])]
    assert compromise_package(values, [3, 2]).tolist() == [1, 1]


def test_blocked_two_issue_trade_by_hand(tmp_path):
    """two-issue-trade with both no-deal values at 0.85: the best package for both, (open, full), gives each 0.8,
    so jointly each must drop by 0.05 (total 0.1). Alone, North would have to fall below 0.4: the only packages
    that give South more than 0.85 are (closed or partly open, full), worth 0.8 x 0.5 = 0.4 to North at best."""
    text = (resources.files("truce.scenario.builtin") / "two-issue-trade.yaml").read_text(encoding="utf-8")
    path = tmp_path / "blocked.yaml"
    path.write_text(text.replace("reservation: 0.3", "reservation: 0.85"), encoding="utf-8")
    problem = truce.load(str(path)).compile()
    blockage = explain(problem).blockage
    assert blockage.joint_total == pytest.approx(0.1)
    assert blockage.joint_package.tolist() == [2, 2]
    assert blockage.equal_drop == pytest.approx(0.05)
    assert [line.needed for line in blockage.red_lines] == pytest.approx([0.4, 0.4])
    # at (open, full) North gives up nothing on the crossings and 0.2 on the patrols, South the reverse
    np.testing.assert_allclose(blockage.concessions, [[0.0, 0.2], [0.2, 0.0]], atol=1e-12)
