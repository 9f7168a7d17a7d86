"""Mediators of the single negotiating text: small registered units with their metadata.

A mediator holds, per run, what it believes about the parties and the text
it tables. The protocol (:func:`truce.simulate.single_text.single_text`)
asks it for a text each round, shows it each party's answer (accept, or
the objections the party states from its own preferences) and asks for
the revised text. Everything is vectorised over runs.

``MEDIATORS`` is the registry; ``tests/simulate/test_single_text.py``
checks every registered unit at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np

from truce.errors import InputError
from truce.simulate.arena import TOLERANCE, Arena

MEDIATORS: dict[str, type["Mediator"]] = {}

GAIN_FLOOR = 1e-6
SHORTFALL_PENALTY = 1000.0
SCORE_TIE = 1e-12


def register(cls: type["Mediator"]) -> type["Mediator"]:
    MEDIATORS[cls.name] = cls
    return cls


def nash_score(gains: np.ndarray) -> np.ndarray:
    """Nash product of the gains (last axis), extended below zero by a steep
    linear penalty so that a text some party cannot yet accept still has an
    uphill direction: ``prod_p max(g_p, 1e-6) + 1000 * sum_p min(g_p, 0)``.
    Gains lie in [-1, 1], so the penalty of any shortfall outweighs every product."""
    return np.prod(np.maximum(gains, GAIN_FLOOR), axis=-1) + SHORTFALL_PENALTY * np.minimum(gains, 0.0).sum(axis=-1)


def pool_values(arena: Arena) -> np.ndarray:
    """(R or 1, M, I, P): each issue's value of each candidate to each party (before weights)."""
    return np.stack([table[:, arena.pool[:, j], :] for j, table in enumerate(arena.values)], axis=2)


