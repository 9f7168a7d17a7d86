"""Every field the scenario reference says may be a distribution, in every Monte Carlo command.

Issue 17's blocker: a numeric position or tolerance written as a distribution passed `validate`,
then every Monte Carlo command failed. Each case below writes one field as a distribution, runs
each engine on it, and checks the mean of the draws the simulation used against the
distribution's mean worked by hand (uniform [a, b]: (a + b) / 2; triangular [a, c, b]: (a + b + c) / 3).
"""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from truce.mediation.sensitivity import deal_inputs, one_at_a_time
from truce.mediation.whatif import what_if
from truce.scenario import validate
from truce.scenario.schema import PROVISIONS
from truce.simulate import simulate
from truce.simulate.durability import durability

BASE = {
    "name": "Every distribution field",
    "kind": "ceasefire",
    "rounds": 12,
    "actors": [
        {
            "id": "a", "name": "A", "reservation": 0.2, "cost_of_delay": 0.03, "trust": 0.5, "exposure": 0.2,
            "stances": {"aid": {"position": 350, "salience": 0.5, "tolerance": 300}, "pace": {"position": "fast", "salience": 0.5}},
        },
        {
            "id": "b", "name": "B", "reservation": 0.2, "cost_of_delay": 0.03, "trust": 0.5, "exposure": 0.2,
            "stances": {"aid": {"position": 100, "salience": 0.5}, "pace": {"position": "slow", "salience": 0.5}},
        },
        {"id": "m", "name": "M", "role": "mediator", "stances": {"aid": {"position": 200, "salience": 0.5}}},
    ],
    "issues": [
        {"id": "aid", "name": "Aid", "kind": "numeric", "range": [0, 400], "step": 100},
        {"id": "pace", "name": "Pace", "kind": "ordered", "options": ["slow", "medium", "fast"], "provisions": {"medium": ["monitoring"]}},
    ],
    "talks": {"breakdown_risk": 0.01, "breakdown_growth": 0.001},
    "levers": [
        {"id": "guarantee", "by": "m", "kind": "guarantee", "trust_gain": 0.3, "active": False},
        {"id": "pressure", "by": "m", "kind": "pressure", "cost_of_delay": 0.01, "reservation_drop": 0.05, "active": False},
        {"id": "fund", "by": "m", "kind": "side_payment", "side_payment": 0.05, "active": False},
        {"id": "phasing", "by": "m", "kind": "phasing", "exposure_factor": 0.5, "active": False},
    ],
    "durability": {"dissatisfaction": {"hazard_ratio_at_no_gain": 1.5}},
}

MONITORING = PROVISIONS.index("monitoring")

# (where in the scenario, the distribution, where its draws are in the simulation's samples, their mean by hand)
CASES = [
    (("actors", 0, "reservation"), {"uniform": [0.1, 0.3]}, lambda s: s.reservation[:, 0], 0.2),
    (("actors", 0, "cost_of_delay"), {"uniform": [0.02, 0.04]}, lambda s: s.cost_of_delay[:, 0], 0.03),
    (("actors", 1, "discount"), {"triangular": [0.9, 0.95, 1.0]}, lambda s: s.discount[:, 1], 0.95),
    (("actors", 1, "trust"), {"beta": [2, 6]}, lambda s: s.trust[:, 1], 0.25),
    (("actors", 0, "exposure"), {"uniform": [0.1, 0.5]}, lambda s: s.exposure[:, 0], 0.3),
    (("actors", 0, "stances", "aid", "position"), {"uniform": [300, 400]}, lambda s: s.position[:, 0, 0], 350.0),
    (("actors", 1, "stances", "aid", "position"), {"triangular": [0, 100, 200]}, lambda s: s.position[:, 1, 0], 100.0),
    (("actors", 0, "stances", "aid", "tolerance"), {"uniform": [200, 400]}, lambda s: s.tolerance[:, 0, 0], 300.0),
    (("actors", 1, "stances", "aid", "tolerance"), {"uniform": [100, 300]}, lambda s: s.tolerance[:, 1, 0], 200.0),
    (("actors", 1, "stances", "pace", "salience"), {"uniform": [0.2, 0.8]}, lambda s: s.salience[:, 1, 1], 0.5),
    (("talks", "breakdown_risk"), {"uniform": [0.0, 0.02]}, lambda s: s.breakdown_risk, 0.01),
    (("talks", "breakdown_growth"), {"triangular": [0.0, 0.0, 0.003]}, lambda s: s.breakdown_growth, 0.001),
    (("levers", 0, "trust_gain"), {"uniform": [0.2, 0.4]}, lambda s: s.lever_effects["trust_gain"][:, 0], 0.3),
    (("levers", 1, "cost_of_delay"), {"uniform": [0.0, 0.02]}, lambda s: s.lever_effects["cost_of_delay"][:, 1], 0.01),
    (("levers", 1, "reservation_drop"), {"uniform": [0.0, 0.1]}, lambda s: s.lever_effects["reservation_drop"][:, 1], 0.05),
    (("levers", 2, "side_payment"), {"uniform": [0.0, 0.1]}, lambda s: s.lever_effects["side_payment"][:, 2], 0.05),
    (("levers", 3, "exposure_factor"), {"uniform": [0.4, 0.8]}, lambda s: s.lever_effects["exposure_factor"][:, 3], 0.6),
    (("durability", "median_days", "cessation"), {"uniform": [6, 12]}, lambda s: s.durability["median_days"][:, 0], 9.0),
    (("durability", "shape", "preliminary"), {"uniform": [0.4, 0.6]}, lambda s: s.durability["shape"][:, 1], 0.5),
    (("durability", "hazard_ratios", "monitoring"), {"uniform": [0.4, 0.8]}, lambda s: s.durability["hazard_ratios"][:, MONITORING], 0.6),
    (("durability", "spoiler_hazard"), {"uniform": [0.0, 0.01]}, lambda s: s.durability["spoiler"], 0.005),
    (("durability", "dissatisfaction", "hazard_ratio_at_no_gain"), {"uniform": [1.0, 3.0]}, lambda s: s.durability["no_gain_ratio"], 2.0),
]


