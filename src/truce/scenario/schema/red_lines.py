"""Red lines on single issues: options a party will never accept, whatever else a package gives it.

A stance's ``red_line`` rules options out for that party alone:

- ``never``: named options (ordered, categorical), grid values (numeric), or
  ``deferred`` on a deferrable issue;
- ``at_least`` / ``at_most``: a bound the party will not cross, a number in
  the range (numeric) or an option (ordered: the options before ``at_least``
  or after ``at_most`` in the issue's order are ruled out). Bounds apply to
  the settled options; leaving a deferrable issue open is ruled out only by
  ``never: [deferred]``.

A package that gives any party an option its red line rules out is outside
the zone of agreement, whatever the package is worth to that party.
"""

from __future__ import annotations

from typing import Union

import numpy as np
from pydantic import Field

from truce.scenario.distributions import nominal
from truce.scenario.schema.common import Number, Text, _Model
from truce.scenario.schema.issues import CategoricalIssue, NumericIssue

DEFERRED = "deferred"
GRID_TOLERANCE = 1e-9
"""A numeric bound or value within this share of the range of a grid point counts as that point."""


class RedLine(_Model):
    """What a party will never accept on one issue: named options, or a bound it will not cross."""

    never: list[Union[str, Number]] = Field(
        default_factory=list,
        max_length=1001,
        description="Options the party will never accept: option names (ordered, categorical), grid values "
        "(numeric), or 'deferred' on a deferrable issue.",
    )
    at_least: Union[Number, str, None] = Field(
        None,
        description="The least the party accepts: a number in the range (numeric) or an option (ordered); "
        "everything below it is ruled out.",
    )
    at_most: Union[Number, str, None] = Field(
        None,
        description="The most the party accepts: a number in the range (numeric) or an option (ordered); "
        "everything above it is ruled out.",
    )
    note: Text | None = Field(None, description="Where the red line comes from.")


def in_words(red_line: RedLine) -> str:
    """A red line as text: ``never a, b; at least x; at most y``."""
    word = lambda value: value if isinstance(value, str) else f"{value:g}"  # noqa: E731
    parts = [f"never {', '.join(map(word, red_line.never))}"] if red_line.never else []
    parts += [f"at least {word(red_line.at_least)}"] if red_line.at_least is not None else []
    parts += [f"at most {word(red_line.at_most)}"] if red_line.at_most is not None else []
    return "; ".join(parts)


def _grid_index(issue: NumericIssue, value: float) -> int | None:
    """The grid point equal to ``value`` (within the tolerance), or None."""
    grid = issue.grid
    nearest = int(np.argmin(np.abs(grid - value)))
    low, high = issue.range
    return nearest if abs(grid[nearest] - value) <= GRID_TOLERANCE * (high - low) else None


def _listed(options) -> str:
    """Options quoted, since an option's name may hold a comma."""
    return ", ".join(f"'{option}'" for option in options)


def _bound_problems(spot: str, issue, name: str, bound):
    """A bound's type against the issue's kind."""
    if bound is None:
        return
    if isinstance(issue, CategoricalIssue):
        yield f"{spot}.{name}", f"categorical issue '{issue.id}' has no order; expected never: [options] instead of {name}"
    elif isinstance(issue, NumericIssue):
        low, high = issue.range
        if isinstance(bound, str):
            yield f"{spot}.{name}", f"found '{bound}'; expected a number from {low:g} to {high:g}{' ' + issue.unit if issue.unit else ''}"
        elif not low <= bound <= high:
            yield f"{spot}.{name}", f"found {bound:g}, outside the range; expected a number from {low:g} to {high:g}"
    elif not isinstance(bound, str) or bound not in issue.options:
        found = f"'{bound}'" if isinstance(bound, str) else f"{bound:g}"
        yield f"{spot}.{name}", f"found {found}; expected one of the options of ordered issue '{issue.id}': {_listed(issue.options)}"


def _never_problems(spot: str, issue, never):
    for n, option in enumerate(never):
        where = f"{spot}.never[{n}]"
        if option == DEFERRED:
            if not issue.deferrable:
                yield where, f"issue '{issue.id}' is not deferrable; expected 'deferred' only on an issue with deferrable: true"
        elif isinstance(issue, NumericIssue):
            low, high = issue.range
            if isinstance(option, str) or _grid_index(issue, option) is None:
                found = f"'{option}'" if isinstance(option, str) else f"{option:g}"
                yield where, f"found {found}; expected a grid value from {low:g} to {high:g} in steps of {issue.step:g} (or 'deferred')"
        elif option not in issue.options:
            found = f"'{option}'" if isinstance(option, str) else f"{option:g}"
            yield where, f"found {found}; expected one of {_listed(issue.options)}" + (" or 'deferred'" if issue.deferrable else "")


