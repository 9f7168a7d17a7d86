"""What-if and sensitivity on a phased agreement: the deal is phase 1 signed, checked against the
hand-worked two-phase case (phase 1 worth 0.65 to each party, signed at once iff A's no-deal value is
at most what phase 1 is worth to it)."""

from __future__ import annotations

import copy
import math

import pytest

from phased_cases import survival, two_phase
from truce.mediation.sensitivity import one_at_a_time
from truce.mediation.whatif import what_if
from truce.scenario.loading import validate
from truce.simulate import simulate_phases


def phased(kind="negotiation", payment=0.1):
    """A's no-deal value uniform on [0.5, 0.8]; a mediator can pay A ``payment`` for a deal."""
    data = copy.deepcopy(two_phase(kind=kind))
    data["actors"][0]["reservation"] = {"uniform": [0.5, 0.8]}
    data["actors"].append({"id": "m", "name": "M", "role": "mediator", "budget": 1})
    data["levers"] = [{"id": "pay", "by": "m", "kind": "side_payment", "side_payment": payment, "parties": ["a"], "active": False, "cost": 1}]
    return validate(data).compile()


def test_what_if_ranks_levers_by_phase_1_signed():
    """Phase 1 is signed iff A's no-deal value is at most 0.65, P = 0.15 / 0.3 = 0.5; paid 0.1, iff at most
    0.75, P = 0.25 / 0.3 = 5/6: a change of +1/3, and never a deal lost (common random numbers)."""
    problem = phased()
    result = what_if(problem, runs=3000, seed=2, strategies="linear")
    assert result.phased and result.to_dict()["phased"] is True and result.ranked_by == "p_deal"
    base, (pay,) = result.baseline, result.variants
    sigma = math.sqrt(0.25 / 3000)
    assert abs(base.p_deal - 0.5) < 4 * sigma and abs(pay.p_deal - 5 / 6) < 4 * sigma
    assert abs(pay.delta_deal.mean - 1 / 3) < 4 * sigma
    assert not (base.agreed & ~pay.agreed).any()
    once = what_if(problem, runs=300, seed=2, strategies="linear", all_at_once=True)
    assert not once.phased


def test_what_if_on_a_phased_ceasefire_counts_an_agreement_still_in_force():
    """Lasting = some phase in force 30 days after phase 1's signature: phase 2 signed 16 days in (phase 1
    must survive 16 days) and not broken down 14 days later, so P = P(phase 1) x S(16) x S(14)."""
    problem = phased(kind="ceasefire")
    result = what_if(problem, runs=4000, seed=3, strategies="linear", hold_days=30)
    assert result.ranked_by == "p_lasting_deal"
    expected = 0.5 * survival(16) * survival(14)
    assert abs(result.baseline.p_lasting - expected) < 4 * math.sqrt(expected * (1 - expected) / 4000)


def test_sensitivity_holds_the_no_deal_value_and_phase_1_follows():
    """A's no-deal value at its 10th percentile (0.53) signs phase 1 in every run, at its 90th (0.77) in none."""
    problem = phased(payment=0.0)
    result = one_at_a_time(problem, runs=400, seed=1, strategies="linear", noise=0.0)
    assert result.phased
    swing = next(s for s in result.swings if s.input.startswith("a.reservation"))
    assert swing.low_value == pytest.approx(0.53) and swing.high_value == pytest.approx(0.77)
    assert swing.p_deal_low == 1.0 and swing.p_deal_high == 0.0
    assert abs(result.baseline - 0.5) < 4 * math.sqrt(0.25 / 400)
    whole = one_at_a_time(problem, runs=400, seed=1, strategies="linear", noise=0.0, all_at_once=True)
    assert not whole.phased


def test_phase_1_alone_is_what_the_phased_simulation_plays_first():
    from truce.simulate.phases import first_phase_talks

    problem = phased()
    alone = first_phase_talks(problem, runs=500, seed=4, strategies="linear")
    played = simulate_phases(problem, runs=500, seed=4, strategies="linear")
    assert (alone.agreed == played.phases[0].reached).all() and (alone.rounds == played.first.rounds).all()
