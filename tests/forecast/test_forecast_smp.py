"""KTAB's Spatial Model of Politics against KTAB's reference run (dummyData_3Dim).

Reference values: KTAB's turn-0 matrices and its position history printed
by its 2017-05-30 build (FORECAST.md A.10-A.12), in shared/data/ktab/.
"""

from pathlib import Path

import numpy as np
import pytest

from conftest import read_rows, shared_file

from truce.forecast import MODELS, read_ktab_csv, smp
from truce.forecast.smp import (
    BargainModel,
    BigRAdjust,
    BigRRange,
    InterVecBargain,
    PCEModel,
    SMPParameters,
    ThirdPartyCommit,
    VictoryProbModel,
    VotingRule,
    assess_state,
    challenge_outcomes,
    choose_targets,
    coalition_strengths,
    interpolate_bargains,
    probabilistic_condorcet_election,
    spatial_utility,
    victory_probabilities,
    vote,
)

def reference(name: str) -> Path:
    return shared_file("ktab", name)


@pytest.fixture(scope="module")
def scenario():
    return read_ktab_csv(reference("ktab_dummyData_3Dim_input.csv"))


@pytest.fixture(scope="module")
def reference_run(scenario):
    return smp(scenario.capability, scenario.positions, scenario.salience)


@pytest.fixture(scope="module")
def turn0_matrices():
    rows = read_rows(reference("ktab_dummyData_3Dim_ref_turn0_matrices.csv"))
    columns = [f"col{index}" for index in range(7)]

    def matrix(name):
        return np.array(
            [[float(row[column]) for column in columns] for row in rows if row["matrix"] == name]
        )

    return {
        "risk_neutral_value": matrix("risk_neutral_value"),
        "risk_aware_utility": matrix("risk_aware_utility"),
        "risk_attitude": matrix("inferred_risk_attitude_R")[0],
    }


@pytest.fixture(scope="module")
def history():
    rows = read_rows(reference("ktab_dummyData_3Dim_ref_position_history.csv"))
    states = [f"t{index}" for index in range(11)]
    positions = np.zeros((11, 7, 3))
    win = np.zeros((11, 7))
    for row in rows:
        actor = int(row["actor"].split("-")[1])
        values = [float(row[state]) for state in states]
        if row["dimension"] == "winning_prob":
            win[:, actor] = values
        else:
            positions[:, actor, int(row["dimension"][-1]) - 1] = values
    return positions, win


# ---------------------------------------------------------------- reference run


def test_turn0_matrices_and_risk_attitudes(scenario, turn0_matrices):
    assessment = assess_state(scenario.capability, scenario.positions, scenario.salience)
    for name in ("risk_neutral_value", "risk_aware_utility", "risk_attitude"):
        np.testing.assert_allclose(
            getattr(assessment, name), turn0_matrices[name], rtol=0, atol=5e-4
        )


def test_turn0_win_probabilities(scenario, history):
    _, win = history
    assessment = assess_state(scenario.capability, scenario.positions, scenario.salience)
    np.testing.assert_allclose(assessment.win_probability, win[0], rtol=0, atol=5e-5)


def test_turn0_challenges_match_ktab_log(scenario):
    # FORECAST.md A.12, from KTAB's log: i -> j, gain and probability at 4 decimals.
    expected = {
        0: (6, 0.0947, 0.7643),
        1: (0, 0.2810, 0.7964),
        2: (6, 0.4711, 0.8334),
        3: (0, 0.2839, 0.8056),
        4: (0, 0.0116, 0.5836),
        5: (1, 0.2986, 0.8510),
        6: (1, 0.0286, 0.3970),
    }
    assessment = assess_state(scenario.capability, scenario.positions, scenario.salience)
    targets, probability, gain = choose_targets(scenario.capability, scenario.salience, assessment)
    for actor, (target, expected_gain, expected_probability) in expected.items():
        assert targets[actor] == target
        assert gain[actor] == pytest.approx(expected_gain, abs=5e-5)
        assert probability[actor] == pytest.approx(expected_probability, abs=5e-5)


