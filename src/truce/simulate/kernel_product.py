"""Menus over a product pool, enumerated issue by issue (:mod:`truce.simulate.kernel`).

When the candidates are every package of a product of per-issue option
lists in order (a whole space, pruned or not: ``options``, ``counts``, the
last issue varying fastest), a proposer's utility of a package is a sum
over issues of its weighted value of each option, summed from 0 in issue
order. The candidates above a target are then enumerated without
computing any other candidate's utility: each issue's options are sorted
by the proposer's weighted value (best first), a depth-first walk over the
issues before the last keeps the partial sum of the options chosen so far
and stops at the first option whose best completion (the partial sum plus
the best option of every later issue, added in the same order) falls
below the target, and for each prefix of options a pointer into the last
issue's sorted options marks how far it has been revealed. This is the
issue-by-issue structure of additive utilities that Fatima, Wooldridge &
Jennings (2006) use for multi-issue offers, with the pointers of a k-way
merge.

Floating-point addition is monotone (``a <= b`` gives ``fl(a + c) <=
fl(b + c)``), so a sum built from a smaller option never exceeds the same
sum from a larger one: the walk's bounds are exact for the utilities the
loop computes, and it reveals exactly the candidates whose computed
utility reaches the target, the same set the binned menu reveals. The
proposer's best utility is the sum of each issue's best option, and the
utilities of an offer to the responders are summed when it is made.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from truce.simulate.kernel_menus import CHOICE, COUNT, FLOAT_APPLIED, FLOAT_CEILING, OTHERS, _among_shown, _show
from truce.simulate.pruning import MARGIN


@njit(inline="always", cache=True)
def utility_of(weighted, pool, item, party):
    """Party's utility of candidate ``item``, summed issue by issue from 0 (as ``_utilities`` sums it)."""
    total = 0.0
    for j in range(pool.shape[1]):
        total += weighted[j, pool[item, j], party]
    return total


@njit(cache=True, nogil=True)
def product_best(weighted, options, counts, best):
    """``best[p]``: each party's best utility over the product, its best option of every issue summed from 0."""
    for p in range(weighted.shape[2]):
        total = 0.0
        for j in range(len(counts)):
            most = weighted[j, options[j, 0], p]
            for d in range(1, counts[j]):
                value = weighted[j, options[j, d], p]
                if value > most:
                    most = value
            total += most
        best[p] = total


@njit(cache=True, nogil=True)
def first_best(weighted, pool, party, best):
    """The first candidate in the pool worth ``best`` to the party (its first best, as ``_utilities`` finds it)."""
    for m in range(pool.shape[0]):
        if utility_of(weighted, pool, m, party) == best:
            return m
    return 0


@njit(inline="always", cache=True)
def product_prepare(p, rule, weighted, options, counts, exact, guessed_values, digit_value, digit_estimate, order, kept, pointer):
    """Proposer p's menu for a run: its weighted value (and its estimate for the others) of each issue's
    options, each issue's options sorted best first (``order[p, j, :kept[p, j]]``), and no candidate revealed.

    Under the rule "others" with noisy estimates (sums over issues, as the utility is), an option that
    another option of its issue beats in both the proposer's value and its estimate for the others is
    dropped: the package with the other option in its place is worth at least as much to the proposer,
    so it is revealed whenever this one is, and it wins the menu's order (a higher or equal estimate, then
    a higher or equal utility, then first in the pool: it comes first, or it is worth clearly more, by
    more than :data:`truce.simulate.pruning.MARGIN`, in one of the two). That package is in the pool,
    a product of option lists. With exact knowledge the estimate is the total less the proposer's own
    utility, whose rounding is not monotone: nothing is dropped.
    """
    issues = len(counts)
    prune = rule == OTHERS and not exact
    for j in range(issues):
        count = counts[j]
        for d in range(count):
            digit_value[p, j, d] = weighted[j, options[j, d], p]
            if not exact:
                digit_estimate[p, j, d] = guessed_values[p, j, options[j, d]]
        for d in range(count):  # insertion sort, best first (few options an issue)
            k = d
            while k > 0 and digit_value[p, j, d] > digit_value[p, j, order[p, j, k - 1]]:
                order[p, j, k] = order[p, j, k - 1]
                k -= 1
            order[p, j, k] = d
        kept[p, j] = count
        if prune:
            kept[p, j] = _undominated(p, j, count, digit_value, digit_estimate, order)
    prefixes = 1
    for j in range(issues - 1):
        prefixes *= counts[j]
    pointer[p, :prefixes] = 0


