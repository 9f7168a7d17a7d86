"""Lazy menus of the compiled engine (:mod:`truce.simulate.kernel`): a proposer's candidates put in
bins of its utility (a counting sort, Seward 1954) and revealed down to its target, so a run that
agrees early touches few candidates; the offer rule among those revealed (see the engine's module
notes for the order of preference and ties)."""

from __future__ import annotations

from numba import njit

OTHERS, TARGET = 0, 1
"""Offer rules: the candidate best for the others among those reaching the target, or the one closest above it."""


@njit(inline="always", cache=True)
def _estimate(item, proposer, utility, exact, guessed_values, pool):
    """The proposer's estimate of the others' total utility of candidate ``item``: with noisy weights,
    its estimates of the others' weighted values summed issue by issue from 0; with exact knowledge,
    the utilities of all parties summed from 0, less its own."""
    total = 0.0
    if exact:
        for q in range(utility.shape[1]):
            total += utility[item, q]
        return total - utility[item, proposer]
    for j in range(pool.shape[1]):
        total += guessed_values[proposer, j, pool[item, j]]
    return total


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
def _show(rule, p, item, value, estimate, shown, shown_utility, shown_estimate, integers, floats):
    """Reveal one candidate to proposer p's menu: remember it and keep the menu's choice among those revealed."""
    count = integers[p, COUNT]
    shown[p, count], shown_utility[p, count], shown_estimate[p, count] = item, value, estimate
    integers[p, COUNT] = count + 1
    if _better(rule, item, value, estimate, integers[p, CHOICE], floats[p, FLOAT_UTILITY], floats[p, FLOAT_ESTIMATE]):
        integers[p, CHOICE], floats[p, FLOAT_UTILITY], floats[p, FLOAT_ESTIMATE] = item, value, estimate


@njit(inline="always", cache=True)
def _offer(threshold, rule, p, size, sorted_source, orders, slots, starts, fill, shown, shown_utility, shown_estimate,
           integers, floats, top, utility, exact, guessed_values, pool):  # fmt: skip
    """Proposer p's offer for candidates worth at least ``threshold`` (its target less the tolerance).

    A lower threshold than any before reveals the candidates down to it: from ``orders[p, :size]``
    sorted once (``sorted_source``, the position kept in LEVEL) or bin by bin from ``slots``, scanning
    only the bin at the threshold and keeping the rest of it for later; a higher one is answered from
    those revealed.
    """
    applied = floats[p, FLOAT_APPLIED]
    if threshold < applied:
        level = integers[p, LEVEL]
        if sorted_source:
            while level < size:
                item = orders[p, level]
                value = utility[item, p]
                if not value >= threshold:
                    break
                estimate = _estimate(item, p, utility, exact, guessed_values, pool)
                _show(rule, p, item, value, estimate, shown, shown_utility, shown_estimate, integers, floats)
                level += 1
        else:
            while level >= 0:
                first, kept = starts[p, level], 0
                for k in range(first, first + fill[p, level]):
                    item = slots[p, k]
                    value = utility[item, p]
                    if value >= threshold:
                        estimate = _estimate(item, p, utility, exact, guessed_values, pool)
                        _show(rule, p, item, value, estimate, shown, shown_utility, shown_estimate, integers, floats)
                    else:
                        slots[p, first + kept] = item
                        kept += 1
                fill[p, level] = kept
                if kept > 0:
                    break
                level -= 1
        integers[p, LEVEL] = level
        floats[p, FLOAT_APPLIED] = threshold
    elif not threshold == applied:  # a higher threshold than before (or NaN): choose among those revealed
        choice = _among_shown(threshold, rule, p, shown, shown_utility, shown_estimate, integers)
        return top[p] if choice < 0 else choice
    return top[p] if integers[p, COUNT] == 0 else integers[p, CHOICE]


@njit(inline="always", cache=True)
def _among_shown(threshold, rule, p, shown, shown_utility, shown_estimate, integers):
    """The menu's choice among the candidates it has revealed that reach ``threshold``; -1 if none does."""
    choice, choice_utility, choice_estimate = -1, 0.0, 0.0
    for k in range(integers[p, COUNT]):
        value = shown_utility[p, k]
        if value >= threshold and _better(rule, shown[p, k], value, shown_estimate[p, k], choice, choice_utility, choice_estimate):
            choice, choice_utility, choice_estimate = shown[p, k], value, shown_estimate[p, k]
    return choice