def test_turn0_bargains_and_queue_of_actor0(reference_run):
    first_round = [move for move in reference_run.moves if move.round == 1]
    challenge = next(m for m in first_round if m.kind == "challenge" and m.actor == 0)
    # 0 -> 6 offers 0 (75.61, 24.78, 71.95); its queue elects 4's bargain with pi = 0.4968.
    assert np.allclose(np.array(challenge.position) * 100, [75.61, 24.78, 71.95], atol=1e-9)
    accept = next(m for m in first_round if m.kind == "accept" and m.actor == 0)
    assert accept.counterpart == 4
    assert accept.probability == pytest.approx(0.4968, abs=5e-5)
    assert np.allclose(np.array(accept.position) * 100, [79.54, 44.71, 72.05], atol=1e-9)
    assert not any(m.kind == "accept" and m.actor == 2 for m in first_round)


def test_positions_of_every_state_within_the_logs_rounding(reference_run, history):
    positions, _ = history
    assert reference_run.n_rounds == 10
    assert reference_run.converged
    # The history prints 100 x with one decimal: every value within 0.05 (plus float slack).
    np.testing.assert_allclose(
        reference_run.trace.positions * 100, positions, rtol=0, atol=0.05 + 1e-9
    )


def test_win_probabilities_of_every_state(reference_run, history):
    _, win = history
    np.testing.assert_allclose(reference_run.trace.win_probabilities, win, rtol=0, atol=5e-5)


def test_stop_ratios_match_the_log(reference_run):
    logged = [0.9999, 0.7631, 0.1780, 0.0801, 0.0853, 0.0686, 0.0639, 0.1058, 0.0398, 0.0045]
    np.testing.assert_allclose(reference_run.trace.stop_ratios, logged, rtol=0, atol=5e-5)


# ---------------------------------------------------------------- building blocks by hand


def test_spatial_utility_by_hand():
    # (1 - 0.5)(1 + 0.5 * 1) = 0.75; risk-neutral 1 - d; beyond 1: (1 - d)(1 + R).
    assert spatial_utility(0.5, 1.0) == pytest.approx(0.75)
    assert spatial_utility(0.25, 0.0) == pytest.approx(0.75)
    assert spatial_utility(1.5, 0.5) == pytest.approx(-0.75)


def test_vote_rules_by_hand():
    assert vote(VotingRule.PROP, 2.0, 0.75, 0.25) == pytest.approx(1.0)
    assert vote(VotingRule.CUBIC, 2.0, 0.75, 0.25) == pytest.approx(0.25)
    assert vote(VotingRule.PROP_CBC, 2.0, 0.75, 0.25) == pytest.approx(0.625)
    assert vote(VotingRule.BINARY, 2.0, 0.75, 0.25) == pytest.approx(2.0)
    assert vote(VotingRule.PROP_BIN, 2.0, 0.25, 0.75) == pytest.approx(-1.2)
    assert vote(VotingRule.ASYM_PROSP, 3.0, 0.75, 0.25) == pytest.approx(1.0)
    assert vote(VotingRule.ASYM_PROSP, 3.0, 0.25, 0.75) == pytest.approx(-1.5)
    assert vote(VotingRule.ASYM_PROSP, 3.0, 0.5, 0.5) == 0.0


def test_two_option_election_by_hand():
    # Voter weights 1 and 2; voter 0 prefers option 0 by 1, voter 1 option 1 by 1.
    weights = np.array([1.0, 2.0])
    utilities = np.array([[1.0, 0.0], [0.0, 1.0]])
    strengths = coalition_strengths(weights, utilities, VotingRule.PROP)
    np.testing.assert_allclose(strengths, [[1e-8, 1 + 1e-8], [2 + 1e-8, 1e-8]], rtol=1e-15)
    probability = victory_probabilities(strengths, VictoryProbModel.LINEAR)
    assert probability[0, 1] == pytest.approx(1 / 3)
    assert probability[0, 0] == 0.5
    assert victory_probabilities(strengths, VictoryProbModel.SQUARE)[1, 0] == pytest.approx(0.8)
    assert victory_probabilities(strengths, VictoryProbModel.BINARY)[1, 0] == pytest.approx(
        1 / 1.000001
    )
    # With two options, Conditional and MarkovUniform both give pi = (P_01, P_10).
    for pce in (PCEModel.CONDITIONAL, PCEModel.MARKOV_UNIFORM):
        pi = probabilistic_condorcet_election(weights, utilities, VotingRule.PROP, pce_model=pce)
        np.testing.assert_allclose(pi, [1 / 3, 2 / 3], atol=1e-5)
    pi = probabilistic_condorcet_election(
        weights, utilities, VotingRule.PROP, pce_model=PCEModel.MARKOV_INCENTIVE
    )
    assert pi.sum() == pytest.approx(1.0) and pi[1] > pi[0]


