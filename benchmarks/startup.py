"""Start-up time: ``truce --help`` and ``import truce`` as whole processes.

Run: ``python benchmarks/startup.py`` (from the repository root, with truce
installed in the interpreter that runs it). Each command runs ``--runs``
times (default 9) after one warm-up; for each, the CPU seconds the process
used (user + system, from ``os.wait4``: what the process costs, whatever
else the machine is doing) and the wall seconds, as min and median.

Targets (issue 12): ``truce --help`` under 0.4 s and ``import truce``
under 0.3 s. On a shared machine the wall time includes waiting for a
core, so the verdict uses the median CPU time; both are printed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

TARGETS = {"truce --help": 0.4, "import truce": 0.3}


def commands() -> dict[str, list[str]]:
    truce = shutil.which("truce", path=str(Path(sys.executable).parent)) or shutil.which("truce")
    help_command = [truce, "--help"] if truce else [sys.executable, "-m", "truce", "--help"]
    return {
        "truce --help": help_command,
        "import truce": [sys.executable, "-c", "import truce"],
        "import truce; import truce.cli": [sys.executable, "-c", "import truce; import truce.cli"],
    }


def measure(command: list[str], runs: int) -> dict[str, float]:
    cpu, wall = [], []
    for index in range(runs + 1):
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            raise SystemExit(f"{' '.join(command)} exited with {process.returncode}")
        if index:  # the first run warms the file cache
            cpu.append(usage.ru_utime + usage.ru_stime)
            wall.append(elapsed)
    return {"cpu_min": min(cpu), "cpu_median": statistics.median(cpu), "wall_min": min(wall), "wall_median": statistics.median(wall)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="counted runs per command (after one warm-up)")
    parser.add_argument("--quick", action="store_true", help="3 runs per command")
    parser.add_argument("--seed", type=int, default=None, help="ignored (accepted so run.sh can pass it to every benchmark)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures to this file")
    arguments = parser.parse_args()
    runs = 3 if arguments.quick else arguments.runs

    figures = {name: measure(command, runs) for name, command in commands().items()}
    print(f"start-up, {runs} runs after a warm-up; Python {platform.python_version()}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    print(f"{'command':<34}{'cpu min':>10}{'cpu median':>12}{'wall min':>10}{'wall median':>13}")
    for name, f in figures.items():
        print(f"{name:<34}{f['cpu_min']:>10.3f}{f['cpu_median']:>12.3f}{f['wall_min']:>10.3f}{f['wall_median']:>13.3f}")
    verdicts = {name: "PASS" if figures[name]["cpu_median"] < bound else "FAIL" for name, bound in TARGETS.items()}
    for name, bound in TARGETS.items():
        print(f"target: {name} under {bound:g} s (median CPU): {figures[name]['cpu_median']:.3f} s, {verdicts[name]}")
    if arguments.json is not None:
        arguments.json.write_text(json.dumps({"runs": runs, "figures": figures, "targets": verdicts}, indent=2))
    return 1 if "FAIL" in verdicts.values() else 0


if __name__ == "__main__":
    sys.exit(main())
