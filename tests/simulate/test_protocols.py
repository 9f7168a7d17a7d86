"""Protocols against hand-worked cases, closed forms and known probabilities."""

from __future__ import annotations

import numpy as np
import pytest

from truce import Problem, load
from truce.scenario import validate


def test_alternating_linear_two_issue_trade_by_hand():
    """Linear concession, 20 rounds, no-deal 0.3 falling by 0.01 a round, exact knowledge.

    Both parties' target in round t is r_t + (1 - r_t)(1 - t/19) with r_t = 0.3 - 0.01 t:
    t = 4: 0.844, North (proposing) may offer (0.9, 0.4), which South refuses;
    t = 5: 0.803, South may offer only (0.4, 0.9), which North refuses;
    t = 6: 0.760, North offers (0.8, 0.8) = (open, full), which South accepts.
    """
    problem = load("two-issue-trade").compile()
    result = problem.simulate(strategies="linear", runs=5, noise=0.0, first_proposer="north")
    assert result.agreed.all()
    assert (result.rounds == 6).all()
    assert result.packages.tolist() == [[2, 2]] * 5
    assert np.allclose(result.utilities, 0.8)


def test_single_text_two_issue_trade_by_hand():
    """The mediator's first text is (partly open, limited), worth 0.5 to each. Its
    revisions: crossings -> open (Nash-product estimate 0.06, tied with patrols -> full,
    first issue wins), then patrols -> full (0.26). (open, full) is then a local
    maximum it stands by; both accept it in round 6, when their target falls to 0.76."""
    problem = load("two-issue-trade").compile()
    result = problem.simulate(protocol="single-text", strategies="linear", runs=3, noise=0.0, mediator_noise=0.0)
    assert (result.rounds == 6).all() and result.packages.tolist() == [[2, 2]] * 3


def stahl_share(first: float, second: float, rounds: int) -> float:
    """Stahl (1972): the first proposer's share of a unit pie when offers alternate for
    ``rounds`` rounds and the last proposer takes everything. With k = floor(rounds / 2):
    odd rounds: (1 - d2)(1 - (d1 d2)^k) / (1 - d1 d2) + (d1 d2)^k; even: the first term alone."""
    k = rounds // 2
    product = first * second
    share = (1 - second) * (1 - product**k) / (1 - product)
    return share + product**k if rounds % 2 else share


@pytest.mark.parametrize("delta_1, delta_2, rounds", [(0.9, 0.9, 1), (0.9, 0.9, 2), (0.9, 0.8, 5), (0.95, 0.7, 8), (0.9, 0.9, 60)])
def test_subgame_perfect_split_matches_stahl_closed_form(delta_1, delta_2, rounds):
    grid = np.linspace(0.0, 1.0, 20_001)
    problem = Problem.from_arrays([np.stack([grid, 1 - grid], axis=1)], np.ones((2, 1)))
    problem = _with(problem, discount=np.array([delta_1, delta_2]), rounds=rounds)
    result = problem.simulate(strategies="spe", runs=2, rounds=rounds, noise=0.0, first_proposer=0)
    assert result.agreed.all() and (result.rounds == 0).all()
    assert abs(grid[result.packages[0, 0]] - stahl_share(delta_1, delta_2, rounds)) < 1e-3
    # with party 1 first the roles swap: party 1 takes the first proposer's share
    swapped = problem.simulate(strategies="spe", runs=2, rounds=rounds, noise=0.0, first_proposer=1)
    assert abs((1 - grid[swapped.packages[0, 0]]) - stahl_share(delta_2, delta_1, rounds)) < 1e-3


def _pie(points: int = 20_001, **changes) -> Problem:
    grid = np.linspace(0.0, 1.0, points)
    return _with(Problem.from_arrays([np.stack([grid, 1 - grid], axis=1)], np.ones((2, 1))), **changes)


def test_long_deadline_tends_to_rubinstein_for_either_first_proposer():
    """Rubinstein (1982): the first proposer gets (1 - d_other) / (1 - d1 d2). With d = (0.9, 0.8):
    party 0 first, 0.2 / 0.28 = 0.714 to party 0; party 1 first, 0.1 / 0.28 = 0.357 to party 1,
    so party 0 gets its responder share 0.643."""
    problem = _pie(discount=np.array([0.9, 0.8]))
    share = {}
    for first in (0, 1):
        result = problem.simulate(strategies="spe", runs=1, rounds=200, noise=0.0, first_proposer=first)
        share[first] = problem.values[0][result.packages[0, 0], 0]
    assert abs(share[0] - 0.2 / 0.28) < 1e-3
    assert abs(share[1] - (1 - 0.1 / 0.28)) < 1e-3


