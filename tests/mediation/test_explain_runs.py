"""Why simulated runs failed and why forecast actors moved: read from the results, counted by hand."""

from __future__ import annotations

import numpy as np
import pytest

import truce
from truce.mediation.explain import actor_moves, failure_reasons
from truce.simulate.results import SimulationResult


def result_with(agreed, walked, broke, rounds):
    n = len(agreed)
    return SimulationResult(
        protocol="alternating", strategies={}, seed=0, rounds_limit=10, party_ids=("a", "b"), issue_ids=("i",), issue_names=("I",),
        option_labels=(("x", "y"),), agreed=np.array(agreed), rounds=np.array(rounds), walked_away=np.array(walked),
        broke_down=np.array(broke), first_proposer=None, packages=np.zeros((n, 1), dtype=int), utilities=np.zeros((n, 2)),
        reservation=np.zeros((n, 2)), trust=np.ones((n, 2)),
    )


def test_failure_shares_counted_by_hand():
    # ten runs: 4 deals, 3 walk-aways (rounds 2, 3, 6 -> median round 3 counted from 1 = index 2 + 1), 2 breakdowns, 1 deadline
    agreed = [1, 1, 1, 1, 0, 0, 0, 0, 0, 0]
    walked = [0, 0, 0, 0, 1, 1, 1, 0, 0, 0]
    broke = [0, 0, 0, 0, 0, 0, 0, 1, 1, 0]
    rounds = [1, 1, 1, 1, 1, 2, 5, 3, 7, -1]
    endings = {e.kind: e for e in failure_reasons(result_with(*(np.array(x, dtype=bool) for x in (agreed, walked, broke)), rounds))}
    assert endings["walked_away"].runs == 3 and endings["walked_away"].share == pytest.approx(0.3)
    assert endings["walked_away"].share_of_failures == pytest.approx(0.5)
    assert endings["walked_away"].median_round == 3
    assert endings["broke_down"].share_of_failures == pytest.approx(2 / 6) and endings["broke_down"].median_round == 6
    assert endings["deadline"].runs == 1 and endings["deadline"].median_round is None
    low, high = endings["deadline"].interval
    assert low < 0.1 < high


def test_actor_moves_follow_the_recorded_trace():
    problem = truce.load("gaza-ceasefire").compile()
    forecast = problem.forecast("expected_utility")
    paths = actor_moves(forecast)
    assert [p.actor for p in paths] == list(forecast.actor_ids)
    recorded = [m for m in forecast.engine.moves if m.kind in ("confrontation", "compromise")]
    assert sum(len(p.moves) for p in paths) == len(recorded)
    for a, path in enumerate(paths):
        for j, issue in enumerate(forecast.issue_ids):
            assert path.moved[issue] == pytest.approx(abs(forecast.positions[-1, a, j] - forecast.positions[0, a, j]))
            assert path.end[issue] == forecast.describe(forecast.positions[-1, a, j], j)
    assert actor_moves(problem.forecast("compromise"))[0].moves == ()
