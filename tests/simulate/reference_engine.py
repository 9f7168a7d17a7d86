"""The simulation engine as it stood before the speed work of issue 12: the reference the fast engine must match.

Main's ``Menu`` (menus sorted in full), ``SortedRows``, ``prefix_argmax``,
``alternating_offers`` and the chunk's arrays (``_arena``), kept verbatim
but for one thing: sorts are stable, the tie rule the engine now states
(equal utilities keep their pool order; numpy's default sort left their
order to the algorithm). :func:`reference_simulate` plays
``truce.simulate.simulate`` with these in place of the fast ones.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

import truce.simulate.montecarlo as montecarlo
from truce.simulate.alternating import Outcome
from truce.simulate.arena import TOLERANCE, Arena
from truce.simulate.montecarlo import NoiseStream, _noisy
from truce.simulate.strategies import Context, Strategy


class SortedRows:
    """Rows sorted ascending, searchable all at once: ``search(q)[r]`` is
    ``np.searchsorted(rows[r], q[r], 'left')``.

    With one shared row this is a plain searchsorted; otherwise the rows are
    shifted by multiples of a span larger than every value and flattened
    once, so that each search is one searchsorted over all rows.
    """

    def __init__(self, rows: np.ndarray):
        self.rows = rows
        if rows.shape[0] > 1:
            self.low = float(rows[:, 0].min())
            self.span = float(rows[:, -1].max()) - self.low + 1.0
            self.offsets = np.arange(rows.shape[0]) * self.span
            self.flat = (rows - self.low + self.offsets[:, None]).ravel()

    def search(self, queries: np.ndarray, side: str = "left") -> np.ndarray:
        if self.rows.shape[0] == 1:
            return np.searchsorted(self.rows[0], queries, side=side)
        shifted = np.clip(queries - self.low, -0.25, self.span - 0.5) + self.offsets
        return np.searchsorted(self.flat, shifted, side=side) - np.arange(self.rows.shape[0]) * self.rows.shape[1]


def prefix_argmax(values: np.ndarray) -> np.ndarray:
    """For each row and position i, the index of the largest of ``values[:, :i+1]`` (earliest on ties)."""
    running = np.maximum.accumulate(values, axis=1)
    new_best = np.ones(values.shape, dtype=bool)
    new_best[:, 1:] = values[:, 1:] > running[:, :-1]
    return np.maximum.accumulate(np.where(new_best, np.arange(values.shape[1]), 0), axis=1)


@dataclass(frozen=True, eq=False)
class Menu:
    """What a proposer offers for a target: among candidates it values at least at the
    target, the one it estimates best for the others (ties: the one it values more).

    Built once per chunk: candidates sorted by the proposer's utility,
    best first, and a running argmax of its estimate of the others' utility
    along that order, so that each round costs one searchsorted per run.
    """

    negated: SortedRows
    """(R or 1, M): minus the proposer's utilities in descending order (so ascending, for searching)."""
    best_from: np.ndarray
    """(R', M): for descending position i, the candidate (pool index) chosen when the target allows positions <= i."""
    order: np.ndarray
    """(R or 1, M): candidates (pool indices) by the proposer's utility, descending."""

    @classmethod
    def build(cls, own_utility: np.ndarray, others_estimate: np.ndarray) -> "Menu":
        order = np.argsort(-own_utility, axis=1, kind="stable")
        descending = np.take_along_axis(own_utility, order, axis=1)
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
        return cls(negated=SortedRows(-descending), best_from=chosen, order=order)

    def offer(self, target: np.ndarray, rule: str = "others") -> np.ndarray:
        """(R,) candidate indices for (R,) utility targets; the proposer's best when no candidate reaches the target.

        ``rule="others"``: among candidates at or above the target, the one best for the others;
        ``rule="target"``: the one closest above the target (least for the proposer itself), the
        iso-utility offer of the time-dependent tactics as NegMAS's negotiators make it.
        """
        reaching = self.negated.search(-(target - TOLERANCE), side="right")  # candidates worth >= target
        position = np.maximum(reaching - 1, 0)
        table = self.best_from if rule == "others" else self.order
        if table.shape[0] == 1:
            return table[0, position]
        return table[np.arange(len(target)), position]


