"""Benchmark: truce's exact Pareto frontier against NegMAS, and truce alone on huge spaces.

Claim checked
-------------
truce computes the exact Pareto frontier of an additive multi-issue problem
by merging issue by issue with dominance pruning (see
``truce.analysis.pareto``), never enumerating the product space. So it
should be

* at least 100x faster than NegMAS at 1e6 outcomes, while returning the
  same set of frontier utility vectors (to 1e-9), and
* able to solve a 1e15-outcome space in under 10 s on a 2-core machine.

Problems
--------
Seeded random 2-party linear-additive problems with ``n_issues`` issues of
10 options each (10**n_issues outcomes). On every issue the parties'
values are opposed: party 0 values option k at ``a_k ~ U(0, 1)``, party 1
at ``1 - a_k``, so no option of an issue dominates another and the only
gains come from trading across issues (logrolling); each party's issue
weights are drawn from a flat Dirichlet. This makes the frontier large
for its space (every option of every issue is a candidate).

NegMAS side
-----------
The same issues (``negmas.outcomes.make_issue(10, name)``), one
``negmas.preferences.LinearAdditiveUtilityFunction`` per party with a
table value function per issue and the same weights, and
``negmas.preferences.pareto_frontier(ufuns, issues=issues)``: NegMAS's
documented end-to-end path, which enumerates the outcomes, evaluates every
ufun on each and keeps the undominated points
(``pareto_frontier_numpy``). As a second, stricter reference we also time
``negmas.preferences.ops.pareto_frontier_numpy`` alone on the
already-evaluated (n_outcomes, 2) utility matrix (built with numpy, not
timed), i.e. NegMAS's frontier step without its per-outcome evaluation.

Run with ``bash benchmarks/run.sh`` (it sets up ``.venv-bench``).
"""

from __future__ import annotations

import argparse
import datetime
import gc
import json
import math
import os
import platform
import resource
import sys
import time
import tracemalloc
import warnings
from dataclasses import asdict, dataclass
from importlib import metadata

import numpy as np

from truce.problem import Problem

N_OPTIONS = 10
MATCH_TOLERANCE = 1e-9
SPEEDUP_TARGET = 100.0
SPEEDUP_TARGET_OUTCOMES = 10**6
LARGE_TIME_TARGET = 10.0
LARGE_TIME_TARGET_OUTCOMES = 10**15
EPSILON = 0.01

COMPARE_ISSUES = (3, 4, 5, 6)
LARGE_ISSUES = (8, 10, 12, 15, 18)
QUICK_COMPARE_ISSUES = (3, 4)
QUICK_LARGE_ISSUES = (8, 10)


@dataclass
class Comparison:
    """truce against NegMAS on one space."""

    n_issues: int
    n_outcomes: int
    truce_seconds: float
    truce_points: int
    truce_packages: int
    negmas_seconds: float | None = None
    negmas_frontier_step_seconds: float | None = None
    negmas_points: int | None = None
    speedup: float | None = None
    speedup_vs_frontier_step: float | None = None
    match: bool | None = None
    max_difference: float | None = None
    only_truce: int | None = None
    only_negmas: int | None = None
    note: str = ""


@dataclass
class LargeRun:
    """truce alone on one space."""

    n_issues: int
    n_outcomes: int
    epsilon: float | None
    seconds: float
    points: int
    packages: int | None
    peak_memory_mib: float
    worst_shortfall: float | None = None
    """epsilon runs: max over exact frontier points of the smallest shortfall of a returned point (must be <= epsilon)."""


def make_problem(n_issues: int, seed: int) -> Problem:
    """A seeded 2-party problem of ``n_issues`` issues of 10 options with opposed values."""
    rng = np.random.default_rng([seed, n_issues])
    values = []
    for _ in range(n_issues):
        party0 = rng.random(N_OPTIONS)
        values.append(np.column_stack([party0, 1.0 - party0]))
    weights = rng.dirichlet(np.ones(n_issues), size=2)
    return Problem.from_arrays(values, weights, name=f"random-{n_issues}x{N_OPTIONS}")


