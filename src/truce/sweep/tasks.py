"""Tasks: (point, chunk of runs, seed) and the one batched engine call each makes.

A point's ``runs`` are cut into chunks of ``runs_per_task`` (the last one shorter). Task ``k`` of
point ``i`` plays its chunk with one call of :func:`truce.simulate.simulate` (or
:func:`~truce.simulate.simulate_phases`) seeded from ``SeedSequence(seed, spawn_key=(1, k))``
(paired, the default: chunk k of every point draws the same streams, common random numbers) or
``spawn_key=(1, i, k)``: the child that ``SeedSequence(seed).spawn`` would give, built from its key
so no list over all tasks is kept. A task's seed depends on nothing but the sweep file, so the
results do not depend on how many workers there are, which worker plays which task, or in which
order tasks finish.

A task's result is one row of sums (deals, rounds of the deals and their squares, each party's
utility of its deals and their squares, ...): the points' figures add them up in task order, so
they are the same numbers whatever the executor. :func:`run_task` is what a worker runs; it
compiles each variant once per process.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from truce.sweep.design import Variant
from truce.sweep.spec import Sweep

TASK_STREAM = 1
"""First element of every task's spawn key (0 is the design's draws)."""


@dataclass(frozen=True)
class Task:
    """One batched engine call: ``runs`` runs of point ``point`` seeded with ``seed``."""

    index: int
    point: int
    chunk: int
    runs: int
    seed: int
    scenario_json: str = field(repr=False)
    analysis: str = "simulate"
    options: tuple = ()
    hold_days: int = 90


def task_seed(sweep_seed: int, point: int, chunk: int, paired: bool) -> int:
    """The engine's seed for task (point, chunk): 63 bits of its SeedSequence child's state (a Parquet int64)."""
    key = (TASK_STREAM, chunk) if paired else (TASK_STREAM, point, chunk)
    return int(np.random.SeedSequence(sweep_seed, spawn_key=key).generate_state(1, np.uint64)[0]) >> 1


def engine_options(sweep: Sweep) -> dict:
    """The keyword arguments of the engine call, from the sweep file's ``simulate`` block (``forecast`` for a forecast)."""
    from truce.simulate.strategies import DEFAULT_STRATEGY

    if sweep.analysis == "forecast":
        return sweep.forecast.model_dump()

    chosen = sweep.simulate
    return {
        "protocol": chosen.protocol,
        "strategies": chosen.strategy if chosen.strategy is not None else DEFAULT_STRATEGY,
        "rounds": chosen.rounds,
        "noise": chosen.noise,
        "mediator_noise": chosen.noise,
        "first_proposer": chosen.first_proposer,
        "all_at_once": chosen.all_at_once,
    }


def split(sweep: Sweep, points: list[Variant]) -> list[Task]:
    """Every task of the sweep, numbered point by point, chunk by chunk."""
    options = tuple(sorted(engine_options(sweep).items(), key=lambda item: item[0]))
    options = tuple((key, tuple(sorted(value.items())) if isinstance(value, dict) else value) for key, value in options)
    tasks = []
    for variant in points:
        for chunk in range(sweep.chunks):
            runs = 1 if sweep.analysis == "forecast" else min(sweep.runs_per_task, sweep.runs - chunk * sweep.runs_per_task)
            tasks.append(Task(
                index=len(tasks), point=variant.index, chunk=chunk, runs=runs,
                seed=task_seed(sweep.seed, variant.index, chunk, sweep.paired),
                scenario_json=variant.scenario_json, analysis=sweep.analysis, options=options, hold_days=sweep.hold_days,
            ))
    return tasks


@lru_cache(maxsize=16)
def _problem(scenario_json: str):
    from truce.scenario.schema import Scenario

    return Scenario.model_validate_json(scenario_json).compile()


def run_task(task: Task) -> dict:
    """Play the task's runs and sum what the points' figures need (see the module docstring)."""
    from truce.simulate import simulate, simulate_phases
    from truce.simulate.phase_results import TALK_ENDS

    started, cpu = time.perf_counter(), time.process_time()
    problem = _problem(task.scenario_json)
    options = {key: dict(value) if key == "strategies" and isinstance(value, tuple) else value for key, value in task.options}
    if task.analysis not in ("simulate", "durability"):
        from truce.sweep import analyses

        row = analyses.ROWS[task.analysis](task, problem, options)
        row["seconds"], row["cpu_seconds"] = time.perf_counter() - started, time.process_time() - cpu
        return row
    all_at_once = options.pop("all_at_once", False)
    phased = bool(problem.phases) and not all_at_once
    lasting = None
    final = None
    if phased:
        played = simulate_phases(problem, runs=task.runs, seed=task.seed, **options)
        first = played.phases[0]
        agreed, rounds, utilities = first.reached, first.round, first.utilities
        walked = first.talk_end == TALK_ENDS.index("walked away")
        broke = first.talk_end == TALK_ENDS.index("broke down")
        final = int(played.phases[-1].reached.sum())
        if task.analysis == "durability" and problem.ceasefire:
            lasting = played.in_force_after(task.hold_days)
    else:
        result = simulate(problem, runs=task.runs, seed=task.seed, **options)
        agreed, rounds, utilities = result.agreed, result.rounds, result.utilities
        walked, broke = result.walked_away, result.broke_down
        if task.analysis == "durability" and problem.ceasefire:
            from truce.simulate.durability import durability

            survival = durability(problem, result, seed=task.seed)
            lasting = result.agreed & (np.nan_to_num(survival.breakdown_day, nan=-1.0) > task.hold_days)
    deal_rounds = rounds[agreed].astype(np.float64) + 1.0
    deal_utilities = utilities[agreed]
    row = {
        "task": task.index, "point": task.point, "chunk": task.chunk, "seed": task.seed, "runs": task.runs,
        "deals": int(agreed.sum()), "walked_away": int(np.asarray(walked).sum()), "broke_down": int(np.asarray(broke).sum()),
        "rounds_sum": float(deal_rounds.sum()), "rounds_squares": float((deal_rounds**2).sum()),
        "lasting": -1 if lasting is None else int(np.asarray(lasting).sum()),
        "final_phase": -1 if final is None else final,
    }
    for p, party in enumerate(problem.party_ids):
        row[f"utility_sum:{party}"] = float(deal_utilities[:, p].sum())
        row[f"utility_squares:{party}"] = float((deal_utilities[:, p] ** 2).sum())
    row["seconds"], row["cpu_seconds"] = time.perf_counter() - started, time.process_time() - cpu
    return row
