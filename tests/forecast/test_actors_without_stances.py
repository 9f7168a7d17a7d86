"""A mediator or stakeholder with no stances (the how-to's valley-levers.yaml) is left out of the
forecast, by id, and the forecast and the report say so (issue 17: they used to fail with "actor 2
has zero salience on every dimension", an index)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from truce import load
from truce.errors import InputError
from truce.scenario import validate

HOW_TO = Path(__file__).resolve().parents[2] / "docs" / "how-to" / "mediator-levers.md"


@pytest.fixture(scope="module")
def valley(tmp_path_factory) -> Path:
    """valley-levers.yaml exactly as the how-to on mediator levers tells the reader to save it."""
    text = HOW_TO.read_text()
    block = re.search(r"Save it as\s+`valley-levers.yaml`:\s+```yaml\n(.*?)```", text, re.S).group(1)
    path = tmp_path_factory.mktemp("valley") / "valley-levers.yaml"
    path.write_text(block)
    return path


@pytest.mark.parametrize("model", ["compromise", "smp", "expected_utility"])
def test_actors_without_stances_are_left_out_by_id(valley, model):
    result = load(valley).compile().forecast(model)
    assert result.left_out_actors == ("neighbour", "donor")
    assert result.actor_ids == ("upland", "lowland")
    assert result.to_dict()["left_out_actors"] == ["neighbour", "donor"]


def test_the_compromise_is_the_two_parties_weighted_mean(valley):
    """Aid: Upland at 400 with salience 0.6, Lowland at 100 with 0.3, capabilities 1:
    (400 x 0.6 + 100 x 0.3) / 0.9 = 300 trucks/day."""
    result = load(valley).compile().forecast("compromise")
    aid = result.issue_ids.index("aid")
    assert float(result.to_issue_scale(result.forecast[-1, aid], aid)) == pytest.approx(300.0)


def test_the_report_keeps_its_forecast_and_says_who_is_left_out(valley):
    from truce.report.html import render_report

    html = render_report(str(valley), runs=100, seed=1, engines=True)
    assert 'id="forecast"' in html
    assert "Left out of the forecast, with no stance on any ordered or numeric issue: neighbour and donor." in html


def test_fewer_than_two_actors_with_stances_is_an_input_error_naming_them():
    scenario = {
        "name": "one voice",
        "actors": [
            {"id": "a", "name": "A", "stances": {"x": {"position": "low", "salience": 1}, "c": {"position": "p", "salience": 1}}},
            {"id": "b", "name": "B", "stances": {"c": {"position": "q", "salience": 1}}},
        ],
        "issues": [
            {"id": "x", "name": "X", "kind": "ordered", "options": ["low", "high"]},
            {"id": "c", "name": "C", "kind": "categorical", "options": ["p", "q"]},
        ],
    }
    with pytest.raises(InputError, match=r"actors: found 1 with a stance on an ordered or numeric issue \(a; without one: b\)"):
        validate(scenario).compile().forecast("smp")


def test_the_page_forecast_lists_the_actors_left_out(valley):
    pytest.importorskip("fastapi")
    import yaml
    from fastapi.testclient import TestClient

    from truce.web.app import create_app

    with TestClient(create_app()) as client:
        answer = client.post("/api/forecast", json={"scenario": yaml.safe_load(valley.read_text()), "model": "compromise"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["forecast"]["left_out_actors"] == ["neighbour", "donor"]
