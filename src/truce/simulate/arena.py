"""The arrays a batch of negotiation runs plays on, and the payoff model.

Payoffs at round t (0-based) for party p, following the scenario format:

- no deal is worth ``r_p(t) = max(0, r_p - c_p t)``: each round without
  agreement costs the party its cost of delay (the humanitarian toll,
  outside pressure), so what no deal is worth falls with time;
- a deal on package x signed at round t is worth
  ``D_p(x, t) = delta_p^t [tau_p (u_p(x) + s_p) + (1 - tau_p)(r_p(t) - e_p)]``:
  its utility plus any side payment ``s_p`` if the other side complies
  (belief ``tau_p``, the party's trust after guarantees and monitoring), or
  no deal less the party's exposure ``e_p`` if the other side defects after
  signature (the commitment problem: Fearon 1995; Walter 1997), discounted
  by ``delta_p`` per round.

Talks may also end by themselves: after a round without agreement they
break down with probability ``h(t) = min(1, h_0 + g t)`` (a base risk plus
its growth with violence and outside pressure), leaving every party with no
deal (Binmore, Rubinstein & Wolinsky 1986). Each run draws one threshold
``E ~ Exp(1)`` and breaks down after the first round t at which the
cumulative hazard ``-sum_{s <= t} log(1 - h(s))`` reaches E: the same law
as one coin per round, drawn once.

Every decision compares D with a threshold, and D is increasing in u, so
the engines work with thresholds on u itself: ``floor`` is the u at which a
deal is worth exactly no deal now (``D = r_p(t)``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Callable

import numpy as np

MIN_TRUST = 1e-9
TOLERANCE = 1e-12


@dataclass(frozen=True, eq=False)
class Arena:
    """One chunk of runs: candidate packages, utilities and payoff inputs.

    Preference arrays have a leading axis of R runs, or 1 when every run
    shares the same preferences (then nothing is copied per run).
    """

    pool: np.ndarray
    """(M, n_issues): candidate packages offers are drawn from."""
    utility: np.ndarray | None
    """(R or 1, M, P): each party's utility of each candidate (None in a chunk of the compiled engine, which computes them per run)."""
    estimate: np.ndarray | None
    """(R or 1, P, M): what proposer p estimates the other parties' total utility of each candidate to be (None: as ``utility``)."""
    reservation: np.ndarray
    """(R, P)."""
    cost_of_delay: np.ndarray
    discount: np.ndarray
    trust: np.ndarray
    exposure: np.ndarray
    rounds: int
    side_payment: np.ndarray | None = None
    """(R, P): utility the active side payments add to any signed deal (default 0)."""
    weights: np.ndarray | None = None
    """(R or 1, P, I): for protocols that work issue by issue (the single text's critique)."""
    values: tuple[np.ndarray, ...] | None = None
    """Per issue (R or 1, k, P)."""
    guessed: np.ndarray | None = None
    """(R, P, P, I): proposer p's noisy estimate of party q's weights, its own row zero (compiled engine; None: exact knowledge)."""
    mediator_weights: np.ndarray | None = None
    """(R or 1, P, I): the mediator's estimate of the parties' weights."""
    offerable: np.ndarray | None = None
    """Pool indices a proposer may offer under the "best for the others" rule (see
    :mod:`truce.simulate.pruning`); None: every candidate."""
    critique_noise: Callable[[int], np.ndarray] | None = None
    """Round t -> (R, P, I): the error (log scale) with which the mediator hears each party's critique of each issue."""
    first_proposer: np.ndarray | None = None
    """(R,): the party who proposes in round 0 (alternating offers; default party 0)."""
    breakdown_risk: np.ndarray | None = None
    """(R,): probability that talks break down after round 0 without agreement (default 0)."""
    breakdown_growth: np.ndarray | None = None
    """(R,): what that probability grows by each round (default 0)."""
    breakdown_threshold: np.ndarray | None = None
    """(R,): each run's Exp(1) draw: talks break down once the cumulative hazard reaches it."""

    @property
    def runs(self) -> int:
        return self.reservation.shape[0]

    @property
    def n_parties(self) -> int:
        return self.reservation.shape[1]

    @property
    def best(self) -> np.ndarray:
        """(R or 1, P): each party's best utility among the candidates."""
        return self.utility.max(axis=1)

    @property
    def proposers(self) -> np.ndarray:
        """(R,): the first proposer of each run."""
        return np.zeros(self.runs, dtype=np.int64) if self.first_proposer is None else self.first_proposer

    def hazard(self, t: int) -> np.ndarray:
        """(R,): the probability that talks break down after round t without agreement."""
        if self.breakdown_risk is None:
            return np.zeros(self.runs)
        growth = 0.0 if self.breakdown_growth is None else self.breakdown_growth
        return np.clip(self.breakdown_risk + growth * t, 0.0, 1.0)

    def hazards(self, start: int, stop: int, runs: np.ndarray | None = None) -> np.ndarray:
        """(stop - start, R or len(runs)): :meth:`hazard` of rounds ``start .. stop - 1`` at once, of every
        run or of the runs given, bit for bit (a round number is exact as a float, and the sum and clip
        are the same per element)."""
        count = self.runs if runs is None else len(runs)
        if self.breakdown_risk is None:
            return np.zeros((stop - start, count))
        risk, growth = np.broadcast_to(self.breakdown_risk, (self.runs,)), self.breakdown_growth
        growth = np.zeros(self.runs) if growth is None else np.broadcast_to(growth, (self.runs,))
        if runs is not None:
            risk, growth = risk[runs], growth[runs]
        t = np.arange(start, stop, dtype=np.float64)[:, None]
        return np.clip(risk + growth * t, 0.0, 1.0)

    def log(self) -> "RunLog":
        """A run log for this chunk, with its breakdown thresholds."""
        return RunLog(self.runs, self.breakdown_threshold, self.hazard)

    def no_deal(self, t: int) -> np.ndarray:
        """(R, P): what no deal is worth at round t."""
        return np.maximum(0.0, self.reservation - self.cost_of_delay * t)

    def floor(self, t: int) -> np.ndarray:
        """(R, P): the utility at which a deal signed at round t is worth exactly no deal (do not write to it)."""
        steady = self._steady_floor
        return self.utility_for_value(self.no_deal(t), t) if steady is None else steady

    @cached_property
    def _steady_floor(self) -> np.ndarray | None:
        """The floor of round 0 when neither the cost of delay nor discounting moves it (then it is
        every round's floor, bit for bit: ``r - 0 t = r`` and ``1^t = 1``); None otherwise."""
        if (self.cost_of_delay == 0).all() and (self.discount == 1).all():
            return self.utility_for_value(self.no_deal(0), 0)
        return None

    def utility_for_value(self, value: np.ndarray, t: int) -> np.ndarray:
        """Invert D: the utility u with ``D_p(u, t) = value``."""
        trust = np.maximum(self.trust, MIN_TRUST)
        undiscounted = value / self.discount**t
        return (undiscounted - (1.0 - trust) * (self.no_deal(t) - self.exposure)) / trust - self._side_payment

    def value(self, utility: np.ndarray, t: int) -> np.ndarray:
        """D: the worth of a deal with these utilities signed at round t."""
        worth = utility + self._side_payment
        return self.discount**t * (self.trust * worth + (1.0 - self.trust) * (self.no_deal(t) - self.exposure))

    @property
    def _side_payment(self) -> np.ndarray | float:
        return 0.0 if self.side_payment is None else self.side_payment

    def utilities_of(self, candidates: np.ndarray) -> np.ndarray:
        """(R, P): utilities of one candidate index per run."""
        if self.utility.shape[0] == 1:
            return self.utility[0, candidates]
        return self.utility[np.arange(len(candidates)), candidates]