@njit(inline="always", cache=True)
def _undominated(p, j, count, digit_value, digit_estimate, order):
    """Keeps in ``order[p, j]`` (in its order) the options of issue j that no other option beats (see
    :func:`product_prepare`); returns how many."""
    values, estimates = digit_value[p, j], digit_estimate[p, j]
    kept = 0
    for i in range(count):
        b = order[p, j, i]
        beaten = False
        for a in range(count):
            if a != b and values[a] >= values[b] and estimates[a] >= estimates[b]:
                if a < b or values[a] - values[b] > MARGIN or estimates[a] - estimates[b] > MARGIN:
                    beaten = True
                    break
        if not beaten:
            order[p, j, kept] = b
            kept += 1
    return kept


@njit(inline="always", cache=True)
def _reveal(threshold, rule, p, weighted, pool, counts, exact, digit_value, digit_estimate, order, kept, pointer, steps, sums,
            shown, shown_utility, shown_estimate, integers, floats):  # fmt: skip
    """Reveal to proposer p's menu every candidate whose utility reaches ``threshold`` and is not yet revealed.

    Scratch of the walk: ``steps`` (2, I + 1), the position in each issue's sorted options and the index of
    the prefix of options chosen so far; ``sums`` (2, I + 1), the partial sums of the utility and of the estimate.
    Keeps in ``floats[p, FLOAT_CEILING]`` the largest utility or bound that fell short: no candidate left
    unrevealed is worth more (its options are no better than those of the first that fell short where the
    walk stopped), so a later threshold above it reveals nothing.
    """
    ceiling = -np.inf
    issues = len(counts)
    last = issues - 1
    width = counts[last]
    position, prefix, partial, estimated = steps[0], steps[1], sums[0], sums[1]
    partial[0], estimated[0], prefix[0] = 0.0, 0.0, 0
    j = 0
    position[0] = 0
    while True:
        if j == last:  # a prefix of options: reveal its last-issue options down to the threshold
            g = prefix[last]
            reached = pointer[p, g]
            while reached < kept[p, last]:
                d = order[p, last, reached]
                value = partial[last] + digit_value[p, last, d]
                if not value >= threshold:
                    if value > ceiling:
                        ceiling = value
                    break
                item = g * width + d
                if exact:
                    total = 0.0
                    for q in range(weighted.shape[2]):
                        total += utility_of(weighted, pool, item, q)
                    estimate = total - value
                else:
                    estimate = estimated[last] + digit_estimate[p, last, d]
                _show(rule, p, item, value, estimate, shown, shown_utility, shown_estimate, integers, floats)
                reached += 1
            pointer[p, g] = reached
        elif position[j] < kept[p, j]:
            d = order[p, j, position[j]]
            value = partial[j] + digit_value[p, j, d]
            bound = value
            for i in range(j + 1, issues):
                bound = bound + digit_value[p, i, order[p, i, 0]]
            if bound >= threshold:  # else no later option of issue j does better: back up
                partial[j + 1] = value
                if not exact:
                    estimated[j + 1] = estimated[j] + digit_estimate[p, j, d]
                prefix[j + 1] = prefix[j] * counts[j] + d
                j += 1
                position[j] = 0
                continue
            if bound > ceiling:
                ceiling = bound
        j -= 1  # back up one issue and try its next option
        if j < 0:
            floats[p, FLOAT_CEILING] = ceiling
            return
        position[j] += 1


@njit(inline="always", cache=True)
def product_offer(threshold, rule, p, weighted, pool, counts, exact, digit_value, digit_estimate, order, kept, pointer, steps, sums,
                  shown, shown_utility, shown_estimate, integers, floats):  # fmt: skip
    """Proposer p's offer for candidates worth at least ``threshold``, as ``kernel_menus._offer`` answers it
    (a lower threshold than any before reveals down to it; a higher one chooses among those revealed);
    -1 when no candidate reaches it (the caller offers the proposer's first best)."""
    applied = floats[p, FLOAT_APPLIED]
    if threshold < applied:
        _reveal(threshold, rule, p, weighted, pool, counts, exact, digit_value, digit_estimate, order, kept, pointer, steps, sums,
                shown, shown_utility, shown_estimate, integers, floats)  # fmt: skip
        floats[p, FLOAT_APPLIED] = threshold
    elif not threshold == applied:
        return _among_shown(threshold, rule, p, shown, shown_utility, shown_estimate, integers)
    return -1 if integers[p, COUNT] == 0 else integers[p, CHOICE]