def time_truce(problem: Problem, repeats: int, epsilon: float | None = None):
    """Best wall time of ``repeats`` runs of ``problem.pareto``, each on a fresh copy (no cache)."""
    best = math.inf
    frontier = None
    for _ in range(repeats):
        fresh = Problem.from_arrays(list(problem.values), problem.weights, problem.reservation)
        gc.collect()
        start = time.perf_counter()
        frontier = fresh.pareto(epsilon=epsilon)
        best = min(best, time.perf_counter() - start)
    return best, frontier


def peak_memory_mib(problem: Problem, epsilon: float | None = None) -> float:
    """Peak memory allocated (tracemalloc sees numpy's buffers) by one untimed ``pareto`` run."""
    fresh = Problem.from_arrays(list(problem.values), problem.weights, problem.reservation)
    gc.collect()
    tracemalloc.start()
    fresh.pareto(epsilon=epsilon)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def negmas_ufuns(problem: Problem):
    """The same problem in NegMAS: issues and one LinearAdditiveUtilityFunction per party."""
    from negmas.outcomes import make_issue, make_os
    from negmas.preferences import LinearAdditiveUtilityFunction

    issues = [make_issue(len(labels), name=issue_id) for labels, issue_id in zip(problem.option_labels, problem.issue_ids)]
    outcome_space = make_os(issues)
    ufuns = [
        LinearAdditiveUtilityFunction(
            values=[{k: float(v) for k, v in enumerate(value[:, party])} for value in problem.values],
            weights=[float(w) for w in problem.weights[party]],
            outcome_space=outcome_space,
            reserved_value=float("-inf"),  # truce's frontier is over all packages, not only rational ones
        )
        for party in range(problem.n_parties)
    ]
    return issues, ufuns


def all_utilities(problem: Problem) -> np.ndarray:
    """(n_outcomes, n_parties) utilities of every package, in NegMAS's enumeration order (last issue fastest)."""
    total = np.zeros((1, problem.n_parties))
    for contribution in problem.weighted_values:
        total = (total[:, None, :] + contribution[None, :, :]).reshape(-1, problem.n_parties)
    return total


def time_negmas(problem: Problem):
    """Wall time and frontier of NegMAS's end-to-end ``pareto_frontier``, and of its frontier step alone."""
    from negmas.preferences import pareto_frontier
    from negmas.preferences.ops import pareto_frontier_numpy

    issues, ufuns = negmas_ufuns(problem)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # NegMAS warns that large spaces are slow
        gc.collect()
        start = time.perf_counter()
        frontier_utilities, _ = pareto_frontier(ufuns, issues=issues)
        end_to_end = time.perf_counter() - start

        points = all_utilities(problem)
        gc.collect()
        start = time.perf_counter()
        pareto_frontier_numpy(points)
        frontier_step = time.perf_counter() - start
    return end_to_end, frontier_step, np.asarray(frontier_utilities, dtype=float).reshape(-1, problem.n_parties)


def distinct(points: np.ndarray, tolerance: float) -> np.ndarray:
    """Rows of ``points`` with near-duplicates (all coordinates within ``tolerance``) merged.

    Frontier points are strictly ordered (2 parties: first utility down,
    second up), so near-duplicates sit next to each other after sorting.
    """
    if len(points) == 0:
        return points
    ordered = points[np.lexsort(points.T[::-1])]
    keep = [0]
    for i in range(1, len(ordered)):
        if np.abs(ordered[i] - ordered[keep[-1]]).max() > tolerance:
            keep.append(i)
    return ordered[keep]


def unmatched(points: np.ndarray, others: np.ndarray, tolerance: float) -> int:
    """How many rows of ``points`` have no row of ``others`` within ``tolerance`` in every coordinate."""
    if len(others) == 0:
        return len(points)
    count = 0
    for start in range(0, len(points), 1024):
        block = points[start : start + 1024]
        nearest = np.abs(block[:, None, :] - others[None, :, :]).max(axis=2).min(axis=1)
        count += int((nearest > tolerance).sum())
    return count


