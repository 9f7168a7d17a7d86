"""Compiled vote sums of the expected-utility model (FORECAST.md B.2.2-B.2.3).

F[a, b] = sum_k max(0, v_k(x_a, x_b)) over every voter k, with
v_k(a, b) = w_k [d(x_k, x_b)^rho_k - d(x_k, x_a)^rho_k], is an O(n^3) sum
over (voter, ordered pair) when written out. On one dimension, with
w_k >= 0 and rho_k > 0, voter k has v_k(a, b) > 0 exactly when it stands
nearer x_a than x_b, so for x_a < x_b the voters that count are those below
the midpoint (x_a + x_b) / 2 and for x_a > x_b those above it (a voter at
the midpoint votes 0). With voters sorted by position these are a prefix or
a suffix of the order, so

    F[a, b] = P_b(m) - P_a(m)   (x_a < x_b),   S_b(m) - S_a(m)   (x_a > x_b),

where m is the number of voters below the midpoint, P_a(m) the sum of
w_k d(x_k, x_a)^rho_k over the first m voters and S_a(m) over the others:
O(n^2 log n) in all. The prefix and suffix sums are kept as double-double
numbers (Knuth's TwoSum; Dekker 1971), so that the difference of two
nearly equal sums keeps the digits of the direct sum: results agree with
the sum over every voter to about one unit in the last place.

This module imports numba and is imported only when the model runs; the
loop compiles on first use and is cached on disk (``cache=True``).
"""

from __future__ import annotations

import numpy as np
from numba import njit
from numpy.typing import NDArray


@njit(cache=True, nogil=True)
def _sums(terms, forward):
    """Double-double running sums of the rows of ``terms`` (voters, in order of position).

    Row i holds the sum over terms[:i] (``forward``) or over terms[i:] (not ``forward``).
    """
    n = terms.shape[1]
    high = np.zeros((n + 1, n))
    low = np.zeros((n + 1, n))
    for step in range(n):
        row = step if forward else n - step
        voter = step if forward else n - 1 - step
        following = row + 1 if forward else row - 1
        for actor in range(n):
            term = terms[voter, actor]
            total = high[row, actor] + term
            back = total - high[row, actor]
            error = (high[row, actor] - (total - back)) + (term - back)
            high[following, actor] = total
            low[following, actor] = low[row, actor] + error
    return high, low


@njit(inline="always")
def _difference(high, low, row, first, second):
    """(high + low)[row, first] - (high + low)[row, second], to double-double accuracy, rounded."""
    a, b = high[row, first], high[row, second]
    total = a - b
    back = total - a
    error = (a - (total - back)) - (b + back)
    return total + (error + (low[row, first] - low[row, second]))


@njit(cache=True, nogil=True)
def favour(
    positions: NDArray[np.float64],
    weights: NDArray[np.float64],
    exponents: NDArray[np.float64],
    scale: float,
) -> NDArray[np.float64]:
    """F[a, b] = sum_k max(0, v_k(x_a, x_b)); 0 where x_a = x_b."""
    n = positions.size
    order = np.argsort(positions, kind="mergesort")
    ordered = positions[order]
    terms = np.empty((n, n))  # voter and actor by rank of position
    for voter in range(n):
        weight, exponent = weights[order[voter]], exponents[order[voter]]
        for actor in range(n):
            distance = abs(ordered[voter] - ordered[actor]) / scale
            terms[voter, actor] = weight * (distance if exponent == 1.0 else distance**exponent)
    below_high, below_low = _sums(terms, True)
    above_high, above_low = _sums(terms, False)
    result = np.zeros((n, n))
    for lower in range(n):  # the pair of ranks lower < upper; one midpoint serves both directions
        below = lower  # voters below the midpoint: it only grows with the upper rank
        for upper in range(lower + 1, n):
            if ordered[lower] == ordered[upper]:
                continue
            midpoint = (ordered[lower] + ordered[upper]) / 2.0
            while below < n and ordered[below] < midpoint:
                below += 1
            a, b = order[lower], order[upper]
            result[a, b] = max(_difference(below_high, below_low, below, upper, lower), 0.0)
            result[b, a] = max(_difference(above_high, above_low, below, lower, upper), 0.0)
    return result