def test_asymmetric_vote_rule_counts_from_the_lower_triangle():
    # KTAB computes v for option pairs m > n only; ASymProsp is not antisymmetric.
    strengths = coalition_strengths(
        np.array([3.0]), np.array([[0.25, 0.75]]), VotingRule.ASYM_PROSP
    )
    assert strengths[1, 0] == pytest.approx(1.0 + 1e-8)  # (2/3) * 3 * 0.5
    assert strengths[0, 1] == pytest.approx(1e-8)


def test_s2p2_bargain_matches_ktab_turn0_offer_0_to_6(scenario):
    # KTAB log, turn 0: 0 -> 6 with P = 0.7643 offers (75.61, 24.78, 71.95) and (.., 24.79, ..).
    assessment = assess_state(scenario.capability, scenario.positions, scenario.salience)
    _, probability, _ = choose_targets(scenario.capability, scenario.salience, assessment)
    offer_i, offer_j = interpolate_bargains(
        scenario.positions[[0]],
        scenario.positions[[6]],
        scenario.salience[[0]],
        scenario.salience[[6]],
        probability[[0]],
        InterVecBargain.S2P2,
    )
    np.testing.assert_allclose(offer_i[0] * 100, [75.61, 24.78, 71.95], atol=1e-9)
    np.testing.assert_allclose(offer_j[0] * 100, [75.61, 24.79, 71.95], atol=1e-9)


