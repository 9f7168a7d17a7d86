"""Timing and a neutral protocol: breakdown risk, costs that pace concessions, who proposes first."""

from __future__ import annotations

import numpy as np
import pytest

from truce import Problem, load
from truce.scenario import validate
from truce.simulate.arena import Arena
from truce.simulate.strategies import Context, make


def talks(risk, growth=0.0, rounds=200, reservation_a=0.3):
    """One ordered issue (A prefers high, B low), five options, with a breakdown risk."""
    return validate(
        {
            "name": "timed talks",
            "rounds": rounds,
            "talks": {"breakdown_risk": risk, "breakdown_growth": growth},
            "actors": [
                {"id": "a", "name": "A", "reservation": reservation_a, "cost_of_delay": 0.002,
                 "stances": {"x": {"position": "high", "salience": 1}}},
                {"id": "b", "name": "B", "reservation": 0.2, "cost_of_delay": 0.002,
                 "stances": {"x": {"position": "low", "salience": 1}}},
            ],
            "issues": [{"id": "x", "name": "X", "kind": "ordered", "options": ["low", "lower", "mid", "higher", "high"]}],
        }
    ).compile()


def test_cost_based_target_by_hand():
    """best 1, no deal 0.4 falling by c = 0.01 a round, breakdown risk h = 0.1, full trust, no discounting:
    the surplus asked over no deal falls as s(t + 1) = s(t) - h s(t) - c: 0.6, 0.6 - 0.06 - 0.01 = 0.53,
    0.53 - 0.053 - 0.01 = 0.467, so the targets are 1, 0.39 + 0.53 = 0.92 and 0.38 + 0.467 = 0.847."""
    one = np.ones((1, 2))
    arena = Arena(
        pool=np.zeros((1, 1), dtype=np.int64), utility=np.ones((1, 1, 2)), estimate=np.zeros((1, 2, 1)),
        reservation=0.4 * one, cost_of_delay=0.01 * one, discount=one, trust=one, exposure=0 * one, rounds=50,
        breakdown_risk=np.array([0.1]), breakdown_growth=np.array([0.0]),
    )
    strategy, last = make("cost-based"), np.full((1, 2), np.nan)
    targets = []
    for t in range(3):
        floor = arena.floor(t)
        context = Context(arena, t, floor, arena.best, last, last, last)
        target = np.stack([strategy.target(context, p) for p in range(2)], axis=1)
        targets.append(target[0, 0])
        last = target
    assert np.allclose(targets, [1.0, 0.92, 0.847])


def test_cap_far_beyond_the_talks_changes_nothing():
    """With a breakdown risk of 5% a round, talks last about 20 rounds: a cap of 200 or 2,000 rounds
    gives the same P(deal) and mean round (same seed, same streams) within Monte Carlo error."""
    results = [talks({"triangular": [0.02, 0.05, 0.08]}, rounds=cap).simulate(runs=3000, seed=4) for cap in (200, 2000)]
    short, long = results
    assert short.cap_rate < 0.001 and long.cap_rate == 0
    assert 0.05 < short.agreement_rate < 0.95
    half_width = 2 * np.sqrt(short.agreement_rate * (1 - short.agreement_rate) / short.runs)
    assert abs(short.agreement_rate - long.agreement_rate) <= half_width
    rounds = short.rounds[short.agreed] + 1
    assert abs(short.rounds_to_agreement()["mean"] - long.rounds_to_agreement()["mean"]) <= 2 * rounds.std() / np.sqrt(len(rounds))
    assert short.breakdown_rate > 0.05


def test_breakdown_frequency_matches_its_law():
    """A party that never concedes: no deal ever comes, so each run lasts until breakdown, and with
    h(t) = 0.02 + 0.01 t, P(still talking after round t) = prod_{s <= t} (1 - h(s)); its mean is
    sum_t P(talks reach round t)."""
    problem = talks(0.02, growth=0.01)
    result = problem.simulate(runs=20_000, seed=1, strategies="hardliner")
    assert result.broke_down.all() and not result.agreed.any()
    reach = np.concatenate([[1.0], np.cumprod(1 - np.minimum(1, 0.02 + 0.01 * np.arange(200)))])
    expected_mean = reach[:-1].sum()  # rounds played, counted from 1
    observed = result.rounds + 1
    assert abs(observed.mean() - expected_mean) < 3 * observed.std() / np.sqrt(result.runs)


def test_costlier_talks_end_sooner():
    """A higher breakdown risk makes cost-based parties concede faster: deals come in fewer rounds."""
    slow = talks(0.01).simulate(runs=500, seed=2, noise=0)
    fast = talks(0.05).simulate(runs=500, seed=2, noise=0)
    assert fast.rounds_to_agreement()["median"] < slow.rounds_to_agreement()["median"]


