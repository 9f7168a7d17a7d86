"""Compiled loops of the SMP's two O(n^3) steps: each actor's target choice
(A.6.2) and the coalition strengths of a PCE (A.3d).

They compute the formulas of ``challenges._challenge_block`` and
``elections.coalition_strengths`` (the numpy reference, kept for the
general case and checked against these loops in
tests/forecast/test_forecast_smp_kernels.py), fused so that no
(rows, targets, actors) temporary is ever made. This module imports numba
and is imported only when an SMP runs; numba compiles each loop on first
use and caches it on disk (``cache=True``), so a later process loads it.
Sums over third parties and voters may be reordered (as the BLAS matrix
products of the numpy path reorder them), so results agree to rounding.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from numba import njit
from numpy.typing import NDArray

from truce.forecast.smp.options import BINARY_VOTE_RAMP, CHALLENGE_COALITION_FLOOR, VotingRule

RULE_CODES = {rule: code for code, rule in enumerate(VotingRule)}
"""Each voting rule's number inside the compiled loops (the order of :class:`VotingRule`)."""
_PROP, _CUBIC, _PROP_CBC, _BINARY, _PROP_BIN, _ASYM_PROSP = (RULE_CODES[rule] for rule in VotingRule)
_FAST = {"reassoc"}
"""The one fast-math liberty taken: sums may be reordered (so that they vectorise)."""
THREAD_WORK = 1 << 21
"""Inner-loop elements from which a loop's rows are shared between threads (below, one thread does all)."""
_THREADS = max(1, min(4, os.cpu_count() or 1))
_pool: ThreadPoolExecutor | None = None


def _in_threads(rows_function, n_rows: int, work: int, *arguments) -> None:
    """Run ``rows_function(first, last, *arguments)`` over 0..n_rows, in contiguous slices on threads.

    The compiled loops release the GIL (``nogil=True``), so the slices run
    at once; each writes its own rows of the outputs.
    """
    global _pool
    if _THREADS == 1 or work < THREAD_WORK or n_rows < 2:
        rows_function(0, n_rows, *arguments)
        return
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=_THREADS, thread_name_prefix="truce-smp")
    bounds = np.linspace(0, n_rows, _THREADS + 1).astype(int).tolist()
    slices = [(first, last) for first, last in zip(bounds[:-1], bounds[1:]) if last > first]
    futures = [_pool.submit(rows_function, first, last, *arguments) for first, last in slices[1:]]
    rows_function(slices[0][0], slices[0][1], *arguments)
    for future in futures:
        future.result()


@njit(inline="always", fastmath=_FAST, error_model="numpy", cache=True)
def _response(code: int, delta: float) -> float:
    """f(delta) of ``elections._vote_response`` for the rule numbered ``code``."""
    if code == _PROP:
        return delta
    if code == _CUBIC:
        return delta * delta * delta
    if code == _PROP_CBC:
        return 0.5 * delta + 0.5 * (delta * delta * delta)
    ramp = min(max(delta / BINARY_VOTE_RAMP, -1.0), 1.0)
    if code == _BINARY:
        return ramp
    if code == _PROP_BIN:
        return 0.8 * delta + 0.2 * ramp
    return delta if delta < 0.0 else 2.0 * delta / 3.0


@njit(nogil=True, fastmath=_FAST, error_model="numpy", cache=True)
def _target_rows(first, last, code, semi_commit, value, slope, own_value, own_slope, perceived_risk, influence, total_salience, probability, gain):
    """Rows first..last-1 of the table; releases the GIL, so that threads share the rows."""
    n = influence.size
    for i in range(first, last):
        rho = perceived_risk[i]
        toward_initiator = value[i] + slope[i] * rho
        own = own_value + own_slope * rho
        initiator_side = own - toward_initiator
        third_party = influence.copy()  # the weights of the third parties: 0 for i and j
        for j in range(n):
            # u(j's position) as i perceives it, computed where it is read (no (n,) row is stored)
            target_at_i = value[j, i] + slope[j, i] * rho[i]
            target_at_j = value[j, j] + slope[j, j] * rho[j]
            vote_initiator = influence[i] * _response(code, toward_initiator[i] - target_at_i)
            vote_target = influence[j] * _response(code, toward_initiator[j] - target_at_j)
            base_initiator = CHALLENGE_COALITION_FLOOR + max(vote_initiator, 0.0) + max(vote_target, 0.0)
            base_target = CHALLENGE_COALITION_FLOOR - min(vote_initiator, 0.0) - min(vote_target, 0.0)
            strength_initiator = base_initiator
            strength_target = base_target
            if semi_commit:
                base_sum = base_initiator + base_target
                third_party[i] = 0.0
                third_party[j] = 0.0
                total = 0.0
                positive = 0.0
                if code == _PROP:  # the same loop with f(delta) = delta written out, so that it vectorises
                    for m in range(n):
                        toward_target = value[j, m] + slope[j, m] * rho[m]
                        preliminary = influence[m] * (toward_initiator[m] - toward_target)
                        little = (max(preliminary, 0.0) + base_initiator) / (abs(preliminary) + base_sum)
                        target_side = toward_target - own[m]
                        final = (initiator_side[m] - target_side) * little + target_side
                        total += final * third_party[m]
                        positive += max(final, 0.0) * third_party[m]
                else:
                    for m in range(n):
                        toward_target = value[j, m] + slope[j, m] * rho[m]
                        preliminary = influence[m] * _response(code, toward_initiator[m] - toward_target)
                        little = (max(preliminary, 0.0) + base_initiator) / (abs(preliminary) + base_sum)
                        target_side = toward_target - own[m]
                        final = _response(code, (initiator_side[m] - target_side) * little + target_side)
                        total += final * third_party[m]
                        positive += max(final, 0.0) * third_party[m]
                third_party[i] = influence[i]
                third_party[j] = influence[j]
                strength_initiator = base_initiator + positive
                strength_target = base_target + (positive - total)
            win = strength_initiator / (strength_initiator + strength_target)
            utility_initiator = toward_initiator[i]
            utility_target = target_at_i
            resist = total_salience[j]
            probability[i, j] = win
            gain[i, j] = (
                (1.0 - resist) * 2.0 * utility_initiator
                + resist * (win * 2.0 * utility_initiator + (1.0 - win) * 2.0 * utility_target)
                - (utility_initiator + utility_target)
            )


