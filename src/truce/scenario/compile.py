"""Compile a validated :class:`Scenario` to the arrays of a :class:`Problem`.

Value of an option to an actor (the scenario format's definition):

- an explicit ``values`` table wins: option -> value for ordered and
  categorical issues (options it leaves out are worth 0), piecewise-linear
  [x, value] points for numeric issues (constant beyond the end points);
- ordered issues: 1 at the position, falling linearly with the index
  distance, ``1 - |i - position| / (k - 1)``;
- categorical issues: 1 at the position, 0 elsewhere;
- numeric issues: ``max(0, 1 - |x - position| / tolerance)`` on the issue's
  grid, where the tolerance defaults to the issue's span.

Weights are each party's saliences normalised to sum 1; an issue a party
has no stance on gets weight 0. Uncertain numbers take their nominal value.
"""

from __future__ import annotations

import numpy as np

from truce.problem import Problem
from truce.scenario.distributions import nominal
from truce.scenario.schema import NumericIssue, OrderedIssue, Scenario, Stance


def value_table(issue, stance: Stance | None) -> np.ndarray:
    """The value in [0, 1] of each of the issue's options to one actor."""
    if isinstance(issue, NumericIssue):
        grid = issue.grid
        if stance is None:
            return np.zeros(len(grid))
        if stance.values is not None:
            xs, ys = np.array(stance.values, dtype=float).T
            return np.interp(grid, xs, ys)
        low, high = issue.range
        tolerance = nominal(stance.tolerance) if stance.tolerance is not None else high - low
        return np.clip(1.0 - np.abs(grid - nominal(stance.position)) / tolerance, 0.0, 1.0)
    options = issue.options
    if stance is None:
        return np.zeros(len(options))
    if stance.values is not None:
        return np.array([stance.values.get(option, 0.0) for option in options], dtype=float)
    position = options.index(stance.position)
    if isinstance(issue, OrderedIssue):
        return 1.0 - np.abs(np.arange(len(options)) - position) / (len(options) - 1)
    return (np.arange(len(options)) == position).astype(float)


def compile_problem(scenario: Scenario) -> Problem:
    parties = scenario.parties
    issues = scenario.issues
    saliences = np.array(
        [[nominal(party.stances[i.id].salience) if i.id in party.stances else 0.0 for i in issues] for party in parties]
    )
    values = tuple(
        np.stack([value_table(issue, party.stances.get(issue.id)) for party in parties], axis=1) for issue in issues
    )
    return Problem(
        name=scenario.name,
        party_ids=tuple(p.id for p in parties),
        party_names=tuple(p.name for p in parties),
        issue_ids=tuple(i.id for i in issues),
        issue_names=tuple(i.name for i in issues),
        option_labels=tuple(tuple(i.labels) for i in issues),
        values=values,
        weights=saliences / saliences.sum(axis=1, keepdims=True),
        reservation=np.array([nominal(p.reservation) for p in parties]),
        cost_of_delay=np.array([nominal(p.cost_of_delay) for p in parties]),
        rounds=scenario.rounds,
    )
