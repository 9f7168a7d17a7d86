"""Peak memory of `truce simulate` with many parties (issue 18: 300 parties at the default 10,000 runs
once took over 3 GiB in 7 s, because the chunks were sized without the parties x parties x issues
array of each proposer's noisy estimate of the others' priorities).

    .venv/bin/python benchmarks/many_parties.py                  # 10, 30, 100 and 300 parties
    .venv/bin/python benchmarks/many_parties.py --parties 300 --runs 10000 --issues 5
    .venv/bin/python benchmarks/many_parties.py --parties 300 --issues 3 --options 3 --runs 200 --force

For each party count, a scenario of that many parties over ``--issues`` ordered issues of
``--options`` options (default 5; random positions and saliences, seeded) is written to a temporary
file and ``truce simulate FILE --runs N --json`` (with ``--force`` when given: past the time budget)
runs in a fresh process (``TRUCE_MAX_PARTIES`` raised to allow it); the script
prints the process's peak resident memory (the kernel's VmHWM, read at exit through
its own /proc/self/status), its wall and CPU time and P(deal).
Exits 1 if a run's peak exceeds ``--budget-mib`` (default 1,024 MiB). Linux only.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import yaml

CHILD = """
import json, sys
from truce.cli import main
sys.argv = ["truce", "simulate", sys.argv[1], "--runs", sys.argv[2], "--json", *sys.argv[3:]]
try:
    main()
finally:
    with open("/proc/self/status") as handle:
        peak = next(int(line.split()[1]) for line in handle if line.startswith("VmHWM:"))
    sys.stderr.write(json.dumps({"peak_kib": peak}) + "\\n")
"""


def scenario(parties: int, issues: int, options: int = 5, seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    return {
        "truce": 1,
        "name": f"{parties} parties",
        "rounds": 40,
        "issues": [{"id": f"i{j}", "name": f"Issue {j}", "kind": "ordered", "options": [f"o{k}" for k in range(options)]} for j in range(issues)],
        "actors": [
            {
                "id": f"p{p}", "name": f"Party {p}", "reservation": 0.2, "cost_of_delay": 0.01,
                "stances": {f"i{j}": {"position": f"o{rng.integers(options)}", "salience": round(float(rng.uniform(0.1, 1)), 3)} for j in range(issues)},
            }
            for p in range(parties)
        ],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--parties", type=int, nargs="+", default=[10, 30, 100, 300])
    parser.add_argument("--issues", type=int, default=5)
    parser.add_argument("--options", type=int, default=5, help="options of every issue (default 5)")
    parser.add_argument("--force", action="store_true", help="pass --force: go on past the time budget")
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--budget-mib", type=float, default=1024.0)
    parser.add_argument("--json", type=Path)
    options = parser.parse_args()
    rows, failed = [], False
    with tempfile.TemporaryDirectory() as folder:
        for parties in options.parties:
            path = Path(folder) / f"parties-{parties}.yaml"
            path.write_text(yaml.safe_dump(scenario(parties, options.issues, options.options), sort_keys=False))
            environment = dict(os.environ, TRUCE_MAX_PARTIES=str(max(parties, 100)))
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            done = subprocess.run([sys.executable, "-c", CHILD, str(path), str(options.runs), *(["--force"] if options.force else [])], capture_output=True, text=True, env=environment)
            wall = time.perf_counter() - started
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            peak = next((json.loads(line)["peak_kib"] / 1024 for line in done.stderr.splitlines() if line.startswith('{"peak_kib"')), float("nan"))
            deal = json.loads(done.stdout)["agreement_rate"] if done.returncode == 0 else None
            row = {"parties": parties, "issues": options.issues, "runs": options.runs, "exit": done.returncode, "peak_mib": peak,
                   "wall_s": wall, "cpu_s": (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime), "p_deal": deal}
            rows.append(row)
            failed |= done.returncode != 0 or not peak <= options.budget_mib
            print(f"{parties:>4} parties x {options.issues} issues of {options.options} options, {options.runs:,} runs: exit {done.returncode}, peak {peak:,.0f} MiB, "
                  f"{wall:.1f} s wall, {row['cpu_s']:.1f} s CPU, P(deal) {deal if deal is None else round(deal, 4)}", flush=True)
            if done.returncode != 0:
                print("   " + done.stderr.strip().splitlines()[-2 if len(done.stderr.strip().splitlines()) > 1 else -1][:300])
    print(f"load average: {', '.join(f'{x:.1f}' for x in os.getloadavg())}; budget {options.budget_mib:,.0f} MiB: {'FAIL' if failed else 'PASS'}")
    if options.json:
        options.json.write_text(json.dumps(rows, indent=2))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
