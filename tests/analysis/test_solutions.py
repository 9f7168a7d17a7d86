"""Solution concepts against brute force and hand-worked cases."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings

from conftest import all_packages, problems
from truce import Problem, load
from truce.analysis.solutions import GAIN_TOLERANCE


def _scores(problem: Problem, utilities: np.ndarray, ideal: np.ndarray) -> dict[str, np.ndarray]:
    gains = utilities - problem.reservation
    return {
        "nash_point": np.log(np.maximum(gains, 1e-300)).sum(axis=1),
        "egalitarian_point": gains.min(axis=1),
        "utilitarian_point": utilities.sum(axis=1),
        "kalai_smorodinsky_point": (gains / (ideal - problem.reservation)).min(axis=1),
    }


@settings(max_examples=150, deadline=None)
@given(problems(grid=None) | problems(grid=4))
def test_each_concept_reaches_the_brute_force_optimum(problem):
    utilities = problem.utilities(all_packages(problem))
    eligible = utilities[((utilities - problem.reservation) > GAIN_TOLERANCE).all(axis=1)]
    if not len(eligible):
        assert all(getattr(problem, method)() is None for method in _scores(problem, utilities, utilities[0]))
        return
    ideal = eligible.max(axis=0)
    optimum = {name: score.max() for name, score in _scores(problem, eligible, ideal).items()}
    for method, best in optimum.items():
        solution = getattr(problem, method)()
        achieved = _scores(problem, problem.utilities(solution.package), ideal)[method][0]
        assert achieved >= best - 1e-9, method
        assert (solution.gains > 0).all()
        assert np.allclose(solution.gains, problem.utilities(solution.package)[0] - problem.reservation)


def test_nash_split_of_a_divisible_issue_matches_the_closed_form():
    """Split x in [0, 1]: u1 = x, u2 = 1 - x, no-deal values (0.2, 0).

    The Nash product (x - 0.2)(1 - x) is maximised at x = 0.6 (derivative 1.2 - 2x = 0);
    Kalai-Smorodinsky: ideal gains are 0.8 and 0.8, equal shares give x - 0.2 = 1 - x, x = 0.6;
    egalitarian gives the same equation; utilitarian is indifferent (sum 1) and breaks the tie
    by frontier order.
    """
    grid = np.linspace(0, 1, 1001)
    problem = Problem.from_arrays([np.stack([grid, 1 - grid], axis=1)], np.ones((2, 1)), [0.2, 0.0])
    for method in ("nash_point", "kalai_smorodinsky_point", "egalitarian_point"):
        solution = getattr(problem, method)()
        assert abs(grid[solution.package[0]] - 0.6) < 1e-9, method


def test_kalai_smorodinsky_differs_from_nash_on_an_asymmetric_frontier():
    """Frontier u2 = 1 - u1^2 (u1 = x, u2 = 1 - x^2), no deal at 0.

    Nash maximises x (1 - x^2): x = 1/sqrt(3) = 0.5774. KS: ideals are 1 and 1, equal
    shares give x = 1 - x^2, x = (sqrt(5) - 1) / 2 = 0.6180.
    """
    grid = np.linspace(0, 1, 20001)
    problem = Problem.from_arrays([np.stack([grid, 1 - grid**2], axis=1)], np.ones((2, 1)))
    nash = grid[problem.nash_point().package[0]]
    ks = grid[problem.kalai_smorodinsky_point().package[0]]
    assert abs(nash - 1 / np.sqrt(3)) < 1e-4
    assert abs(ks - (np.sqrt(5) - 1) / 2) < 1e-4


def test_three_party_teaching_case_by_hand():
    """docs/tutorial.md tabulates the nine packages. Gains over no deal (0.2, 0.2, 0.3):

    (joint, partial) gives (0.5, 0.5, 1.0): gains (0.3, 0.3, 0.7), product 0.063, the largest;
    (international, full) gives (0.6, 0.5, 0.5): product 0.4 x 0.3 x 0.2 = 0.024;
    (joint, full) gives (0.3, 0.75, 0.75): product 0.1 x 0.55 x 0.45 = 0.02475;
    (international, partial) gives (0.8, 0.25, 0.75): product 0.6 x 0.05 x 0.45 = 0.0135.
    """
    problem = load("three-party-truce").compile()
    nash = problem.nash_point()
    assert nash.terms == {"Truce monitors": "joint", "Amnesty": "partial"}
    assert np.allclose(nash.gains, [0.3, 0.3, 0.7])
    assert np.isclose(np.prod(nash.gains), 0.063)
    assert problem.egalitarian_point().terms == nash.terms
    assert np.isclose(problem.utilitarian_point().utilities.sum(), 2.0)


def test_no_zopa_means_no_solution():
    """Both parties want the whole of one issue and no deal is worth 0.6 to each."""
    problem = Problem.from_arrays([np.array([[1.0, 0.0], [0.5, 0.5], [0.0, 1.0]])], np.ones((2, 1)), [0.6, 0.6])
    assert problem.nash_point() is None
    assert problem.kalai_smorodinsky_point() is None
    assert not problem.zopa().exists
