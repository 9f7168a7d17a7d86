"""Pareto improvements over a draft package, found by issue changes, without listing the product space.

A *Pareto improvement* over the draft ``d`` is a package every party likes at
least as much and some party strictly more. Utilities are additive, so a
package that differs from ``d`` on the issues ``J`` changes party p's utility
by ``sum_{j in J} delta_j[option_j, p]`` with
``delta_j[o] = w_j v_j[o] - w_j v_j[d_j]``. Two searches:

1. *Smallest changes* (moves of 1, 2, ..., K issues): a level-wise search over
   the issues, each partial move either leaving issue j as the draft has it or
   changing it to another option while fewer than K issues are changed. A
   partial move is dropped as soon as some party would stay worse off even if
   the changes still allowed took, on the issues still to come, the options
   best for that party (the sum of the largest remaining positive deltas):
   branch and bound, exact because the bound never under-estimates. What is
   left after the last issue is every improvement that changes at most K issues.
2. *Efficient improvements*: the points of the exact Pareto frontier
   (:mod:`truce.analysis.pareto`) that weakly dominate the draft with some party
   strictly better. Every improvement is weakly dominated by one of them, and
   the improvement best for a monotone concept (Nash, utilitarian, egalitarian)
   is among them.

Improvements are ranked by a named solution concept's score
(:data:`CONCEPTS`): the Nash product of gains over no deal (Nash 1950; with
bargaining powers, the weighted product, as in
:func:`truce.analysis.solutions.nash_index`), the Nash product of gains over
the draft (the draft as the disagreement point: Raiffa 1985's
post-settlement settlement), the sum of utilities, or the smallest gain over
no deal. Equal scores (a Nash product of 0 while the draft leaves a party
below no deal) are ordered by the Nash product of gains over the draft.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from truce.analysis.red_lines import crossed, crosses, frontier_within
from truce.analysis.solutions import GAIN_TOLERANCE
from truce.errors import InputError
from truce.limits import LimitError

CONCEPTS = {
    "nash": "Nash product of gains over no deal (Nash 1950)",
    "nash-over-draft": "Nash product of gains over the draft (Raiffa 1985)",
    "utilitarian": "sum of utilities",
    "egalitarian": "smallest gain over no deal (Kalai 1977)",
}


class SearchTooLarge(ValueError):
    """The small-change search would keep more partial moves than allowed."""


def concept_score(
    concept: str, utilities: np.ndarray, reservation: np.ndarray, power: np.ndarray | None = None, draft_utilities: np.ndarray | None = None
) -> np.ndarray:
    """(m,) scores of (m, n_parties) utilities; higher is better.

    ``nash``: the product of gains ``prod_p (u_p - r_p)^(w_p)`` with ``w`` the bargaining powers
    normalised to sum to the number of parties (all 1 by default); 0 when some gain is <= 0.
    ``nash-over-draft``: the same with the draft's utilities in place of no deal, the Nash solution
    with the text on the table as the disagreement point (Raiffa 1985, post-settlement settlements).
    """
    utilities = np.atleast_2d(utilities)
    if concept == "nash-over-draft":
        if draft_utilities is None:
            raise ValueError("nash-over-draft needs the draft's utilities")
        concept, reservation = "nash", draft_utilities
    gains = utilities - reservation
    if concept == "nash":
        n = utilities.shape[1]
        weights = np.ones(n) if power is None else np.asarray(power, dtype=float) * n / np.sum(power)
        positive = (gains > GAIN_TOLERANCE).all(axis=1)
        logs = np.log(np.maximum(gains, GAIN_TOLERANCE)) @ weights
        return np.where(positive, np.exp(logs), 0.0)
    if concept == "utilitarian":
        return utilities.sum(axis=1)
    if concept == "egalitarian":
        return gains.min(axis=1)
    raise InputError(f"unknown concept {concept!r}; expected one of {', '.join(CONCEPTS)}")


def small_improvements(
    weighted_values, draft: np.ndarray, max_changes: int, *, max_states: int = 2_000_000, ruled_out=None
) -> tuple[np.ndarray, np.ndarray]:
    """Every Pareto improvement over ``draft`` that changes 1 to ``max_changes`` issues.

    Returns ``packages`` (m, n_issues) and ``deltas`` (m, n_parties), the utility
    change of each from the draft. Raises :class:`SearchTooLarge` when more than
    ``max_states`` partial moves would be kept at once. With ``ruled_out`` (red
    lines, :mod:`truce.analysis.red_lines`) only packages within every red line
    are returned: no change goes to a ruled-out option (its deltas are -inf, so
    the bound drops the move at once), and a draft option that crosses a red
    line must be among the changes.
    """
    draft = np.asarray(draft, dtype=np.int64)
    n_issues = len(weighted_values)
    n_parties = weighted_values[0].shape[1]
    deltas = [v - v[draft[j]] for j, v in enumerate(weighted_values)]
    if ruled_out is not None:
        for j, table in enumerate(ruled_out):
            barred = table.any(axis=1)
            barred[draft[j]] = False
            deltas[j][barred] = -np.inf
    # best_after[j][r, p]: the most party p can gain from r more changes among issues j..end
    positive = np.stack([np.maximum(d.max(axis=0), 0.0) for d in deltas])  # (n_issues, n_parties)
    best_after = []
    for j in range(n_issues + 1):
        rest = -np.sort(-positive[j:], axis=0) if j < n_issues else np.zeros((0, n_parties))
        sums = np.concatenate([np.zeros((1, n_parties)), np.cumsum(rest, axis=0)])
        best_after.append(sums[np.minimum(np.arange(max_changes + 1), len(rest))])
    partial = np.zeros((1, n_parties))
    changed = np.zeros(1, dtype=np.int64)
    packages = draft[None, :].copy()
    for j, delta in enumerate(deltas):
        others = np.array([o for o in range(len(delta)) if o != draft[j]], dtype=np.int64)
        can_change = changed < max_changes
        base = np.flatnonzero(can_change)
        if len(others) and len(base):
            new_partial = (partial[base][:, None, :] + delta[others][None, :, :]).reshape(-1, n_parties)
            new_packages = np.repeat(packages[base], len(others), axis=0)
            new_packages[:, j] = np.tile(others, len(base))
            new_changed = np.repeat(changed[base] + 1, len(others))
            partial = np.concatenate([partial, new_partial])
            packages = np.concatenate([packages, new_packages])
            changed = np.concatenate([changed, new_changed])
        bound = partial + best_after[j + 1][max_changes - changed]
        alive = (bound >= -GAIN_TOLERANCE).all(axis=1)
        partial, packages, changed = partial[alive], packages[alive], changed[alive]
        if len(partial) > max_states:
            raise SearchTooLarge(
                f"the search for improvements changing up to {max_changes} issues keeps {len(partial):,} partial moves "
                f"(more than {max_states:,}); ask for fewer changes"
            )
    better = (partial >= -GAIN_TOLERANCE).all(axis=1) & (partial > GAIN_TOLERANCE).any(axis=1) & (changed > 0)
    if ruled_out is not None:
        better &= ~crosses(packages, ruled_out)
    return packages[better], partial[better]


def fewest_changes(weighted_values, draft: np.ndarray, ruled_out, targets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each row of ``targets`` (utility vectors of the frontier within the red lines): a package with
    exactly those utilities that changes the fewest issues from ``draft``, and how many other packages tie
    with it (the same utilities and as few changes).

    The number of issues changed is additive over issues (issue j adds 1 unless it keeps ``draft[j]``),
    so it is one more objective, ``-changes``, for the frontier merge (:mod:`truce.analysis.pareto`). A
    package x with frontier utilities u* and the fewest changes c* is on that extended frontier: a package
    with utilities >= u* within the red lines has utilities u* (u* is efficient), and so at least c*
    changes. The merge's count of the point (u*, -c*) is the number of packages that have both.
    """
    tables = [np.column_stack([table, -(np.arange(len(table)) != draft[j]).astype(float)]) for j, table in enumerate(weighted_values)]
    packages, utilities, counts = frontier_within(tables, ruled_out)
    index: dict[tuple, int] = {}
    for row, key in enumerate(map(tuple, np.round(utilities[:, :-1], 9))):
        if key not in index or utilities[row, -1] > utilities[index[key], -1]:
            index[key] = row
    rows = np.array([index[tuple(key)] for key in np.round(targets, 9)], dtype=np.int64)
    return packages[rows], counts[rows] - 1


