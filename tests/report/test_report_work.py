"""The report's work (issue 12): the later engines on two threads give the same tables as on one,
a simulation played first (by the time estimate's probe) is used rather than played again, and the
progress counts every simulation the report plays."""

from __future__ import annotations

import pandas as pd
import pytest

from truce.report.html import plan_report, render_work
from truce.report.work import report_simulations
from truce.simulate import simulate

RUNS, SEED = 60, 3


def tables_of(work) -> dict:
    tables: dict = {}
    render_work(work, tables=tables)
    return tables


def assert_same_tables(first: dict, second: dict) -> None:
    assert first.keys() == second.keys()
    for name in first:
        pd.testing.assert_frame_equal(first[name], second[name], obj=name)


def test_two_threads_give_the_tables_of_one():
    serial = tables_of(plan_report("gaza-ceasefire", runs=RUNS, seed=SEED, workers=1))
    threaded = tables_of(plan_report("gaza-ceasefire", runs=RUNS, seed=SEED, workers=2))
    assert {"runs", "forecast", "levers", "sensitivity", "phases"} <= serial.keys()
    assert_same_tables(serial, threaded)


def test_the_back_test_on_a_thread_scores_as_alone():
    from truce.backtest.casefile import load_cases
    from truce.backtest.run import backtest

    work = plan_report("two-issue-trade", runs=RUNS, seed=SEED, cases="israel-hamas", workers=2)
    _, later = work.results()
    alone = backtest(load_cases("israel-hamas")[2], name=work.case_name, runs=RUNS, seed=SEED)
    assert later["backtest"].to_dict() == alone.to_dict()


def test_a_simulation_played_first_is_the_reports_own(monkeypatch):
    """The estimate's last probe plays ``work.simulation(runs)``; the report then uses it, and its
    numbers are those of a simulation played afresh with the same seed."""
    import truce.simulate as package

    work = plan_report("gaza-ceasefire", runs=RUNS, seed=SEED)
    probed = work.simulation(RUNS)
    assert work.simulation(RUNS // 2) is not probed  # fewer runs: a probe, not kept
    played = []
    monkeypatch.setattr(package, "simulate", lambda problem, **options: played.append(options["runs"]) or simulate(problem, **options))
    tables = tables_of(work)
    assert RUNS not in played  # not played again
    fresh = simulate(work.problem, runs=RUNS, seed=SEED)
    pd.testing.assert_frame_equal(tables["runs"], fresh.to_frame())
    pd.testing.assert_frame_equal(probed.to_frame(), fresh.to_frame())


@pytest.mark.parametrize("scenario, cases", [("gaza-ceasefire", "israel-hamas"), ("three-party-truce", None)])
def test_the_progress_counts_every_simulation(scenario, cases):
    """The bar's total is every simulation's runs (the what-if's variants, the sensitivity's settings,
    each phase, each case), and the report advances it by exactly that much."""
    work = plan_report(scenario, runs=RUNS, seed=SEED, cases=cases)
    expected = RUNS * (report_simulations(work.problem) + len(work.cases or ()))
    assert work.runs_to_play() == expected
    done: list[int] = []
    render_work(work, progress=done.append)
    assert sum(done) == expected
    # what was played first is not counted again
    again = plan_report(scenario, runs=RUNS, seed=SEED, cases=cases)
    again.simulation()
    assert again.runs_to_play() == expected - RUNS
