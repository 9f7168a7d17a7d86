"""Phased agreements against hand-worked cases: P(phase 2 reached) = P(phase 1 signed) x P(phase 2
signed within phase 1's term and before it breaks down), with the Weibull survival written out here."""

from __future__ import annotations

import copy
import math

import numpy as np
import pytest

from phased_cases import survival, two_phase
from truce.scenario.loading import validate
from truce.simulate import simulate_phases
from truce.simulate.phase_results import PHASE_ENDS, TALK_ENDS

def first_round_accepting(reservation: float, deadline_rounds: int) -> int:
    """The first round t at which linear concession from 1 toward ``reservation`` reaches 0.75."""
    share = (0.75 - reservation) / (1.0 - reservation)
    return math.ceil((deadline_rounds - 1) * (1.0 - share) - 1e-12)


def run(data, runs=4000, seed=3):
    problem = validate(data).compile()
    return simulate_phases(problem, runs=runs, seed=seed, strategies="linear", noise=0.0)


def test_hand_worked_two_phases_with_a_42_day_pause():
    result = run(two_phase())
    pause, final = result.phases
    assert pause.p_reached == 1.0 and set(pause.round) == {0} and set(pause.day_signed) == {1.0}
    assert first_round_accepting(0.3, 42) == 15
    reached = final.reached
    assert set(final.round[reached]) == {15}
    np.testing.assert_allclose(final.day_signed[reached], 1 + 16)
    expected = 1.0 * survival(16)
    spread = math.sqrt(expected * (1 - expected) / result.runs)
    assert abs(final.p_reached - expected) < 4 * spread
    # every run without phase 2 is one in which phase 1 broke down before day 16
    assert (pause.breakdown_day[~reached] < 16).all() and (pause.breakdown_day[reached] >= 16).all()
    assert (pause.ended_by[reached] == PHASE_ENDS.index("next phase")).all()
    np.testing.assert_allclose(pause.days_in_force[reached], 16)
    assert (final.talk_end[~reached] == TALK_ENDS.index("previous phase ended")).all()


def test_a_short_term_sets_the_deadline_and_expiry_is_not_breakdown():
    result = run(two_phase(term_days=10))
    pause, final = result.phases
    t = first_round_accepting(0.3, 10)  # ceil(9 x 0.357) = 4: day 5
    assert t == 4 and set(final.round[final.reached]) == {t}
    expected = survival(t + 1)
    assert abs(final.p_reached - expected) < 4 * math.sqrt(expected * (1 - expected) / result.runs)
    # phase 1 runs that neither broke down nor were replaced end by expiry at day 10, not by breakdown
    assert not (pause.ended_by == PHASE_ENDS.index("expiry")).any()  # phase 2 always comes first when phase 1 holds
    lone = run(two_phase(term_days=3))  # talks of 3 rounds: linear reaches 0.75 at t = ceil(2 x 0.357) = 1, day 2
    assert set(lone.phases[1].round[lone.phases[1].reached]) == {1}


def test_without_a_durability_model_phase_2_is_reached_exactly_when_signed_in_the_term():
    result = run(two_phase(kind="negotiation"), runs=50)
    pause, final = result.phases
    assert pause.durability is None and final.p_reached == 1.0
    np.testing.assert_allclose(pause.days_in_force, 16)
    assert (final.ended_by == PHASE_ENDS.index("holding")).all() and np.isinf(final.days_in_force).all()
    # a term shorter than the talks need: linear with deadline 1 round never reaches the compromise in time
    short = run(two_phase(term_days=1, kind="negotiation"), runs=50)
    assert short.phases[1].p_reached == 0.0
    assert (short.phases[0].ended_by == PHASE_ENDS.index("expiry")).all()
    np.testing.assert_allclose(short.phases[0].days_in_force, 1.0)


def test_uncertain_no_deal_value_brute_force():
    """A's no-deal value uniform on [0.5, 0.8]: phase 1 (worth 0.65 to A) is signed iff it is at most 0.65
    (else A walks away at once): P = 0.5. In phase 2 A concedes toward its own no-deal value, so the
    round of agreement is the later of A's and B's first accepting rounds, worked out per run here."""
    data = two_phase()
    data["actors"][0]["reservation"] = {"uniform": [0.5, 0.8]}
    result = run(data, runs=6000)
    pause, final = result.phases
    no_deal = result.first.reservation[:, 0]
    np.testing.assert_array_equal(pause.reached, no_deal <= 0.65 + 1e-12)
    assert abs(pause.p_reached - 0.5) < 4 * math.sqrt(0.25 / result.runs)
    rounds = np.array([max(first_round_accepting(r, 42), first_round_accepting(0.3, 42)) for r in no_deal])
    np.testing.assert_array_equal(final.round[final.reached], rounds[final.reached])
    expected = np.where(pause.reached, [survival(t + 1) for t in rounds], 0.0).mean()
    assert abs(final.p_reached - expected) < 4 * math.sqrt(expected * (1 - expected) / result.runs)
    assert final.p_reached == pytest.approx(pause.p_reached * final.p_signed_given_talks)


