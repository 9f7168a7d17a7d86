"""Negotiation strategies: small registered units with their metadata.

Each strategy sets, every round, a party's *target*: the utility it asks
for when it proposes and the least it accepts when it responds (the
acceptance rule of Faratin, Sierra & Jennings 1998: accept an offer worth
at least what you would ask for yourself now). Targets are vectorised over
runs: ``target(context, party) -> (R,)``. A strategy may instead dictate its
offers outright (``offers``), as the subgame-perfect strategy does.

``truce strategies`` lists the registry with each unit's source and
classifier; ``tests/simulate/test_strategies.py`` checks every registered
unit's invariants at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np

from truce.simulate.arena import TOLERANCE, Arena, SortedRows, prefix_argmax

REGISTRY: dict[str, type["Strategy"]] = {}


def register(cls: type["Strategy"]) -> type["Strategy"]:
    REGISTRY[cls.name] = cls
    return cls


@dataclass
class Context:
    """What strategies may look at in round ``t``."""

    arena: Arena
    t: int
    floor: np.ndarray
    """(R, P): utility at which a deal is worth no deal now."""
    best: np.ndarray
    """(R or 1, P): each party's best utility."""
    last_received: np.ndarray
    """(R, P): utility to each party of the latest offer someone else made to it (NaN before any)."""
    previous_received: np.ndarray
    """(R, P): the offer before that (NaN before any)."""
    last_target: np.ndarray
    """(R, P): each party's target in the previous round (NaN in round 0)."""


@dataclass
class Strategy:
    """Base class. Subclasses set ``name``, ``source`` and ``classifier`` and define ``target``."""

    name: ClassVar[str]
    source: ClassVar[str]
    classifier: ClassVar[dict]
    parameters: dict = field(default_factory=dict)

    def prepare(self, arena: Arena, party: int, strategies: list["Strategy"]) -> None:
        """Called once per chunk before round 0 (for strategies that plan ahead)."""

    def target(self, context: Context, party: int) -> np.ndarray:
        raise NotImplementedError

    def offers(self, context: Context, party: int) -> np.ndarray | None:
        """Candidate indices this party proposes in round t, or None to use the menu."""
        return None

    @property
    def offer_rule(self) -> str:
        """How the menu picks among packages at or above the target: best for the others, or closest to the target."""
        return self.parameters.get("offer", "others")


@register
@dataclass
class TimeDependent(Strategy):
    """Time-dependent concession from the party's best down to no deal by the deadline.

    ``target(t) = floor(t) + (best - floor(t)) (1 - (t / (T - 1))^(1/e))``: the
    polynomial family of Faratin, Sierra & Jennings (1998), eq. (3)-(4),
    with k = 0. e < 1 concedes late (Boulware), e = 1 linearly, e > 1 early
    (Conceder). ``offer=others`` (default) proposes, among packages at or
    above the target, the one it estimates best for the others;
    ``offer=target`` the one closest above the target (Faratin et al.'s
    iso-utility offer, as NegMAS's time-based negotiators make it).

    Names: time-dependent tactic [Faratin1998]_.
    """

    name: ClassVar[str] = "time-dependent"
    source: ClassVar[str] = "Faratin, Sierra & Jennings (1998), Negotiation decision functions for autonomous agents, Robotics and Autonomous Systems 24(3-4), eq. (3)-(4)"
    classifier: ClassVar[dict] = {
        "deterministic": True,
        "knowledge": "own preferences; a noisy estimate of the others' when choosing among offers",
        "parameters": {"e": 1.0, "offer": "others"},
    }
    default_exponent: ClassVar[float] = 1.0

    def target(self, context: Context, party: int) -> np.ndarray:
        exponent = self.parameters.get("e", self.default_exponent)
        deadline = max(context.arena.rounds - 1, 1)
        concession = (min(context.t, deadline) / deadline) ** (1.0 / exponent)
        floor = context.floor[:, party]
        best = np.broadcast_to(context.best[:, party], floor.shape)
        return np.maximum(floor + (best - floor) * (1.0 - concession), floor)


@register
@dataclass
class Boulware(TimeDependent):
    """Time-dependent concession with e = 0.2: holds firm, concedes near the deadline.

    Names: Boulware [Faratin1998]_.
    """

    name: ClassVar[str] = "boulware"
    classifier: ClassVar[dict] = {**TimeDependent.classifier, "parameters": {"e": 0.2, "offer": "others"}}
    default_exponent: ClassVar[float] = 0.2


