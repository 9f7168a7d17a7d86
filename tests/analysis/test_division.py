"""Adjusted Winner against published examples worked by hand, brute force and linear programming."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from truce.analysis.division import adjusted_winner
from truce.analysis.points_csv import PointsError, parse_points_csv, read_points_csv


def test_bob_and_carol_from_the_adjusted_winner_site():
    """Points of the Bob and Carol divorce (pages.nyu.edu/adjustedwinner/awProcedure.htm, the Adjusted
    Winner site of New York University). By hand: Carol wins the account and the cottage (65), Bob the
    home and "other" (40) and, trailing, the tied investments (50). Carol's ratios: account 50/40 = 1.25,
    cottage 15/10 = 1.5, so the account is split: x = (65 - 50) / (50 + 40) = 1/6 of it goes to Bob,
    and each has 50 + 40/6 = 56 2/3 points."""
    points = [[50, 40], [20, 30], [15, 10], [10, 10], [5, 10]]
    issues = ("Retirement account", "Home", "Summer cottage", "Investments", "Other")
    division = adjusted_winner(np.array(points), ("Carol", "Bob"), issues)
    assert division.winner.tolist() == [0, 1, 0, 1, 1]
    assert division.leader == 0
    assert division.split_issue == 0
    assert division.shares[0].tolist() == pytest.approx([5 / 6, 1 / 6])
    assert division.shares[1:].tolist() == [[0, 1], [1, 0], [0, 1], [0, 1]]
    assert division.totals.tolist() == pytest.approx([170 / 3, 170 / 3])
    assert division.other_share_points.tolist() == pytest.approx([130 / 3, 130 / 3])
    assert division.threshold == pytest.approx(1.25)
    assert division.equitable and division.envy_free and division.efficient


def test_trump_divorce_exercise():
    """The Trump divorce exercise of COMAP's *For All Practical Purposes* (as in the course notes at
    vdocuments.mx/the-a-djusted-winner.html): Donald 10, 40, 10, 38, 2 and Ivana 38, 20, 30, 10, 2 on
    the Connecticut estate, Palm Beach mansion, Trump Plaza apartment, Trump Tower triplex, cash and
    jewelry. By hand: Donald wins the mansion and triplex (78), Ivana the estate and apartment (68) and,
    trailing, the tied cash (70). Donald's ratios: mansion 40/20 = 2, triplex 38/10 = 3.8: the mansion
    is split, x = (78 - 70) / (40 + 20) = 2/15 of it to Ivana, each with 72 2/3 points."""
    points = np.array([[10, 38], [40, 20], [10, 30], [38, 10], [2, 2]])
    division = adjusted_winner(points, ("Donald", "Ivana"))
    assert division.winner.tolist() == [1, 0, 1, 0, 1]
    assert division.split_issue == 1
    assert division.shares[1].tolist() == pytest.approx([13 / 15, 2 / 15])
    assert division.totals.tolist() == pytest.approx([218 / 3, 218 / 3])


def test_no_adjustment_when_the_winner_phase_is_already_equal():
    division = adjusted_winner(np.array([[60, 40], [40, 60]]))
    assert division.leader is None and division.split_issue is None
    assert division.totals.tolist() == [60, 60]


def test_the_procedure_treats_both_parties_alike():
    points = np.array([[30, 10], [25, 35], [20, 20], [15, 5], [10, 30]])
    forward, swapped = adjusted_winner(points), adjusted_winner(points[:, ::-1])
    assert swapped.totals.tolist() == pytest.approx(forward.totals[::-1].tolist())
    np.testing.assert_allclose(swapped.shares, forward.shares[:, ::-1])


@st.composite
def allocations(draw, most_issues: int = 6):
    n = draw(st.integers(1, most_issues))
    columns = []
    for _ in range(2):
        cuts = sorted(draw(st.lists(st.integers(0, 100), min_size=n - 1, max_size=n - 1)))
        columns.append(np.diff([0, *cuts, 100]))
    return np.array(columns, dtype=float).T


def best_equitable_by_brute_force(points: np.ndarray) -> float:
    """The largest common number of points over every equitable division: each issue whole to one party
    or one issue split (an optimal vertex of the linear programme has at most one fractional share)."""
    a, b = points[:, 0], points[:, 1]
    best = -np.inf
    for owner in itertools.product((0, 1), repeat=len(points)):
        to_a = np.array(owner) == 0
        for split in [None, *range(len(points))]:
            whole = to_a.copy()
            if split is None:
                if abs(a[whole].sum() - b[~whole].sum()) < 1e-9:
                    best = max(best, a[whole].sum())
                continue
            rest = np.ones(len(points), dtype=bool)
            rest[split] = False
            fixed_a, fixed_b = a[whole & rest].sum(), b[~whole & rest].sum()
            if a[split] + b[split] == 0:
                continue
            share = (fixed_b + b[split] - fixed_a) / (a[split] + b[split])
            if -1e-12 <= share <= 1 + 1e-12:
                best = max(best, fixed_a + a[split] * share)
    return best


@settings(max_examples=150, deadline=None)
@given(allocations())
def test_equitable_envy_free_and_no_equitable_division_does_better(points):
    division = adjusted_winner(points)
    assert division.equitable and division.envy_free and division.efficient
    assert np.allclose(division.shares.sum(axis=1), 1) and (division.shares >= -1e-12).all()
    assert ((division.shares > 1e-12) & (division.shares < 1 - 1e-12)).any(axis=1).sum() <= 1
    assert division.totals[0] >= 50 - 1e-9
    assert division.totals[0] == pytest.approx(best_equitable_by_brute_force(points), abs=1e-7)


@settings(max_examples=100, deadline=None)
@given(allocations(most_issues=8))
def test_no_division_gives_one_party_more_without_the_other_less(points):
    """Efficiency by linear programming: the most the first party can get while the second keeps at
    least its Adjusted Winner points is what the first already has, and the same the other way."""
    division = adjusted_winner(points)
    a, b = points[:, 0], points[:, 1]
    for mine, theirs, keep in ((a, b, division.totals[1]), (b, a, division.totals[0])):
        # shares s of the issues for the party maximised; the other gets 1 - s
        best = linprog(-mine, A_ub=[theirs], b_ub=[theirs.sum() - keep], bounds=[(0, 1)] * len(a), method="highs")
        assert best.status == 0
        own = division.totals[0] if mine is a else division.totals[1]
        assert -best.fun <= own + 1e-7


def test_reader_reads_names_points_and_skips_comments(tmp_path):
    path = tmp_path / "points.csv"
    path.write_text("issue,A,B\n# source: a note\nLand,60,30\n\nWater, 40 ,70\n", encoding="utf-8")
    allocation = read_points_csv(path)
    assert allocation.party_names == ("A", "B")
    assert allocation.issue_names == ("Land", "Water")
    assert allocation.points.tolist() == [[60, 30], [40, 70]]


@pytest.mark.parametrize(
    "text, words",
    [
        ("", ["empty", "header"]),
        ("issue,A\nLand,100\n", ["row 1", "three columns"]),
        ("issue,A,A\nLand,100,100\n", ["row 1, column 3", "different names"]),
        ("issue,A,B\n", ["no issue rows"]),
        ("issue,A,B\nLand,100\n", ["row 2", "expected 3 columns"]),
        ("issue,A,B\nLand,50,x\nWater,50,100\n", ["row 2, column 3 (B)", "number of points >= 0", "'x'"]),
        ("issue,A,B\nLand,-5,50\nWater,105,50\n", ["row 2, column 2 (A)", ">= 0"]),
        ("issue,A,B\nLand,nan,50\nWater,100,50\n", ["row 2, column 2 (A)"]),
        ("issue,A,B\nLand,50,50\nLand,50,50\n", ["row 3, column 1", "already on row 2"]),
        ("issue,A,B\nLand,50,50\nWater,40,50\n", ["column 2 (A)", "add up to 90", "exactly 100"]),
    ],
)
def test_reader_errors_name_row_column_and_expectation(text, words):
    with pytest.raises(PointsError) as caught:
        parse_points_csv(text, source="p.csv")
    message = str(caught.value)
    assert message.startswith("p.csv")
    for word in words:
        assert word in message


def test_reader_refuses_missing_folders_and_non_utf8(tmp_path):
    with pytest.raises(PointsError, match="no such file"):
        read_points_csv(tmp_path / "missing.csv")
    with pytest.raises(PointsError, match="folder"):
        read_points_csv(tmp_path)
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"issue,A,B\nLand,\xff,100\n")
    with pytest.raises(PointsError, match="not UTF-8"):
        read_points_csv(bad)
