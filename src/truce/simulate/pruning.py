"""Candidates a proposer can never offer under the "best for the others" rule, found issue by issue.

A proposer p offers, among candidates it values at least at its target,
the one it estimates best for the others; among equal estimates the one
it values more; among packages equal in both, the one first in the pool
(see :class:`truce.simulate.arena.Menu`). Its utility and its estimate of
the others' are sums over issues of non-negative weights times the
parties' option values. So if option ``a`` of an issue is worth at least
as much as option ``b`` to every party, any package with ``b`` loses to
the same package with ``a`` instead, whatever the weights and the
knowledge noise, provided that package is in the pool and it wins the tie
when both sums come out equal: ``a`` comes first, or ``a`` is worth
clearly more (by more than :data:`MARGIN` once weighted, far beyond
rounding) to a party whose weight is positive in every run. Floating-point
sums of non-negative terms are monotone, so this holds for the computed
utilities too, not only for exact ones.

Dropping such packages leaves every offer unchanged (this is Pareto
dominance in the per-issue value vectors, the product structure that
Fatima, Wooldridge & Jennings 2006 use for multi-issue offers): in a
whole space only packages made of per-issue undominated options remain,
about 25 of 1,000 on three random issues of ten options.
"""

from __future__ import annotations

import numpy as np

MARGIN = 1e-9
"""A weighted value difference above this is never lost to rounding (utilities lie in [0, 1])."""


def dominated_options(table: np.ndarray, least_weight: np.ndarray) -> np.ndarray:
    """(k,) bool: options some other option beats for every party of this issue.

    ``table`` (k, P): every party's value of each option; ``least_weight``
    (P,): the least weight each party's value of this issue carries in any run.
    """
    at_least = (table[:, None, :] >= table[None, :, :]).all(axis=2)  # [a, b]: a worth >= b to everyone
    clearly_more = ((table[:, None, :] - table[None, :, :]) * least_weight > MARGIN).any(axis=2)
    first = np.arange(len(table))[:, None] < np.arange(len(table))[None, :]
    beats = at_least & (first | clearly_more)
    np.fill_diagonal(beats, False)
    return beats.any(axis=0)


def offer_candidates(pool: np.ndarray, values: tuple[np.ndarray, ...], weights: np.ndarray) -> np.ndarray | None:
    """Pool indices (ascending) that some proposer may still offer, or None to keep them all.

    ``values``: per issue (R or 1, k, P) value tables; ``weights`` (R, P, I)
    the parties' weights in the chunk's runs. A proposer's estimate of the
    others weighs their values by noisy copies of these weights (the noise
    is multiplicative: a zero stays zero, a positive weight positive), so
    the same options lose for every proposer. Only a pool that is the whole
    space in its natural order (every package, the last issue varying
    fastest) is pruned, so that the package with the better option is
    always there and comes first.
    """
    sizes = [table.shape[1] for table in values]
    if len(pool) < 2 or len(pool) != int(np.prod(sizes, dtype=float)):
        return None
    strides = np.cumprod([1, *sizes[:0:-1]])[::-1]
    if not np.array_equal(pool @ strides, np.arange(len(pool))):
        return None
    least = weights.min(axis=0)  # (P, I)
    keep = np.ones(len(pool), dtype=bool)
    for j, table in enumerate(values):
        if table.shape[0] != 1:  # values that vary by run (uncertain positions): nothing to compare once
            continue
        dominated = dominated_options(table[0], least[:, j])
        if dominated.any():
            keep &= ~dominated[pool[:, j]]
    if keep.all():
        return None
    return np.flatnonzero(keep)