def noisy(weights: np.ndarray, noise: np.ndarray, scale: float) -> np.ndarray:
    """Weights perturbed multiplicatively (log-normal) and renormalised."""
    perturbed = weights * np.exp(scale * noise)
    return perturbed / perturbed.sum(axis=-1, keepdims=True)


class SortedRows:
    """Rows sorted ascending, searchable all at once: ``search(q)[r]`` is
    ``np.searchsorted(rows[r], q[r], 'left')``.

    With one shared row this is a plain searchsorted; otherwise one binary
    search runs on every row at once, comparing the values themselves (no
    copy of the rows is made).
    """

    def __init__(self, rows: np.ndarray):
        self.rows = rows

    def search(self, queries: np.ndarray, side: str = "left") -> np.ndarray:
        if self.rows.shape[0] == 1:
            return np.searchsorted(self.rows[0], queries, side=side)
        # a binary search on every row at once, comparing the values themselves (exact)
        runs, width = self.rows.shape
        flat, base = self.rows.ravel(), np.arange(runs) * width
        low, high = np.zeros(runs, dtype=np.int64), np.full(runs, width, dtype=np.int64)
        for _ in range(int(width).bit_length()):
            middle = (low + high) >> 1
            found = flat[base + np.minimum(middle, width - 1)]
            right = (found < queries) if side == "left" else (found <= queries)
            active = low < high
            low = np.where(active & right, middle + 1, low)
            high = np.where(active & ~right, middle, high)
        return low