def test_first_proposer_is_random_per_run_and_recorded():
    problem = load("two-issue-trade").compile()
    result = problem.simulate(runs=4000, seed=3, strategies="linear")
    shares = result.first_proposer_shares()
    assert abs(shares["north"] - 0.5) < 0.03
    frame = result.to_frame()
    assert set(frame["first_proposer"]) == {"north", "south"}
    assert result.to_dict()["first_proposer"][:5] == frame["first_proposer"][:5].tolist()
    again = problem.simulate(runs=4000, seed=3, strategies="linear")
    assert np.array_equal(result.first_proposer, again.first_proposer)
    alternate = problem.simulate(runs=6, strategies="linear", first_proposer="alternate")
    assert alternate.first_proposer.tolist() == [0, 1, 0, 1, 0, 1]
    fixed = problem.simulate(runs=3, strategies="linear", first_proposer="south")
    assert fixed.first_proposer.tolist() == [1, 1, 1]
    with pytest.raises(ValueError, match="first proposer: found 'east'"):
        problem.simulate(runs=3, first_proposer="east")


def test_random_first_proposer_is_neutral_between_mirror_parties():
    """Two mirror-image parties: with a random first proposer their mean utilities agree within Monte
    Carlo error, while a fixed first proposer favours one side (the SPE gives the last word's advantage)."""
    problem = talks(0.05, reservation_a=0.2)
    result = problem.simulate(runs=2000, seed=5, strategies="spe", noise=0)
    deals = result.utilities[result.agreed]
    for p in (0, 1):
        first = result.first_proposer[result.agreed] == p
        assert deals[first, p].mean() >= deals[~first, p].mean()
    assert abs(deals[:, 0].mean() - deals[:, 1].mean()) < 0.05


def test_weighted_nash_solution_matches_its_closed_form():
    """On the frontier u_0 + u_1 = 1 with no deal r = (0.1, 0.2) and bargaining powers (2, 1), the
    asymmetric Nash solution maximises (u_0 - 0.1)^(2/3) (u_1 - 0.2)^(1/3): u_0 = 0.1 + 2/3 x 0.7 = 0.5667."""
    from dataclasses import replace

    grid = np.linspace(0.0, 1.0, 3001)
    problem = Problem.from_arrays([np.stack([grid, 1 - grid], axis=1)], np.ones((2, 1)), reservation=np.array([0.1, 0.2]))
    equal = problem.nash_point()
    assert abs(equal.utilities[0] - (0.1 + 0.35)) < 1e-3
    weighted = replace(problem, bargaining_power=np.array([2.0, 1.0])).nash_point()
    assert abs(weighted.utilities[0] - (0.1 + 0.7 * 2 / 3)) < 1e-3
    assert "bargaining power" in weighted.name


def test_three_party_truce_by_hand():
    """The built-in three-party truce (breakdown risk 0.05, cost of delay 0.01, exact knowledge).
    A cost-based party asks r(t) + s(t), s(t + 1) = 0.95 s(t) - 0.01 from its best package (worth 1):
    Riverside's and Hillside's targets (no deal 0.2) first reach the package (joint, partial), worth 0.5
    to each, in round 10 (0-based: 0.1 + 0.3987 = 0.4987). Coastal (no deal 0.3) values it 1 and
    accepts it at once; but when Coastal proposes in round 10, it offers what it estimates best for the
    others among what it accepts (international monitors with a partial amnesty, or joint monitors
    with a full one: 1.05 in all against 1.0), which one of them refuses, and the deal comes in round
    11. Coastal proposes in round 10 in a third of the runs, so P(deal) = 2/3 x 0.95^10 + 1/3 x 0.95^11
    = 0.5888, not 0.95^10 = 0.5987."""
    problem = load("three-party-truce").compile()
    result = problem.simulate(runs=6000, seed=11, noise=0.0)
    expected = 2 / 3 * 0.95**10 + 1 / 3 * 0.95**11
    assert abs(result.agreement_rate - expected) < 4 * np.sqrt(expected * (1 - expected) / result.runs)
    assert result.cap_rate == 0 and set(result.rounds[result.agreed]) == {10, 11}
    late = result.rounds[result.agreed] == 11
    hillside_opens = result.first_proposer[result.agreed] == 1  # then Coastal (party 2) proposes in round 10: (1 + 10) mod 3 = 2
    np.testing.assert_array_equal(late, hillside_opens)
    assert (result.packages[result.agreed] == [1, 1]).all()
