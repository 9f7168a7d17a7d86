"""Alternating offers compiled: each run played from round 0 to its end in one loop, with lazy menus.

The loop computes what :func:`truce.simulate.alternating.alternating_offers`
computes, run by run instead of round by round, with the same
floating-point operations in the same order for every target, floor and
comparison. What it cannot compute alike is computed in numpy and passed
in (:mod:`truce.simulate.compiled`): the powers ``discount**t`` and the
round after which the talks break down (numpy's ``power`` and ``log1p``
are not libm's, bit for bit). Utilities are summed issue by issue from 0,
as :func:`truce.problem_samples.run_utilities` sums them, and estimates of
the others' utilities issue by issue, where numpy's engine uses matrix
products whose order of summation belongs to the linear-algebra library:
the last bit may differ, never the runs on any case tested
(tests/simulate/test_engine_equivalence.py, test_compiled_engine.py).

A proposer's menu is never sorted in full. When every run values the
candidates alike they are sorted once per chunk. When the candidates are
a product of per-issue option lists (a whole space, pruned or not) a
falling target enumerates those above it issue by issue, computing no
other candidate's utility (:mod:`truce.simulate.kernel_product`).
Otherwise each run puts them in bins of the proposer's utility (a
counting sort, Seward 1954), and a falling target reveals the bins above
it and scans only the bin at the target, keeping its rest for later. The offer is the best of those
revealed: for the rule "others" the highest estimate for the others, then
the highest own utility, then the first in the pool (what a running argmax
along a stable descending sort picks); for "target" the least own utility,
then the last in the pool. A time-based target falls from the proposer's
best, so a run that agrees early touches few candidates (Boulware agrees
while most of them are out of reach); a target that rises again is
answered from those already revealed. A round whose threshold reaches no
candidate left unrevealed (the next in the sorted order falls short, a
binned menu's best candidate kept in the bin at its last threshold, every
lower bin holding only lower utilities, or a product menu's bound on all it
has not revealed) keeps the menu's choice without calling it: the inlined
menu calls cost most of a round in the reference counting of their array
arguments (numba counts every array handed to an inlined function, on each
call), which is also why each candidate a menu reveals, and each utility of
an offer to the responders, is written out where it is used rather than in
a helper. None of this changes an operation on a value: the skipped calls
would reveal nothing and keep the same choice.

This module imports numba and is imported only when the compiled engine
plays; each loop compiles on first use and is cached on disk
(``cache=True``), so a later process loads it.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from truce.simulate.arena import MIN_TRUST, TOLERANCE
from truce.simulate.kernel_menus import (  # noqa: F401 - TARGET: both rules are read from here by the tests
    BUCKET_SIZE,
    CHOICE,
    COUNT,
    FLOAT_APPLIED,
    FLOAT_CEILING,
    LEVEL,
    OTHERS,
    TARGET,
    _fill_bins,
    _offer,
    bin_ceiling,
)
from truce.simulate.kernel_product import first_best, product_best, product_offer, product_prepare

TIME_DEPENDENT, COST_BASED, HARDLINER, TIT_FOR_TAT = 0, 1, 2, 3
"""Strategy codes (:data:`truce.simulate.compiled.KINDS`)."""


@njit(inline="always", cache=True)
def _maximum(a, b):
    """numpy's ``maximum``: the first on ties, NaN propagates."""
    return a if (a >= b or a != a) else b


@njit(inline="always", cache=True)
def _minimum(a, b):
    """numpy's ``minimum``."""
    return a if (a <= b or a != a) else b


@njit(cache=True, nogil=True)
def _weighted(weights, tables, weighted):
    """``weighted[j, o, p] = weights[p, j] * tables[j, o, p]``: each party's weighted value of each option."""
    issues, options, parties = tables.shape
    for j in range(issues):
        for o in range(options):
            for p in range(parties):
                weighted[j, o, p] = weights[p, j] * tables[j, o, p]