class RunLog:
    """How each run of a chunk stands: still open, agreed, walked away or broken down, and in which round.

    With breakdown thresholds and a hazard (see the module docstring),
    :meth:`settle` also ends the open runs whose talks break down after the round.
    """

    def __init__(self, runs: int, threshold: np.ndarray | None = None, hazard=None):
        self.agreed = np.zeros(runs, dtype=bool)
        self.walked_away = np.zeros(runs, dtype=bool)
        self.broke_down = np.zeros(runs, dtype=bool)
        self.round = np.full(runs, -1)
        self.open = np.ones(runs, dtype=bool)
        self.threshold = threshold
        self.hazard = hazard
        self.cumulative_hazard = np.zeros(runs)

    @property
    def finished(self) -> bool:
        return not self.open.any()

    def walk_away(self, t: int, floor: np.ndarray, best: np.ndarray) -> None:
        """Close the open runs in which some party's best package is now worth less than no deal."""
        walking = self.open & (floor > best + TOLERANCE).any(axis=1)
        self.walked_away |= walking
        self.round = np.where(walking, t, self.round)
        self.open &= ~walking

    def settle(self, t: int, deal: np.ndarray) -> np.ndarray:
        """Close the open runs that agree in round t; returns which runs those are."""
        deal = deal & self.open
        self.agreed |= deal
        self.round = np.where(deal, t, self.round)
        self.open &= ~deal
        if self.threshold is not None:
            with np.errstate(divide="ignore"):
                self.cumulative_hazard -= np.log1p(-self.hazard(t))
            breaking = self.open & (self.cumulative_hazard >= self.threshold)
            self.broke_down |= breaking
            self.round = np.where(breaking, t, self.round)
            self.open &= ~breaking
        return deal

    def leave(self, t: int, leaving: np.ndarray) -> None:
        """Close the open runs in which a party's strategy walks away in round t."""
        leaving = leaving & self.open
        self.walked_away |= leaving
        self.round = np.where(leaving, t, self.round)
        self.open &= ~leaving


def _index_type(size: int) -> type:
    """The narrowest of int32 and int64 that holds indices below ``size`` (menus of a chunk hold
    (runs, candidates) of them: int32 halves their memory)."""
    return np.int32 if size < 2**31 else np.int64


def prefix_argmax(values: np.ndarray) -> np.ndarray:
    """For each row and position i, the index of the largest of ``values[:, :i+1]`` (earliest on ties)."""
    running = np.maximum.accumulate(values, axis=1)
    new_best = np.ones(values.shape, dtype=bool)
    new_best[:, 1:] = values[:, 1:] > running[:, :-1]
    del running
    positions = np.arange(values.shape[1], dtype=_index_type(values.shape[1]))
    return np.maximum.accumulate(np.where(new_best, positions, positions.dtype.type(0)), axis=1)


@dataclass(frozen=True, eq=False)
class Menu:
    """What a proposer offers for a target: among candidates it values at least at the
    target, the one it estimates best for the others (ties: the one it values more, then
    the one first in the pool).

    Built once per chunk: candidates sorted by the proposer's utility,
    best first (a stable sort: equal utilities keep their pool order), and a
    running argmax of its estimate of the others' utility along that order,
    so that each round costs one search per run. ``candidates`` restricts the
    menu to those pool indices (:mod:`truce.simulate.pruning`: the others can
    never be the best for the others); the offer when no candidate reaches
    the target stays the proposer's best over the whole pool.
    """

    negated: SortedRows
    """(R or 1, M'): minus the proposer's utilities in descending order (so ascending, for searching)."""
    best_from: np.ndarray
    """(R', M'): for descending position i, the candidate (pool index) chosen when the target allows positions <= i."""
    order: np.ndarray
    """(R or 1, M'): candidates (pool indices) by the proposer's utility, descending."""
    top: np.ndarray
    """(R or 1,): the proposer's best candidate over the whole pool (the first in pool order among equals)."""

    @classmethod
    def build(cls, own_utility: np.ndarray, others_estimate: np.ndarray, candidates: np.ndarray | None = None) -> "Menu":
        top = np.argmax(own_utility, axis=1)  # the first of the best: a stable descending sort's first
        if candidates is not None:
            own_utility, others_estimate = own_utility[:, candidates], others_estimate[:, candidates]
        negated = -own_utility
        order = np.argsort(negated, axis=1, kind="stable").astype(_index_type(own_utility.shape[1]))
        negated = np.take_along_axis(negated, order, axis=1)  # minus the utilities, descending utilities
        runs = max(own_utility.shape[0], others_estimate.shape[0])
        if others_estimate.shape[0] == 1 and order.shape[0] == 1:
            in_order = others_estimate[:, order[0]]
        else:
            in_order = np.take_along_axis(
                np.broadcast_to(others_estimate, (runs, others_estimate.shape[1])),
                np.broadcast_to(order, (runs, order.shape[1])),
                axis=1,
            )
        chosen = np.take_along_axis(np.broadcast_to(order, in_order.shape), prefix_argmax(in_order), axis=1)
        del in_order
        if candidates is not None:
            candidates = candidates.astype(_index_type(int(candidates.max(initial=0)) + 1))
            order, chosen = candidates[order], candidates[chosen]
        return cls(negated=SortedRows(negated), best_from=chosen, order=order, top=top)

    def offer(self, target: np.ndarray, rule: str = "others") -> np.ndarray:
        """(R,) candidate indices for (R,) utility targets; the proposer's best when no candidate reaches the target.

        ``rule="others"``: among candidates at or above the target, the one best for the others;
        ``rule="target"``: the one closest above the target (least for the proposer itself), the
        iso-utility offer of the time-dependent tactics as NegMAS's negotiators make it.
        """
        reaching = self.negated.search(-(target - TOLERANCE), side="right")  # candidates worth >= target
        position = np.maximum(reaching - 1, 0)
        table = self.best_from if rule == "others" else self.order
        chosen = table[0, position] if table.shape[0] == 1 else table[np.arange(len(target)), position]
        return np.where(reaching > 0, chosen, self.top)
