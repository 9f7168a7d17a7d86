"""Time KTAB's Spatial Model of Politics to convergence on random inputs.

Run: ``python benchmarks/forecast.py`` (from the repository root; the
script finds ``src/`` itself when truce is not installed).

Sizes: 10, 50 and 200 actors by 1, 3 and 10 dimensions, with KTAB's
reference-run parameters (Deterministic). Inputs are seeded: capabilities
uniform on [10, 200], positions uniform on [0, 1], each actor's saliences
a Dirichlet draw that leaves some salience unspent (total below 1).
Each cell is the best of ``--repeat`` runs (default 1) in seconds, with
the number of rounds the stopping rule took.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from pathlib import Path

import numpy as np

try:
    from truce.forecast import smp
except ImportError:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from truce.forecast import smp

ACTORS = (10, 50, 200)
DIMENSIONS = (1, 3, 10)
QUICK_ACTORS = (10, 50)
TARGET_SECONDS = 5.0
"""Issue target: a 200-actor, 10-dimension SMP run to convergence in under 5 s on 2 cores."""


def random_scenario(n_actors: int, n_dims: int, seed: int) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    capability = rng.uniform(10.0, 200.0, n_actors)
    positions = rng.uniform(0.0, 1.0, (n_actors, n_dims))
    salience = rng.dirichlet(np.ones(n_dims + 1), n_actors)[:, :n_dims]
    return capability, positions, salience


def time_run(n_actors: int, n_dims: int, seed: int, repeat: int) -> tuple[float, int]:
    capability, positions, salience = random_scenario(n_actors, n_dims, seed)
    best = float("inf")
    rounds = 0
    for _ in range(repeat):
        start = time.perf_counter()
        result = smp(capability, positions, salience)
        best = min(best, time.perf_counter() - start)
        rounds = result.n_rounds
    return best, rounds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2024, help="seed of the random inputs")
    parser.add_argument("--repeat", type=int, default=1, help="runs per cell; the best is shown")
    parser.add_argument("--quick", action="store_true", help="10 and 50 actors only (a smoke run)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures to this file")
    arguments = parser.parse_args()
    actors = QUICK_ACTORS if arguments.quick else ACTORS

    cells = {
        (n_actors, n_dims): time_run(n_actors, n_dims, arguments.seed, arguments.repeat)
        for n_actors in actors
        for n_dims in DIMENSIONS
    }
    title = (
        f"SMP to convergence, seconds (rounds); seed {arguments.seed}, best of {arguments.repeat}; "
        f"Python {platform.python_version()}, numpy {np.__version__}"
    )
    target = cells.get((200, 10))
    verdict = None if target is None else ("PASS" if target[0] < TARGET_SECONDS else "FAIL")
    if arguments.json is not None:
        arguments.json.write_text(
            json.dumps(
                {
                    "seed": arguments.seed,
                    "repeat": arguments.repeat,
                    "cells": [{"actors": a, "dimensions": d, "seconds": t, "rounds": r} for (a, d), (t, r) in cells.items()],
                    "target": {"200 actors x 10 dimensions under seconds": TARGET_SECONDS, "status": verdict},
                },
                indent=2,
            )
        )
    try:
        from rich.console import Console
        from rich.table import Table
    except ImportError:
        print(title)
        header = f"{'actors':>8}" + "".join(f"{f'{n_dims} dim':>16}" for n_dims in DIMENSIONS)
        print(header)
        for n_actors in actors:
            row = f"{n_actors:>8}"
            for n_dims in DIMENSIONS:
                seconds, rounds = cells[n_actors, n_dims]
                row += f"{f'{seconds:.3f} ({rounds})':>16}"
            print(row)
    else:
        table = Table(title=title)
        table.add_column("actors", justify="right")
        for n_dims in DIMENSIONS:
            table.add_column(f"{n_dims} dim", justify="right")
        for n_actors in actors:
            table.add_row(
                str(n_actors),
                *(f"{cells[n_actors, d][0]:.3f} ({cells[n_actors, d][1]})" for d in DIMENSIONS),
            )
        Console().print(table)
    if verdict is not None:
        print(f"target: 200 actors x 10 dimensions to convergence in under {TARGET_SECONDS:g} s: {target[0]:.2f} s, {verdict}")
    return 1 if verdict == "FAIL" else 0


if __name__ == "__main__":
    sys.exit(main())
