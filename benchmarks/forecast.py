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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=2024, help="seed of the random inputs")
    parser.add_argument("--repeat", type=int, default=1, help="runs per cell; the best is shown")
    arguments = parser.parse_args()

    cells = {
        (n_actors, n_dims): time_run(n_actors, n_dims, arguments.seed, arguments.repeat)
        for n_actors in ACTORS
        for n_dims in DIMENSIONS
    }
    title = (
        f"SMP to convergence, seconds (rounds); seed {arguments.seed}, best of {arguments.repeat}; "
        f"Python {platform.python_version()}, numpy {np.__version__}"
    )
    try:
        from rich.console import Console
        from rich.table import Table
    except ImportError:
        print(title)
        header = f"{'actors':>8}" + "".join(f"{f'{n_dims} dim':>16}" for n_dims in DIMENSIONS)
        print(header)
        for n_actors in ACTORS:
            row = f"{n_actors:>8}"
            for n_dims in DIMENSIONS:
                seconds, rounds = cells[n_actors, n_dims]
                row += f"{f'{seconds:.3f} ({rounds})':>16}"
            print(row)
        return
    table = Table(title=title)
    table.add_column("actors", justify="right")
    for n_dims in DIMENSIONS:
        table.add_column(f"{n_dims} dim", justify="right")
    for n_actors in ACTORS:
        table.add_row(
            str(n_actors),
            *(f"{cells[n_actors, d][0]:.3f} ({cells[n_actors, d][1]})" for d in DIMENSIONS),
        )
    Console().print(table)


if __name__ == "__main__":
    main()
