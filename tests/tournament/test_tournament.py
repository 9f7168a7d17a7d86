"""Tournaments against answers worked out by hand on a 2 x 3 x 3 domain, a brute-force Nash point,
a tabulated t quantile and Wilson interval, role-assignment counts by combinatorics, and symmetry.

The domain (``DOMAIN``): parties A and B, reservation 0.1 each, no cost of delay, 20 rounds.
Issue x (weight 0.7 for both) is opposed: A values options a, m, b at 1, 0.5, 0; B at 0, 0.5, 1.
Issue y (weight 0.3 for both) is shared: both value a, m, b at 1, 0.5, 0. So A's best package is
(a, a) = (1, 0.3) and B's is (b, a) = (0.3, 1); (m, a) = (0.65, 0.65) maximises the Nash product
(0.55^2 = 0.3025 against 0.9 x 0.2 = 0.18 for either best), as the brute force below finds.

- Hard-liner vs hard-liner: each asks for its best, which gives the other 0.3 < 1; no deal ever:
  utility 0.1 (the reservation value), gain 0, agreement 0.
- Hard-liner (A) vs Conceder (B): B's target is 0.1 + 0.9 (1 - (t / 19)^(1/2)) (Faratin et al.
  1998 with e = 2, floor 0.1, best 1). A only ever offers or accepts (a, a), worth 0.3 to B, so
  the deal is (a, a) in the first round with target <= 0.3: (t / 19)^(1/2) >= 7/9, t >= 11.49,
  round 12 (0-based; the target is 0.3152 in round 11 and 0.2847 in round 12). A gets 1, B 0.3.
- Conceder vs Conceder: the targets fall to 0.6424 in round 3 (0.7101 in round 2), where the
  proposer's best offer for the other is (m, a), worth 0.65 to both: agreed in round 3.
"""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from truce.tournament import SpecError, parse_spec, play_tournament, resolve, role_assignments, run

DOMAIN = """
truce: 1
name: Hand-worked domain
rounds: 20
actors:
  - id: a
    name: A
    role: party
    reservation: 0.1
    cost_of_delay: 0
    stances:
      x: {position: a, salience: 0.7, values: {a: 1.0, m: 0.5, b: 0.0}}
      y: {position: a, salience: 0.3, values: {a: 1.0, m: 0.5, b: 0.0}}
  - id: b
    name: B
    role: party
    reservation: 0.1
    cost_of_delay: 0
    stances:
      x: {position: b, salience: 0.7, values: {a: 0.0, m: 0.5, b: 1.0}}
      y: {position: a, salience: 0.3, values: {a: 1.0, m: 0.5, b: 0.0}}
issues:
  - {id: x, name: X, kind: categorical, options: [a, m, b]}
  - {id: y, name: Y, kind: categorical, options: [a, m, b]}
"""
T_975_15 = 2.131449546  # Student's t, 97.5% quantile, 15 degrees of freedom (tables)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "domain.yaml").write_text(DOMAIN)
    return tmp_path


def play(folder: Path, text: str):
    spec = parse_spec(text, "spec.yaml")
    contestants, venues = resolve(spec, "spec.yaml", folder)
    return play_tournament(spec, contestants, venues)


def test_hardliner_and_conceder_as_worked_by_hand(folder: Path) -> None:
    result = play(folder, "strategies: [hardliner, conceder]\nscenarios: [domain.yaml]\nrepetitions: 4\nnoise: 0\n")
    seats = result.seats_frame()
    matches = {tuple(group.sort_values(["run", "role"])["strategy"].iloc[:2]): group for _, group in seats.groupby("match")}
    assert set(matches) == {("hardliner", "hardliner"), ("hardliner", "conceder"), ("conceder", "hardliner"), ("conceder", "conceder")}
    never = matches[("hardliner", "hardliner")]
    assert not never["agreed"].any() and np.allclose(never["utility"], 0.1) and np.allclose(never["gain"], 0.0)
    for pair in (("hardliner", "conceder"), ("conceder", "hardliner")):
        match = matches[pair]
        assert match["agreed"].all() and (match["round"] == 12).all()
        assert np.allclose(match.loc[match["strategy"] == "hardliner", "utility"], 1.0)
        assert np.allclose(match.loc[match["strategy"] == "conceder", "utility"], 0.3)
    both = matches[("conceder", "conceder")]
    assert (both["round"] == 3).all() and np.allclose(both["utility"], 0.65)

    scores = {entry.label: entry for entry in result.ranking}
    assert [entry.label for entry in result.ranking] == ["hardliner", "conceder"]
    hard, soft = scores["hardliner"].figures, scores["conceder"].figures
    assert scores["hardliner"].seats == 16  # 8 seats against itself, 4 in each role against the conceder
    assert hard["utility"].mean == pytest.approx((8 * 0.1 + 8 * 1.0) / 16)
    assert soft["utility"].mean == pytest.approx((8 * 0.65 + 8 * 0.3) / 16)
    assert hard["gain"].mean == pytest.approx(8 * 0.9 / 16) and soft["gain"].mean == pytest.approx((8 * 0.55 + 8 * 0.2) / 16)
    assert hard["agreement"].mean == 0.5 and soft["agreement"].mean == 1.0
    assert hard["welfare"].mean == pytest.approx((8 * 0.2 + 8 * 1.3) / 16) and soft["welfare"].mean == pytest.approx(1.3)
    # t interval: eight 0.1s and eight 1s have s = 0.45 sqrt(16 / 15)
    half = T_975_15 * 0.45 * math.sqrt(16 / 15) / 4
    assert (hard["utility"].low, hard["utility"].high) == pytest.approx((0.55 - half, 0.55 + half), abs=1e-8)
    # Wilson's interval of 8 in 16: centre 0.5, half-width 1.96 sqrt(1/64 + 1.96^2/1024) / (1 + 1.96^2/16)
    z = 1.959963984540054
    wilson = z * math.sqrt(0.25 / 16 + z * z / 1024) / (1 + z * z / 16)
    assert (hard["agreement"].low, hard["agreement"].high) == pytest.approx((0.5 - wilson, 0.5 + wilson))


