"""Benchmark of the simulation (``simulate.py``): the NegMAS side, and NegMAS's rules replayed in truce's engine.

NegMAS side
-----------
The same issues (``negmas.outcomes.make_issue(10, name)``) and one
``negmas.preferences.LinearAdditiveUtilityFunction`` per party (a table
value function per issue, the same weights, ``reserved_value=0.0``), built
once per problem; each negotiation (timed end to end) is a fresh
``negmas.sao.SAOMechanism(issues=issues, n_steps=100,
one_offer_per_step=True)`` with one fresh
``negmas.sao.negotiators.BoulwareTBNegotiator()`` per party
(``mechanism.add(negotiator, preferences=ufun)``), run by
``mechanism.run()``. ``one_offer_per_step=True`` makes a NegMAS step one
offer, as a truce round is (NegMAS's default plays every party's offer in
one step, 2 offers per step bilaterally); see "Rounds" below.

NegMAS's Boulware, read from negmas 0.16.0
(``gb/negotiators/timebased.py``, ``negotiators/helpers.py``,
``gb/components/inverter.py``, ``preferences/inv_ufun/presorting.py``,
``mechanisms.py``):

* aspiration ``a(t) = 1 - t^4`` (``PolyAspiration(1.0, "boulware")``,
  exponent 4), scaled to ``min + (max - min) a(t)`` with ``max`` the best
  utility and ``min = max(worst utility, reserved value)``, less
  ``eps = 1e-4``;
* relative time at step s (0-based) of an ``n_steps`` negotiation:
  ``t = (s + 1) / (n_steps + 1)``, so it never reaches 1 (the last target is
  ``1 - (100/101)^4 = 0.039``);
* offers: ``stochastic=False``, so the inverter's ``worst_in``: the outcome
  it values least among those worth at least its aspiration (presorted
  exact inverse below 1e6 outcomes);
* accepts an offer worth at least its aspiration at the step it responds,
  which in one-offer-per-step mode is the step after the offer (with 5
  parties, the k-th responder answers k steps after the offer, and the
  offer stands only if all answer yes in turn).
"""

from __future__ import annotations

import gc
import time
import warnings
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from simulate_cases import ROUNDS, RandomProblem, Tally

from truce.simulate.strategies import Context, Strategy


def negmas_negotiation(issues, ufuns):
    """One NegMAS negotiation, Boulware against Boulware; returns the mechanism after ``run()``."""
    from negmas.sao import SAOMechanism
    from negmas.sao.negotiators import BoulwareTBNegotiator

    mechanism = SAOMechanism(issues=issues, n_steps=ROUNDS, one_offer_per_step=True)
    for ufun in ufuns:
        mechanism.add(BoulwareTBNegotiator(), preferences=ufun)
    mechanism.run()
    return mechanism


def play_negmas(tally: Tally, problem: RandomProblem, negotiations: int) -> None:
    """``negotiations`` NegMAS negotiations on one problem, each timed end to end."""
    issues, ufuns = problem.negmas()
    outcomes = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(negotiations):
            gc.collect()
            wall, cpu = time.perf_counter(), time.process_time()
            mechanism = negmas_negotiation(issues, ufuns)
            tally.seconds += time.perf_counter() - wall
            tally.cpu_seconds += time.process_time() - cpu
            agreement = mechanism.state.agreement
            if agreement is None:
                tally.add(1, 0, 0.0, np.zeros(problem.n_parties))
            else:
                step, _, offer = mechanism.extended_trace[-1]
                assert tuple(offer) == tuple(agreement), "the agreement is the last offer made"
                tally.add(1, 1, step + 1, np.array([float(u(agreement)) for u in ufuns]))
            outcomes.append(None if agreement is None else tuple(int(v) for v in agreement))
    tally.repeatable &= len(set(outcomes)) == 1
    tally.agreements.append(outcomes[0])


# --- NegMAS's rules inside truce's engine (diagnostic) -----------------------


@dataclass
class NegmasBoulwareReplica(Strategy):
    """NegMAS 0.16.0's ``BoulwareTBNegotiator`` in a one-offer-per-step ``SAOMechanism``, as a truce strategy.

    Steps, for round t of T (one offer per round, as one NegMAS step):

    1. Aspiration at step s: ``floor + (best - floor)(1 - ((s + 1) / (T + 1))^4) - 1e-4``
       (``PolyAspiration(1.0, "boulware")`` scaled by ``UtilityInverter.scale_utilities``,
       relative time from ``Mechanism._relative_time_for``).
    2. The proposer offers the candidate it values least among those worth at
       least its aspiration at step t (``PresortingInverseUtilityFunction.worst_in``;
       its best candidate when none reaches it).
    3. A party d places after the proposer answers at step t + d: it accepts
       when the offer is worth at least its aspiration at t + d, and cannot
       answer after the deadline (``UtilBasedNegotiator.respond``).

    Bilaterally this is NegMAS's protocol exactly. With more parties NegMAS
    lets the first responder who rejects propose next (truce rotates the
    proposer every round), so the turn order can drift apart after a
    partial acceptance. Not registered: a benchmark instrument, not a truce
    strategy. Needs the preferences shared by all runs (no uncertain inputs).

    Names: Boulware time-based negotiator [NegMAS]_.
    """

    name: ClassVar[str] = "negmas-boulware-replica"
    source: ClassVar[str] = "NegMAS 0.16.0, negmas.gb.negotiators.timebased.BoulwareTBNegotiator in negmas.sao.SAOMechanism(one_offer_per_step=True)"
    classifier: ClassVar[dict] = {"deterministic": True, "knowledge": "own preferences", "parameters": {"e": 4.0}}
    epsilon: ClassVar[float] = 1e-4
    """``UtilBasedNegotiator(eps=1e-4)``: the aspiration band is widened by this much."""

    def prepare(self, arena, party: int, strategies: list[Strategy]) -> None:
        if arena.utility.shape[0] != 1:
            raise ValueError("the NegMAS replica needs preferences shared by all runs")
        own = arena.utility[0, :, party]
        self._order = np.argsort(own, kind="stable")
        self._ascending = own[self._order]

    def _aspiration(self, context: Context, party: int, step: int) -> np.ndarray:
        relative_time = min(1.0, (step + 1) / (context.arena.rounds + 1))
        floor = context.floor[:, party]
        best = np.broadcast_to(context.best[:, party], floor.shape)
        exponent = self.parameters.get("e", 4.0)
        return floor + (best - floor) * (1.0 - relative_time**exponent) - self.epsilon

    def target(self, context: Context, party: int) -> np.ndarray:
        places_after_proposer = (party - context.t) % context.arena.n_parties  # first proposer 0
        step = context.t + places_after_proposer
        if step > context.arena.rounds - 1:
            return np.full(context.floor.shape[0], np.inf)
        return self._aspiration(context, party, step)

    def offers(self, context: Context, party: int) -> np.ndarray:
        aspiration = self._aspiration(context, party, context.t)
        position = np.searchsorted(self._ascending, aspiration, side="left")
        return self._order[np.minimum(position, len(self._ascending) - 1)]

