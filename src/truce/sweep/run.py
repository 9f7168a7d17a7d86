"""A sweep from its file to its points' table: plan, prepare the folder, play the tasks, add up.

1. :func:`plan`: read and validate the sweep file, load the scenario, resolve the parameters' paths,
   build and validate every point's variant, split the points into tasks. Nothing is written.
2. :func:`run`: prepare the folder (refused before any work if it cannot take the sweep), play the
   tasks not committed yet on the executor, commit each as it arrives, then add up every committed
   task into the points' table and write it (CSV, Parquet) with the plot.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from truce.scenario.schema import Scenario
from truce.sweep.design import Variant, variants
from truce.sweep.folder import SweepFolder
from truce.sweep.results import SweepResult, figure, point_table
from truce.sweep.spec import MAX_TASKS, Sweep, SweepError, read
from truce.sweep.tasks import Task, split


@dataclass(frozen=True, eq=False)
class Plan:
    """Everything a sweep will do, checked, before it does any of it."""

    sweep: Sweep
    source: str
    scenario: Scenario | None
    """The scenario swept (None for a back-test, whose cases name theirs)."""
    variants: list[Variant]
    tasks: list[Task]
    title: str = ""

    @property
    def name(self) -> str:
        """What the sweep is of, in words: the scenario's name, or the back-test's case file."""
        return self.title or self.scenario.name

    @property
    def columns(self) -> list[str]:
        return [parameter.column for parameter in self.sweep.parameters]

    @property
    def fingerprint(self) -> str:
        """What makes two sweeps the same: the tasks' inputs and seeds, and truce's version."""
        from truce import __version__

        digest = hashlib.sha256(f"truce {__version__}\n{self.sweep.model_dump_json()}\n".encode())
        for variant in self.variants:
            digest.update(variant.scenario_json.encode())
        return digest.hexdigest()

    def manifest(self) -> dict:
        from truce import __version__

        return {
            "fingerprint": self.fingerprint, "tasks": len(self.tasks), "points": len(self.variants), "sweep_file": self.source,
            "scenario": self.sweep.source, "truce": __version__, "sweep": self.sweep.model_dump(mode="json"),
        }


def load_scenario(sweep: Sweep, source: str) -> Scenario:
    """The sweep's scenario: a file relative to the sweep file's folder if there is one, else a built-in name or path."""
    from truce.scenario import load

    given = Path(sweep.scenario)
    beside = given if given.is_absolute() else Path(source).parent / given
    return load(beside if beside.is_file() else sweep.scenario)


def plan(path: str | Path) -> Plan:
    """Check the sweep file at ``path`` and everything it implies; :class:`SweepError` or a ScenarioError otherwise."""
    source = str(path)
    sweep, _ = read(path)
    if sweep.analysis == "backtest":
        from truce.sweep.backtesting import plan_backtest

        return plan_backtest(sweep, source)
    scenario = load_scenario(sweep, source)
    points = variants(sweep, scenario, source)
    if sweep.analysis == "whatif" and not scenario.levers:
        from truce.sweep.analyses import NO_LEVERS

        raise SweepError(source, (("analysis", f"found whatif, but {sweep.scenario}: {NO_LEVERS}"),))
    count = len(points) * sweep.chunks
    if count > MAX_TASKS:
        raise SweepError(source, (("runs_per_task", f"found {count:,} tasks ({len(points):,} points x {sweep.chunks:,}); expected at most {MAX_TASKS:,} (raise runs_per_task)"),))
    return Plan(sweep=sweep, source=source, scenario=scenario, variants=points, tasks=split(sweep, points))


def run(
    chosen: Plan, out: str | Path | None = None, *, workers: int = 1, scheduler: str | None = None, resume: bool = False,
    force: bool = False, progress: Callable[[int], None] | None = None, on_start: Callable[[str], None] | None = None,
    committed_before: Callable[[int, int], None] | None = None,
) -> SweepResult:
    """Play the plan's tasks (those not committed yet with ``resume``) and add up every point.

    ``out``: the sweep's folder (None: nothing written, the rows kept in memory: for the Python API
    and tests); ``progress(runs)`` after each task; ``committed_before(tasks, runs)`` once, with what
    an earlier command had committed."""
    import pandas as pd

    from truce.sweep.executor import execute

    started = time.perf_counter()
    folder = SweepFolder(out) if out is not None else None
    rows: list[dict] = []
    done: dict = {}
    try:
        if folder is not None:
            done = folder.prepare(chosen.manifest(), resume=resume, force=force, tasks=len(chosen.tasks))
        if committed_before is not None:
            committed_before(len(done), sum(chosen.tasks[i].runs for i in done if i < len(chosen.tasks)))
        todo = (task for task in chosen.tasks if task.index not in done)
        played, task_cpu = 0, 0.0

        def on_result(row: dict) -> None:
            nonlocal played, task_cpu
            task_cpu += float(row.get("cpu_seconds", 0.0))
            if folder is not None:
                folder.commit(row)
            else:
                rows.append(row)
            played += 1
            if progress is not None:
                progress(int(row["runs"]))

        execute(todo, workers=workers, scheduler=scheduler, on_result=on_result, on_start=on_start)
        table_rows = folder.rows() if folder is not None else pd.DataFrame(rows).sort_values("task", kind="stable").reset_index(drop=True)
        points = table_of(chosen.sweep.analysis)(table_rows, [variant.values for variant in chosen.variants], chosen.columns)
        result = SweepResult(points=points, columns=chosen.columns, folder=None if folder is None else folder.root, analysis=chosen.sweep.analysis,
                             tasks=len(chosen.tasks), played=played, seconds=time.perf_counter() - started, task_cpu_seconds=task_cpu)
        if folder is not None:
            import io

            folder.write("points.csv", points.to_csv(index=False))
            buffer = io.BytesIO()
            points.to_parquet(buffer, index=False)
            folder.write("points.parquet", buffer.getvalue())
            folder.write("plot.html", figure(result).to_html(include_plotlyjs=True, full_html=True))
        return result
    finally:
        if folder is not None:
            folder.release()


def table_of(analysis: str) -> Callable:
    """The function that adds a sweep's task rows up into its points' table, for the analysis."""
    from truce.sweep.analyses import TABLES

    return TABLES.get(analysis, point_table)


def sweep(path: str | Path, out: str | Path | None = None, **options) -> SweepResult:
    """Plan and run the sweep file at ``path`` (see :func:`run` for ``options``)."""
    return run(plan(path), out, **options)