def test_nash_distance_against_a_brute_force_nash_point(folder: Path) -> None:
    values = {"a": {"x": [1.0, 0.5, 0.0], "y": [1.0, 0.5, 0.0]}, "b": {"x": [0.0, 0.5, 1.0], "y": [1.0, 0.5, 0.0]}}
    packages = list(itertools.product(range(3), range(3)))
    utility = {party: [0.7 * v["x"][i] + 0.3 * v["y"][j] for i, j in packages] for party, v in values.items()}
    products = [(ua - 0.1) * (ub - 0.1) for ua, ub in zip(utility["a"], utility["b"])]
    best = int(np.argmax(products))
    nash = np.array([utility["a"][best], utility["b"][best]])
    assert nash == pytest.approx([0.65, 0.65])

    result = play(folder, "strategies: [hardliner, conceder]\nscenarios: [domain.yaml]\nrepetitions: 2\nnoise: 0\n")
    assert result.nash[0] == pytest.approx(nash)
    seats = result.seats_frame()
    no_deal = seats[~seats["agreed"]]
    assert len(no_deal) and np.allclose(no_deal["nash_distance"], np.linalg.norm(np.array([0.1, 0.1]) - nash))
    # hard-liner vs conceder ends at (1, 0.3) or (0.3, 1): sqrt(2) x 0.35 from the Nash point
    split = seats[seats["agreed"] & (seats["round"] == 12)]
    assert np.allclose(split["nash_distance"], math.sqrt(2) * 0.35)
    hard = next(entry for entry in result.ranking if entry.label == "hardliner").figures["nash_distance"]
    assert hard.mean == pytest.approx((math.sqrt(2) * 0.55 + math.sqrt(2) * 0.35) / 2)


def test_same_seed_same_table(folder: Path) -> None:
    text = "strategies: [boulware, linear, tit-for-tat]\nscenarios: [domain.yaml, two-issue-trade]\nrepetitions: 5\nfirst_proposer: random\nseed: 7\n"
    first, second = play(folder, text), play(folder, text)
    pd.testing.assert_frame_equal(first.to_frame(), second.to_frame())
    pd.testing.assert_frame_equal(first.seats_frame(), second.seats_frame())


def test_both_role_assignments_are_played_and_score_alike_on_a_symmetric_domain(folder: Path) -> None:
    """The domain is symmetric (swap A and B and the options a and b of x): with exact knowledge and each
    role proposing first in one of the two runs, a strategy gets the same in either role against the same opponent."""
    result = play(folder, "strategies: [boulware, linear, tit-for-tat, conceder]\nscenarios: [domain.yaml]\nrepetitions: 2\nnoise: 0\n")
    seats = result.seats_frame()
    by_match = {tuple(group.sort_values(["run", "role"])["strategy"].iloc[:2]): group for _, group in seats.groupby("match")}
    labels = result.labels
    assert set(by_match) == set(itertools.product(labels, repeat=2))
    for mine, theirs in itertools.product(labels, repeat=2):
        first = by_match[(mine, theirs)]
        second = by_match[(theirs, mine)]
        as_first = first.loc[first["role"] == 0, "utility"].mean()
        as_second = second.loc[second["role"] == 1, "utility"].mean()
        assert as_first == pytest.approx(as_second), (mine, theirs)


