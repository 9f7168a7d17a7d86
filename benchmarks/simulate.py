"""Benchmark: truce's batched negotiation simulation against NegMAS's SAOMechanism, Boulware against Boulware.

Claim checked
-------------
truce plays many runs of a negotiation at once, in lockstep, as numpy
arrays (``truce.simulate``: ``alternating_offers`` over chunks of runs), where
NegMAS plays one negotiation at a time in Python. So on the same problems,
with time-dependent Boulware negotiators on every side and 100 rounds, truce
should

* play at least 3,000x as many negotiations per second as NegMAS on 1,000
  outcomes, with fixed or uncertain saliences and 2 or 5 parties, and at
  least 10,000x on 100,000 outcomes, at truce's defaults (knowledge noise
  0.1), and
* reach the same figures: agreement rate and each party's mean utility
  within 0.05 of NegMAS's for the bilateral Boulware pair (at noise 0);

while its working memory stays under 64 MiB from 10,000 to 1,000,000 runs.

Problems: ``simulate_cases.py`` (seeded random linear-additive problems of
issues of 10 options: (a) 2 parties x 1,000 outcomes, (au) the same with
saliences drawn per run, (b) 2 parties x 100,000 outcomes, (cu) 5 parties x
1,000 outcomes with saliences drawn per run). NegMAS side and NegMAS's
rules replayed in truce's engine: ``simulate_negmas.py``. Targets and
tables: ``simulate_report.py``. This file plays both tools and prints.

truce side
----------
``Problem.from_arrays(values, weights, zeros)`` then ``problem.simulate(
strategies=..., runs=..., rounds=100, noise=...)``: the headline
``"boulware"`` at the default noise 0.1; the comparisons of outcomes at
noise 0 (NegMAS's Boulware does not model its opponent, and truce's
proposer then sees the others' true utilities). Two truce strategies: ``"boulware"`` (truce's
registered unit, ``target = best (1 - (t / 99)^(1/e))`` with e = 0.2, i.e.
``t^5``), and ``"time-dependent:e=0.25"``, the same family with NegMAS's
exponent (``t^4``). truce's proposer offers, among packages worth at least
its target, the one best for the others; NegMAS's the one worst for itself.
To show that this offering rule, not the engine, is what separates the two,
a third, diagnostic truce run replays NegMAS's rules inside truce's engine
(``NegmasBoulwareReplica`` below: NegMAS's time, exponent, eps, ``worst_in``
offer and one-step-later acceptance) and counts the problems on which it
reaches NegMAS's exact agreement. Exact only bilaterally and where truce's
candidate pool is the whole space (up to 20,000 packages; above that the
pool is the Pareto frontier, which NegMAS's offers leave), that is on (a).

Memory
------
truce alone on problem (au) #0 at the defaults (noise 0.1, saliences drawn
per run) with 10,000, 100,000 and 1,000,000 runs: the tracemalloc peak of one
``simulate`` call, what the returned result still holds, and the difference
(working memory); and the same call in a fresh process (``memory.py``): peak
resident memory less that before the call and the result's arrays. Target:
at most 64 MiB at every size.

Rounds
------
Both tools count offers: truce's round r (1-based) is its r-th offer; a
NegMAS negotiation that agrees on the offer made at step s (0-based) is
reported at round s + 1 (NegMAS's own ``state.step`` then reads
s + n_parties, the responders' steps included). The mean is over
negotiations that agreed.

Run with ``bash benchmarks/run.sh simulate`` (it sets up ``.venv-bench``).
"""


from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import subprocess
import sys
import time
import tracemalloc
import warnings
from dataclasses import asdict

import numpy as np
from pareto import environment, print_tables  # benchmarks/pareto.py
from simulate_cases import (
    MATCHED_STRATEGY,
    MEMORY_RUNS,
    NOISE,
    QUICK_MEMORY_RUNS,
    QUICK_SETTINGS,
    REPLICA_RUNS,
    ROUNDS,
    SETTINGS,
    RandomProblem,
    Setting,
    Tally,
    make_problem,
)
from simulate_negmas import NegmasBoulwareReplica, negmas_negotiation, play_negmas
from simulate_report import MemoryRun, SettingResult, memory_slope, tables, targets

from truce.simulate import candidate_pool
from truce.simulate.compiled import COMPILED_FROM_RUNS


