"""Adjusted Winner: fair division of issues between two parties who each spread 100 points.

Adjusted Winner (Brams & Taylor 1996, *Fair Division: From Cake-Cutting to
Dispute Resolution*, ch. 4; Brams & Taylor 1999, *The Win-Win Solution*)
divides a set of issues between two parties, each of whom has spread 100
points over the issues to say how much getting its way on each matters to
it. Issues are treated as divisible: a share ``s`` of an issue gives a
party ``s`` times its points for it. The procedure:

1. *Winner phase.* Each issue goes to the party that put more points on it.
   Issues on which both put the same points go, all of them, to the party
   that has fewer points from the other issues (when both have the same,
   to the first party; the adjusting phase then moves half of their points
   back).
2. *Adjusting phase.* If one party (the leader) now has more of its own
   points than the other, its issues are passed to the other in increasing
   order of the ratio ``leader's points / other's points`` (the issues it
   values least relative to the other first) until the totals would cross;
   the issue at which they would cross is split: the fraction
   ``x = (L - O) / (p_L + p_O)`` goes to the other party, where ``L`` and
   ``O`` are the totals before that issue and ``p_L``, ``p_O`` its points.

At most one issue is split. The result is

- *equitable*: both parties get the same number of their own points;
- *envy-free*: each party gets at least 50 of its points, so it values its
  own share at least as much as the other's (each party's two shares add
  up to its 100 points);
- *efficient*: with ``r`` the ratio of the split issue (or of the last
  issue passed, or 1 when nothing was passed), every issue the leader
  keeps whole has a ratio >= r and every issue the other party holds has a
  ratio <= r, so the division maximises ``leader's points + r x other's
  points``; a division that gave one party more without giving the other
  less would beat that maximum, so none exists.

Hand-worked example (the Bob and Carol divorce on the Adjusted Winner site
of New York University, pages.nyu.edu/adjustedwinner/awProcedure.htm):
Carol puts 50, 20, 15, 10, 5 points on the retirement account, home,
summer cottage, investments and "other"; Bob 40, 30, 10, 10, 10. Carol wins
the account and the cottage (65 points), Bob the home and other (40) and,
trailing, the tied investments (50). Carol's ratios are 50/40 = 1.25 for
the account and 15/10 = 1.5 for the cottage, so the account is split:
``x = (65 - 50) / (50 + 40) = 1/6`` of it goes to Bob, and each party has
``50 + 40/6 = 56 2/3`` of its points.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

POINTS_TOTAL = 100.0
"""What each party spreads over the issues (Brams & Taylor 1996)."""

POINTS_TOLERANCE = 1e-6
"""A party's points must add up to 100 within this."""


@dataclass(frozen=True)
class Division:
    """The Adjusted Winner division of issues between two parties.

    ``points`` is (n_issues, 2): each party's points on each issue.
    ``shares`` is (n_issues, 2): the fraction of each issue each party gets
    (rows sum to 1). ``winner`` is (n_issues,): the party (0 or 1) each issue
    went to in the winner phase.
    """

    party_names: tuple[str, str]
    issue_names: tuple[str, ...]
    points: np.ndarray
    shares: np.ndarray
    winner: np.ndarray
    leader: int | None
    """The party that led after the winner phase (None: the totals were already equal)."""
    transfers: tuple[int, ...]
    """Issues passed (whole or in part) from the leader to the other party, in order."""
    split_issue: int | None
    """The one issue divided between the parties (None: every issue went whole to one party)."""
    threshold: float
    """The ratio r that certifies efficiency (see the module docstring)."""

    @property
    def totals(self) -> np.ndarray:
        """(2,): each party's points for its own share (equal: the division is equitable)."""
        return (self.points * self.shares).sum(axis=0)

    @property
    def other_share_points(self) -> np.ndarray:
        """(2,): each party's points for the other party's share (at most its own: envy-free)."""
        return (self.points * self.shares[:, ::-1]).sum(axis=0)

    @property
    def equitable(self) -> bool:
        return bool(abs(self.totals[0] - self.totals[1]) <= POINTS_TOLERANCE)

    @property
    def envy_free(self) -> bool:
        return bool((self.totals >= self.other_share_points - POINTS_TOLERANCE).all())

    @property
    def efficient(self) -> bool:
        """Whether the threshold certificate holds: issue ratios of the leader's whole issues >= r >= the other's."""
        if self.leader is None:
            first, second, ratio = 0, 1, 1.0
        else:
            first, second, ratio = self.leader, 1 - self.leader, self.threshold
        a, b = self.points[:, first], self.points[:, second]
        # compare a / b with r without dividing: a >= r b where the first party holds any of the issue, a <= r b where the second does
        holds_first = self.shares[:, first] > 0
        holds_second = self.shares[:, second] > 0
        tolerance = 1e-9 * POINTS_TOTAL
        return bool((a[holds_first] >= ratio * b[holds_first] - tolerance).all() and (a[holds_second] <= ratio * b[holds_second] + tolerance).all())

    def to_dict(self) -> dict:
        return {
            "procedure": "Adjusted Winner (Brams & Taylor 1996)",
            "parties": list(self.party_names),
            "issues": [
                {
                    "issue": name,
                    "points": {party: float(self.points[j, p]) for p, party in enumerate(self.party_names)},
                    "winner": self.party_names[int(self.winner[j])],
                    "shares": {party: float(self.shares[j, p]) for p, party in enumerate(self.party_names)},
                    "split": j == self.split_issue,
                }
                for j, name in enumerate(self.issue_names)
            ],
            "leader": None if self.leader is None else self.party_names[self.leader],
            "transfers": [self.issue_names[j] for j in self.transfers],
            "split_issue": None if self.split_issue is None else self.issue_names[self.split_issue],
            "points_received": {party: float(self.totals[p]) for p, party in enumerate(self.party_names)},
            "points_for_other_share": {party: float(self.other_share_points[p]) for p, party in enumerate(self.party_names)},
            "threshold_ratio": float(self.threshold),
            "equitable": self.equitable,
            "envy_free": self.envy_free,
            "efficient": self.efficient,
        }

    def to_frame(self):
        import pandas as pd

        first, second = self.party_names
        return pd.DataFrame(
            {
                "issue": list(self.issue_names),
                f"{first} points": self.points[:, 0],
                f"{second} points": self.points[:, 1],
                "winner": [self.party_names[int(w)] for w in self.winner],
                f"{first} share": self.shares[:, 0],
                f"{second} share": self.shares[:, 1],
            }
        )


