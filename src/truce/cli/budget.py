"""The time estimate before a simulating command starts, and its refusal past the budget (issue 17).

Each command says what it will run: how many simulations of how many runs (what-if variants,
sensitivity settings, the report's engines) and the one simulation a probe may time
(:func:`truce.estimate.probe`). The caps of :mod:`truce.limits` are checked first, the same way the
engines check them, so that an input over a cap is refused before the probe plays anything.
"""

from __future__ import annotations

from typing import Annotated, Callable

import typer

from truce.cli.common import errors

LongOption = Annotated[
    bool,
    typer.Option("--force", help="Go on even when the time estimate is over the budget (TRUCE_MAX_SECONDS, default 600 s)."),
]
ForceBothOption = Annotated[
    bool,
    typer.Option("--force", help="Go on even when the time estimate is over the budget (TRUCE_MAX_SECONDS), and overwrite the output file if it exists."),
]
QUICK_RUNS = 8
"""Commands of at most this many runs in all start without a probe (the probe would cost as much)."""


def check_caps(problem, runs: int, rounds: int | None, simulations: int, memory_runs: int | None = None) -> None:
    """The caps on runs x rounds over ``simulations`` and on memory, as the engines check them, before any probe."""
    from truce.limits import Limits, check_simulation_memory, check_work

    limits = Limits.from_env()
    check_work(runs, problem.rounds if rounds is None else rounds, limits, simulations=simulations, rounds_what="rounds" if rounds is None else "--rounds")
    check_simulation_memory(memory_runs or runs, problem.n_parties, problem.n_issues, len(problem.uncertain), limits)


def estimate_first(
    scenario: str, play: Callable[[int], object], *, runs: int, simulations: int = 1, force: bool, runs_option: str = "--runs",
    option_value: Callable[[int], int] = lambda runs: runs, also: tuple[tuple[str, Callable[[int], object]], ...] = (), keep: bool = False,
):
    """Estimate the command's time from a probe of ``play`` (one of its simulations, of ``n`` runs), print it when it is
    long, refuse (:class:`truce.estimate.OverBudget`, exit 2) when it is over the budget and ``--force`` is not given.
    ``also``: other work at the same runs, in words with its own ``play`` (probed once each, as one simulation).
    ``keep``: ``play(runs)`` and each ``also``'s are the command's own work, whose results the caller keeps: the
    probes may end on them while the estimate so far fits the budget (see :func:`truce.estimate.probe`).
    Returns the estimate (None: too small to probe)."""
    import math
    from dataclasses import replace

    from truce.cli.context import about
    from truce.estimate import check_budget, probe, time_budget

    budget = time_budget()
    if runs * (simulations + len(also)) <= QUICK_RUNS:
        return None
    room = math.inf if budget is None or force else budget
    with about(scenario):
        estimate = probe(play, runs, simulations, keep_within=room if keep else None)
        others = []
        for what, other in also:
            room -= estimate.seconds if not others else others[-1][1].seconds
            others.append((what, probe(other, runs, keep_within=room if keep else None)))
        estimate = replace(estimate, also=tuple(others))
    line = check_budget(estimate, budget, force=force, runs_option=runs_option, option_value=option_value)
    if line is not None:
        errors.print(line, markup=False, highlight=False)
    return estimate


def player(engine, problem, **options) -> Callable[[int], object]:
    """``play(n)``: ``engine(problem, **options)`` with ``n`` runs (any ``runs`` in ``options`` replaced), for the probe."""
    return lambda n: engine(problem, **{**options, "runs": n})


def whatif_simulations(problem, budget: float | None) -> int:
    """Simulations of a what-if (see :func:`truce.report.work.whatif_simulations`)."""
    from truce.report.work import whatif_simulations as simulations

    return simulations(problem, budget)


def report_simulations(problem) -> int:
    """Simulations of the scenario in a report (see :func:`truce.report.work.report_simulations`)."""
    from truce.report.work import report_simulations as simulations

    return simulations(problem)
