"""Why simulated talks failed, and why each actor moved in a forecast: results read, not recomputed.

- A simulation's runs end in one of four ways, recorded per run by
  :class:`truce.simulate.results.SimulationResult`: a deal (``agreed``), a
  party walking away (``walked_away``: a party's best offer left it no better
  than no deal), a breakdown (``broke_down``: the exogenous risk of
  Binmore, Rubinstein & Wolinsky 1986), or the last round passing
  (``cap_reached``: the deadline). :func:`failure_reasons` gives each
  ending's share of all runs and of the failed runs, with Wilson 95%
  intervals, and the median round at which each kind of failure came.
- A dynamic forecast (KTAB's Spatial Model of Politics, or the
  expected-utility model) records every move with its kind, the actor, the
  counterpart and the round (:class:`truce.forecast.results.Move`).
  :func:`actor_moves` gathers, per actor and issue, where it started and
  ended and the moves that took it there: the bargain it accepted (SMP), the
  confrontation it lost or the compromise it made (expected utility), each
  with the probabilities the model recorded behind it. In the SMP a bargain
  comes from a challenge of the same round between the two actors: the
  challenger's estimated probability of winning it and its expected gain
  are the trace's (KTAB's probability of conditional victory), and the
  accepting actor chose the bargain from its queue with the recorded
  election probability. In the expected-utility model the move follows from
  P(x_j, x_i), the probability that the counterpart's position beats the
  actor's, with the expected utilities e1 (the actor challenging) and e2
  (the counterpart challenging, in the actor's view) of Scholz, Calbert &
  Smith (2011).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from truce.analysis.zopa import wilson_interval

ENDINGS = {
    "walked_away": "a party walked away (the best it could still get was worth less than no deal, or its strategy left)",
    "broke_down": "the talks broke down (breakdown risk)",
    "deadline": "the last round passed without a deal (deadline)",
}

MOVE_REASONS = {
    "accept": "accepted the bargain proposed with",
    "confrontation": "lost a confrontation to",
    "compromise": "compromised with",
}


@dataclass(frozen=True)
class Ending:
    kind: str
    runs: int
    share: float
    interval: tuple[float, float]
    share_of_failures: float | None
    median_round: float | None
    """Median round (from 1) at which the runs ended this way; None for the deadline or without runs."""


def failure_reasons(result) -> tuple[Ending, ...]:
    """The shares of a :class:`SimulationResult`'s runs that failed, by how they failed."""
    masks = {"walked_away": result.walked_away, "broke_down": result.broke_down, "deadline": result.cap_reached}
    failed = int((~result.agreed).sum())
    endings = []
    for kind, mask in masks.items():
        count = int(mask.sum())
        rounds = result.rounds[mask] + 1
        endings.append(
            Ending(
                kind=kind,
                runs=count,
                share=count / result.runs,
                interval=wilson_interval(count, result.runs),
                share_of_failures=count / failed if failed else None,
                median_round=float(np.median(rounds)) if count and kind != "deadline" else None,
            )
        )
    return tuple(endings)


@dataclass(frozen=True)
class Challenge:
    """The challenge behind an SMP bargain, from the trace."""

    challenger: str
    target: str
    probability: float
    """The challenger's estimate that it wins the challenge."""
    gain: float
    """The challenger's expected gain from it."""


@dataclass(frozen=True)
class ActorMove:
    round: int
    kind: str
    counterpart: str
    issue: str | None
    """None: the move was on every issue at once."""
    to: tuple[str, ...]
    """Where the actor moved, in words, one entry per issue moved."""
    probability: float | None = None
    """SMP: the election probability of the bargain in the actor's queue; expected utility: the probability
    that the counterpart's position beats the actor's."""
    gain: float | None = None
    """Expected utility: e1, the actor's expected utility of challenging the counterpart."""
    counterpart_gain: float | None = None
    """Expected utility: e2, the counterpart's expected utility of challenging the actor, in the actor's view."""
    challenges: tuple[Challenge, ...] = ()
    """SMP: the challenges of the same round between the two actors, behind the bargain."""

    def to_dict(self) -> dict:
        return {**{k: v for k, v in vars(self).items() if k != "challenges"}, "to": list(self.to), "challenges": [vars(c) for c in self.challenges]}