def compare(truce_points: np.ndarray, negmas_points: np.ndarray) -> tuple[bool, float | None, int, int]:
    """Same set of frontier utility vectors to ``MATCH_TOLERANCE``?"""
    ours = distinct(truce_points, MATCH_TOLERANCE)
    theirs = distinct(negmas_points, MATCH_TOLERANCE)
    only_truce = unmatched(ours, theirs, MATCH_TOLERANCE)
    only_negmas = unmatched(theirs, ours, MATCH_TOLERANCE)
    max_difference = float(np.abs(ours - theirs).max()) if ours.shape == theirs.shape and len(ours) else None
    return only_truce == 0 and only_negmas == 0, max_difference, only_truce, only_negmas


def run_comparisons(issue_counts, seed: int, repeats: int, negmas_max: float) -> list[Comparison]:
    rows = []
    for n_issues in issue_counts:
        problem = make_problem(n_issues, seed)
        truce_seconds, frontier = time_truce(problem, repeats)
        row = Comparison(
            n_issues=n_issues,
            n_outcomes=problem.n_outcomes,
            truce_seconds=truce_seconds,
            truce_points=len(frontier),
            truce_packages=int(frontier.multiplicity.sum()),
        )
        if problem.n_outcomes > negmas_max:
            row.note = f"NegMAS skipped: {problem.n_outcomes:.0e} outcomes > --negmas-max {negmas_max:.0e}"
        else:
            end_to_end, frontier_step, negmas_points = time_negmas(problem)
            row.negmas_seconds = end_to_end
            row.negmas_frontier_step_seconds = frontier_step
            row.negmas_points = len(negmas_points)
            row.speedup = end_to_end / truce_seconds
            row.speedup_vs_frontier_step = frontier_step / truce_seconds
            row.match, row.max_difference, row.only_truce, row.only_negmas = compare(frontier.utilities, negmas_points)
        print(f"  compared 1e{n_issues}: {row}", file=sys.stderr, flush=True)
        rows.append(row)
    return rows


def worst_shortfall(exact: np.ndarray, approximate: np.ndarray) -> float:
    """How far the approximate set falls short of covering the exact frontier.

    For each exact point, the best approximate point's largest per-party
    shortfall; the worst of these over the exact frontier. The epsilon
    guarantee says this is at most epsilon.
    """
    worst = 0.0
    for start in range(0, len(exact), 1024):
        block = exact[start : start + 1024]
        shortfall = np.clip(block[:, None, :] - approximate[None, :, :], 0, None).max(axis=2).min(axis=1)
        worst = max(worst, float(shortfall.max()))
    return worst


def run_large(issue_counts, seed: int, repeats: int) -> list[LargeRun]:
    rows = []
    exact_frontiers = {}
    runs = [(n_issues, None) for n_issues in issue_counts] + [(issue_counts[-1], EPSILON)]
    for n_issues, epsilon in runs:
        problem = make_problem(n_issues, seed)
        seconds, frontier = time_truce(problem, repeats, epsilon)
        if epsilon is None:
            exact_frontiers[n_issues] = frontier.utilities
        rows.append(
            LargeRun(
                n_issues=n_issues,
                n_outcomes=problem.n_outcomes,
                epsilon=epsilon,
                seconds=seconds,
                points=len(frontier),
                packages=None if frontier.multiplicity is None else int(frontier.multiplicity.sum()),
                peak_memory_mib=peak_memory_mib(problem, epsilon),
                worst_shortfall=None if epsilon is None else worst_shortfall(exact_frontiers[n_issues], frontier.utilities),
            )
        )
        print(f"  large 1e{n_issues} epsilon={epsilon}: {rows[-1]}", file=sys.stderr, flush=True)
    return rows