def estimate_numpy(weights: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each party's utility of every candidate, (n, P, M), and their sum over the parties, (n, M):
    weights (n, P, I) times values (n or 1, P, I, M), summed issue by issue from the first, then
    over the parties from the first (the order :func:`truce.simulate.kernel_text._estimate_run` follows)."""
    utility = weights[:, :, 0, None] * values[:, :, 0, :]
    for i in range(1, weights.shape[2]):
        utility += weights[:, :, i, None] * values[:, :, i, :]
    total = utility[:, 0, :].copy()
    for p in range(1, utility.shape[1]):
        total += utility[:, p, :]
    return utility, total


@dataclass
class Mediator:
    """Base class. Subclasses set ``name``, ``source`` and ``classifier`` and define the three steps."""

    name: ClassVar[str]
    source: ClassVar[str]
    classifier: ClassVar[dict]
    parameters: dict = field(default_factory=dict)
    compiled: bool = False
    """Play the costly steps compiled, where the unit has them (:class:`OneText`: its texts chosen in
    :mod:`truce.simulate.kernel_text`, the same texts); set by the simulation's engine."""

    def begin(self, arena: Arena) -> None:
        """Called once per chunk before round 0."""
        raise NotImplementedError

    def text(self, floor: np.ndarray, open_runs: np.ndarray) -> np.ndarray:
        """(R,) candidate indices: the text tabled in this round (revised only in ``open_runs``)."""
        raise NotImplementedError

    def hear(self, t: int, accepts: np.ndarray, objections: np.ndarray) -> None:
        """Take in the answers to the text tabled in round t: ``accepts`` (R, P) and
        ``objections`` (R, P, I), each refusing party's stated shortfall on each issue."""
        raise NotImplementedError


@register
@dataclass
class OneText(Mediator):
    """The one-text mediator: whole packages, revised from the parties' critique toward joint gains.

    Raiffa (1982, ch. 14) and Fisher's use of it at Camp David (1978): the
    mediator drafts one text no party is committed to, asks each party to
    criticise it, and revises the whole text; the parties only ever say yes
    or no to a complete package. Per run:

    1. **Belief.** The mediator knows the issues and each party's value of
       each option, and what no deal is worth to each party in each round
       (its floor); it knows the parties' priorities (issue weights) only
       through a noisy estimate, ``w * exp(noise * z)`` renormalised.
    2. **First text.** Among the candidate packages, the one that
       maximises its estimated Nash product of the parties' gains over
       their floors (Nash 1950): a text on its estimated frontier, at its
       estimated Nash point.
    3. **Critique.** A party that refuses the text states its objections:
       each issue on which the text falls short of its preferred option,
       and by how much that matters to it (its own weighted shortfall).
       The mediator hears each stated shortfall with the same log-normal
       error as its prior, and so receives a noisy reading of the party's
       weight on that issue; it averages readings and prior on the log
       scale (the conjugate normal update with equal precisions), so after
       ``n`` critiques of an issue its error has spread ``noise /
       sqrt(n + 1)``.
    4. **Revision.** The next text maximises the estimated Nash product
       (ties: the larger estimated sum of utilities, so the text is on the
       estimated frontier) over the packages that are estimated acceptable:
       no party that has accepted a text gets less than that text (by the
       mediator's current estimate), and every party that refused the last
       text gets more. When no package meets both conditions, only the
       first is kept (the mediator stands by its text and waits for the
       parties' demands to come down); when not even that, neither.

    With exact knowledge every text is Pareto-efficient among the
    candidates, and in the last round (when time-dependent parties accept
    anything above their floor) the text is acceptable to all whenever any
    candidate is.

    Names: single negotiating text, one-text procedure [Raiffa1982]_, [Fisher1981]_.
    """

    name: ClassVar[str] = "one-text"
    source: ClassVar[str] = (
        "Raiffa (1982) The Art and Science of Negotiation, ch. 14 (the single negotiating text; Camp David 1978); "
        "Fisher & Ury (1981) Getting to Yes; Nash (1950) The bargaining problem, Econometrica 18(2)"
    )
    classifier: ClassVar[dict] = {
        "deterministic": True,
        "knowledge": "each party's option values and floors; a noisy estimate of their priorities, refined by their critique",
        "parameters": {},
    }

    def begin(self, arena: Arena) -> None:
        if arena.values is None or arena.mediator_weights is None or arena.weights is None:
            raise ValueError("the one-text mediator needs issue-level values and its estimate of the parties' weights")
        runs, parties = arena.runs, arena.n_parties
        self._arena = arena
        values = pool_values(arena)
        self._values = np.ascontiguousarray(values.transpose(0, 3, 2, 1))  # (R or 1, P, I, M) for one product a party
        prior = np.broadcast_to(arena.mediator_weights, (runs, parties, len(arena.values)))
        with np.errstate(divide="ignore"):
            self._log_weight = np.log(prior)
        self._heard = np.ones(self._log_weight.shape, dtype=np.int64)
        # the gap between each option and the party's preferred option on its issue, per candidate: (R or 1, M, I, P)
        best_option = np.stack([np.broadcast_to(table.max(axis=1), (table.shape[0], parties)) for table in arena.values], axis=1)
        self._gap = best_option[:, None, :, :] - values
        self._accepted = np.full((runs, parties), -1)
        self._refused = np.zeros((runs, parties), dtype=bool)
        self._current = np.full(runs, -1)
        if self.compiled:
            self._weights = np.empty(self._log_weight.shape)
        else:
            self._utility = np.empty((runs, parties, values.shape[1]))
            self._total = np.empty((runs, values.shape[1]))
        self._estimate()

    def _estimate(self, rows: np.ndarray | None = None) -> None:
        """The mediator's utility of every candidate to every party, (R, P, M), and their sum over the
        parties, (R, M), from its current weights: in every run, or in ``rows`` (whose weights changed).
        Compiled, only the weights: the choice of texts estimates each run's utilities as it goes."""
        rows = np.arange(len(self._log_weight)) if rows is None else rows
        weights = np.exp(self._log_weight[rows])
        weights /= np.maximum(weights.sum(axis=2, keepdims=True), 1e-300)
        if self.compiled:  # the compiled choice estimates each run's utilities as it goes
            self._weights[rows] = weights
        else:
            self._utility[rows], self._total[rows] = estimate_numpy(weights, self._values if self._values.shape[0] == 1 else self._values[rows])

    def text(self, floor: np.ndarray, open_runs: np.ndarray) -> np.ndarray:
        if self.compiled:
            from truce.simulate import kernel_text

            floor = np.ascontiguousarray(floor, dtype=np.float64)
            kernel_text.choose_texts(
                self._weights, self._values, floor, np.ascontiguousarray(open_runs, dtype=np.bool_), self._accepted, self._refused, self._current,
                TOLERANCE, GAIN_FLOOR, SHORTFALL_PENALTY, SCORE_TIE,
            )
        else:
            rows = np.flatnonzero(open_runs)
            self._current[rows] = self._choose_numpy(rows, floor[rows])
        return self._current.copy()

    def _choose_numpy(self, rows: np.ndarray, floor: np.ndarray) -> np.ndarray:
        """(len(rows),): the text of each of these runs (steps 2 and 4), given the parties' floors there."""
        utility, total = self._utility[rows], self._total[rows]
        parties = utility.shape[1]
        score = np.ones(total.shape)  # nash_score, party by party
        shortfall = np.zeros(total.shape)
        in_zone = np.ones(total.shape, dtype=bool)  # every estimated gain >= 0
        for p in range(parties):
            gain = utility[:, p, :] - floor[:, p, None]
            score *= np.maximum(gain, GAIN_FLOOR)
            shortfall += np.minimum(gain, 0.0)
            in_zone &= gain >= -TOLERANCE
        score += SHORTFALL_PENALTY * shortfall
        # where some text is estimated acceptable to all, the answers narrow the choice (steps 4-5)
        narrowed = np.flatnonzero(in_zone.any(axis=1))
        if len(narrowed):
            allowed = self._allowed(rows[narrowed], in_zone[narrowed])
            score[narrowed] = np.where(allowed, score[narrowed], -np.inf)
        top = score.max(axis=1, keepdims=True)
        near = score >= top - SCORE_TIE * (1.0 + np.abs(top))
        return np.argmax(np.where(near, total, -np.inf), axis=1)

    def _allowed(self, rows: np.ndarray, in_zone: np.ndarray) -> np.ndarray:
        """(len(rows), M): the candidates the revision may choose from in these runs."""
        utility = self._utility[rows]
        accepted, refused = self._accepted[rows], self._refused[rows]
        accepted_level = np.take_along_axis(utility, np.maximum(accepted, 0)[:, :, None], axis=2)[:, :, 0]
        current_level = utility[np.arange(len(rows)), :, np.maximum(self._current[rows], 0)]
        keeps_acceptors = in_zone.copy()  # nobody gets less than the last text it accepted
        improves_refusers = in_zone.copy()  # everybody who refused the last text gets more
        for p in range(utility.shape[1]):
            own = utility[:, p, :]
            if (accepted[:, p] >= 0).any():
                keeps_acceptors &= (own >= accepted_level[:, p, None] - TOLERANCE) | (accepted[:, p, None] < 0)
            if refused[:, p].any():
                improves_refusers &= (own > current_level[:, p, None] + TOLERANCE) | ~refused[:, p, None]
        allowed = in_zone
        for level in (keeps_acceptors, improves_refusers, keeps_acceptors & improves_refusers):
            allowed = np.where(level.any(axis=1)[:, None], level, allowed)
        return allowed

    def hear(self, t: int, accepts: np.ndarray, objections: np.ndarray) -> None:
        runs = len(accepts)
        current = np.maximum(self._current, 0)
        self._accepted = np.where(accepts, current[:, None], self._accepted)
        self._refused = ~accepts
        gap = self._gap[0, current] if self._gap.shape[0] == 1 else self._gap[np.arange(runs), current]  # (R, I, P)
        gap = np.moveaxis(gap, 2, 1)
        stated = (objections > TOLERANCE) & (gap > TOLERANCE)
        if not stated.any():
            return
        error = 0.0 if self._arena.critique_noise is None else self._arena.critique_noise(t)
        with np.errstate(divide="ignore", invalid="ignore"):
            reading = np.log(objections) - np.log(gap) + error
            updated = (self._heard * self._log_weight + reading) / (self._heard + 1)
        self._log_weight = np.where(stated, updated, self._log_weight)
        self._heard = self._heard + stated
        self._estimate(np.flatnonzero(stated.any(axis=(1, 2))))  # the other runs' weights are unchanged


def make_mediator(name: str) -> Mediator:
    if name not in MEDIATORS:
        raise InputError(f"unknown mediator '{name}'; expected one of {', '.join(MEDIATORS)}")
    return MEDIATORS[name]()
