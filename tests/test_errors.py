"""User errors and internal errors are told apart (issue 17).

A user error (InputError) names what to fix and exits 2; anything else is a bug in truce: one line
that says so, exit 70, and the traceback only with TRUCE_DEBUG set. The first case below is the
issue's: a numpy ValueError from inside the engine was reported as the user's mistake.
"""

from __future__ import annotations

import numpy as np
import pytest

from truce import load
from truce.cli import main
from truce.errors import INTERNAL_ERROR_EXIT, InputError


def run_cli(monkeypatch, capsys, *args: str) -> tuple[int, str]:
    monkeypatch.setattr("sys.argv", ["truce", *args])
    with pytest.raises(SystemExit) as stopped:
        main()
    return stopped.value.code, capsys.readouterr().err.strip()


def test_an_engine_bug_is_an_internal_error_not_the_users(monkeypatch, capsys):
    def broken(*args, **kwargs):
        return np.stack([np.zeros(2), np.zeros(3)])  # numpy's ValueError, as in the issue

    monkeypatch.delenv("TRUCE_DEBUG", raising=False)
    monkeypatch.setattr("truce.scenario.load", broken)
    code, err = run_cli(monkeypatch, capsys, "simulate", "two-issue-trade", "--runs", "10")
    assert code == INTERNAL_ERROR_EXIT == 70
    assert err.startswith("error: internal error (ValueError") and "bug in truce" in err and "TRUCE_DEBUG" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) <= 3


def test_truce_debug_shows_the_traceback(monkeypatch, capsys):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setenv("TRUCE_DEBUG", "1")
    monkeypatch.setattr("truce.scenario.load", broken)
    monkeypatch.setattr("sys.argv", ["truce", "simulate", "two-issue-trade"])
    with pytest.raises(RuntimeError, match="boom"):
        main()


def test_a_user_error_exits_2_with_its_message(monkeypatch, capsys):
    monkeypatch.delenv("TRUCE_DEBUG", raising=False)
    code, err = run_cli(monkeypatch, capsys, "simulate", "two-issue-trade", "--runs", "10", "--strategy", "stubborn")
    assert code == 2
    assert err.startswith("error: --strategy stubborn: unknown strategy 'stubborn'") and "internal" not in err


def test_input_error_is_a_value_error_for_python_callers():
    assert issubclass(InputError, ValueError)


PLAIN = load("two-issue-trade").compile()


def _phases(problem):
    from truce.simulate.phases import simulate_phases

    return simulate_phases(problem, runs=10)


def _durability(problem):
    from truce.simulate.durability import package_durability

    return package_durability(problem, np.zeros(problem.n_issues, dtype=np.int64), runs=10)


def _whatif(problem):
    from truce.mediation.whatif import what_if

    return what_if(problem, runs=10)


def _sensitivity(problem):
    from truce.mediation.sensitivity import one_at_a_time

    return one_at_a_time(problem, runs=10)


def _terms(problem):
    from truce.backtest.terms import term_index

    return term_index(problem, "nope", "x")


def _report(problem):
    from truce.report.html import render_report

    return render_report("two-issue-trade", runs=0)


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda p: p.simulate(runs=0), "runs must be between"),
        (lambda p: p.simulate(runs=10, rounds=0), "rounds must be >= 1"),
        (lambda p: p.simulate(runs=10, protocol="auction"), "unknown protocol 'auction'"),
        (lambda p: p.simulate(runs=10, strategies="stubborn"), "unknown strategy 'stubborn'"),
        (lambda p: p.simulate(runs=10, strategies="linear:e=-1"), "e: found -1; expected a number > 0"),
        (lambda p: p.simulate(runs=10, strategies={"nobody": "linear"}), "unknown parties"),
        (lambda p: p.simulate(runs=10, first_proposer="nobody"), "first proposer: found 'nobody'"),
        (lambda p: p.forecast("oracle"), "unknown forecasting model 'oracle'"),
        (_phases, "no phases"),
        (_durability, "expected `kind: ceasefire`"),
        (_whatif, "levers: found none"),
        (_sensitivity, "no uncertain input"),
        (_terms, "unknown issue 'nope'"),
        (_report, "runs: found 0"),
    ],
)
def test_what_the_user_gave_wrong_raises_input_error(call, words):
    with pytest.raises(InputError, match=words):
        call(PLAIN)
