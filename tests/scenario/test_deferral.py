"""Deferrable issues: one more option, 'deferred', checked against brute force and a hand-worked pause."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from truce.scenario.loading import ScenarioError, validate


def _party(pid, reservation, stances):
    return {"id": pid, "name": pid.title(), "role": "party", "reservation": reservation, "stances": stances}


def pause_scenario(deferrable: bool) -> dict:
    """Hand-worked: both parties want the pause (value 1); the hard issue has no compromise (1 to one
    side, 0 to the other); equal saliences, no deal worth 0.55 to each.

    Full packages with the pause give (1.0, 0.5) or (0.5, 1.0): one party is below 0.55 in each, so
    every full package is refused. Deferring the hard issue (worth the default, the no-deal value
    0.55) gives 0.5 * 1 + 0.5 * 0.55 = 0.775 to both: acceptable to both.
    """
    hard = {"id": "hard", "name": "Hard issue", "kind": "ordered", "options": ["first", "second"], "deferrable": deferrable}
    pause = {"id": "pause", "name": "Pause", "kind": "ordered", "options": ["none", "pause"]}
    return {
        "name": "pause with the hard issue deferred",
        "actors": [
            _party("one", 0.55, {"pause": {"position": "pause", "salience": 1}, "hard": {"position": "first", "salience": 1}}),
            _party("two", 0.55, {"pause": {"position": "pause", "salience": 1}, "hard": {"position": "second", "salience": 1}}),
        ],
        "issues": [pause, hard],
    }


def test_pause_with_hard_issue_deferred_is_the_only_acceptable_package():
    without = validate(pause_scenario(False)).compile()
    assert not without.zopa().exists and without.zopa().count == 0
    assert without.nash_point() is None

    problem = validate(pause_scenario(True)).compile()
    assert problem.option_labels[1] == ("first", "second", "deferred")
    zopa = problem.zopa()
    assert zopa.exists and zopa.count == 1
    nash = problem.nash_point()
    assert nash.terms == {"Pause": "pause", "Hard issue": "deferred"}
    np.testing.assert_allclose(nash.utilities, [0.775, 0.775])


def _random_scenario(rng: np.random.Generator) -> dict:
    parties = int(rng.integers(2, 4))
    issues = []
    for j in range(3):
        issue = {"id": f"i{j}", "name": f"Issue {j}", "kind": "categorical", "options": [f"o{k}" for k in range(int(rng.integers(2, 5)))]}
        issue["deferrable"] = bool(rng.random() < 0.7)
        issues.append(issue)
    actors = []
    for p in range(parties):
        stances = {}
        for issue in issues:
            values = {option: float(np.round(rng.random(), 2)) for option in issue["options"]}
            best = max(values, key=values.get)
            stance = {"position": best, "salience": float(np.round(rng.uniform(0.1, 1), 2)), "values": values}
            if issue["deferrable"] and rng.random() < 0.6:
                stance["deferred"] = float(np.round(rng.random(), 2))
            stances[issue["id"]] = stance
        actors.append(_party(f"p{p}", float(np.round(rng.uniform(0.2, 0.6), 2)), stances))
    return {"name": "random", "actors": actors, "issues": issues}


def _brute_force(data: dict) -> tuple[np.ndarray, np.ndarray]:
    """Every package's utilities computed straight from the scenario data (not the compiled arrays)."""
    issues = data["issues"]
    choices = [issue["options"] + (["deferred"] if issue["deferrable"] else []) for issue in issues]
    rows = []
    for package in itertools.product(*choices):
        row = []
        for actor in data["actors"]:
            total_salience = sum(actor["stances"][i["id"]]["salience"] for i in issues)
            utility = 0.0
            for issue, option in zip(issues, package):
                stance = actor["stances"][issue["id"]]
                value = stance.get("deferred", actor["reservation"]) if option == "deferred" else stance["values"][option]
                utility += stance["salience"] / total_salience * value
            row.append(utility)
        rows.append(row)
    utilities = np.array(rows)
    reservation = np.array([actor["reservation"] for actor in data["actors"]])
    return utilities, reservation


@pytest.mark.parametrize("seed", range(12))
def test_frontier_and_zopa_with_deferral_match_brute_force(seed):
    data = _random_scenario(np.random.default_rng(seed))
    problem = validate(data).compile()
    utilities, reservation = _brute_force(data)
    assert problem.n_outcomes == len(utilities)
    dominated = ((utilities[None, :, :] >= utilities[:, None, :] - 1e-12).all(axis=2) & (utilities[None, :, :] > utilities[:, None, :] + 1e-12).any(axis=2)).any(axis=1)
    expected = {tuple(row) for row in np.round(utilities[~dominated], 9)}
    found = {tuple(row) for row in np.round(problem.pareto().utilities, 9)}
    assert found == expected
    acceptable = (utilities > reservation + 1e-9).all(axis=1).sum()
    assert problem.zopa().count == acceptable


def test_deferred_option_simulates_and_is_labelled():
    problem = validate(pause_scenario(True)).compile()
    result = problem.simulate(runs=50, seed=1, noise=0.0, strategies="boulware")
    assert result.agreement_rate > 0.9
    terms, _ = result.most_common_package()
    assert terms == {"Pause": "pause", "Hard issue": "deferred"}


@pytest.mark.parametrize(
    ("change", "path", "expected"),
    [
        (lambda d: d["actors"][0]["stances"]["hard"].update(deferred=1.5), "actors[0].stances.hard.deferred", "expected a value in [0, 1]"),
        (lambda d: d["actors"][1]["stances"]["pause"].update(deferred=0.3), "actors[1].stances.pause.deferred", "not deferrable"),
    ],
)
def test_bad_deferral_values_name_the_field(change, path, expected):
    data = pause_scenario(True)
    change(data)
    with pytest.raises(ScenarioError) as error:
        validate(data, source="pause.yaml")
    message = str(error.value)
    assert "pause.yaml" in message and path in message and expected in message