@pytest.mark.parametrize("risk", [0.5, 0.2, 0.05, 0.01])
def test_breakdown_risk_split_tends_to_nash(risk):
    """Binmore, Rubinstein & Wolinsky (1986): no discounting, talks break down with probability p after
    each rejection, no deal worth 0. The responder accepts exactly what rejecting is worth,
    1 - x = (1 - p) x (it proposes next with probability 1 - p and then takes x), so the first
    proposer gets x = 1 / (2 - p): 2/3 at p = 0.5, tending to the Nash split 1/2 as p goes to 0.
    The deadline (the cap) is far beyond the talks' expected length, so it does not matter. Each
    round of the backward induction rounds the responder's share up to the grid, and these errors
    add up over about 1 / p rounds: the grid is fine enough that step / p < 1e-3."""
    problem = _with(_pie(200_001), breakdown_risk=risk)
    result = problem.simulate(strategies="spe", runs=2, rounds=3000, noise=0.0, first_proposer=0)
    assert result.agreed.all() and (result.rounds == 0).all()
    share = problem.values[0][result.packages[0, 0], 0]
    assert abs(share - 1 / (2 - risk)) < 1e-3
    nash = problem.nash_point().utilities[0]
    assert abs(share - nash) <= risk / 2 + 1e-3  # 1 / (2 - p) - 1/2 = p / (2 (2 - p)) <= p / 2


def test_subgame_perfect_walks_away_when_its_plan_says_so():
    """No discounting, party 0's no deal 0.5 falls to 0 by the deadline, party 1's is 0.7 and stays:
    the only package above 0.7 for party 1 leaves party 0 less than 0.3, below its no deal now,
    so no acceptable offer exists and party 0 is better off leaving now than going on."""
    values = np.array([[1.0, 0.0], [0.2, 0.8], [0.0, 1.0]])
    problem = Problem.from_arrays([values], np.ones((2, 1)), reservation=np.array([0.5, 0.7]), cost_of_delay=np.array([0.1, 0.0]))
    result = problem.simulate(strategies="spe", runs=3, rounds=10, noise=0.0, first_proposer=0)
    assert result.walked_away.all() and (result.rounds == 0).all() and not result.agreed.any()


def _with(problem: Problem, **changes) -> Problem:
    from dataclasses import replace

    return replace(problem, **changes)


def one_issue(reservation_a, cost_a=0.0, trust_a=1.0, exposure_a=0.0, rounds=20):
    """One ordered issue, A prefers high, B low; B's no deal is 0.2.

    With linear concession the parties meet on the middle option (0.5 to each)
    exactly when A's no-deal value is at most 0.5 by then."""
    return validate(
        {
            "name": "one issue",
            "rounds": rounds,
            "actors": [
                {"id": "a", "name": "A", "reservation": reservation_a, "cost_of_delay": cost_a, "trust": trust_a,
                 "exposure": exposure_a, "stances": {"x": {"position": "high", "salience": 1}}},
                {"id": "b", "name": "B", "reservation": 0.2, "stances": {"x": {"position": "low", "salience": 1}}},
            ],
            "issues": [{"id": "x", "name": "X", "kind": "ordered", "options": ["low", "mid", "high"]}],
        }
    ).compile()


def test_interval_covers_a_known_agreement_probability():
    """A's no deal ~ U(0, 0.8): a deal happens iff it is below 0.5, P = 0.625."""
    result = one_issue({"uniform": [0.0, 0.8]}).simulate(strategies="linear", runs=4000, seed=3)
    low, high = result.agreement_interval
    assert low <= 0.625 <= high
    assert high - low < 0.04


def test_lower_cost_of_delay_never_raises_the_agreement_rate():
    """With the same draws (common random numbers), a falling no-deal value only helps."""
    rates = [
        one_issue({"uniform": [0.0, 0.8]}, cost_a=cost).simulate(strategies="linear", runs=2000, seed=5).agreement_rate
        for cost in (0.0, 0.005, 0.01, 0.02, 0.04)
    ]
    assert rates == sorted(rates)
    assert rates[-1] > rates[0]