def play_truce(tally: Tally, problem: RandomProblem, strategies, runs: int, seed: int, noise: float, **options) -> None:
    """``runs`` truce runs of one problem in one ``simulate`` call on a fresh Problem, timed."""
    fresh = problem.truce()
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    result = fresh.simulate(strategies=strategies, runs=runs, seed=seed, rounds=ROUNDS, noise=noise, **options)
    tally.seconds += time.perf_counter() - wall
    tally.cpu_seconds += time.process_time() - cpu
    agreed = result.agreed
    tally.add(
        runs,
        int(agreed.sum()),
        float((result.rounds[agreed] + 1).sum()),  # rounds counted from 1, as truce reports them
        result.utilities[agreed].sum(axis=0) if agreed.any() else np.zeros(problem.n_parties),
    )
    if noise == 0 and not problem.uncertain and options:  # deterministic, first proposer fixed: every run the same
        tally.repeatable &= bool((agreed == agreed[0]).all() and (result.packages == result.packages[0]).all())
    tally.agreements.append(tuple(int(v) for v in result.packages[0]) if agreed[0] else None)


def run_setting(setting: Setting, seed: int) -> SettingResult:
    """Both tools on each problem in turn, so that both see the same load on a shared machine."""
    problems = [make_problem(setting, index, seed) for index in range(setting.problems)]
    pool_size = float(np.mean([len(candidate_pool(p.truce(), p.truce().nominal_samples(1))) for p in problems]))
    truce_configurations = [(f"truce boulware, noise {NOISE:g}", "boulware", setting.truce_runs, NOISE)]
    if not setting.uncertain:  # NegMAS's Boulware knows nothing of the others: compared at noise 0
        truce_configurations += [
            ("truce e=0.25, offer=target", MATCHED_STRATEGY, setting.truce_runs, 0.0),
            ("truce, NegMAS rules", NegmasBoulwareReplica(), REPLICA_RUNS, 0.0),  # party 0 first, as in NegMAS
        ]
    negmas = Tally(label="NegMAS")
    truce = [Tally(label=label, timed=label != "truce, NegMAS rules") for label, _, _, _ in truce_configurations]
    # warm-up, untimed: imports and first-call costs of both tools (for truce, with as many runs as make
    # engine="auto" choose the engine the timed calls play, so that loading the compiled loop is not timed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        negmas_negotiation(*problems[0].negmas())
    for _, strategies, runs, noise in truce_configurations:
        problems[0].truce().simulate(strategies=strategies, runs=min(runs, COMPILED_FROM_RUNS), seed=seed, rounds=ROUNDS, noise=noise)

    for problem in problems:
        play_negmas(negmas, problem, setting.negmas_per_problem)
        for tally, (label, strategies, runs, noise) in zip(truce, truce_configurations):
            play_truce(tally, problem, strategies, runs, seed, noise, **({"first_proposer": 0} if label == "truce, NegMAS rules" else {}))
    print(
        f"  {setting.description}: NegMAS {negmas.negotiations} negotiations in {negmas.seconds:.2f} s; "
        + "; ".join(f"{t.label} {t.negotiations:,} runs in {t.seconds:.2f} s" for t in truce),
        file=sys.stderr,
        flush=True,
    )
    for tally in truce:
        tally.same_as_negmas = sum(a == b for a, b in zip(tally.agreements, negmas.agreements))
    return SettingResult(setting=setting, pool_size=pool_size, negmas=negmas, truce=truce)


