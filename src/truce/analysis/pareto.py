"""The exact Pareto frontier of an additive multi-issue problem, without
enumerating the product space.

Algorithm (issue-by-issue merge with dominance pruning; the multi-objective
dynamic programme of the knapsack literature, e.g. Klamroth & Wiecek 2000,
and the Minkowski-sum frontier of Bodlaender-style additive utilities):

1. Start from the empty partial package, with utility 0 for every party.
2. For each issue j, extend every kept partial package by every option of j
   (utilities add: ``u + w_j * v_j[option]``).
3. Merge partial packages with equal utility vectors (adding their counts),
   then drop every partial package that another one dominates.

Step 3 is exact because utilities are additive: if a partial package A is
dominated by B, then A plus any completion is dominated by B plus the same
completion, so no package that extends A is on the final frontier. The
frontier of the whole space is therefore what is left after the last
issue, and the count kept with each point is the exact number of packages
in the whole space that reach that utility vector.

With ``epsilon`` set, step 3 also keeps one representative per cell of a
grid of side ``epsilon / n_issues`` in utility space. Each merge then loses
at most ``epsilon / n_issues`` per party, so every package of the space is
within ``epsilon`` (in every party's utility) of a weakly better point of
the returned set; the set has at most O((n_issues / epsilon)^(n_parties-1))
points.
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from truce.limits import Limits, check_frontier

DECIMALS = 12
"""Utilities are compared after rounding to this many decimals, so that
floating-point noise in sums does not split equal vectors."""



def pareto_frontier(
    weighted_values: Sequence[np.ndarray], epsilon: float | None = None, limits: Limits | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Pareto-optimal packages of an additive problem.

    Parameters
    ----------
    weighted_values:
        One (n_options_j, n_parties) array per issue: option k of issue j adds
        ``weighted_values[j][k, p]`` to party p's utility.
    epsilon:
        None for the exact frontier; otherwise an additive approximation
        bound (see the module docstring).
    limits:
        The caps (default: from the environment); a space larger than
        :meth:`truce.limits.Limits.frontier_outcomes` allows for this many parties is
        refused with a :class:`~truce.limits.LimitError` before any work.

    Returns
    -------
    packages: (F, n_issues) option indices, sorted by the first party's utility, descending.
    utilities: (F, n_parties).
    multiplicity: (F,) number of packages in the whole space with exactly that
        utility vector (None when ``epsilon`` is set).
    """
    if not weighted_values:
        raise ValueError("a problem needs at least one issue")
    n_parties = weighted_values[0].shape[1]
    if epsilon is not None and not epsilon > 0:
        raise ValueError(f"epsilon must be > 0; got {epsilon}")
    n_outcomes = math.prod(v.shape[0] for v in weighted_values)
    check_frontier(n_parties, frontier_work(weighted_values, epsilon), limits or Limits.from_env())
    count_type = np.int64 if n_outcomes < 2**62 else np.float64
    cell = None if epsilon is None else epsilon / len(weighted_values)

    utilities = np.zeros((1, n_parties))
    packages = np.zeros((1, 0), dtype=np.int64)
    counts = np.ones(1, dtype=count_type)
    for contribution in weighted_values:
        n_options = contribution.shape[0]
        utilities = (utilities[:, None, :] + contribution[None, :, :]).reshape(-1, n_parties)
        packages = np.concatenate(
            [np.repeat(packages, n_options, axis=0), np.tile(np.arange(n_options), len(packages))[:, None]],
            axis=1,
        )
        counts = np.repeat(counts, n_options)
        utilities, packages, counts = _prune(utilities, packages, counts, cell)

    order = np.lexsort((-utilities[:, ::-1]).T) if n_parties > 1 else np.argsort(-utilities[:, 0])
    return packages[order], utilities[order], None if epsilon is not None else counts[order]


