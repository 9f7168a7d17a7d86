"""The report's work: every engine it runs, counted before it starts, and each simulation played once.

A report of one scenario runs the analysis, the simulation, the forecast, the what-if over the
levers, the one-at-a-time sensitivity, the durability and the phased simulation, and with a case
file the back-test of its cases. :class:`ReportWork` holds the scenario compiled with the report's
options and

1. counts the simulations the report plays (:func:`report_simulations`), for the time estimate and
   the progress bar;
2. plays the scenario's simulation and the back-test on demand (:meth:`ReportWork.simulation`,
   :meth:`ReportWork.backtest`): at the report's runs the result is the report's own and kept, so
   the time estimate's probes may end on it (:func:`truce.estimate.probe`) and the report does not
   play it again; at fewer runs, a probe of it on the engine the report's runs use;
3. runs the later engines (:meth:`ReportWork.results`) on ``workers`` threads (default
   :data:`WORKERS`: one). Each engine draws from its own seed and shares nothing it writes, so the
   results are the same in any order and with any number of threads.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from truce.backtest.run import BacktestResult
    from truce.problem import Problem
    from truce.scenario import Scenario
    from truce.simulate.results import SimulationResult

WORKERS = 1
"""Threads the later engines run on by default. Two were no faster on the flagship report
(medians of alternating runs on the shared 2-core machine, load 2.6-4: 17.7 s against 17.5 s of
wall time for the command, the same CPU time, about 150 MB more memory): much of a simulation's
time is Python and small-array numpy, which hold the GIL (benchmarks/README.md)."""

SECTIONS = ("forecast", "levers", "sensitivity", "durability", "phases", "backtest")
"""The later sections' results in the report's order (the order the provenance names them in)."""


def whatif_simulations(problem: "Problem", budget: float | None) -> int:
    """Simulations of a what-if: the baseline, each lever switched and each actor's affordable combinations."""
    from truce.mediation.whatif import affordable_combinations

    budgets = {actor: float(budget) for actor in set(problem.lever_by)} if budget is not None else dict(problem.budgets)
    return 1 + problem.n_levers + sum(len(affordable_combinations(problem, actor, amount)) for actor, amount in sorted(budgets.items()))


def report_simulations(problem: "Problem") -> int:
    """Simulations of the scenario in a report of every issue at once: the simulation, the what-if,
    the one-at-a-time sensitivity and each phase of the phased simulation (the back-test's cases are
    other scenarios, one simulation each)."""
    from truce.mediation.sensitivity import deal_inputs

    whatif = whatif_simulations(problem, None) if problem.n_levers else 0
    inputs = deal_inputs(problem)
    return 1 + whatif + (1 + 2 * len(inputs) if inputs else 0) + len(problem.phases)


@dataclass
class ReportWork:
    """The work behind one report: the scenario compiled, the options, the back-test's cases (resolved)
    and the simulations already played at the report's runs."""

    scenario: "Scenario"
    problem: "Problem"
    runs: int
    seed: int
    protocol: str = "alternating"
    strategies: str | dict = "cost-based"
    rounds: int | None = None
    first_proposer: int | str = "random"
    engines: bool = True
    cases: list | None = None
    """The back-test's cases (:class:`~truce.backtest.casefile.ResolvedCase`), None: no back-test."""
    case_name: str = "back-test"
    source: str = ""
    """How the report names the scenario (``built-in scenario 'gaza-ceasefire'``, a path)."""
    argument: str = "SCENARIO"
    """The scenario on the command line that repeats the report."""
    case_argument: str | None = None
    """The case file as given (``--backtest``)."""
    workers: int = WORKERS
    kept: dict = field(default_factory=dict, repr=False)
    """``"simulation"`` and ``"backtest"`` once played at the report's runs."""

    @property
    def options(self) -> dict:
        return {"protocol": self.protocol, "strategies": self.strategies, "rounds": self.rounds, "first_proposer": self.first_proposer}

    @property
    def simulations(self) -> int:
        """Simulations of ``runs`` runs the report plays: the scenario's (:func:`report_simulations`, one
        without the later engines) and one per back-test case."""
        return (report_simulations(self.problem) if self.engines else 1) + len(self.cases or ())

    def runs_to_play(self) -> int:
        """Runs the report still plays: every simulation's, less those kept."""
        kept = ("simulation" in self.kept) + len(self.cases or ()) * ("backtest" in self.kept)
        return self.runs * (self.simulations - kept)

    def simulation(self, runs: int | None = None, progress: Callable[[int], None] | None = None) -> "SimulationResult":
        """The scenario's simulation: at the report's runs (the default) the report's own, played once
        and kept; at fewer, a probe of it on the engine the report's runs use."""
        from truce.simulate import simulate
        from truce.simulate.compiled import COMPILED_FROM_RUNS

        if runs is None or runs == self.runs:
            if "simulation" not in self.kept:
                self.kept["simulation"] = simulate(self.problem, runs=self.runs, seed=self.seed, progress=progress, **self.options)
            return self.kept["simulation"]
        # engine="auto" plays a probe's few hundred runs in numpy, and the report's own runs, from
        # COMPILED_FROM_RUNS on, in the compiled loop, several times faster a run: probe the engine they use
        engine = "compiled" if self.runs >= COMPILED_FROM_RUNS else "auto"
        return simulate(self.problem, runs=runs, seed=self.seed, progress=progress, engine=engine, **self.options)

    def backtest(self, runs: int | None = None, progress: Callable[[int], None] | None = None) -> "BacktestResult":
        """The back-test of the cases at the report's runs and seed (kept), or at fewer runs (a probe)."""
        from truce.backtest.run import backtest
        from truce.simulate.compiled import COMPILED_FROM_RUNS

        if self.cases is None:
            raise ValueError("this report has no back-test (no case file)")
        if runs is None or runs == self.runs:
            if "backtest" not in self.kept:
                self.kept["backtest"] = backtest(self.cases, name=self.case_name, runs=self.runs, seed=self.seed, progress=progress)
            return self.kept["backtest"]
        engine = "compiled" if self.runs >= COMPILED_FROM_RUNS else "auto"
        return backtest(self.cases, name=self.case_name, runs=runs, seed=self.seed, progress=progress, engine=engine)

    def results(self, progress: Callable[[int], None] | None = None) -> tuple["SimulationResult", dict]:
        """The scenario's simulation and the later sections' results (see :func:`run_engines`; and
        ``"backtest"`` with cases); ``progress`` is called with the runs of each simulation played
        (from the report's threads, one call at a time)."""
        progress = _serialised(progress)
        simulation = self.simulation(progress=progress)
        tasks = _engines(self.problem, simulation, runs=self.runs, seed=self.seed, progress=progress, **self.options) if self.engines else []
        if self.cases is not None:  # after the two longest, what-if and sensitivity, before the short ones
            tasks.insert(2, ("backtest", lambda: self.backtest(progress=progress)))
        workers = max(1, min(self.workers, os.cpu_count() or 1, len(tasks)))
        found = _run(tasks, workers)
        return simulation, {name: found[name] for name in SECTIONS if name in found}


