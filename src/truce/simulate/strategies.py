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

from truce.errors import InputError
from truce.simulate.arena import TOLERANCE, Arena, SortedRows, prefix_argmax

REGISTRY: dict[str, type["Strategy"]] = {}

DEFAULT_STRATEGY = "cost-based"
"""Every party's strategy unless told otherwise: its timing comes from its costs, not from a deadline."""


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

    def leaves(self, context: Context, party: int) -> np.ndarray | None:
        """(R,) runs in which this party walks away in round t, or None (it stays)."""
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
class CostBased(Strategy):
    """Concedes by what holding out costs: each round the surplus it asks for over no deal
    falls by the expected cost of one more round without agreement.

    ``target(t) = floor(t) + s(t)`` with ``s(0) = best - floor(0)`` and, in
    value terms, ``cost(t) = h(t) (D(target) - r(t)) + (1 - delta) D(target) + c``:
    the breakdown risk times the surplus the party would lose if talks
    broke down (Binmore, Rubinstein & Wolinsky 1986), what discounting takes
    from the deal (Rubinstein 1982), and the cost of delay of the round
    (Cross 1965: a party's concessions are paced by what delay costs it).
    ``s(t + 1) = s(t) - scale x cost(t) / (delta^t tau)`` (the cost in
    utility: the worth of one unit of utility in a deal signed now), never
    below 0 and never above the party's best. It uses no deadline: how soon
    it concedes comes from its costs alone, so a deadline far beyond its
    costs' horizon changes nothing; without any cost it holds firm.
    ``scale`` (default 1) makes it concede faster (> 1) or slower.

    Names: cost-of-continuing concession [Cross1965]_, [Binmore1986]_.
    """

    name: ClassVar[str] = "cost-based"
    source: ClassVar[str] = (
        "Cross (1965) A theory of the bargaining process, American Economic Review 55(1); Binmore, Rubinstein & "
        "Wolinsky (1986) The Nash bargaining solution in economic modelling, RAND Journal of Economics 17(2)"
    )
    classifier: ClassVar[dict] = {
        "deterministic": True,
        "knowledge": "own preferences and costs (breakdown risk, discount, cost of delay); a noisy estimate of the others' when choosing among offers",
        "parameters": {"scale": 1.0, "offer": "others"},
    }

    def target(self, context: Context, party: int) -> np.ndarray:
        arena, t = context.arena, context.t
        floor = context.floor[:, party]
        best = np.maximum(np.broadcast_to(context.best[:, party], floor.shape), floor)
        earlier = context.last_target[:, party]
        if t == 0 or np.isnan(earlier).all():
            return best.copy()
        previous = t - 1
        utility = np.broadcast_to(earlier[:, None], (len(earlier), arena.n_parties))
        worth = arena.value(utility, previous)[:, party]
        surplus = np.maximum(worth - arena.no_deal(previous)[:, party], 0.0)
        cost = arena.hazard(previous) * surplus + (1.0 - arena.discount[:, party]) * worth + arena.cost_of_delay[:, party]
        per_utility = arena.discount[:, party] ** previous * np.maximum(arena.trust[:, party], 1e-9)
        asked = np.maximum(earlier - arena.floor(previous)[:, party], 0.0) - self.parameters.get("scale", 1.0) * cost / per_utility
        return np.clip(floor + asked, floor, best)


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
    """The subgame-perfect equilibrium of bilateral alternating offers with a deadline and a
    risk of breakdown, by backward induction over the candidate packages (Stahl 1972;
    Rubinstein 1982; Binmore, Rubinstein & Wolinsky 1986).

    Steps, from the last round back to round 0, per run (each with its own
    first proposer):

    1. After the deadline both parties get no deal, ``r_p(T)``.
    2. Rejecting in round t is worth ``R_p(t) = h(t) r_p(t) + (1 - h(t)) W_p(t+1)``:
       with the breakdown risk h(t) the talks end without a deal, otherwise
       they go on to round t + 1. The proposer i offers, among packages the
       responder j values at least at max(R_j(t), r_j(t)) (what it gets by
       rejecting, or by leaving now), the one i values most; if that is worth
       less to i than max(R_i(t), r_i(t)), i proposes nothing acceptable, and
       the talks go on, or end now when some party is better off leaving
       (that party walks away: :meth:`leaves`).
    3. The responder accepts exactly the offers worth at least max(R_j(t), r_j(t)).

    On one finely divided issue with discount factors this reproduces
    Stahl's finite-horizon split, which tends to Rubinstein's
    ``(1 - delta_2) / (1 - delta_1 delta_2)`` for the first proposer as the
    deadline grows; with a breakdown risk p and no discounting the first
    proposer's share tends to ``1 / (2 - p)``, which tends to the Nash
    solution's 1/2 as p goes to 0 (Binmore et al. 1986).
    Needs both parties' true preferences (complete information).

    Names: subgame-perfect equilibrium [Stahl1972]_, [Rubinstein1982]_, [Binmore1986]_.
    """

    name: ClassVar[str] = "spe"
    source: ClassVar[str] = (
        "Stahl (1972) Bargaining Theory; Rubinstein (1982) Perfect equilibrium in a bargaining model, Econometrica 50(1); "
        "Binmore, Rubinstein & Wolinsky (1986), RAND Journal of Economics 17(2)"
    )
    classifier: ClassVar[dict] = {"deterministic": True, "knowledge": "true preferences of both parties", "parameters": {}}

    def prepare(self, arena: Arena, party: int, strategies: list[Strategy]) -> None:
        if arena.n_parties != 2:
            raise InputError("the subgame-perfect strategy is defined for two parties")
        key = id(arena)
        shared = next((s for s in strategies if isinstance(s, SubgamePerfect) and getattr(s, "_key", None) == key), None)
        if shared is not None and shared is not self:
            self._plan = shared._plan
        else:
            self._plan = subgame_perfect_plan(arena)
        self._key = key

    def target(self, context: Context, party: int) -> np.ndarray:
        return self._plan[1][:, context.t, party]

    def offers(self, context: Context, party: int) -> np.ndarray | None:
        return self._plan[0][:, context.t]

    def leaves(self, context: Context, party: int) -> np.ndarray | None:
        return self._plan[2][:, context.t, party]