def efficient_improvements(frontier_packages: np.ndarray, frontier_utilities: np.ndarray, draft_utilities: np.ndarray) -> np.ndarray:
    """Indices of the frontier points that are Pareto improvements over the draft."""
    difference = frontier_utilities - draft_utilities
    return np.flatnonzero((difference >= -GAIN_TOLERANCE).all(axis=1) & (difference > GAIN_TOLERANCE).any(axis=1))


@dataclass(frozen=True)
class Improvement:
    """One package better for some party and worse for none than the draft."""

    package: np.ndarray
    changes: tuple[tuple[int, int, int], ...]
    """(issue, draft option, new option) for each issue changed."""
    utilities: np.ndarray
    gains: np.ndarray
    """(n_parties,): utility change from the draft."""
    score: float
    efficient: bool
    """Whether no package improves on it for one party without hurting another (it is on the frontier)."""
    tie_break: float = 0.0
    """The Nash product of gains over the draft, which orders improvements of equal score."""
    ties: int | None = 0
    """Efficient improvements: how many other packages give the same utilities with as few changes
    (the package shown is one with the fewest changes from the draft); None where that search would
    pass the frontier cap (the package shown is then the frontier's own)."""


@dataclass(frozen=True)
class Improvements:
    """The Pareto improvements over a draft: smallest changes first, and the efficient ones."""

    problem_name: str
    party_ids: tuple[str, ...]
    issue_ids: tuple[str, ...]
    option_labels: tuple[tuple[str, ...], ...]
    draft: np.ndarray
    draft_utilities: np.ndarray
    draft_score: float
    reservation: np.ndarray
    concept: str
    max_changes: int
    small: tuple[Improvement, ...]
    """Every improvement changing 1..max_changes issues, fewest changes first, then by score."""
    efficient: tuple[Improvement, ...]
    """The frontier points that improve on the draft, best score first."""
    draft_crosses: tuple[tuple[int, int], ...] = ()
    """(party, issue) of every red line the draft crosses (its improvements keep within them all)."""

    @property
    def draft_is_efficient(self) -> bool:
        return not self.efficient

    def describe(self, improvement: Improvement, arrow: str = "->") -> str:
        """The changes in words: ``issue: from -> to; ...`` (``arrow``: "→" in the report and on the page)."""
        return "; ".join(
            f"{self.issue_ids[j]}: {self.option_labels[j][old]} {arrow} {self.option_labels[j][new]}" for j, old, new in improvement.changes
        )

    def _item(self, improvement: Improvement) -> dict:
        return {
            "changes": [
                {"issue": self.issue_ids[j], "from": self.option_labels[j][old], "to": self.option_labels[j][new]}
                for j, old, new in improvement.changes
            ],
            "utilities": dict(zip(self.party_ids, improvement.utilities.tolist())),
            "gains": dict(zip(self.party_ids, improvement.gains.tolist())),
            "score": improvement.score,
            "score_gain": improvement.score - self.draft_score,
            "efficient": improvement.efficient,
            "ties": improvement.ties,
        }

    def to_dict(self, most: int | None = None) -> dict:
        return {
            "problem": self.problem_name,
            "concept": self.concept,
            "concept_description": CONCEPTS[self.concept],
            "draft": {issue: self.option_labels[j][int(o)] for j, (issue, o) in enumerate(zip(self.issue_ids, self.draft))},
            "draft_utilities": dict(zip(self.party_ids, self.draft_utilities.tolist())),
            "no_deal": dict(zip(self.party_ids, self.reservation.tolist())),
            "draft_score": self.draft_score,
            "draft_is_efficient": self.draft_is_efficient,
            "draft_crosses_red_lines": [
                {"party": self.party_ids[p], "issue": self.issue_ids[j], "option": self.option_labels[j][int(self.draft[j])]} for p, j in self.draft_crosses
            ],
            "max_changes": self.max_changes,
            "small_changes": [self._item(i) for i in self.small[:most]],
            "small_changes_found": len(self.small),
            "efficient_improvements": [self._item(i) for i in self.efficient[:most]],
            "efficient_improvements_found": len(self.efficient),
        }


