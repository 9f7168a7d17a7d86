"""The back-test: scores against hand-worked answers, case files round trip, bad case files give clear errors."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import pytest
import yaml

from truce.backtest.casefile import CaseFileError, dump_cases, load_cases, parse_cases
from truce.backtest.run import backtest, calibration_table, score_case
from truce.backtest.scores import brier_score, kaplan_meier, log_score, package_rank

SOURCES = [{"id": "s", "title": "Made-up report", "url": "https://example.org/s", "date": "2020-02-01"}]

# Two parties, two ordered issues, no uncertainty: both want "high" on both issues, so every
# simulated run agrees on (high, high) at once, whoever proposes (a deterministic outcome).
AGREED = {
    "name": "two issues, one obvious deal",
    "kind": "ceasefire",
    "date": "2020-01-01",
    "rounds": 5,
    "sources": [{"id": "made_up", "title": "Hand-made test", "date": "2019-12-01"}],
    "actors": [
        {"id": "a", "name": "A", "reservation": 0.2, "stances": {"x": {"position": "high", "salience": 0.5}, "y": {"position": 10, "salience": 0.5}}},
        {"id": "b", "name": "B", "reservation": 0.2, "stances": {"x": {"position": "high", "salience": 0.5}, "y": {"position": 10, "salience": 0.5}}},
    ],
    "issues": [
        {"id": "x", "name": "X", "kind": "ordered", "options": ["low", "mid", "high"]},
        {"id": "y", "name": "Y", "kind": "numeric", "unit": "km", "range": [0, 10], "step": 5},
    ],
    "durability": {"median_days": {"cessation": 9}, "shape": {"cessation": 0.6}, "spoiler_hazard": 0},
}


def case(**changes) -> dict:
    found = {
        "id": "one",
        "name": "One",
        "scenario": "agreed.yaml",
        "deal": {"signed": True, "date": "2020-01-05", "source": "s"},
        "terms": {"x": {"agreed": "high", "source": "s"}, "y": {"agreed": 10, "source": "s"}},
        "held": {"ended": "breakdown", "date": "2020-01-14", "source": "s"},
    }
    found.update(changes)
    return found


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "agreed.yaml").write_text(yaml.safe_dump(AGREED))
    return tmp_path


def write(folder, *cases) -> str:
    path = folder / "cases.yaml"
    path.write_text(yaml.safe_dump({"name": "test cases", "sources": SOURCES, "cases": list(cases)}))
    return str(path)


# ------------------------------------------------------------------ scoring rules by hand
def test_log_and_brier_scores_by_hand():
    assert log_score(1.0) == 0.0
    assert log_score(0.25) == pytest.approx(math.log(0.25))
    assert log_score(0.0) == pytest.approx(math.log(0.001))
    assert log_score(0.0, floor=0.01) == pytest.approx(-4.60517, abs=1e-5)
    assert brier_score(0.3, True) == pytest.approx(0.49)
    assert brier_score(0.3, False) == pytest.approx(0.09)
    assert brier_score([0.5, 1.0], [1, 1]).tolist() == [0.25, 0.0]
    with pytest.raises(ValueError):
        log_score(0.5, floor=0)


def test_package_rank_by_hand():
    packages = np.array([[0, 1]] * 5 + [[1, 1]] * 3 + [[2, 0]] * 3 + [[0, 0]])
    assert package_rank(packages, np.array([0, 1])) == (1, 4)
    assert package_rank(packages, np.array([1, 1])) == (2, 4)  # tied with (2, 0): both get the better rank
    assert package_rank(packages, np.array([2, 0])) == (2, 4)
    assert package_rank(packages, np.array([0, 0])) == (4, 4)
    assert package_rank(packages, np.array([2, 2])) == (None, 4)


def test_kaplan_meier_by_hand_and_against_lifelines():
    # 4 cases: events at 2 and 5, censored at 3 and 8: S(2) = 3/4, S(5) = 3/4 * (1 - 1/2) = 3/8.
    durations, observed = [2, 3, 5, 8], [True, False, True, False]
    assert kaplan_meier(durations, observed, [1, 2, 4, 5, 10]).tolist() == [1.0, 0.75, 0.75, 0.375, 0.375]
    from lifelines import KaplanMeierFitter

    rng = np.random.default_rng(3)
    durations = rng.integers(1, 60, 40).astype(float)
    observed = rng.random(40) < 0.7
    times = np.arange(0, 70, 3.0)
    fitted = KaplanMeierFitter().fit(durations, observed).survival_function_at_times(times).to_numpy()
    assert np.allclose(kaplan_meier(durations, observed, times), fitted)


# ------------------------------------------------------------------ a whole case by hand
def test_a_deterministic_case_scores_as_worked_by_hand(folder):
    _, _, resolved = load_cases(write(folder, case()))
    score = score_case(resolved[0], runs=200, seed=1, noise=0.1, floor=0.001)
    # every run agrees on (high, 10): P(deal) 1, Brier 0; P(real package) 1, log score 0, rank 1 of 1
    assert score.p_deal == 1.0 and score.brier == 0.0
    assert score.p_package == 1.0 and score.package_log_score == 0.0 and (score.package_rank, score.distinct_packages) == (1, 1)
    assert [t.p_term for t in score.terms] == [1.0, 1.0]
    assert [t.nash_distance for t in score.terms] == [0.0, 0.0]
    # broke down on day 9 (effective 2020-01-05 -> 2020-01-14) = the cessation median: survival 1/2 exactly
    assert score.durability.days == 9 and score.durability.survival_at_real == pytest.approx(0.5)
    expected_30 = math.exp(-math.log(2) * (30 / 9) ** 0.6)
    assert score.durability.survival[30] == pytest.approx(expected_30)


def test_a_miss_scores_the_floor_and_the_distance_in_the_issues_units(folder):
    missed = case(terms={"x": {"agreed": "mid", "source": "s"}, "y": {"agreed": 2.5, "source": "s"}}, held={"ended": "holding", "date": "2020-01-10", "source": "s"})
    no_deal = case(id="two", deal={"signed": False, "source": "s"}, terms={}, held=None)
    _, _, resolved = load_cases(write(folder, missed, no_deal))
    result = backtest(resolved, runs=100, seed=0, floor=0.01)
    first, second = result.cases
    assert first.p_package == 0.0 and first.package_log_score == pytest.approx(math.log(0.01)) and first.package_rank is None
    x, y = first.terms
    assert (x.nash_distance, x.real_position) == (1.0, 1.0)  # high is one option step above mid
    assert (y.nash_distance, y.real_position) == (7.5, 2.5)  # the Nash point's 10 km against the real 2.5 km
    assert first.durability.broke_down is False and first.durability.days == 5
    assert second.brier == 1.0 and second.p_package is None
    overall = result.overall()
    assert overall["brier"] == pytest.approx(0.5) and overall["deals"] == 1
    assert overall["mean_absolute_distance"]["y"]["nash"] == 7.5


def test_the_simulations_package_share_matches_a_count_of_its_runs():
    """On a scenario with a spread of deals, P(real package) and its rank from the per-run table."""
    from truce.backtest.casefile import ResolvedCase
    from truce.backtest.casefile import Case
    from truce.scenario import load
    from truce.simulate import simulate

    scenario = load("gaza-ceasefire")
    problem = scenario.compile()
    frame = simulate(problem, runs=400, seed=5).to_frame()
    deals = frame[frame["agreed"]]
    counts = deals[list(problem.issue_ids)].value_counts()
    second = counts.index[min(1, len(counts) - 1)]
    real = np.array([problem.option_labels[j].index(label) for j, label in enumerate(second)])
    agreed = [problem.option_labels[j][k] if problem.grids[j] is None else float(problem.grids[j][k]) for j, k in enumerate(real)]
    terms = {issue: {"agreed": agreed[j], "source": "s"} for j, issue in enumerate(problem.issue_ids)}
    entry = Case.model_validate({"id": "c", "name": "c", "scenario": "gaza-ceasefire", "as_of": "2020-01-01", "deal": {"signed": True, "date": "2020-01-02", "source": "s"}, "terms": terms})
    resolved = ResolvedCase(entry, scenario, problem, entry.as_of, real, {k: v["agreed"] for k, v in terms.items()}, None, None)
    score = score_case(resolved, runs=400, seed=5, noise=0.1, floor=0.001)
    assert score.p_package == pytest.approx(counts.iloc[min(1, len(counts) - 1)] / len(deals))
    assert score.package_rank == 1 + int((counts > counts[second]).sum())
    assert score.p_deal == pytest.approx(frame["agreed"].mean())


def test_calibration_table_by_hand(folder):
    early = case(id="a", held={"ended": "breakdown", "date": "2020-01-12", "source": "s"})  # 7 days
    late = case(id="b", held={"ended": "holding", "date": "2020-03-05", "source": "s"})  # 60 days, censored
    _, _, resolved = load_cases(write(folder, early, late))
    scores = [score_case(r, runs=50, seed=0, noise=0.1, floor=0.001) for r in resolved]
    rows = {row.days: row for row in calibration_table(scores, checkpoints=(7, 30, 90))}
    assert rows[7].kaplan_meier == 0.5 and rows[30].kaplan_meier == 0.5  # one of two broke down on day 7
    assert (rows[30].known, rows[30].held) == (2, 1) and rows[90].known == 1  # the censored one is unknown at 90
    expected = np.mean([math.exp(-math.log(2) * (30 / 9) ** 0.6)] * 2)
    assert rows[30].predicted == pytest.approx(expected)


# ------------------------------------------------------------------ case files
def test_case_file_round_trip(folder):
    path = write(folder, case(), case(id="two", deal={"signed": False, "source": "s"}, terms={}, held=None, note="no deal"))
    first = parse_cases(open(path).read())
    again = parse_cases(dump_cases(first))
    assert again == first
    assert again.cases[0].deal.date.isoformat() == "2020-01-05"


@pytest.mark.parametrize(
    "changes, where, words",
    [
        ({"terms": {"x": {"agreed": "high", "source": "s"}, "y": {"agreed": 10, "source": "s"}, "z": {"agreed": "a", "source": "s"}}}, "cases[0].terms.z", "unknown issue"),
        ({"terms": {"x": {"agreed": "huge", "source": "s"}, "y": {"agreed": 10, "source": "s"}}}, "cases[0].terms.x.agreed", "expected one of low, mid, high"),
        ({"terms": {"x": {"agreed": "deferred", "source": "s"}, "y": {"agreed": 10, "source": "s"}}}, "cases[0].terms.x.agreed", "not deferrable"),
        ({"terms": {"x": {"agreed": "high", "source": "s"}, "y": {"agreed": 12, "source": "s"}}}, "cases[0].terms.y.agreed", "expected a number in [0, 10]"),
        ({"terms": {"x": {"agreed": "high", "source": "s"}}}, "cases[0].terms", "no term for issue(s) y"),
        ({"as_of": "2019-12-31"}, "cases[0].as_of", "before the scenario's date 2020-01-01"),
        ({"deal": {"signed": True, "date": "2019-12-30", "source": "s"}}, "cases[0].deal.date", "before the as-of date"),
        ({"scenario": "missing.yaml"}, "cases[0].scenario", "no such file"),
        ({"scenario": "no-such-built-in"}, "cases[0].scenario", "no such file"),
        ({"held": {"ended": "breakdown", "date": "2020-01-01", "source": "s"}}, "cases[0].held.date", "before the deal took effect"),
        ({"held": {"ended": "collapsed", "date": "2020-02-01", "source": "s"}}, "cases[0].held.ended", "breakdown"),
        ({"deal": {"signed": True, "date": "2020-01-05", "source": "nobody"}}, "cases[0].deal.source", "expected a source id"),
        ({"deal": {"signed": True, "source": "s"}}, "cases[0].deal", "needs its date"),
    ],
)
def test_bad_case_files_name_the_file_and_the_field(folder, changes, where, words):
    path = write(folder, case(**changes))
    with pytest.raises(CaseFileError) as caught:
        load_cases(path)
    message = str(caught.value)
    assert path in message and where in message and words in message, message


def test_the_cli_exits_2_without_a_traceback_on_a_bad_case_file(folder):
    path = write(folder, case(as_of="2019-12-31"))
    result = subprocess.run([sys.executable, "-m", "truce", "backtest", path], capture_output=True, text=True, env={"COLUMNS": "160", "PATH": ""})
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "cases[0].as_of" in result.stderr and "cases.yaml" in result.stderr


def test_the_cli_writes_json_and_a_page(folder, tmp_path):
    path = write(folder, case())
    page = tmp_path / "bt.html"
    result = subprocess.run(
        [sys.executable, "-m", "truce", "backtest", path, "--runs", "50", "--json", "-o", str(page)], capture_output=True, text=True, env={"COLUMNS": "160", "PATH": ""}
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["conditions"] == {"runs": 50, "seed": 0, "noise": 0.1, "log_score_floor": 0.001, "forecast_model": "smp"}
    assert data["cases"][0]["package_rank"] == 1
    html = page.read_text()
    assert "figure-backtest" in html and "Predicted against realised" in html and "<script src=" not in html


def test_the_shipped_cases_resolve_against_their_scenarios():
    cases, _, resolved = load_cases("israel-hamas")
    assert len(resolved) == len(cases.cases) >= 7
    assert {found.case.scenario for found in resolved} >= {"gaza-2012-11", "gaza-2014-08", "gaza-2021-05", "gaza-2023-11", "gaza-2025-01", "gaza-2025-10"}
    assert any(not found.case.deal.signed for found in resolved)
    for found in resolved:
        assert found.scenario.date is not None and found.scenario.date <= found.as_of
        assert found.case.deal.date is None or found.as_of < found.case.deal.date
        assert all(source.date is None or source.date <= found.scenario.date for source in found.scenario.sources)
        assert (found.package is not None) == found.case.deal.signed