def subgame_perfect_plan(arena: Arena) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Backward induction: per run and round, the proposer's offer, each party's acceptance
    threshold and whether it walks away (see :class:`SubgamePerfect`).

    Returns ``offers`` (R, T) candidate indices (-1: no acceptable proposal),
    ``acceptance`` (R, T, 2) utility thresholds and ``leave`` (R, T, 2) booleans.
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
    leave = np.zeros((runs, rounds, 2), dtype=bool)
    rows = np.arange(runs)
    width = utility.shape[1]
    for t in range(rounds - 1, -1, -1):
        proposer = (arena.proposers + t) % 2
        responder = 1 - proposer
        no_deal_now = arena.no_deal(t)
        hazard = arena.hazard(t)[:, None]
        rejecting = hazard * no_deal_now + (1.0 - hazard) * continuation
        # a party can always leave now, so it needs at least what no deal is worth now
        enough = np.maximum(rejecting, no_deal_now)
        needed = arena.utility_for_value(enough, t)
        acceptance[:, t, :] = needed
        candidate = np.zeros(runs, dtype=np.int64)
        feasible = np.zeros(runs, dtype=bool)
        for j, (responder_sorted, best_from) in enumerate(staircases):
            position = responder_sorted.search(needed[:, j] - TOLERANCE)
            mine = responder == j
            candidate = np.where(mine, best_from[rows, np.minimum(position, width - 1)], candidate)
            feasible = np.where(mine, position < width, feasible)
        values = arena.value(utility[rows, candidate], t)
        worthwhile = feasible & (values[rows, proposer] >= enough[rows, proposer] - 1e-12)
        offers[:, t] = np.where(worthwhile, candidate, -1)
        # without a deal now, a party better off leaving than going on ends the talks: both get no deal now
        better_gone = ~worthwhile[:, None] & (no_deal_now > rejecting + 1e-12)
        leaving = better_gone.any(axis=1)
        leave[:, t, :] = better_gone
        continuation = np.where(worthwhile[:, None], values, np.where(leaving[:, None], no_deal_now, rejecting))
    return offers, acceptance, leave


OFFER_RULES = ("others", "target")


def make(spec: str | Strategy) -> Strategy:
    """A strategy from its registered name, optionally with parameters: ``boulware``,
    ``time-dependent:e=0.5``, ``boulware:offer=target``."""
    if isinstance(spec, Strategy):
        return spec
    name, _, arguments = spec.partition(":")
    if name not in REGISTRY:
        raise InputError(f"unknown strategy '{name}'; expected one of {', '.join(REGISTRY)}")
    parameters = {}
    for item in filter(None, arguments.split(",")):
        key, _, value = item.partition("=")
        key, value = key.strip(), value.strip()
        if key == "offer":
            if value not in OFFER_RULES:
                raise InputError(f"strategy parameter offer: found '{value}'; expected one of {', '.join(OFFER_RULES)}")
            parameters[key] = value
            continue
        try:
            parameters[key] = float(value)
        except ValueError:
            raise InputError(f"strategy parameter '{item}': expected name=number") from None
    if "e" in parameters and not parameters["e"] > 0:
        raise InputError(f"strategy parameter e: found {parameters['e']:g}; expected a number > 0")
    unknown = set(parameters) - set(REGISTRY[name].classifier["parameters"])
    if unknown:
        known = ", ".join(REGISTRY[name].classifier["parameters"]) or "none"
        raise InputError(f"strategy '{name}' has no parameter {', '.join(sorted(unknown))}; expected its parameters: {known}")
    return REGISTRY[name](parameters=parameters)
