"""Real terms (issue id -> option name or number) as a package of option indices, and back."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from truce.errors import InputError
from truce.problem import Problem

DEFERRED = "deferred"
"""The label of a deferrable issue's extra option: the issue is left open."""


def term_index(problem: Problem, issue: str, value: str | float) -> int:
    """The option index of one real term: an option name, ``deferred`` where the issue allows deferral,
    or for a numeric issue the grid point nearest the number. Raises ``ValueError`` naming the issue
    and what was expected."""
    if issue not in problem.issue_ids:
        raise InputError(f"unknown issue '{issue}'; expected one of {', '.join(problem.issue_ids)}")
    j = problem.issue_ids.index(issue)
    deferrable = bool(problem.deferrable and problem.deferrable[j])
    if str(value) == DEFERRED:
        if not deferrable:
            raise InputError(f"issue '{issue}': found 'deferred'; the issue is not deferrable (deferrable: true in the scenario allows it)")
        return len(problem.option_labels[j]) - 1
    grid = problem.grids[j]
    if grid is not None:
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise InputError(f"issue '{issue}': found '{value}'; expected a number in [{grid[0]:g}, {grid[-1]:g}]{' or deferred' if deferrable else ''}") from None
        if not grid[0] - 1e-9 <= number <= grid[-1] + 1e-9:
            raise InputError(f"issue '{issue}': found {number:g}; expected a number in [{grid[0]:g}, {grid[-1]:g}]")
        return int(np.argmin(np.abs(grid - number)))
    labels = problem.option_labels[j]
    if str(value) not in labels:
        raise InputError(f"issue '{issue}': found '{value}'; expected one of {', '.join(labels)}")
    return labels.index(str(value))


def package_from_terms(problem: Problem, terms: Mapping[str, str | float]) -> np.ndarray:
    """A full package (one option index per issue) from issue id -> term; every issue needs a term."""
    missing = [issue for issue in problem.issue_ids if issue not in terms]
    if missing:
        raise InputError(f"no term for issue(s) {', '.join(missing)}; expected a term for every issue")
    return np.array([term_index(problem, issue, terms[issue]) for issue in problem.issue_ids], dtype=np.int64)


def parse_terms(specs: list[str]) -> dict[str, str]:
    """``ISSUE=OPTION`` strings as a dict (the CLI's ``--package``)."""
    terms = {}
    for spec in specs:
        issue, separator, option = spec.partition("=")
        if not separator or not issue.strip() or not option.strip():
            raise InputError(f"--package {spec}: expected ISSUE=OPTION")
        terms[issue.strip()] = option.strip()
    return terms
