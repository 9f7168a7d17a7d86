"""The mediated single negotiating text, for many runs in lockstep.

The one-text procedure (Raiffa 1982, ch. 14; Fisher & Ury 1981), as Fisher
proposed it and the US mediators used it at Camp David in 1978 (13 days,
23 drafts): the mediator tables one whole text, to which no party is
committed; the parties criticise it; the mediator revises the whole text;
each party in the end says yes or no to one complete package.

1. In round t the mediator tables its text (round 0: its first draft; see
   the mediator unit, :class:`truce.simulate.mediators.OneText`).
2. Every party sets its target for the round (its strategy) and accepts
   the text when it values it at least at its target.
3. If every party accepts, the text is agreed.
4. Otherwise each refusing party states its critique from its own
   preferences: every issue on which the text falls short of the option it
   prefers, and by how much that matters to it (its weight times the
   shortfall in value). Accepting parties say only that they accept. The
   mediator takes in the answers and revises the text for round t + 1.
5. A party walks away when nothing it can still get beats no deal; the
   deadline ends the run without a deal.

Texts are drawn from the same candidate packages as alternating offers
(``arena.pool``).
"""

from __future__ import annotations

import numpy as np

from truce.simulate.alternating import Outcome
from truce.simulate.arena import TOLERANCE, Arena
from truce.simulate.mediators import Mediator, make_mediator
from truce.simulate.strategies import Context, Strategy


def critique(arena: Arena, text: np.ndarray, refusing: np.ndarray) -> np.ndarray:
    """(R, P, I): each refusing party's stated shortfall on each issue, from its own weights:
    ``w_pj * (max_k v_pj(k) - v_pj(text_j))``; 0 for accepting parties."""
    rows = np.arange(len(text))
    options = arena.pool[text]
    shortfall = []
    for j, table in enumerate(arena.values):
        chosen = table[0, options[:, j]] if table.shape[0] == 1 else table[rows, options[:, j]]  # (R, P)
        shortfall.append(table.max(axis=1) - chosen)
    stated = np.stack(shortfall, axis=2) * arena.weights
    return np.where(refusing[:, :, None], stated, 0.0)


def single_text(arena: Arena, strategies: list[Strategy], mediator: str | Mediator = "one-text", *, compiled: bool = False) -> Outcome:
    """Play a chunk; ``compiled``: a mediator named by ``mediator`` chooses its texts in the compiled
    loops (:mod:`truce.simulate.kernel_text`, the same texts)."""
    runs, parties = arena.runs, arena.n_parties
    for party, strategy in enumerate(strategies):
        strategy.prepare(arena, party, strategies)
    host = make_mediator(mediator) if isinstance(mediator, str) else mediator
    if isinstance(mediator, str):  # a mediator handed in keeps its own setting
        host.compiled = compiled
    host.begin(arena)
    best = arena.best

    log = arena.log()
    candidate = np.full(runs, -1)
    nan = np.full((runs, parties), np.nan)
    last_target = nan.copy()

    for t in range(arena.rounds):
        floor = arena.floor(t)
        log.walk_away(t, floor, best)
        if log.finished:
            break
        text = host.text(floor, log.open)
        utility = arena.utilities_of(text)
        context = Context(arena, t, floor, best, utility, nan, last_target)
        targets = np.stack([strategy.target(context, p) for p, strategy in enumerate(strategies)], axis=1)
        accepts = utility >= targets - TOLERANCE
        deal = log.settle(t, accepts.all(axis=1))
        candidate = np.where(deal, text, candidate)
        last_target = targets
        if log.finished:
            break
        # runs that ended (agreed, walked away, broken down) criticise nothing: the mediator revises only open texts
        host.hear(t, accepts, critique(arena, text, ~accepts & log.open[:, None]))
    return Outcome(agreed=log.agreed, round=log.round, candidate=candidate, walked_away=log.walked_away, broke_down=log.broke_down)
