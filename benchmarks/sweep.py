"""Sweep throughput against the number of workers, and the cost of one task, per executor (issue 15).

    .venv/bin/python benchmarks/sweep.py [--quick] [--json PATH]

1. Throughput: the flagship (gaza-ceasefire, phased, every input uncertain) swept over a grid of
   Hamas's no-deal value, ``--points`` points x ``--runs`` runs in tasks of ``--task-runs``, played
   in this process, on a local pool of 1 and 2 processes, and on a Dask LocalCluster of 1 and 2
   worker processes (one thread each; the cluster is started before the clock, as an existing
   cluster would be). Runs per second of wall time, with the numbers checked identical across all.
2. Per-task overhead: many tasks of one run of two-issue-trade (the engine's work nearly nil), so
   the wall time per task is what a task costs beyond its runs: pickling it, sending it, the
   result's way back, and (with a folder) the atomic commit of its Parquet file.
3. Start-up: the pool's fork server (imports the engine once) and the LocalCluster.

The machine is shared: each figure comes with its CPU seconds (this process's, plus each task's own CPU
time measured in the worker that played it; a worker's start-up and messaging are not counted) and the
1-minute load average just before it. CPU / wall near the number of workers means they ran in parallel.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import yaml


def sweep_file(folder: Path, scenario: str, points: int, runs: int, task_runs: int, name: str) -> Path:
    values = [round(0.45 + 0.25 * k / max(1, points - 1), 4) for k in range(points)]
    data = {"scenario": scenario, "parameters": [{"path": f"actors[{ 'hamas' if scenario == 'gaza-ceasefire' else 'north'}].reservation", "values": values}],
            "runs": runs, "runs_per_task": task_runs, "seed": 1}
    path = folder / name
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


LAST: dict = {}
"""The CPU seconds and load average of the latest :func:`timed` call."""


@contextlib.contextmanager
def pool_even_for_one():
    """``run(workers=1)`` plays in the command's own process; here a pool of one worker process, to measure the pool itself."""
    import truce.sweep.executor as executor

    chosen = executor.execute

    def pooled(tasks, *, workers=1, scheduler=None, on_result, on_start=None):
        executor._on_pool(tasks, workers, on_result, on_start)

    executor.execute = pooled
    try:
        yield
    finally:
        executor.execute = chosen