def check_points(points: np.ndarray) -> np.ndarray:
    """``points`` as an (n_issues, 2) float array; ValueError unless each column is >= 0 and sums to 100."""
    points = np.asarray(points, dtype=float)
    if points.ndim != 2 or points.shape[1] != 2 or points.shape[0] < 1:
        raise ValueError(f"points must have shape (n_issues >= 1, 2); got {points.shape}")
    if not np.isfinite(points).all() or (points < 0).any():
        raise ValueError("points must be finite and >= 0")
    sums = points.sum(axis=0)
    if (np.abs(sums - POINTS_TOTAL) > POINTS_TOLERANCE).any():
        raise ValueError(f"each party's points must add up to {POINTS_TOTAL:g}; found {sums[0]:g} and {sums[1]:g}")
    return points


def adjusted_winner(
    points: np.ndarray,
    party_names: tuple[str, str] = ("Party 0", "Party 1"),
    issue_names: tuple[str, ...] | None = None,
) -> Division:
    """Divide the issues by Adjusted Winner (Brams & Taylor 1996; steps in the module docstring).

    ``points`` is (n_issues, 2), each column adding up to 100.
    """
    points = check_points(points)
    n_issues = points.shape[0]
    issue_names = tuple(issue_names) if issue_names is not None else tuple(f"Issue {j}" for j in range(n_issues))
    if len(issue_names) != n_issues:
        raise ValueError(f"issue_names must name the {n_issues} issues; got {len(issue_names)}")

    # 1. winner phase; ties to the party with fewer points from the untied issues
    winner = np.where(points[:, 0] > points[:, 1], 0, 1)
    tied = points[:, 0] == points[:, 1]
    untied_total = np.array([points[(winner == p) & ~tied, p].sum() for p in (0, 1)])
    winner[tied] = 1 if untied_total[1] < untied_total[0] else 0
    shares = np.zeros((n_issues, 2))
    shares[np.arange(n_issues), winner] = 1.0

    # 2. adjusting phase: the leader passes its issues in increasing order of its points / the other's
    totals = (points * shares).sum(axis=0)
    leader: int | None = None
    transfers: list[int] = []
    split_issue: int | None = None
    threshold = 1.0
    if abs(totals[0] - totals[1]) > POINTS_TOLERANCE:
        leader = int(np.argmax(totals))
        other = 1 - leader
        held = np.flatnonzero(winner == leader)
        with np.errstate(divide="ignore"):
            ratios = np.where(points[held, other] > 0, points[held, leader] / np.where(points[held, other] > 0, points[held, other], 1.0), np.inf)
        lead, trail = totals[leader], totals[other]
        for j, ratio in zip(held[np.argsort(ratios, kind="stable")], np.sort(ratios, kind="stable")):
            transfers.append(int(j))
            threshold = float(ratio)
            p_lead, p_trail = points[j, leader], points[j, other]
            if lead - p_lead >= trail + p_trail - POINTS_TOLERANCE:
                shares[j] = 0.0
                shares[j, other] = 1.0
                lead, trail = lead - p_lead, trail + p_trail
                if abs(lead - trail) <= POINTS_TOLERANCE:
                    break
                continue
            fraction = (lead - trail) / (p_lead + p_trail)
            shares[j, other] = fraction
            shares[j, leader] = 1.0 - fraction
            split_issue = int(j)
            break
    return Division(
        party_names=tuple(party_names),
        issue_names=issue_names,
        points=points,
        shares=shares,
        winner=winner,
        leader=leader,
        transfers=tuple(transfers),
        split_issue=split_issue,
        threshold=threshold,
    )
