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
def _sums(terms, order, forward):
    """Double-double running sums of terms[k, a] = w_k d(x_k, x_a)^rho_k over the voters in ``order``.

    Row i holds the sum over order[:i] (``forward``) or over order[i:] (not ``forward``).
    """
    n = terms.shape[1]
    high = np.zeros((n + 1, n))
    low = np.zeros((n + 1, n))
    for step in range(n):
        row = step if forward else n - step
        voter = order[step] if forward else order[n - 1 - step]
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
    terms = np.empty((n, n))
    for voter in range(n):
        for actor in range(n):
            distance = abs(positions[voter] - positions[actor]) / scale
            terms[voter, actor] = weights[voter] * (distance if exponents[voter] == 1.0 else distance ** exponents[voter])
    order = np.argsort(positions, kind="mergesort")
    ordered = positions[order]
    below_high, below_low = _sums(terms, order, True)
    above_high, above_low = _sums(terms, order, False)
    result = np.zeros((n, n))
    for a in range(n):
        below = 0  # voters below the midpoint of a and b; b by increasing position, so it only grows
        for j in range(n):
            b = order[j]
            if positions[a] == positions[b]:
                continue
            midpoint = (positions[a] + positions[b]) / 2.0
            while below < n and ordered[below] < midpoint:
                below += 1
            if positions[a] < positions[b]:
                value = _difference(below_high, below_low, below, b, a)
            else:
                value = _difference(above_high, above_low, below, b, a)
            result[a, b] = max(value, 0.0)
    return result