def test_role_assignments_count_as_combinatorics_says() -> None:
    assert len(role_assignments(5, 2)) == 25 and len(role_assignments(5, 2, self_play=False)) == 20
    assert len(role_assignments(3, 3)) == 27 and len(role_assignments(3, 3, self_play=False)) == 6
    # rotation: C(3 + 3 - 1, 3) = 10 combinations; the 3 of one strategy once, the other 7 in 3 rotations each
    rotations = role_assignments(3, 3, rule="rotation")
    assert len(rotations) == 3 + 7 * 3 and len(set(rotations)) == len(rotations)
    assert role_assignments(3, 3, self_play=False, rule="rotation") == [(0, 1, 2), (1, 2, 0), (2, 0, 1)]
    assert set(role_assignments(4, 2, rule="rotation")) == set(role_assignments(4, 2))
    for strategy, role in itertools.product(range(3), range(3)):  # every strategy plays every role
        assert any(assignment[role] == strategy for assignment in rotations)


def test_a_three_party_tournament_plays_every_assignment(folder: Path) -> None:
    result = play(folder, "strategies: [boulware, hardliner]\nscenarios: [three-party-truce]\nrepetitions: 2\n")
    assert result.matches == 8
    assert {entry.seats for entry in result.ranking} == {8 * 2 * 3 // 2}


@pytest.mark.parametrize(
    "text, field, words",
    [
        ("strategies: [boulwar]\nscenarios: [domain.yaml]\n", "strategies[0]", "found 'boulwar': unknown strategy"),
        ("strategies: ['boulware:x=1']\nscenarios: [domain.yaml]\n", "strategies[0]", "has no parameter x"),
        ("strategies: [boulware, boulware]\nscenarios: [domain.yaml]\n", "strategies[1]", "expected each strategy once"),
        ("strategies: [boulware]\nscenarios: [domain.yaml]\nrepetitions: 0\n", "repetitions", "found 0; expected at least 1"),
        ("strategies: [boulware]\nscenarios: [missing.yaml]\n", "scenarios[0]", "found 'missing.yaml': no such file"),
        ("strategies: [spe]\nscenarios: [three-party-truce]\n", "strategies[0]", "expected two-party scenarios only"),
        ("strategies: [boulware]\nscenarios: [domain.yaml]\nassignments: each\n", "assignments", "expected 'all' or 'rotation'"),
        ("strategies: [boulware]\nscenarios: [domain.yaml]\nself_play: false\n", "self_play", "expected at least 2 strategies"),
        ("strategies: [boulware]\nscenario: [domain.yaml]\n", "scenario", "unknown field"),
    ],
)
def test_a_bad_spec_names_the_file_the_field_what_was_found_and_expected(folder: Path, text: str, field: str, words: str) -> None:
    with pytest.raises(SpecError) as caught:
        spec = parse_spec(text, "spec.yaml")
        resolve(spec, "spec.yaml", folder)
    message = str(caught.value)
    assert message.startswith("spec.yaml") and field in message and words in message, message


def test_run_reads_scenarios_relative_to_the_spec(folder: Path) -> None:
    (folder / "spec.yaml").write_text("strategies: [hardliner]\nscenarios: [domain.yaml]\nrepetitions: 1\n")
    result = run(folder / "spec.yaml")
    assert result.matches == 1 and result.ranking[0].figures["agreement"].mean == 0.0


def test_discounted_scores_are_each_outcome_at_the_round_it_ended(tmp_path: Path) -> None:
    """A GENIUS factor of 0.9 over the 20 rounds is 0.9^(1/20) a round: hard-liners never agree, so each
    gets 0.1 x 0.9 at the deadline (0.09, as ANAC scored no deal); a deal in round t is worth U 0.9^(t/20)."""
    per_round = 0.9 ** (1 / 20)
    (tmp_path / "domain.yaml").write_text(DOMAIN.replace("cost_of_delay: 0\n", f"cost_of_delay: 0\n    discount: {per_round!r}\n"))
    text = "strategies: [hardliner, conceder]\nscenarios: [domain.yaml]\nrepetitions: 4\nnoise: 0\n"
    plain, discounted = play(tmp_path, text), play(tmp_path, text + "discounted: true\n")
    assert not plain.discounted and discounted.discounted and discounted.to_dict()["discounted"] is True
    raw, seats = plain.seats_frame(), discounted.seats_frame()
    assert (raw["round"] == seats["round"]).all() and (raw["agreed"] == seats["agreed"]).all()  # scoring changes no play
    never = seats[~seats["agreed"]]
    assert len(never) == 8 and np.allclose(never["utility"], 0.09) and np.allclose(never["gain"], 0.0)
    deals = seats["agreed"]
    assert np.allclose(seats.loc[deals, "utility"], raw.loc[deals, "utility"] * 0.9 ** (seats.loc[deals, "round"] / 20))
    assert np.allclose(seats.loc[deals, "gain"], (raw.loc[deals, "utility"] - 0.1) * 0.9 ** (seats.loc[deals, "round"] / 20))
    assert np.allclose(seats["nash_distance"], raw["nash_distance"])  # the distance stays on undiscounted utilities
    assert discounted.ranking[0].figures["utility"].mean < plain.ranking[0].figures["utility"].mean
