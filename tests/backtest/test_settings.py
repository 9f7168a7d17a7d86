"""Back-test model settings (protocol, strategies, first proposer, rounds, a fixed breakdown risk)
and the discrimination score, each against a hand-worked answer."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
import yaml
from scipy.stats import mannwhitneyu

from truce.backtest.casefile import load_cases
from truce.backtest.run import backtest, fixed_breakdown
from truce.backtest.scores import discrimination
from truce.report.figures.backtest import predicted_vs_realised

# One ordered issue the two parties want at opposite ends: time-dependent (Boulware) concession
# meets in the middle only at the deadline, so with no uncertainty every run would agree in the
# last round K; with a breakdown risk r after every round without agreement P(deal) = (1 - r)^(K - 1).
OPPOSED = {
    "name": "one issue, opposed",
    "kind": "ceasefire",
    "date": "2020-01-01",
    "rounds": 10,
    "talks": {"breakdown_risk": {"uniform": [0.2, 0.4]}},
    "sources": [{"id": "made_up", "title": "Hand-made test", "date": "2019-12-01"}],
    "actors": [
        {"id": "a", "name": "A", "reservation": 0.2, "stances": {"x": {"position": "high", "salience": 1}}},
        {"id": "b", "name": "B", "reservation": 0.2, "stances": {"x": {"position": "low", "salience": 1}}},
    ],
    "issues": [{"id": "x", "name": "X", "kind": "ordered", "options": ["low", "l2", "mid", "h2", "high"]}],
    "durability": {"median_days": {"cessation": 9}, "shape": {"cessation": 0.6}, "spoiler_hazard": 0},
}
SOURCES = [{"id": "s", "title": "Made-up report", "url": "https://example.org/s", "date": "2020-02-01"}]


def case_file(tmp_path, terms=None) -> str:
    (tmp_path / "opposed.yaml").write_text(yaml.safe_dump(OPPOSED))
    case = {
        "id": "one", "name": "One", "scenario": "opposed.yaml", "deal": {"signed": True, "date": "2020-01-05", "source": "s"},
        "terms": terms or {"x": {"agreed": "mid", "source": "s"}}, "held": {"ended": "breakdown", "date": "2020-01-14", "source": "s"},
    }
    path = tmp_path / "cases.yaml"
    path.write_text(yaml.safe_dump({"name": "test cases", "sources": SOURCES, "cases": [case]}))
    return str(path)


def test_a_fixed_breakdown_risk_replaces_the_scenarios_and_matches_the_closed_form(tmp_path):
    _, _, resolved = load_cases(case_file(tmp_path))
    deadline = backtest(resolved, runs=400, noise=0.0, strategies="boulware", breakdown_risk=0.0)
    (only,) = deadline.cases
    rounds = only.median_rounds_to_deal
    assert only.p_deal == 1.0 and rounds == OPPOSED["rounds"]  # every run agrees, at the deadline
    risk, runs = 0.1, 4000
    with_risk = backtest(resolved, runs=runs, noise=0.0, strategies="boulware", breakdown_risk=risk).cases[0]
    expected = (1 - risk) ** (rounds - 1)
    assert abs(with_risk.p_deal - expected) < 4 * np.sqrt(expected * (1 - expected) / runs)
    # the scenario's own uncertain risk (0.2-0.4) is gone: with it P(deal) would be at most 0.8^9 = 0.13
    assert with_risk.p_deal > 0.3
    problem = fixed_breakdown(resolved[0].problem, risk)
    assert problem.breakdown_risk == risk and problem.breakdown_growth == 0.0
    assert not any(item.field.startswith("breakdown") for item in problem.uncertain)


def test_the_settings_are_recorded_and_a_shorter_deadline_moves_the_deal(tmp_path):
    _, _, resolved = load_cases(case_file(tmp_path))
    result = backtest(resolved, runs=200, noise=0.0, strategies="boulware", breakdown_risk=0.0, rounds=4, first_proposer="b", protocol=None)
    assert result.settings == {"strategies": "boulware", "rounds": 4, "first_proposer": "b", "breakdown_risk": 0.0}
    assert result.cases[0].median_rounds_to_deal == 4
    assert result.to_dict()["conditions"]["first_proposer"] == "b"
    assert backtest(resolved, runs=50).settings == {}


def test_the_cli_takes_the_settings_and_refuses_bad_ones(tmp_path):
    path = case_file(tmp_path)
    env = {"COLUMNS": "200", "PATH": ""}
    ok = subprocess.run(
        [sys.executable, "-m", "truce", "backtest", path, "--runs", "100", "--noise", "0", "-s", "boulware", "--breakdown-risk", "0", "--rounds", "6",
         "--first-proposer", "a", "--protocol", "alternating", "--json"], capture_output=True, text=True, env=env,
    )
    assert ok.returncode == 0, ok.stderr
    data = json.loads(ok.stdout)
    assert data["conditions"]["rounds"] == 6 and data["conditions"]["protocol"] == "alternating" and data["conditions"]["breakdown_risk"] == 0.0
    assert data["cases"][0]["median_rounds_to_deal"] == 6
    text = subprocess.run([sys.executable, "-m", "truce", "backtest", path, "--runs", "50", "--breakdown-risk", "0.05"], capture_output=True, text=True, env=env)
    assert text.returncode == 0 and "Model settings: breakdown risk 0.05" in text.stdout
    for option, value, words in (
        ("--first-proposer", "c", "a party of case 'one'"),
        ("--strategy", "c=boulware", "has parties a, b"),
        ("--breakdown-risk", "1.5", "expected a probability in [0, 1]"),
        ("--protocol", "auction", "expected alternating or single-text"),
        ("--rounds", "0", "expected a whole number >= 1"),
    ):
        bad = subprocess.run([sys.executable, "-m", "truce", "backtest", path, "--runs", "10", option, value], capture_output=True, text=True, env=env)
        assert bad.returncode == 2 and "Traceback" not in bad.stderr, bad.stderr
        assert option in bad.stderr and words in bad.stderr, bad.stderr


def test_discrimination_by_hand_and_against_mann_whitney():
    # deals at 0.9 and 0.4, none at 0.4 and 0.1: pairs (0.9>0.4) 1, (0.9>0.1) 1, (0.4=0.4) 1/2, (0.4>0.1) 1 -> 3.5 / 4
    assert discrimination([0.9, 0.4, 0.4, 0.1], [True, True, False, False]) == pytest.approx(0.875)
    assert discrimination([0.2, 0.3], [True, True]) is None
    rng = np.random.default_rng(3)
    p = rng.choice(np.linspace(0, 1, 11), size=40)  # many ties
    y = rng.random(40) < 0.5
    u = mannwhitneyu(p[y], p[~y]).statistic
    assert discrimination(p, y) == pytest.approx(u / (y.sum() * (~y).sum()))


def test_a_deferred_real_term_is_marked_in_the_figure(tmp_path):
    OPPOSED["issues"][0]["deferrable"] = True
    try:
        _, _, resolved = load_cases(case_file(tmp_path, terms={"x": {"agreed": "deferred", "source": "s"}}))
    finally:
        del OPPOSED["issues"][0]["deferrable"]
    result = backtest(resolved, runs=50, noise=0.0)
    assert result.cases[0].terms[0].real_position is None
    notes = [a.text for a in predicted_vs_realised(result).layout.annotations if "deferred" in (a.text or "")]
    assert notes == ["real term:<br>deferred"]
    assert all(trace.name != "real term" for trace in predicted_vs_realised(result).data)
