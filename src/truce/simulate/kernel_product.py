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

from truce.simulate.kernel_menus import CHOICE, COUNT, FLOAT_APPLIED, FLOAT_CEILING, FLOAT_ESTIMATE, FLOAT_UTILITY, OTHERS, _among_shown, _better
from truce.simulate.pruning import MARGIN

POSITION, PREFIX, PARTIAL, ESTIMATED = 0, 1, 0, 1
"""Rows of the walk's scratch: ``steps[POSITION]``, ``steps[PREFIX]``, ``sums[PARTIAL]``, ``sums[ESTIMATED]``."""


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
        if prune:  # keep in order[p, j] (in its order) the options no other option beats
            remaining = 0
            for i in range(count):
                b = order[p, j, i]
                beaten = False
                for a in range(count):
                    if a != b and digit_value[p, j, a] >= digit_value[p, j, b] and digit_estimate[p, j, a] >= digit_estimate[p, j, b]:
                        value_gap, estimate_gap = digit_value[p, j, a] - digit_value[p, j, b], digit_estimate[p, j, a] - digit_estimate[p, j, b]
                        if a < b or value_gap > MARGIN or estimate_gap > MARGIN:
                            beaten = True
                            break
                if not beaten:
                    order[p, j, remaining] = b
                    remaining += 1
            kept[p, j] = remaining
    prefixes = 1
    for j in range(issues - 1):
        prefixes *= counts[j]
    pointer[p, :prefixes] = 0


@njit(inline="always", cache=True)
def product_offer(threshold, rule, p, weighted, pool, counts, exact, digit_value, digit_estimate, order, kept, pointer, steps, sums,
                  shown, shown_utility, shown_estimate, integers, floats):  # fmt: skip
    """Proposer p's offer for candidates worth at least ``threshold``, as ``kernel_menus._offer`` answers it
    (a lower threshold than any before reveals down to it; a higher one chooses among those revealed);
    -1 when no candidate reaches it (the caller offers the proposer's first best).

    A lower threshold reveals every candidate whose utility reaches it and is not yet revealed, by the
    walk of the module notes. Its scratch: ``steps`` (2, I + 1), the position in each issue's sorted
    options and the index of the prefix of options chosen so far; ``sums`` (2, I + 1), the partial sums
    of the utility and of the estimate. It keeps in ``floats[p, FLOAT_CEILING]`` the largest utility or
    bound that fell short: no candidate left unrevealed is worth more (its options are no better than
    those of the first that fell short where the walk stopped), so a later threshold above it reveals
    nothing. The walk and each candidate it reveals are written out in this one function: numba
    reference-counts every array handed to an inlined function on each call, which would cost more than
    revealing a candidate.
    """
    applied = floats[p, FLOAT_APPLIED]
    if threshold < applied:  # reveal every candidate whose utility reaches the threshold and is not yet revealed
        ceiling = -np.inf
        count, choice = integers[p, COUNT], integers[p, CHOICE]
        choice_utility, choice_estimate = floats[p, FLOAT_UTILITY], floats[p, FLOAT_ESTIMATE]
        issues = len(counts)
        last = issues - 1
        width = counts[last]
        sums[PARTIAL, 0], sums[ESTIMATED, 0], steps[PREFIX, 0] = 0.0, 0.0, 0
        j = 0
        steps[POSITION, 0] = 0
        while True:
            if j == last:  # a prefix of options: reveal its last-issue options down to the threshold
                g = steps[PREFIX, last]
                reached = pointer[p, g]
                while reached < kept[p, last]:
                    d = order[p, last, reached]
                    value = sums[PARTIAL, last] + digit_value[p, last, d]
                    if not value >= threshold:
                        if value > ceiling:
                            ceiling = value
                        break
                    item = g * width + d
                    if exact:  # the utilities of all parties, each summed issue by issue from 0, less its own
                        total = 0.0
                        for q in range(weighted.shape[2]):
                            utility = 0.0
                            for i in range(issues):
                                utility += weighted[i, pool[item, i], q]
                            total += utility
                        estimate = total - value
                    else:
                        estimate = sums[ESTIMATED, last] + digit_estimate[p, last, d]
                    shown[p, count], shown_utility[p, count], shown_estimate[p, count] = item, value, estimate
                    count += 1
                    if _better(rule, item, value, estimate, choice, choice_utility, choice_estimate):
                        choice, choice_utility, choice_estimate = item, value, estimate
                    reached += 1
                pointer[p, g] = reached
            elif steps[POSITION, j] < kept[p, j]:
                d = order[p, j, steps[POSITION, j]]
                value = sums[PARTIAL, j] + digit_value[p, j, d]
                bound = value
                for i in range(j + 1, issues):
                    bound = bound + digit_value[p, i, order[p, i, 0]]
                if bound >= threshold:  # else no later option of issue j does better: back up
                    sums[PARTIAL, j + 1] = value
                    if not exact:
                        sums[ESTIMATED, j + 1] = sums[ESTIMATED, j] + digit_estimate[p, j, d]
                    steps[PREFIX, j + 1] = steps[PREFIX, j] * counts[j] + d
                    j += 1
                    steps[POSITION, j] = 0
                    continue
                if bound > ceiling:
                    ceiling = bound
            j -= 1  # back up one issue and try its next option
            if j < 0:
                break
            steps[POSITION, j] += 1
        integers[p, COUNT], integers[p, CHOICE] = count, choice
        floats[p, FLOAT_UTILITY], floats[p, FLOAT_ESTIMATE], floats[p, FLOAT_CEILING] = choice_utility, choice_estimate, ceiling
        floats[p, FLOAT_APPLIED] = threshold
    elif not threshold == applied:
        return _among_shown(threshold, rule, p, shown, shown_utility, shown_estimate, integers)
    return -1 if integers[p, COUNT] == 0 else integers[p, CHOICE]