def targets(comparisons: list[Comparison], large: list[LargeRun]) -> list[dict]:
    speed = next((row for row in comparisons if row.n_outcomes == SPEEDUP_TARGET_OUTCOMES), None)
    if speed is None:
        speed_result = {"measured": None, "status": "NOT RUN", "detail": "1e6 outcomes not in this run"}
    elif speed.speedup is None:
        speed_result = {"measured": None, "status": "NOT RUN", "detail": speed.note}
    else:
        passed = speed.speedup >= SPEEDUP_TARGET and bool(speed.match)
        speed_result = {
            "measured": speed.speedup,
            "status": "PASS" if passed else "FAIL",
            "detail": f"{speed.speedup:,.0f}x (frontiers {'match' if speed.match else 'DIFFER'})",
        }
    big = next((row for row in large if row.n_outcomes == LARGE_TIME_TARGET_OUTCOMES and row.epsilon is None), None)
    if big is None:
        big_result = {"measured": None, "status": "NOT RUN", "detail": "1e15 outcomes not in this run"}
    else:
        big_result = {
            "measured": big.seconds,
            "status": "PASS" if big.seconds < LARGE_TIME_TARGET else "FAIL",
            "detail": f"{big.seconds:.3f} s",
        }
    return [
        {"target": f">= {SPEEDUP_TARGET:.0f}x faster than NegMAS at 1e6 outcomes, same frontier", **speed_result},
        {"target": f"1e15-outcome space in < {LARGE_TIME_TARGET:.0f} s (exact)", **big_result},
    ]


def environment() -> dict:
    def version(name: str) -> str | None:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return None

    return {
        "date": datetime.date.today().isoformat(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "truce": version("truce"),
        "numpy": np.__version__,
        "negmas": version("negmas"),
        "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE"),
    }


# --- formatting --------------------------------------------------------------


def _seconds(x: float | None) -> str:
    if x is None:
        return "-"
    return f"{x * 1e3:.2f} ms" if x < 1 else f"{x:.2f} s"


def _ratio(x: float | None) -> str:
    return "-" if x is None else f"{x:,.0f}x"


def _match(row: Comparison) -> str:
    if row.match is None:
        return "-"
    if row.match:
        return "yes" if row.max_difference is None else f"yes ({row.max_difference:.1g})"
    return f"NO ({row.only_truce} only truce, {row.only_negmas} only NegMAS)"


def tables(comparisons: list[Comparison], large: list[LargeRun], target_rows: list[dict]):
    compare_table = (
        "truce vs NegMAS (2 parties, issues of 10 options)",
        [
            "outcomes",
            "issues",
            "truce (best)",
            "NegMAS pareto_frontier",
            "speed-up",
            "NegMAS frontier step",
            "speed-up",
            "frontier truce / NegMAS",
            "same frontier (max diff)",
        ],
        [
            [
                f"1e{row.n_issues}",
                str(row.n_issues),
                _seconds(row.truce_seconds),
                _seconds(row.negmas_seconds) if row.negmas_seconds is not None else "skipped",
                _ratio(row.speedup),
                _seconds(row.negmas_frontier_step_seconds),
                _ratio(row.speedup_vs_frontier_step),
                f"{row.truce_points} / {'-' if row.negmas_points is None else row.negmas_points}",
                _match(row),
            ]
            for row in comparisons
        ],
    )
    large_table = (
        "truce alone on large spaces",
        [
            "outcomes",
            "issues",
            "mode",
            "time (best)",
            "frontier points",
            "frontier packages",
            "peak memory",
            "worst shortfall vs exact",
        ],
        [
            [
                f"1e{row.n_issues}",
                str(row.n_issues),
                "exact" if row.epsilon is None else f"epsilon={row.epsilon:g}",
                _seconds(row.seconds),
                f"{row.points:,}",
                "-" if row.packages is None else f"{row.packages:,}",
                f"{row.peak_memory_mib:.1f} MiB",
                "-"
                if row.worst_shortfall is None
                else f"{row.worst_shortfall:.4f} ({'<=' if row.worst_shortfall <= row.epsilon else 'EXCEEDS'} epsilon)",
            ]
            for row in large
        ],
    )
    target_table = (
        "Targets",
        ["target", "measured", "result"],
        [[row["target"], row["detail"], row["status"]] for row in target_rows],
    )
    return [compare_table, large_table, target_table]


