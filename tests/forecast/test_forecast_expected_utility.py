"""The expected-utility model against the Scholz, Calbert & Smith (2011) EU example.

Reference: rounds 0-3 as produced by the public replication code
(jmckib/bdm-scholz-expected-utility-model), shared/data/bdm/, and the check
values of FORECAST.md B.7.
"""

import re
from pathlib import Path

import numpy as np
import pytest

from conftest import read_rows, shared_file

from truce.forecast import MODELS, expected_utility, read_expected_utility_csv
from truce.forecast.expected_utility import risk_exponents, vote_mass, win_probabilities

def reference(name: str) -> Path:
    return shared_file("bdm", name)


@pytest.fixture(scope="module")
def example():
    return read_expected_utility_csv(reference("scholz2011_EU_example_input.csv"))


@pytest.fixture(scope="module")
def rounds():
    return read_rows(reference("scholz2011_EU_rounds_0_to_3.csv"))


@pytest.fixture(scope="module")
def run(example):
    return expected_utility(example.capability, example.positions, example.salience, rounds=3)


def test_rounds_one_to_three_positions_and_means(example, rounds, run):
    assert run.n_rounds == 3
    for row in rounds:
        t = int(row["round"])
        expected = [float(row[name]) for name in example.actor_names]
        # the reference prints positions to 6 decimals
        np.testing.assert_allclose(run.trace.positions[t, :, 0], expected, rtol=0, atol=1e-6)
        assert run.trace.forecast[t, 0] == pytest.approx(
            float(row["mean_position_after_round"]), abs=1e-12
        )


def test_rounds_one_to_three_moves(example, rounds, run):
    kinds = {"compromises": "compromise", "loses": "confrontation"}
    pattern = re.compile(r"(\w+) (compromises|loses) (\w+)->([0-9.]+)")
    names = list(example.actor_names)
    for row in rounds[1:]:
        t = int(row["round"])
        expected = sorted(
            (names.index(actor), kinds[verb], names.index(other), float(position))
            for actor, verb, other, position in pattern.findall(row["moves"])
        )
        made = sorted(
            (move.actor, move.kind, move.counterpart, move.position[0])
            for move in run.moves
            if move.round == t
        )
        assert [entry[:3] for entry in made] == [entry[:3] for entry in expected]
        np.testing.assert_allclose([m[3] for m in made], [e[3] for e in expected], atol=1e-6)


def test_round_one_check_values(example):
    # FORECAST.md B.7: Delta = 6, M = 28.233 with exponents 1, dangers and exponents.
    x = example.positions[:, 0]
    s = example.salience[:, 0]
    w = example.capability * s
    assert vote_mass(x, w, np.ones(10), 6.0) == pytest.approx(28.233, abs=1e-9)
    exponents, danger, equal = risk_exponents(x, w, s, 6.0)
    assert not equal
    expected_danger = [
        -5.2492827542,
        1.4283356356,
        5.4376793114,
        -5.2492827542,
        -2.0939326320,
        -2.0939326320,
        -8.6408989480,
        5.6070839089,
        -8.8116034428,
        -2.7504126377,
    ]
    expected_exponents = [
        1.4056527842,
        0.7541959272,
        0.5088637910,
        1.4056527842,
        1.0465238961,
        1.0465238961,
        1.9648982295,
        0.5000000000,
        2.0000000000,
        1.1121249709,
    ]
    np.testing.assert_allclose(danger, expected_danger, rtol=0, atol=1e-9)
    np.testing.assert_allclose(exponents, expected_exponents, rtol=0, atol=1e-9)
    assert vote_mass(x, w, exponents, 6.0) == pytest.approx(28.33346034, abs=1e-8)


def test_round_one_offers(run):
    first = {move.actor: move for move in run.moves if move.round == 1}
    assert set(first) == {1, 2, 7}  # Belgium, Luxembourg, Ireland
    belgium = first[1]
    # France (4) and Italy (5) make identical offers; France is earlier in file order.
    assert (belgium.kind, belgium.counterpart) == ("compromise", 4)
    assert belgium.gain == pytest.approx(-0.1148305, abs=5e-8)
    assert belgium.counterpart_gain == pytest.approx(0.2432966, abs=5e-8)
    assert belgium.position[0] == pytest.approx(8.415932315, abs=5e-10)
    luxembourg = first[2]
    assert (luxembourg.kind, luxembourg.counterpart, luxembourg.position[0]) == (
        "confrontation",
        1,
        7.0,
    )
    assert luxembourg.gain == pytest.approx(0.2455092, abs=5e-8)
    assert luxembourg.counterpart_gain == pytest.approx(0.5422461, abs=5e-8)
    ireland = first[7]
    assert (ireland.kind, ireland.counterpart, ireland.position[0]) == ("confrontation", 2, 4.0)
    assert ireland.gain == pytest.approx(0.5382378, abs=5e-8)
    assert ireland.counterpart_gain == pytest.approx(0.6824778, abs=5e-8)


