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
