"""The single negotiating text on the flagship: numpy's mediator against the compiled one, same seed.

    .venv/bin/python benchmarks/single_text.py [--runs 2000] [--repeat 3] [--seed 0]

Plays the built-in ``gaza-ceasefire`` scenario with its single_text lever in force (the what-if variant
the report plays), at the defaults a user runs (knowledge noise 0.1, the scenario's uncertain inputs,
its strategies and rounds), with ``engine="numpy"`` and ``engine="compiled"`` in turn, and prints each
engine's CPU and wall time (best and median of ``--repeat``) and whether the runs are the same. numba is
loaded and its cache read before the first timing (a small compiled run), so the figures are the loop's.
NegMAS has no mediated single-text protocol to set beside it. Exit status 1 if the runs differ.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

import numpy as np

from truce.problem import Problem
from truce.scenario import load
from truce.simulate import simulate

FIELDS = ("agreed", "rounds", "packages", "walked_away", "broke_down")


def hosted_flagship() -> Problem:
    problem = Problem.from_scenario(load("gaza-ceasefire"))
    active = problem.lever_active.copy()
    active[list(problem.lever_kinds).index("single_text")] = True
    return problem.with_levers(active)


def timed(problem: Problem, engine: str, runs: int, seed: int):
    cpu, wall = time.process_time(), time.perf_counter()
    result = simulate(problem, runs=runs, seed=seed, engine=engine)
    return result, time.process_time() - cpu, time.perf_counter() - wall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    problem = hosted_flagship()
    simulate(problem, runs=8, seed=args.seed + 1, engine="compiled")  # numba loaded, its cache read
    results, times = {}, {}
    for _ in range(args.repeat):
        for engine in ("numpy", "compiled"):
            results[engine], cpu, wall = timed(problem, engine, args.runs, args.seed)
            times.setdefault(engine, []).append((cpu, wall))
    same = all(np.array_equal(getattr(results["numpy"], f), getattr(results["compiled"], f)) for f in FIELDS)
    print(f"flagship single text, {args.runs:,} runs, seed {args.seed}, P(deal) {results['compiled'].agreed.mean():.3f}")
    print("engine    CPU best  CPU median  wall best  wall median")
    for engine, pairs in times.items():
        cpu, wall = [p[0] for p in pairs], [p[1] for p in pairs]
        print(f"{engine:9} {min(cpu):7.2f} s {statistics.median(cpu):9.2f} s {min(wall):8.2f} s {statistics.median(wall):10.2f} s")
    ratio = statistics.median(p[0] for p in times["numpy"]) / statistics.median(p[0] for p in times["compiled"])
    print(f"numpy / compiled, median CPU: {ratio:.1f}x; runs the same: {'yes' if same else 'NO'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