def test_two_actor_unit_case():
    # FORECAST.md B.7: two actors with weight 0.25 at 0 and 10: M = 1, P(0, 10) = 1/4,
    # equal dangers, so every exponent is 1 and a note says so.
    x = np.array([0.0, 10.0])
    w = np.array([0.25, 0.25])
    assert vote_mass(x, w, np.ones(2), 10.0) == pytest.approx(1.0)
    assert win_probabilities(x, w, np.ones(2), 10.0)[0, 1] == pytest.approx(0.25)
    result = expected_utility([0.5, 0.5], x, [0.5, 0.5], rounds=1)
    np.testing.assert_array_equal(result.trace.risk_attitudes[0, :, 0], [1.0, 1.0])
    assert any("risk exponent was set to 1" in note for note in result.notes)


def test_actor_order_does_not_change_positions(example, run):
    order = np.array([9, 3, 0, 7, 5, 1, 8, 2, 6, 4])  # Italy now before France
    shuffled = expected_utility(
        example.capability[order], example.positions[order], example.salience[order], rounds=3
    )
    np.testing.assert_allclose(shuffled.trace.positions, run.trace.positions[:, order], atol=1e-12)
    np.testing.assert_allclose(shuffled.trace.forecast, run.trace.forecast, atol=1e-12)


def test_dimensions_are_independent_issues(example):
    one = expected_utility(example.capability, example.positions, example.salience, rounds=4)
    reflected = 14.0 - example.positions
    two = expected_utility(
        example.capability,
        np.hstack([example.positions, reflected]),
        np.hstack([example.salience, example.salience]),
        rounds=4,
    )
    np.testing.assert_array_equal(two.trace.positions[:, :, 0], one.trace.positions[:, :, 0])
    assert two.trace.positions.shape == (5, 10, 2)
    assert {move.dimension for move in two.moves} == {0, 1}


def test_deterministic(example):
    first = expected_utility(example.capability, example.positions, example.salience, rounds=5)
    second = expected_utility(example.capability, example.positions, example.salience, rounds=5)
    np.testing.assert_array_equal(first.trace.positions, second.trace.positions)
    assert first.moves == second.moves


def test_zero_rounds_returns_the_input(example):
    result = expected_utility(example.capability, example.positions, example.salience, rounds=0)
    np.testing.assert_array_equal(result.final_positions, example.positions)
    assert result.forecast[0] == pytest.approx(7.389955686853767, abs=1e-12)


def test_registered_as_a_model():
    assert MODELS["expected_utility"].function is expected_utility
    assert MODELS["expected_utility"].defaults == {"rounds": 10}


@pytest.mark.parametrize(
    ("capability", "positions", "salience", "rounds", "message"),
    [
        ([0.5, 0.5], [3.0, 3.0], [0.5, 0.5], 1, "every position on dimension 0 is 3.0"),
        ([-0.5, 0.5], [0.0, 3.0], [0.5, 0.5], 1, "capability of actor 0 is -0.5"),
        ([0.5, 0.5], [0.0, 3.0], [0.5, 1.5], 1, "salience of actor 1 on dimension 0"),
        ([0.5, 0.5, 0.5], [0.0, 3.0], [0.5, 0.5], 1, "positions must have shape"),
        ([0.5, 0.5], [0.0, 3.0], [0.5, 0.5, 0.5], 1, "salience must have the same shape"),
        ([0.5, 0.5], [0.0, 3.0], [0.0, 0.0], 1, "dimension 0 has zero total weight"),
        ([0.5, 0.5], [0.0, 3.0], [0.5, 0.5], -1, "rounds must be an integer"),
    ],
)
def test_bad_input_is_named(capability, positions, salience, rounds, message):
    with pytest.raises(ValueError, match=message):
        expected_utility(capability, positions, salience, rounds=rounds)