def print_tables(table_specs, notes: list[str]) -> None:
    try:
        from rich.console import Console
        from rich.table import Table
    except ImportError:
        for title, header, rows in table_specs:
            widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows)]
            print(f"\n{title}")
            for line in [header, ["-" * w for w in widths], *rows]:
                print("  ".join(str(cell).ljust(w) for cell, w in zip(line, widths)))
        for note in notes:
            print(note)
        return
    console = Console()
    if not console.is_terminal:
        console = Console(width=160)  # a pipe or a file: do not squeeze the tables to 80 columns
    for title, header, rows in table_specs:
        table = Table(title=title, title_justify="left")
        for name in header:
            table.add_column(name, justify="left" if name in ("target", "mode") else "right")
        for row in rows:
            styled = [
                f"[bold green]{cell}[/]" if cell == "PASS" else f"[bold red]{cell}[/]" if cell == "FAIL" else cell
                for cell in row
            ]
            table.add_row(*styled)
        console.print(table)
    for note in notes:
        console.print(note)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random problems (default 0)")
    parser.add_argument("--repeats", type=int, default=5, help="truce runs per size; the best is reported (default 5)")
    parser.add_argument(
        "--negmas-max", type=float, default=1e6, help="skip NegMAS above this many outcomes (default 1e6)"
    )
    parser.add_argument("--json", metavar="PATH", help="also write the figures to this JSON file")
    args = parser.parse_args(argv)

    compare_issues = QUICK_COMPARE_ISSUES if args.quick else COMPARE_ISSUES
    large_issues = QUICK_LARGE_ISSUES if args.quick else LARGE_ISSUES
    env = environment()
    print(f"environment: {env}", file=sys.stderr, flush=True)

    comparisons = run_comparisons(compare_issues, args.seed, args.repeats, args.negmas_max)
    large = run_large(large_issues, args.seed, args.repeats)
    target_rows = targets(comparisons, large)
    max_rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    notes = [
        f"seed {args.seed}; truce: best of {args.repeats}; NegMAS: one run. "
        f"numpy {env['numpy']}, negmas {env['negmas']}, truce {env['truce']}, Python {env['python']}, "
        f"{env['cpu_count']} cores, OPENBLAS_CORETYPE={env['OPENBLAS_CORETYPE']}.",
        "'NegMAS pareto_frontier' = negmas.preferences.pareto_frontier(ufuns, issues=issues) (enumerate + evaluate + "
        "frontier); 'NegMAS frontier step' = negmas.preferences.ops.pareto_frontier_numpy on the precomputed "
        "utility matrix.",
        f"Peak memory: tracemalloc peak during one pareto() call; whole process max RSS {max_rss_mib:.0f} MiB.",
    ]
    notes += [row.note for row in comparisons if row.note]
    print_tables(tables(comparisons, large, target_rows), notes)

    if args.json:
        figures = {
            "environment": env,
            "seed": args.seed,
            "repeats": args.repeats,
            "quick": args.quick,
            "negmas_max": args.negmas_max,
            "match_tolerance": MATCH_TOLERANCE,
            "comparisons": [asdict(row) for row in comparisons],
            "large": [asdict(row) for row in large],
            "targets": target_rows,
            "max_rss_mib": max_rss_mib,
        }
        with open(args.json, "w") as handle:
            json.dump(figures, handle, indent=2)
    return 0 if all(row["status"] != "FAIL" for row in target_rows) else 1


if __name__ == "__main__":
    sys.exit(main())
