"""The undominated rows of a set of points in 3 or more dimensions, compiled.

A k-d tree (Bentley 1975) over the points, each node keeping the box that
bounds its points, answers for every point q the question "is there a row
p != q with p >= q in every coordinate?" (a dominance query: the rows are
distinct, so such a p is better in at least one coordinate). The search
skips every node whose box's upper corner is below q in some coordinate,
answers yes at once for a node whose lower corner is at or above q and
above it somewhere (every row of the node then dominates q), and visits the
upper child of a split first, where a dominator is likelier. Rows may
repeat: a row equal to q does not dominate it, so every copy of an
undominated row is kept and every copy of a dominated one dropped. This is the index-based
skyline of Kossmann, Ramsak & Rost (2002) and Papadias et al. (2005)
with a k-d tree in place of their R-tree; it compares exactly (no
tolerance), as the pairwise check does.

This module imports numba and is imported only when a frontier of 3 or
more parties is computed; each loop compiles on first use and is cached
on disk (``cache=True``), so a later process loads it.
"""

from __future__ import annotations

import numpy as np
from numba import njit
from numpy.typing import NDArray

LEAF_SIZE = 16
"""Rows in a leaf of the tree, below which a node is not split."""


@njit(cache=True, nogil=True)
def _select(points, order, start, end, kth, dim):
    """Permute order[start:end] so that the rows before ``kth`` are at most, and those after at least,
    row order[kth] in coordinate ``dim`` (Hoare's selection, 1961)."""
    low, high = start, end - 1
    while high > low:
        pivot = points[order[(low + high) // 2], dim]
        i, j = low, high
        while i <= j:
            while points[order[i], dim] < pivot:
                i += 1
            while points[order[j], dim] > pivot:
                j -= 1
            if i <= j:
                order[i], order[j] = order[j], order[i]
                i += 1
                j -= 1
        if kth <= j:
            high = j
        elif kth >= i:
            low = i
        else:
            return


@njit(cache=True, nogil=True)
def _build(points, order, node_start, node_end, node_left, node_lower, node_upper):
    """Split nodes at the median of their widest coordinate until leaves hold <= LEAF_SIZE rows.

    ``order`` is permuted so that every node's rows are ``order[start:end]``.
    Returns the number of nodes.
    """
    dims = points.shape[1]
    n_nodes = 1
    node_start[0], node_end[0] = 0, points.shape[0]
    stack = np.empty(128, dtype=np.int64)
    stack[0] = 0
    depth = 1
    while depth > 0:
        depth -= 1
        node = stack[depth]
        start, end = node_start[node], node_end[node]
        for dim in range(dims):
            low, high = np.inf, -np.inf
            for position in range(start, end):
                value = points[order[position], dim]
                low = min(low, value)
                high = max(high, value)
            node_lower[node, dim], node_upper[node, dim] = low, high
        node_left[node] = -1
        if end - start <= LEAF_SIZE:
            continue
        widest = 0
        for dim in range(1, dims):
            if node_upper[node, dim] - node_lower[node, dim] > node_upper[node, widest] - node_lower[node, widest]:
                widest = dim
        if node_upper[node, widest] == node_lower[node, widest]:
            continue  # every row of the node is the same point: a leaf
        middle = (start + end) // 2
        _select(points, order, start, end, middle, widest)
        left = n_nodes
        node_left[node] = left
        node_start[left], node_end[left] = start, middle
        node_start[left + 1], node_end[left + 1] = middle, end
        n_nodes += 2
        stack[depth], stack[depth + 1] = left + 1, left  # the upper half first
        depth += 2
    return n_nodes


@njit(inline="always", cache=True, nogil=True)
def _dominates(row, query):
    strictly = False
    for dim in range(row.shape[0]):
        if row[dim] < query[dim]:
            return False
        if row[dim] > query[dim]:
            strictly = True
    return strictly


@njit(cache=True, nogil=True)
def _dominated(points, node_start, node_end, node_left, node_lower, node_upper, query, stack):
    """A row at or above ``query`` in every coordinate and above it in one, or -1 if there is none.

    ``points`` are in the tree's order: node k holds rows node_start[k]..node_end[k].
    """
    dims = points.shape[1]
    depth = 1
    stack[0] = 0
    while depth > 0:
        depth -= 1
        node = stack[depth]
        reachable = True
        for dim in range(dims):
            if node_upper[node, dim] < query[dim]:
                reachable = False
                break
        if not reachable:
            continue
        covered = True
        above = False
        for dim in range(dims):
            if node_lower[node, dim] < query[dim]:
                covered = False
                break
            if node_lower[node, dim] > query[dim]:
                above = True
        if covered and above:
            return node_start[node]
        left = node_left[node]
        if left >= 0:
            stack[depth] = left
            stack[depth + 1] = left + 1  # popped first: the upper half
            depth += 2
            continue
        for row in range(node_start[node], node_end[node]):
            weakly_above = True
            strictly = False
            for dim in range(dims):
                value = points[row, dim]
                if value < query[dim]:
                    weakly_above = False
                    break
                if value > query[dim]:
                    strictly = True
            if weakly_above and strictly:
                return row
    return -1


@njit(cache=True, nogil=True)
def _undominated_mask(points):
    n, dims = points.shape
    capacity = 2 * (n // max(1, LEAF_SIZE // 2) + 1) + 1
    node_start = np.empty(capacity, dtype=np.int64)
    node_end = np.empty(capacity, dtype=np.int64)
    node_left = np.empty(capacity, dtype=np.int64)
    node_lower = np.empty((capacity, dims))
    node_upper = np.empty((capacity, dims))
    order = np.arange(n)
    _build(points, order, node_start, node_end, node_left, node_lower, node_upper)
    in_tree_order = np.empty_like(points)
    for position in range(n):
        in_tree_order[position] = points[order[position]]
    stack = np.empty(256, dtype=np.int64)
    keep = np.empty(n, dtype=np.bool_)
    last = -1  # the dominator found last: neighbours in the tree are often dominated by it too
    for position in range(n):  # neighbours in the tree query in turn: their paths share nodes in cache
        query = in_tree_order[position]
        if last >= 0 and _dominates(in_tree_order[last], query):
            keep[order[position]] = False
            continue
        found = _dominated(in_tree_order, node_start, node_end, node_left, node_lower, node_upper, query, stack)
        keep[order[position]] = found < 0
        if found >= 0:
            last = found
    return keep


def undominated(points: NDArray[np.float64]) -> NDArray[np.int64]:
    """Indices (ascending) of the rows of ``points`` (any number of columns) that no other row dominates.

    A row dominates another when it is at least as large in every column and
    larger in one; equal rows do not dominate each other.
    """
    points = np.ascontiguousarray(points, dtype=np.float64)
    if len(points) == 0:
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(_undominated_mask(points))
