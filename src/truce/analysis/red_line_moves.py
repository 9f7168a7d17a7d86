"""How far the parties' red lines on single issues must move to open a zone of agreement.

A red line rules options out (:mod:`truce.analysis.red_lines`); for party p to
accept a ruled-out option o of issue j its red line must *admit* it, and
``ruled_out[j][o, p]`` counts the options that admitting o takes (1 for a named
option; for an option beyond a bound, the options from it to the bound, since
the bound moves past them all). A change of red lines is measured first by
the number of stances whose red line moves, then by the options admitted:
``cost_p(x) = sum_j M [s_pj(x_j) > 0] + s_pj(x_j)`` with ``s = ruled_out`` and
``M`` larger than any total of options admitted, so one fewer stance moved
always counts for more. The cost is additive over issues, like the utilities.

The smallest change that opens a zone, with the no-deal values unchanged, is
``min { cost(x) : u_q(x) > r_q for every party q, x within the red lines of
the parties that keep theirs }``, where ``cost`` sums over the parties whose
red lines may move: one party alone (the others keep theirs), or all of them
jointly. It is found exactly without listing the space: on the Pareto frontier
of the problem with ``-cost`` as one more objective (the merge of
:mod:`truce.analysis.pareto`), since a package that minimises the cost subject
to the no-deal constraints is weakly dominated by a point of that frontier,
which satisfies them too at no more cost. Among packages of equal cost the one
with the larger Nash product of gains over no deal is taken.

This is the diagnosis of negotiation analysis for positions a side will not
cross (Raiffa 1982, ch. 11; Lax & Sebenius 1986): a deal needs each party's
red lines to leave some package that every party prefers to no deal, and the
smallest set of options to admit says where a mediator's effort must go.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from truce.analysis.pareto import pareto_frontier
from truce.analysis.red_lines import lift, within
from truce.analysis.solutions import acceptable, nash_score


@dataclass(frozen=True)
class RedLineMove:
    """One party's red line on one issue admitting one option."""

    party: int
    issue: int
    option: int
    steps: int
    """Options the red line admits to accept this one (the option itself included)."""


@dataclass(frozen=True)
class RedLineChange:
    """The smallest change of red lines that opens a zone, and the package it opens."""

    party: int | None
    """The party whose red lines move (the others keep theirs); None: every party's may move."""
    package: np.ndarray | None
    """None when no change of these red lines opens a zone (the no-deal values block it)."""
    utilities: np.ndarray | None
    moves: tuple[RedLineMove, ...]

    @property
    def stances(self) -> int:
        return len(self.moves)

    @property
    def steps(self) -> int:
        return sum(move.steps for move in self.moves)


@dataclass(frozen=True)
class RedLineBlockage:
    """Why the red lines on single issues block a zone of agreement, and how far they must move."""

    alone: tuple[RedLineChange, ...]
    """One per party: its own red lines moving, the others' kept."""
    joint: RedLineChange
    """Every party's red lines moving at once: the fewest stances and options in all."""

    def to_dict(self, party_ids, issue_ids, option_labels) -> dict:
        def change(c: RedLineChange) -> dict:
            return {
                "party": None if c.party is None else party_ids[c.party],
                "opens_a_zone": c.package is not None,
                "package": None if c.package is None else {issue_ids[j]: option_labels[j][int(o)] for j, o in enumerate(c.package)},
                "utilities": None if c.utilities is None else dict(zip(party_ids, c.utilities.tolist())),
                "stances_moved": c.stances,
                "options_admitted": c.steps,
                "moves": [
                    {"party": party_ids[m.party], "issue": issue_ids[m.issue], "accept": option_labels[m.issue][m.option], "options_admitted": m.steps}
                    for m in c.moves
                ],
            }

        return {"per_party": [change(c) for c in self.alone], "joint": change(self.joint)}


def _moves(package: np.ndarray, ruled_out: Sequence[np.ndarray], movable: Sequence[int]) -> tuple[RedLineMove, ...]:
    return tuple(
        RedLineMove(p, j, int(package[j]), int(ruled_out[j][package[j], p]))
        for p in movable
        for j in range(len(ruled_out))
        if ruled_out[j][package[j], p] > 0
    )


def smallest_change(
    weighted_values: Sequence[np.ndarray], reservation: np.ndarray, ruled_out: Sequence[np.ndarray], movable: Sequence[int], power=None
) -> RedLineChange:
    """The least change of the ``movable`` parties' red lines that leaves a package every party prefers
    to no deal, the other parties keeping theirs (the module docstring's minimum)."""
    n_parties = len(reservation)
    movable = list(movable)
    steps = [np.asarray(table, dtype=np.int64) for table in ruled_out]
    kept = [table.copy() for table in steps]
    for table in kept:
        table[:, movable] = 0
    stance_weight = 1 + sum(int(table[:, movable].sum(axis=1).max()) for table in steps)
    costs = [(stance_weight * (table[:, movable] > 0) + table[:, movable]).sum(axis=1) for table in steps]
    tables = within(weighted_values, kept)
    none = RedLineChange(movable[0] if len(movable) == 1 else None, None, None, ())
    if any(len(table) == 0 for table in tables):
        return none
    extended = [np.column_stack([table, -cost]) for table, cost in zip(tables, within([c[:, None] for c in costs], kept))]
    packages, utilities, _ = pareto_frontier(extended)
    packages = lift(packages, kept)
    inside = acceptable(utilities[:, :n_parties], reservation)
    if not inside.any():
        return none
    cost = -utilities[:, n_parties]
    candidates = np.flatnonzero(inside & (cost <= cost[inside].min() + 0.5))  # costs are whole numbers
    score, _ = nash_score(utilities[candidates, :n_parties], reservation, power)
    best = int(candidates[np.argmax(score)])
    package = packages[best]
    return RedLineChange(none.party, package, utilities[best, :n_parties], _moves(package, steps, movable))


def red_line_blockage(weighted_values, reservation: np.ndarray, ruled_out, power=None) -> RedLineBlockage:
    """Each party's red lines alone, then all jointly (see :func:`smallest_change`)."""
    n_parties = len(reservation)
    alone = tuple(smallest_change(weighted_values, reservation, ruled_out, [p], power) for p in range(n_parties))
    return RedLineBlockage(alone=alone, joint=smallest_change(weighted_values, reservation, ruled_out, range(n_parties), power))