@register
@dataclass
class Linear(TimeDependent):
    """Time-dependent concession with e = 1: concedes the same amount each round.

    Names: linear [Faratin1998]_.
    """

    name: ClassVar[str] = "linear"
    classifier: ClassVar[dict] = {**TimeDependent.classifier, "parameters": {"e": 1.0, "offer": "others"}}
    default_exponent: ClassVar[float] = 1.0


@register
@dataclass
class Conceder(TimeDependent):
    """Time-dependent concession with e = 2: concedes early.

    Names: Conceder [Faratin1998]_.
    """

    name: ClassVar[str] = "conceder"
    classifier: ClassVar[dict] = {**TimeDependent.classifier, "parameters": {"e": 2.0, "offer": "others"}}
    default_exponent: ClassVar[float] = 2.0


@register
@dataclass
class HardLiner(Strategy):
    """Never concedes: asks for its best package and accepts nothing less.

    Names: hard-headed / hard-liner, the limiting Boulware (e -> 0) [Faratin1998]_.
    """

    name: ClassVar[str] = "hardliner"
    source: ClassVar[str] = "Faratin, Sierra & Jennings (1998), the limit e -> 0 of the time-dependent family"
    classifier: ClassVar[dict] = {"deterministic": True, "knowledge": "own preferences", "parameters": {}}

    def target(self, context: Context, party: int) -> np.ndarray:
        return np.broadcast_to(context.best[:, party], context.floor[:, party].shape).copy()


@register
@dataclass
class RelativeTitForTat(Strategy):
    """Concedes in proportion to the concession it just received.

    ``target(t) = target(t-1) * u(previous offer received) / u(latest offer received)``,
    bounded by [floor, best]: Faratin et al.'s relative tit-for-tat (imitative
    tactic, eq. (8), delta = 1) applied to the party's own utility. It asks for
    its best until it has received two offers. Two pure imitators facing each
    other never move, so the target never exceeds a Boulware schedule
    (e = 0.2) either: the party still reaches its floor by the deadline.

    Names: relative tit-for-tat [Faratin1998]_.
    """

    name: ClassVar[str] = "tit-for-tat"
    source: ClassVar[str] = "Faratin, Sierra & Jennings (1998), imitative tactics: relative tit-for-tat, eq. (8)"
    classifier: ClassVar[dict] = {"deterministic": True, "knowledge": "own preferences; the offers received", "parameters": {}}

    def target(self, context: Context, party: int) -> np.ndarray:
        floor = context.floor[:, party]
        best = np.broadcast_to(context.best[:, party], floor.shape)
        last = context.last_received[:, party]
        previous = context.previous_received[:, party]
        earlier = context.last_target[:, party]
        ratio = np.where((last > 0) & np.isfinite(previous), previous / np.where(last > 0, last, 1.0), 1.0)
        target = np.where(np.isnan(earlier), best, earlier * np.minimum(ratio, 1.0))
        backstop = Boulware().target(context, party)
        return np.clip(np.minimum(target, backstop), floor, np.maximum(best, floor))


@register
@dataclass
class SubgamePerfect(Strategy):
    """The subgame-perfect equilibrium of bilateral alternating offers with a deadline,
    by backward induction over the candidate packages (Stahl 1972; Rubinstein 1982).

    Steps, from the last round back to round 0, per run:

    1. After the deadline both parties get no deal, ``r_p(T)``.
    2. In round t the proposer i offers, among packages the responder j
       values at least at max(W_j(t+1), r_j(t)) (what it gets by rejecting,
       or by leaving now), the one i values most; if that is worth less to i
       than max(W_i(t+1), r_i(t)), i proposes nothing acceptable, and the
       talks go on, or end now if some party is better off leaving.
    3. The responder accepts exactly the offers worth at least
       max(W_j(t+1), r_j(t)).

    On one finely divided issue with discount factors this reproduces
    Stahl's finite-horizon split, which tends to Rubinstein's
    ``(1 - delta_2) / (1 - delta_1 delta_2)`` as the deadline grows.
    Needs both parties' true preferences (complete information).

    Names: subgame-perfect equilibrium [Stahl1972]_, [Rubinstein1982]_.
    """

    name: ClassVar[str] = "spe"
    source: ClassVar[str] = "Stahl (1972) Bargaining Theory; Rubinstein (1982) Perfect equilibrium in a bargaining model, Econometrica 50(1)"
    classifier: ClassVar[dict] = {"deterministic": True, "knowledge": "true preferences of both parties", "parameters": {}}

    def prepare(self, arena: Arena, party: int, strategies: list[Strategy]) -> None:
        if arena.n_parties != 2:
            raise ValueError("the subgame-perfect strategy is defined for two parties")
        key = id(arena)
        shared = next((s for s in strategies if isinstance(s, SubgamePerfect) and getattr(s, "_key", None) == key), None)
        if shared is not None and shared is not self:
            self._plan = shared._plan
        else:
            self._plan = subgame_perfect_plan(arena)
        self._key = key

    def target(self, context: Context, party: int) -> np.ndarray:
        offers, acceptance = self._plan
        return acceptance[:, context.t, party]

    def offers(self, context: Context, party: int) -> np.ndarray | None:
        offers, _ = self._plan
        return offers[:, context.t]


