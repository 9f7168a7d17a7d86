"""The flagship as a phased agreement: a pause with the hard issues deferred is worth signing to both
parties (hand-computed from the file's numbers), and the phased talks give figures in sensible ranges."""

from __future__ import annotations

import numpy as np
import pytest

from phased_cases import two_phase
from truce.report.html import Provenance, build_report
from truce.scenario import load
from truce.scenario.loading import validate
from truce.simulate import simulate_phases


def test_flagship_phases_follow_the_sources():
    scenario = load("gaza-ceasefire")
    pause, permanent = scenario.phases
    assert pause.issues == ["exchange", "aid"] and pause.term_days == 42 and "deal_2025" in pause.sources
    assert permanent.term_days is None and set(permanent.issues) == {"ceasefire", "crossings", "security", "withdrawal", "reconstruction"}
    assert all(scenario.issue(i).deferrable for i in permanent.issues)


def test_the_first_phase_of_2025_beats_no_deal_for_both_parties():
    """deal_2025's first phase (26-50 per captive, 600 trucks a day, the rest open), nominal numbers:
    each deferred issue is worth the no-deal value 0.6 (the default), so with S the sum of saliences

    Hamas  (S = 0.9+0.9+0.5+0.8+0.6+0.7+0.5 = 4.9): (3.5 x 0.6 + 0.8 x 0.6 + 0.6 x 1.0) / 4.9 = 0.6490
    Israel (S = 0.7+0.7+0.9+0.8+0.3+0.6+0.2 = 4.2): (3.1 x 0.6 + 0.8 x 0.6 + 0.3 x 0.7) / 4.2 = 0.6071

    both above 0.6: a pause the earlier model (every issue settled) could not express."""
    problem = load("gaza-ceasefire").compile()
    terms = {"exchange": "26-50 per captive", "aid": "600 trucks/day"}
    package = np.array([problem.option_labels[j].index(terms.get(issue, "deferred")) for j, issue in enumerate(problem.issue_ids)])
    utilities = problem.utilities(package)[0]
    np.testing.assert_allclose(utilities, [(3.5 * 0.6 + 0.8 * 0.6 + 0.6) / 4.9, (3.1 * 0.6 + 0.8 * 0.6 + 0.3 * 0.7) / 4.2])
    assert (utilities > problem.reservation).all()


def test_flagship_phased_talks():
    result = simulate_phases(load("gaza-ceasefire").compile(), runs=1500, seed=2)
    pause, permanent = result.phases
    assert 0.4 < pause.p_reached < 0.9  # measured 0.65 (10,000 runs, seed 0)
    assert permanent.p_reached <= pause.p_reached * permanent.p_signed_given_talks + 1e-12
    assert (permanent.talks == pause.reached).all()
    shares = pause.ended_by_shares()
    assert sum(shares.values()) == pytest.approx(1.0) and shares["expiry"] > 0  # some pauses reach day 42 without breaking down
    assert (pause.days_in_force[pause.reached] <= 42 + 1e-9).all()


def test_the_report_has_a_phases_section_that_opens_with_its_reading():
    scenario = validate(two_phase())
    problem = scenario.compile()
    phased = simulate_phases(problem, runs=200, seed=1, strategies="linear", noise=0.0)
    html = build_report(scenario, problem.analyze(), phased.first, provenance=Provenance(scenario_source="test", scenario_digest="x", options={}, command="truce report"), phases=phased)
    section = html[html.index('<section id="phases">'):]
    section = section[: section.index("</section>")]
    assert section.index('class="reading"') < section.index("<table")
    assert "phased agreement of 2 phases" in section and "42 days" in section and "open-ended" in section