def improve(problem, draft: np.ndarray, *, concept: str = "nash", max_changes: int = 2, max_states: int = 2_000_000) -> Improvements:
    """The Pareto improvements over ``draft`` for a :class:`truce.Problem` (both searches of the module docstring)."""
    if concept not in CONCEPTS:
        raise InputError(f"unknown concept {concept!r}; expected one of {', '.join(CONCEPTS)}")
    if max_changes < 1:
        raise InputError(f"max_changes must be >= 1; got {max_changes}")
    draft = np.asarray(draft, dtype=np.int64)
    max_changes = min(max_changes, problem.n_issues)
    draft_utilities = problem.utilities(draft)[0]
    power = problem.bargaining_power

    def score(utilities):
        return concept_score(concept, utilities, problem.reservation, power, draft_utilities)

    def over_draft(utilities):
        # ties (a Nash product of 0 while the draft leaves some party below no deal) go to the larger product over the draft
        return float(concept_score("nash-over-draft", utilities, problem.reservation, power, draft_utilities)[0])

    frontier = problem.pareto()
    chosen = efficient_improvements(frontier.packages, frontier.utilities, draft_utilities)
    frontier_keys = {tuple(np.round(u, 9)) for u in frontier.utilities}

    def item(package, utilities, efficient=None, ties=0):
        changes = tuple((int(j), int(draft[j]), int(package[j])) for j in np.flatnonzero(package != draft))
        on_frontier = tuple(np.round(utilities, 9)) in frontier_keys if efficient is None else efficient
        return Improvement(
            package=package, changes=changes, utilities=utilities, gains=utilities - draft_utilities,
            score=float(score(utilities)[0]), efficient=bool(on_frontier), tie_break=over_draft(utilities), ties=None if ties is None else int(ties),
        )

    # a frontier point stands for every package with its utilities: show one with the fewest changes from the draft
    try:
        fewest, ties = fewest_changes(problem.weighted_values, draft, problem.ruled_out, frontier.utilities[chosen]) if len(chosen) else ([], [])
    except LimitError:  # one more objective can pass the frontier cap of this many parties: show the frontier's own packages
        fewest, ties = frontier.packages[chosen], [None] * len(chosen)
    efficient = sorted(
        (item(package, frontier.utilities[i], True, tie) for i, package, tie in zip(chosen, fewest, ties)),
        key=lambda x: (-x.score, -x.tie_break, -float(x.gains.sum()), len(x.changes)),
    )
    packages, deltas = small_improvements(problem.weighted_values, draft, max_changes, max_states=max_states, ruled_out=problem.ruled_out)
    small = [item(p, draft_utilities + d) for p, d in zip(packages, deltas)]
    small.sort(key=lambda x: (len(x.changes), -x.score, -x.tie_break, -float(x.gains.sum())))
    return Improvements(
        problem_name=problem.name,
        party_ids=problem.party_ids,
        issue_ids=problem.issue_ids,
        option_labels=problem.option_labels,
        draft=draft,
        draft_utilities=draft_utilities,
        draft_score=float(score(draft_utilities)[0]),
        reservation=problem.reservation.copy(),
        concept=concept,
        max_changes=max_changes,
        small=tuple(small),
        efficient=tuple(efficient),
        draft_crosses=tuple(crossed(draft, problem.ruled_out)),
    )