def frontiers_of_two(weighted_values: Sequence[np.ndarray], limits: Limits | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The exact frontiers of several two-party problems over the same options, all at once.

    ``weighted_values``: one (B, n_options_j, 2) array per issue, problem b's table of issue j.
    Returns ``packages`` (F, n_issues) and ``problem`` (F,): problem b's packages are exactly those
    :func:`pareto_frontier` finds for it (the same representative of each utility vector), in no
    particular order; no multiplicities.

    The merge of :func:`pareto_frontier`, on every problem's rows at once: each row carries its
    problem, the rows are sorted by problem and then by (rounded) utilities as each problem's own
    rows are, so that every problem keeps the same rows in the same order, and a row is undominated
    when its second utility beats that of every later row of its problem (a reverse running maximum,
    on ranks shifted so that no problem's rows reach another's).
    """
    problems, _, n_parties = weighted_values[0].shape
    if n_parties != 2:
        raise ValueError(f"frontiers_of_two takes two parties; got {n_parties}")
    check_frontier(n_parties, frontier_work([v[0] for v in weighted_values]), limits or Limits.from_env())
    problem = np.arange(problems)
    utilities = np.zeros((problems, n_parties))
    packages = np.zeros((problems, 0), dtype=np.int64)
    for contribution in weighted_values:
        n_options = contribution.shape[1]
        utilities = (utilities[:, None, :] + contribution[problem]).reshape(-1, n_parties)
        packages = np.concatenate([np.repeat(packages, n_options, axis=0), np.tile(np.arange(n_options), len(packages))[:, None]], axis=1)
        problem = np.repeat(problem, n_options)
        keys = np.round(utilities, DECIMALS)
        first_values, first_rank = np.unique(keys[:, 0], return_inverse=True)
        second_values, second_rank = np.unique(keys[:, 1], return_inverse=True)
        if problems * len(first_values) * len(second_values) < 2**62:  # one integer per row, ordered as (problem, keys)
            order = np.argsort((problem * len(first_values) + first_rank.ravel()) * len(second_values) + second_rank.ravel(), kind="stable")
        else:
            order = np.lexsort((keys[:, 1], keys[:, 0], problem))
        first = np.ones(len(order), dtype=bool)  # the first row of each group of equal rows of a problem
        first[1:] = (problem[order][1:] != problem[order][:-1]) | (keys[order][1:] != keys[order][:-1]).any(axis=1)
        keep = order[first]
        shifted = (problems - 1 - problem[keep]) * len(second_values) + second_rank.ravel()[keep]  # a later problem's rows stay below
        backwards = shifted[::-1]
        beaten = np.maximum.accumulate(np.concatenate([[-1], backwards[:-1]]))
        keep = keep[(backwards > beaten)[::-1]]
        utilities, packages, problem = utilities[keep], packages[keep], problem[keep]
    return packages, problem


def frontier_work(weighted_values: Sequence[np.ndarray], epsilon: float | None = None) -> int:
    """The packages the merge may keep and extend, the quantity the frontier cap bounds: the whole
    space when exact; with ``epsilon`` at most one point per grid cell on each line of the grid
    (an antichain of a grid of side c in d dimensions has at most c^(d-1) points), times the
    largest option count, when that is smaller."""
    n_outcomes = math.prod(v.shape[0] for v in weighted_values)
    if epsilon is None:
        return n_outcomes
    cells = math.ceil(len(weighted_values) / epsilon) + 1
    return min(n_outcomes, cells ** (weighted_values[0].shape[1] - 1) * max(v.shape[0] for v in weighted_values))


def group_equal_rows(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sort rows and find groups of equal rows.

    Returns ``order`` (a permutation putting equal rows next to each other,
    stable) and ``starts`` (the index in ``order`` where each group begins).
    """
    order = np.lexsort(keys.T[::-1])
    ordered = keys[order]
    new_group = np.ones(len(keys), dtype=bool)
    new_group[1:] = (ordered[1:] != ordered[:-1]).any(axis=1)
    return order, np.flatnonzero(new_group)


def _prune(utilities, packages, counts, cell):
    if cell is None and utilities.shape[1] >= 3:
        # drop the dominated rows first (the compiled query keeps every copy of an undominated row),
        # then merge the equal rows among the few that are left
        keys = np.round(utilities, DECIMALS)
        from truce.analysis.skyline import undominated

        alive = undominated(keys)
        order, starts = group_equal_rows(keys[alive])
        keep = alive[order[starts]]
        return utilities[keep], packages[keep], np.add.reduceat(counts[alive][order], starts)
    if cell is None:
        keys = np.round(utilities, DECIMALS)
        order, starts = group_equal_rows(keys)
        keep = order[starts]
        counts = np.add.reduceat(counts[order], starts)
    else:
        # keep the point with the largest utility sum in each grid cell
        cells = np.floor(utilities / cell).astype(np.int64)
        by_sum = np.argsort(-utilities.sum(axis=1), kind="stable")
        order, starts = group_equal_rows(cells[by_sum])
        keep = by_sum[order[starts]]
        keys = np.round(utilities, DECIMALS)
    undominated = nondominated(keys[keep])
    keep = keep[undominated]
    return utilities[keep], packages[keep], counts[undominated] if cell is None else counts[keep]


def nondominated(points: np.ndarray) -> np.ndarray:
    """Indices of the rows no other row dominates (rows must be distinct).

    Two parties: sort by the first coordinate (ties by the second), keep rows
    whose second coordinate beats every earlier row's: O(n log n). More
    parties: one dominance query per row against a k-d tree of the rows
    (:mod:`truce.analysis.skyline`, compiled).
    """
    n, dims = points.shape
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    if dims == 1:
        return np.array([int(np.argmax(points[:, 0]))])
    if dims == 2:
        order = np.lexsort((-points[:, 1], -points[:, 0]))
        second = points[order, 1]
        best_before = np.maximum.accumulate(np.concatenate([[-np.inf], second[:-1]]))
        return np.sort(order[second > best_before])
    from truce.analysis.skyline import undominated

    return undominated(points)
