"""The mediated single negotiating text, for many runs in lockstep.

Fisher's one-text procedure as used at Camp David (Raiffa 1982, ch. 14;
Fisher & Ury 1981): the mediator puts one text on the table, the parties
criticise it, and the mediator revises it until all accept.

1. The first text takes, on each issue, the option whose worst value to
   any party is highest (a split-the-difference draft).
2. In round t each party accepts the text when it values it at least at its
   target (its strategy); otherwise it names the issue it objects to most:
   the one where moving to its preferred option would gain it the most.
3. If every party accepts, the text is agreed.
4. Otherwise the mediator revises one objected issue: among all options of
   the objected issues, the change that maximises its estimate of the Nash
   product of the parties' gains over what each needs before a deal beats
   no deal (Nash 1950), built from its noisy estimate of their weights
   (hill-climbing). When no change on an objected issue raises that
   estimate, it tries every issue (a trade elsewhere); when nothing does,
   it stands by its text and waits for the parties' targets to come down.
5. A party walks away when nothing it can still get beats no deal; the
   deadline ends the run without a deal.
"""

from __future__ import annotations

import numpy as np

from truce.simulate.alternating import Outcome
from truce.simulate.arena import TOLERANCE, Arena, RunLog
from truce.simulate.strategies import Context, Strategy

GAIN_FLOOR = 1e-6
SHORTFALL_PENALTY = 1000.0


def nash_score(gains: np.ndarray) -> np.ndarray:
    """Nash product of the gains (last axis), extended below zero by a steep
    linear penalty so that a text some party cannot yet accept still has an
    uphill direction: ``prod_p max(g_p, 1e-6) + 1000 * sum_p min(g_p, 0)``.
    Gains lie in [-1, 1], so the penalty of any shortfall outweighs every product."""
    return np.prod(np.maximum(gains, GAIN_FLOOR), axis=-1) + SHORTFALL_PENALTY * np.minimum(gains, 0.0).sum(axis=-1)


def _contributions(weights: np.ndarray, values: tuple[np.ndarray, ...], text: np.ndarray) -> np.ndarray:
    """(R, P, I): each issue's weighted value of the text to each party."""
    rows = np.arange(text.shape[0])
    per_issue = []
    for j, table in enumerate(values):
        chosen = table[0, text[:, j]] if table.shape[0] == 1 else table[rows, text[:, j]]
        per_issue.append(chosen)
    return weights[..., :] * np.stack(per_issue, axis=2)


def single_text(arena: Arena, strategies: list[Strategy]) -> Outcome:
    if arena.weights is None or arena.mediator_weights is None:
        raise ValueError("the single-text protocol needs issue-level weights and the mediator's estimates")
    runs, parties = arena.runs, arena.n_parties
    values = arena.values
    n_issues = len(values)
    rows = np.arange(runs)
    weights = np.broadcast_to(arena.weights, (runs, parties, n_issues))
    estimated = np.broadcast_to(arena.mediator_weights, (runs, parties, n_issues))
    best_option_value = np.stack([np.broadcast_to(v.max(axis=1), (runs, parties)) for v in values], axis=2)
    best = (weights * best_option_value).sum(axis=2)

    text = np.stack([np.argmax(v.min(axis=2), axis=1) for v in values], axis=1)
    text = np.broadcast_to(text, (runs, n_issues)).copy()
    option_issue = np.concatenate([np.full(v.shape[1], j) for j, v in enumerate(values)])
    option_index = np.concatenate([np.arange(v.shape[1]) for v in values])

    log = RunLog(runs)
    final_text = np.full((runs, n_issues), -1)
    nan = np.full((runs, parties), np.nan)
    last_target = nan.copy()

    for t in range(arena.rounds):
        floor = arena.floor(t)
        log.walk_away(t, floor, best)
        if log.finished:
            break
        contributions = _contributions(weights, values, text)
        utility = contributions.sum(axis=2)
        context = Context(arena, t, floor, best, utility, nan, last_target)
        targets = np.stack([strategy.target(context, p) for p, strategy in enumerate(strategies)], axis=1)
        accepts = utility >= targets - TOLERANCE
        deal = log.settle(t, accepts.all(axis=1))
        final_text[deal] = text[deal]
        last_target = targets
        if log.finished:
            break

        # objections: each refusing party names the issue with the largest possible gain
        regret = weights * best_option_value - contributions
        named = np.argmax(regret, axis=2)
        objected = np.zeros((runs, n_issues), dtype=bool)
        for p in range(parties):
            refusing = ~accepts[:, p]
            objected[rows[refusing], named[refusing, p]] = True

        # revision: the change on an objected issue with the best estimated Nash product
        estimated_now = _contributions(estimated, values, text)
        estimated_total = estimated_now.sum(axis=2)
        walk_away = floor  # the utility each party needs before a deal beats no deal for it
        scores = []
        for j, table in enumerate(values):
            changed = (
                estimated_total[:, None, :]
                - estimated_now[:, None, :, j]
                + estimated[:, None, :, j] * np.broadcast_to(table, (runs, *table.shape[1:]))
            )
            scores.append(nash_score(changed - walk_away[:, None, :]))
        score = np.concatenate(scores, axis=1)
        changes = text[:, option_issue] != option_index[None, :]
        current = nash_score(estimated_total - walk_away)
        # revise an objected issue if that helps; otherwise any issue (a trade elsewhere)
        for allowed in (objected[:, option_issue] & changes, changes):
            masked = np.where(allowed, score, -np.inf)
            choice = np.argmax(masked, axis=1)
            revise = log.open & (masked[rows, choice] > current + 1e-12)
            text[rows[revise], option_issue[choice[revise]]] = option_index[choice[revise]]
            current = np.where(revise, np.inf, current)  # one revision per round
    return Outcome(agreed=log.agreed, round=log.round, candidate=np.full(runs, -1), walked_away=log.walked_away, package=final_text)
