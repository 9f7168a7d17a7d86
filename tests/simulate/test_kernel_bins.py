"""The compiled loop's shortcut for binned menus (:func:`truce.simulate.kernel_menus.bin_ceiling`): a
round whose threshold reaches none of the candidates a menu has not revealed keeps its choice without
calling it; checked against a brute-force proposer, and against the menu called every round."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from truce.simulate import kernel


def brute_force(own, estimate, candidates, threshold, rule):
    """Among candidates worth >= threshold: for "others" the largest estimate, then the largest own
    utility, then the first in the pool; for "target" the least own utility, then the last in the pool;
    the first best of the whole pool when none reaches."""
    reaching = [m for m in candidates if own[m] >= threshold]
    if not reaching:
        return int(np.argmax(own))
    if rule == kernel.OTHERS:
        return min(reaching, key=lambda m: (-estimate[m], -own[m], m))
    return min(reaching, key=lambda m: (own[m], -m))


def binned_offers(own, estimate, candidates, thresholds, rule, shortcut):
    """Party 0's binned menu over a one-issue pool (option m is candidate m) answering the thresholds in
    turn, as the loop answers them: with ``shortcut``, a round that reaches nothing unrevealed keeps the
    choice (``FLOAT_CEILING`` from :func:`bin_ceiling` after each round that revealed), else the menu is
    called every round."""
    width = len(own)
    utility = np.ascontiguousarray(own[:, None])
    pool = np.arange(width, dtype=np.int64)[:, None]
    guessed_values = np.ascontiguousarray(estimate[None, None, :])
    slots, orders = np.zeros((1, width), dtype=np.int64), np.zeros((1, width), dtype=np.int64)
    starts, fill = np.zeros((1, width + 1), dtype=np.int64), np.zeros((1, width + 1), dtype=np.int64)
    integers = np.array([[0, -1, 0]], dtype=np.int64)
    floats = np.array([[np.inf, 0.0, 0.0, np.inf]])
    shown, shown_utility, shown_estimate = np.zeros((1, width), dtype=np.int64), np.zeros((1, width)), np.zeros((1, width))
    top = np.array([int(np.argmax(own))], dtype=np.int64)
    bins = max(1, len(candidates) // kernel.BUCKET_SIZE)
    integers[0, kernel.LEVEL] = kernel._fill_bins(0, utility, candidates, own.min(), own.max(), bins, slots, starts, fill, np.zeros(width, dtype=np.int64))
    offers, skipped = [], 0
    for threshold in thresholds:
        applied, ceiling = floats[0, kernel.FLOAT_APPLIED], floats[0, kernel.FLOAT_CEILING]
        if shortcut and integers[0, kernel.COUNT] > 0 and (threshold == applied or (threshold < applied and not ceiling >= threshold)):
            floats[0, kernel.FLOAT_APPLIED] = threshold
            offers.append(int(integers[0, kernel.CHOICE]))
            skipped += 1
            continue
        revealing = threshold < applied
        offer = kernel._offer(
            float(threshold), rule, 0, len(candidates), False, orders, slots, starts, fill,
            shown, shown_utility, shown_estimate, integers, floats, top, utility, False, guessed_values, pool,
        )  # fmt: skip
        if revealing:
            floats[0, kernel.FLOAT_CEILING] = kernel.bin_ceiling(0, integers[0, kernel.LEVEL], slots, starts, fill, utility)
        offers.append(int(offer))
    return offers, skipped


levels = st.sampled_from([0.0, 0.1, 0.25, 0.3, 0.5, 0.5, 0.75, 1.0])  # few distinct values: ties are frequent


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    own=st.lists(levels, min_size=1, max_size=60),
    data=st.data(),
    rule=st.sampled_from([kernel.OTHERS, kernel.TARGET]),
)
def test_binned_menu_with_the_shortcut_offers_what_a_brute_force_proposer_offers(own, data, rule):
    own = np.array(own)
    width = len(own)
    estimate = np.array(data.draw(st.lists(levels, min_size=width, max_size=width)))
    chosen = data.draw(st.lists(st.integers(0, width - 1), min_size=1, max_size=width, unique=True))
    candidates = np.array(sorted(chosen), dtype=np.int64)
    # mostly falling, as a target falls, with repeats and rises between
    thresholds = data.draw(st.lists(st.sampled_from([-0.1, 0.0, 0.05, 0.1, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.75, 0.9, 1.0, 1.1]), min_size=1, max_size=25))
    with_shortcut, _ = binned_offers(own, estimate, candidates, thresholds, rule, shortcut=True)
    every_round, _ = binned_offers(own, estimate, candidates, thresholds, rule, shortcut=False)
    assert with_shortcut == every_round
    assert with_shortcut == [brute_force(own, estimate, candidates, t, rule) for t in thresholds]


def test_bin_ceiling_by_hand():
    """Eight candidates in one bin: revealed down to 0.55 (0.6 and 0.7), the bin keeps 0.0 to 0.5, so a
    threshold of 0.52 (above 0.5) is answered without calling the menu, and 0.45 reveals 0.5."""
    own = np.array([0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7])
    estimate = np.array([0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.0])
    candidates = np.arange(8, dtype=np.int64)
    offers, skipped = binned_offers(own, estimate, candidates, [0.55, 0.52, 0.45], kernel.OTHERS, shortcut=True)
    assert offers == [6, 6, 5]  # 0.6 is the best estimate for the others reaching 0.55 and 0.52; 0.5 reaches 0.45
    assert skipped == 1
