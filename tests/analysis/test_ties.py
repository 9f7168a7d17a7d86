"""Ties between solution packages are said, not hidden (issue 17): packages a concept scores the same,
and packages worth exactly the same to every party, worked by hand on two-package spaces."""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parents[1] / "fuzz"))
from fuzz_cli import run_cli  # noqa: E402

from truce.scenario import load  # noqa: E402


def two_parties(values_north: dict, values_south: dict, issues: list[dict]) -> dict:
    def stance(values):  # the position is an option of highest value, as the loader requires
        return {issue["id"]: {"position": max(values[issue["id"]], key=values[issue["id"]].get), "salience": 1 / len(issues), "values": values[issue["id"]]}
                for issue in issues}

    return {
        "truce": 1, "name": "Ties (teaching)",
        "actors": [
            {"id": "north", "name": "North", "reservation": 0.1, "stances": stance(values_north)},
            {"id": "south", "name": "South", "reservation": 0.1, "stances": stance(values_south)},
        ],
        "issues": issues,
    }


def write(tmp_path, data) -> str:
    path = tmp_path / "ties.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return str(path)


def test_two_mirror_packages_tie_under_every_concept(tmp_path):
    # one issue, two options: p gives (0.6, 0.4), q gives (0.4, 0.6). Every concept scores them the same
    # (sums 1 and 1, products of gains 0.5 x 0.3 both, smallest gains 0.3 both), so does the tie-break.
    issue = {"id": "x", "name": "X", "kind": "categorical", "options": ["p", "q"]}
    path = write(tmp_path, two_parties({"x": {"p": 0.6, "q": 0.4}}, {"x": {"p": 0.4, "q": 0.6}}, [issue]))
    analysis = load(path).compile().analyze()
    for solution in analysis.solutions:
        assert solution.terms == {"X": "p"}  # the first in frontier order
        assert solution.tied == ({"X": "q"},), solution.name
        assert solution.same_utilities == 1
    code, out, err = run_cli(["analyze", path])
    assert code == 0, err
    assert "Tie (Nash, Kalai-Smorodinsky, Egalitarian, Utilitarian): 1 other package scores the same" in " ".join(out.split())
    assert "Also tied: (X: q)" in " ".join(out.split())


def test_packages_worth_the_same_to_everyone_are_counted(tmp_path):
    # two issues each worth the same to both: (low, high) and (high, low) give (0.5, 0.5) to both parties
    issues = [{"id": "water", "name": "Water", "kind": "ordered", "options": ["low", "high"]},
              {"id": "land", "name": "Land", "kind": "ordered", "options": ["low", "high"]}]
    north = {"water": {"low": 0.0, "high": 1.0}, "land": {"low": 0.0, "high": 1.0}}
    south = {"water": {"low": 1.0, "high": 0.0}, "land": {"low": 1.0, "high": 0.0}}
    analysis = load(write(tmp_path, two_parties(north, south, issues))).compile().analyze()
    nash = analysis.solution("Nash")
    assert nash.same_utilities == 2 and nash.tied == ()
    assert nash.to_dict()["same_utilities"] == 2 and nash.to_dict()["tied"] == []


def test_no_tie_is_said_where_there_is_none():
    analysis = load("two-issue-trade").compile().analyze()
    assert all(solution.tied == () and solution.same_utilities == 1 for solution in analysis.solutions)
    code, out, _ = run_cli(["analyze", "two-issue-trade"])
    assert code == 0 and "Tie" not in out