@dataclass(frozen=True)
class ActorPath:
    actor: str
    start: dict[str, str]
    end: dict[str, str]
    moved: dict[str, float]
    """Issue -> distance moved from start to end, on the forecast's 0-100 scale."""
    moves: tuple[ActorMove, ...]


def move_in_words(move: ActorMove, actor_names: dict[str, str], actor: str | None = None) -> str:
    """One move of ``actor`` with the probabilities behind it, e.g. ``round 2: accepted the bargain
    proposed with Egypt (queue p 0.71; Egypt challenged it: P(win) 0.64, gain 0.031)``."""
    name = lambda who: "it" if who == actor else actor_names.get(who, who)  # noqa: E731
    words = f"round {move.round}: {MOVE_REASONS[move.kind]} {actor_names.get(move.counterpart, move.counterpart)}"
    if move.kind == "accept":
        behind = [f"{name(c.challenger)} challenged {name(c.target)}: P(win) {c.probability:.2f}, gain {c.gain:.3f}" for c in move.challenges]
        chosen = [] if move.probability is None else [f"queue p {move.probability:.2f}"]
        return words + (f" ({'; '.join(chosen + behind)})" if chosen or behind else "")
    if move.probability is None:
        return words
    return words + f" (its P(win) {move.probability:.2f}; e1 {move.gain:.3f}, e2 {move.counterpart_gain:.3f})"


def actor_moves(forecast) -> tuple[ActorPath, ...]:
    """Per actor of an :class:`IssueForecast`, where it started and ended, and the recorded moves (empty for the
    static compromise model, which has no moves)."""
    engine_moves = [] if forecast.engine is None else list(forecast.engine.moves)
    factor = 100.0 if forecast.model == "smp" else 1.0
    ids = forecast.actor_ids
    challenges: dict[tuple[int, frozenset], list[Challenge]] = {}
    for move in engine_moves:
        if move.kind == "challenge":
            challenges.setdefault((move.round, frozenset((move.actor, move.counterpart))), []).append(
                Challenge(ids[move.actor], ids[move.counterpart], float(move.probability), float(move.gain))
            )
    paths = []
    for a, actor in enumerate(forecast.actor_ids):
        start, end = forecast.positions[0, a], forecast.positions[-1, a]
        moves = []
        for move in engine_moves:
            if move.actor != a or move.kind not in MOVE_REASONS:
                continue
            dimensions = range(len(forecast.issue_ids)) if move.dimension is None else [move.dimension]
            moves.append(
                ActorMove(
                    round=int(move.round),
                    kind=move.kind,
                    counterpart=forecast.actor_ids[move.counterpart],
                    issue=None if move.dimension is None else forecast.issue_ids[move.dimension],
                    to=tuple(forecast.describe(value * factor, j) for value, j in zip(move.position, dimensions)),
                    probability=None if move.probability is None else float(move.probability),
                    gain=None if move.gain is None else float(move.gain),
                    counterpart_gain=None if move.counterpart_gain is None else float(move.counterpart_gain),
                    challenges=tuple(challenges.get((move.round, frozenset((a, move.counterpart))), ())),
                )
            )
        paths.append(
            ActorPath(
                actor=actor,
                start={issue: forecast.describe(start[j], j) for j, issue in enumerate(forecast.issue_ids)},
                end={issue: forecast.describe(end[j], j) for j, issue in enumerate(forecast.issue_ids)},
                moved={issue: float(abs(end[j] - start[j])) for j, issue in enumerate(forecast.issue_ids)},
                moves=tuple(moves),
            )
        )
    return tuple(paths)
