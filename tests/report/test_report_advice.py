"""The report's advice section: red lines without a zone, trades with one, and the failed runs' endings."""

from __future__ import annotations

from importlib import resources

import numpy as np

import truce
from truce.analysis.explain import explain
from truce.report.sections.advice import advice_section
from truce.simulate.results import SimulationResult


def test_without_a_zone_the_section_gives_the_drops_of_the_hand_worked_case(tmp_path):
    text = (resources.files("truce.scenario.builtin") / "two-issue-trade.yaml").read_text(encoding="utf-8")
    path = tmp_path / "blocked.yaml"
    path.write_text(text.replace("reservation: 0.3", "reservation: 0.85"), encoding="utf-8")
    problem = truce.load(str(path)).compile()
    section = advice_section(explain(problem), dict(zip(problem.party_ids, problem.party_names)))
    assert section.id == "advice"
    assert "fall by 0.100 in all" in section.reading and "North 0.050, South 0.050" in section.reading
    assert "more than 0.050" in section.reading
    assert "0.400" in "".join(section.body)  # either party alone must fall below 0.4


def test_with_a_zone_the_section_names_the_trade_and_why_runs_failed():
    problem = truce.load("two-issue-trade").compile()
    n = 4
    simulation = SimulationResult(
        protocol="alternating", strategies={}, seed=0, rounds_limit=10, party_ids=problem.party_ids, issue_ids=problem.issue_ids,
        issue_names=problem.issue_names, option_labels=problem.option_labels, agreed=np.array([True, True, False, False]),
        rounds=np.array([1, 2, 3, -1]), walked_away=np.array([False, False, True, False]), broke_down=np.zeros(n, dtype=bool),
        first_proposer=None, packages=np.zeros((n, 2), dtype=int), utilities=np.zeros((n, 2)), reservation=np.zeros((n, 2)), trust=np.ones((n, 2)),
    )
    section = advice_section(explain(problem), dict(zip(problem.party_ids, problem.party_names)), simulation)
    assert "crossings: partly open → open and patrols: limited → full" in section.reading
    assert "North +0.300, South +0.300" in section.reading
    # one walk-away and one deadline: the first listed of the equal largest is the walk-away, half the failures
    assert "50% ended because a party walked away" in section.reading


def test_the_text_on_the_table_and_the_division_of_the_hand_worked_trade():
    # two-issue-trade: the compromise is partly open / limited (0.5 each); changing both issues to each
    # party's favourite on the issue it cares about gives +0.3 each. Adjusted Winner on the stakes
    # (North 80/20, South 20/80) gives each the issue it cares about: 80 points each.
    from truce.report.sections.text_on_table import advice_results, division_section, text_section

    problem = truce.load("two-issue-trade").compile()
    names = dict(zip(problem.party_ids, problem.party_names))
    results = advice_results(problem)
    section = text_section(*results["text_advice"][:1], names, results["text_advice"][1])
    assert section.id == "text-on-table"
    assert "The text gives North 0.500, South 0.500." in section.reading
    assert "changes 2 issues: crossings: partly open → open; patrols: limited → full (North +0.300, South +0.300)" in section.reading
    division = division_section(results["division"], names)
    assert "gives North its way on Border crossings and South on Border patrols" in division.reading
    assert "North 0.800 (no deal 0.300), South 0.800 (no deal 0.300)" in division.reading
    assert "no better off" not in division.reading


def test_the_report_has_the_text_and_division_sections_after_the_advice_and_only_division_for_two_parties():
    from truce.report.html import render_report

    html = render_report("two-issue-trade", runs=50, seed=0, engines=False)
    order = [html.index(f'id="{name}"') for name in ("advice", "text-on-table", "division")]
    assert order == sorted(order)
    three = render_report("three-party-truce", runs=50, seed=0, engines=False)
    assert 'id="text-on-table"' in three and 'id="division"' not in three
