"""Red lines on single issues: the agreement space within them, against brute force."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import truce.scenario
from conftest import all_packages, brute_force_frontier, problems
from truce.analysis.explain import explain
from truce.analysis.improve import improve
from truce.analysis.red_line_moves import red_line_blockage
from truce.analysis.red_lines import crosses
from truce.analysis.solutions import GAIN_TOLERANCE


@st.composite
def with_red_lines(draw, share: float = 0.3, **sizes):
    """A random problem whose parties each rule out some options (about ``share`` of them)."""
    problem = draw(problems(**sizes))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    ruled_out = tuple(rng.random((k, problem.n_parties)) < share for k in problem.n_options)
    return dataclasses.replace(problem, ruled_out=ruled_out)


def inside(problem) -> np.ndarray:
    packages = all_packages(problem)
    return packages[~crosses(packages, problem.ruled_out)]


@settings(max_examples=120, deadline=None)
@given(with_red_lines(grid=None) | with_red_lines(grid=4))
def test_frontier_within_red_lines_is_the_brute_force_one(problem):
    packages = inside(problem)
    frontier = problem.pareto()
    assert not crosses(frontier.packages, problem.ruled_out).any() if len(frontier.packages) else True
    if not len(packages):
        assert len(frontier.packages) == 0
        return
    expected = brute_force_frontier(problem.utilities(packages))
    assert {tuple(np.round(u, 9)) for u in frontier.utilities} == expected
    assert np.allclose(problem.utilities(frontier.packages), frontier.utilities)
    assert int(frontier.multiplicity.sum()) == sum(
        int((np.round(problem.utilities(packages), 9) == np.array(u)).all(axis=1).sum()) for u in expected
    )


@settings(max_examples=120, deadline=None)
@given(with_red_lines(grid=None) | with_red_lines(grid=4))
def test_zone_counts_only_packages_within_red_lines(problem):
    packages = inside(problem)
    gains = problem.utilities(packages) - problem.reservation if len(packages) else np.zeros((0, problem.n_parties))
    expected = int((gains > GAIN_TOLERANCE).all(axis=1).sum())
    zopa = problem.zopa()
    assert zopa.count == expected and zopa.exists == (expected > 0)
    nash = problem.nash_point()
    assert (nash is None) == (expected == 0)
    if nash is not None:
        assert not crosses(nash.package, problem.ruled_out).any()


@settings(max_examples=120, deadline=None)
@given(with_red_lines(share=0.25, max_issues=4), st.integers(1, 3), st.integers(0, 2**32 - 1))
def test_improvements_keep_within_red_lines_as_brute_force_does(problem, k, seed):
    """The small-change search and the efficient improvements against every package within the red
    lines that improves on a random draft (which may itself cross a red line)."""
    rng = np.random.default_rng(seed)
    draft = np.array([rng.integers(0, n) for n in problem.n_options])
    packages = inside(problem)
    difference = problem.utilities(packages) - problem.utilities(draft)[0] if len(packages) else np.zeros((0, problem.n_parties))
    better = (difference >= -GAIN_TOLERANCE).all(axis=1) & (difference > GAIN_TOLERANCE).any(axis=1)
    improving = packages[better]
    result = improve(problem, draft, max_changes=k)
    found = {tuple(i.package.tolist()) for i in result.small}
    assert found == {tuple(p) for p in improving[(improving != draft).sum(axis=1) <= min(k, problem.n_issues)].tolist()}
    utilities = problem.utilities(improving) if len(improving) else np.zeros((0, problem.n_parties))
    undominated = {
        tuple(np.round(u, 9)) for u in utilities if not ((utilities >= u - 1e-12).all(axis=1) & (utilities > u + 1e-12).any(axis=1)).any()
    }
    assert {tuple(np.round(i.utilities, 9)) for i in result.efficient} == undominated
    assert set(result.draft_crosses) == {(p, j) for j in range(problem.n_issues) for p in range(problem.n_parties) if problem.ruled_out[j][draft[j], p]}


@settings(max_examples=25, deadline=None)
@given(with_red_lines(share=0.25, max_issues=3, max_options=3), st.sampled_from(["alternating", "single-text"]))
def test_no_simulated_deal_crosses_a_red_line(problem, protocol):
    """Offers and texts come from packages within every red line, so no party ever accepts one that
    crosses its own; with no package left at all, the parties walk away in the first round."""
    result = problem.simulate(runs=40, seed=3, rounds=8, protocol=protocol)
    deals = result.packages[result.agreed]
    assert not crosses(deals, problem.ruled_out).any() if len(deals) else True
    if not len(inside(problem)):
        assert result.walked_away.all() and (result.rounds == 0).all()


def brute_force_change(problem, movable):
    """The least (stances moved, options admitted) over every package every party prefers to no deal
    that keeps within the red lines of the other parties; None when there is none."""
    packages = all_packages(problem)
    steps = np.stack([problem.ruled_out[j][packages[:, j]] for j in range(problem.n_issues)], axis=1).astype(int)  # (m, issues, parties)
    fixed = [p for p in range(problem.n_parties) if p not in movable]
    keep = (steps[:, :, fixed] == 0).all(axis=(1, 2)) & ((problem.utilities(packages) - problem.reservation) > GAIN_TOLERANCE).all(axis=1)
    if not keep.any():
        return None
    moved = steps[keep][:, :, movable]
    return min(zip((moved > 0).sum(axis=(1, 2)).tolist(), moved.sum(axis=(1, 2)).tolist()))


@st.composite
def steps_of_red_lines(draw, **sizes):
    """Random red lines with step counts (1 to 3) as bounds give them."""
    problem = draw(problems(**sizes))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    ruled_out = tuple((rng.random((k, problem.n_parties)) < 0.35) * rng.integers(1, 4, (k, problem.n_parties)) for k in problem.n_options)
    return dataclasses.replace(problem, ruled_out=ruled_out)


@settings(max_examples=150, deadline=None)
@given(steps_of_red_lines(max_issues=3) | steps_of_red_lines(max_issues=4, grid=4))
def test_smallest_change_of_red_lines_is_the_brute_force_least(problem):
    result = red_line_blockage(problem.weighted_values, problem.reservation, problem.ruled_out)
    for change, movable in [*((c, [p]) for p, c in enumerate(result.alone)), (result.joint, list(range(problem.n_parties)))]:
        expected = brute_force_change(problem, movable)
        if expected is None:
            assert change.package is None
            continue
        assert (change.stances, change.steps) == expected
        package = change.package
        assert ((problem.utilities(package)[0] - problem.reservation) > GAIN_TOLERANCE).all()
        fixed = [p for p in range(problem.n_parties) if p not in movable]
        assert all(problem.ruled_out[j][package[j], p] == 0 for j in range(problem.n_issues) for p in fixed)
        assert {(m.party, m.issue) for m in change.moves} == {
            (p, j) for j in range(problem.n_issues) for p in movable if problem.ruled_out[j][package[j], p]
        }


TRADE_WITH_RED_LINES = """
truce: 1
name: two-issue trade with red lines
actors:
  - id: north
    name: North
    reservation: {reservation}
    stances:
      crossings: {{position: open, salience: 0.8}}
      patrols: {{position: none, salience: 0.2, red_line: {{at_most: limited}}}}
  - id: south
    name: South
    reservation: {reservation}
    stances:
      crossings: {{position: closed, salience: 0.2}}
      patrols: {{position: full, salience: 0.8, red_line: {{at_least: {south_least}}}}}