def timed(label: str, call) -> tuple[float, object]:
    """Wall seconds of ``call()``; its CPU seconds (this process, plus the tasks' own CPU time where they ran
    in other processes) and the 1-minute load average before it go to :data:`LAST`."""
    load = os.getloadavg()[0]
    started, cpu = time.perf_counter(), time.process_time()
    result = call()
    seconds, own = time.perf_counter() - started, time.process_time() - cpu
    elsewhere = getattr(result, "task_cpu_seconds", 0.0) if "this process" not in label else 0.0
    LAST.update(cpu_seconds=own + elsewhere, task_cpu_seconds=getattr(result, "task_cpu_seconds", None), load=load)
    print(f"  {label}: {seconds:.2f} s wall, {own + elsewhere:.2f} s CPU (this process {own:.2f}), load average {load:.1f}", flush=True)
    return seconds, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run (a few seconds)")
    parser.add_argument("--points", type=int, default=8)
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--task-runs", type=int, default=250)
    parser.add_argument("--tiny-tasks", type=int, default=400)
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    options = parser.parse_args()
    if options.quick:
        options.points, options.runs, options.task_runs, options.tiny_tasks = 2, 100, 50, 40

    from distributed import LocalCluster

    from truce.sweep import plan, run
    from truce.sweep.tasks import run_task

    load_before = os.getloadavg()
    figures: dict = {"cpus": os.cpu_count(), "load_before": load_before, "python": sys.version.split()[0]}
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        flagship = plan(sweep_file(folder, "gaza-ceasefire", options.points, options.runs, options.task_runs, "flagship.yaml"))
        tiny = plan(sweep_file(folder, "two-issue-trade", options.tiny_tasks, 1, 1, "tiny.yaml"))
        total_runs = options.points * options.runs
        print(f"Throughput: gaza-ceasefire, {options.points} points x {options.runs} runs, tasks of {options.task_runs} runs "
              f"({len(flagship.tasks)} tasks); load average {load_before[0]:.1f}", flush=True)
        run_task(flagship.tasks[0])  # imports and first-call costs of this process, not counted
        rows = {}
        reference = None

        def record(name: str, workers: int, seconds: float, result) -> None:
            nonlocal reference
            if reference is None:
                reference = result.points
            identical = result.points.equals(reference)
            rows[name] = {"workers": workers, "seconds": seconds, "runs_per_second": total_runs / seconds, "identical": identical,
                          "cpu_seconds": LAST["cpu_seconds"], "task_cpu_seconds": LAST["task_cpu_seconds"], "load": LAST["load"]}

        seconds, result = timed("this process", lambda: run(flagship, workers=1))
        record("this process", 1, seconds, result)
        startup, _ = timed("pool start-up (fork server imports the engine, 2 workers, 2 tiny tasks)", lambda: run(plan(sweep_file(folder, "two-issue-trade", 2, 1, 1, "warm.yaml")), workers=2))
        figures["pool_startup_seconds"] = startup
        for workers in (1, 2):
            with pool_even_for_one():
                seconds, result = timed(f"pool of {workers}", lambda: run(flagship, workers=workers))
            record(f"pool of {workers}", workers, seconds, result)
        for workers in (1, 2):
            started = time.perf_counter()
            with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
                figures[f"cluster_{workers}_startup_seconds"] = time.perf_counter() - started
                address = cluster.scheduler_address
                run(plan(sweep_file(folder, "two-issue-trade", workers * 2, 1, 1, "warm.yaml")), scheduler=address)  # workers import truce
                seconds, result = timed(f"LocalCluster of {workers}", lambda: run(flagship, scheduler=address))
                record(f"LocalCluster of {workers}", workers, seconds, result)
                tiny_seconds, _ = timed(f"  {len(tiny.tasks)} one-run tasks on the LocalCluster of {workers}", lambda: run(tiny, scheduler=address))
                rows[f"LocalCluster of {workers}"]["tiny_task_ms"] = 1000 * tiny_seconds / len(tiny.tasks)
        figures["throughput"] = rows

        print(f"Per-task cost: {len(tiny.tasks)} tasks of one run of two-issue-trade", flush=True)
        engine = []
        for task in tiny.tasks[:50]:
            started = time.perf_counter()
            run_task(task)
            engine.append(time.perf_counter() - started)
        figures["engine_ms_one_run"] = 1000 * sum(engine) / len(engine)
        print(f"  the engine call alone: {figures['engine_ms_one_run']:.2f} ms", flush=True)
        figures["tiny_task_ms"] = {}
        for name, call in (
            ("this process, rows in memory", lambda: run(tiny, workers=1)),
            ("this process, each task committed to a folder", lambda: run(tiny, folder / "committed", workers=1, force=True)),
            ("pool of 2", lambda: run(tiny, workers=2)),
        ):
            seconds, _ = timed(name, call)
            figures["tiny_task_ms"][name] = 1000 * seconds / len(tiny.tasks)
        for name, row in rows.items():
            if "tiny_task_ms" in row:
                figures["tiny_task_ms"][name] = row["tiny_task_ms"]
    figures["load_after"] = os.getloadavg()

    print()
    print("| executor | workers | wall (s) | runs/s | speed-up | CPU (s) | tasks' CPU (s) | CPU / wall | load average | same numbers |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    base = figures["throughput"]["this process"]["runs_per_second"]
    for name, row in figures["throughput"].items():
        if "runs_per_second" in row:
            print(f"| {name} | {row['workers']} | {row['seconds']:.2f} | {row['runs_per_second']:,.0f} | {row['runs_per_second'] / base:.2f}x | "
                  f"{row['cpu_seconds']:.2f} | {row['task_cpu_seconds']:.2f} | {row['cpu_seconds'] / row['seconds']:.2f} | {row['load']:.1f} | {'yes' if row['identical'] else 'NO'} |")
    print()
    print("| one-run tasks | ms per task |")
    print("|---|---|")
    print(f"| the engine call alone | {figures['engine_ms_one_run']:.2f} |")
    for name, ms in figures["tiny_task_ms"].items():
        print(f"| {name} | {ms:.2f} |")
    print()
    print(f"Start-up: pool {figures['pool_startup_seconds']:.2f} s (with 2 tiny tasks); LocalCluster "
          f"{figures['cluster_1_startup_seconds']:.2f} s (1 worker), {figures['cluster_2_startup_seconds']:.2f} s (2 workers). "
          f"Load average {figures['load_before'][0]:.1f} before, {figures['load_after'][0]:.1f} after; {figures['cpus']} CPUs.")
    if options.json:
        options.json.write_text(json.dumps(figures, indent=2, default=float), encoding="utf-8")
    same = all(row.get("identical", True) for row in figures["throughput"].values())
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
