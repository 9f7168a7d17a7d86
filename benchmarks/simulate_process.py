"""One tool on one case of ``simulate.py`` as a whole process, for timing from outside.

``python benchmarks/simulate_process.py truce --case au --count 50000`` plays
``count`` truce runs of problem #0 of the case at truce's defaults
(``problem.simulate(strategies="boulware", runs=count, rounds=100)``: knowledge
noise 0.1, saliences drawn per run where the case says so);
``python benchmarks/simulate_process.py negmas --case au --count 10`` plays
``count`` NegMAS negotiations (``SAOMechanism``, Boulware against Boulware,
100 steps, one offer a step) on the same problem, one after another
(``--engine compiled --count 1``: truce's fixed cost with the compiled
loop loaded, for "play only" figures). Each
prints one JSON line: the tool, the case, the count, and the seconds of
play inside the process. Timed from outside (e.g. ``/usr/bin/time -v``, or
two such commands in turn), the whole process includes each tool's imports
and set-up, as a user's command does.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import warnings

from simulate_cases import ROUNDS, SETTINGS, make_problem


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tool", choices=["truce", "negmas"])
    parser.add_argument("--case", choices=[s.key for s in SETTINGS], default="a")
    parser.add_argument("--count", type=int, default=1000, help="truce runs, or NegMAS negotiations")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--engine", choices=["auto", "compiled", "numpy"], default="auto", help="truce's engine (default auto, as a user's call)")
    args = parser.parse_args(argv)
    setting = {s.key: s for s in SETTINGS}[args.case]
    problem = make_problem(setting, 0, args.seed)
    start = time.perf_counter()
    if args.tool == "truce":
        result = problem.truce().simulate(strategies="boulware", runs=args.count, seed=args.seed, rounds=ROUNDS, engine=args.engine)
        agreed = int(result.agreed.sum())
    else:
        from simulate_negmas import negmas_negotiation

        issues, ufuns = problem.negmas()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            agreed = sum(negmas_negotiation(issues, ufuns).state.agreement is not None for _ in range(args.count))
    seconds = time.perf_counter() - start
    print(json.dumps({"tool": args.tool, "case": args.case, "count": args.count, "agreed": agreed, "play_seconds": seconds}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
