"""Lazy menus of the compiled engine (:mod:`truce.simulate.kernel`): a proposer's candidates put in
bins of its utility (a counting sort, Seward 1954) and revealed down to its target, so a run that
agrees early touches few candidates; the offer rule among those revealed (see the engine's module
notes for the order of preference and ties)."""

from __future__ import annotations

import numpy as np
from numba import njit

OTHERS, TARGET = 0, 1
"""Offer rules: the candidate best for the others among those reaching the target, or the one closest above it."""


@njit(inline="always", cache=True)
def _better(rule, item, utility, estimate, best_item, best_utility, best_estimate):
    """Whether ``item`` beats the menu's current choice: for "others" a higher estimate, then a higher
    utility, then first in the pool (the first of a stable descending sort's running argmax); for
    "target" a lower utility, then last in the pool (the last of the candidates reaching the target)."""
    if best_item < 0:
        return True
    if rule == OTHERS:
        if estimate != best_estimate:
            return estimate > best_estimate
        if utility != best_utility:
            return utility > best_utility
        return item < best_item
    if utility != best_utility:
        return utility < best_utility
    return item > best_item


BUCKET_SIZE = 8
"""Candidates per bin of a menu, on average (the bin at the target is the one scanned)."""
COUNT, CHOICE, LEVEL, FLOAT_APPLIED, FLOAT_UTILITY, FLOAT_ESTIMATE, FLOAT_CEILING = 0, 1, 2, 0, 1, 2, 3
"""A menu's state: how many candidates it has revealed, its current choice, its lowest unrevealed bin (or
its position in the sorted order); the threshold it has revealed down to, its choice's utility and estimate,
and (product menus) a bound on the utility of every candidate not yet revealed."""


@njit(inline="always", cache=True)
def _bin(value, lowest, scale, bins):
    return min(max(int((value - lowest) * scale), 0), bins - 1)


@njit(cache=True, nogil=True)
def _fill_bins(p, utility, subset, lowest, highest, bins, slots, starts, fill, bin_of):
    """The candidates of ``subset`` in ``bins`` bins of proposer p's utility (a counting sort; the
    binning is monotone, so a higher bin holds only higher utilities). Returns the top bin."""
    scale = bins / (highest - lowest) if highest > lowest else 0.0
    own_slots, own_starts, own_fill = slots[p], starts[p], fill[p]
    own_fill[:bins] = 0
    for k in range(len(subset)):
        b = _bin(utility[subset[k], p], lowest, scale, bins)
        bin_of[k] = b
        own_fill[b] += 1
    position = 0
    for b in range(bins):
        own_starts[b] = position
        position += own_fill[b]
        own_fill[b] = 0
    for k in range(len(subset)):
        b = bin_of[k]
        own_slots[own_starts[b] + own_fill[b]] = subset[k]
        own_fill[b] += 1
    return bins - 1


@njit(inline="always", cache=True)
def _offer(threshold, rule, p, size, sorted_source, orders, slots, starts, fill, shown, shown_utility, shown_estimate,
           integers, floats, top, utility, exact, guessed_values, pool):  # fmt: skip
    """Proposer p's offer for candidates worth at least ``threshold`` (its target less the tolerance).

    A lower threshold than any before reveals the candidates down to it: from ``orders[p, :size]``
    sorted once (``sorted_source``, the position kept in LEVEL) or bin by bin from ``slots``, scanning
    only the bin at the threshold and keeping the rest of it for later; a higher one is answered from
    those revealed.

    The candidates revealed are remembered (``shown``), then estimated and weighed against the choice
    in the order revealed, all written out here: numba reference-counts every array handed to an
    inlined function on each call, which would cost more than revealing a candidate.
    """
    applied = floats[p, FLOAT_APPLIED]
    if threshold < applied:
        level = integers[p, LEVEL]
        start = count = integers[p, COUNT]
        if sorted_source:
            while level < size:
                item = orders[p, level]
                if not utility[item, p] >= threshold:
                    break
                shown[p, count] = item
                count += 1
                level += 1
        else:
            while level >= 0:
                first, kept = starts[p, level], 0
                for k in range(first, first + fill[p, level]):
                    item = slots[p, k]
                    if utility[item, p] >= threshold:
                        shown[p, count] = item
                        count += 1
                    else:
                        slots[p, first + kept] = item
                        kept += 1
                fill[p, level] = kept
                if kept > 0:
                    break
                level -= 1
        choice, choice_utility, choice_estimate = integers[p, CHOICE], floats[p, FLOAT_UTILITY], floats[p, FLOAT_ESTIMATE]
        for k in range(start, count):  # those just revealed, in the order revealed: their estimates, and the choice
            item = shown[p, k]
            value = utility[item, p]
            estimate = 0.0
            if exact:  # the utilities of all parties summed from 0, less the proposer's own
                for q in range(utility.shape[1]):
                    estimate += utility[item, q]
                estimate -= value
            else:  # its estimates of the others' weighted values summed issue by issue from 0
                for j in range(pool.shape[1]):
                    estimate += guessed_values[p, j, pool[item, j]]
            shown_utility[p, k], shown_estimate[p, k] = value, estimate
            if _better(rule, item, value, estimate, choice, choice_utility, choice_estimate):
                choice, choice_utility, choice_estimate = item, value, estimate
        integers[p, LEVEL], integers[p, COUNT], integers[p, CHOICE] = level, count, choice
        floats[p, FLOAT_UTILITY], floats[p, FLOAT_ESTIMATE] = choice_utility, choice_estimate
        floats[p, FLOAT_APPLIED] = threshold
    elif not threshold == applied:  # a higher threshold than before (or NaN): choose among those revealed
        choice = _among_shown(threshold, rule, p, shown, shown_utility, shown_estimate, integers)
        return top[p] if choice < 0 else choice
    return top[p] if integers[p, COUNT] == 0 else integers[p, CHOICE]


@njit(inline="always", cache=True)
def bin_ceiling(p, level, slots, starts, fill, utility):
    """The most a candidate that proposer p's binned menu has not revealed is worth, after it revealed down
    to a threshold: the best of those kept in the bin at that threshold (``level``; every lower bin holds only
    lower utilities), -inf when it revealed them all. A lower threshold that does not reach it reveals
    nothing (the bin's scan would keep all it holds) and the menu's choice stands."""
    ceiling = -np.inf
    if level >= 0:
        for k in range(starts[p, level], starts[p, level] + fill[p, level]):
            value = utility[slots[p, k], p]
            if value > ceiling:  # a NaN is never revealed, and never counted
                ceiling = value
    return ceiling


@njit(inline="always", cache=True)
def _among_shown(threshold, rule, p, shown, shown_utility, shown_estimate, integers):
    """The menu's choice among the candidates it has revealed that reach ``threshold``; -1 if none does."""
    choice, choice_utility, choice_estimate = -1, 0.0, 0.0
    for k in range(integers[p, COUNT]):
        value = shown_utility[p, k]
        if value >= threshold and _better(rule, shown[p, k], value, shown_estimate[p, k], choice, choice_utility, choice_estimate):
            choice, choice_utility, choice_estimate = shown[p, k], value, shown_estimate[p, k]
    return choice