def subgame_perfect_plan(arena: Arena, first_proposer: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Backward induction: per run and round, the proposer's offer and each party's acceptance threshold.

    Returns ``offers`` (R, T) candidate indices (-1: no acceptable proposal)
    and ``acceptance`` (R, T, 2) utility thresholds.
    """
    runs, rounds = arena.runs, arena.rounds
    utility = np.broadcast_to(arena.utility, (runs, *arena.utility.shape[1:]))
    # for each responder j: candidates sorted by j's utility, with the proposer's best from each position on
    staircases = []
    for responder in (0, 1):
        proposer = 1 - responder
        order = np.argsort(utility[:, :, responder], axis=1)
        responder_sorted = np.take_along_axis(utility[:, :, responder], order, axis=1)
        proposer_sorted = np.take_along_axis(utility[:, :, proposer], order, axis=1)
        reversed_best = prefix_argmax(proposer_sorted[:, ::-1])
        best_from = order[np.arange(runs)[:, None], (order.shape[1] - 1 - reversed_best)[:, ::-1]]
        staircases.append((SortedRows(responder_sorted), best_from))

    continuation = arena.no_deal(rounds)  # W(T): values after the deadline
    offers = np.full((runs, rounds), -1, dtype=np.int64)
    acceptance = np.zeros((runs, rounds, 2))
    rows = np.arange(runs)
    for t in range(rounds - 1, -1, -1):
        proposer = (first_proposer + t) % 2
        responder = 1 - proposer
        no_deal_now = arena.no_deal(t)
        # a party can always leave now, so it needs at least what no deal is worth now
        needed = arena.utility_for_value(np.maximum(continuation, no_deal_now), t)
        acceptance[:, t, :] = needed
        responder_sorted, best_from = staircases[responder]
        position = responder_sorted.search(needed[:, responder] - TOLERANCE)
        width = responder_sorted.rows.shape[1]
        feasible = position < width
        candidate = best_from[rows, np.minimum(position, width - 1)]
        values = arena.value(utility[rows, candidate], t)
        worthwhile = feasible & (values[:, proposer] >= np.maximum(continuation, no_deal_now)[:, proposer] - 1e-12)
        offers[:, t] = np.where(worthwhile, candidate, -1)
        # without a deal now, a party better off leaving than waiting ends the talks: both get no deal now
        leaving = ~worthwhile & (no_deal_now > continuation + 1e-12).any(axis=1)
        continuation = np.where(worthwhile[:, None], values, np.where(leaving[:, None], no_deal_now, continuation))
    return offers, acceptance


OFFER_RULES = ("others", "target")


def make(spec: str | Strategy) -> Strategy:
    """A strategy from its registered name, optionally with parameters: ``boulware``,
    ``time-dependent:e=0.5``, ``boulware:offer=target``."""
    if isinstance(spec, Strategy):
        return spec
    name, _, arguments = spec.partition(":")
    if name not in REGISTRY:
        raise ValueError(f"unknown strategy '{name}'; expected one of {', '.join(REGISTRY)}")
    parameters = {}
    for item in filter(None, arguments.split(",")):
        key, _, value = item.partition("=")
        key, value = key.strip(), value.strip()
        if key == "offer":
            if value not in OFFER_RULES:
                raise ValueError(f"strategy parameter offer: found '{value}'; expected one of {', '.join(OFFER_RULES)}")
            parameters[key] = value
            continue
        try:
            parameters[key] = float(value)
        except ValueError:
            raise ValueError(f"strategy parameter '{item}': expected name=number") from None
    if "e" in parameters and not parameters["e"] > 0:
        raise ValueError(f"strategy parameter e must be > 0; got {parameters['e']:g}")
    unknown = set(parameters) - set(REGISTRY[name].classifier["parameters"])
    if unknown:
        raise ValueError(f"strategy '{name}' has no parameter {', '.join(sorted(unknown))}")
    return REGISTRY[name](parameters=parameters)
