"""Adjusted Winner on a scenario's stakes (truce.analysis.stake_division), against hand-worked cases."""

from __future__ import annotations

import numpy as np
import pytest

from truce.analysis.stake_division import divide_scenario, stake_points
from truce.errors import InputError
from truce.scenario import load, validate


def _split_case() -> dict:
    """North cares 0.7 about aid, 0.3 about crossings; South 0.4 and 0.6; opposed positions on both."""
    party = lambda id, crossings, aid, c_sal, a_sal: {  # noqa: E731
        "id": id, "name": id.title(), "role": "party", "reservation": 0.2,
        "stances": {"crossings": {"position": crossings, "salience": c_sal}, "aid": {"position": aid, "salience": a_sal}},
    }
    return {
        "truce": 1,
        "name": "split by hand",
        "actors": [party("north", "open", 110, 0.3, 0.7), party("south", "closed", 0, 0.6, 0.4)],
        "issues": [
            {"id": "crossings", "name": "Crossings", "kind": "ordered", "options": ["closed", "partly open", "open"]},
            {"id": "aid", "name": "Aid", "kind": "numeric", "range": [0, 110], "step": 10},
        ],
    }


def test_two_issue_trade_each_party_wins_the_issue_it_cares_about():
    # North 80/20 points on crossings/patrols, South 20/80: each wins 80 of its points, nothing is split
    result = divide_scenario(load("two-issue-trade").compile())
    assert result.division.points == pytest.approx(np.array([[80, 20], [20, 80]]))
    assert result.division.split_issue is None
    assert result.terms() == {"crossings": "open", "patrols": "full"}
    assert result.utilities == pytest.approx([0.8, 0.8])


def test_the_split_issue_lands_on_the_share_adjusted_winner_gives():
    # points: North crossings 30, aid 70; South 60, 40. Winner phase: aid to North (70), crossings to
    # South (60); North leads, so aid is split: x = (70 - 60) / (70 + 40) = 1/11 of it to South.
    # North keeps 10/11 of its stake in aid: aid = 100 of 0..110 (North's value 100/110);
    # crossings at South's best, closed. Both get 700/11 = 63.64 points, and the utilities are equal.
    problem = validate(_split_case()).compile()
    points = stake_points(problem)
    assert points == pytest.approx(np.array([[30, 60], [70, 40]]))
    result = divide_scenario(problem)
    division = result.division
    assert division.split_issue == 1 and division.shares[1] == pytest.approx([10 / 11, 1 / 11])
    assert division.totals == pytest.approx([700 / 11, 700 / 11])
    assert result.terms() == {"crossings": "closed", "aid": "100"}
    assert result.utilities == pytest.approx([0.7 * 100 / 110, 0.6 + 0.4 * 10 / 110])
    assert result.utilities[0] == pytest.approx(result.utilities[1])
    data = result.to_dict()
    assert data["split_issue"] == "Aid" and data["package"]["crossings"] == "closed"


def test_a_whole_win_goes_to_the_winners_best_option_and_ties_to_the_others_better():
    case = _split_case()
    # South also likes 'open' most as far as it cares (a values table): its best for North is best for both
    case["actors"][1]["stances"]["crossings"] = {"position": "open", "salience": 0.6, "values": {"closed": 1.0, "partly open": 0.0, "open": 1.0}}
    result = divide_scenario(validate(case).compile())
    crossings = result.terms()["crossings"]
    # South wins crossings whole: its best options are closed and open (value 1 both); North values open more
    assert result.division.shares[0, 1] == pytest.approx(1.0)
    assert crossings == "open"


def test_more_than_two_parties_is_refused():
    with pytest.raises(InputError, match="expected exactly 2"):
        divide_scenario(load("three-party-truce").compile())