def test_an_open_ended_phase_1_is_the_fallback_of_phase_2_talks():
    """Open-ended phase 1: failing phase 2 leaves the pause in force (0.65 to each), so a compromise worth
    0.75 must beat 0.65, not 0.3: linear concession from 1 toward 0.65 reaches 0.75 at
    t = ceil(99 x (1 - 0.1 / 0.35)) = 71 (deadline the 100-round cap)."""
    data = two_phase(term_days=None, kind="negotiation")
    result = run(data, runs=20)
    share = 0.1 / 0.35
    assert set(result.phases[1].round) == {math.ceil(99 * (1 - share))}


def test_same_seed_same_numbers_and_frame_columns():
    one, two = run(two_phase(), runs=300, seed=5), run(two_phase(), runs=300, seed=5)
    np.testing.assert_array_equal(one.phases[1].reached, two.phases[1].reached)
    frame = one.to_frame()
    for column in ("pause_reached", "final_day_signed", "final_talks_ended", "pause_ended_by", "final_in_force"):
        assert column in frame
    data = one.to_dict()
    assert [phase["id"] for phase in data["phases"]] == ["pause", "final"]
    assert data["phases"][1]["p_reached"] == one.phases[1].p_reached


def test_the_phases_are_checked_when_called_from_python():
    data = copy.deepcopy(two_phase())
    data.pop("phases")
    with pytest.raises(ValueError, match="no phases"):
        simulate_phases(validate(data).compile(), runs=10)


def test_cli_prints_a_per_phase_table_and_json(tmp_path):
    import json
    import subprocess
    import sys

    import yaml

    path = tmp_path / "phased.yaml"
    path.write_text(yaml.safe_dump(two_phase()))
    env = {"COLUMNS": "200", "PATH": ""}
    text = subprocess.run([sys.executable, "-m", "truce", "simulate", str(path), "--runs", "400", "-s", "linear", "--noise", "0"], capture_output=True, text=True, env=env)
    assert text.returncode == 0, text.stderr
    assert "Phased agreement: 2 phases" in text.stdout and "P(reached)" in text.stdout and "Phase 1's talks" in text.stdout
    answer = subprocess.run([sys.executable, "-m", "truce", "simulate", str(path), "--runs", "400", "-s", "linear", "--noise", "0", "--json"], capture_output=True, text=True, env=env)
    data = json.loads(answer.stdout)
    assert [phase["id"] for phase in data["phases"]] == ["pause", "final"]
    assert data["phases"][1]["rounds_to_signing"]["median"] == 16  # round 15, counted from 1
    once = subprocess.run([sys.executable, "-m", "truce", "simulate", str(path), "--runs", "50", "--all-at-once", "--json"], capture_output=True, text=True, env=env)
    assert "phases" not in json.loads(once.stdout)


def test_cli_durability_follows_each_phase_and_the_agreement(tmp_path):
    """Phase 2 comes into force 16 days after phase 1 if phase 1 has not broken down by then, and is then its
    own spell: an agreement is in force d days after phase 1's signature with P = S(16) x S(d - 16)."""
    import json
    import subprocess
    import sys

    import yaml

    path = tmp_path / "phased.yaml"
    path.write_text(yaml.safe_dump(two_phase()))
    env = {"COLUMNS": "200", "PATH": ""}
    command = [sys.executable, "-m", "truce", "durability", str(path), "--runs", "3000", "-s", "linear", "--seed", "2"]
    answer = subprocess.run(command + ["--json"], capture_output=True, text=True, env=env)
    assert answer.returncode == 0, answer.stderr
    data = json.loads(answer.stdout)
    assert data["phased"] and [phase["id"] for phase in data["phases"]] == ["pause", "final"]
    for day in (30, 90):
        expected = survival(16) * survival(day - 16)
        assert abs(data["agreement_in_force"][str(day)] - expected) < 4 * math.sqrt(expected * (1 - expected) / 3000)
    assert data["phases"][0]["durability"]["signed_runs"] == 3000
    text = subprocess.run(command, capture_output=True, text=True, env=env)
    assert "some phase in force" in text.stdout and "Phase 2, final" in text.stdout, text.stdout