def alternating_offers(arena: Arena, strategies: list[Strategy]) -> Outcome:
    """Play the chunk's runs; each run's first proposer is ``arena.proposers``."""
    runs, parties = arena.runs, arena.n_parties
    for party, strategy in enumerate(strategies):
        strategy.prepare(arena, party, strategies)
    menus = [Menu.build(arena.utility[:, :, p], arena.estimate[:, p, :]) for p in range(parties)]
    best = arena.best

    log = arena.log()
    rows = np.arange(runs)
    candidate = np.full(runs, -1)
    last_received = np.full((runs, parties), np.nan)
    previous_received = np.full((runs, parties), np.nan)
    last_target = np.full((runs, parties), np.nan)

    for t in range(arena.rounds):
        floor = arena.floor(t)
        log.walk_away(t, floor, best)
        if log.finished:
            break
        context = Context(arena, t, floor, best, last_received, previous_received, last_target)
        targets = np.stack([strategy.target(context, p) for p, strategy in enumerate(strategies)], axis=1)
        for p, strategy in enumerate(strategies):
            leaving = strategy.leaves(context, p)
            if leaving is not None:
                log.leave(t, leaving)
        proposer = (arena.proposers + t) % parties
        offer = np.full(runs, -1)
        for p in np.unique(proposer[log.open]):
            dictated = strategies[p].offers(context, p)
            offer_of_p = menus[p].offer(targets[:, p], strategies[p].offer_rule) if dictated is None else dictated
            offer = np.where(proposer == p, offer_of_p, offer)
        valid = offer >= 0
        offered = arena.utilities_of(np.maximum(offer, 0))
        accepts = offered >= targets - TOLERANCE
        accepts[rows, proposer] = True
        deal = log.settle(t, valid & accepts.all(axis=1))
        candidate = np.where(deal, offer, candidate)

        receivers = np.arange(parties)[None, :] != proposer[:, None]
        shift = valid[:, None] & receivers
        previous_received = np.where(shift, last_received, previous_received)
        last_received = np.where(shift, offered, last_received)
        last_target = targets
        if log.finished:
            break
    return Outcome(agreed=log.agreed, round=log.round, candidate=candidate, walked_away=log.walked_away, broke_down=log.broke_down)


def _arena(problem, samples, start, stop, pool, knowledge, mediator_knowledge, noise, mediator_noise, rounds, shared, protocol) -> Arena:
    """The chunk's arrays; with ``shared`` every run has the same preferences and they are computed once."""
    weights, values = problem.realise(samples, start, start + 1 if shared else stop)
    parties = problem.n_parties
    payoff = {
        "reservation": samples.reservation[start:stop],
        "cost_of_delay": samples.cost_of_delay[start:stop],
        "discount": samples.discount[start:stop],
        "trust": samples.trust[start:stop],
        "exposure": samples.exposure[start:stop],
        "side_payment": samples.side_payment[start:stop],
    }
    # utility of every candidate to every party: (R or 1, M, P), one matrix product per party
    gathered = [table[:, pool[:, j], :] for j, table in enumerate(values)]
    stacked = np.stack(gathered, axis=2)  # (R or 1, M, I, P)
    utility = np.empty((weights.shape[0], len(pool), parties))
    for p in range(parties):
        if stacked.shape[0] == 1:
            utility[:, :, p] = weights[:, p, :] @ stacked[0, :, :, p].T
        else:
            utility[:, :, p] = np.matmul(stacked[:, :, :, p], weights[:, p, :, None])[..., 0]
    # each proposer's estimate of the others' total utility: (R or 1, P, M)
    if knowledge is None:
        total = utility.sum(axis=2)
        estimate = (total[:, None, :] - np.moveaxis(utility, 2, 1))
    else:
        guessed = _noisy(weights[:, None, :, :], knowledge.runs(start, stop), noise)  # (R, proposer, party, I)
        guessed = guessed * (1.0 - np.eye(parties))[None, :, :, None]  # a proposer estimates the others only
        if stacked.shape[0] == 1:
            estimate = np.einsum("rpqj,mjq->rpm", guessed, stacked[0], optimize=True)
        else:
            estimate = np.einsum("rpqj,rmjq->rpm", guessed, stacked, optimize=True)
    if protocol == "alternating":
        return Arena(pool=pool, utility=utility, estimate=estimate, rounds=rounds, **payoff)
    mediator_weights, critique_noise = weights, None
    if mediator_knowledge is not None:
        prior, seed = mediator_knowledge
        mediator_weights = _noisy(weights, prior.runs(start, stop), mediator_noise)

        def critique_noise(t: int) -> np.ndarray:
            # one stream per round, so that nothing over all rounds is held
            return mediator_noise * NoiseStream(seed, (3, t), prior.shape).runs(start, stop)

    return Arena(
        pool=pool,
        utility=utility,
        estimate=estimate,
        rounds=rounds,
        weights=weights,
        values=values,
        mediator_weights=mediator_weights,
        critique_noise=critique_noise,
        **payoff,
    )


@contextmanager
def reference_engine():
    """Within this block, ``truce.simulate.simulate`` plays main's engine."""
    fast = montecarlo.alternating_offers, montecarlo._arena, montecarlo.offer_candidates
    montecarlo.alternating_offers, montecarlo._arena = alternating_offers, _arena
    montecarlo.offer_candidates = lambda *arguments: None  # every chunk plays on the whole pool
    try:
        yield
    finally:
        montecarlo.alternating_offers, montecarlo._arena, montecarlo.offer_candidates = fast


def reference_simulate(problem, **options):
    with reference_engine():
        return montecarlo.simulate(problem, engine="numpy", **options)
