"""Schemathesis over every route of the web API, at length: server errors and schema violations, counted.

    .venv/bin/python benchmarks/api_fuzz.py [--examples N] [--no-coverage] [-k EXPRESSION]

Runs the suite's own test (tests/web/test_web_schemathesis.py: the same checks, budgets and
generation) with N examples per route in the examples and fuzzing phases, plus schemathesis's
coverage phase (every boundary value and every missing or malformed part of each body; thousands of
requests per route), then prints the requests and answers per route, the total, and pytest's verdict.
Each request is checked for a server error (5xx), a response that does not match its documented
schema, and an undocumented status code, content type or header. Exits with pytest's status.
"""

from __future__ import annotations

import argparse
import collections
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TEST = "tests/web/test_web_schemathesis.py::test_no_server_error_and_no_schema_violation"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=100, help="generated requests per route in the fuzzing phase")
    parser.add_argument("--no-coverage", action="store_true", help="leave out the coverage phase")
    parser.add_argument("-k", default="", help="pytest -k expression choosing routes, e.g. 'report or parse'")
    options = parser.parse_args()
    root = Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "requests.tsv"
        environment = {
            **os.environ,
            "TRUCE_API_FUZZ_EXAMPLES": str(options.examples),
            "TRUCE_API_FUZZ_COVERAGE": "0" if options.no_coverage else "1",
            "TRUCE_API_FUZZ_LOG": str(log),
        }
        command = [sys.executable, "-m", "pytest", "-q", "-o", "addopts=", "-p", "no:cacheprovider", TEST]
        if options.k:
            command += ["-k", options.k]
        started = time.perf_counter()
        verdict = subprocess.run(command, cwd=root, env=environment, capture_output=True, text=True)
        seconds = time.perf_counter() - started
        rows = [line.split("\t") for line in log.read_text().splitlines()] if log.exists() else []
    by_route: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for route, status in rows:
        by_route[route][f"{status[0]}xx"] += 1
    for route, answers in by_route.items():
        shown = ", ".join(f"{count} {kind}" for kind, count in sorted(answers.items()))
        print(f"{route:28} {sum(answers.values()):6} requests ({shown})")
    totals = collections.Counter(f"{status[0]}xx" for _, status in rows)
    shown = ", ".join(f"{count} {kind}" for kind, count in sorted(totals.items()))
    phases = "examples, fuzzing" + ("" if options.no_coverage else ", coverage")
    print(f"\n{len(by_route)} routes, {len(rows)} requests ({shown}); phases {phases}; {options.examples} examples per route; {seconds:.0f} s")
    print(verdict.stdout.strip().splitlines()[-1] if verdict.stdout.strip() else verdict.stderr[-2000:])
    if verdict.returncode:
        print(verdict.stdout[-6000:])
    return verdict.returncode


if __name__ == "__main__":
    sys.exit(main())