@njit(cache=True, nogil=True)
def _utilities(weighted, pool, options, counts, utility, best, top, lowest):
    """``utility[m, p]``: party p's utility of candidate m, summed issue by issue from 0 as
    :func:`truce.problem_samples.run_utilities` sums it; each party's best utility, its first best
    candidate and its lowest utility.

    When the pool is a product of option lists in order (``counts`` (I,) not empty, the options of
    issue j in ``options[j, :counts[j]]``, the last issue varying fastest), the sums over the first
    issues are kept from one candidate to the next, so that most candidates cost one addition.
    """
    width, issues = pool.shape
    parties = utility.shape[1]
    if len(counts) == 0:
        for p in range(parties):
            m = 0
            while m + 4 <= width:  # four candidates at a time: four sums in flight, not one
                first, second, third, fourth = 0.0, 0.0, 0.0, 0.0
                for j in range(issues):
                    first += weighted[j, pool[m, j], p]
                    second += weighted[j, pool[m + 1, j], p]
                    third += weighted[j, pool[m + 2, j], p]
                    fourth += weighted[j, pool[m + 3, j], p]
                utility[m, p], utility[m + 1, p], utility[m + 2, p], utility[m + 3, p] = first, second, third, fourth
                m += 4
            for m in range(m, width):
                total = 0.0
                for j in range(issues):
                    total += weighted[j, pool[m, j], p]
                utility[m, p] = total
    else:
        last = issues - 1
        digits = np.zeros(issues, dtype=np.int64)
        partial = np.zeros((issues + 1, parties))  # partial[j]: the sum over issues before j
        changed = 0
        m = 0
        while True:
            for j in range(changed, last):
                for p in range(parties):
                    partial[j + 1, p] = partial[j, p] + weighted[j, options[j, digits[j]], p]
            for k in range(counts[last]):
                option = options[last, k]
                for p in range(parties):
                    utility[m, p] = partial[last, p] + weighted[last, option, p]
                m += 1
            j = last - 1
            while j >= 0 and digits[j] + 1 == counts[j]:
                digits[j] = 0
                j -= 1
            if j < 0:
                break
            digits[j] += 1
            changed = j
    for p in range(parties):
        best[p], top[p], lowest[p] = utility[0, p], 0, utility[0, p]
        for m in range(1, width):
            value = utility[m, p]
            if value > best[p]:
                best[p], top[p] = value, m
            if value < lowest[p]:
                lowest[p] = value


@njit(cache=True, nogil=True)
def _guessed_values(guessed, tables, out):
    """``out[p, j, o]``: proposer p's estimate of the others' weighted values of option o of issue j,
    ``sum over q != p of guessed[p, q, j] * tables[j, o, q]`` (from 0, party by party)."""
    parties = guessed.shape[0]
    issues, options = tables.shape[0], tables.shape[1]
    for p in range(parties):
        for j in range(issues):
            for o in range(options):
                total = 0.0
                for q in range(parties):
                    if q != p:
                        total += guessed[p, q, j] * tables[j, o, q]
                out[p, j, o] = total


@njit(inline="always", cache=True)
def _target(kind, t, own_floor, own_best, earlier, earlier_floor, last, before, concession, backstop, scale,
            reservation, cost_of_delay, discount, trust, exposure, side_payment, power, risk, growth):  # fmt: skip
    """One party's target in round t, as its unit in :mod:`truce.simulate.strategies` computes it."""
    if kind == TIME_DEPENDENT:
        return _maximum(own_floor + (own_best - own_floor) * (1.0 - concession), own_floor)
    if kind == HARDLINER:
        return own_best
    if kind == COST_BASED:
        ceiling = _maximum(own_best, own_floor)
        if t == 0:
            return ceiling
        previous = t - 1
        no_deal = _maximum(0.0, reservation - cost_of_delay * previous)
        worth = power * (trust * (earlier + side_payment) + (1.0 - trust) * (no_deal - exposure))
        surplus = _maximum(worth - no_deal, 0.0)
        hazard = _minimum(_maximum(risk + growth * previous, 0.0), 1.0)
        cost = hazard * surplus + (1.0 - discount) * worth + cost_of_delay
        per_utility = power * _maximum(trust, 1e-9)
        asked = _maximum(earlier - earlier_floor, 0.0) - scale * cost / per_utility
        return _minimum(_maximum(own_floor + asked, own_floor), ceiling)
    # tit-for-tat
    ratio = before / last if (last > 0 and math.isfinite(before)) else 1.0
    wanted = own_best if math.isnan(earlier) else earlier * _minimum(ratio, 1.0)
    schedule = _maximum(own_floor + (own_best - own_floor) * (1.0 - backstop), own_floor)
    return _minimum(_maximum(_minimum(wanted, schedule), own_floor), _maximum(own_best, own_floor))