def red_line_problems(spot: str, stance, issue, role: str):
    """Yield (path, message) for every problem of one stance's red line."""
    red_line = stance.red_line
    if red_line is None:
        return
    spot = f"{spot}.red_line"
    if role != "party":
        yield spot, f"found a red line on a {role}'s stance; expected red lines only on parties' stances (a {role} holds no veto)"
        return
    if not red_line.never and red_line.at_least is None and red_line.at_most is None:
        yield spot, "found an empty red line; expected never: [options], at_least or at_most"
        return
    problems = list(_bound_problems(spot, issue, "at_least", red_line.at_least))
    problems += _bound_problems(spot, issue, "at_most", red_line.at_most)
    problems += _never_problems(spot, issue, red_line.never)
    yield from problems
    if problems:
        return
    ruled_out = ruled_out_options(issue, red_line)
    labels = issue.labels + ([DEFERRED] if issue.deferrable else [])
    if ruled_out.all():
        yield spot, f"found a red line that rules out every option of issue '{issue.id}'; expected at least one option the party accepts"
    elif red_line.at_least is not None and red_line.at_most is not None and ruled_out[: len(issue.labels)].all():
        yield spot, "found at_least above at_most; expected at_least <= at_most"
    elif (position := _position_index(issue, stance.position)) is not None and ruled_out[position]:
        yield spot, (
            f"found a red line that rules out the party's own position ({labels[position]}); "
            "expected the position to be an option the party accepts"
        )


def _position_index(issue, position) -> int | None:
    if isinstance(issue, NumericIssue):
        return int(np.argmin(np.abs(issue.grid - nominal(position))))
    return issue.options.index(position) if position in issue.options else None


def phased_red_line_problems(scenario):
    """Yield (path, message) for a red line that never accepts 'deferred' on an issue a later phase
    settles: phase 1 leaves that issue open, so the party could accept no phased agreement at all."""
    later = {issue_id: k for k, phase in enumerate(scenario.phases) if k > 0 for issue_id in phase.issues}
    for a, actor in enumerate(scenario.actors):
        for issue_id, stance in actor.stances.items():
            if stance.red_line is None or issue_id not in later:
                continue
            for n, option in enumerate(stance.red_line.never):
                if option == DEFERRED:
                    yield f"actors[{a}].stances.{issue_id}.red_line.never[{n}]", (
                        f"issue '{issue_id}' is settled in phase {later[issue_id] + 1}, so the phases before it leave it open; "
                        "expected no 'deferred' in a red line on an issue of a later phase"
                    )


def ruled_out_options(issue, red_line: RedLine | None) -> np.ndarray:
    """(n_options,) integers over the issue's options (then 'deferred' on a deferrable issue): 0 where
    the party accepts the option; otherwise how many options its red line must admit for it to accept
    this one: 1 for a named option, and for an option beyond a bound the options from it to the bound
    (moving the bound there admits them all). The red line must be valid for the issue."""
    settled = len(issue.labels)
    steps = np.zeros(settled + bool(issue.deferrable), dtype=np.int64)
    if red_line is None:
        return steps
    order = np.arange(settled)
    if isinstance(issue, NumericIssue):
        tolerance = GRID_TOLERANCE * (issue.range[1] - issue.range[0])
        grid = issue.grid
        first = None if red_line.at_least is None else int(np.searchsorted(grid, red_line.at_least - tolerance))
        last = None if red_line.at_most is None else int(np.searchsorted(grid, red_line.at_most + tolerance, side="right")) - 1
        named = [_grid_index(issue, option) for option in red_line.never if option != DEFERRED]
    else:
        first = None if red_line.at_least is None else issue.options.index(red_line.at_least)
        last = None if red_line.at_most is None else issue.options.index(red_line.at_most)
        named = [issue.options.index(option) for option in red_line.never if option != DEFERRED]
    if first is not None:
        steps[:settled] += np.maximum(first - order, 0)
    if last is not None:
        steps[:settled] += np.maximum(order - last, 0)
    steps[named] += 1
    if DEFERRED in red_line.never:
        steps[-1] = 1
    return steps
