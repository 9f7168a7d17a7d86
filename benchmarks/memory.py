"""Peak resident memory of one truce simulation in a fresh process (whole-process figures).

``python benchmarks/memory.py --runs 1000000 [--uncertain] [--parties 2] [--issues 3]``
prints one JSON line: resident memory after imports and a warm-up run of
the same engine (``baseline_mib``: numba and the compiled loop included), the peak during the measured ``simulate`` call
(``peak_mib``, the kernel's high-water mark VmHWM, reset before the call),
and what the returned result holds (``result_mib``: its per-run arrays and
the drawn inputs). Working memory is ``peak - baseline - result``. Linux only
(reads /proc/self/status and clear_refs). benchmarks/simulate.py runs it once per size.
"""

from __future__ import annotations

import argparse
import json
import sys


def _status(field: str) -> float:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def _held(value, seen: set) -> int:
    """Bytes of the numpy arrays reachable from a result (each buffer once)."""
    import dataclasses

    import numpy as np

    if isinstance(value, np.ndarray):
        base = value if value.base is None else value.base
        if id(base) in seen or not isinstance(base, np.ndarray):
            return 0
        seen.add(id(base))
        return base.nbytes
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return sum(_held(getattr(value, f.name), seen) for f in dataclasses.fields(value))
    if isinstance(value, (list, tuple)):
        return sum(_held(v, seen) for v in value)
    if isinstance(value, dict):
        return sum(_held(v, seen) for v in value.values())
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=1_000_000)
    parser.add_argument("--parties", type=int, default=2)
    parser.add_argument("--issues", type=int, default=3)
    parser.add_argument("--uncertain", action="store_true", help="saliences drawn per run")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    from simulate_cases import ROUNDS, Setting, make_problem  # benchmarks/simulate_cases.py

    setting = Setting("m", args.parties, args.issues, 1, 1, args.runs, uncertain=args.uncertain)
    problem = make_problem(setting, 0, args.seed).truce()
    from truce.simulate.compiled import COMPILED_FROM_RUNS

    # warm-up with the engine the measured call plays (the compiled loop from COMPILED_FROM_RUNS runs on),
    # so that its libraries are in the baseline, as numpy's are
    problem.simulate(strategies="boulware", runs=max(1000, COMPILED_FROM_RUNS), seed=args.seed, rounds=ROUNDS)
    baseline = _status("VmRSS")
    with open("/proc/self/clear_refs", "w") as handle:
        handle.write("5")  # resets VmHWM to the current resident size
    result = problem.simulate(strategies="boulware", runs=args.runs, seed=args.seed, rounds=ROUNDS)
    peak = _status("VmHWM")
    held = _held(result, set()) / 2**20
    print(json.dumps({"runs": args.runs, "baseline_mib": baseline, "peak_mib": peak, "result_mib": held, "working_mib": peak - baseline - held}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
