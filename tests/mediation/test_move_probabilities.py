"""Why each actor moved, with the probabilities behind each move: read from the forecast's own trace."""

from __future__ import annotations

import numpy as np
import pytest

import truce
from truce.forecast.expected_utility import expected_utility
from truce.mediation.explain import actor_moves, move_in_words


def vote_shares(positions, weights, exponents, scale):
    """P(a, b) of the expected-utility model written out (FORECAST.md B.2.2-B.2.3): voter k's vote
    v_k(a, b) = w_k [d(x_k, x_b)^rho_k - d(x_k, x_a)^rho_k] with d = |x - y| / scale; P(a, b) is the sum
    of the positive votes for a over b divided by M, the sum of every |v_k| over voters and ordered pairs."""
    n = len(positions)
    votes = np.zeros((n, n, n))
    for k in range(n):
        for a in range(n):
            for b in range(n):
                distance = lambda x: abs(positions[k] - x) / scale  # noqa: E731
                votes[k, a, b] = weights[k] * (distance(positions[b]) ** exponents[k] - distance(positions[a]) ** exponents[k])
    return np.maximum(votes, 0).sum(axis=0) / np.abs(votes).sum()


def test_expected_utility_moves_carry_the_counterparts_chance_of_winning():
    """Five actors on one issue, with both a confrontation and a compromise among their moves; the scale
    is the range of the starting positions, 94 - 54 = 40."""
    capability = np.array([2.1, 1.2, 0.6, 0.5, 2.5])
    positions = np.array([[91.0], [61.0], [73.0], [54.0], [94.0]])
    salience = np.array([[0.9], [0.3], [0.9], [0.3], [0.8]])
    result = expected_utility(capability, positions, salience, rounds=3)
    assert {m.kind for m in result.moves} == {"confrontation", "compromise"}
    for move in result.moves:
        state = result.trace.positions[move.round - 1][:, 0]
        exponents = result.trace.risk_attitudes[move.round - 1][:, 0]
        shares = vote_shares(state, capability * salience[:, 0], exponents, 40.0)
        assert move.probability == pytest.approx(shares[move.counterpart, move.actor], rel=1e-9, abs=1e-12)


def test_each_reading_of_a_move_keeps_the_traces_probabilities():
    problem = truce.load("gaza-ceasefire").compile()
    for model in ("smp", "expected_utility"):
        forecast = problem.forecast(model)
        engine = [m for m in forecast.engine.moves if m.kind in ("accept", "confrontation", "compromise")]
        paths = actor_moves(forecast)
        read = [m for path in paths for m in path.moves]
        assert sorted(m.probability for m in read) == pytest.approx(sorted(m.probability for m in engine))
        names = dict(zip(forecast.actor_ids, problem.actor_names))
        for path in paths:
            for move in path.moves:
                words = move_in_words(move, names, path.actor)
                assert "P(win)" in words and f"{move.probability:.2f}" in words
                assert move.to_dict()["probability"] == move.probability
        if model != "smp":
            continue
        challenges = {}
        for m in forecast.engine.moves:
            if m.kind == "challenge":
                challenges.setdefault((m.round, frozenset((m.actor, m.counterpart))), set()).add((m.actor, m.counterpart, m.probability))
        index = {actor: a for a, actor in enumerate(forecast.actor_ids)}
        for path in actor_moves(forecast):
            for move in path.moves:
                # a bargain comes from a challenge between the two actors in the same round
                pair = (move.round, frozenset((index[path.actor], index[move.counterpart])))
                assert move.challenges and {(index[c.challenger], index[c.target], c.probability) for c in move.challenges} == challenges[pair]
                assert all(0 <= c.probability <= 1 for c in move.challenges)
