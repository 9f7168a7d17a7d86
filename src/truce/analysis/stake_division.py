"""Adjusted Winner on a two-party scenario: each party's stakes as its 100 points, and the package it gives.

Adjusted Winner (:mod:`truce.analysis.division`) needs each party's 100
points spread over the issues. A truce scenario already says how much each
issue can move each party's utility: its *stake*, ``w_pj (max_o v_j(o)_p -
min_o v_j(o)_p)`` over the options that settle the issue (the stakes of
:mod:`truce.analysis.explain`). Scaled so each party's stakes add up to
100, they are the points (Brams & Togman 1996 score the Camp David issues
the same way, from each side's stated priorities). Getting one's way on an
issue means the issue settles at one's best option; since utilities are
additive, a share ``s`` of an issue is worth ``s`` times its points exactly
when the option chosen gives the party the fraction ``s`` of its stake
there, which is what the points of Adjusted Winner assume.

The package: every issue a party wins whole settles at that party's best
option (ties to the one the other party values more); the split issue at
the option whose value to the party with the larger share is nearest to
that share of its stake (ties again to the other party's better option).
On a numeric issue with a fine grid that is close to the exact split; on
an issue of few options it is the nearest there is, and the package's
utilities (reported beside it) say how far from equitable it lands. With
red lines on single issues (:mod:`truce.analysis.red_lines`), each issue
settles among the options no party rules out, "best" and "share" read over
those, when any settled option is left; the points stay the stakes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from truce.analysis.division import POINTS_TOTAL, Division, adjusted_winner
from truce.analysis.explain import stakes as party_stakes
from truce.errors import InputError


@dataclass(frozen=True)
class StakeDivision:
    """Adjusted Winner on the stakes of a two-party scenario, and the package it gives."""

    division: Division
    party_ids: tuple[str, str]
    issue_ids: tuple[str, ...]
    option_labels: tuple[tuple[str, ...], ...]
    package: np.ndarray
    utilities: np.ndarray
    reservation: np.ndarray

    def terms(self) -> dict[str, str]:
        return {issue: self.option_labels[j][int(o)] for j, (issue, o) in enumerate(zip(self.issue_ids, self.package))}

    def to_dict(self) -> dict:
        return {
            **self.division.to_dict(),
            "points_from": "each party's stakes (the most each issue can move its utility), scaled to 100",
            "package": self.terms(),
            "utilities": dict(zip(self.party_ids, self.utilities.tolist())),
            "no_deal": dict(zip(self.party_ids, self.reservation.tolist())),
        }


def stake_points(problem) -> np.ndarray:
    """(n_issues, 2): each party's stakes, scaled so that each party's add up to 100."""
    if problem.n_parties != 2:
        raise InputError(f"actors: found {problem.n_parties} parties; expected exactly 2 for Adjusted Winner")
    stakes = party_stakes(problem).T  # (n_issues, 2)
    totals = stakes.sum(axis=0)
    if (totals <= 0).any():
        flat = ", ".join(p for p, t in zip(problem.party_ids, totals) if t <= 0)
        raise InputError(f"actors: {flat} values every package the same; expected some issue to matter to each party")
    return POINTS_TOTAL * stakes / totals


def _option(values: np.ndarray, holder: int, share: float) -> int:
    """The settled option giving ``holder`` the value nearest to ``share`` of its range, ties to the other's better."""
    low, high = values.min(axis=0), values.max(axis=0)
    span = np.where(high > low, high - low, 1.0)
    fraction = (values - low) / span
    distance = np.round(np.abs(fraction[:, holder] - share), 12)
    other = values[:, 1 - holder]
    return int(np.lexsort((-other, distance))[0])


def divide_scenario(problem) -> StakeDivision:
    """Adjusted Winner on ``problem``'s stakes (two parties), with the package it gives (module docstring)."""
    points = stake_points(problem)
    division = adjusted_winner(points, tuple(problem.party_names), tuple(problem.issue_names))
    package = np.empty(problem.n_issues, dtype=np.int64)
    for j, values in enumerate(problem.values):
        count = len(problem.settled_labels(j))
        # within the parties' red lines on single issues where some settled option is (else any settled option)
        allowed = np.flatnonzero(~problem.ruled_out[j][:count].any(axis=1))
        options = allowed if len(allowed) else np.arange(count)
        holder = int(np.argmax(division.shares[j]))
        package[j] = options[_option(values[options], holder, float(division.shares[j, holder]))]
    return StakeDivision(
        division=division,
        party_ids=tuple(problem.party_ids),
        issue_ids=tuple(problem.issue_ids),
        option_labels=problem.option_labels,
        package=package,
        utilities=problem.utilities(package)[0],
        reservation=problem.reservation.copy(),
    )
