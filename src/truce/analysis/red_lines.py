"""Red lines on single issues in the compiled form: which packages they leave, and the frontier within them.

``ruled_out[j]`` is an (n_options, n_parties) integer array: nonzero where party
p will never accept option o of issue j (the stance's ``red_line``, see
:mod:`truce.scenario.schema.red_lines`), and then the number of options its red
line must admit for it to accept o (1 for a named option; for an option beyond a
bound, the options from it to the bound). A package is *within the red lines*
when no party's red line rules out any of its options. Red lines rule options
out issue by issue, so the packages within them are again a product space:
issue j keeps the options no party rules out. The frontier, the zone of
agreement, the improvements and the simulation's candidates are computed on
that smaller product (the same merge, on fewer options), and its packages are
mapped back to the scenario's option indices.
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from truce.analysis.pareto import pareto_frontier


def allowed_options(ruled_out: Sequence[np.ndarray]) -> list[np.ndarray]:
    """Per issue, the option indices no party rules out."""
    return [np.flatnonzero(~table.any(axis=1)) for table in ruled_out]


def has_red_lines(ruled_out: Sequence[np.ndarray]) -> bool:
    return any(table.any() for table in ruled_out)


def packages_within(ruled_out: Sequence[np.ndarray]) -> int:
    """How many packages keep within every red line (an exact integer)."""
    return math.prod(len(allowed) for allowed in allowed_options(ruled_out))


def within(tables: Sequence[np.ndarray], ruled_out: Sequence[np.ndarray]) -> list[np.ndarray]:
    """The rows of each per-issue table (options first) that no party rules out."""
    if not has_red_lines(ruled_out):
        return list(tables)
    return [table[allowed] for table, allowed in zip(tables, allowed_options(ruled_out))]


def lift(packages: np.ndarray, ruled_out: Sequence[np.ndarray]) -> np.ndarray:
    """Packages of the product within the red lines as the scenario's option indices."""
    if not has_red_lines(ruled_out):
        return packages
    allowed = allowed_options(ruled_out)
    return np.stack([allowed[j][packages[:, j]] for j in range(len(allowed))], axis=1) if len(packages) else packages


def crosses(packages: np.ndarray, ruled_out: Sequence[np.ndarray]) -> np.ndarray:
    """(m,) boolean: whether each package gives some party an option its red line rules out."""
    packages = np.atleast_2d(packages)
    out = np.zeros(len(packages), dtype=bool)
    for j, table in enumerate(ruled_out):
        out |= table.any(axis=1)[packages[:, j]]
    return out


def crossed(package: np.ndarray, ruled_out: Sequence[np.ndarray]) -> list[tuple[int, int]]:
    """(party, issue) for every red line the package crosses."""
    return [(int(p), j) for j, table in enumerate(ruled_out) for p in np.flatnonzero(table[int(package[j])])]


def frontier_within(weighted_values: Sequence[np.ndarray], ruled_out: Sequence[np.ndarray], epsilon: float | None = None):
    """:func:`truce.analysis.pareto.pareto_frontier` over the packages within the red lines, in the
    scenario's option indices; empty when some issue has no option every party accepts."""
    tables = within(weighted_values, ruled_out)
    n_parties = weighted_values[0].shape[1]
    if any(len(table) == 0 for table in tables):
        empty = None if epsilon is not None else np.zeros(0, dtype=np.int64)
        return np.zeros((0, len(tables)), dtype=np.int64), np.zeros((0, n_parties)), empty
    packages, utilities, multiplicity = pareto_frontier(tables, epsilon=epsilon)
    return lift(packages, ruled_out), utilities, multiplicity