def test_low_trust_with_exposure_shrinks_agreement():
    """With exposure e and trust tau, A needs u >= r + (1 - tau) / tau * e: 0.3 + 1 * 0.25 = 0.55 > 0.5."""
    trusting = one_issue(0.3, trust_a=1.0, exposure_a=0.25).simulate(strategies="linear", runs=10)
    wary = one_issue(0.3, trust_a=0.5, exposure_a=0.25).simulate(strategies="linear", runs=10)
    assert trusting.agreed.all() and not wary.agreed.any()
    guaranteed = one_issue(0.3, trust_a=0.8, exposure_a=0.25).simulate(strategies="linear", runs=10)
    assert guaranteed.agreed.all()  # 0.3 + 0.25 * 0.25 = 0.3625 <= 0.5


def test_walking_away_when_nothing_beats_no_deal():
    result = one_issue(0.99).simulate(strategies="linear", runs=4)
    # A's best (1.0) still beats 0.99, so A stays but no deal comes: B never offers 'high'
    assert not result.agreed.any() and not result.walked_away.any()
    discounting = _with(one_issue(0.95), discount=np.array([0.9, 1.0]))
    result = discounting.simulate(strategies="linear", runs=4)
    # a deal's worth to A falls by 10% a round: from round 1 even 'high' is worth less than no deal
    assert result.walked_away.all() and (result.rounds == 1).all()


def test_same_seed_same_numbers_whatever_the_chunk_size():
    problem = load("gaza-ceasefire").compile()
    for protocol in ("alternating", "single-text"):
        results = [problem.simulate(protocol=protocol, runs=60, seed=11, chunk_size=size, rounds=30) for size in (7, 25, None)]
        for other in results[1:]:
            assert np.array_equal(results[0].agreed, other.agreed)
            assert np.array_equal(results[0].rounds, other.rounds)
            assert np.array_equal(results[0].packages, other.packages)
            assert np.allclose(results[0].utilities, other.utilities, equal_nan=True)


def test_different_seeds_differ_and_inputs_are_sampled():
    problem = load("gaza-ceasefire").compile()
    a = problem.simulate(runs=50, seed=1, rounds=20)
    b = problem.simulate(runs=50, seed=2, rounds=20)
    assert not np.array_equal(a.reservation, b.reservation)
    assert a.reservation.std(axis=0).min() > 0


def test_bad_options_are_refused():
    problem = load("two-issue-trade").compile()
    with pytest.raises(ValueError, match="unknown strategy"):
        problem.simulate(strategies="stubborn")
    with pytest.raises(ValueError, match="runs"):
        problem.simulate(runs=0)
    with pytest.raises(ValueError, match="unknown parties"):
        problem.simulate(strategies={"north": "linear", "west": "linear"})
    with pytest.raises(ValueError, match="two parties"):
        load("three-party-truce").compile().simulate(strategies="spe", runs=2)


def test_subgame_perfect_deals_beat_no_deal_now():
    """Every SPE deal is worth at least each party's no-deal value at the round it is signed."""
    problem = load("gaza-ceasefire").compile()
    result = problem.simulate(strategies="spe", runs=300, seed=7, rounds=30)
    signed = result.agreed
    no_deal = np.maximum(0, result.reservation - result.samples.cost_of_delay * result.rounds[:, None])
    floor = no_deal + (1 - result.trust) / result.trust * result.samples.exposure
    assert (result.utilities[signed] >= floor[signed] - 1e-9).all()


def test_single_text_lever_in_force_selects_the_protocol():
    problem = validate(
        {
            "name": "hosted",
            "actors": [
                {"id": "a", "name": "A", "stances": {"x": {"position": "high", "salience": 1}}},
                {"id": "b", "name": "B", "stances": {"x": {"position": "low", "salience": 1}}},
                {"id": "m", "name": "M", "role": "mediator"},
            ],
            "issues": [{"id": "x", "name": "X", "kind": "ordered", "options": ["low", "mid", "high"]}],
            "levers": [{"id": "host", "by": "m", "kind": "single_text"}],
        }
    ).compile()
    assert problem.simulate(runs=5).protocol == "single-text"
    assert problem.with_levers([False]).simulate(runs=5).protocol == "alternating"
