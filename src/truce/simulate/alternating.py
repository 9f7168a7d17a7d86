"""Multilateral alternating offers with a deadline, for many runs in lockstep.

Protocol (Rubinstein 1982 for two parties; the rotating-proposer
generalisation of Baron & Ferejohn 1989 with unanimity, as in NegMAS's
stacked alternating offers):

1. In round t the proposer is party ``(first + t) mod P``, where ``first``
   is each run's first proposer (drawn at random per run by default, so no
   party's place in the file gives it the first or the last word).
2. Every party sets its target for the round (its strategy); a strategy
   whose plan says so walks away now.
3. The proposer offers, among candidate packages it values at least at its
   target, the one it estimates best for the others (its estimate may be
   noisy); a strategy may dictate its offer instead.
4. The offer is agreed when every other party values it at least at its own
   target.
5. A party walks away when nothing it can still get beats no deal (its best
   package is worth less than no deal now); the run then ends without a
   deal, as it does when the deadline passes.
6. After a round without agreement the talks break down with the round's
   breakdown risk (Binmore, Rubinstein & Wolinsky 1986; see
   :mod:`truce.simulate.arena`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from truce.simulate.arena import TOLERANCE, Arena, Menu
from truce.simulate.strategies import Context, Strategy


@dataclass(frozen=True, eq=False)
class Outcome:
    """What happened in each run of a chunk."""

    agreed: np.ndarray
    """(R,) bool."""
    round: np.ndarray
    """(R,) round of agreement (or of walking away), -1 when the deadline passed."""
    candidate: np.ndarray
    """(R,) index into the pool of the agreed package, -1 without a deal."""
    walked_away: np.ndarray
    """(R,) bool."""
    broke_down: np.ndarray | None = None
    """(R,) bool: the talks broke down (breakdown risk)."""


def alternating_offers(arena: Arena, strategies: list[Strategy]) -> Outcome:
    """Play the chunk's runs; each run's first proposer is ``arena.proposers``."""
    runs, parties = arena.runs, arena.n_parties
    for party, strategy in enumerate(strategies):
        strategy.prepare(arena, party, strategies)
    menus: dict[int, Menu] = {}

    def menu(p: int) -> Menu:
        # built on first use: a strategy that dictates its offers never needs one
        if p not in menus:
            candidates = arena.offerable if strategies[p].offer_rule == "others" else None
            menus[p] = Menu.build(arena.utility[:, :, p], arena.estimate[:, p, :], candidates)
        return menus[p]

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
        for p in np.flatnonzero(np.bincount(proposer[log.open], minlength=parties)):
            dictated = strategies[p].offers(context, p)
            offer_of_p = menu(p).offer(targets[:, p], strategies[p].offer_rule) if dictated is None else dictated
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