def literal_challenge(h, k, i, j, capability, salience, assessment, parameters):
    """E(h; k; i -> j) written with loops straight from FORECAST.md A.5: a second implementation."""
    risk = assessment.risk_attitude
    distance = assessment.distances
    adjust = {
        BigRAdjust.FULL: lambda own, other: other,
        BigRAdjust.TWO_THIRDS: lambda own, other: (own + 2 * other) / 3,
        BigRAdjust.HALF: lambda own, other: (own + other) / 2,
        BigRAdjust.ONE_THIRD: lambda own, other: (2 * own + other) / 3,
        BigRAdjust.NONE: lambda own, other: own,
    }[parameters.big_r_adjust]

    def seen(n, m):
        d, r = distance[n, m], adjust(risk[h], risk[n])
        return (1 - d) * (1 + d * r) if d <= 1 else (1 - d) * (1 + r)

    def v(weight, a, b):
        delta = a - b
        binary = max(-1.0, min(1.0, delta / 1e-8))
        return (
            weight
            * {
                VotingRule.PROP: delta,
                VotingRule.CUBIC: delta**3,
                VotingRule.PROP_CBC: (delta + delta**3) / 2,
                VotingRule.BINARY: binary,
                VotingRule.PROP_BIN: 0.8 * delta + 0.2 * binary,
                VotingRule.ASYM_PROSP: delta if delta < 0 else 2 * delta / 3,
            }[parameters.voting_rule]
        )

    total = salience.sum(axis=1)
    weight = total * capability
    a_i = v(weight[i], seen(i, i), seen(i, j))
    a_j = v(weight[j], seen(j, i), seen(j, j))
    base_i = 1e-10 + max(a_i, 0) + max(a_j, 0)
    base_j = 1e-10 + max(-a_i, 0) + max(-a_j, 0)
    strength_i, strength_j = base_i, base_j
    for n in range(capability.size):
        if n in (i, j):
            continue
        a, b, o = seen(n, i), seen(n, j), seen(n, n)
        first = v(weight[n], a, b)
        little = (base_i + max(first, 0)) / (base_i + base_j + abs(first))
        outcomes = {
            ThirdPartyCommit.SEMI_COMMIT: (2 * a + o, 3 * b, 3 * a, 2 * b + o),
            ThirdPartyCommit.FULL_COMMIT: (3 * a, 3 * b, 3 * a, 3 * b),
            ThirdPartyCommit.NO_COMMIT: (2 * a + o, 2 * b + o, 2 * a + o, 2 * b + o),
        }[parameters.third_party_commit]
        join_i = little * outcomes[0] + (1 - little) * outcomes[1]
        join_j = little * outcomes[2] + (1 - little) * outcomes[3]
        final = v(weight[n], join_i, join_j)
        if final > 0:
            strength_i += final
        elif final < 0:
            strength_j -= final
    win = strength_i / (strength_i + strength_j)
    u_ki, u_kj = seen(k, i), seen(k, j)
    gain = (
        (1 - total[j]) * 2 * u_ki
        + total[j] * (win * 2 * u_ki + (1 - win) * 2 * u_kj)
        - (u_ki + u_kj)
    )
    return win, gain


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"voting_rule": "Cubic", "big_r_adjust": "Full"},
        {"voting_rule": "PropBin", "big_r_adjust": "Half"},
        {"voting_rule": "ASymProsp", "big_r_adjust": "TwoThirds", "big_r_range": "Max"},
        {"voting_rule": "PropCbc", "third_party_commit": "FullCommit"},
        {"voting_rule": "Binary", "third_party_commit": "NoCommit", "big_r_adjust": "None"},
    ],
)
def test_vectorised_challenges_match_a_literal_implementation(scenario, options):
    parameters = SMPParameters(**options)
    assessment = assess_state(
        scenario.capability, scenario.positions, scenario.salience, parameters
    )
    quadruples = np.array(
        [
            (h, k, i, j)
            for h in range(7)
            for k in (0, 3, h)
            for i in range(7)
            for j in range(7)
            if i != j
        ]
    )
    probability, gain = challenge_outcomes(
        *quadruples.T, scenario.capability, scenario.salience, assessment, parameters
    )
    for (h, k, i, j), p, g in zip(quadruples, probability, gain, strict=True):
        expected_p, expected_g = literal_challenge(
            h, k, i, j, scenario.capability, scenario.salience, assessment, parameters
        )
        assert p == pytest.approx(expected_p, abs=1e-12)
        assert g == pytest.approx(expected_g, abs=1e-12)


# ---------------------------------------------------------------- options, seeds, order

OPTION_VALUES = [
    ("victory_prob_model", list(VictoryProbModel)),
    ("voting_rule", list(VotingRule)),
    ("pce_model", list(PCEModel)),
    ("big_r_range", list(BigRRange)),
    ("big_r_adjust", list(BigRAdjust)),
    ("third_party_commit", list(ThirdPartyCommit)),
    ("inter_vec_bargain", list(InterVecBargain)),
    ("bargain_model", list(BargainModel)),
]


@pytest.mark.parametrize(
    ("option", "value"),
    [(option, value) for option, values in OPTION_VALUES for value in values],
)
def test_every_option_runs(scenario, option, value):
    result = smp(
        scenario.capability, scenario.positions, scenario.salience, max_rounds=8, **{option: value}
    )
    assert result.parameters[option] == str(value)
    assert np.isfinite(result.trace.positions).all()
    assert ((result.trace.win_probabilities >= 0) & (result.trace.win_probabilities <= 1)).all()
    assert result.n_rounds <= 8


def test_option_strings_are_parsed_by_value_or_name():
    parameters = SMPParameters(
        voting_rule="asym_prosp", big_r_adjust="OneThird", pce_model="markovuniform"
    )
    assert parameters.voting_rule is VotingRule.ASYM_PROSP
    assert parameters.big_r_adjust is BigRAdjust.ONE_THIRD
    assert parameters.pce_model is PCEModel.MARKOV_UNIFORM
    with pytest.raises(ValueError, match="voting_rule must be one of Prop, Cubic"):
        SMPParameters(voting_rule="majority")


