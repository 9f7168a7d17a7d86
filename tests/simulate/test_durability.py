"""The survival model against closed forms."""

from __future__ import annotations

import numpy as np

from truce.scenario import validate
from truce.simulate.durability import durability


def scenario(durability_block, provisions=None, levers=()):
    return validate(
        {
            "name": "durability",
            "rounds": 10,
            "actors": [
                {"id": "a", "name": "A", "reservation": 0.0, "stances": {"x": {"position": "high", "salience": 1}}},
                {"id": "b", "name": "B", "reservation": 0.0, "stances": {"x": {"position": "low", "salience": 1}}},
                {"id": "m", "name": "M", "role": "mediator"},
            ],
            "issues": [{"id": "x", "name": "X", "kind": "ordered", "options": ["low", "mid", "high"], "provisions": provisions or {}}],
            "levers": list(levers),
            "durability": durability_block,
        }
    ).compile()


CONSTANT = {
    "median_days": {"cessation": 30, "preliminary": 60, "definitive": 200},
    "spoiler_hazard": 0.0,
    "dissatisfaction": {"hazard_ratio_at_no_gain": 1.0},
    "horizon_days": 200,
}


def test_constant_hazard_gives_the_exponential_curve():
    """A bare cessation with median 30 days: S(d) = 2^(-d/30), whatever else happens."""
    problem = scenario(CONSTANT)
    result = problem.simulate(strategies="linear", runs=20_000, seed=1)
    outcome = durability(problem, result)
    assert result.agreed.all()
    days, curve = outcome.survival_curve()
    assert np.allclose(curve, 2.0 ** (-days / 30.0))
    for checkpoint in (30, 90):
        rate, (low, high) = outcome.p_holds(checkpoint)
        assert low <= 2.0 ** (-checkpoint / 30.0) <= high
    assert abs(outcome.median_days() - 30) < 1.5


def test_class_and_provisions_change_the_hazard_by_their_ratios():
    """The middle option is preliminary (median 60 days) with monitoring (ratio 0.5): h = ln 2 / 60 x 0.5."""
    block = {**CONSTANT, "hazard_ratios": {"monitoring": 0.5}}
    problem = scenario(block, provisions={"mid": ["preliminary", "monitoring"]})
    result = problem.simulate(strategies="linear", runs=500, seed=1)
    outcome = durability(problem, result)
    assert (result.packages[:, 0] == 1).all()
    assert np.allclose(outcome.hazard, np.log(2) / 60 * 0.5)
    assert outcome.class_shares()["preliminary"] == 1.0


def test_active_levers_add_their_provision():
    block = {**CONSTANT, "hazard_ratios": {"third_party_guarantee": 0.25}}
    lever = {"id": "g", "by": "m", "kind": "guarantee", "trust_gain": 0.1}
    problem = scenario(block, levers=[lever])
    outcome = durability(problem, problem.simulate(strategies="linear", runs=100, seed=1))
    assert np.allclose(outcome.hazard, np.log(2) / 30 * 0.25)


def test_dissatisfaction_and_spoilers():
    """Gains of 0.5 (>= the reference 0.2) add nothing; a spoiler hazard adds on top."""
    block = {**CONSTANT, "spoiler_hazard": 0.01, "dissatisfaction": {"hazard_ratio_at_no_gain": 3.0, "reference_gain": 0.2}}
    problem = scenario(block)
    outcome = durability(problem, problem.simulate(strategies="linear", runs=100, seed=1))
    assert np.allclose(outcome.hazard, np.log(2) / 30 + 0.01)
    # with a reference gain of 1, a gain of 0.5 multiplies the hazard by 3 ** 0.5 per party
    block["dissatisfaction"]["reference_gain"] = 1.0
    problem = scenario(block)
    outcome = durability(problem, problem.simulate(strategies="linear", runs=100, seed=1))
    assert np.allclose(outcome.hazard, np.log(2) / 30 * 3.0 + 0.01)


def test_same_seed_same_breakdowns():
    problem = scenario(CONSTANT)
    a = durability(problem, problem.simulate(strategies="linear", runs=50, seed=9))
    b = durability(problem, problem.simulate(strategies="linear", runs=50, seed=9))
    assert np.array_equal(a.breakdown_day, b.breakdown_day)
    assert set(a.to_dict()["holds"]) == {"30", "90", "365"}
