"""What recording a run in the store costs (issue 15: "recording must add little time").

    .venv/bin/python benchmarks/store.py [--repeats N] [--runs N]

1. In this process: the time of recording one simulation of ``--runs`` runs of the flagship (its
   summary, its per-run table as Parquet, the scenario's copy, the record), the first record of the
   process apart (it imports pyarrow) from the next ones.
2. Whole commands: ``truce simulate gaza-ceasefire --runs N`` as a new process, with the store and
   with ``--no-store``, alternated ``--repeats`` times; the median wall time of each and the
   difference.
3. The catalog: ``truce runs list`` on the store those commands filled (the first one takes the
   records in, the later ones only read).

The machine is shared: the load average is printed with the figures.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path


def command_seconds(arguments: list[str], environ: dict, folder: Path) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "truce", *arguments], cwd=folder, env=environ, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--runs", type=int, default=2000)
    options = parser.parse_args()

    from truce.scenario import load
    from truce.simulate import simulate_phases
    from truce.store.record import RunRecord, write_run

    print(f"Load average {os.getloadavg()[0]:.1f}; {os.cpu_count()} CPUs", flush=True)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        scenario = load("gaza-ceasefire")
        result = simulate_phases(scenario.compile(), runs=options.runs, seed=0)
        frame = result.to_frame()
        summary = {key: value for key, value in result.to_dict().items() if key != "first_proposer"}
        times = []
        for k in range(options.repeats + 1):
            started = time.perf_counter()
            record = RunRecord(command="simulate", arguments=["simulate", "gaza-ceasefire"], started=datetime.now(timezone.utc), seconds=1.0,
                               scenario="gaza-ceasefire", scenario_name=scenario.name, scenario_json=scenario.model_dump_json(),
                               seed=0, runs=options.runs, summary=summary, tables={"runs": frame})
            write_run(folder / "store", record)
            times.append(time.perf_counter() - started)
        print(f"1. Recording one simulation of {options.runs:,} runs ({frame.shape[0]:,} rows x {frame.shape[1]} columns): "
              f"first of the process {times[0] * 1000:.0f} ms (imports pyarrow), then median {statistics.median(times[1:]) * 1000:.0f} ms", flush=True)

        environ = {**os.environ, "TRUCE_STORE": str(folder / "commands"), "TRUCE_MAX_SECONDS": "0"}
        environ.pop("TRUCE_NO_STORE", None)
        arguments = ["simulate", "gaza-ceasefire", "--runs", str(options.runs), "--json"]
        recorded, plain = [], []
        for _ in range(options.repeats):
            recorded.append(command_seconds(arguments, environ, folder))
            plain.append(command_seconds(["--no-store", *arguments], environ, folder))
        with_store, without = statistics.median(recorded), statistics.median(plain)
        print(f"2. truce simulate gaza-ceasefire --runs {options.runs:,}, median of {options.repeats}: {with_store:.2f} s recorded, "
              f"{without:.2f} s with --no-store: {1000 * (with_store - without):+.0f} ms ({(with_store - without) / without:+.1%})", flush=True)
        listing = [command_seconds(["runs", "list"], environ, folder) for _ in range(3)]
        print(f"3. truce runs list over {options.repeats} runs: {listing[0]:.2f} s the first time (takes the records in), then {min(listing[1:]):.2f} s", flush=True)
    print(f"Load average {os.getloadavg()[0]:.1f} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