def measure_memory(problem: RandomProblem, sizes, seed: int) -> list[MemoryRun]:
    """At truce's defaults (noise 0.1) on ``problem``: time, tracemalloc figures, and a fresh process's peak RSS (memory.py)."""
    rows = []
    for runs in sizes:
        fresh = problem.truce()
        gc.collect()
        start = time.perf_counter()
        fresh.simulate(strategies="boulware", runs=runs, seed=seed, rounds=ROUNDS)
        seconds = time.perf_counter() - start
        fresh = problem.truce()
        gc.collect()
        tracemalloc.start()
        result = fresh.simulate(strategies="boulware", runs=runs, seed=seed, rounds=ROUNDS)
        retained, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        del result
        command = [sys.executable, os.path.join(os.path.dirname(__file__), "memory.py"), "--runs", str(runs), "--seed", str(seed)]
        rss = json.loads(subprocess.run(command + (["--uncertain"] if problem.uncertain else []), capture_output=True, text=True, check=True).stdout)
        rows.append(MemoryRun(runs=runs, seconds=seconds, peak_mib=peak / 2**20, retained_mib=retained / 2**20, rss_working_mib=rss["working_mib"]))
        print(f"  memory {runs:,} runs: {rows[-1]}", file=sys.stderr, flush=True)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small counts, for a smoke run (the speed targets then are rough)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random problems (default 0)")
    parser.add_argument("--problems", type=int, help="random problems per setting (default 10, 5, 10; quick 3, 2, 3)")
    parser.add_argument("--json", metavar="PATH", help="also write the figures to this JSON file")
    args = parser.parse_args(argv)

    settings = QUICK_SETTINGS if args.quick else SETTINGS
    if args.problems is not None:
        if args.problems < 1:
            parser.error("--problems must be >= 1")
        settings = tuple(Setting(**{**asdict(s), "problems": args.problems}) for s in settings)
    env = environment()
    print(f"environment: {env}", file=sys.stderr, flush=True)
    load_at_start = os.getloadavg()[0]

    results = [run_setting(setting, args.seed) for setting in settings]
    memory = measure_memory(make_problem(settings[1], 0, args.seed), QUICK_MEMORY_RUNS if args.quick else MEMORY_RUNS, args.seed)
    target_rows = targets(results, memory)
    max_rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    load = {"start": load_at_start, "end": os.getloadavg()[0]}

    repeatable = all(tally.repeatable for r in results for tally in [r.negmas, *r.truce])
    notes = [
        (
            f"seed {args.seed}{' (quick)' if args.quick else ''}. numpy {env['numpy']}, negmas {env['negmas']}, "
            f"truce {env['truce']}, Python {env['python']}, {env['cpu_count']} cores, "
            f"OPENBLAS_CORETYPE={env['OPENBLAS_CORETYPE']}."
        ),
        (
            "NegMAS: SAOMechanism(issues, n_steps=100, one_offer_per_step=True) + one BoulwareTBNegotiator per party, "
            "fresh each negotiation (ufuns built once per problem), timed end to end after one untimed warm-up; one process."
        ),
        (
            f"truce: problem.simulate(strategies=..., runs=..., rounds=100, noise=...) on a fresh Problem per problem: 'boulware' at the default noise {NOISE:g}, "
            "the NegMAS comparisons at noise 0 (NegMAS's Boulware models no one); uncertain saliences: U(0.5 w, 1.5 w) per run, NegMAS plays w; "
            f'"{MATCHED_STRATEGY}" has NegMAS\'s Boulware exponent (t^4); truce runs its chunks on threads: '
            "'per CPU-s' divides CPU time, not wall time."
        ),
        (
            f"Load average (1 min) {load['start']:.1f} at the start, {load['end']:.1f} at the end, on {env['cpu_count']} cores: "
            "other processes slow both tools (each problem is measured on both in turn); 'per CPU-s' is less sensitive to them."
        ),
        "Rounds: truce round r = its r-th offer; NegMAS agreement on the offer made at step s (0-based) = round s + 1.",
        f"Peak memory: tracemalloc peak during one simulate() call; whole process max RSS {max_rss_mib:,.0f} MiB.",
        (
            "'same deal': problems on which the configuration agreed on NegMAS's package (or neither agreed). "
            f"Every negotiation (run) on a problem reached the same outcome: {'yes' if repeatable else 'NO'} "
            "(both tools are deterministic here)."
        ),
    ]
    print_tables(tables(results, memory, target_rows), notes)

    if args.json:
        fixed, per_run = memory_slope(memory)
        figures = {
            "environment": env,
            "seed": args.seed,
            "quick": args.quick,
            "rounds": ROUNDS,
            "settings": [
                {
                    **asdict(r.setting),
                    "n_outcomes": r.setting.n_outcomes,
                    "truce_pool_size": r.pool_size,
                    "speedup": r.speedup,
                    "cpu_speedup": r.cpu_speedup,
                    "negmas": r.negmas.summary(),
                    "truce": [t.summary() for t in r.truce],
                }
                for r in results
            ],
            "memory": [{**asdict(m), "working_mib": m.working_mib, "negotiations_per_second": m.per_second} for m in memory],
            "memory_fit": {"fixed_mib": fixed, "bytes_per_run": per_run},
            "targets": target_rows,
            "max_rss_mib": max_rss_mib,
            "load_average": load,
        }
        with open(args.json, "w") as handle:
            json.dump(figures, handle, indent=2)
    return 0 if all(row["status"] != "FAIL" for row in target_rows) else 1


if __name__ == "__main__":
    sys.exit(main())
