"""The web API takes ``first_proposer`` as the CLI's ``--first-proposer`` does (issue 17): random per
run (the default), alternate across runs, or one party; anything else is refused before any work
with the field's path."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient  # noqa: E402

from test_web_api import paths, wait_for  # noqa: E402
from truce import load  # noqa: E402
from truce.web.app import create_app  # noqa: E402


@pytest.fixture(autouse=True)
def _no_token_from_the_environment(monkeypatch):
    monkeypatch.delenv("TRUCE_TOKEN", raising=False)


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app()) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def trade() -> dict:
    return load("two-issue-trade").model_dump(mode="json", exclude_none=True)


def simulation(client, body: dict) -> dict:
    response = client.post("/api/simulate", json=body)
    assert response.status_code == 202, response.text
    job = wait_for(client, response.json()["id"])
    assert job["status"] == "done", job["error"]
    return job["result"]["simulation"]


def test_one_party_proposes_first_in_every_run_and_alternate_takes_turns(client, trade):
    parties = [party["id"] for party in trade["actors"] if party.get("role", "party") == "party"]
    assert len(parties) == 2
    for party in parties:
        played = simulation(client, {"scenario": trade, "runs": 40, "seed": 5, "first_proposer": party})
        assert played["first_proposer"] == [party] * 40
        assert played["first_proposer_shares"] == {parties[0]: float(party == parties[0]), parties[1]: float(party == parties[1])}
    alternating = simulation(client, {"scenario": trade, "runs": 6, "seed": 5, "first_proposer": "alternate"})
    assert alternating["first_proposer"] == [parties[0], parties[1]] * 3
    drawn = simulation(client, {"scenario": trade, "runs": 40, "seed": 5})["first_proposer"]
    assert set(drawn) == set(parties)  # random per run by default: both parties start some runs (P(one only) = 2^-39)


def test_the_job_plays_what_the_python_api_plays_with_the_same_first_proposer(client, trade):
    problem = load("two-issue-trade").compile()
    direct = problem.simulate(runs=60, seed=9, first_proposer="south")
    played = simulation(client, {"scenario": trade, "runs": 60, "seed": 9, "first_proposer": "south"})
    expected = direct.to_dict()
    for key in ("first_proposer", "first_proposer_shares", "agreement_rate", "rounds_histogram", "option_shares"):
        assert played[key] == expected[key], key


@pytest.mark.parametrize("route", ["/api/simulate", "/api/durability", "/api/whatif", "/api/report"])
def test_an_unknown_first_proposer_is_refused_with_its_path(client, trade, route):
    response = client.post(route, json={"scenario": trade, "runs": 10, "first_proposer": "east"})
    assert response.status_code == 422, response.text
    assert paths(response) == ["first_proposer"]
    message = response.json()["detail"][0]["message"]
    assert "found 'east'" in message and "random, alternate or a party id (north, south)" in message


def test_the_report_plays_and_records_the_first_proposer(client, trade):
    response = client.post("/api/report", json={"scenario": trade, "runs": 30, "seed": 2, "first_proposer": "north"})
    assert response.status_code == 200, response.text
    assert "<tr><td>first proposer</td><td>north</td></tr>" in response.text


def test_the_report_command_refuses_an_unknown_first_proposer(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "truce", "report", "two-issue-trade", "-o", str(tmp_path / "r.html"), "--first-proposer", "east"],
        capture_output=True, text=True, env={"COLUMNS": "160", "PATH": ""},
    )
    assert result.returncode == 2
    assert "--first-proposer: found 'east'; expected random, alternate or a party id (north, south)" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "r.html").exists()
