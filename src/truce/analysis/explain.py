"""What blocks a deal, and where the joint gains are: the agreement space explained.

Without a zone of possible agreement (no package every party prefers to no
deal), the *red lines* are the parties' reservation values: each would have
to accept less than it now demands. On the exact Pareto frontier F (every
package is weakly dominated by a point of F, and lowering a reservation
value never makes a dominated package the better choice):

- *per party*: the smallest drop of party p's no-deal value that opens a
  zone while the others keep theirs is ``r_p - max { u_p(x) : x in F,
  u_q(x) > r_q for every q != p }`` (no drop of p's alone suffices when no
  frontier point satisfies the others);
- *jointly*: the smallest total drop, ``min_{x in F} sum_p max(0, r_p - u_p(x))``,
  and the smallest equal drop of every party, ``min_{x in F} max_p (r_p - u_p(x))``,
  each with the package that needs it;
- *per issue*: at the package of the smallest total drop, what each party
  gives up on each issue against its best option there,
  ``w_pj (max_o v_j(o)_p - v_j(x_j)_p)``: the stances that weigh most.

Each figure is a strict threshold: a drop of exactly that size leaves the
package at no deal for the party; any larger drop opens the zone.

With a zone, the joint gains come from *logrolling* (Raiffa 1982; Pruitt
1981): each party concedes on the issues it cares less about than the other
does. truce reports each party's *stake* in each issue, ``w_pj (max_o v_j(o)_p
- min_o v_j(o)_p)`` (the most the issue can move its utility), the issue-by-
issue *compromise* package (on every issue the settled option that maximises
the smallest value, ties to the larger sum), and the *trades*: sets of 2 to
``trade_issues`` (default 3) issue changes from the compromise that make
every party strictly better off although no nonempty proper subset of them
leaves every party at least as well off: logrolling that needs every one of
its changes, as a three-issue trade does where no pair of its changes helps
everyone (found by the small-change search of :mod:`truce.analysis.improve`).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from truce.analysis.improve import small_improvements
from truce.analysis.red_line_moves import RedLineBlockage, red_line_blockage
from truce.analysis.red_lines import allowed_options, has_red_lines
from truce.analysis.solutions import GAIN_TOLERANCE, acceptable


TRADE_ISSUES = 3
"""Trades change at most this many issues by default (logrolling over three issues where no pair suffices)."""


@dataclass(frozen=True)
class RedLine:
    """How far one party's no-deal value must fall, alone, to open a zone of agreement."""

    party: int
    reservation: float
    needed: float | None
    """The no-deal value that would open a zone (just below it), None if no drop of this party's alone can."""
    package: np.ndarray | None

    @property
    def drop(self) -> float | None:
        return None if self.needed is None else self.reservation - self.needed


@dataclass(frozen=True)
class Blockage:
    """Why there is no zone of possible agreement."""

    red_lines: tuple[RedLine, ...]
    joint_package: np.ndarray
    joint_drops: np.ndarray
    """(n_parties,): the drops of the smallest total drop."""
    equal_package: np.ndarray
    equal_drop: float
    concessions: np.ndarray
    """(n_parties, n_issues): what each party gives up on each issue at ``joint_package``."""

    @property
    def joint_total(self) -> float:
        return float(self.joint_drops.sum())


@dataclass(frozen=True)
class Trade:
    """Issue changes from the compromise that make every party better off, although no part of them
    (a nonempty proper subset of the changes) leaves every party at least as well off."""

    package: np.ndarray
    changes: tuple[tuple[int, int, int], ...]
    gains: np.ndarray


@dataclass(frozen=True)
class JointGains:
    """Where the joint gains of a zone of agreement come from."""

    stakes: np.ndarray
    """(n_parties, n_issues): the most each issue can move each party's utility."""
    compromise: np.ndarray
    compromise_utilities: np.ndarray
    trades: tuple[Trade, ...]
    """Best joint gain (sum of gains) first."""


