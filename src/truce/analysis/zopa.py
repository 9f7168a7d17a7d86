"""The zone of possible agreement (ZOPA): packages every party prefers to no deal.

Counting them exactly without enumerating the product space uses the same
issue-by-issue merge as the frontier, on partial utility vectors with
counts, and two bounds per party computed from the issues still to come:

- if even the best remaining options cannot lift a party above its
  reservation value, no completion is acceptable: drop the partial package;
- if even the worst remaining options keep every party above, every
  completion is acceptable: add count x (number of completions) and drop it.

Equal partial vectors merge, so spaces whose values sit on a grid (linear
values on ordered issues) stay small. When the number of distinct partial
vectors exceeds ``max_states`` the count is estimated instead from a
seeded uniform sample of packages, with a Wilson 95% interval.
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from truce.analysis.pareto import DECIMALS, group_equal_rows
from truce.analysis.results import Zopa
from truce.analysis.solutions import GAIN_TOLERANCE, acceptable

SAMPLE_SIZE = 200_000
"""Packages drawn when the exact count would take too many states."""


def any_acceptable(frontier_utilities: np.ndarray, reservation: np.ndarray) -> bool:
    """A ZOPA exists iff some point of the exact frontier beats no deal for everyone."""
    return bool(acceptable(frontier_utilities, reservation).any())


def frontier_ranges(frontier_utilities: np.ndarray, reservation: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each party's lowest and highest utility among efficient acceptable packages.

    The highest is also the party's best over the whole ZOPA (every ZOPA
    package is weakly dominated by a frontier package, itself in the ZOPA).
    NaN when there is no ZOPA.
    """
    inside = acceptable(frontier_utilities, reservation)
    if not inside.any():
        nan = np.full(len(reservation), np.nan)
        return nan, nan.copy()
    return frontier_utilities[inside].min(axis=0), frontier_utilities[inside].max(axis=0)


def zone(
    weighted_values: Sequence[np.ndarray],
    reservation: np.ndarray,
    frontier_utilities: np.ndarray,
    *,
    max_states: int,
    seed: int,
    party_ids: tuple[str, ...],
    n_outcomes: int,
) -> Zopa:
    """The zone of possible agreement: how many packages every party prefers to no deal
    (:func:`count_acceptable`) and each party's utility range over the frontier's acceptable part."""
    count, exact, interval = count_acceptable(weighted_values, reservation, max_states=max_states, seed=seed)
    low, high = frontier_ranges(frontier_utilities, reservation)
    return Zopa(
        exists=any_acceptable(frontier_utilities, reservation) or (not exact and interval[1] > 0 and count > 0),
        count=count,
        exact=exact,
        interval=interval,
        n_outcomes=n_outcomes,
        frontier_low=low,
        frontier_high=high,
        reservation=reservation.copy(),
        party_ids=party_ids,
    )


def count_acceptable(
    weighted_values: Sequence[np.ndarray],
    reservation: np.ndarray,
    *,
    max_states: int = 2_000_000,
    seed: int = 0,
) -> tuple[float, bool, tuple[float, float]]:
    """Number of packages every party strictly prefers to no deal.

    Returns ``(count, exact, (low, high))``: the count (an int when exact),
    whether it is exact, and a 95% interval (equal to the count when exact).
    """
    threshold = np.asarray(reservation, dtype=float) + GAIN_TOLERANCE
    sizes = [v.shape[0] for v in weighted_values]
    if 0 in sizes:  # an issue without an option every party accepts (red lines): no package at all
        return 0, True, (0, 0)
    n_issues = len(weighted_values)
    best_rest = np.zeros((n_issues + 1, len(threshold)))
    worst_rest = np.zeros((n_issues + 1, len(threshold)))
    for j in range(n_issues - 1, -1, -1):
        best_rest[j] = best_rest[j + 1] + weighted_values[j].max(axis=0)
        worst_rest[j] = worst_rest[j + 1] + weighted_values[j].min(axis=0)
    completions = [math.prod(sizes[j:]) for j in range(n_issues + 1)]

    partial = np.zeros((1, len(threshold)))
    counts = np.ones(1, dtype=np.int64 if completions[0] < 2**62 else np.float64)
    total = 0
    for j, contribution in enumerate(weighted_values):
        possible = (partial + best_rest[j] > threshold).all(axis=1)
        certain = (partial + worst_rest[j] > threshold).all(axis=1)
        total += int(counts[certain].sum()) * completions[j]
        keep = possible & ~certain
        partial, counts = partial[keep], counts[keep]
        if len(partial) * contribution.shape[0] > max_states:
            return _estimate(weighted_values, reservation, seed)
        partial = (partial[:, None, :] + contribution[None, :, :]).reshape(-1, len(threshold))
        counts = np.repeat(counts, contribution.shape[0])
        order, starts = group_equal_rows(np.round(partial, DECIMALS))
        partial = partial[order[starts]]
        counts = np.add.reduceat(counts[order], starts)
    total += int(counts[(partial > threshold).all(axis=1)].sum())
    return total, True, (total, total)


def _estimate(weighted_values, reservation, seed):
    rng = np.random.default_rng(seed)
    utilities = np.zeros((SAMPLE_SIZE, len(reservation)))
    for contribution in weighted_values:
        utilities += contribution[rng.integers(0, contribution.shape[0], SAMPLE_SIZE)]
    hits = int(acceptable(utilities, reservation).sum())
    low, high = wilson_interval(hits, SAMPLE_SIZE)
    n_outcomes = math.prod(v.shape[0] for v in weighted_values)
    return hits / SAMPLE_SIZE * n_outcomes, False, (low * n_outcomes, high * n_outcomes)


def wilson_interval(successes: int, trials: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """Wilson (1927) score interval for a binomial proportion."""
    p = successes / trials
    centre = (p + z * z / (2 * trials)) / (1 + z * z / trials)
    half = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / (1 + z * z / trials)
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == trials else min(1.0, centre + half)
    return low, high