def test_stochastic_runs_repeat_with_the_same_seed(scenario):
    runs = [
        smp(
            scenario.capability,
            scenario.positions,
            scenario.salience,
            state_transitions="Stochastic",
            seed=seed,
            max_rounds=15,
        )
        for seed in (11, 11, 12)
    ]
    np.testing.assert_array_equal(runs[0].trace.positions, runs[1].trace.positions)
    assert runs[0].moves == runs[1].moves
    assert runs[0].moves != runs[2].moves  # the draws do matter
    generator_run = smp(
        scenario.capability,
        scenario.positions,
        scenario.salience,
        state_transitions="Stochastic",
        seed=np.random.default_rng(11),
        max_rounds=15,
    )
    np.testing.assert_array_equal(generator_run.trace.positions, runs[0].trace.positions)


def test_deterministic_runs_ignore_the_seed(scenario, reference_run):
    seeded = smp(scenario.capability, scenario.positions, scenario.salience, seed=123)
    np.testing.assert_array_equal(seeded.trace.positions, reference_run.trace.positions)


def test_actor_order_does_not_matter(scenario, reference_run):
    # Positions, risk attitudes and the number of rounds are invariant. KTAB's
    # reported win probabilities (A.8) are not: positions closer than 1e-3 are
    # merged into the first one in index order (state 7 of this run has three).
    order = np.array([3, 6, 0, 5, 2, 1, 4])
    shuffled = smp(scenario.capability[order], scenario.positions[order], scenario.salience[order])
    assert shuffled.n_rounds == reference_run.n_rounds
    np.testing.assert_allclose(
        shuffled.trace.positions, reference_run.trace.positions[:, order], rtol=0, atol=1e-12
    )
    np.testing.assert_allclose(
        shuffled.trace.risk_attitudes,
        reference_run.trace.risk_attitudes[:, order],
        rtol=0,
        atol=1e-12,
    )


def test_registered_as_a_model():
    assert MODELS["smp"].function is smp
    assert MODELS["smp"].defaults["voting_rule"] == VotingRule.PROP
    assert MODELS["smp"].defaults["max_rounds"] == 100


def test_all_actors_at_one_point_stops_with_a_note():
    result = smp([1.0, 2.0, 3.0], np.full((3, 2), 0.5), np.full((3, 2), 0.4))
    assert result.n_rounds == 2
    np.testing.assert_array_equal(result.final_positions, np.full((3, 2), 0.5))
    assert any("risk attitude R was set to 0" in note for note in result.notes)


# ---------------------------------------------------------------- bad input

GOOD_CAPABILITY = [1.0, 2.0, 3.0]
GOOD_POSITIONS = [[0.1, 0.2], [0.5, 0.5], [0.9, 0.8]]
GOOD_SALIENCE = [[0.5, 0.5], [0.3, 0.2], [0.1, 0.6]]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"capability": [-1.0, 2.0, 3.0]},
            "capability of actor 0 is -1.0; it must be greater than 0",
        ),
        ({"capability": [0.0, 2.0, 3.0]}, "must be greater than 0"),
        ({"salience": [[0.5, 0.5], [0.3, 1.2], [0.1, 0.6]]}, "salience of actor 1 on dimension 1"),
        ({"salience": [[0.7, 0.5], [0.3, 0.2], [0.1, 0.6]]}, "saliences of actor 0 sum to 1.2"),
        ({"salience": [[0.5, 0.5], [0.0, 0.0], [0.1, 0.6]]}, "actor 1 has zero salience"),
        (
            {"positions": [[0.1, 0.2], [0.5, 50.0], [0.9, 0.8]]},
            "position of actor 1 on dimension 1",
        ),
        ({"positions": [[0.1, 0.2], [0.5, 0.5]]}, "positions must have shape"),
        ({"salience": [[0.5], [0.3], [0.1]]}, "salience must have the same shape"),
        ({"capability": [1.0]}, "positions must have shape"),
        ({"max_rounds": 0}, "max_rounds must be an integer of at least 1"),
        ({"voting_rule": "plurality"}, "voting_rule must be one of"),
    ],
)
def test_bad_input_is_named(change, message):
    arguments = {
        "capability": GOOD_CAPABILITY,
        "positions": GOOD_POSITIONS,
        "salience": GOOD_SALIENCE,
    }
    arguments.update(change)
    with pytest.raises(ValueError, match=message):
        smp(**arguments)