@dataclass(frozen=True)
class Explanation:
    """The agreement space explained: what blocks a deal, or where its joint gains are."""

    problem_name: str
    party_ids: tuple[str, ...]
    issue_ids: tuple[str, ...]
    option_labels: tuple[tuple[str, ...], ...]
    reservation: np.ndarray
    zopa: bool
    blockage: Blockage | None
    """The no-deal values' part, within the red lines (None with a zone, or when no package keeps within them)."""
    joint_gains: JointGains | None
    red_lines: RedLineBlockage | None = None
    """Without a zone, on a scenario with red lines on single issues: how far they must move (:mod:`truce.analysis.red_line_moves`)."""

    def terms(self, package: np.ndarray) -> dict[str, str]:
        return {issue: self.option_labels[j][int(o)] for j, (issue, o) in enumerate(zip(self.issue_ids, package))}

    def to_dict(self) -> dict:
        parties = self.party_ids
        data: dict = {"problem": self.problem_name, "zopa": self.zopa, "no_deal": dict(zip(parties, self.reservation.tolist()))}
        if self.blockage is not None:
            b = self.blockage
            data["blocked_by"] = {
                "per_party": [
                    {
                        "party": parties[r.party],
                        "no_deal": r.reservation,
                        "must_fall_to": r.needed,
                        "drop": r.drop,
                        "package": None if r.package is None else self.terms(r.package),
                    }
                    for r in b.red_lines
                ],
                "joint": {"total_drop": b.joint_total, "drops": dict(zip(parties, b.joint_drops.tolist())), "package": self.terms(b.joint_package)},
                "equal": {"drop": b.equal_drop, "package": self.terms(b.equal_package)},
                "concessions": {parties[p]: dict(zip(self.issue_ids, b.concessions[p].tolist())) for p in range(len(parties))},
            }
        if self.red_lines is not None:
            data["red_lines"] = self.red_lines.to_dict(parties, self.issue_ids, self.option_labels)
        if self.joint_gains is not None:
            g = self.joint_gains
            data["joint_gains"] = {
                "stakes": {parties[p]: dict(zip(self.issue_ids, g.stakes[p].tolist())) for p in range(len(parties))},
                "compromise": self.terms(g.compromise),
                "compromise_utilities": dict(zip(parties, g.compromise_utilities.tolist())),
                "trades": [
                    {
                        "changes": [{"issue": self.issue_ids[j], "from": self.option_labels[j][a], "to": self.option_labels[j][b]} for j, a, b in t.changes],
                        "gains": dict(zip(parties, t.gains.tolist())),
                        "joint_gain": float(t.gains.sum()),
                    }
                    for t in g.trades
                ],
            }
        return data


def blockage(frontier_packages: np.ndarray, frontier_utilities: np.ndarray, reservation: np.ndarray, weights: np.ndarray, values) -> Blockage:
    """The red lines behind a missing zone of agreement (the formulas of the module docstring)."""
    n_parties = len(reservation)
    shortfall = reservation - frontier_utilities  # > 0 where a party is below its no-deal value
    red_lines = []
    for p in range(n_parties):
        others = [q for q in range(n_parties) if q != p]
        satisfied = (shortfall[:, others] < -GAIN_TOLERANCE).all(axis=1) if others else np.ones(len(frontier_utilities), dtype=bool)
        if satisfied.any():
            best = int(np.flatnonzero(satisfied)[np.argmax(frontier_utilities[satisfied, p])])
            red_lines.append(RedLine(p, float(reservation[p]), float(frontier_utilities[best, p]), frontier_packages[best]))
        else:
            red_lines.append(RedLine(p, float(reservation[p]), None, None))
    drops = np.maximum(shortfall, 0.0)
    joint = int(np.lexsort((drops.max(axis=1), drops.sum(axis=1)))[0])
    worst = shortfall.max(axis=1)
    equal = int(np.lexsort((drops.sum(axis=1), worst))[0])
    package = frontier_packages[joint]
    concessions = np.stack(
        [weights[:, j] * (values[j].max(axis=0) - values[j][package[j]]) for j in range(len(values))], axis=1
    )
    return Blockage(
        red_lines=tuple(red_lines),
        joint_package=package,
        joint_drops=drops[joint],
        equal_package=frontier_packages[equal],
        equal_drop=float(max(worst[equal], 0.0)),
        concessions=concessions,
    )


