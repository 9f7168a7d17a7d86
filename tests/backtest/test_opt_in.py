"""Durability is opt-in: a negotiation that is not a ceasefire gets P(deal) rankings and no survival section."""

from __future__ import annotations

import pytest

from truce.mediation.whatif import what_if
from truce.scenario import ScenarioError, validate

LABOUR = {
    "name": "wage talks",
    "rounds": 10,
    "actors": [
        {"id": "union", "name": "Union", "reservation": 0.55, "stances": {"wage": {"position": "high", "salience": 1}}},
        {"id": "firm", "name": "Firm", "reservation": 0.55, "stances": {"wage": {"position": "low", "salience": 1}}},
        {"id": "board", "name": "Board", "role": "mediator", "stances": {"wage": {"position": "mid", "salience": 0.5}}},
    ],
    "issues": [{"id": "wage", "name": "Wage rise", "kind": "ordered", "options": ["low", "mid", "high"]}],
    "levers": [{"id": "push", "by": "board", "kind": "pressure", "reservation_drop": 0.3, "active": False}],
}


def test_whatif_ranks_by_p_deal_where_durability_does_not_apply():
    result = what_if(validate(LABOUR).compile(), runs=300, seed=1, strategies="linear")
    assert result.ranked_by == "p_deal"
    assert result.baseline.p_lasting is None and all(v.delta_lasting is None for v in result.variants)
    assert result.best is not None and result.best.delta_deal.mean > 0
    assert result.to_dict()["ranked_by"] == "p_deal"


def test_declared_ceasefire_ranks_by_lasting_deal():
    result = what_if(validate({**LABOUR, "kind": "ceasefire"}).compile(), runs=300, seed=1, strategies="linear")
    assert result.ranked_by == "p_lasting_deal" and result.baseline.p_lasting is not None


def test_report_leaves_durability_out_and_says_why():
    from truce.report.html import render_report

    page = render_report(validate(LABOUR), runs=200, seed=1)
    assert "does not declare a ceasefire" in page
    assert "figure-durability" not in page


def test_a_source_dated_after_the_scenario_is_rejected():
    sources = [{"id": "early", "title": "Before", "date": "2012-11-01"}, {"id": "late", "title": "After", "date": "2012-11-22"}]
    with pytest.raises(ScenarioError) as caught:
        validate({**LABOUR, "date": "2012-11-20", "sources": sources}, source="talks.yaml")
    message = str(caught.value)
    assert "talks.yaml" in message and "sources[1].date" in message and "after the scenario's date 2012-11-20" in message
    assert validate({**LABOUR, "date": "2012-11-22", "sources": sources}).date.isoformat() == "2012-11-22"