@njit(cache=True, nogil=True)
def play(
    weights, guessed, tables, pool, options, counts, candidates, first,
    reservation, cost_of_delay, discount, trust, exposure, side_payment, discount_power, steady,
    risk, growth, broken_after,
    kinds, rules, scales, concession, backstop, rounds,
    agreed, round_of, candidate, walked_away, broke_down,
):  # fmt: skip
    """Play every run of a chunk; writes the five outputs (R,).

    ``weights`` (R or 1, P, I); ``guessed`` (R, P, P, I): each proposer's
    noisy estimate of every party's weights (its own row zero), or an empty
    array for exact knowledge; ``tables`` (R or 1, I, k, P): each party's
    value of each option (padded); ``pool`` (M, I): the candidate packages,
    ``options`` and ``counts`` their option lists when the pool is their
    product in order (else ``counts`` empty, see :func:`_utilities`);
    ``candidates``: the pool indices a proposer with the "others" rule may
    offer; payoff inputs (R, P); ``discount_power`` (rounds, R or 1, P) =
    ``discount**t``; ``steady``: no cost of delay and no discounting (the
    floor never moves); ``broken_after`` (R,): the round after which the
    talks break down (``rounds``: never); strategies per party: ``kinds``,
    ``rules``, ``scales`` (cost-based), ``concession`` (P, rounds) of the
    time-dependent schedule, ``backstop`` (rounds,) Boulware's, for
    tit-for-tat.
    """
    runs, parties = reservation.shape
    width, issues = pool.shape
    most_options = tables.shape[2]
    exact = guessed.shape[0] == 0
    shared = weights.shape[0] == 1 and tables.shape[0] == 1
    lazy = not shared and len(counts) > 0 and len(candidates) == width  # menus enumerated over the product
    utility = np.empty((width, parties))
    best = np.empty(parties)
    top = np.empty(parties, dtype=np.int64)
    lowest = np.empty(parties)
    weighted = np.empty((issues, most_options, parties))
    guessed_values = np.empty((parties, issues, most_options))
    all_candidates = np.arange(width)
    sizes = np.empty(parties, dtype=np.int64)
    bins = np.empty(parties, dtype=np.int64)
    for p in range(parties):
        sizes[p] = len(candidates) if rules[p] == OTHERS else width
        bins[p] = max(1, sizes[p] // BUCKET_SIZE)
    orders = np.empty((parties, width), dtype=np.int64)
    if shared:  # every run values the candidates alike: sorted once, by utility then pool order
        _weighted(weights[0], tables[0], weighted)
        _utilities(weighted, pool, options, counts, utility, best, top, lowest)
        for p in range(parties):
            subset = candidates if rules[p] == OTHERS else all_candidates
            negated = np.empty(len(subset))
            for k in range(len(subset)):
                negated[k] = -utility[subset[k], p]
            ranked = np.argsort(negated, kind="mergesort")  # stable: equal utilities keep their pool order
            for k in range(len(subset)):
                orders[p, k] = subset[ranked[k]]
    slots = np.empty((parties, width), dtype=np.int64)
    bin_of = np.empty(width, dtype=np.int64)
    starts = np.empty((parties, width + 1), dtype=np.int64)
    fill = np.empty((parties, width + 1), dtype=np.int64)
    shown = np.empty((parties, width), dtype=np.int64)
    shown_utility = np.empty((parties, width))
    shown_estimate = np.empty((parties, width))
    digits = max(1, options.shape[1])
    digit_value = np.empty((parties, issues, digits))
    digit_estimate = np.empty((parties, issues, digits))
    digit_order = np.empty((parties, issues, digits), dtype=np.int64)
    digits_kept = np.empty((parties, issues), dtype=np.int64)
    pointer = np.empty((parties, width), dtype=np.int64)
    steps = np.empty((2, issues + 1), dtype=np.int64)
    sums = np.empty((2, issues + 1))
    top_known = np.zeros(parties, dtype=np.bool_)
    offered = np.empty(parties)
    integers = np.empty((parties, 3), dtype=np.int64)
    floats = np.empty((parties, 4))
    ready = np.zeros(parties, dtype=np.bool_)
    floor = np.empty(parties)
    earlier_floor = np.empty(parties)
    targets = np.empty(parties)
    last_target = np.empty(parties)
    last_received = np.empty(parties)
    previous_received = np.empty(parties)
    for r in range(runs):
        if not shared:
            _weighted(weights[r if weights.shape[0] > 1 else 0], tables[r if tables.shape[0] > 1 else 0], weighted)
            if lazy:  # no candidate's utility is computed before a menu reaches it
                product_best(weighted, options, counts, best)
                top_known[:] = False
            else:
                _utilities(weighted, pool, options, counts, utility, best, top, lowest)
        if not exact:
            _guessed_values(guessed[r], tables[r if tables.shape[0] > 1 else 0], guessed_values)
        rd = r if discount_power.shape[1] > 1 else 0
        ready[:] = False
        last_target[:] = np.nan
        last_received[:] = np.nan
        previous_received[:] = np.nan
        agreed[r], walked_away[r], broke_down[r] = False, False, False
        round_of[r], candidate[r] = -1, -1
        for t in range(rounds):
            if t == 0 or not steady:
                for p in range(parties):
                    no_deal = _maximum(0.0, reservation[r, p] - cost_of_delay[r, p] * t)
                    believed = _maximum(trust[r, p], MIN_TRUST)
                    undiscounted = no_deal / discount_power[t, rd, p]
                    floor[p] = (undiscounted - (1.0 - believed) * (no_deal - exposure[r, p])) / believed - side_payment[r, p]
            walking = False
            for p in range(parties):
                walking = walking or floor[p] > best[p] + TOLERANCE
            if walking:
                walked_away[r], round_of[r] = True, t
                break
            previous = t - 1 if t > 0 else 0
            for p in range(parties):
                if kinds[p] == TIME_DEPENDENT:  # the common case, without loading what the others read
                    targets[p] = _maximum(floor[p] + (best[p] - floor[p]) * (1.0 - concession[p, t]), floor[p])
                    continue
                targets[p] = _target(
                    kinds[p], t, floor[p], best[p], last_target[p], earlier_floor[p], last_received[p], previous_received[p],
                    concession[p, t], backstop[t], scales[p], reservation[r, p], cost_of_delay[r, p], discount[r, p],
                    trust[r, p], exposure[r, p], side_payment[r, p], discount_power[previous, rd, p], risk[r], growth[r],
                )  # fmt: skip
            proposer = (first[r] + t) % parties
            rule = rules[proposer]
            if not ready[proposer]:
                integers[proposer, COUNT], integers[proposer, CHOICE] = 0, -1
                floats[proposer, FLOAT_APPLIED], floats[proposer, FLOAT_CEILING] = np.inf, np.inf
                if shared:
                    integers[proposer, LEVEL] = 0
                elif lazy:
                    product_prepare(
                        proposer, rule, weighted, options, counts, exact, guessed_values, digit_value, digit_estimate, digit_order, digits_kept, pointer,
                    )  # fmt: skip
                else:
                    subset = candidates if rule == OTHERS else all_candidates
                    integers[proposer, LEVEL] = _fill_bins(proposer, utility, subset, lowest[proposer], best[proposer], bins[proposer], slots, starts, fill, bin_of)
                ready[proposer] = True
            threshold = targets[proposer] - TOLERANCE
            ceiling = floats[proposer, FLOAT_CEILING]  # no candidate the menu has not revealed is worth more
            if shared:
                level = integers[proposer, LEVEL]
                ceiling = utility[orders[proposer, level], proposer] if level < sizes[proposer] else -np.inf
            if integers[proposer, COUNT] > 0 and (threshold == floats[proposer, FLOAT_APPLIED] or (threshold < floats[proposer, FLOAT_APPLIED] and not ceiling >= threshold)):
                floats[proposer, FLOAT_APPLIED] = threshold  # nothing new reaches the threshold: the menu's choice stands
                offer = integers[proposer, CHOICE]
            elif lazy:
                offer = product_offer(
                    targets[proposer] - TOLERANCE, rule, proposer, weighted, pool, counts, exact, digit_value, digit_estimate,
                    digit_order, digits_kept, pointer, steps, sums, shown, shown_utility, shown_estimate, integers, floats,
                )  # fmt: skip
                if offer < 0:
                    if not top_known[proposer]:
                        top[proposer], top_known[proposer] = first_best(weighted, pool, proposer, best[proposer]), True
                    offer = top[proposer]
            else:
                revealing = threshold < floats[proposer, FLOAT_APPLIED]
                offer = _offer(
                    targets[proposer] - TOLERANCE, rule, proposer, sizes[proposer], shared, orders, slots, starts, fill,
                    shown, shown_utility, shown_estimate, integers, floats, top, utility, exact, guessed_values, pool,
                )  # fmt: skip
                if revealing and not shared:
                    floats[proposer, FLOAT_CEILING] = bin_ceiling(proposer, integers[proposer, LEVEL], slots, starts, fill, utility)
            deal = True
            for q in range(parties):
                if q != proposer:
                    if lazy:  # summed here, as utility_of sums it (an inlined call would reference-count its arrays)
                        offered[q] = 0.0
                        for j in range(issues):
                            offered[q] += weighted[j, pool[offer, j], q]
                    else:
                        offered[q] = utility[offer, q]
                    if not offered[q] >= targets[q] - TOLERANCE:
                        deal = False
            if deal:
                agreed[r], round_of[r], candidate[r] = True, t, offer
                break
            if t >= broken_after[r]:
                broke_down[r], round_of[r] = True, t
                break
            for q in range(parties):
                if q != proposer:
                    previous_received[q] = last_received[q]
                    last_received[q] = offered[q]
                last_target[q] = targets[q]
                earlier_floor[q] = floor[q]
