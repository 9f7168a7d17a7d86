"""The candidate packages offers are drawn from (step 2 of :mod:`truce.simulate.montecarlo`).

The whole space when it is small; otherwise the union of the exact Pareto
frontiers of the nominal problem and of a few sampled runs. That union is a
function of the per-issue tables the frontiers are computed on (and of the
red lines), so it is kept by the content of those tables: simulations that
sample the same preferences (the what-if's variants: levers change payoffs,
trust and the protocol, never preferences) get it without computing a
frontier again, and a changed preference is a changed key.
"""

from __future__ import annotations

import hashlib
import math
import threading
from collections import OrderedDict
from typing import Sequence

import numpy as np

from truce.analysis.pareto import frontiers_of_two
from truce.analysis.red_lines import crosses, frontier_within, lift, within
from truce.problem import Problem, Samples

ENUMERATE_UP_TO = 20_000
"""Spaces up to this many packages are used whole as the candidate pool."""
ENUMERATE_SHARED_UP_TO = 1_000_000
"""The same when every run has the same preferences (the pool's utilities are then computed once)."""
FRONTIER_SAMPLES = 24
"""Sampled runs whose frontiers join the candidate pool of a larger space."""
KEPT_POOLS = 32
"""Pools kept by content (each a few hundred packages: a frontier union, never a whole space)."""

_pools: OrderedDict[bytes, np.ndarray] = OrderedDict()
_lock = threading.Lock()


def candidate_pool(problem: Problem, samples: Samples, shared: bool = False) -> np.ndarray:
    """Packages offers are drawn from: (M, n_issues) option indices, all within every party's red lines."""
    if problem.n_outcomes <= (ENUMERATE_SHARED_UP_TO if shared else ENUMERATE_UP_TO):
        grids = np.indices(tuple(problem.n_options)).reshape(problem.n_issues, -1).T
        return np.ascontiguousarray(grids[~crosses(grids, problem.ruled_out)])
    epsilon = None if problem.n_parties == 2 else 0.02
    nominal = problem.pareto(epsilon).packages  # first, as ever: it checks the frontier's cap
    tables = []
    if problem.uncertain:
        picks = np.unique(np.linspace(0, len(samples) - 1, min(FRONTIER_SAMPLES, len(samples))).astype(int))
        for run in picks:
            weights, values = problem.realise(samples, run, run + 1)
            tables.append([v[0] * weights[0, :, j] for j, v in enumerate(values)])
    key = content_key([problem.weighted_values, *tables], problem.ruled_out, epsilon)
    with _lock:
        if key in _pools:
            _pools.move_to_end(key)
            return _pools[key].copy()
    pool = unique_packages(np.concatenate([nominal, frontier_union(tables, problem.ruled_out, epsilon)]), problem.n_options)
    with _lock:
        _pools[key] = pool.copy()
        while len(_pools) > KEPT_POOLS:
            _pools.popitem(last=False)
    return pool


def frontier_union(tables: list[Sequence[np.ndarray]], ruled_out: Sequence[np.ndarray], epsilon: float | None) -> np.ndarray:
    """(F, n_issues): the packages on the frontier (within the red lines) of each problem whose per-issue
    tables are given, stacked (with repeats), as :func:`truce.analysis.red_lines.frontier_within` finds
    them one by one; two parties' exact frontiers are found all at once (:func:`frontiers_of_two`)."""
    n_issues = len(ruled_out)
    if not tables:
        return np.zeros((0, n_issues), dtype=np.int64)
    if epsilon is not None or tables[0][0].shape[1] != 2:
        return np.concatenate([frontier_within(table, ruled_out, epsilon)[0] for table in tables])
    kept = [within(table, ruled_out) for table in tables]
    if any(len(table) == 0 for table in kept[0]):  # some issue has no option every party accepts
        return np.zeros((0, n_issues), dtype=np.int64)
    packages, _ = frontiers_of_two([np.stack([table[j] for table in kept]) for j in range(n_issues)])
    return lift(packages, ruled_out)


def unique_packages(packages: np.ndarray, n_options: np.ndarray) -> np.ndarray:
    """``np.unique(packages, axis=0)`` (the distinct rows, in lexicographic order), through one integer
    per package (its index in the product space, the first issue most significant: the same order)."""
    if math.prod(int(k) for k in n_options) >= 2**63:
        return np.unique(packages, axis=0)
    strides = np.ones(len(n_options), dtype=np.int64)
    strides[:-1] = np.cumprod(np.asarray(n_options, dtype=np.int64)[::-1])[::-1][1:]
    codes = np.unique(np.asarray(packages, dtype=np.int64) @ strides)
    return (codes[:, None] // strides[None, :]) % np.asarray(n_options, dtype=np.int64)[None, :]


def content_key(tables: list[Sequence[np.ndarray]], ruled_out: Sequence[np.ndarray], epsilon: float | None) -> bytes:
    """A digest of everything a frontier union depends on: each table's shape and float64 bytes, the red
    lines and ``epsilon`` (equal digests, equal unions; any changed number, another digest)."""
    digest = hashlib.blake2b(repr(("pool", epsilon, len(tables))).encode(), digest_size=32)
    for array in [*(table for group in tables for table in group), *ruled_out]:
        array = np.ascontiguousarray(array)
        digest.update(repr((array.dtype.str, array.shape)).encode())
        digest.update(array.tobytes())
    return digest.digest()


def forget_pools() -> None:
    """Empty the pools kept by content (for tests and benchmarks that time a first computation)."""
    with _lock:
        _pools.clear()
