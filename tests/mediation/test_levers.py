"""Each lever moves outcomes in the expected direction; what-if pairs runs (common random numbers)."""

from __future__ import annotations

import numpy as np
import pytest

from truce.mediation.whatif import Difference, what_if
from truce.scenario import validate
from truce.simulate.durability import durability

PARTIES = [
    {"id": "a", "name": "A", "reservation": {"uniform": [0.2, 0.6]}, "trust": 0.5, "exposure": 0.2,
     "stances": {"x": {"position": "high", "salience": 1}}},
    {"id": "b", "name": "B", "reservation": 0.2, "trust": 0.5, "exposure": 0.2,
     "stances": {"x": {"position": "low", "salience": 1}}},
    {"id": "m", "name": "M", "role": "mediator", "budget": 2, "stances": {"x": {"position": "mid", "salience": 1}}},
]
LEVERS = {
    "guarantee": {"kind": "guarantee", "trust_gain": 0.5},
    "monitoring": {"kind": "monitoring", "trust_gain": 0.5},
    "pressure_delay": {"kind": "pressure", "cost_of_delay": 0.01},
    "pressure_no_deal": {"kind": "pressure", "reservation_drop": 0.1},
    "side_payment": {"kind": "side_payment", "side_payment": 0.1},
    "phasing": {"kind": "phasing", "exposure_factor": 0.3},
}


def scenario(levers):
    return validate(
        {
            "name": "levers",
            "rounds": 20,
            "actors": PARTIES,
            "issues": [{"id": "x", "name": "X", "kind": "ordered", "options": ["low", "mid", "high"],
                        "provisions": {"mid": ["cessation"]}}],
            "levers": [{"id": name, "by": "m", "active": False, "cost": 1, **spec} for name, spec in levers.items()],
        }
    ).compile()


@pytest.mark.parametrize("lever", sorted(LEVERS))
def test_each_lever_raises_the_chance_of_a_deal(lever):
    """A takes the middle option (0.5) only if 0.5 >= r + (1 - trust) / trust * exposure (+ cost, - payments)."""
    problem = scenario({lever: LEVERS[lever]})
    off = problem.simulate(strategies="linear", runs=2000, seed=4)
    on = problem.with_levers([True]).simulate(strategies="linear", runs=2000, seed=4)
    assert on.agreement_rate > off.agreement_rate + 0.05
    # common random numbers: switching the lever never turns a deal into no deal here
    assert not (off.agreed & ~on.agreed).any()


def test_monitoring_and_guarantees_make_deals_last_longer():
    problem = scenario({"monitoring": LEVERS["monitoring"]})
    off = problem.simulate(strategies="linear", runs=3000, seed=2)
    on_problem = problem.with_levers([True])
    on = on_problem.simulate(strategies="linear", runs=3000, seed=2)
    both = off.agreed & on.agreed
    hazard_off = durability(problem, off).hazard[both]
    hazard_on = durability(on_problem, on).hazard[both]
    assert (hazard_on < hazard_off).all()


def test_pressure_and_payments_make_deals_more_fragile():
    """Leverage wanes after signature (Beardsley 2008): the same deal gets a higher hazard."""
    problem = scenario({"side_payment": LEVERS["side_payment"]})
    off = problem.simulate(strategies="linear", runs=2000, seed=2)
    on_problem = problem.with_levers([True])
    on = on_problem.simulate(strategies="linear", runs=2000, seed=2)
    both = off.agreed & on.agreed
    assert (durability(on_problem, on).hazard[both] >= durability(problem, off).hazard[both]).all()


def test_single_text_lever_switches_the_protocol():
    problem = scenario({"text": {"kind": "single_text"}})
    result = what_if(problem, runs=200, seed=1, strategies="linear")
    assert result.variants[0].protocol == "single-text" and result.baseline.protocol == "alternating"


def test_common_random_numbers_shrink_the_variance_of_a_difference():
    """Var(paired difference) < Var(A) + Var(B), the variance of the difference of independent runs."""
    problem = scenario({"guarantee": LEVERS["guarantee"]})
    off = problem.simulate(strategies="linear", runs=4000, seed=10).agreed.astype(float)
    on = problem.with_levers([True]).simulate(strategies="linear", runs=4000, seed=10).agreed.astype(float)
    independent_on = problem.with_levers([True]).simulate(strategies="linear", runs=4000, seed=11).agreed.astype(float)
    paired = np.var(on - off, ddof=1)
    independent = np.var(independent_on, ddof=1) + np.var(off, ddof=1)
    assert paired < 0.75 * independent
    # and the paired difference still estimates the same effect
    assert abs((on - off).mean() - (independent_on.mean() - off.mean())) < 0.05


def test_what_if_ranks_levers_and_finds_affordable_combinations():
    problem = scenario({name: LEVERS[name] for name in ("guarantee", "phasing", "side_payment")})
    result = what_if(problem, runs=1000, seed=3, strategies="linear")
    names = [v.name for v in result.variants]
    assert {"add guarantee", "add phasing", "add side_payment"} <= set(names)
    combos = [v for v in result.variants if v.kind == "combination"]
    assert len(combos) == 1 and combos[0].cost <= 2
    lasting = [v.delta_lasting.mean for v in result.variants]
    assert lasting == sorted(lasting, reverse=True)
    assert result.to_dict()["common_random_numbers"] is True
    frame = result.to_frame()
    assert frame.loc[0, "variant"] == "baseline"


def test_paired_difference_interval():
    diff = Difference.paired(np.array([1, 1, 0, 1]), np.array([0, 1, 0, 0]))
    assert diff.mean == 0.5 and diff.low < 0.5 < diff.high


def test_no_levers_is_a_clear_error():
    with pytest.raises(ValueError, match="levers: found none"):
        what_if(scenario({}), runs=10)