def compromise_package(values, settled_counts, allowed=None) -> np.ndarray:
    """On every issue the settled option with the largest smallest value across parties (ties: larger sum, then first),
    among the ``allowed`` options of each issue (default all; with red lines, those no party rules out)."""
    chosen = []
    for j, (table, count) in enumerate(zip(values, settled_counts)):
        options = np.arange(count) if allowed is None else allowed[j][allowed[j] < count]
        options = options if len(options) else allowed[j]  # only 'deferred' is within every red line
        settled = table[options]
        order = np.lexsort((-options, settled.sum(axis=1), settled.min(axis=1)))
        chosen.append(int(options[order[-1]]))
    return np.array(chosen, dtype=np.int64)


def stakes(problem) -> np.ndarray:
    """(n_parties, n_issues): the most each issue can move each party's utility, over its settled options."""
    settled = [len(problem.settled_labels(j)) for j in range(problem.n_issues)]
    return np.stack([problem.weights[:, j] * (v[: settled[j]].max(axis=0) - v[: settled[j]].min(axis=0)) for j, v in enumerate(problem.values)], axis=1)


def is_minimal_trade(parts: list[np.ndarray]) -> bool:
    """Whether no nonempty proper subset of the changes (their utility changes ``parts``) leaves every
    party at least as well off: the trade needs all of its changes."""
    for size in range(1, len(parts)):
        for subset in itertools.combinations(parts, size):
            if (np.sum(subset, axis=0) >= -GAIN_TOLERANCE).all():
                return False
    return True


def joint_gains(problem, most_trades: int = 10, max_issues: int = TRADE_ISSUES) -> JointGains:
    """Stakes, the issue-by-issue compromise and the trades of 2 to ``max_issues`` issue changes from it
    that need all of their changes (module docstring)."""
    settled = [len(problem.settled_labels(j)) for j in range(problem.n_issues)]
    compromise = compromise_package(problem.values, settled, allowed_options(problem.ruled_out))
    weighted = problem.weighted_values
    packages, deltas = small_improvements(weighted, compromise, max(2, max_issues), ruled_out=problem.ruled_out)
    trades = []
    for package, delta in zip(packages, deltas):
        changed = np.flatnonzero(package != compromise)
        if len(changed) < 2 or not (delta > GAIN_TOLERANCE).all():
            continue
        if not is_minimal_trade([weighted[j][package[j]] - weighted[j][compromise[j]] for j in changed]):
            continue
        trades.append(Trade(package, tuple((int(j), int(compromise[j]), int(package[j])) for j in changed), delta))
    trades.sort(key=lambda t: (-float(t.gains.sum()), -float(t.gains.min()), len(t.changes)))
    return JointGains(stakes=stakes(problem), compromise=compromise, compromise_utilities=problem.utilities(compromise)[0], trades=tuple(trades[:most_trades]))


def explain(problem, most_trades: int = 10, trade_issues: int = TRADE_ISSUES) -> Explanation:
    """The agreement space of a :class:`truce.Problem` explained."""
    frontier = problem.pareto()
    zopa = bool(acceptable(frontier.utilities, problem.reservation).any())
    moves = None if zopa or not has_red_lines(problem.ruled_out) else red_line_blockage(problem.weighted_values, problem.reservation, problem.ruled_out, problem.bargaining_power)
    return Explanation(
        problem_name=problem.name,
        party_ids=problem.party_ids,
        issue_ids=problem.issue_ids,
        option_labels=problem.option_labels,
        reservation=problem.reservation.copy(),
        zopa=zopa,
        blockage=None if zopa or not len(frontier.packages) else blockage(frontier.packages, frontier.utilities, problem.reservation, problem.weights, problem.values),
        joint_gains=joint_gains(problem, most_trades, trade_issues) if zopa else None,
        red_lines=moves,
    )