def with_field(path: tuple, value) -> dict:
    return _set(copy.deepcopy(BASE), path, value)


def _label(case) -> str:
    return ".".join(str(part) for part in case[0])


@pytest.mark.parametrize("case", CASES, ids=_label)
def test_every_engine_runs_with_the_field_drawn_and_draws_its_mean(case):
    path, distribution, drawn, mean = case
    problem = validate(with_field(path, distribution)).compile()
    (kind, parameters), = distribution.items()
    assert [item for item in problem.uncertain if (item.kind, item.parameters) == (kind, tuple(parameters))]
    for protocol in ("alternating", "single-text"):
        result = simulate(problem, runs=4000, seed=3, protocol=protocol)
        values = np.asarray(drawn(result.samples))
        # 4,000 draws: the standard error of the mean is at most (b - a) / sqrt(12 * 4000) < 0.5% of the range
        assert values.mean() == pytest.approx(mean, abs=0.02 * max(abs(mean), 1e-2) + 1e-9)
        assert values.std() > 0
    assert durability(problem, result).signed.any()
    compared = what_if(problem, runs=200, seed=1)
    assert [v.name for v in compared.variants]
    if path[0] == "durability":
        with pytest.raises(ValueError, match="after signature"):
            one_at_a_time(problem, runs=100, seed=1)
        return
    if path[0] == "levers":  # a lever's effect moves P(deal) only when the lever is in force
        problem = validate(_set(with_field(path, distribution), ("levers", path[1], "active"), True)).compile()
    tornado = one_at_a_time(problem, runs=100, seed=1)
    assert len(tornado.swings) == len(deal_inputs(problem)) == 1


def test_capability_as_a_distribution_moves_the_forecast_sensitivity():
    """capability only feeds the forecasting models: the forecast's one-at-a-time study takes it."""
    from truce.mediation.sensitivity import forecast_one_at_a_time

    problem = validate(with_field(("actors", 2, "capability"), {"uniform": [0.5, 3.0]})).compile()
    assert [item.field for item in problem.spatial_uncertain] == ["capability"]
    moved = forecast_one_at_a_time(problem, "compromise")
    assert len(moved.swings) == 1 and moved.swings[0].swing > 0


def everything() -> dict:
    scenario = copy.deepcopy(BASE)
    for path, distribution, _, _ in CASES:
        scenario = _set(scenario, path, distribution)
    return scenario


def _set(scenario: dict, path: tuple, value) -> dict:
    node = scenario
    for key in path[:-1]:
        node = node.setdefault(key, {}) if isinstance(key, str) else node[key]
    node[path[-1]] = value
    return scenario


def test_the_report_runs_with_every_field_drawn():
    from truce.report.html import render_report

    html = render_report(validate(everything()), runs=300, seed=2)
    for section in ('id="simulation"', 'id="durability"', 'id="levers"', 'id="sensitivity"'):
        assert section in html


def test_the_page_runs_every_job_with_every_field_drawn():
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from truce.web.app import create_app

    body = {"scenario": everything(), "runs": 200, "seed": 1}
    with TestClient(create_app()) as client:
        for endpoint in ("simulate", "whatif", "durability"):
            started = client.post(f"/api/{endpoint}", json=body)
            assert started.status_code == 202, started.text
            job = _wait(client, started.json()["id"])
            assert job["status"] == "done", job
        assert client.post("/api/report", json=body).status_code == 200


def _wait(client, job_id: str) -> dict:
    import time

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job = client.get(f"/api/jobs/{job_id}").json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not finish")


MINIMAL = """\
truce: 1
name: Minimal case of issue 17
actors:
  - id: a
    name: A
    stances:
      aid: {position: {uniform: [300, 400]}, salience: 0.5}
      pace: {position: fast, salience: 0.5}
  - id: b
    name: B
    stances:
      aid: {position: 100, salience: 0.5}
      pace: {position: slow, salience: 0.5}
issues:
  - id: aid
    name: Aid
    kind: numeric
    range: [0, 400]
    step: 50
  - id: pace
    name: Pace
    kind: ordered
    options: [slow, medium, fast]
"""


@pytest.mark.parametrize("command", [["simulate", "--runs", "200"], ["report", "--runs", "100", "-o", "out.html"]])
def test_the_minimal_case_from_the_issue_runs_from_the_command_line(tmp_path: Path, command):
    (tmp_path / "minimal.yaml").write_text(MINIMAL)
    done = subprocess.run(
        [sys.executable, "-m", "truce", command[0], "minimal.yaml", *command[1:]], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert "error" not in done.stderr