issues:
  - {{id: crossings, name: Border crossings, kind: ordered, options: [closed, partly open, open]}}
  - {{id: patrols, name: Border patrols, kind: ordered, options: [none, limited, full]}}
"""


def test_two_issue_trade_with_red_lines_by_hand():
    """two-issue-trade's values (North: crossings 0, 0.5, 1 at weight 0.8, patrols 1, 0.5, 0 at 0.2; South
    the reverse) with North at most 'limited' patrols and South at least 'full': no patrols option is left,
    so no package at all. North accepting full (one option) opens (open, full), 0.8 each; South accepting
    limited (one option) opens (open, limited), North 0.9 and South 0.4 > 0.3. Jointly both cost one option;
    (open, full) has the larger Nash product (0.5 x 0.5 against 0.6 x 0.1). With South at least 'limited'
    and no-deal values 0.55, the packages within the red lines have patrols none or limited, where South
    gets at most 0.2 + 0.4 = 0.6 and North then 0.1: no zone; only North's red line can move (South's
    alone leaves patrols at most limited), and the no-deal values, red lines kept, must fall by 0.05 each
    on (partly open, limited)."""
    problem = truce.scenario.validate(yaml.safe_load(TRADE_WITH_RED_LINES.format(reservation=0.3, south_least="full"))).compile()
    explanation = explain(problem)
    assert not explanation.zopa and explanation.blockage is None and explanation.joint_gains is None
    north, south = explanation.red_lines.alone
    assert problem.describe(north.package) == "Border crossings: open; Border patrols: full" and north.utilities.tolist() == pytest.approx([0.8, 0.8])
    assert [(m.party, m.issue, m.option, m.steps) for m in north.moves] == [(0, 1, 2, 1)]
    assert problem.describe(south.package) == "Border crossings: open; Border patrols: limited" and south.utilities.tolist() == pytest.approx([0.9, 0.4])
    joint = explanation.red_lines.joint
    assert (joint.stances, joint.steps) == (1, 1) and joint.package.tolist() == [2, 2]
    assert explanation.to_dict()["red_lines"]["joint"]["moves"] == [{"party": "north", "issue": "patrols", "accept": "full", "options_admitted": 1}]

    tight = truce.scenario.validate(yaml.safe_load(TRADE_WITH_RED_LINES.format(reservation=0.55, south_least="limited"))).compile()
    explanation = explain(tight)
    north, south = explanation.red_lines.alone
    assert north.package.tolist() == [2, 2] and south.package is None
    assert explanation.blockage.joint_drops.tolist() == pytest.approx([0.05, 0.05])
    assert explanation.blockage.joint_package.tolist() == [1, 1]


@settings(max_examples=60, deadline=None)
@given(steps_of_red_lines(max_issues=3))
def test_explain_keeps_within_red_lines(problem):
    """With a zone, the compromise and every trade keep within the red lines; without one, the red-line
    part is there exactly when the problem has red lines, and the no-deal part exactly when some package
    keeps within them."""
    explanation = explain(problem)
    within = len(inside(problem)) > 0
    if explanation.zopa:
        gains = explanation.joint_gains
        assert not crosses(gains.compromise, problem.ruled_out).any()
        for trade in gains.trades:
            assert not crosses(trade.package, problem.ruled_out).any()
    else:
        assert (explanation.red_lines is not None) == any(t.any() for t in problem.ruled_out)
        assert (explanation.blockage is not None) == within
    explanation.to_dict()


@settings(max_examples=120, deadline=None)
@given(with_red_lines(share=0.2, max_issues=4, grid=2) | with_red_lines(share=0.0, max_issues=4, grid=2), st.integers(0, 2**32 - 1))
def test_each_efficient_improvement_is_one_with_the_fewest_changes(problem, seed):
    """Coarse values make many packages share a frontier point: the one shown changes as few issues as
    any package within the red lines with the same utilities, and its ties are the others that do."""
    rng = np.random.default_rng(seed)
    draft = np.array([rng.integers(0, n) for n in problem.n_options])
    packages = inside(problem)
    if not len(packages):
        return
    keys = np.round(problem.utilities(packages), 9)
    changes = (packages != draft).sum(axis=1)
    for improvement in improve(problem, draft, max_changes=1).efficient:
        same = (keys == np.round(improvement.utilities, 9)).all(axis=1)
        fewest = changes[same].min()
        assert len(improvement.changes) == fewest
        assert improvement.ties == int((changes[same] == fewest).sum()) - 1
        assert np.allclose(problem.utilities(improvement.package)[0], improvement.utilities)


def test_adjusted_winner_on_stakes_settles_issues_within_red_lines():
    """two-issue-trade's stakes are 80 and 20 for each party (crossings to North, patrols to South), so
    Adjusted Winner gives each party its issue whole: (open, full). North's red line rules out full
    patrols, so the package settles patrols at the option South values most among those North accepts,
    'limited'; the points are the stakes', unchanged."""
    from truce.analysis.stake_division import divide_scenario

    problem = truce.scenario.validate(yaml.safe_load(TRADE_WITH_RED_LINES.format(reservation=0.3, south_least="limited"))).compile()
    result = divide_scenario(problem)
    assert result.division.totals.tolist() == pytest.approx([80.0, 80.0])
    assert result.package.tolist() == [2, 1]
    assert not crosses(result.package, problem.ruled_out).any()
    assert result.utilities.tolist() == pytest.approx([0.9, 0.4])