def target_table(tables, rule: VotingRule, semi_commit: bool) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """(P, Delta) of E(i; i; i -> j) for every initiator i (rows) and target j (columns).

    ``tables`` is a state's ``challenges._PerceptionTables``; the diagonal is left as computed.
    """
    n = tables.influence.size
    probability = np.empty((n, n))
    gain = np.empty((n, n))
    _in_threads(
        _target_rows,
        n,
        n * n * n,
        RULE_CODES[rule],
        bool(semi_commit),
        tables.value,
        tables.slope,
        tables.own_value,
        tables.own_slope,
        np.ascontiguousarray(tables.perceived_risk),
        tables.influence,
        tables.total_salience,
        probability,
        gain,
    )
    return probability, gain


@njit(nogil=True, fastmath=_FAST, error_model="numpy", cache=True)
def _coalition_rows(first, last, code, by_option, weights, favour, against, asymmetric):
    """favour[e, m, o] = sum_k w_k max(0, f(u_km - u_ko)); against the same of -f (ASymProsp only).

    For every rule but ASymProsp, f is odd, f(u_ko - u_km) = -f(u_km - u_ko)
    exactly, so each pair m < o is summed once and gives both favour[m, o]
    and favour[o, m].
    """
    n_elections, n_options, n_voters = by_option.shape
    for pair in range(first, last):
        e = pair // n_options
        m = pair % n_options
        favour[e, m, m] = 0.0
        for o in range(0 if asymmetric else m + 1, n_options):
            plus = 0.0
            minus = 0.0
            if code == _PROP:  # f(delta) = delta written out, so that the loop vectorises
                for k in range(n_voters):
                    delta = by_option[e, m, k] - by_option[e, o, k]
                    plus += max(delta, 0.0) * weights[k]
                    minus += max(-delta, 0.0) * weights[k]
            else:
                for k in range(n_voters):
                    response = _response(code, by_option[e, m, k] - by_option[e, o, k])
                    plus += max(response, 0.0) * weights[k]
                    minus += max(-response, 0.0) * weights[k]
            favour[e, m, o] = plus
            if asymmetric:
                against[e, m, o] = minus
            else:
                favour[e, o, m] = minus


def coalition_table(
    by_option: NDArray[np.float64], weights: NDArray[np.float64], rule: VotingRule
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Per election (e, m, o): sum_k w_k max(0, f(u_km - u_ko)), and, for ASymProsp only, sum_k w_k max(0, -f(...)).

    ``by_option`` is (elections, options, voters); for the other rules the second array is the first.
    """
    asymmetric = rule is VotingRule.ASYM_PROSP
    by_option = np.ascontiguousarray(by_option, dtype=np.float64)
    favour = np.empty(by_option.shape[:2] + (by_option.shape[1],))
    against = np.empty_like(favour) if asymmetric else favour
    n_elections, n_options, n_voters = by_option.shape
    _in_threads(
        _coalition_rows,
        n_elections * n_options,
        n_elections * n_options**2 * n_voters,
        RULE_CODES[rule],
        by_option,
        np.ascontiguousarray(weights, dtype=np.float64),
        favour,
        against,
        asymmetric,
    )
    return favour, against


@njit(cache=True)
def first_representatives(near: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """A.8.1's greedy pass: actor a represents itself unless it is near an earlier representative."""
    n = near.shape[0]
    representative = np.zeros(n, dtype=np.bool_)
    for actor in range(n):
        alone = True
        for earlier in range(actor):
            if representative[earlier] and near[actor, earlier]:
                alone = False
                break
        representative[actor] = alone
    return representative
