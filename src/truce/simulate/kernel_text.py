"""The one-text mediator's two costly steps compiled: choosing each run's text, and its estimate of the parties' utilities.

:class:`truce.simulate.mediators.OneText` tables, in every open run and
every round, the candidate that maximises its estimated Nash score among
those its answers allow (its steps 2 and 4), and after each round's
critique re-estimates every party's utility of every candidate (step 3).
In numpy both are passes over (runs, parties, candidates) arrays, most of
a single-text simulation's time. Here each run is one loop over its
candidates, with the same floating-point operations in the same order as
the numpy steps (:meth:`OneText._choose_numpy`, :func:`estimate_numpy`), so
the texts, and so the runs, are the same bit for bit
(tests/simulate/test_single_text_compiled.py). What numpy and a compiled
loop do not compute alike (``exp``, the sum of the weights) stays in numpy.
The choice releases the GIL, so chunks on threads share the cores.
Importing this module imports numba.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def choose_texts(weights, values, floor, open_runs, accepted, refused, current, tolerance, gain_floor, penalty, tie):  # pragma: no cover - compiled
    """Each open run's text, written into ``current`` (R,) in place: see :meth:`OneText.text`.

    ``weights`` (R, P, I) are the mediator's estimate of the parties' weights and ``values``
    (R or 1, P, I, M) their values of each candidate's options, from which each run's utilities
    are estimated as :func:`_estimate_run` does, in a scratch row (no (R, P, M) array is kept);
    ``floor`` (R, P) are the parties' floors this round, ``accepted`` (R, P) the last text each
    party accepted (-1: none), ``refused`` (R, P) who refused the last text."""
    runs, parties, width = weights.shape[0], values.shape[1], values.shape[3]
    utility = np.empty((parties, width))
    total = np.empty(width)
    score = np.empty(width)
    zone = np.empty(width, dtype=np.bool_)
    keeps = np.empty(width, dtype=np.bool_)
    improves = np.empty(width, dtype=np.bool_)
    kept = np.empty(parties)
    level = np.empty(parties)
    for r in range(runs):
        if not open_runs[r]:
            continue
        _estimate_run(weights[r], values[0 if values.shape[0] == 1 else r], utility, total)
        any_zone = False
        for m in range(width):
            product = 1.0
            shortfall = 0.0
            inside = True
            for p in range(parties):
                gain = utility[p, m] - floor[r, p]
                product *= gain_floor if gain < gain_floor else gain
                shortfall += 0.0 if gain > 0.0 else gain
                inside = inside and gain >= -tolerance
            score[m] = product + penalty * shortfall
            zone[m] = inside
            any_zone = any_zone or inside
        if any_zone:  # the answers narrow the choice: nobody below the text it accepted, every refuser above
            for p in range(parties):
                kept[p] = utility[p, max(accepted[r, p], 0)]
                level[p] = utility[p, max(current[r], 0)]
            any_keeps = any_improves = any_both = False
            for m in range(width):
                keep = zone[m]
                better = zone[m]
                for p in range(parties):
                    own = utility[p, m]
                    keep = keep and (accepted[r, p] < 0 or own >= kept[p] - tolerance)
                    better = better and (not refused[r, p] or own > level[p] + tolerance)
                keeps[m] = keep
                improves[m] = better
                any_keeps = any_keeps or keep
                any_improves = any_improves or better
                any_both = any_both or (keep and better)
            for m in range(width):
                if any_both:
                    allowed = keeps[m] and improves[m]
                elif any_improves:
                    allowed = improves[m]
                elif any_keeps:
                    allowed = keeps[m]
                else:
                    allowed = zone[m]
                if not allowed:
                    score[m] = -np.inf
        top = score[0]
        for m in range(1, width):
            if score[m] > top:
                top = score[m]
        near = top - tie * (1.0 + abs(top))
        choice = -1
        best = -np.inf
        for m in range(width):  # ties: the larger estimated total, then the first candidate
            if score[m] >= near and (choice < 0 or total[m] > best):
                choice = m
                best = total[m]
        current[r] = max(choice, 0)


@njit(inline="always", cache=True)
def _estimate_run(weights, values, utility, total):  # pragma: no cover - compiled
    """One run's estimate of every candidate's utility to every party: ``weights`` (P, I) times
    ``values`` (P, I, M), summed issue by issue from the first, then over the parties from the first
    (as :func:`truce.simulate.mediators.estimate_numpy`); writes ``utility`` (P, M) and ``total`` (M)."""
    parties, issues, width = values.shape
    for p in range(parties):  # candidates innermost: contiguous, and the same sums
        w = weights[p, 0]
        for m in range(width):
            utility[p, m] = w * values[p, 0, m]
        for i in range(1, issues):
            w = weights[p, i]
            for m in range(width):
                utility[p, m] = utility[p, m] + w * values[p, i, m]
    for m in range(width):
        total[m] = utility[0, m]
    for p in range(1, parties):
        for m in range(width):
            total[m] = total[m] + utility[p, m]