def run_engines(
    problem: "Problem", simulation: "SimulationResult", *, runs: int, seed: int, protocol: str, strategies, rounds: int | None,
    first_proposer: int | str = "random", progress: Callable[[int], None] | None = None, workers: int = 1,
) -> dict:
    """The later sections' results, on ``workers`` threads: ``forecast``, ``levers``, ``sensitivity``,
    ``durability`` and ``phases``, each None when the scenario gives its engine nothing to work on
    (no ordered or numeric issue, no lever, no uncertain input, no signed deal). ``progress`` is
    called with the runs of each simulation played."""
    options = {"protocol": protocol, "strategies": strategies, "rounds": rounds, "first_proposer": first_proposer}
    found = _run(_engines(problem, simulation, runs=runs, seed=seed, progress=_serialised(progress), **options), workers)
    return {name: found[name] for name in SECTIONS if name in found}


def _engines(problem, simulation, *, runs: int, seed: int, progress, **options) -> list[tuple[str, Callable[[], object] | None]]:
    """Each later section's engine as a task (None: nothing to work on), the longest first."""
    from functools import partial

    from truce.mediation.sensitivity import deal_inputs, one_at_a_time
    from truce.mediation.whatif import what_if
    from truce.report.inputs import LeverEffects, Sensitivity, Survival
    from truce.simulate.durability import durability
    from truce.simulate.phases import simulate_phases

    spatial = any(kind != "categorical" for kind in problem.issue_kinds)
    mapper = _counted(progress, runs)

    def sensitivity():
        return Sensitivity.from_one_at_a_time(one_at_a_time(problem, runs=runs, seed=seed, all_at_once=True, mapper=mapper, **options))

    def levers():
        return LeverEffects.from_whatif(what_if(problem, runs=runs, seed=seed, all_at_once=True, mapper=mapper, **options))

    def survival():
        return Survival.from_durability(durability(problem, simulation, seed=seed))

    return [
        # like the simulation and durability sections, every issue at once (the phases section follows the phases)
        ("sensitivity", sensitivity if deal_inputs(problem) else None),
        ("levers", levers if problem.n_levers else None),
        # the same talks phase by phase (the sections above negotiate every issue at once)
        ("phases", partial(simulate_phases, problem, runs=runs, seed=seed, progress=progress, **options) if problem.phases else None),
        ("forecast", problem.forecast if spatial else None),
        # durability is opt-in: a scenario that is not a ceasefire has no section (the report says why)
        ("durability", survival if problem.ceasefire else None),
    ]


def _run(tasks: list[tuple[str, Callable[[], object] | None]], workers: int) -> dict:
    """Each task's result by name, the tasks played in their order on ``workers`` threads (1: in this one)."""
    if workers <= 1:
        return {name: None if task is None else task() for name, task in tasks}
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="truce-report")
    finished = False
    try:
        futures = {name: None if task is None else pool.submit(task) for name, task in tasks}
        found = {name: None if future is None else future.result() for name, future in futures.items()}
        finished = True
        return found
    finally:
        # on an error or Ctrl-C, the queued tasks are dropped (a running one cannot be stopped)
        pool.shutdown(wait=finished, cancel_futures=True)


def _counted(progress: Callable[[int], None] | None, runs: int):
    """A ``mapper`` for what-if and sensitivity that calls ``progress(runs)`` after each simulation (None: the built-in map)."""
    if progress is None:
        return None

    def mapper(function, items):
        for item in items:
            outcome = function(item)
            progress(runs)
            yield outcome

    return mapper


def _serialised(progress: Callable[[int], None] | None) -> Callable[[int], None] | None:
    """``progress`` called by one thread at a time."""
    if progress is None:
        return None
    lock = threading.Lock()

    def advance(done: int) -> None:
        with lock:
            progress(done)

    return advance
